"""GET /api/v1/observatory: the published figures as JSON, for everyone."""

import pytest

from filiere.observatory.services import refresh_now

from .factories import applications, closed_call

pytestmark = pytest.mark.django_db


def test_before_any_refresh_the_answer_is_empty(client):
    response = client.get("/api/v1/observatory")
    assert response.status_code == 200
    assert response.json() == {"as_of": None, "years": [], "tables": {}, "breakdowns": {}}


def test_the_series_are_the_published_ones_with_small_counts_suppressed(client):
    call = closed_call(2012)
    applications(call, 9, awarded=2)
    snapshot = refresh_now()
    data = client.get("/api/v1/observatory").json()
    assert data["years"] == [2012]
    assert data["as_of"].startswith(snapshot.finished_at.date().isoformat())
    years = data["tables"]["years"]
    assert [column["key"] for column in years["columns"]] == [
        "applications",
        "awarded",
        "success_rate",
        "requested",
        "awarded_amount",
    ]
    assert years["rows"] == [{"key": "2012", "label": {"fr": "2012", "en": "2012", "nl": "2012"}}]
    applications_cell, awarded, rate, requested, amount = years["cells"][0]
    assert applications_cell == {"v": 9, "s": ""}
    assert awarded == rate == amount == {"v": None, "s": "small"}
    assert requested == {"v": 450000, "s": ""}
    assert set(data["breakdowns"]) == {"genre", "territory", "kind", "first_time"}
    assert set(data["breakdowns"]["genre"]) == {"all", "2012"}
    # No figure between 1 and 4 anywhere in the answer's counts.
    for table in [*data["tables"].values(), *data["breakdowns"]["genre"].values()]:
        units = [column["unit"] for column in table["columns"]]
        for row in [*table["cells"], table["total"] or []]:
            for cell, unit in zip(row, units, strict=False):
                if unit == "count" and cell["v"] is not None:
                    assert not 0 < cell["v"] < 5


def test_the_answer_matches_its_schema(client):
    from filiere.api.observatory import ObservatoryOut

    applications(closed_call(2013), 12, awarded=6)
    refresh_now()
    answer = client.get("/api/v1/observatory")
    assert answer["Content-Type"] == "application/json"
    checked = ObservatoryOut.model_validate(answer.json())
    assert checked.years == [2013]
    assert checked.tables["years"].cells[0][0].v == 12
