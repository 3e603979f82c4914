"""Who may see and change what in the community. Views and the API name the rule they apply.

- Organisations are public: everyone, signed in or not, may see them.
- A person's profile is seen according to its ``visibility``: ``public`` by everyone,
  ``members`` by every signed-in account (accounts sign in only with a verified e-mail),
  ``private`` by its owner and the staff only. A profile whose owner has not given consent
  to appear in the directory is seen by its owner and the staff only, whatever its visibility.
- A profile is edited by its owner or by the staff.
- Any member may register an organisation (becoming its manager) or ask to join one; an
  organisation's manager (a current affiliation with ``is_manager``) or the staff confirm or
  refuse who else declares working there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from filiere.accounts.permissions import is_signed_in, is_staff

from .models import Affiliation, Organisation, Person, Visibility

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def sees_everyone(viewer: AnyUser | None) -> bool:
    return is_staff(viewer)


def visibility_q(viewer: AnyUser | None, prefix: str = "") -> Q:
    """The condition on Person rows (reached through ``prefix``) that ``viewer`` may see."""
    if sees_everyone(viewer):
        return Q()
    consented = Q(**{f"{prefix}consent_at__isnull": False})
    if is_signed_in(viewer):
        shared = Q(**{f"{prefix}visibility__in": [Visibility.PUBLIC, Visibility.MEMBERS]})
        return (shared & consented) | Q(**{f"{prefix}user_id": viewer.pk})
    return Q(**{f"{prefix}visibility": Visibility.PUBLIC}) & consented


def is_owner(viewer: AnyUser | None, person: Person) -> bool:
    return is_signed_in(viewer) and person.user_id is not None and person.user_id == viewer.pk


def can_view_person(viewer: AnyUser | None, person: Person) -> bool:
    if sees_everyone(viewer) or is_owner(viewer, person):
        return True
    if person.consent_at is None:
        return False
    if person.visibility == Visibility.PUBLIC:
        return True
    return person.visibility == Visibility.MEMBERS and is_signed_in(viewer)


def can_edit_person(viewer: AnyUser | None, person: Person) -> bool:
    return is_owner(viewer, person) or sees_everyone(viewer)


def can_view_organisation(viewer: AnyUser | None, organisation: Organisation) -> bool:
    return True


def can_manage_organisation(viewer: AnyUser | None, organisation: Organisation) -> bool:
    """The staff, or a current manager of ``organisation``."""
    if sees_everyone(viewer):
        return True
    return (
        is_signed_in(viewer)
        and Affiliation.objects.filter(
            organisation=organisation,
            person__user_id=viewer.pk,
            end_date__isnull=True,
            is_manager=True,
        ).exists()
    )
