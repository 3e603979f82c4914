"""Who may see one field of a profile, for the directory's texts and as a query condition for
its facets, so that searching, filtering or counting never reveals a field the reader may not
see. A field of ``FIELDS_WITH_VISIBILITY`` has the audience its owner chose in
``Person.field_visibility``, never wider than the profile's; a field with no choice follows the
profile; ``private`` fields are seen by their owner and the staff only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from filiere.accounts.permissions import is_signed_in

from .models import Person, Visibility
from .models.people import FIELDS_WITH_VISIBILITY
from .permissions import is_owner, sees_everyone

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


_WIDTH: dict[str, int] = {Visibility.PRIVATE: 0, Visibility.MEMBERS: 1, Visibility.PUBLIC: 2}


def field_audience(person: Person, field: str) -> str:
    """Who may see ``field`` of ``person``: a ``Visibility`` value, at most the profile's (an
    unknown value counts as private)."""
    profile = person.visibility if person.visibility in _WIDTH else Visibility.PRIVATE
    chosen = (person.field_visibility or {}).get(field, profile)
    return min(chosen if chosen in _WIDTH else Visibility.PRIVATE, profile, key=_WIDTH.__getitem__)


def fields_seen(person: Person, viewer: AnyUser | None) -> set[str]:
    """The fields of ``FIELDS_WITH_VISIBILITY`` that ``viewer`` may see on ``person`` (whose
    profile they may see): all for the owner and the staff."""
    if sees_everyone(viewer) or is_owner(viewer, person):
        return set(FIELDS_WITH_VISIBILITY)
    allowed = (
        {Visibility.PUBLIC, Visibility.MEMBERS} if is_signed_in(viewer) else {Visibility.PUBLIC}
    )
    return {field for field in FIELDS_WITH_VISIBILITY if field_audience(person, field) in allowed}


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
