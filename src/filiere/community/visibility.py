"""Which fields of a profile a viewer may see, as a pure function (no query).

Each field of ``FIELDS_WITH_VISIBILITY`` has the audience its owner chose in
``Person.field_visibility`` (``public``, ``members`` or ``private`` — the owner and the staff),
never wider than the profile's own ``visibility``; a field with no choice follows the profile.
The owner and the staff see every field; a signed-in member the public and members-only ones; a
visitor the public ones. Whether the viewer may see the profile at all is the selectors' job
(``permissions.visibility_q``): this only says which of its fields to show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filiere.accounts.permissions import is_signed_in

from .models import Person, Visibility
from .models.people import FIELDS_WITH_VISIBILITY
from .permissions import is_owner, sees_everyone

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: How wide each audience is: a field is never wider than its profile.
WIDTH = {Visibility.PRIVATE: 0, Visibility.MEMBERS: 1, Visibility.PUBLIC: 2}


def narrowest(*audiences: str) -> str:
    """The narrowest of these ``Visibility`` values (unknown values count as private)."""
    known = [value if value in WIDTH else Visibility.PRIVATE for value in audiences]
    return min(known, key=lambda value: WIDTH[Visibility(value)])


def audience_of(person: Person, field: str) -> str:
    """Who may see ``field`` of ``person``: a ``Visibility`` value, at most the profile's."""
    chosen = (person.field_visibility or {}).get(field, person.visibility)
    return narrowest(str(chosen), person.visibility)


def visible_fields(person: Person, viewer: AnyUser | None) -> set[str]:
    """The fields of ``FIELDS_WITH_VISIBILITY`` that ``viewer`` may see on ``person``."""
    if sees_everyone(viewer) or is_owner(viewer, person):
        return set(FIELDS_WITH_VISIBILITY)
    allowed = {Visibility.PUBLIC.value}
    if is_signed_in(viewer):
        allowed.add(Visibility.MEMBERS.value)
    return {field for field in FIELDS_WITH_VISIBILITY if audience_of(person, field) in allowed}


def hidden_fields(person: Person, viewer: AnyUser | None) -> set[str]:
    """The fields of ``FIELDS_WITH_VISIBILITY`` hidden from ``viewer`` on ``person``."""
    return set(FIELDS_WITH_VISIBILITY) - visible_fields(person, viewer)
