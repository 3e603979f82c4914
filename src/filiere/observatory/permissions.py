"""Who may do what with the observatory.

- Everyone reads the published figures (page, CSV files, API): they hold no small count.
- The platform's staff (global staff or administrators) refresh them and follow the refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filiere.accounts.permissions import is_staff
from filiere.calls.permissions import signed_in_and

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def manages_observatory(user: AnyUser | None) -> bool:
    return is_staff(user)


#: The staff's refresh pages: anonymous → sign-in page; anyone else → 403.
observatory_staff_required = signed_in_and(manages_observatory)
