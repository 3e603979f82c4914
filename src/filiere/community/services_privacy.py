"""Writes of a member's own profile that are about privacy and presentation: who sees each field
(``Person.field_visibility``), availability, and the works they list. Each one is audited."""

from dataclasses import dataclass

from django.db import transaction

from filiere import errors
from filiere.accounts.models import User
from filiere.audit.services import record

from .models import Availability, Person, Visibility, Work
from .models.people import FIELDS_WITH_VISIBILITY
from .permissions import can_edit_person
from .services import PermissionDenied, ProfileChanges, save_own_profile
from .visibility import WIDTH

#: A member lists at most this many works on their profile.
MAX_WORKS = 30


class WorkRefused(errors.Invalid):
    """A work cannot be added (``community.too_many_works``)."""


@dataclass(frozen=True)
class PrivacyChanges:
    """Per-field audiences (absent: like the profile) and availability, already validated."""

    availability: str
    field_visibility: dict[str, str]


@dataclass(frozen=True)
class WorkData:
    title: str
    year: int | None
    role: str
    description: str
    url: str


def _clean_audiences(person: Person, wanted: dict[str, str]) -> dict[str, str]:
    """Known fields and audiences only, never wider than the profile (the form says why)."""
    profile = WIDTH[Visibility(person.visibility)]
    return {
        field: audience
        for field, audience in wanted.items()
        if field in FIELDS_WITH_VISIBILITY
        and audience in Visibility.values
        and WIDTH[Visibility(audience)] <= profile
    }


@transaction.atomic
def update_profile_privacy(*, person: Person, by: User, changes: PrivacyChanges) -> Person:
    """Who sees each field of ``person`` and their availability, by the owner or the staff."""
    if not can_edit_person(by, person):
        raise PermissionDenied("community.not_profile_editor")
    audiences = _clean_audiences(person, changes.field_visibility)
    availability = changes.availability if changes.availability in Availability.values else ""
    changed = []
    if person.field_visibility != audiences:
        person.field_visibility = audiences
        changed.append("field_visibility")
    if person.availability != availability:
        person.availability = availability
        changed.append("availability")
    if changed:
        person.save(update_fields=[*changed, "updated_at"])
        record(
            actor=by,
            action="person.privacy_updated",
            obj=person,
            data={"fields": changed, "field_visibility": audiences, "availability": availability},
        )
    return person


@transaction.atomic
def save_own_profile_with_privacy(
    *, user: User, changes: ProfileChanges, privacy: PrivacyChanges
) -> Person:
    """The "my profile" page: the profile (created if needed), then who sees each field."""
    person = save_own_profile(user=user, changes=changes)
    return update_profile_privacy(person=person, by=user, changes=privacy)


def _work_fields(data: WorkData) -> dict[str, object]:
    return {
        "title": data.title.strip()[:200],
        "year": data.year,
        "role": data.role.strip()[:120],
        "description": data.description.strip()[:2000],
        "url": data.url.strip()[:300],
    }


@transaction.atomic
def add_work(*, person: Person, by: User, data: WorkData) -> Work:
    if not can_edit_person(by, person):
        raise PermissionDenied("community.not_profile_editor")
    # Locks the profile: two tabs adding at once cannot pass the limit together.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    count = person.works.count()
    if count >= MAX_WORKS:
        raise WorkRefused("community.too_many_works", {"limit": MAX_WORKS})
    work = Work.objects.create(person=person, position=count, **_work_fields(data))
    record(actor=by, action="person.work_added", obj=person, data={"work": work.pk})
    return work


@transaction.atomic
def update_work(*, work: Work, by: User, data: WorkData) -> Work:
    if not can_edit_person(by, work.person):
        raise PermissionDenied("community.not_profile_editor")
    for name, value in _work_fields(data).items():
        setattr(work, name, value)
    work.save()
    record(actor=by, action="person.work_updated", obj=work.person, data={"work": work.pk})
    return work


@transaction.atomic
def delete_work(*, work: Work, by: User) -> None:
    person = work.person
    if not can_edit_person(by, person):
        raise PermissionDenied("community.not_profile_editor")
    pk = work.pk
    work.delete()
    record(actor=by, action="person.work_deleted", obj=person, data={"work": pk})
