"""Organisation pages and the territories page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.community.models import OrganisationKind
from tests.factories import AffiliationFactory, OrganisationFactory, sector, territory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [organisation.name for organisation in response.context["page"].object_list]


def test_organisation_list_filters_by_kind_sector_territory_and_name(client):
    OrganisationFactory(name="Studio Terril", sectors=[sector("animation")])
    OrganisationFactory(
        name="Lab Image", kind=OrganisationKind.RESEARCH_LAB, sectors=[sector("immersive")]
    )
    OrganisationFactory(
        name="Meuse Productions SRL",
        siren="",
        siret="",
        bce_number="0403019261",
        seat_commune=None,
        territory=territory("wallonia"),
        country="BE",
    )
    url = reverse("community:organisations")
    assert names(client.get(url)) == ["Lab Image", "Meuse Productions SRL", "Studio Terril"]
    assert names(client.get(url, {"kind": "research_lab"})) == ["Lab Image"]
    assert names(client.get(url, {"sector": "animation"})) == ["Studio Terril"]
    assert names(client.get(url, {"territory": "wallonia"})) == ["Meuse Productions SRL"]
    assert names(client.get(url, {"q": "terril"})) == ["Studio Terril"]
    response = client.get(url, {"kind": "cartel", "page": "abc"})
    assert response.status_code == 200
    assert len(names(response)) == 3


def test_organisation_page_shows_formatted_identifiers_and_territory(client):
    organisation = OrganisationFactory(
        name="Studio Beffroi", siren="732829320", siret="73282932000074", naf_code="59.11C"
    )
    body = client.get(reverse("community:organisation", args=[organisation.slug])).content
    body = body.decode()
    assert "732 829 320 00074" in body
    assert "59.11C — Motion picture production" in body
    assert "Tourcoing" in body
    assert "Métropole Européenne de Lille" in body


def test_unknown_organisation_is_404(client):
    assert client.get(reverse("community:organisation", args=["nope"])).status_code == 404


def test_organisation_list_query_count_does_not_grow_with_rows(client, settings):
    settings.FILIERE_DIRECTORY_PAGE_SIZE = 100
    url = reverse("community:organisations")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    OrganisationFactory.create_batch(5, sectors=[sector("animation"), sector("cinema")])
    with_5 = count()
    OrganisationFactory.create_batch(45, sectors=[sector("animation"), sector("cinema")])
    assert count() == with_5


def test_organisation_page_query_count_does_not_grow_with_members(client):
    organisation = OrganisationFactory()
    url = reverse("community:organisation", args=[organisation.slug])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    AffiliationFactory.create_batch(3, organisation=organisation)
    with_3 = count()
    AffiliationFactory.create_batch(30, organisation=organisation)
    assert count() == with_3


def test_territories_page_lists_the_three_epci_with_communes_and_population(client):
    response = client.get(reverse("community:territories"))
    rows = [(t.code, t.commune_count, t.population) for t in response.context["territories"]]
    assert rows == [
        ("mel", 95, 1_204_796),
        ("valenciennes", 35, 193_676),
        ("porte-du-hainaut", 47, 159_703),
    ]
    body = response.content.decode()
    assert body.count("<h1>") == 1
    assert "Licence Ouverte 2.0" in body
