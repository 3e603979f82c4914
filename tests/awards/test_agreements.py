"""Agreements through their one door: generated from a confirmed award (amount, 50/30/20
tranches from the engine, the call's regional-spend rule, the co-funders' parts, the applicant's
language), sent, signed from a clean signed copy (the application moves to ``agreement``),
amended with the history of the changes; each step audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from filiere.audit.models import AuditEntry
from filiere.awards.models import Agreement, AgreementStatus, Amendment, TrancheStatus
from filiere.awards.services_agreements import (
    amend_agreement,
    generate_agreement,
    record_signature,
    send_agreement,
)
from filiere.calls.models import CoFunder, ScanStatus
from filiere.committee.models import Decision, DecisionStatus, Letter
from filiere.errors import Invalid, NotAllowed, ServiceError
from tests.awards.factories import awarded, call_staff, open_call, staff
from tests.calls.instruction_factories import add_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def generated(amount=Decimal("40000"), **kwargs):
    application, _decision = awarded(amount=amount, **kwargs)
    return generate_agreement(application=application, by=staff())


def signed_copy_clean(agreement):
    Agreement.objects.filter(pk=agreement.pk).update(
        signed_copy="awards/agreement/x", signed_copy_scan_status=ScanStatus.CLEAN
    )
    agreement.refresh_from_db()
    return agreement


# --- generate -----------------------------------------------------------------------------------


def test_the_agreement_takes_the_decisions_amount_and_the_default_schedule():
    agreement = generated(Decimal("100000.01"))

    assert agreement.amount == Decimal("100000.01")
    assert agreement.status == AgreementStatus.DRAFT
    tranches = list(agreement.tranches.order_by("position"))
    assert [(t.label, t.share, t.amount) for t in tranches] == [
        ("signature", Decimal(50), Decimal("50000.00")),
        ("mid_term", Decimal(30), Decimal("30000.00")),
        ("final_report", Decimal(20), Decimal("20000.01")),
    ]
    assert all(t.status == TrancheStatus.PLANNED for t in tranches)
    entry = AuditEntry.objects.get(action="awards.agreement.generated")
    assert entry.data["amount"] == "100000.01"
    assert entry.data["tranches"][2] == ["final_report", "20", "20000.01"]


def test_a_schedule_given_by_staff_replaces_the_default():
    application, _ = awarded(amount=Decimal("10000"))
    agreement = generate_agreement(
        application=application,
        by=staff(),
        schedule=[("signature", Decimal(70)), ("final_report", Decimal(30))],
    )
    assert [t.amount for t in agreement.tranches.order_by("position")] == [
        Decimal("7000.00"),
        Decimal("3000.00"),
    ]


def test_a_schedule_that_does_not_make_100_percent_is_refused():
    application, _ = awarded()
    with pytest.raises(Invalid) as refused:
        generate_agreement(
            application=application,
            by=staff(),
            schedule=[("signature", Decimal(50)), ("final_report", Decimal(40))],
        )
    assert refused.value.code == "awards.schedule.not_100"
    assert not Agreement.objects.exists()


def test_the_spend_ratio_comes_from_the_calls_rule_and_defaults_to_100_percent():
    assert generated().spend_ratio == Decimal("1.00")
    call = open_call(
        eligibility_rules=[{"kind": "financing_plan", "regional_ratio_percent": "150"}]
    )
    agreement = generated(call=call)
    assert agreement.spend_ratio == Decimal("1.50")
    # The cluster's intercommunalities unless staff choose.
    assert agreement.spend_territories == ["mel", "valenciennes", "porte-du-hainaut"]


def test_cofunders_pay_their_share_of_the_envelope_within_what_is_left():
    call = open_call(envelope=Decimal("100000"))
    CoFunder.objects.create(call=call, name="Lille Métropole", amount=Decimal("25000"))
    small = CoFunder.objects.create(call=call, name="Wallimage", amount=Decimal("30000"))
    first = generated(Decimal("40000"), call=call)
    assert {s.name: s.amount for s in first.cofunder_shares.all()} == {
        "Lille Métropole": Decimal("10000.00"),
        "Wallimage": Decimal("12000.00"),
    }
    # Wallimage has 18 000 € left: a second award of 80 000 € gets 18 000 €, not 24 000 €.
    second = generated(Decimal("80000"), call=call)
    assert second.cofunder_shares.get(cofunder=small).amount == Decimal("18000.00")


def test_a_cofunder_limited_to_partners_of_a_territory_funds_only_those_projects():
    call = open_call(envelope=Decimal("100000"))
    CoFunder.objects.create(
        call=call,
        name="Wallimage",
        amount=Decimal("50000"),
        eligible_partner_territories=["wallonia"],
    )
    assert not generated(call=call).cofunder_shares.exists()


def test_the_agreement_is_in_the_language_of_the_decision_letter():
    application, decision = awarded()
    Letter.objects.create(decision=decision, language="nl")
    agreement = generate_agreement(application=application, by=staff())
    assert agreement.language == "nl"


def test_no_agreement_without_a_confirmed_award():
    application, decision = awarded()
    Decision.objects.filter(pk=decision.pk).update(status=DecisionStatus.PROPOSED)
    with pytest.raises(ServiceError) as refused:
        generate_agreement(application=application, by=staff())
    assert refused.value.code == "awards.no_award_decision"


def test_no_agreement_before_the_award_and_never_two():
    application, _ = awarded(state="committee")
    with pytest.raises(ServiceError) as refused:
        generate_agreement(application=application, by=staff())
    assert refused.value.code == "awards.not_awarded"

    agreement = generated()
    with pytest.raises(ServiceError) as refused:
        generate_agreement(application=agreement.application, by=staff())
    assert refused.value.code == "awards.agreement_exists"
    assert Agreement.objects.count() == 1


def test_only_the_calls_staff_not_on_the_team_generate():
    application, _ = awarded()
    other_call_staff = call_staff(open_call())
    with pytest.raises(NotAllowed):
        generate_agreement(application=application, by=other_call_staff)
    on_team = staff()
    add_member(application, on_team)
    with pytest.raises(NotAllowed):
        generate_agreement(application=application, by=on_team)
    assert generate_agreement(application=application, by=call_staff(application.call))


# --- send and sign ------------------------------------------------------------------------------


def test_send_then_sign_moves_the_application_to_agreement():
    agreement = generated()
    signer = staff()
    send_agreement(agreement=agreement, by=signer)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT and agreement.sent_at

    record_signature(agreement=signed_copy_clean(agreement), by=signer)

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED and agreement.signed_at
    agreement.application.refresh_from_db()
    assert agreement.application.state == "agreement"
    assert AuditEntry.objects.filter(action="calls.application.sign_agreement").exists()
    assert AuditEntry.objects.filter(action="awards.agreement.signed").exists()


def test_a_draft_is_sent_once():
    agreement = generated()
    send_agreement(agreement=agreement, by=staff())
    with pytest.raises(ServiceError) as refused:
        send_agreement(agreement=agreement, by=staff())
    assert refused.value.code == "awards.not_draft"


@pytest.mark.parametrize(
    ("copy", "scan", "code"),
    [
        ("", ScanStatus.PENDING, "awards.signed_copy_missing"),
        ("awards/agreement/x", ScanStatus.PENDING, "awards.signed_copy_not_clean"),
        ("awards/agreement/x", ScanStatus.INFECTED, "awards.signed_copy_not_clean"),
        ("awards/agreement/x", ScanStatus.ERROR, "awards.signed_copy_not_clean"),
    ],
)
def test_no_signature_without_a_clean_signed_copy(copy, scan, code):
    agreement = generated()
    send_agreement(agreement=agreement, by=staff())
    Agreement.objects.filter(pk=agreement.pk).update(signed_copy=copy, signed_copy_scan_status=scan)
    with pytest.raises(ServiceError) as refused:
        record_signature(agreement=agreement, by=staff())
    assert refused.value.code == code
    agreement.application.refresh_from_db()
    assert agreement.application.state == "awarded"


# --- amend --------------------------------------------------------------------------------------


def signed(amount=Decimal("40000")):
    agreement = generated(amount)
    send_agreement(agreement=agreement, by=staff())
    return record_signature(agreement=signed_copy_clean(agreement), by=staff())


def test_an_amendment_keeps_what_changed_and_reschedules_the_open_tranches():
    agreement = signed(Decimal("40000"))
    first = agreement.tranches.get(position=0)
    first.status = TrancheStatus.PAID
    first.save()

    amendment = amend_agreement(
        agreement=agreement,
        by=staff(),
        reason="Budget revised",
        amount=Decimal("30000"),
        conditions="Credit the fund in the titles.",
    )

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AMENDED
    assert agreement.version == 2
    assert amendment.number == 1
    assert amendment.changes["amount"] == ["40000.00", "30000"]
    assert amendment.changes["conditions"] == ["", "Credit the fund in the titles."]
    # 20 000 € already paid; 10 000 € left, shared 30:20 by the two open tranches.
    assert [t.amount for t in agreement.tranches.order_by("position")] == [
        Decimal("20000.00"),
        Decimal("6000.00"),
        Decimal("4000.00"),
    ]
    entry = AuditEntry.objects.get(action="awards.agreement.amended")
    assert entry.reason == "Budget revised"


def test_amendments_are_numbered_in_order():
    agreement = signed()
    amend_agreement(agreement=agreement, by=staff(), reason="a", conditions="one")
    amend_agreement(agreement=agreement, by=staff(), reason="b", spend_ratio=Decimal("1.5"))
    assert list(Amendment.objects.values_list("number", flat=True)) == [1, 2]
    agreement.refresh_from_db()
    assert agreement.version == 3 and agreement.spend_ratio == Decimal("1.50")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amount": Decimal("40000.01")}, "awards.amendment.above_decision"),
        ({"amount": Decimal("0")}, "awards.amendment.amount_missing"),
        ({"conditions": ""}, "awards.amendment.no_change"),
        ({"reason": ""}, "awards.amendment.reason_missing"),
        ({"spend_ratio": Decimal("-1")}, "awards.amendment.ratio_negative"),
    ],
)
def test_refused_amendments(changes, code):
    agreement = signed(Decimal("40000"))
    values = {"reason": "why", **changes}
    with pytest.raises(ServiceError) as refused:
        amend_agreement(agreement=agreement, by=staff(), **values)
    assert refused.value.code == code
    assert not Amendment.objects.exists()


def test_the_amount_cannot_fall_below_what_is_paid():
    agreement = signed(Decimal("40000"))
    agreement.tranches.filter(position__in=[0, 1]).update(status=TrancheStatus.PAID)
    with pytest.raises(ServiceError) as refused:
        amend_agreement(agreement=agreement, by=staff(), reason="r", amount=Decimal("30000"))
    assert refused.value.code == "awards.amendment.below_committed"


def test_a_draft_is_not_amended():
    agreement = generated()
    with pytest.raises(ServiceError) as refused:
        amend_agreement(agreement=agreement, by=staff(), reason="r", conditions="x")
    assert refused.value.code == "awards.amendment.not_amendable"


# --- the e-mail ---------------------------------------------------------------------------------


def test_sending_emails_the_pdf_to_the_team_in_the_agreements_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    lead = UserFactory(preferred_language="en")
    application, _ = awarded(lead=lead)
    member = UserFactory()
    add_member(application, member)
    invitee = UserFactory()
    add_member(application, invitee, accepted=False)
    agreement = generate_agreement(application=application, by=staff())
    with django_capture_on_commit_callbacks(execute=True):
        send_agreement(agreement=agreement, by=staff())

    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead.email, member.email])
    message = mailoutbox[0]
    assert application.reference in message.subject
    assert "to sign" in message.subject  # English, the lead's language
    (name, content, kind) = message.attachments[0]
    assert name == f"agreement-{application.reference}-v1.pdf"
    assert kind == "application/pdf" and content.startswith(b"%PDF")
    assert b"forty thousand euros" in content
    assert f"/awards/my/{agreement.pk}/" in message.body


def test_nothing_is_emailed_while_a_draft(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        generated()
    assert mailoutbox == []


def test_amending_a_sent_agreement_sets_aside_the_copy_of_the_old_version_and_resends_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    agreement = generated()
    send_agreement(agreement=agreement, by=staff())
    signed_copy_clean(agreement)
    with django_capture_on_commit_callbacks(execute=True):
        amendment = amend_agreement(
            agreement=agreement, by=staff(), reason="Wrong address", conditions="New"
        )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SENT and agreement.version == 2
    assert not agreement.signed_copy
    assert "signed_copy" in amendment.changes
    assert len(mailoutbox) == 1 and "v2" in mailoutbox[0].attachments[0][0]
    with pytest.raises(ServiceError) as refused:
        record_signature(agreement=agreement, by=staff())
    assert refused.value.code == "awards.signed_copy_missing"
