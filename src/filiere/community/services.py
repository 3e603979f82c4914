"""Writes of the community. Each service checks its permission, owns its transaction and
records an audit entry."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from filiere.accounts.models import User
from filiere.audit.services import record

from .models import Person, Profession, Sector, Skill, Territory, Visibility
from .permissions import can_edit_person


class PermissionDenied(Exception):
    """The acting user may not do this."""


MAX_SKILLS = 20


def unique_slug(model, base: str, *, max_length: int = 80, exclude_pk: int | None = None) -> str:
    """``base`` slugified, with ``-2``, ``-3``... appended until no row of ``model`` uses it."""
    stem = (slugify(base) or "item")[: max_length - 6].strip("-") or "item"
    taken = set(
        model.objects.filter(slug__startswith=stem)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    candidate, counter = stem, 1
    while candidate in taken:
        counter += 1
        candidate = f"{stem}-{counter}"
    return candidate


def skills_from_names(names: Iterable[str]) -> list[Skill]:
    """The Skill rows for these free tags, created when new (matched on their slug)."""
    wanted: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:60]
        slug = slugify(name)[:60]
        if slug and slug not in wanted:
            wanted[slug] = name
    existing = {skill.slug: skill for skill in Skill.objects.filter(slug__in=wanted)}
    missing = [Skill(slug=slug, name=name) for slug, name in wanted.items() if slug not in existing]
    if missing:
        Skill.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {skill.slug: skill for skill in Skill.objects.filter(slug__in=wanted)}
    return [existing[slug] for slug in wanted if slug in existing]


@transaction.atomic
def create_profile(*, user: User, by: User | None = None) -> Person:
    """The profile of ``user``, created from the account's names when there is none yet.

    New profiles are visible to members only, and appear nowhere until consent is given.
    """
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    first = user.first_name or user.email.split("@")[0]
    person = Person.objects.create(
        user=user,
        slug=unique_slug(Person, f"{first} {user.last_name}"),
        first_name=first[:80],
        last_name=user.last_name[:80],
        visibility=Visibility.MEMBERS,
    )
    record(actor=by or user, action="person.created", obj=person)
    return person


@dataclass(frozen=True)
class ProfileChanges:
    """What a profile form gives a service: plain values, already validated."""

    first_name: str
    last_name: str
    headline: str
    bio: str
    territory: Territory | None
    visibility: str
    languages: list[str]
    professions: list[Profession]
    sectors: list[Sector]
    skill_names: list[str]
    consent: bool


@transaction.atomic
def update_profile(*, person: Person, by: User, changes: ProfileChanges) -> Person:
    """Apply a profile edit by its owner (or the staff) and record which fields changed."""
    if not can_edit_person(by, person):
        raise PermissionDenied("Only the owner or the staff may edit this profile.")
    changed: list[str] = []
    simple = {
        "first_name": changes.first_name,
        "last_name": changes.last_name,
        "headline": changes.headline,
        "bio": changes.bio,
        "territory_id": changes.territory.pk if changes.territory else None,
        "visibility": changes.visibility,
        "languages": list(changes.languages),
    }
    for field, value in simple.items():
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field.removesuffix("_id"))
    if changes.consent and person.consent_at is None:
        person.consent_at = timezone.now()
        changed.append("consent_at")
    elif not changes.consent and person.consent_at is not None:
        person.consent_at = None
        changed.append("consent_at")
    if changed:
        person.save()

    skills = skills_from_names(changes.skill_names[:MAX_SKILLS])
    for name, new in (
        ("professions", changes.professions),
        ("sectors", changes.sectors),
        ("skills", skills),
    ):
        manager = getattr(person, name)
        if {obj.pk for obj in manager.all()} != {obj.pk for obj in new}:
            manager.set(new)
            changed.append(name)

    if changed:
        record(actor=by, action="person.updated", obj=person, data={"fields": sorted(changed)})
    return person


@transaction.atomic
def save_own_profile(*, user: User, changes: ProfileChanges) -> Person:
    """The "my profile" page: create the signed-in user's profile if needed, then update it."""
    person = Person.objects.filter(user=user).first() or create_profile(user=user)
    return update_profile(person=person, by=user, changes=changes)
