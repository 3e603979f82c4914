"""``GET /api/v1/agreements`` and ``/agreements/{id}``: the staff read their calls' agreements
(drafts too), the beneficiary's team theirs once sent, with tranches; a constant query count."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filiere.awards.services_agreements import amend_agreement
from tests.awards.factories import awarded, call_staff
from tests.awards.pages import bearer, sent_case
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_beneficiary_reads_their_agreement_with_its_tranches(client):
    case = sent_case(amount=Decimal("40000"))
    amend_agreement(agreement=case.agreement, by=case.staff, reason="Typo", conditions="Titres")
    for reader in (case.lead, case.member):
        listed = client.get("/api/v1/agreements", **bearer(reader)).json()
        assert [row["id"] for row in listed["results"]] == [case.agreement.pk]
        detail = client.get(f"/api/v1/agreements/{case.agreement.pk}", **bearer(reader))
        assert detail.status_code == 200
        body = detail.json()
        assert body["amount"] == "40000.00"
        assert body["status"] == "sent"
        assert [(t["label"], t["amount"]) for t in body["tranches"]] == [
            ("signature", "20000.00"),
            ("mid_term", "12000.00"),
            ("final_report", "8000.00"),
        ]
        assert body["amendments"][0]["changes"] == {"conditions": ["", "Titres"]}
        assert body["spend_ratio"] == "1.00"


def test_a_draft_is_listed_for_staff_not_for_the_team(client):
    case = sent_case(send=False)
    assert client.get("/api/v1/agreements", **bearer(case.lead)).json()["count"] == 0
    staff_list = client.get("/api/v1/agreements", **bearer(case.staff)).json()
    assert [row["status"] for row in staff_list["results"]] == ["draft"]


def test_the_list_filters_by_call_and_status(client):
    first = sent_case()
    second = sent_case(send=False)
    staff = user_with_role("staff")
    headers = bearer(staff)
    call = first.agreement.application.call.slug
    rows = client.get(f"/api/v1/agreements?call={call}", **headers).json()["results"]
    assert [row["id"] for row in rows] == [first.agreement.pk]
    rows = client.get("/api/v1/agreements?status=draft", **headers).json()["results"]
    assert [row["id"] for row in rows] == [second.agreement.pk]
    assert client.get("/api/v1/agreements?status=nonsense", **headers).status_code == 422


def test_call_scoped_staff_list_only_their_calls(client):
    mine = sent_case()
    sent_case()
    rows = client.get("/api/v1/agreements", **bearer(mine.staff)).json()["results"]
    assert [row["id"] for row in rows] == [mine.agreement.pk]


def test_the_list_costs_the_same_queries_for_one_or_many_agreements(client):
    staff = user_with_role("staff")
    headers = bearer(staff)
    sent_case()
    client.get("/api/v1/agreements", **headers)  # warm caches (the token's last use...)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/agreements", **headers)
    for _ in range(4):
        sent_case()
    with CaptureQueriesContext(connection) as five:
        response = client.get("/api/v1/agreements", **headers)
    assert response.json()["count"] == 5
    assert len(five) == len(one)


def test_an_awarded_application_without_agreement_is_not_listed(client):
    application, _ = awarded()
    staff = call_staff(application.call)
    assert client.get("/api/v1/agreements", **bearer(staff)).json()["count"] == 0
