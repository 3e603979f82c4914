"""Regional spend achieved: the agreements of the awards app and their declared invoices."""

from decimal import Decimal

import pytest

from filiere.awards.models import Agreement, SpendLine
from filiere.committee.models import Decision
from filiere.observatory.services import refresh_now

from .factories import application, closed_call, decider

pytestmark = pytest.mark.django_db


def _agreement(call, *, status="signed", amount="40000", ratio="1.00", eligible=(), other=()):
    awarded = application(call, awarded=True, amount=amount)
    agreement = Agreement.objects.create(
        application=awarded,
        decision=Decision.objects.get(application=awarded),
        amount=Decimal(amount),
        spend_ratio=Decimal(ratio),
        status=status,
        created_by=decider(),
    )
    for value, counts in [*((v, True) for v in eligible), *((v, False) for v in other)]:
        SpendLine.objects.create(
            agreement=agreement,
            supplier_name="Studio",
            supplier_id="73282932000074",
            amount=Decimal(value),
            eligible=counts,
            declared_by=decider(),
        )
    return agreement


def _row(table, key):
    index = [row["key"] for row in table["rows"]].index(key)
    return [cell["v"] for cell in table["cells"][index]]


def test_the_spend_of_signed_agreements_by_year_with_the_closed_ones_that_met_their_rule():
    call = closed_call(2014)
    for _ in range(6):  # closed, 100 % required and reached
        _agreement(call, status="closed", eligible=["30000", "15000"], other=["9000"])
    for _ in range(5):  # closed, 150 % required, not reached
        _agreement(call, status="closed", ratio="1.50", eligible=["20000"])
    for _ in range(5):  # still running, nothing declared yet
        _agreement(call, status="signed")
    _agreement(call, status="draft", eligible=["99999"])  # not signed: not counted
    table = refresh_now().figures["tables"]["spend"]
    assert [column["key"] for column in table["columns"]] == [
        "agreements",
        "closed",
        "met",
        "amount",
        "required",
        "eligible",
        "spend_ratio",
    ]
    # 16 agreements, 11 closed, 6 met; 640,000 € awarded; 16 x 40,000 + 5 x 20,000 required;
    # 6 x 45,000 + 5 x 20,000 eligible (the invoices elsewhere do not count).
    assert _row(table, "2014") == [16, 11, 6, 640000, 740000, 370000, 57.8]
    assert [cell["v"] for cell in table["total"]] == [16, 11, 6, 640000, 740000, 370000, 57.8]


def test_a_year_with_few_agreements_shows_them_as_small(client):
    _agreement(closed_call(2015), status="closed", eligible=["50000"])
    for _ in range(6):
        _agreement(closed_call(2016), status="signed", eligible=["10000"])
    table = refresh_now().figures["tables"]["spend"]
    assert table["cells"][0][0] == {"v": None, "s": "small"}
    assert table["cells"][0][5] == {"v": None, "s": "small"}  # its amount would give it away
    assert table["cells"][1][0] == {"v": None, "s": "hidden"}  # 7 - 6 = 1 otherwise
    page = client.get("/observatory/").content.decode()
    assert "Regional spend achieved" in page
    assert 'id="figure-spend"' in page
