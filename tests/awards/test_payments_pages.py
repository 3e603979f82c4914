"""The payments' pages: the beneficiary asks for a tranche with proofs, two staff members
approve it and record its payment, the ledger shows it per fund and per co-funder, and the
finance department downloads it as CSV and XLSX."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from filiere.awards.models import CoFunderShare, PaymentRequest
from tests.awards.follow_up_factories import clean_proofs, pay, proof, signed_case, tranche

pytestmark = pytest.mark.django_db


def test_a_tranche_is_asked_for_approved_twice_and_paid_through_the_pages(client):
    case = signed_case(amount=Decimal("40000"))
    first = tranche(case.agreement, 0)
    client.force_login(case.lead)
    page = client.get(reverse("awards:my_payments", args=[case.agreement.pk]))
    assert page.status_code == 200
    assert "Ask for the tranche" in page.content.decode() or "tranche" in page.content.decode()
    response = client.post(
        reverse("awards:payment_request", args=[case.agreement.pk, first.pk]),
        {
            f"tranche-{first.pk}-proofs": [proof(), proof("rib.pdf")],
            f"tranche-{first.pk}-note": "RIB",
        },
    )
    assert response.status_code == 302
    request = PaymentRequest.objects.get(tranche=first)
    assert request.proofs.count() == 2
    clean_proofs(request)

    for staff in (case.staff, case.second_staff):
        client.force_login(staff)
        response = client.post(
            reverse("awards:payment_approve", args=[case.agreement.pk, request.pk])
        )
        assert response.status_code == 302
    client.force_login(case.staff)
    response = client.post(
        reverse("awards:payment_paid", args=[case.agreement.pk, request.pk]),
        {f"paid-{request.pk}-paid_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "paid"
    page = client.get(reverse("awards:payments", args=[case.agreement.pk])).content.decode()
    assert "invoice.pdf" in page and "rib.pdf" in page
    client.force_login(case.member)
    page = client.get(reverse("awards:my_payments", args=[case.agreement.pk])).content.decode()
    assert "Paid" in page or "Payé" in page


def test_a_request_without_proof_shows_the_form_again(client):
    case = signed_case()
    first = tranche(case.agreement, 0)
    client.force_login(case.lead)
    response = client.post(
        reverse("awards:payment_request", args=[case.agreement.pk, first.pk]), {}
    )
    assert response.status_code == 400
    assert not PaymentRequest.objects.exists()


def test_the_ledger_splits_each_payment_between_the_fund_and_the_cofunders(client):
    case = signed_case(amount=Decimal("40000"))
    CoFunderShare.objects.create(agreement=case.agreement, name="CNC", amount=Decimal("10000"))
    pay(case, 0)  # 20 000 €, of which the CNC's quarter: 5 000 €
    client.force_login(case.staff)
    page = client.get(reverse("awards:ledger"))
    assert page.status_code == 200
    text = page.content.decode()
    assert case.agreement.application.reference in text
    assert "CNC" in text

    csv_response = client.get(reverse("awards:ledger_export", args=["csv"]))
    assert csv_response["Content-Type"].startswith("text/csv")
    lines = csv_response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2
    cells = lines[1].split(";")
    assert "20000.00" in cells and "15000.00" in cells and "5000.00" in cells

    xlsx = client.get(reverse("awards:ledger_export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][3] == case.agreement.application.reference
    assert rows[1][7] == 20000 and rows[1][8] == 15000 and rows[1][9] == 5000

    only_cnc = client.get(reverse("awards:ledger_export", args=["csv"]), {"cofunder": "CNC"})
    assert len(only_cnc.content.decode("utf-8-sig").strip().splitlines()) == 2
    other_fund = client.get(reverse("awards:ledger_export", args=["csv"]), {"fund": "nope"})
    assert len(other_fund.content.decode("utf-8-sig").strip().splitlines()) == 1
    assert client.get(reverse("awards:ledger_export", args=["pdf"])).status_code == 404


def test_the_ledger_holds_only_the_calls_the_staff_member_instructs(client):
    from tests.review.factories import call_staff, open_call

    case = signed_case()
    pay(case, 0)
    client.force_login(call_staff(open_call()))
    text = client.get(reverse("awards:ledger")).content.decode()
    assert case.agreement.application.reference not in text
    csv_lines = client.get(reverse("awards:ledger_export", args=["csv"])).content.decode(
        "utf-8-sig"
    )
    assert len(csv_lines.strip().splitlines()) == 1
