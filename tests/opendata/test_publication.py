"""How the files are served (stable addresses, content types, ETag and Last-Modified, a cache),
the dataset page, ``GET /api/v1/open-data``, ``check_opendata`` and the deployment check."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from filiere.opendata.checks import publisher_siret_is_valid
from filiere.opendata.schemas import GIVING_SCHEMA

from .factories import award, belgian_company, other_fund_call
from .helpers import GIVING_URL, SCDL_URL

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [SCDL_URL, GIVING_URL])
def test_a_file_answers_304_to_a_harvester_that_has_it_and_changes_with_a_new_award(client, url):
    first = award()
    response = client.get(url)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')
    assert modified == http_date(int(first.application.updated_at.timestamp()))
    assert "public" in response["Cache-Control"] and "max-age=600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert len(queries) == 1  # the version's stamp only: nothing rendered
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    award(amount="1234.00")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"1234" in changed.content


def test_a_file_is_rendered_once_per_version(client, django_assert_max_num_queries):
    award()
    client.get(GIVING_URL)

    # The stamp, then the content from the cache (a table of the database here, as deployed).
    with django_assert_max_num_queries(2):
        response = client.get(GIVING_URL)

    assert response.status_code == 200
    assert json.loads(response.content)["grants"]


def test_the_files_cost_the_same_queries_whatever_the_number_of_awards(client):
    def queries() -> int:
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(SCDL_URL)
        return len(captured)

    award()
    one = queries()
    for number in range(4):
        award(organisation=belgian_company(f"Studio {number}", number))
    assert queries() == one


def test_head_answers_without_a_body(client):
    award()
    response = client.head(SCDL_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_the_files_are_read_only(client):
    assert client.post(SCDL_URL).status_code == 405
    assert client.post(GIVING_URL).status_code == 405


def test_the_dataset_page_documents_the_files(client):
    other_fund_call()
    award(amount="30000")
    award(organisation=belgian_company(), amount="20000")

    page = client.get("/open-data/").content.decode()

    assert "Licence Ouverte 2.0" in page
    assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"' in page
    assert "https://testserver" not in page
    assert 'href="https://filiere.example.org/open-data/scdl-subventions.csv"' in page
    assert 'href="https://filiere.example.org/open-data/360giving.json"' in page
    assert "open-data/360giving.json?fund=experiences-interactives" in page
    assert "screen-flanders" not in page  # no award there yet: no per-fund files listed
    assert "<time datetime=" in page
    assert "2 grants" in page
    assert "in the 360Giving file only" in page  # the Belgian company, without a SIRET
    for field in ("nomAttribuant", "datesPeriodeVersement", "dispositifAide"):
        assert f"<code>{field}</code>" in page
    for field in ("recipientOrganization", "amountAwarded", "plannedDates"):
        assert f"<code>{field}</code>" in page


def test_the_dataset_page_without_any_award(client):
    page = client.get("/open-data/").content.decode()

    assert "No grant published yet." in page


def test_the_api_says_where_the_files_are(client):
    flanders = other_fund_call()
    award(amount="10000.50")
    award(call=flanders, amount="2000")

    data = client.get("/api/v1/open-data").json()

    assert data["licence"] == {
        "name": "Licence Ouverte 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    }
    assert data["grants"] == 2
    assert data["total_awarded"] == "12000.50"
    assert data["updated_at"]
    assert data["dataset_url"] == "https://filiere.example.org/open-data/"
    assert [f["url"] for f in data["files"]] == [
        "https://filiere.example.org/open-data/scdl-subventions.csv",
        "https://filiere.example.org/open-data/360giving.json",
    ]
    assert [f["media_type"] for f in data["files"]] == [
        "text/csv; charset=utf-8",
        "application/json",
    ]
    slugs = [fund["slug"] for fund in data["funds"]]
    assert sorted(slugs) == ["experiences-interactives", "screen-flanders"]
    flanders_files = next(f for f in data["funds"] if f["slug"] == "screen-flanders")["files"]
    assert flanders_files[0]["url"].endswith("scdl-subventions.csv?fund=screen-flanders")


def test_check_opendata_validates_the_files_and_an_official_schema_given_as_a_path(tmp_path):
    award()
    award(organisation=belgian_company())
    out = StringIO()

    call_command("check_opendata", stdout=out)
    assert "SCDL (all funds, 1 rows), project's Table Schema: valid." in out.getvalue()
    assert "360Giving (all funds, 2 grants), project's JSON Schema: valid." in out.getvalue()

    # A stand-in for the official schema (the real one lies outside the repository): a package
    # schema referring to its grant schema by a web address, in one folder.
    grant = {"$id": "https://example.org/grant.json", "type": "object", "required": ["id"]}
    package = {
        "$schema": "http://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"grants": {"items": {"$ref": "https://example.org/v1/grant.json"}}},
    }
    (tmp_path / "grant.json").write_text(json.dumps(grant))
    (tmp_path / "package.json").write_text(json.dumps(package))
    out = StringIO()
    call_command("check_opendata", "--360giving-schema", str(tmp_path / "package.json"), stdout=out)
    assert "official schema" in out.getvalue() and "valid." in out.getvalue()

    grant["required"] = ["id", "notAField"]
    (tmp_path / "grant.json").write_text(json.dumps(grant))
    with pytest.raises(CommandError, match="problem"):
        call_command(
            "check_opendata", "--360giving-schema", str(tmp_path / "package.json"), stdout=out
        )
    assert "notAField" in out.getvalue()


def test_check_opendata_reports_a_file_the_project_schema_refuses(settings):
    settings.FILIERE_OPEN_DATA_PUBLISHER_SIRET = ""  # the SCDL's idAttribuant is required
    award()
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("check_opendata", "--fund", "experiences-interactives", stdout=out)

    assert "idAttribuant" in out.getvalue()


def test_check_opendata_refuses_an_unknown_fund_or_path():
    with pytest.raises(CommandError, match="No fund"):
        call_command("check_opendata", "--fund", "nope")
    with pytest.raises(CommandError, match="does not exist"):
        call_command("check_opendata", "--360giving-schema", str(Path("/no/such/schema.json")))


def test_the_deployment_check_refuses_a_siret_that_is_not_one(settings):
    settings.DEBUG = False
    settings.FILIERE_OPEN_DATA_PUBLISHER_SIRET = "00000000000018"  # the development number
    assert [m.id for m in publisher_siret_is_valid(None)] == ["filiere.opendata.W001"]
    settings.FILIERE_OPEN_DATA_PUBLISHER_SIRET = "73282932000075"  # a wrong check digit
    assert [m.id for m in publisher_siret_is_valid(None)] == ["filiere.opendata.W001"]
    settings.FILIERE_OPEN_DATA_PUBLISHER_SIRET = "73282932000074"
    assert publisher_siret_is_valid(None) == []
    settings.FILIERE_OPEN_DATA_PUBLISHER_SIRET = ""  # not published as SCDL: check_opendata says
    assert publisher_siret_is_valid(None) == []


def test_the_project_schema_is_a_valid_json_schema():
    import jsonschema

    jsonschema.Draft202012Validator.check_schema(json.loads(GIVING_SCHEMA.read_text()))


def test_the_dataset_page_costs_the_same_queries_whatever_the_number_of_funds(client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/open-data/").status_code == 200
        return len(captured)

    award()
    one = queries()
    award(call=other_fund_call())
    award(organisation=belgian_company())
    assert queries() == one
