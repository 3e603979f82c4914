"""``GET /api/v1/showcase`` and ``/api/v1/showcase/{slug}``: public, only published pages,
filters with several values, unknown values refused, constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from filiere.awards.models import AgreementStatus
from filiere.calls.models import Genre
from tests.factories import OrganisationFactory, add_member

from .factories import draft, funded, open_call, published

pytestmark = pytest.mark.django_db


def test_the_detail_has_the_platforms_facts_and_no_person():
    case = funded(status=AgreementStatus.CLOSED)
    add_member(case.application, organisation=OrganisationFactory(name="Labo Partenaire"))
    entry = published(case)
    body = Client().get(f"/api/v1/showcase/{entry.slug}").json()
    assert body["title"] == "La Mine en jeu"
    assert body["project_status"] == "completed"
    assert body["team"] == [case.application.organisation.name, "Labo Partenaire"]
    assert body["links"] == [{"url": "https://example.org/mine", "label": "Site du projet"}]
    assert body["images"][0]["alt"] == "Une galerie de mine"
    assert body["images"][0]["url"].endswith(f"/showcase/images/{entry.images.get().pk}/")
    assert case.application.call.fund.name in body["funded_by"]
    assert case.application.lead.email not in str(body)
    assert body["year"] == case.application.call.closes_at.year


def test_the_list_filters_by_several_genres_and_refuses_unknown_values(client):
    call = open_call()
    genres = list(Genre.objects.order_by("pk")[:3])
    entries = [published(funded(call, genre=g), title=f"Projet {g.code}") for g in genres]
    answer = client.get("/api/v1/showcase", {"genre": [genres[0].code, genres[1].code]}).json()
    assert {r["slug"] for r in answer["results"]} == {entries[0].slug, entries[1].slug}
    answer = client.get("/api/v1/showcase", {"q": f"Projet {genres[2].code}"}).json()
    assert [r["slug"] for r in answer["results"]] == [entries[2].slug]
    refused = client.get("/api/v1/showcase", {"genre": "nope"})
    assert refused.status_code == 422
    assert client.get("/api/v1/showcase", {"colour": "red"}).status_code == 422
    assert client.get("/api/v1/showcase", {"year": "abc"}).status_code == 422


def test_drafts_and_unfunded_are_not_listed(client):
    draft(funded())
    assert client.get("/api/v1/showcase").json()["count"] == 0


def test_the_list_costs_the_same_queries_for_few_or_many(client):
    call = open_call()
    published(funded(call))
    client.get("/api/v1/showcase")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/showcase")
    for _ in range(4):
        published(funded(call))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/showcase").json()["count"] == 5
    assert len(many) == len(few)
