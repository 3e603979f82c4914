"""Reads of the skills vocabulary: the staff's tree with how many people and organisations use
each entry, and the public list the API serves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from .models import Organisation, Person, Skill, SkillStatus
from .skills_data import match_key


def _uses(through: type[Model], column: str = "skill_id") -> Coalesce:
    """How many rows of the M2M table ``through`` point at the outer Skill (0 when none)."""
    counted = (
        through._default_manager.filter(**{column: OuterRef("pk")})
        .order_by()
        .values(column)
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def skills_with_counts() -> QuerySet[Skill]:
    """Every entry with ``people_count`` and ``organisation_count`` (one query)."""
    return (
        Skill.objects.select_related("parent", "proposed_by")
        .annotate(
            people_count=_uses(Person.skills.through),
            organisation_count=_uses(Organisation.skills.through),
        )
        .order_by("sort_order", "name")
    )


@dataclass
class TreeRow:
    skill: Skill
    depth: int


@dataclass
class Domain:
    """A domain (an entry without a broader one) and its narrower entries, depth first."""

    skill: Skill
    rows: list[TreeRow] = field(default_factory=list)


def vocabulary_tree(skills: Iterable[Skill]) -> list[Domain]:
    """The curated entries as domains, each with its entries depth first, in their order."""
    curated = [skill for skill in skills if skill.status == SkillStatus.CURATED]
    children: dict[int | None, list[Skill]] = {}
    for skill in curated:
        children.setdefault(skill.parent_id, []).append(skill)

    def walk(parent: Skill, depth: int, rows: list[TreeRow]) -> None:
        for child in children.get(parent.pk, []):
            rows.append(TreeRow(child, depth))
            walk(child, depth + 1, rows)

    domains = []
    for root in children.get(None, []):
        domain = Domain(root)
        walk(root, 1, domain.rows)
        domains.append(domain)
    return domains


def proposed_skills(skills: Iterable[Skill]) -> list[Skill]:
    return [skill for skill in skills if skill.status == SkillStatus.PROPOSED]


def get_skill(slug: str) -> Skill:
    return get_object_or_404(Skill.objects.select_related("parent", "proposed_by"), slug=slug)


def descendant_ids(skill: Skill) -> set[int]:
    """The entries under ``skill``, at any depth (one query)."""
    return descendant_ids_in(list(Skill.objects.only("pk", "parent_id")), skill)


def curated_skills() -> QuerySet[Skill]:
    return Skill.objects.filter(status=SkillStatus.CURATED).order_by("name")


def broader_choices(skill: Skill | None) -> QuerySet[Skill]:
    """The curated entries ``skill`` may be placed under: not itself nor one of its own."""
    choices = curated_skills()
    if skill is not None and skill.pk:
        choices = choices.exclude(pk__in={skill.pk, *descendant_ids(skill)})
    return choices


@dataclass(frozen=True)
class SkillFilters:
    q: str = ""
    parent: str = ""  # direct children of this entry
    domain: str = ""  # every entry under this one, at any depth
    status: str = ""  # the staff only: "proposed" or "curated"


def search_skills(filters: SkillFilters, *, staff: bool) -> list[Skill]:
    """The entries matching ``filters`` (curated ones only unless ``staff``), in the order of
    the tree: one query, filtered here since synonyms are words in any language, matched
    without case or accents like typed tags."""
    rows = tree_order(Skill.objects.select_related("parent").order_by("sort_order", "name"))
    by_slug = {skill.slug: skill for skill in rows}
    wanted_status = filters.status if staff else SkillStatus.CURATED
    if filters.status and filters.status != wanted_status:
        return []  # proposed entries are the staff's to see
    words = match_key(filters.q).split()
    domain = by_slug.get(filters.domain)
    under_domain = descendant_ids_in(rows, domain) if domain is not None else set()
    found = []
    for skill in rows:
        if wanted_status and skill.status != wanted_status:
            continue
        if filters.parent and (skill.parent is None or skill.parent.slug != filters.parent):
            continue
        if filters.domain and skill.pk not in under_domain:
            continue
        if words and not all(word in _search_text(skill) for word in words):
            continue
        found.append(skill)
    return found


def tree_order(skills: Iterable[Skill]) -> list[Skill]:
    """``skills`` depth first: each domain, then its entries, each followed by its own (keeping
    the given order among siblings); proposed entries, outside the tree, come last."""
    rows = list(skills)
    children: dict[int | None, list[Skill]] = {}
    for skill in rows:
        children.setdefault(skill.parent_id, []).append(skill)
    ordered: list[Skill] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        skill = todo.pop()
        ordered.append(skill)
        todo.extend(reversed(children.get(skill.pk, [])))
    placed = {skill.pk for skill in ordered}
    return ordered + [skill for skill in rows if skill.pk not in placed]


def descendant_ids_in(rows: list[Skill], root: Skill) -> set[int]:
    children: dict[int | None, list[int]] = {}
    for skill in rows:
        children.setdefault(skill.parent_id, []).append(skill.pk)
    found: set[int] = set()
    todo = list(children.get(root.pk, []))
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def _search_text(skill: Skill) -> str:
    texts = (skill.slug, skill.name, skill.label_en, skill.label_nl, *(skill.synonyms or []))
    return " ".join(match_key(text) for text in texts if isinstance(text, str))


def organisation_with_skills(slug: str) -> Organisation:
    """The organisation (public) with its skills, or 404."""
    return get_object_or_404(Organisation.objects.prefetch_related("skills"), slug=slug)
