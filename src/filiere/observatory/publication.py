"""From raw figures to published tables: small counts suppressed, labels in three languages.

The result is plain JSON (stored on the snapshot, served by the API as is):

``{"as_of", "years", "tables": {key: table}, "breakdowns": {dimension: {"all"|year: table}}}``

A table: ``{"key", "title", "row_heading", "rows": [{"key", "label"}], "columns": [{"key",
"label", "unit"}], "cells": [[cell]], "total": [cell] | null, "charts": [[column key]]}``;
labels are ``{"fr", "en", "nl"}``; units ``count``, ``eur`` or ``percent``; a cell is
``{"v": number, "s": ""}``, or ``{"v": null, "s": "small"}`` for a count below 5 (and the
amounts and rate that would give it away), or ``{"v": null, "s": "hidden"}`` for a figure
hidden so that a small one cannot be worked out from a total (``suppression``).

Counts are suppressed on every line where figures add up: the calls of a year to the year's
total, the years to the grand total, each dimension's categories to the year's total, and each
category's years to its all-years figure, in one run per measure (applications, awards), so a
figure hidden in one table is hidden in every table that shows it. An amount is hidden with
the count it sums (requested with applications, awarded with awards); a success rate with
either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .phrases import MEASURES, ROW_HEADINGS, TABLES, trilingual
from .spend import SpendYear
from .statistics import DIMENSIONS, ROLE_COLUMNS, Calls, Community, Labels, Tally
from .suppression import suppress

Cell = dict[str, Any]
ALL = "all"
CALL_COLUMNS = ("applications", "awarded", "success_rate", "requested", "awarded_amount")
UNITS = {
    "applications": "count",
    "awarded": "count",
    "success_rate": "percent",
    "requested": "eur",
    "awarded_amount": "eur",
}


class Mask:
    """Which keys are hidden, and why."""

    def __init__(self, small: set[Hashable], complements: set[Hashable]) -> None:
        self.small, self.complements = small, complements

    def flag(self, key: Hashable) -> str:
        if key in self.small:
            return "small"
        if key in self.complements:
            return "hidden"
        return ""

    @classmethod
    def of(cls, values: dict[Hashable, int], lines: Iterable[Sequence[Hashable]]) -> Mask:
        return cls(*suppress(values, lines))


def _cell(value: float | int | None, flag: str) -> Cell:
    return {"v": None, "s": flag} if flag else {"v": value, "s": ""}


def _euros(amount: Decimal) -> int:
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _column(key: str, label: Any = None, unit: str = "count") -> dict[str, Any]:
    return {"key": key, "label": trilingual(label or MEASURES[key]), "unit": unit}


def _table(
    key: str,
    row_heading: str,
    rows: list[tuple[str, Labels]],
    columns: list[dict[str, Any]],
    cells: list[list[Cell]],
    total: list[Cell] | None,
    charts: list[list[str]],
    title: Any = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "title": trilingual(title or TABLES[key]),
        "row_heading": trilingual(ROW_HEADINGS[row_heading]),
        "rows": [{"key": code, "label": label} for code, label in rows],
        "columns": columns,
        "cells": cells,
        "total": total,
        "charts": charts,
    }


# --- The community ----------------------------------------------------------------------------


def community_tables(data: Community) -> dict[str, dict[str, Any]]:
    kinds = [code for code, _label in data.kinds]
    territories = [
        (code, label)
        for code, label in data.territories
        if data.people.get(code)
        or any(data.organisations.get((code, kind)) for kind in kinds)
        or any(data.roles.get((code, column)) for column in ROLE_COLUMNS)
    ]
    sectors = [
        (code, label)
        for code, label in data.sectors
        if any(data.sector_kinds.get((code, kind)) for kind in kinds)
    ]
    values: dict[Hashable, int] = {}
    lines: list[list[Hashable]] = []
    # Organisations by territory and kind, with totals both ways.
    for code, _label in territories:
        for kind in kinds:
            values[("org", code, kind)] = data.organisations.get((code, kind), 0)
        values[("org", code, "total")] = sum(values[("org", code, kind)] for kind in kinds)
        lines.append([*(("org", code, kind) for kind in kinds), ("org", code, "total")])
    for kind in [*kinds, "total"]:
        values[("org", "total", kind)] = sum(values[("org", code, kind)] for code, _ in territories)
        lines.append([*(("org", code, kind) for code, _ in territories), ("org", "total", kind)])
    lines.append([*(("org", "total", kind) for kind in kinds), ("org", "total", "total")])
    # Organisations by sector and kind: an organisation may work in several sectors, so only
    # each row adds up.
    for code, _label in sectors:
        for kind in kinds:
            values[("sector", code, kind)] = data.sector_kinds.get((code, kind), 0)
        values[("sector", code, "total")] = sum(values[("sector", code, k)] for k in kinds)
        lines.append([*(("sector", code, kind) for kind in kinds), ("sector", code, "total")])
    # People by their territory; current affiliations by the organisation's territory.
    people_columns = ["people", *ROLE_COLUMNS]
    for column in people_columns:
        for code, _label in territories:
            source = data.people.get(code, 0) if column == "people" else None
            values[(column, code)] = (
                source if source is not None else data.roles.get((code, column), 0)
            )
        values[(column, "total")] = sum(values[(column, code)] for code, _ in territories)
        lines.append([*((column, code) for code, _ in territories), (column, "total")])
    mask = Mask.of(values, lines)

    def count(key: Hashable) -> Cell:
        return _cell(values[key], mask.flag(key))

    kind_columns = [
        *({"key": code, "label": label, "unit": "count"} for code, label in data.kinds),
        _column("total"),
    ]
    return {
        "organisations_by_territory": _table(
            "organisations_by_territory",
            "territory",
            territories,
            kind_columns,
            [[count(("org", code, kind)) for kind in [*kinds, "total"]] for code, _ in territories],
            [count(("org", "total", kind)) for kind in [*kinds, "total"]],
            [["company", "research_lab", "school"]],
        ),
        "organisations_by_sector": _table(
            "organisations_by_sector",
            "sector",
            sectors,
            kind_columns,
            [[count(("sector", code, kind)) for kind in [*kinds, "total"]] for code, _ in sectors],
            None,
            [["total"]],
        ),
        "people_by_territory": _table(
            "people_by_territory",
            "territory",
            territories,
            [_column(column) for column in people_columns],
            [[count((column, code)) for column in people_columns] for code, _ in territories],
            [count((column, "total")) for column in people_columns],
            [["people", "employees", "students"]],
        ),
    }


# --- Calls: applications and awards -----------------------------------------------------------


def _suppressed_counts(data: Calls, measure: str) -> Mask:
    """One run over every line where ``measure`` (``applications`` or ``awarded``) adds up."""

    def get(tally: Tally | None) -> int:
        return int(getattr(tally, measure)) if tally else 0

    values: dict[Hashable, int] = {}
    lines: list[list[Hashable]] = []
    for year in data.years:
        in_year = [info.key for info in data.calls if info.year == year]
        for call in in_year:
            values[("call", call)] = get(data.by_call.get(call))
        values[("year", year)] = sum(values[("call", call)] for call in in_year)
        lines.append([*(("call", call) for call in in_year), ("year", year)])
    values[(ALL,)] = sum(values[("year", year)] for year in data.years)
    lines.append([*(("year", year) for year in data.years), (ALL,)])
    for dimension in DIMENSIONS:
        tallies = data.breakdowns[dimension]
        categories = _used_categories(data, dimension)
        for category in categories:
            for year in data.years:
                values[(dimension, category, year)] = get(tallies.get((category, year)))
            values[(dimension, category, ALL)] = sum(
                values[(dimension, category, year)] for year in data.years
            )
            lines.append(
                [*((dimension, category, year) for year in data.years), (dimension, category, ALL)]
            )
        for year in data.years:
            lines.append(
                [*((dimension, category, year) for category in categories), ("year", year)]
            )
        lines.append([*((dimension, category, ALL) for category in categories), (ALL,)])
    return Mask.of(values, lines)


def _used_categories(data: Calls, dimension: str) -> list[str]:
    """The categories with at least one application (an empty row tells nothing)."""
    used = {category for category, _year in data.breakdowns[dimension]}
    return [code for code, _label in data.categories[dimension] if code in used]


def _measures(tally: Tally | None, count_key: Hashable, masks: dict[str, Mask]) -> list[Cell]:
    tally = tally or Tally()
    applications = masks["applications"].flag(count_key)
    awarded = masks["awarded"].flag(count_key)
    rate = round(100 * tally.awarded / tally.applications, 1) if tally.applications else None
    return [
        _cell(tally.applications, applications),
        _cell(tally.awarded, awarded),
        _cell(rate, applications or awarded),
        _cell(_euros(tally.requested), applications),
        _cell(_euros(tally.awarded_amount), awarded),
    ]


def _sum(tallies: Iterable[Tally | None]) -> Tally:
    total = Tally()
    for tally in tallies:
        if tally is None:
            continue
        total.applications += tally.applications
        total.requested += tally.requested
        total.awarded += tally.awarded
        total.awarded_amount += tally.awarded_amount
    return total


def call_tables(data: Calls) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    masks = {measure: _suppressed_counts(data, measure) for measure in ("applications", "awarded")}
    columns = [_column(key, unit=UNITS[key]) for key in CALL_COLUMNS]
    by_year = {
        year: _sum(data.by_call.get(info.key) for info in data.calls if info.year == year)
        for year in data.years
    }
    grand_total = _measures(_sum(by_year.values()), (ALL,), masks)
    year_labels: dict[int, Labels] = {
        year: dict.fromkeys(("fr", "en", "nl"), str(year)) for year in data.years
    }
    tables = {
        "years": _table(
            "years",
            "year",
            [(str(year), year_labels[year]) for year in data.years],
            columns,
            [_measures(by_year[year], ("year", year), masks) for year in data.years],
            grand_total,
            [["applications", "awarded"], ["requested", "awarded_amount"]],
        ),
        "calls": _table(
            "calls",
            "call",
            [
                (info.key, {code: f"{info.year} — {text}" for code, text in info.label.items()})
                for info in data.calls
            ],
            columns,
            [
                _measures(data.by_call.get(info.key), ("call", info.key), masks)
                for info in data.calls
            ],
            grand_total,
            [],
        ),
    }
    breakdowns: dict[str, dict[str, Any]] = {}
    for dimension in DIMENSIONS:
        tallies = data.breakdowns[dimension]
        labels = dict(data.categories[dimension])
        categories = _used_categories(data, dimension)
        variants: dict[str, Any] = {}
        charts = [["applications", "awarded"], ["awarded_amount"]]
        rows = [(c, labels[c]) for c in categories]
        variants[ALL] = _table(
            dimension,
            dimension,
            rows,
            columns,
            [
                _measures(_sum(tallies.get((c, y)) for y in data.years), (dimension, c, ALL), masks)
                for c in categories
            ],
            grand_total,
            charts,
        )
        for year in data.years:
            variants[str(year)] = _table(
                dimension,
                dimension,
                rows,
                columns,
                [
                    _measures(tallies.get((c, year)), (dimension, c, year), masks)
                    for c in categories
                ],
                _measures(by_year[year], ("year", year), masks),
                charts,
            )
        breakdowns[dimension] = variants
    return tables, breakdowns


# --- Regional spend achieved (the awards app's ledger) ------------------------------------------

SPEND_COUNTS = ("agreements", "closed", "met")
SPEND_UNITS = {
    "agreements": "count",
    "closed": "count",
    "met": "count",
    "amount": "eur",
    "required": "eur",
    "eligible": "eur",
    "spend_ratio": "percent",
}


def spend_table(data: dict[int, SpendYear]) -> dict[str, Any]:
    """One row per year: agreements signed, closed, closed that met their rule (counts);
    amount, required and eligible spend (euros); eligible spend as a share of the amount."""
    years = sorted(data)
    values: dict[Hashable, int] = {}
    lines: list[list[Hashable]] = []
    for measure in SPEND_COUNTS:
        for year in years:
            values[(measure, year)] = int(getattr(data[year], measure))
        values[(measure, ALL)] = sum(values[(measure, year)] for year in years)
        lines.append([*((measure, year) for year in years), (measure, ALL)])
    mask = Mask.of(values, lines)
    total = SpendYear()
    for year in years:
        for field in ("agreements", "closed", "met", "amount", "required", "eligible"):
            setattr(total, field, getattr(total, field) + getattr(data[year], field))

    def row(figures: SpendYear, year: Any) -> list[Cell]:
        flags = {measure: mask.flag((measure, year)) for measure in SPEND_COUNTS}
        ratio = round(float(100 * figures.eligible / figures.amount), 1) if figures.amount else None
        return [
            _cell(figures.agreements, flags["agreements"]),
            _cell(figures.closed, flags["closed"]),
            _cell(figures.met, flags["met"]),
            _cell(_euros(figures.amount), flags["agreements"]),
            _cell(_euros(figures.required), flags["agreements"]),
            _cell(_euros(figures.eligible), flags["agreements"]),
            _cell(ratio, flags["agreements"]),
        ]

    return _table(
        "spend",
        "year",
        [(str(year), dict.fromkeys(("fr", "en", "nl"), str(year))) for year in years],
        [_column(key, unit=unit) for key, unit in SPEND_UNITS.items()],
        [row(data[year], year) for year in years],
        row(total, ALL),
        [["amount", "required", "eligible"]],
    )


def publish(
    community: Community,
    calls: Calls,
    as_of: dt.datetime,
    spend: dict[int, SpendYear] | None = None,
) -> dict[str, Any]:
    tables = community_tables(community)
    call_figures, breakdowns = call_tables(calls)
    if spend is not None:
        call_figures["spend"] = spend_table(spend)
    return {
        "as_of": as_of.isoformat(),
        "years": calls.years,
        "tables": {**tables, **call_figures},
        "breakdowns": breakdowns,
    }
