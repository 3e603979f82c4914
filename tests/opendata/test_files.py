"""The two published files: what they hold, in which format, and that each validates against
the schema the project writes (frictionless for the SCDL CSV, jsonschema for the 360Giving
package)."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from filiere.committee.models import DecisionStatus, Outcome
from filiere.opendata.schemas import scdl_columns
from tests.committee.factories import open_call
from tests.committee.test_decisions_data import decided
from tests.factories import CallFactory, OrganisationFactory

from .factories import award, belgian_company, decision, other_fund_call
from .helpers import GIVING_URL, SCDL_URL, giving_errors, scdl_errors, scdl_rows

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_the_scdl_file_is_the_standard_csv_and_validates(client):
    organisation = OrganisationFactory(name="Studio Lumière, Roubaix", rna="W595012345")
    award(
        organisation=organisation,
        amount="45000.50",
        title="La Mine en réalité virtuelle",
        reference="EI2009-00042",
        confirmed_at=datetime(2009, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")),
    )
    award(amount="30000")

    response = client.get(SCDL_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content
    assert content.startswith(b"nomAttribuant,idAttribuant,dateConvention,")
    assert scdl_errors(content) == []
    header = content.decode("utf-8").split("\r\n", 1)[0]
    assert tuple(header.split(",")) == scdl_columns()
    assert len(scdl_columns()) == 16
    first = scdl_rows(content)[0]
    assert first == {
        "nomAttribuant": "Pôle Images",
        "idAttribuant": "00000000000018",
        # The decision's date in Paris (it was 1 July there), until an agreement is recorded.
        "dateConvention": "2009-07-01",
        "referenceDecision": "EI2009-00042",
        "nomBeneficiaire": "Studio Lumière, Roubaix",
        "idBeneficiaire": organisation.siret,
        "rnaBeneficiaire": "W595012345",
        "objet": "La Mine en réalité virtuelle — Expériences interactives 2009",
        "montant": "45000.50",
        "nature": "aide en numéraire",
        "conditionsVersement": "échelonné",
        "datesPeriodeVersement": "2009-07-01/2011-07-01",
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1.00",
        "dispositifAide": "",
    }
    # A name with a comma is quoted, as the standard asks.
    assert b'"Studio Lumi\xc3\xa8re, Roubaix"' in content
    assert scdl_rows(content)[1]["montant"] == "30000.00"


def test_the_360giving_package_validates_and_names_organisations_by_their_org_id(client):
    french = award(amount="45000.50", reference="EI2009-00042")
    belgian = award(organisation=belgian_company("Studio Gent"), amount="20000")

    response = client.get(GIVING_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert giving_errors(data) == []
    assert data["license"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    assert data["publisher"] == {"name": "Pôle Images", "identifier": "FR-RCS-000000000"}
    assert data["downloadURL"] == "https://filiere.example.org/open-data/360giving.json"
    first, second = data["grants"]
    organisation = french.application.organisation
    assert first["id"] == "360G-filiere-EI2009-00042"
    assert first["currency"] == "EUR"
    assert first["amountAwarded"] == 45000.5
    assert first["amountAppliedFor"] == 50000
    assert first["awardDate"] == french.confirmed_at.astimezone(PARIS).date().isoformat()
    assert first["recipientOrganization"] == [
        {
            "id": f"FR-RCS-{organisation.siren}",
            "name": organisation.name,
            "addressLocality": organisation.seat_commune.name,
            "addressCountry": "FR",
        }
    ]
    assert first["fundingOrganization"] == [
        {
            "id": "FR-RCS-000000000",
            "name": "Pôle Images",
            "department": "Fonds Expériences interactives",
        }
    ]
    assert first["beneficiaryLocation"] == [
        {
            "id": f"INSEE-COG-{organisation.seat_commune.insee_code}",
            "name": organisation.seat_commune.name,
            "description": organisation.territory.label_fr,
            "countryCode": "FR",
        }
    ]
    assert first["grantProgramme"][0]["url"] == (
        f"https://filiere.example.org/calls/call/{french.application.call.slug}/"
    )
    assert first["plannedDates"][0]["duration"] == 24
    assert second["recipientOrganization"][0]["id"] == (
        f"BE-BCE_KBO-{belgian.application.organisation.bce_number}"
    )
    assert second["beneficiaryLocation"] == [
        {"name": "Flandre", "description": "Flandre", "countryCode": "BE"}
    ]


def test_a_belgian_beneficiary_without_a_siret_is_in_the_360giving_file_only(client):
    award(organisation=belgian_company())
    award()

    assert len(scdl_rows(client.get(SCDL_URL).content)) == 1
    assert len(json.loads(client.get(GIVING_URL).content)["grants"]) == 2


def test_only_confirmed_awards_are_published(client):
    published = award(title="Publié")
    decision(title="Proposé", status=DecisionStatus.PROPOSED)
    decision(title="Annulé", status=DecisionStatus.CANCELLED)
    decision(title="Refusé", outcome=Outcome.REJECT, amount="0")
    decision(title="Reporté", outcome=Outcome.DEFER, amount="0")

    rows = scdl_rows(client.get(SCDL_URL).content)
    grants = json.loads(client.get(GIVING_URL).content)["grants"]

    assert [row["referenceDecision"] for row in rows] == [published.application.reference]
    assert [grant["title"] for grant in grants] == ["Publié"]


def test_no_person_is_named_in_the_files(client):
    published = award()
    lead = published.application.lead
    lead.first_name, lead.last_name = "Zorglubine", "Canarywood"
    lead.save()
    contents = [client.get(SCDL_URL).content, client.get(GIVING_URL).content]

    for content in contents:
        for canary in ("Zorglubine", "Canarywood", lead.email):
            assert canary.encode() not in content
    assert b"recipientIndividual" not in contents[1]


def test_each_fund_has_its_own_files(client):
    flanders = other_fund_call()
    ours = award(amount="10000")
    theirs = award(call=flanders, amount="20000")

    rows = scdl_rows(client.get(SCDL_URL, {"fund": "screen-flanders"}).content)
    grants = json.loads(client.get(GIVING_URL, {"fund": "experiences-interactives"}).content)

    assert [row["referenceDecision"] for row in rows] == [theirs.application.reference]
    assert [g["id"] for g in grants["grants"]] == [f"360G-filiere-{ours.application.reference}"]
    assert grants["downloadURL"].endswith("/open-data/360giving.json?fund=experiences-interactives")
    response = client.get(SCDL_URL, {"fund": "screen-flanders"})
    assert 'filename="scdl-subventions-screen-flanders.csv"' in response["Content-Disposition"]


def test_an_unknown_fund_is_a_404_not_an_empty_file(client):
    assert client.get(SCDL_URL, {"fund": "nope"}).status_code == 404
    assert client.get(GIVING_URL, {"fund": "nope"}).status_code == 404


def test_a_long_title_is_cut_to_the_standards_256_characters(client):
    award(title="T" * 200, call=CallFactory(title_fr="Appel " * 30))

    row = scdl_rows(client.get(SCDL_URL).content)[0]

    assert len(row["objet"]) == 256
    assert row["objet"].endswith("…")
    assert scdl_errors(client.get(SCDL_URL).content) == []


def test_without_any_award_the_csv_has_its_header_and_the_package_no_grant(client):
    assert scdl_rows(client.get(SCDL_URL).content) == []
    assert client.get(SCDL_URL).content.decode().strip() == ",".join(scdl_columns())
    assert json.loads(client.get(GIVING_URL).content)["grants"] == []


def test_amounts_reconcile_with_the_confirmed_award_decisions(client):
    flanders = other_fund_call()
    amounts = ["12500.10", "30000.00", "149999.99", "7000.45"]
    for amount in amounts[:3]:
        award(amount=amount)
    award(call=flanders, amount=amounts[3])
    award(organisation=belgian_company(), amount="5000.05")
    decision(amount="99999", status=DecisionStatus.PROPOSED)  # not confirmed: not published

    from filiere.committee.models import Decision

    confirmed = Decision.objects.filter(outcome="award", status="confirmed")
    expected_all = sum((d.amount for d in confirmed), Decimal(0))
    expected_scdl = sum(
        (d.amount for d in confirmed if d.application.organisation.siret), Decimal(0)
    )
    grants = json.loads(client.get(GIVING_URL).content)["grants"]
    rows = scdl_rows(client.get(SCDL_URL).content)

    assert sum(Decimal(str(g["amountAwarded"])) for g in grants) == expected_all
    assert sum(Decimal(row["montant"]) for row in rows) == expected_scdl
    assert expected_all == Decimal("204500.59")
    fund_rows = scdl_rows(client.get(SCDL_URL, {"fund": "screen-flanders"}).content)
    assert sum(Decimal(row["montant"]) for row in fund_rows) == Decimal("7000.45")


def test_a_decision_confirmed_by_the_committees_services_is_published(client):
    letter, _expert = decided(open_call(), amount=Decimal("42000"))
    application = letter.decision.application

    rows = scdl_rows(client.get(SCDL_URL).content)
    grants = json.loads(client.get(GIVING_URL).content)["grants"]

    assert [(row["referenceDecision"], row["montant"]) for row in rows] == [
        (application.reference, "42000.00")
    ]
    assert [(grant["title"], grant["amountAwarded"]) for grant in grants] == [
        (application.title, 42000)
    ]


def test_a_call_without_a_public_page_is_named_without_a_link(client):
    award(call=CallFactory(published=False, title_fr="Appel interne"))

    grant = json.loads(client.get(GIVING_URL).content)["grants"][0]

    assert grant["grantProgramme"] == [
        {"code": grant["grantProgramme"][0]["code"], "title": "Appel interne"}
    ]
    assert giving_errors({"grants": [grant]}) == []
