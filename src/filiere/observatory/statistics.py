"""The raw figures, counted by the database: a constant number of aggregate queries, whatever
the number of calls, applications and members (each groups by year and one dimension, so the
answer is a few hundred rows at most). Nothing here is published as is: ``publication``
suppresses the small counts first.

What is counted:

- the community: people in the directory by territory, current affiliations by role (jobs,
  students, researchers) by the organisation's territory, organisations by territory and kind,
  and by sector and kind;
- calls that have closed, with their submitted applications: per call, and per year (the year
  the call closed) by genre, by the applicant organisation's territory, by its kind (the
  platform does not record a size), and by whether it applied for the first time;
- awards: confirmed award decisions of the committee (``Decision`` with outcome ``award`` and
  status ``confirmed``), their number and amount.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum
from django.db.models.functions import ExtractYear

from filiere.calls.models import Application, Call, Genre
from filiere.committee.models import Decision, DecisionStatus, Outcome
from filiere.community.models import (
    Affiliation,
    AffiliationRole,
    Organisation,
    OrganisationKind,
    Person,
    Sector,
    Territory,
)

from .phrases import CATEGORIES, trilingual

Labels = dict[str, str]
NOT_GIVEN = ""
#: The breakdowns of applications and awards, in the order of the page.
DIMENSIONS = ("genre", "territory", "kind", "first_time")
#: Affiliation roles counted in the community's table (current affiliations only).
ROLE_COLUMNS = {
    "employees": AffiliationRole.EMPLOYEE,
    "students": AffiliationRole.STUDENT,
    "researchers": AffiliationRole.RESEARCHER,
}


@dataclass
class Tally:
    """Applications and confirmed awards of one group."""

    applications: int = 0
    requested: Decimal = Decimal(0)
    awarded: int = 0
    awarded_amount: Decimal = Decimal(0)


@dataclass
class CallInfo:
    key: str
    year: int
    label: Labels


@dataclass
class Community:
    territories: list[tuple[str, Labels]]  # code, labels (NOT_GIVEN last)
    sectors: list[tuple[str, Labels]]
    kinds: list[tuple[str, Labels]]
    people: dict[str, int]  # territory → people
    roles: dict[tuple[str, str], int]  # (territory, column of ROLE_COLUMNS) → affiliations
    organisations: dict[tuple[str, str], int]  # (territory, kind) → organisations
    sector_kinds: dict[tuple[str, str], int]  # (sector, kind) → organisations


@dataclass
class Calls:
    years: list[int] = field(default_factory=list)
    calls: list[CallInfo] = field(default_factory=list)
    by_call: dict[str, Tally] = field(default_factory=dict)
    # dimension → its categories (code, labels), and (category, year) → tally
    categories: dict[str, list[tuple[str, Labels]]] = field(default_factory=dict)
    breakdowns: dict[str, dict[tuple[str, int], Tally]] = field(default_factory=dict)


def _label_fields(prefix: str) -> list[str]:
    return [f"{prefix}label_{code}" for code in ("fr", "en", "nl")]


def _labels(row: dict[str, Any], prefix: str) -> Labels:
    return {code: row[f"{prefix}label_{code}"] or "" for code in ("fr", "en", "nl")}


def _not_given() -> tuple[str, Labels]:
    return NOT_GIVEN, trilingual(CATEGORIES["not_given"])


def community() -> Community:
    """Members and organisations: seven queries."""
    territories = [
        (row["code"], _labels(row, ""))
        for row in Territory.objects.order_by("sort_order", "code").values(
            "code", *_label_fields("")
        )
    ]
    sectors = [
        (row["slug"], _labels(row, ""))
        for row in Sector.objects.order_by("sort_order", "slug").values("slug", *_label_fields(""))
    ]
    people = {
        row["territory__code"] or NOT_GIVEN: row["n"]
        for row in Person.objects.values("territory__code").annotate(n=Count("pk")).order_by()
    }
    column_of = {str(role): column for column, role in ROLE_COLUMNS.items()}
    roles: dict[tuple[str, str], int] = {}
    for row in (
        Affiliation.objects.filter(end_date__isnull=True, role__in=column_of)
        .values("organisation__territory__code", "role")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        territory = row["organisation__territory__code"] or NOT_GIVEN
        roles[(territory, column_of[row["role"]])] = row["n"]
    organisations = {
        (row["territory__code"] or NOT_GIVEN, row["kind"]): row["n"]
        for row in Organisation.objects.values("territory__code", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    sector_kinds = {
        (row["sectors__slug"], row["kind"]): row["n"]
        for row in Organisation.objects.filter(sectors__isnull=False)
        .values("sectors__slug", "kind")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    }
    return Community(
        territories=[*territories, _not_given()],
        sectors=sectors,
        kinds=[(kind.value, trilingual(kind.label)) for kind in OrganisationKind],
        people=people,
        roles=roles,
        organisations=organisations,
        sector_kinds=sector_kinds,
    )


def _applications(now: dt.datetime) -> QuerySet[Application]:
    """Submitted applications to the calls that have closed."""
    return Application.objects.filter(submitted_at__isnull=False, call__closes_at__lte=now)


def _awards(now: dt.datetime) -> QuerySet[Decision]:
    """Confirmed award decisions on those applications."""
    return Decision.objects.filter(
        outcome=Outcome.AWARD,
        status=DecisionStatus.CONFIRMED,
        application__submitted_at__isnull=False,
        application__call__closes_at__lte=now,
    )


def _first_time(now: dt.datetime, prefix: str) -> Any:
    """True when the applicant organisation submitted to no call that closed earlier."""
    earlier = _applications(now).filter(
        organisation=OuterRef(f"{prefix}organisation"),
        call__closes_at__lt=OuterRef(f"{prefix}call__closes_at"),
    )
    return ~Exists(earlier)


def _rows(query: QuerySet[Any, Any]) -> list[dict[str, Any]]:
    return list(query)


def _group(
    now: dt.datetime, dimension: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Applications and awards grouped by year and ``dimension`` (or by call): two queries."""
    fields: dict[str, str | None] = {
        "call": "call",
        "genre": "genre__code",
        "territory": "organisation__territory__code",
        "kind": "organisation__kind",
        "first_time": None,
    }
    applications = _applications(now).annotate(year=ExtractYear("call__closes_at"))
    awards = _awards(now).annotate(year=ExtractYear("application__call__closes_at"))
    path = fields[dimension or "call"]
    if path is None:  # first_time: an annotation, not a column
        applications = applications.annotate(category=_first_time(now, ""))
        awards = awards.annotate(category=_first_time(now, "application__"))
    else:
        applications = applications.annotate(category=F(path))
        awards = awards.annotate(category=F(f"application__{path}"))
    rows = _rows(
        applications.values("year", "category")
        .annotate(n=Count("pk"), amount=Sum("requested_amount"))
        .order_by()
    )
    awarded = _rows(
        awards.values("year", "category")
        .annotate(n=Count("application", distinct=True), amount=Sum("amount"))
        .order_by()
    )
    return rows, awarded


def _tallies(
    rows: list[dict[str, Any]], awarded: list[dict[str, Any]], key: Callable[[Any], str]
) -> dict[tuple[str, int], Tally]:
    tallies: dict[tuple[str, int], Tally] = defaultdict(Tally)
    for row in rows:
        tally = tallies[(key(row["category"]), row["year"])]
        tally.applications += row["n"]
        tally.requested += row["amount"] or 0
    for row in awarded:
        tally = tallies[(key(row["category"]), row["year"])]
        tally.awarded += row["n"]
        tally.awarded_amount += row["amount"] or 0
    return dict(tallies)


def calls(now: dt.datetime, on_step: Callable[[str], None] | None = None) -> Calls:
    """Applications and awards of the closed calls, per call and by each dimension: three
    queries for the calls and two per dimension (``on_step`` hears each dimension start)."""
    result = Calls()
    if on_step:
        on_step("calls")
    rows, awarded = _group(now, None)
    by_call = _tallies(rows, awarded, str)
    ids = sorted({int(call) for call, _year in by_call})
    calls_found = _rows(
        Call.objects.filter(pk__in=ids)
        .annotate(year=ExtractYear("closes_at"))
        .order_by("closes_at", "pk")
        .values("pk", "year", "title_fr", "title_en", "title_nl")
    )
    for row in calls_found:
        label = {code: row[f"title_{code}"] or row["title_fr"] for code in ("fr", "en", "nl")}
        result.calls.append(CallInfo(key=str(row["pk"]), year=row["year"], label=label))
    result.by_call = {call: tally for (call, _year), tally in by_call.items()}
    result.years = sorted({info.year for info in result.calls})
    genres = [
        (row["code"], _labels(row, ""))
        for row in Genre.objects.order_by("sort_order", "code").values("code", *_label_fields(""))
    ]
    territories = [
        (row["code"], _labels(row, ""))
        for row in Territory.objects.order_by("sort_order", "code").values(
            "code", *_label_fields("")
        )
    ]
    result.categories = {
        "genre": [*genres, _not_given()],
        "territory": [*territories, _not_given()],
        "kind": [(kind.value, trilingual(kind.label)) for kind in OrganisationKind],
        "first_time": [
            ("first", trilingual(CATEGORIES["first"])),
            ("returning", trilingual(CATEGORIES["returning"])),
        ],
    }
    for dimension in DIMENSIONS:
        if on_step:
            on_step(dimension)
        rows, awarded = _group(now, dimension)
        if dimension == "first_time":
            result.breakdowns[dimension] = _tallies(
                rows, awarded, lambda first: "first" if first else "returning"
            )
        else:
            result.breakdowns[dimension] = _tallies(rows, awarded, lambda code: code or NOT_GIVEN)
    return result


__all__ = ["DIMENSIONS", "NOT_GIVEN", "Calls", "Community", "Tally", "calls", "community"]
