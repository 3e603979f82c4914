"""Published tables as the page shows them: figures written in the reader's language, the
suppression marks, the charts' SVG, the CSV rows. Built from the snapshot only (no query),
once per snapshot, language and year in each process."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from .charts import bar_chart
from .phrases import pick
from .selectors import Published

ALL = "all"
SECTIONS = (
    ("community", ("organisations_by_territory", "organisations_by_sector", "people_by_territory")),
    ("calls", ("years", "calls")),
    ("spend", ("spend",)),
)


def marks() -> dict[str, str]:
    return {
        "small": _("< 5"),
        "hidden": _("hidden"),
        "described": _("The same figures are in the table that follows the chart."),
    }


def number(value: Any, unit: str) -> str:
    if unit == "percent":
        return str(formats.number_format(value, 1, use_l10n=True))
    return str(formats.number_format(int(value), 0, use_l10n=True, force_grouping=True))


def plain(value: Any, unit: str) -> str:
    """A figure for a CSV file: no grouping, a point for decimals."""
    return f"{value:.1f}" if unit == "percent" else str(int(value))


def cell_text(cell: dict[str, Any], unit: str, signs: dict[str, str], *, csv: bool = False) -> str:
    if cell["v"] is None:
        return signs[cell["s"]] if cell["s"] else ""
    return plain(cell["v"], unit) if csv else number(cell["v"], unit)


def csv_rows(table: dict[str, Any]) -> list[list[str]]:
    """The table as CSV rows in the active language: the headings, each row, the total."""
    signs = marks()
    units = [column["unit"] for column in table["columns"]]
    rows = [[pick(table["row_heading"]), *(pick(column["label"]) for column in table["columns"])]]
    for row, cells in zip(table["rows"], table["cells"], strict=True):
        texts = [cell_text(c, u, signs, csv=True) for c, u in zip(cells, units, strict=True)]
        rows.append([pick(row["label"]), *texts])
    if table["total"]:
        texts = [
            cell_text(c, u, signs, csv=True) for c, u in zip(table["total"], units, strict=True)
        ]
        rows.append([_("Total"), *texts])
    return rows


def table_for(published: Published, key: str, year: str = ALL) -> dict[str, Any] | None:
    figures = published.figures
    if key in figures.get("breakdowns", {}):
        return figures["breakdowns"][key].get(year)
    return figures.get("tables", {}).get(key)


def _figure(table: dict[str, Any], language: str, year: str) -> dict[str, Any]:
    signs = marks()
    units = [column["unit"] for column in table["columns"]]
    suffix = f"-{year}" if table["key"] in ("genre", "territory", "kind", "first_time") else ""
    anchor = f"figure-{table['key']}{suffix}"
    csv_url = reverse("observatory:table_csv", args=[table["key"]])
    if suffix:
        csv_url += f"?year={year}"
    title = pick(table["title"], language)
    if suffix:
        title += " — " + (_("All years") if year == ALL else year)
    return {
        "anchor": anchor,
        "title": title,
        "row_heading": pick(table["row_heading"], language),
        "headers": [
            (column["key"], pick(column["label"], language)) for column in table["columns"]
        ],
        "rows": [
            (
                row["key"],
                pick(row["label"], language),
                [cell_text(c, u, signs) for c, u in zip(cells, units, strict=True)],
            )
            for row, cells in zip(table["rows"], table["cells"], strict=True)
        ],
        "total": [cell_text(c, u, signs) for c, u in zip(table["total"], units, strict=True)]
        if table["total"]
        else None,
        "charts": [
            bar_chart(
                table,
                columns,
                language=language,
                number=number,
                marks=signs,
                chart_id=f"{anchor}-chart{position}",
            )
            for position, columns in enumerate(table["charts"])
            if table["rows"]
        ],
        "csv_url": csv_url,
    }


_PAGES: dict[tuple[Any, str, str], dict[str, Any]] = {}


def page(published: Published, year: str) -> dict[str, Any]:
    """Every section of the page, built once per snapshot, language and year (a finished
    snapshot never changes; a new one replaces the built pages of the old)."""
    key = (published.version, translation.get_language() or "fr", year)
    if key not in _PAGES:
        if any(built[0] != published.version for built in _PAGES):
            _PAGES.clear()
        _PAGES[key] = _page(published, key[1], year)
    return _PAGES[key]


def _page(published: Published, language: str, year: str) -> dict[str, Any]:
    figures = published.figures
    sections = [
        {
            "key": section,
            "figures": [
                _figure(figures["tables"][key], language, ALL)
                for key in keys
                if key in figures.get("tables", {})
            ],
        }
        for section, keys in SECTIONS
    ]
    sections.insert(
        2,
        {
            "key": "breakdowns",
            "figures": [
                _figure(variants[year], language, year)
                for variants in figures.get("breakdowns", {}).values()
                if year in variants
            ],
        },
    )
    return {"sections": sections}
