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
and counts only the people whose field the reader may see (``visibility.visible_fields``).

Constant number of queries, whatever the number of rows: the rows the reader may find (those
they may see, matching the words) are read once with their own facet values, then their
(row, value) pairs of every related facet in one query (a union); the facets' reference rows
(skills vocabulary, professions, sectors, territories) are read whole. Filtering and counting
then run in Python over those few thousand pairs, and the page reads its rows by id.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import reduce
from itertools import chain
from operator import and_, or_
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    Model,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, StrIndex

from filiere.accounts.permissions import is_signed_in

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
from .visibility import visible_fields

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


def _text_matches(model: type[Model], column: str, words: list[str]) -> Q:
    """The condition on ``model`` rows whose ``column`` matches every word."""
    if not words:
        return Q()
    if connection.vendor != "postgresql":
        return reduce(and_, (Q(**{f"{column}__contains": word}) for word in words))
    # Matched over the whole table, in a subquery of its own: there the GIN indexes (migration
    # 0007, the same expressions) serve each configuration, OR'ed as a bitmap. Filtered with
    # the visibility in one scan, the planner would run to_tsvector on every visible row.
    text = " ".join(words)
    matching = model._default_manager.all()
    conditions = []
    for config in TEXT_CONFIGS:
        alias = f"_text_{config}"
        matching = matching.alias(**{alias: SearchVector(column, config=config)})
        conditions.append(Q(**{alias: SearchQuery(text, config=config)}))
    return Q(pk__in=matching.filter(reduce(or_, conditions)).values("pk"))


def _id_list(ids: Sequence[int]) -> RawSQL:
    """The ids as one parameter: a literal list of thousands is slow to build, and would
    outgrow SQLite's limit on parameters."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


def _page_rows(found: QuerySet[Any], ids: list[int], matched: list[int]) -> QuerySet[Any]:
    """The rows to page: those ``found`` when no facet left any out (their query again, which
    an index on the names may serve), else the ``matched`` ids (one parameter)."""
    if len(matched) < len(ids):
        found = found.model._default_manager.filter(pk__in=_id_list(matched))
    return found


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


# --- Counting -----------------------------------------------------------------------------------

#: A row's values in each facet: facet → row id → values (a row without values is absent).
FacetValues = dict[str, Mapping[int, Collection[Hashable]]]


def _tally(
    ids: Iterable[int], values: FacetValues, wanted: Mapping[str, set[Hashable]]
) -> tuple[list[int], dict[str, Counter[Hashable]]]:
    """The ids having a ``wanted`` value in every facet of ``wanted`` (an empty set: none), and,
    per facet, how many of the ids having one in every *other* facet have each value (a row
    counts once per value)."""
    active = [(values[facet], chosen, facet) for facet, chosen in wanted.items()]
    found: list[int] = []
    # The rows missing one facet only: they count in that facet.
    almost: dict[str, list[int]] = {facet: [] for facet in wanted}
    for pk in ids:
        missed = None
        for by_row, chosen, facet in active:
            if chosen.isdisjoint(by_row.get(pk, ())):
                if missed is not None:
                    break
                missed = facet
        else:
            if missed is None:
                found.append(pk)
            else:
                almost[missed].append(pk)
    counts = {}
    for facet, by_row in values.items():
        counted = found + almost[facet] if facet in almost else found
        counts[facet] = Counter(chain.from_iterable(by_row[pk] for pk in counted if pk in by_row))
    return found, counts


# --- Facets shared by people and organisations --------------------------------------------------


class _Vocabulary:
    """The skills vocabulary, read whole (a few hundred entries) in one query: a skill's
    broader ones, and the skills a chosen one stands for."""

    def __init__(self) -> None:
        skills = Skill.objects.only(
            "slug", "name", "label_en", "label_nl", "parent_id", "sort_order"
        ).order_by()
        self.by_pk = {skill.pk: skill for skill in skills}
        self.by_slug = {skill.slug: skill for skill in self.by_pk.values()}
        self.chains = {pk: self._chain(pk) for pk in self.by_pk}

    def _chain(self, pk: int) -> tuple[int, ...]:
        chain = [pk]
        parent = self.by_pk[pk].parent_id
        while parent is not None and parent in self.by_pk and len(chain) < 3:
            chain.append(parent)
            parent = self.by_pk[parent].parent_id
        return tuple(chain)

    def broader(self, pk: int) -> tuple[int, ...]:
        """The skill and its broader ones, up to the domain (three levels: domain, skill,
        narrower skill)."""
        return self.chains.get(pk) or (pk,)

    def depth(self, skill: Skill) -> int:
        return len(self.broader(skill.pk)) - 1

    def chosen(self, slugs: Iterable[str]) -> set[Hashable]:
        return {self.by_slug[slug].pk for slug in slugs if slug in self.by_slug}

    def facet(self, counts: Mapping[Hashable, int], chosen: tuple[str, ...]) -> Facet:
        """A skill counts the rows described by it or by a narrower one (each once). Listed:
        every domain with rows (or chosen), and the narrower skills of a chosen skill or of a
        chosen one's broader skills (ticking a domain unfolds it; hundreds of boxes at once
        would help no one)."""
        used = [
            skill for skill in self.by_pk.values() if counts.get(skill.pk) or skill.slug in chosen
        ]
        unfolded = set(chosen)
        for slug in chosen:
            if slug in self.by_slug:
                unfolded.update(self.by_pk[pk].slug for pk in self.broader(self.by_slug[slug].pk))
        narrower: dict[int | None, list[Skill]] = {}
        for skill in used:
            parent = self.by_pk.get(skill.parent_id) if skill.parent_id else None
            if parent is None or parent.slug in unfolded:
                narrower.setdefault(skill.parent_id, []).append(skill)
        for children in narrower.values():
            children.sort(key=lambda s: (s.sort_order, s.label.casefold()))

        values: list[FacetValue] = []
        listed: set[int] = set()

        def add(skill: Skill) -> None:
            if skill.pk in listed:
                return
            listed.add(skill.pk)
            count = counts.get(skill.pk, 0)
            values.append(
                FacetValue(skill.slug, skill.label, count, skill.slug in chosen, self.depth(skill))
            )
            for child in narrower.pop(skill.pk, []):
                add(child)

        for skill in narrower.pop(None, []):
            add(skill)
        # A chosen skill whose broader one has no rows: listed on its own.
        for children in list(narrower.values()):
            for child in children:
                add(child)
        return Facet("skill", tuple(values))


class _Reference:
    """A reference table (professions, sectors, territories) read whole, keyed by ``key``."""

    def __init__(self, model: type[Profession] | type[Sector] | type[Territory], key: str):
        self.rows = list(model._default_manager.all())
        self.key = key

    def chosen(self, values: Iterable[str]) -> set[Hashable]:
        values = set(values)
        return {row.pk for row in self.rows if getattr(row, self.key) in values}

    def facet(
        self,
        name: str,
        counts: Mapping[Hashable, int],
        chosen: tuple[str, ...],
        *,
        keep_empty: bool,
    ) -> Facet:
        values = []
        for row in self.rows:
            value, count = getattr(row, self.key), counts.get(row.pk, 0)
            if keep_empty or count or value in chosen:
                values.append(FacetValue(value, row.label, count, value in chosen))
        return Facet(name, tuple(values))


def _choice_facet(
    name: str,
    choices: Iterable[tuple[str, Any]],
    counts: Mapping[Hashable, int],
    chosen: tuple[str, ...],
) -> Facet:
    return Facet(
        name,
        tuple(
            FacetValue(value, str(label), counts.get(value, 0), value in chosen)
            for value, label in choices
        ),
    )


def _pairs(*parts: QuerySet[Any]) -> QuerySet[Any]:
    """One query: the (row, facet, number, text) pairs of each part (``values_list`` of four
    columns each)."""
    first, *rest = (part.order_by() for part in parts)
    return first.union(*rest, all=True) if rest else first


# --- People -------------------------------------------------------------------------------------


def _people_values(
    viewer: AnyUser | None, found: QuerySet[Person], vocabulary: _Vocabulary
) -> tuple[list[int], FacetValues]:
    """The people of ``found`` and their values in each facet, only where ``viewer`` may see
    the field: two queries (the people, then their skills, professions, sectors and current
    organisations' kinds)."""
    viewer_pk = viewer.pk if is_signed_in(viewer) else None
    # Few distinct (visibility, choices, the viewer's own profile or not), and few distinct
    # lists of languages: each is read once (the JSON columns come as text).
    shown_by_choice: dict[tuple[str, str, bool], frozenset[str]] = {}
    languages_by_text: dict[str, frozenset[str]] = {}
    shown: dict[int, frozenset[str]] = {}
    territories: dict[int, Collection[Hashable]] = {}
    availabilities: dict[int, Collection[Hashable]] = {}
    languages: dict[int, Collection[Hashable]] = {}
    rows = found.values_list(
        "pk",
        "territory_id",
        "availability",
        Cast("languages", TextField()),
        Cast("field_visibility", TextField()),
        "user_id",
        "visibility",
    ).order_by()
    for pk, territory, availability, spoken, choices, user_id, visibility in rows:
        key = (visibility, choices or "", user_id == viewer_pk)
        fields = shown_by_choice.get(key)
        if fields is None:
            # The rule of visibility.visible_fields, on a profile standing for this key.
            person = Person(
                visibility=visibility,
                field_visibility=(json.loads(choices) if choices else None) or {},
                user_id=user_id,
            )
            fields = shown_by_choice[key] = frozenset(visible_fields(person, viewer))
        shown[pk] = fields
        if territory is not None and "territory" in fields:
            territories[pk] = (territory,)
        if availability and "availability" in fields:
            availabilities[pk] = (availability,)
        if spoken and "languages" in fields:
            codes = languages_by_text.get(spoken)
            if codes is None:
                codes = languages_by_text[spoken] = frozenset(
                    str(code).lower() for code in json.loads(spoken) or ()
                )
            if codes:
                languages[pk] = codes
    skills: dict[int, set[Hashable]] = {}
    professions: dict[int, list[Hashable]] = {}
    sectors: dict[int, list[Hashable]] = {}
    kinds: dict[int, set[Hashable]] = {}
    if shown:
        people = _id_list(list(shown))
        # One-letter markers and untyped NULLs: no conversion per row (thousands of rows).
        none = Value(None, output_field=TextField())
        pairs = _pairs(
            Person.skills.through.objects.filter(person_id__in=people).values_list(
                "person_id", Value("s"), "skill_id", none
            ),
            Person.professions.through.objects.filter(person_id__in=people).values_list(
                "person_id", Value("p"), "profession_id", none
            ),
            Person.sectors.through.objects.filter(person_id__in=people).values_list(
                "person_id", Value("c"), "sector_id", none
            ),
            Affiliation.objects.filter(person_id__in=people, end_date__isnull=True).values_list(
                "person_id", Value("k"), none, "organisation__kind"
            ),
        )
        sees_skills = {pk for pk, fields in shown.items() if "skills" in fields}
        sees_organisations = {pk for pk, fields in shown.items() if "organisations" in fields}
        broader = vocabulary.broader
        # The hottest loop of a search (thousands of pairs): plain branches on the marker.
        for pk, part, number, kind in pairs:
            if part == "s":
                if pk in sees_skills:
                    owned = skills.get(pk)
                    if owned is None:
                        skills[pk] = set(broader(number))
                    else:
                        owned.update(broader(number))
            elif part == "p":
                professions.setdefault(pk, []).append(number)
            elif part == "c":
                sectors.setdefault(pk, []).append(number)
            elif pk in sees_organisations:
                kinds.setdefault(pk, set()).add(kind)
    values: FacetValues = {
        "skill": skills,
        "profession": professions,
        "sector": sectors,
        "territory": territories,
        "organisation_kind": kinds,
        "language": languages,
        "availability": availabilities,
    }
    return list(shown), values


def _current_affiliations() -> Prefetch:
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.filter(end_date__isnull=True).select_related("organisation"),
        to_attr="current_affiliations",
    )


def search_people(viewer: AnyUser | None, search: DirectorySearch) -> DirectoryResults:
    """The directory of people: the profiles ``viewer`` may see that match ``search``, with
    the facets (``viewer``'s view: a hidden field neither filters nor counts)."""
    column = "search_text" if is_signed_in(viewer) else "search_text_public"
    vocabulary = _Vocabulary()
    professions = _Reference(Profession, "slug")
    sectors = _Reference(Sector, "slug")
    territories = _Reference(Territory, "code")
    found = Person.objects.filter(visibility_q(viewer), _text_matches(Person, column, search.words))
    ids, values = _people_values(viewer, found, vocabulary)
    chosen = search.values
    wanted: dict[str, set[Hashable]] = {
        "skill": vocabulary.chosen(chosen("skill")),
        "profession": professions.chosen(chosen("profession")),
        "sector": sectors.chosen(chosen("sector")),
        "territory": territories.chosen(chosen("territory")),
        **{
            facet: set(chosen(facet)) for facet in ("organisation_kind", "language", "availability")
        },
    }
    matched, counts = _tally(ids, values, {f: w for f, w in wanted.items() if chosen(f)})
    facets = [
        vocabulary.facet(counts["skill"], chosen("skill")),
        professions.facet(
            "profession", counts["profession"], chosen("profession"), keep_empty=False
        ),
        sectors.facet("sector", counts["sector"], chosen("sector"), keep_empty=True),
        territories.facet("territory", counts["territory"], chosen("territory"), keep_empty=True),
        _choice_facet(
            "organisation_kind",
            OrganisationKind.choices,
            counts["organisation_kind"],
            chosen("organisation_kind"),
        ),
        _choice_facet("language", Language.choices, counts["language"], chosen("language")),
        _choice_facet(
            "availability", Availability.choices, counts["availability"], chosen("availability")
        ),
    ]
    rows = _ordered(
        # The long texts are only ordered on: not read (nor sorted along) with the rows.
        _page_rows(found, ids, matched).defer("search_text", "search_text_public"),
        column,
        search.words,
        ("last_name", "first_name", "id"),
    ).select_related("territory")
    rows = rows.prefetch_related("professions", "sectors", "skills", _current_affiliations())
    return DirectoryResults(rows=rows, total=len(matched), facets=facets)


# --- Organisations ----------------------------------------------------------------------------


def _organisation_values(
    found: QuerySet[Organisation], vocabulary: _Vocabulary
) -> tuple[list[int], FacetValues]:
    """The organisations of ``found`` and their values in each facet: two queries (the
    organisations, then their skills and sectors)."""
    territories: dict[int, Collection[Hashable]] = {}
    kinds: dict[int, Collection[Hashable]] = {}
    for pk, territory, kind in found.values_list("pk", "territory_id", "kind").order_by():
        kinds[pk] = (kind,)
        if territory is not None:
            territories[pk] = (territory,)
    skills: dict[int, set[Hashable]] = {}
    sectors: dict[int, list[Hashable]] = {}
    if kinds:
        organisations = _id_list(list(kinds))
        pairs = _pairs(
            Organisation.skills.through.objects.filter(
                organisation_id__in=organisations
            ).values_list("organisation_id", Value("s"), "skill_id"),
            Organisation.sectors.through.objects.filter(
                organisation_id__in=organisations
            ).values_list("organisation_id", Value("c"), "sector_id"),
        )
        for pk, part, number in pairs:
            if part == "s":
                skills.setdefault(pk, set()).update(vocabulary.broader(number))
            else:
                sectors.setdefault(pk, []).append(number)
    values: FacetValues = {
        "skill": skills,
        "sector": sectors,
        "territory": territories,
        "kind": kinds,
    }
    return list(kinds), values


def search_organisations(search: DirectorySearch) -> DirectoryResults:
    """The organisations (all public) matching ``search``, with the facets."""
    vocabulary = _Vocabulary()
    sectors = _Reference(Sector, "slug")
    territories = _Reference(Territory, "code")
    found = Organisation.objects.filter(_text_matches(Organisation, "search_text", search.words))
    ids, values = _organisation_values(found, vocabulary)
    chosen = search.values
    wanted: dict[str, set[Hashable]] = {
        "skill": vocabulary.chosen(chosen("skill")),
        "sector": sectors.chosen(chosen("sector")),
        "territory": territories.chosen(chosen("territory")),
        "kind": set(chosen("kind")),
    }
    matched, counts = _tally(ids, values, {f: w for f, w in wanted.items() if chosen(f)})
    facets = [
        vocabulary.facet(counts["skill"], chosen("skill")),
        sectors.facet("sector", counts["sector"], chosen("sector"), keep_empty=True),
        territories.facet("territory", counts["territory"], chosen("territory"), keep_empty=True),
        _choice_facet("kind", OrganisationKind.choices, counts["kind"], chosen("kind")),
    ]
    rows = _ordered(
        _page_rows(found, ids, matched).defer("search_text"),
        "search_text",
        search.words,
        ("name", "id"),
    )
    rows = rows.select_related("territory", "seat_commune").prefetch_related("sectors", "skills")
    return DirectoryResults(rows=rows, total=len(matched), facets=facets)


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
