"""/api/v1/calls: published calls only, filters (phase, fund, genre), pagination, 404, 422."""

import datetime as dt

import pytest
from django.utils import timezone

from filiere.calls.models import Genre
from tests.api.queries import operation_queries
from tests.calls.design_factories import DesignCallFactory
from tests.factories import FundFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/calls"


@pytest.fixture
def calls():
    now = timezone.now()
    other_fund = FundFactory(slug="animation", name_fr="Fonds Animation")
    serious = Genre.objects.filter(code="serious-game")
    animation = Genre.objects.filter(code="animation-series")
    return {
        "open": DesignCallFactory(
            slug="open",
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=3),
            genres=serious,
        ),
        "upcoming": DesignCallFactory(
            slug="upcoming",
            opens_at=now + dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=9),
            genres=animation,
            fund=other_fund,
        ),
        "closed": DesignCallFactory(
            slug="closed",
            opens_at=now - dt.timedelta(days=9),
            closes_at=now - dt.timedelta(days=1),
            genres=serious | animation,
        ),
        "hidden": DesignCallFactory(slug="hidden", published=False),
    }


def _slugs(client, query=""):
    response = client.get(URL + query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def test_list_only_published_latest_deadline_first(client, calls):
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 3
    assert [row["slug"] for row in body["results"]] == ["upcoming", "open", "closed"]
    row = body["results"][1]
    assert row["phase"] == "open"
    assert row["envelope"] == "1400000.00"
    assert row["ceiling_percent"] == "50.00"
    assert row["fund"] == {
        "slug": "experiences-interactives",
        "name": "Interactive Experiences Fund",
    }
    assert row["genres"] == [{"code": "serious-game", "label": "Serious game"}]
    assert row["url"].endswith("/calls/call/open/")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?phase=open", ["open"]),
        ("?phase=upcoming", ["upcoming"]),
        ("?phase=closed", ["closed"]),
        ("?fund=animation", ["upcoming"]),
        ("?genre=serious-game", ["open", "closed"]),
        ("?genre=animation-series&phase=closed", ["closed"]),
        ("?fund=experiences-interactives&genre=animation-series", ["closed"]),
    ],
)
def test_filters(client, calls, query, expected):
    assert _slugs(client, query) == expected


@pytest.mark.parametrize(
    "query", ["?phase=soon", "?fund=nope", "?genre=opera", "?colour=red", "?page=0"]
)
def test_bad_filters_are_refused(client, calls, query):
    response = client.get(URL + query)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_pagination(client, calls):
    body = client.get(URL + "?page_size=2").json()
    assert (body["count"], body["page_size"], len(body["results"])) == (3, 2, 2)
    assert body["next"].endswith("page_size=2&page=2")
    second = client.get(URL + "?page_size=2&page=2").json()
    assert [row["slug"] for row in second["results"]] == ["closed"]


def test_detail(client, calls):
    body = client.get(f"{URL}/open", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["slug"] == "open"
    assert body["texts"]["title"] == {
        "fr": "Expériences interactives 2009",
        "en": "Interactive experiences 2009",
        "nl": "Interactieve ervaringen 2009",
    }
    kinds = [rule["kind"] for rule in body["eligibility_rules"]]
    assert kinds[:3] == ["deadline", "organisation_kind", "seat_territory"]
    ceiling = next(r for r in body["eligibility_rules"] if r["kind"] == "amount_ceiling")
    assert ceiling["config"] == {
        "kind": "amount_ceiling",
        "absolute": "150000.00",
        "percent_of_budget": "50",
    }
    assert ceiling["description"].startswith("The amount requested may not exceed €150,000")
    assert body["rules_pdf_url"] is None


@pytest.mark.parametrize("slug", ["hidden", "missing"])
def test_hidden_or_missing_call_is_404(client, calls, slug):
    response = client.get(f"{URL}/{slug}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_list_query_count_is_constant(client, calls):
    for index in range(20):
        DesignCallFactory(slug=f"more-{index}")
    assert operation_queries(client, URL) <= 4
