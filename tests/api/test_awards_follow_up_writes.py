"""The follow-up's writes through the API (issue #12): the beneficiary declares and withdraws
invoices of the regional-spend ledger, the staff of the call approve (two different people),
refuse and record payments — each through the service the pages call, with its refusals in the
API's error shape, its audit entries, and the pages' permissions (attackers learn nothing and
change nothing)."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token, grant_role
from filiere.audit.models import AuditEntry
from filiere.awards.models import (
    AgreementStatus,
    PaymentApproval,
    PaymentRequest,
    SpendLine,
    TrancheStatus,
)
from tests.accounts.factories import user_with_role
from tests.awards.follow_up_factories import (
    SIRET,
    ask,
    eligible_place,
    invoice,
    signed_case,
    tranche,
)
from tests.awards.pages import bearer
from tests.calls.instruction_factories import add_member
from tests.factories import UserFactory
from tests.review.factories import call_staff, open_call

pytestmark = pytest.mark.django_db


def _lines_url(case) -> str:
    return f"/api/v1/agreements/{case.agreement.pk}/spend/lines"


def _spend_url(case) -> str:
    return f"/api/v1/agreements/{case.agreement.pk}/spend"


def _decision_url(case, request, verb: str) -> str:
    return f"/api/v1/agreements/{case.agreement.pk}/payment-requests/{request.pk}/{verb}"


def _post(client, url, user, body=None):
    data = json.dumps(body) if body is not None else ""
    return client.post(url, data, content_type="application/json", **bearer(user))


def _invoice_body(case, **changes):
    body = {
        "supplier_name": "Studio du Nord",
        "supplier_id": SIRET,
        "amount": "12000.50",
        "commune": eligible_place(case.agreement).insee_code,
        "category": "crew",
        "invoice_number": "F-2026-001",
        "invoice_date": "2026-03-02",
    }
    body.update(changes)
    return {name: value for name, value in body.items() if value is not None}


def _case():
    return signed_case(amount=Decimal("40000"), territories=["mel"])


# --- the beneficiary: the spend ledger --------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "member"])
def test_the_beneficiary_declares_and_withdraws_and_the_ratio_follows(client, who):
    case = _case()
    user = getattr(case, who)
    before = client.get(_spend_url(case), **bearer(user)).json()
    assert before["lines"] == [] and Decimal(before["ratio"]) == 0

    response = _post(client, _lines_url(case), user, _invoice_body(case))

    assert response.status_code == 201, response.content
    line = response.json()
    assert line["supplier_id"] == SIRET and line["eligible"] is True
    assert line["commune"] == eligible_place(case.agreement).insee_code
    assert Decimal(line["amount"]) == Decimal("12000.50")
    assert line["invoice_date"] == "2026-03-02" and line["category"] == "crew"
    after = client.get(_spend_url(case), **bearer(user)).json()
    assert [row["id"] for row in after["lines"]] == [line["id"]]
    assert Decimal(after["eligible_spend"]) == Decimal("12000.50")
    assert Decimal(after["ratio"]) > 0
    entry = AuditEntry.objects.get(action="awards.spend.declared")
    assert entry.actor == user and entry.data["line"] == line["id"]

    gone = client.delete(f"{_lines_url(case)}/{line['id']}", **bearer(user))

    assert gone.status_code == 204
    assert not SpendLine.objects.exists()
    assert Decimal(client.get(_spend_url(case), **bearer(user)).json()["ratio"]) == 0
    assert AuditEntry.objects.filter(action="awards.spend.withdrawn", actor=user).count() == 1


def test_an_integer_amount_and_a_belgian_supplier_are_read_like_the_page(client):
    case = _case()
    body = _invoice_body(case, supplier_id="BE 0403.019.261", commune="", region="wallonia")
    body["amount"] = 800

    response = _post(client, _lines_url(case), case.lead, body)

    assert response.status_code == 201, response.content
    assert response.json()["region"] == "wallonia" and response.json()["eligible"] is False
    assert response.json()["commune"] is None


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "12.345"}, "amount"),
        ({"amount": "lots"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": True}, "amount"),
        ({"amount": "99999999999"}, "amount"),
        ({"commune": "00000"}, "commune"),
        ({"region": "mars"}, "region"),
        ({"category": "yacht"}, "category"),
        ({"invoice_date": "yesterday"}, "invoice_date"),
        ({"supplier_name": "   "}, "supplier_name"),
        ({"supplier_id": "73282932000075"}, "supplier_id"),
        ({"supplier_id": ["x"]}, "supplier_id"),
        ({"supplier_name": None}, "supplier_name"),
        ({"region": "wallonia"}, "region"),
    ],
)
def test_bad_input_is_a_clear_422_and_nothing_is_written(client, changes, field):
    case = _case()

    response = _post(client, _lines_url(case), case.lead, _invoice_body(case, **changes))

    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["code"] == "invalid_input" or answer["code"].startswith("awards.spend.")
    assert answer["fields"][field] and all(answer["fields"][field])
    assert answer["message"]
    assert not SpendLine.objects.exists()


@pytest.mark.parametrize("body", [b"", b"[]", b'"x"', b"{not json", b"null"])
def test_a_body_that_is_not_an_object_is_a_422(client, body):
    case = _case()

    response = client.post(
        _lines_url(case), body, content_type="application/json", **bearer(case.lead)
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert not SpendLine.objects.exists()


def test_the_ledger_refuses_writes_once_closed_or_the_final_tranche_asked(client):
    case = _case()
    line = invoice(case, Decimal("100"))
    case.agreement.status = AgreementStatus.CLOSED
    case.agreement.save()

    declared = _post(client, _lines_url(case), case.lead, _invoice_body(case))
    withdrawn = client.delete(f"{_lines_url(case)}/{line.pk}", **bearer(case.lead))

    assert declared.status_code == 409
    assert declared.json()["code"] == "awards.spend.not_signed"
    assert declared.json()["message"]
    assert withdrawn.status_code == 409
    assert list(SpendLine.objects.values_list("pk", flat=True)) == [line.pk]


def test_the_ledger_is_locked_once_the_final_tranche_is_asked_for(client):
    case = _case()
    line = invoice(case, Decimal("100"))
    last = case.agreement.tranches.order_by("-position").first()
    type(last).objects.filter(pk=last.pk).update(status=TrancheStatus.REQUESTED)

    declared = _post(client, _lines_url(case), case.member, _invoice_body(case))
    withdrawn = client.delete(f"{_lines_url(case)}/{line.pk}", **bearer(case.member))

    assert declared.status_code == withdrawn.status_code == 409
    assert declared.json()["code"] == "awards.spend.locked"
    assert SpendLine.objects.count() == 1


def test_the_forms_messages_are_in_the_callers_language(client):
    case = _case()
    body = json.dumps(_invoice_body(case, supplier_name="  "))

    english, french = (
        client.post(
            _lines_url(case),
            body,
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE=language,
            **bearer(case.lead),
        ).json()
        for language in ("en", "fr")
    )

    assert english["fields"]["supplier_name"] == ["This field is required."]
    assert french["fields"]["supplier_name"] == ["Ce champ est obligatoire."]


def test_an_unknown_line_or_another_agreements_line_is_a_404(client):
    case, other = _case(), _case()
    theirs = invoice(other, Decimal("100"))

    assert client.delete(f"{_lines_url(case)}/{theirs.pk}", **bearer(case.lead)).status_code == 404
    assert client.delete(f"{_lines_url(case)}/999999", **bearer(case.lead)).status_code == 404
    assert SpendLine.objects.count() == 1


def _spend_locked_out(client, user, case, line):
    before = list(SpendLine.objects.order_by("pk").values_list("pk", "amount"))
    declared = _post(client, _lines_url(case), user, _invoice_body(case))
    withdrawn = client.delete(f"{_lines_url(case)}/{line.pk}", **bearer(user))
    assert declared.status_code == 404, declared.content
    assert declared.json()["code"] == "not_found"
    assert withdrawn.status_code == 404
    assert list(SpendLine.objects.order_by("pk").values_list("pk", "amount")) == before


def test_another_team_a_pending_invitee_and_the_staff_never_touch_the_ledger(client):
    case, other = _case(), _case()
    line = invoice(case, Decimal("100"))
    invitee = UserFactory()
    add_member(case.agreement.application, invitee, accepted=False)
    for user in (other.lead, other.member, invitee, case.staff, call_staff(open_call())):
        _spend_locked_out(client, user, case, line)


def test_a_session_needs_its_csrf_token_to_declare(client):
    case = _case()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(case.lead)

    response = strict.post(
        _lines_url(case), json.dumps(_invoice_body(case)), content_type="application/json"
    )

    assert response.status_code == 403
    assert not SpendLine.objects.exists()


# --- the staff: approve, refuse, pay ----------------------------------------------------------


def test_two_different_staff_approve_then_one_records_the_payment(client):
    case = _case()
    request = ask(case, 0)

    first = _post(client, _decision_url(case, request, "approve"), case.staff)
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "approved_once" and first.json()["approvals"] == 1

    again = _post(client, _decision_url(case, request, "approve"), case.staff)
    assert again.status_code == 409
    assert again.json()["code"] == "awards.payment.already_approved"
    assert again.json()["message"]

    second = _post(client, _decision_url(case, request, "approve"), case.second_staff)
    assert second.status_code == 200
    assert second.json()["status"] == "approved" and second.json()["approvals"] == 2
    assert tranche(case.agreement, 0).status == TrancheStatus.APPROVED

    today = timezone.localdate().isoformat()
    paid = _post(client, _decision_url(case, request, "pay"), case.staff, {"paid_on": today})
    assert paid.status_code == 200, paid.content
    assert paid.json()["status"] == "paid"
    assert paid.json()["paid_at"].startswith(today)
    assert Decimal(paid.json()["paid_amount"]) == request.amount
    assert tranche(case.agreement, 0).status == TrancheStatus.PAID

    listed = client.get(
        f"/api/v1/agreements/{case.agreement.pk}/payment-requests", **bearer(case.lead)
    ).json()
    assert listed[0]["id"] == request.pk and listed[0]["status"] == "paid"
    approvals = AuditEntry.objects.filter(action="awards.payment.approved")
    assert sorted(approvals.values_list("actor", flat=True)) == sorted(
        [case.staff.pk, case.second_staff.pk]
    )
    assert AuditEntry.objects.get(action="awards.payment.paid").actor == case.staff


def test_payment_needs_the_two_approvals_and_a_sensible_day(client):
    case = _case()
    request = ask(case, 0)
    today = timezone.localdate()

    early = _post(
        client, _decision_url(case, request, "pay"), case.staff, {"paid_on": today.isoformat()}
    )
    assert early.status_code == 409 and early.json()["code"] == "awards.payment.not_approved"

    _post(client, _decision_url(case, request, "approve"), case.staff)
    _post(client, _decision_url(case, request, "approve"), case.second_staff)
    future = (today + timedelta(days=3)).isoformat()
    for body in ({"paid_on": future}, {"paid_on": "someday"}, {}, {"paid_on": 20260101}):
        response = _post(client, _decision_url(case, request, "pay"), case.staff, body)
        assert response.status_code == 422, body
        assert response.json()["fields"]["paid_on"], body
    assert PaymentRequest.objects.get(pk=request.pk).status == "approved"
    assert not AuditEntry.objects.filter(action="awards.payment.paid").exists()


def test_a_refusal_needs_its_reason_and_is_audited_with_it(client):
    case = _case()
    request = ask(case, 0)

    for body in ({}, {"reason": "   "}, {"reason": 3}, {"reason": "x" * 2001}):
        response = _post(client, _decision_url(case, request, "refuse"), case.staff, body)
        assert response.status_code == 422, body
        assert response.json()["fields"]["reason"]
    refused = _post(
        client, _decision_url(case, request, "refuse"), case.staff, {"reason": "RIB missing"}
    )

    assert refused.status_code == 200
    assert refused.json()["status"] == "refused"
    assert refused.json()["refusal_reason"] == "RIB missing"
    assert tranche(case.agreement, 0).status == TrancheStatus.PLANNED
    entry = AuditEntry.objects.get(action="awards.payment.refused")
    assert entry.reason == "RIB missing" and entry.actor == case.staff
    late = _post(client, _decision_url(case, request, "approve"), case.second_staff)
    assert late.status_code == 409 and late.json()["code"] == "awards.payment.not_pending"


def _decisions_state():
    return (
        list(PaymentRequest.objects.order_by("pk").values_list("pk", "status")),
        PaymentApproval.objects.count(),
        AuditEntry.objects.filter(action__startswith="awards.payment.")
        .exclude(action="awards.payment.requested")
        .count(),
    )


def _decisions_refused(client, user, case, request, status):
    before = _decisions_state()
    for verb, body in (("approve", None), ("refuse", {"reason": "x"}), ("pay", {"paid_on": "x"})):
        response = _post(client, _decision_url(case, request, verb), user, body)
        assert response.status_code == status, (verb, response.content)
    assert _decisions_state() == before


def test_people_who_instruct_no_call_get_403_and_other_calls_staff_404(client):
    case, other = _case(), _case()
    request = ask(case, 0)
    invitee = UserFactory()
    add_member(case.agreement.application, invitee, accepted=False)
    for user in (case.lead, case.member, other.lead, invitee):
        _decisions_refused(client, user, case, request, 403)
    _decisions_refused(client, other.staff, case, request, 404)
    _decisions_refused(client, call_staff(open_call()), case, request, 404)


def test_call_staff_on_the_team_never_decide_on_its_payments(client):
    case = _case()
    request = ask(case, 0)
    insider = call_staff(case.agreement.application.call)
    add_member(case.agreement.application, insider)

    _decisions_refused(client, insider, case, request, 404)


def test_staff_without_a_second_factor_are_refused_by_token_and_session(client):
    case = _case()
    request = ask(case, 0)
    weak = user_with_role("member", with_totp=False)
    grant_role(user=weak, role=Role.STAFF, scope=case.agreement.application.call, by=None)
    weak.refresh_from_db()

    response = _post(client, _decision_url(case, request, "approve"), weak)
    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"
    client.force_login(weak)
    by_session = client.post(_decision_url(case, request, "approve"))
    assert by_session.status_code == 401
    assert by_session.json()["code"] == "second_factor_required"
    assert _decisions_state()[1] == 0
    global_staff = user_with_role(Role.STAFF, with_totp=False)
    _decisions_refused(client, global_staff, case, request, 401)


def test_a_read_only_token_decides_nothing(client):
    case = _case()
    request = ask(case, 0)
    _token, key = create_api_token(user=case.staff, name="ro", read_only=True)

    response = client.post(
        _decision_url(case, request, "approve"), HTTP_AUTHORIZATION=f"Bearer {key}"
    )

    assert response.status_code == 403 and response.json()["code"] == "read_only_token"
    assert PaymentApproval.objects.count() == 0


def test_an_unknown_request_or_another_agreements_request_is_a_404(client):
    case, other = _case(), _case()
    theirs = ask(other, 0)

    response = _post(client, _decision_url(case, theirs, "approve"), case.staff)

    assert response.status_code == 404
    assert PaymentApproval.objects.count() == 0
