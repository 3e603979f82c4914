"""Charts drawn on the server as SVG: horizontal bars, one group per row of a published table,
one bar per chosen column. No script and no style attribute (the CSP forbids them): colours
are presentation attributes. The chart is an image for sighted readers; the table beside it
holds the same figures and is what a screen reader reads (the SVG says so in its description).

Every bar carries the cell it draws (``data-row``, ``data-column``, ``data-value``), so a test
can check that the chart and the table show the same figures. A suppressed cell draws no bar,
only its mark ("< 5", or "hidden").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .phrases import pick

# Dark enough on white for text and bars alike (contrast above 4.5:1).
PALETTE = ("#1b5e8c", "#b4500f", "#2e6b3f")
WIDTH = 720
LABEL_WIDTH = 230
VALUE_WIDTH = 110
BAR = 14
GAP = 10
LEGEND = 24


def _truncate(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    table: dict[str, Any],
    columns: Sequence[str],
    *,
    language: str,
    number: Callable[[Any, str], str],
    marks: dict[str, str],
    chart_id: str,
) -> SafeString:
    """The SVG of ``columns`` of ``table``. ``number(value, unit)`` writes a figure as the
    table does; ``marks`` says what a suppressed cell shows (``small``, ``hidden``)."""
    by_key = {column["key"]: (index, column) for index, column in enumerate(table["columns"])}
    series = [by_key[key] for key in columns if key in by_key]
    values = [
        row[index]["v"] for row in table["cells"] for index, _column in series if row[index]["v"]
    ]
    top = max(values, default=0) or 1
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    group = len(series) * BAR + GAP
    legend = LEGEND  # always: it names what the bars measure
    height = legend + len(table["rows"]) * group + GAP
    title = escape(pick(table["title"], language))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="12" '
        f'font-family="sans-serif">',
        f'<title id="{chart_id}-title">{title}</title>',
        f'<desc id="{chart_id}-desc">{escape(marks["described"])}</desc>',
    ]
    step = (WIDTH - LABEL_WIDTH) // max(1, len(series))
    for position, (_index, column) in enumerate(series):
        x = LABEL_WIDTH + position * step
        parts.append(
            f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[position]}"/>'
            f'<text x="{x + 16}" y="16">{escape(pick(column["label"], language))}</text>'
        )
    for row_number, (row, cells) in enumerate(zip(table["rows"], table["cells"], strict=True)):
        y = legend + row_number * group + GAP // 2
        label = pick(row["label"], language)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + len(series) * BAR / 2 + 4:.0f}" '
            f'text-anchor="end"><title>{escape(label)}</title>{escape(_truncate(label))}</text>'
        )
        for position, (index, column) in enumerate(series):
            cell = cells[index]
            bar_y = y + position * BAR
            if cell["v"] is None:
                parts.append(
                    f'<text x="{LABEL_WIDTH + 4}" y="{bar_y + BAR - 3}" fill="#444" '
                    f'data-row="{escape(row["key"])}" data-column="{column["key"]}" '
                    f'data-mark="{cell["s"]}">{escape(marks[cell["s"]])}</text>'
                )
                continue
            length = max(1.0, plot * float(cell["v"]) / float(top)) if cell["v"] else 0.0
            shown = number(cell["v"], column["unit"])
            name = escape(f"{label} — {pick(column['label'], language)}: {shown}")
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{bar_y}" width="{length:.1f}" height="{BAR - 2}" '
                f'fill="{PALETTE[position]}" data-row="{escape(row["key"])}" '
                f'data-column="{column["key"]}" data-value="{cell["v"]}"><title>{name}</title>'
                f"</rect>"
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{bar_y + BAR - 3}">'
                f"{escape(shown)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
