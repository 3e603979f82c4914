"""The project's schemas catch what the standards forbid: a file whose required field goes
missing, or holds a wrong value, fails its validation."""

from __future__ import annotations

import csv
import io
import json

import pytest

from filiere.opendata.schemas import GIVING_SCHEMA, SCDL_SCHEMA, load

from .factories import award
from .helpers import GIVING_URL, SCDL_URL, giving_errors, scdl_errors

pytestmark = pytest.mark.django_db

SCDL_REQUIRED = [
    field["name"]
    for field in load(SCDL_SCHEMA)["fields"]
    if field.get("constraints", {}).get("required")
]
GRANT_REQUIRED = load(GIVING_SCHEMA)["$defs"]["Grant"]["required"]


@pytest.fixture
def scdl_content(client) -> bytes:
    award()
    content = client.get(SCDL_URL).content
    assert scdl_errors(content) == []
    return content


@pytest.fixture
def package(client) -> dict:
    award()
    data = json.loads(client.get(GIVING_URL).content)
    assert giving_errors(data) == []
    return data


def _rewrite(content: bytes, change) -> bytes:
    rows = list(csv.reader(io.StringIO(content.decode("utf-8"))))
    rows = change(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def test_the_standards_required_fields_are_required():
    assert SCDL_REQUIRED == [
        "nomAttribuant",
        "idAttribuant",
        "dateConvention",
        "nomBeneficiaire",
        "objet",
        "montant",
        "nature",
        "conditionsVersement",
        "datesPeriodeVersement",
        "notificationUE",
        "pourcentageSubvention",
    ]
    assert set(GRANT_REQUIRED) == {
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "fundingOrganization",
        "recipientOrganization",
    }


@pytest.mark.parametrize("column", SCDL_REQUIRED)
def test_an_scdl_file_without_a_required_column_fails(scdl_content, column):
    def drop(rows):
        index = rows[0].index(column)
        return [row[:index] + row[index + 1 :] for row in rows]

    errors = scdl_errors(_rewrite(scdl_content, drop))

    assert any(error.startswith("missing-label") for error in errors), errors


@pytest.mark.parametrize("column", SCDL_REQUIRED)
def test_an_scdl_row_with_an_empty_required_cell_fails(scdl_content, column):
    def blank(rows):
        rows[1][rows[0].index(column)] = ""
        return rows

    errors = scdl_errors(_rewrite(scdl_content, blank))

    assert any('constraint "required"' in error for error in errors), errors


@pytest.mark.parametrize(
    ("column", "value", "error"),
    [
        ("montant", "30000,00", "type-error"),  # a comma is not the decimal sign
        ("dateConvention", "01/07/2009", "type-error"),
        ("idAttribuant", "000 000 000 00018", "constraint-error"),
        ("idBeneficiaire", "12345678901234", "french-siret-value"),
        ("notificationUE", "false", "type-error"),
        ("pourcentageSubvention", "100", "constraint-error"),
        ("nature", "subvention", "constraint-error"),
        ("datesPeriodeVersement", "2009-07-01_2011-07-01", "constraint-error"),
        ("idBeneficiaire", "", "row-constraint"),  # neither a SIRET nor an RNA number
    ],
)
def test_an_scdl_cell_that_breaks_the_standard_fails(scdl_content, column, value, error):
    def change(rows):
        rows[1][rows[0].index(column)] = value
        return rows

    errors = scdl_errors(_rewrite(scdl_content, change))

    assert any(found.startswith(error) for found in errors), errors


def test_an_scdl_file_with_semicolons_fails(scdl_content):
    content = _rewrite(scdl_content, lambda rows: [[";".join(row)] for row in rows])

    assert scdl_errors(content)


@pytest.mark.parametrize("field", GRANT_REQUIRED)
def test_a_grant_without_a_required_field_fails(package, field):
    del package["grants"][0][field]

    errors = giving_errors(package)

    assert any(field in error for error in errors), errors


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda g: g.update(awardDate="01/07/2009"), "a date not in ISO 8601"),
        (lambda g: g.update(amountAwarded="30000.00"), "an amount as text"),
        (lambda g: g.update(currency="euros"), "not an ISO 4217 code"),
        (lambda g: g.update(id="EI2009-0042"), "a grant id without a 360G prefix"),
        (lambda g: g["recipientOrganization"][0].update(id="12345"), "an org id without a list"),
        (lambda g: g["recipientOrganization"][0].pop("name"), "an organisation without a name"),
        (lambda g: g.update(fundingOrganization=[]), "no funder"),
        (lambda g: g.update(fromOpenCall="yes"), "not Yes or No"),
        (lambda g: g.update(recipientIndividual={"id": "x", "name": "A Person"}), "a person"),
        (lambda g: g.update(recipientOrganisation=[]), "a misspelt field"),
    ],
)
def test_a_grant_that_breaks_the_standard_fails(package, change, why):
    change(package["grants"][0])

    assert giving_errors(package), why


def test_a_package_without_its_grants_list_fails(package):
    del package["grants"]

    assert giving_errors(package)
