"""Who may do what with events. Views, the API and services name the rule they apply.

- Everyone reads the published events (and a cancelled one's page, which says so).
- A signed-in person registers, cancels, and reads their own events and agenda.
- The registered participants of an event with one-to-one meetings see each other (name,
  organisation, headline: never an e-mail address), request meetings and answer them.
- The platform's staff (global staff or administrators) create and edit events, read the
  participants and check-in lists, and run the meetings' schedule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filiere.accounts.permissions import is_staff
from filiere.calls.permissions import signed_in_and

from .models import Event, EventStatus

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def manages_events(user: AnyUser | None) -> bool:
    return is_staff(user)


def is_public(event: Event) -> bool:
    return event.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED)


#: The staff's event pages: anonymous → sign-in page; anyone else → 403.
events_staff_required = signed_in_and(manages_events)
