"""Writes of the skills vocabulary: the staff edit, accept and merge entries; an organisation's
manager says what it does. Each checks its permission and records an audit entry."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from filiere import errors
from filiere.accounts.models import User
from filiere.accounts.permissions import is_staff
from filiere.audit.services import record

from .models import Organisation, Skill, SkillStatus
from .permissions import can_manage_organisation
from .selectors_skills import descendant_ids
from .services import MAX_SKILLS, PermissionDenied, skills_from_names
from .skills_data import ROME_CODE, match_key, merge_into


class SkillError(errors.Invalid):
    """The entry cannot be saved or merged so; ``code`` (``community.skill_*``) says why."""

    def __init__(self, code: str, field: str = ""):
        super().__init__(code, field=field)


@dataclass(frozen=True)
class SkillChanges:
    """What the staff's form gives: plain values, already validated."""

    slug: str
    name: str
    label_en: str
    label_nl: str
    parent: Skill | None
    synonyms: list[str]
    rome_codes: list[str]
    sort_order: int


def _require_staff(by: User) -> None:
    if not is_staff(by):
        raise PermissionDenied("community.staff_only")


def _check_parent(skill: Skill | None, parent: Skill | None) -> None:
    if parent is None or skill is None or skill.pk is None:
        return
    if parent.pk == skill.pk or parent.pk in descendant_ids(skill):
        raise SkillError("community.skill_cycle", "parent")


def _apply(skill: Skill, changes: SkillChanges) -> list[str]:
    values = {
        "slug": changes.slug,
        "name": changes.name.strip(),
        "label_en": changes.label_en.strip(),
        "label_nl": changes.label_nl.strip(),
        "parent_id": changes.parent.pk if changes.parent else None,
        "synonyms": _unique_synonyms(changes.synonyms),
        "rome_codes": ",".join(code for code in changes.rome_codes if ROME_CODE.fullmatch(code)),
        "sort_order": changes.sort_order,
    }
    changed = []
    for name, value in values.items():
        if getattr(skill, name) != value:
            setattr(skill, name, value)
            changed.append(name.removesuffix("_id"))
    return changed


def _unique_synonyms(synonyms: list[str]) -> list[str]:
    kept: dict[str, str] = {}
    for text in synonyms:
        text = " ".join(text.split())
        if match_key(text):
            kept.setdefault(match_key(text), text)
    return list(kept.values())


def _check_slug(skill: Skill | None, slug: str) -> None:
    others = Skill.objects.filter(slug=slug)
    if skill is not None and skill.pk is not None:
        others = others.exclude(pk=skill.pk)
    if others.exists():
        raise SkillError("community.skill_slug_taken", "slug")


@transaction.atomic
def create_skill(*, by: User, changes: SkillChanges) -> Skill:
    """A new curated entry of the vocabulary."""
    _require_staff(by)
    _check_slug(None, changes.slug)
    skill = Skill(status=SkillStatus.CURATED)
    _apply(skill, changes)
    skill.save()
    record(actor=by, action="community.skill.create", obj=skill, data={"slug": skill.slug})
    return skill


@transaction.atomic
def update_skill(*, by: User, skill: Skill, changes: SkillChanges, accept: bool = False) -> Skill:
    """Edit an entry; with ``accept``, a proposed entry joins the vocabulary (curated)."""
    _require_staff(by)
    skill = Skill.objects.select_for_update().get(pk=skill.pk)
    _check_slug(skill, changes.slug)
    _check_parent(skill, changes.parent)
    changed = _apply(skill, changes)
    accepted = accept and skill.status == SkillStatus.PROPOSED
    if accepted:
        skill.status = SkillStatus.CURATED
        changed.append("status")
    if changed:
        skill.save()
        record(
            actor=by,
            action="community.skill.accept" if accepted else "community.skill.update",
            obj=skill,
            data={"fields": sorted(changed)},
        )
    return skill


@transaction.atomic
def merge_skill(*, by: User, duplicate: Skill, into: Skill) -> Skill:
    """Merge ``duplicate`` into ``into``: every person, organisation, expert profile, genre
    and any other row linked to it is linked to ``into`` instead (once), its names become
    synonyms of ``into``, its narrower entries move under ``into``, and it is deleted."""
    _require_staff(by)
    locked = {
        skill.pk: skill
        for skill in Skill.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])
    }
    if duplicate.pk == into.pk:
        raise SkillError("community.skill_merge_self", "into")
    source, target = locked[duplicate.pk], locked[into.pk]
    if target.pk in descendant_ids(source):
        raise SkillError("community.skill_merge_under", "into")
    names = [source.name, source.label_en, source.label_nl, *source.synonyms]
    slug = source.slug
    moved = merge_into(Skill, source, target)
    record(
        actor=by,
        action="community.skill.merge",
        obj=target,
        data={"merged": slug, "names": [name for name in names if name], "moved": moved},
    )
    return target


@transaction.atomic
def set_organisation_skills(
    *, by: User, organisation: Organisation, names: list[str]
) -> list[Skill]:
    """What the organisation does, as typed tags matched against the vocabulary (unknown ones
    are proposed): its manager or the staff say it."""
    if not can_manage_organisation(by, organisation):
        raise PermissionDenied("community.not_manager")
    skills = skills_from_names(names[:MAX_SKILLS], by=by)
    before = {skill.pk for skill in organisation.skills.all()}
    if before != {skill.pk for skill in skills}:
        organisation.skills.set(skills)
        record(
            actor=by,
            action="community.organisation.skills",
            obj=organisation,
            data={"skills": [skill.slug for skill in skills]},
        )
    return skills
