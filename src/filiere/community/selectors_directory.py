"""The directory's search and facets, for people and for organisations.

Search: the words of ``q`` over the stored texts (``search_text``), folded like them. On
PostgreSQL, full-text search with French, English and Dutch stemming (a row matches when every
word matches in one of the three languages: "animatrice" finds "animateur", "games" "game"); on
SQLite, every word must appear in the text. Results come by relevance when there is a query
(the words found in the name or headline first), by name otherwise. Visitors search
``search_text_public``, members ``search_text``: a search never reveals a field.

Facets: several values of one facet are OR'ed, facets are AND'ed; each facet's counts apply
every other facet (and the query) but not its own, so each count says what ticking that value
would add. A skill also matches its narrower skills. A facet over a field of
``FIELDS_WITH_VISIBILITY`` (skills, territory, organisations, languages, availability) filters
and counts only the people whose field the reader may see. Constant number of queries: with
words, first the ids of the rows matching them (the text is matched once; the facets and the page
then filter on those ids); one per facet (skills: two), one for the closed lists' counts and the
total, then the page.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, StrIndex

from filiere.accounts.permissions import is_signed_in

from .field_access import field_visible_q
from .folding import search_words
from .models import (
    Affiliation,
    Availability,
    Language,
    Organisation,
    OrganisationKind,
    Person,
    Profession,
    Sector,
    Skill,
    Territory,
)
from .permissions import visibility_q

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: Free-text search looks at this many words at most; the rest is ignored.
MAX_SEARCH_WORDS = 6
#: Characters of a query, at most (pages and API refuse longer ones).
MAX_QUERY_LENGTH = 100
#: PostgreSQL text search configurations: the platform's three languages.
TEXT_CONFIGS = ("french", "english", "dutch")

PEOPLE_FACETS = (
    "skill",
    "profession",
    "sector",
    "territory",
    "organisation_kind",
    "language",
    "availability",
)
ORGANISATION_FACETS = ("skill", "sector", "territory", "kind")
#: Facets over a profile field whose visibility its owner chooses.
_PERSON_FIELD = {
    "skill": "skills",
    "territory": "territory",
    "organisation_kind": "organisations",
    "language": "languages",
    "availability": "availability",
}


@dataclass(frozen=True)
class DirectorySearch:
    """A search, already validated: the query and the values chosen in each facet."""

    q: str = ""
    chosen: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def values(self, facet: str) -> tuple[str, ...]:
        return tuple(self.chosen.get(facet, ()))

    @property
    def words(self) -> list[str]:
        return search_words(self.q, MAX_SEARCH_WORDS)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    # Skills: 1 for a narrower skill, listed under its domain.
    depth: int = 0


@dataclass(frozen=True)
class Facet:
    name: str
    values: tuple[FacetValue, ...]


@dataclass
class DirectoryResults:
    """The ordered rows (ready to page, prefetched), their number, and the facets."""

    rows: QuerySet[Any]
    total: int
    facets: list[Facet]

    def facet(self, name: str) -> Facet:
        return next(facet for facet in self.facets if facet.name == name)


# --- Text -------------------------------------------------------------------------------------


def _with_text(rows: QuerySet[Any], column: str, words: list[str]) -> QuerySet[Any]:
    if not words:
        return rows
    if connection.vendor == "postgresql":
        text = " ".join(words)
        matches = []
        for config in TEXT_CONFIGS:
            alias = f"_text_{config}"
            rows = rows.alias(**{alias: SearchVector(column, config=config)})
            matches.append(Q(**{alias: SearchQuery(text, config=config)}))
        return rows.filter(reduce(or_, matches))
    for word in words:
        rows = rows.filter(**{f"{column}__contains": word})
    return rows


#: Matches read into a list at most: beyond, the text match stays a subquery (a list that long
#: would outgrow SQLite's limit on parameters).
MAX_MATCHED_IDS = 20_000


def _matched_once(rows: QuerySet[Any], column: str, words: list[str]) -> QuerySet[Any]:
    """The rows matching ``words``, the text matched once (one query) rather than in each
    facet's count and the page: the facets and the page then filter on the ids found."""
    if not words:
        return rows
    matched = _with_text(rows, column, words)
    ids = list(matched.values_list("pk", flat=True)[: MAX_MATCHED_IDS + 1])
    if len(ids) > MAX_MATCHED_IDS:
        return matched
    return rows.model._default_manager.filter(pk__in=_id_list(ids))


def _id_list(ids: list[int]) -> RawSQL:
    """The ids as one parameter: a literal list of thousands is slow to build in each query."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def _ordered(
    rows: QuerySet[Any], column: str, words: list[str], by_name: tuple[str, ...]
) -> QuerySet[Any]:
    """By relevance (how many words are in the name or headline, before the text's line
    break), then by name; by name alone without words."""
    if not words:
        return rows.order_by(*by_name)
    positions = {f"_at_{i}": StrIndex(column, Value(word)) for i, word in enumerate(words)}
    rows = rows.alias(_head_end=StrIndex(column, Value("\n")), **positions)
    rank = sum(
        (
            Case(
                When(Q(**{f"{name}__gt": 0, f"{name}__lt": F("_head_end")}), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            for name in positions
        ),
        start=Value(0),
    )
    return rows.alias(_rank=rank).order_by("-_rank", *by_name)


# --- Facets shared by people and organisations --------------------------------------------------


def _skills_with_narrower(slugs: Iterable[str]) -> QuerySet[Skill, Any]:
    """These skills and every narrower one (the vocabulary has three levels: domain, skill,
    narrower skill)."""
    slugs = list(slugs)
    return Skill.objects.filter(
        Q(slug__in=slugs) | Q(parent__slug__in=slugs) | Q(parent__parent__slug__in=slugs)
    ).values("pk")


def _skill_facet(through: QuerySet[Any], owner: str, chosen: tuple[str, ...]) -> Facet:
    """Counts of ``through`` rows (owner, skill) per skill: a skill counts the owners of it or
    of a narrower one, each once. Two queries: the counts (one union, a grouping per level of
    the vocabulary), the skills' labels. Every domain with owners (or chosen) is listed, and the
    narrower skills of the chosen ones."""
    owners = Count(owner, distinct=True)
    domain = Coalesce("skill__parent__parent_id", "skill__parent_id", "skill_id")
    middle = Case(
        When(skill__parent__parent_id__isnull=False, then=F("skill__parent_id")),
        When(skill__parent_id__isnull=False, then=F("skill_id")),
        default=None,
    )
    levels = [
        through.values(key=domain).annotate(n=owners, level=Value(0)),
        through.annotate(key=middle)
        .filter(key__isnull=False)
        .values("key")
        .annotate(n=owners, level=Value(1)),
        through.filter(skill__parent__parent_id__isnull=False)
        .values(key=F("skill_id"))
        .annotate(n=owners, level=Value(2)),
    ]
    rows = [level.values_list("key", "n", "level") for level in levels]
    counts = {(level, key): n for key, n, level in rows[0].union(*rows[1:], all=True)}
    used = Skill.objects.filter(Q(pk__in={key for _, key in counts}) | Q(slug__in=chosen))
    skills = list(used.select_related("parent__parent"))
    # Listed: the domains, and the narrower skills of a chosen skill or of a chosen one's
    # broader skills (ticking a domain unfolds it; hundreds of boxes at once would help no one).
    unfolded = set(chosen)
    for skill in skills:
        if skill.slug in chosen:
            broader = skill.parent
            while broader is not None:
                unfolded.add(broader.slug)
                broader = broader.parent
    narrower: dict[int | None, list[Skill]] = {}
    for skill in skills:
        if skill.parent is None or skill.parent.slug in unfolded:
            narrower.setdefault(skill.parent_id, []).append(skill)
    for children in narrower.values():
        children.sort(key=lambda s: (s.sort_order, s.label.casefold()))

    def depth(skill: Skill) -> int:
        if skill.parent is None:
            return 0
        return 1 if skill.parent.parent_id is None else 2

    values: list[FacetValue] = []
    listed: set[int] = set()

    def add(skill: Skill) -> None:
        if skill.pk in listed:
            return
        listed.add(skill.pk)
        level = depth(skill)
        count = counts.get((level, skill.pk), 0)
        values.append(FacetValue(skill.slug, skill.label, count, skill.slug in chosen, level))
        for child in narrower.pop(skill.pk, []):
            add(child)

    for skill in narrower.pop(None, []):
        add(skill)
    # A chosen skill whose broader one has no owners: listed on its own.
    for children in list(narrower.values()):
        for child in children:
            add(child)
    return Facet("skill", tuple(values))


def _reference_facet(
    name: str,
    rows: QuerySet[Any],
    related: str,
    matching: QuerySet[Any],
    key: str,
    chosen: tuple[str, ...],
    *,
    keep_empty: bool,
) -> Facet:
    """One query: each reference row (profession, sector, territory) with its count among
    ``matching``."""
    counted = rows.annotate(n=Count(related, filter=Q(**{f"{related}__in": matching.values("pk")})))
    values = tuple(
        FacetValue(getattr(row, key), row.label, row.n, getattr(row, key) in chosen)
        for row in counted
        if keep_empty or row.n or getattr(row, key) in chosen
    )
    return Facet(name, values)


def _choice_facet(
    name: str,
    choices: Iterable[tuple[str, Any]],
    counts: Mapping[str, int],
    chosen: tuple[str, ...],
) -> Facet:
    return Facet(
        name,
        tuple(
            FacetValue(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in choices
        ),
    )


class _Directory(ABC):
    """The search of one model: its facets' conditions and the rows matching all but one.
    Each model's directory says how a facet's values filter its rows (``condition``)."""

    facet_names: tuple[str, ...] = ()

    def __init__(self, base: QuerySet[Any], search: DirectorySearch, column: str):
        self.search = search
        self.column = column
        self.base = _matched_once(base, column, search.words)

    @abstractmethod
    def condition(self, facet: str, values: tuple[str, ...]) -> Q: ...

    def chosen_condition(self, facet: str) -> Q | None:
        values = self.search.values(facet)
        return self.condition(facet, values) if values else None

    def matching(self, *without: str) -> QuerySet[Any]:
        rows = self.base
        for facet in self.facet_names:
            condition = None if facet in without else self.chosen_condition(facet)
            if condition is not None:
                rows = rows.filter(condition)
        return rows

    def closed_counts(
        self, closed: Mapping[str, Iterable[str]]
    ) -> tuple[int, dict[str, dict[str, int]]]:
        """One query: the total, and the count of each value of the ``closed`` facets (a few
        known values each), each with the other facets applied."""
        rows = self.matching(*closed)
        chosen = {facet: self.chosen_condition(facet) for facet in closed}

        def applied(*conditions: Q | None) -> Q | None:
            present = [c for c in conditions if c is not None]
            return reduce(lambda a, b: a & b, present) if present else None

        aggregates: dict[str, Count] = {"total": Count("pk", filter=applied(*chosen.values()))}
        keys: dict[str, tuple[str, str]] = {}
        for facet, values in closed.items():
            others = [condition for name, condition in chosen.items() if name != facet]
            for value in values:
                alias = f"c{len(keys)}"
                keys[alias] = (facet, value)
                aggregates[alias] = Count(
                    "pk", filter=applied(self.condition(facet, (value,)), *others)
                )
        figures = rows.aggregate(**aggregates)
        counts: dict[str, dict[str, int]] = {facet: {} for facet in closed}
        for alias, (facet, value) in keys.items():
            counts[facet][value] = figures[alias]
        return figures["total"], counts


# --- People -------------------------------------------------------------------------------------


class _PeopleDirectory(_Directory):
    facet_names = PEOPLE_FACETS

    def __init__(self, viewer: AnyUser | None, search: DirectorySearch):
        column = "search_text" if is_signed_in(viewer) else "search_text_public"
        self.viewer = viewer
        super().__init__(Person.objects.filter(visibility_q(viewer)), search, column)

    def visible(self, facet: str) -> Q:
        return field_visible_q(self.viewer, _PERSON_FIELD[facet])

    def condition(self, facet: str, values: tuple[str, ...]) -> Q:
        person = OuterRef("pk")
        conditions: dict[str, Callable[[], Q]] = {
            "skill": lambda: Q(
                Exists(
                    Person.skills.through.objects.filter(
                        person_id=person, skill__in=_skills_with_narrower(values)
                    )
                )
            ),
            "profession": lambda: Q(
                Exists(
                    Person.professions.through.objects.filter(
                        person_id=person, profession__slug__in=values
                    )
                )
            ),
            "sector": lambda: Q(
                Exists(
                    Person.sectors.through.objects.filter(person_id=person, sector__slug__in=values)
                )
            ),
            "territory": lambda: Q(territory__code__in=values),
            "organisation_kind": lambda: Q(
                Exists(
                    Affiliation.objects.filter(
                        person_id=person, end_date__isnull=True, organisation__kind__in=values
                    )
                )
            ),
            # A JSON list of codes: '"nl"' is found in its text on SQLite and PostgreSQL alike.
            "language": lambda: reduce(
                or_, (Q(languages__icontains=f'"{code}"') for code in values)
            ),
            "availability": lambda: Q(availability__in=values),
        }
        condition = conditions[facet]()
        if facet in _PERSON_FIELD:
            condition &= self.visible(facet)
        return condition

    def facets(self) -> tuple[int, list[Facet]]:
        search = self.search
        skill_owners = self.matching("skill").filter(self.visible("skill"))
        skills = _skill_facet(
            Person.skills.through.objects.filter(person_id__in=skill_owners.values("pk")),
            "person_id",
            search.values("skill"),
        )
        professions = _reference_facet(
            "profession",
            Profession.objects.all(),
            "people",
            self.matching("profession"),
            "slug",
            search.values("profession"),
            keep_empty=False,
        )
        sectors = _reference_facet(
            "sector",
            Sector.objects.all(),
            "people",
            self.matching("sector"),
            "slug",
            search.values("sector"),
            keep_empty=True,
        )
        territories = _reference_facet(
            "territory",
            Territory.objects.all(),
            "people",
            self.matching("territory").filter(self.visible("territory")),
            "code",
            search.values("territory"),
            keep_empty=True,
        )
        closed = {
            "organisation_kind": OrganisationKind.choices,
            "language": Language.choices,
            "availability": Availability.choices,
        }
        total, counts = self.closed_counts(
            {facet: [value for value, _ in choices] for facet, choices in closed.items()}
        )
        facets = [skills, professions, sectors, territories]
        facets += [
            _choice_facet(facet, choices, counts[facet], search.values(facet))
            for facet, choices in closed.items()
        ]
        order = {name: index for index, name in enumerate(PEOPLE_FACETS)}
        return total, sorted(facets, key=lambda facet: order[facet.name])


def _current_affiliations() -> Prefetch:
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.filter(end_date__isnull=True).select_related("organisation"),
        to_attr="current_affiliations",
    )


def search_people(viewer: AnyUser | None, search: DirectorySearch) -> DirectoryResults:
    """The directory of people: the profiles ``viewer`` may see that match ``search``, with
    the facets (``viewer``'s view: a hidden field neither filters nor counts)."""
    directory = _PeopleDirectory(viewer, search)
    total, facets = directory.facets()
    rows = _ordered(
        directory.matching(), directory.column, search.words, ("last_name", "first_name", "id")
    ).select_related("territory")
    rows = rows.prefetch_related("professions", "sectors", "skills", _current_affiliations())
    return DirectoryResults(rows=rows, total=total, facets=facets)


# --- Organisations ----------------------------------------------------------------------------


class _OrganisationDirectory(_Directory):
    facet_names = ORGANISATION_FACETS

    def __init__(self, search: DirectorySearch):
        super().__init__(Organisation.objects.all(), search, "search_text")

    def condition(self, facet: str, values: tuple[str, ...]) -> Q:
        organisation = OuterRef("pk")
        if facet == "skill":
            return Q(
                Exists(
                    Organisation.skills.through.objects.filter(
                        organisation_id=organisation, skill__in=_skills_with_narrower(values)
                    )
                )
            )
        if facet == "sector":
            return Q(
                Exists(
                    Organisation.sectors.through.objects.filter(
                        organisation_id=organisation, sector__slug__in=values
                    )
                )
            )
        if facet == "territory":
            return Q(territory__code__in=values)
        return Q(kind__in=values)

    def facets(self) -> tuple[int, list[Facet]]:
        search = self.search
        skills = _skill_facet(
            Organisation.skills.through.objects.filter(
                organisation_id__in=self.matching("skill").values("pk")
            ),
            "organisation_id",
            search.values("skill"),
        )
        sectors = _reference_facet(
            "sector",
            Sector.objects.all(),
            "organisations",
            self.matching("sector"),
            "slug",
            search.values("sector"),
            keep_empty=True,
        )
        territories = _reference_facet(
            "territory",
            Territory.objects.all(),
            "organisations",
            self.matching("territory"),
            "code",
            search.values("territory"),
            keep_empty=True,
        )
        total, counts = self.closed_counts({"kind": OrganisationKind.values})
        kinds = _choice_facet(
            "kind", OrganisationKind.choices, counts["kind"], search.values("kind")
        )
        return total, [skills, sectors, territories, kinds]


def search_organisations(search: DirectorySearch) -> DirectoryResults:
    """The organisations (all public) matching ``search``, with the facets."""
    directory = _OrganisationDirectory(search)
    total, facets = directory.facets()
    rows = _ordered(directory.matching(), directory.column, search.words, ("name", "id"))
    rows = rows.select_related("territory", "seat_commune").prefetch_related("sectors", "skills")
    return DirectoryResults(rows=rows, total=total, facets=facets)


def known_values(facet: str, values: Iterable[str]) -> set[str]:
    """Which of ``values`` name something in ``facet`` (one query for a reference table)."""
    values = list(values)
    tables: dict[str, tuple[type[Model], str]] = {
        "skill": (Skill, "slug"),
        "profession": (Profession, "slug"),
        "sector": (Sector, "slug"),
        "territory": (Territory, "code"),
    }
    if facet in tables:
        model, key = tables[facet]
        return set(
            model._default_manager.filter(**{f"{key}__in": values}).values_list(key, flat=True)
        )
    closed = {
        "organisation_kind": OrganisationKind.values,
        "kind": OrganisationKind.values,
        "language": Language.values,
        "availability": Availability.values,
    }
    return set(values) & set(closed[facet])
