"""The rule of ``visibility`` (who may see one field of a profile) as a query condition, for
queries that filter on a field (an organisation's page lists only the members who show their
organisations). The directory's texts, cards and facets read the same rule through
``visibility`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from filiere.accounts.permissions import is_signed_in

from .models import Visibility
from .permissions import sees_everyone

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def field_visible_q(viewer: AnyUser | None, field: str, prefix: str = "") -> Q:
    """The condition on Person rows (through ``prefix``) whose ``field`` ``viewer`` may see,
    for rows whose profile ``viewer`` may already see (``permissions.visibility_q``)."""
    if sees_everyone(viewer):
        return Q()
    allowed = [Visibility.PUBLIC]
    if is_signed_in(viewer):
        allowed.append(Visibility.MEMBERS)
    condition = ~Q(**{f"{prefix}field_visibility__has_key": field}) | Q(
        **{f"{prefix}field_visibility__{field}__in": allowed}
    )
    if is_signed_in(viewer):
        condition |= Q(**{f"{prefix}user_id": viewer.pk})
    return condition
