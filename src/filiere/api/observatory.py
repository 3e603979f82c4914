"""The observatory's figures (public): ``GET /api/v1/observatory``.

The latest published snapshot as JSON, the same figures as the page, its tables and CSV files:
small counts already suppressed (a cell is ``{"v": null, "s": "small"}`` for a count below 5,
``"hidden"`` for a figure withheld so that a small one cannot be worked out from a total).
Labels are given in the three platform languages. ``as_of`` is null until a first refresh.
"""

import json
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from filiere.observatory import selectors

from .auth import OPTIONAL
from .errors import AUTH_ERRORS

router = Router(tags=["observatory"])


class TextsOut(Schema):
    fr: str
    en: str
    nl: str


class CellOut(Schema):
    v: int | float | None = Field(description="The figure; null when suppressed.")
    s: str = Field(
        description='"" when shown; "small" for a count below 5 (and the amounts and rate '
        'that would give it away); "hidden" when withheld to protect a small one.'
    )


class RowOut(Schema):
    key: str
    label: TextsOut


class ColumnOut(Schema):
    key: str
    label: TextsOut
    unit: str = Field(description="count, eur (whole euros) or percent.")


class TableOut(Schema):
    key: str
    title: TextsOut
    row_heading: TextsOut
    rows: list[RowOut]
    columns: list[ColumnOut]
    cells: list[list[CellOut]] = Field(description="One list per row, one cell per column.")
    total: list[CellOut] | None = Field(description="The total row, when the rows add up.")
    charts: list[list[str]] = Field(description="The columns each chart of the page draws.")


class ObservatoryOut(Schema):
    as_of: datetime | None = Field(description="When the figures were read; null before any.")
    years: list[int] = Field(description="The years of the calls counted (when they closed).")
    tables: dict[str, TableOut] = Field(
        description="organisations_by_territory, organisations_by_sector, people_by_territory, "
        "years, calls."
    )
    breakdowns: dict[str, dict[str, TableOut]] = Field(
        description='genre, territory, kind, first_time; each for "all" years and each year.'
    )


@router.get(
    "",
    response={200: ObservatoryOut, **AUTH_ERRORS},
    auth=OPTIONAL,
    summary="The observatory's figures",
    description=(
        "Public statistics of the cluster and its calls, as published on the observatory page "
        "(small counts suppressed), from the latest refresh."
    ),
)
def observatory(request: HttpRequest) -> dict[str, Any] | HttpResponse:
    # permission: public (published figures, small counts suppressed)
    published = selectors.published()
    if published is None:
        return {"as_of": None, "years": [], "tables": {}, "breakdowns": {}}
    return HttpResponse(_answer(published), content_type="application/json")


#: The answer of each snapshot, written once per process: a finished snapshot never changes,
#: and checking its thousands of cells against the schema at each request would cost more
#: than reading it (tests/observatory/test_api.py checks the answer against the schema).
_ANSWERS: dict[Any, bytes] = {}


def _answer(published: selectors.Published) -> bytes:
    if published.version not in _ANSWERS:
        _ANSWERS.clear()
        figures = published.figures
        answer = {
            "as_of": published.as_of,
            "years": figures.get("years", []),
            "tables": figures.get("tables", {}),
            "breakdowns": figures.get("breakdowns", {}),
        }
        _ANSWERS[published.version] = json.dumps(answer, cls=DjangoJSONEncoder).encode()
    return _ANSWERS[published.version]
