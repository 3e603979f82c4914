"""The demo's observatory: ten years of generated calls (2009–2018), marked as generated."""

import datetime as dt

import pytest

from filiere.calls.models import Application, Call
from filiere.committee.models import Decision
from filiere.demo.community import DemoBuilder
from filiere.demo.observatory import HISTORY_FUND, load_observatory_history
from filiere.observatory.selectors import published

pytestmark = pytest.mark.django_db


def test_ten_years_of_generated_calls_feed_the_observatory_and_a_rerun_gives_the_same():
    DemoBuilder(seed=2009, scale=0.3, today=dt.date(2009, 9, 1)).write()
    first = load_observatory_history(seed=2009)
    assert first.published
    figures = published().figures
    assert figures["years"] == list(range(2009, 2019))
    calls = Call.objects.filter(fund__slug=HISTORY_FUND["slug"])
    assert calls.count() == first.calls >= 20
    # Marked as generated, and never listed among the calls for projects.
    assert not calls.filter(published=True).exists()
    assert all("historique généré" in call.title_fr for call in calls)
    assert "fictitious" in calls.first().fund.name_en
    years = figures["tables"]["years"]
    assert years["total"][0]["v"] == first.applications
    assert years["total"][1]["v"] == first.awards
    rate = years["total"][2]["v"]
    assert 15 < rate < 40  # a realistic success rate
    # Organisations come back: first-time applicants are not all of them after 2009.
    returning = figures["breakdowns"]["first_time"]["2015"]
    assert [row["key"] for row in returning["rows"]] == ["first", "returning"]
    assert returning["cells"][1][0]["v"] and returning["cells"][1][0]["v"] > 5
    again = load_observatory_history(seed=2009)
    assert (again.applications, again.awards, again.awarded) == (
        first.applications,
        first.awards,
        first.awarded,
    )
    assert Application.objects.filter(call__in=calls).count() == first.applications
    assert Decision.objects.filter(application__call__in=calls).count() < first.applications
