"""The demo's committee of the 2009 call: the committee account lands on the open session's
agenda ranked by calibrated scores, the staff find letters in the outbox and the administrator an
award to sign a second time, and the demo applicant reads a decision with its amount and the
anonymised feedback — never an expert's name."""

import pytest
from django.urls import reverse

from filiere.accounts.models import User
from filiere.calls.models import Application, Call
from filiere.committee.models import (
    AgendaItem,
    Decision,
    DecisionStatus,
    Letter,
    LetterStatus,
    Scenario,
    Session,
    SessionStatus,
)
from filiere.demo.accounts import DEMO_APPLICANT_EMAIL, DEMO_STAFF_EMAIL
from filiere.demo.landing import landing_pages
from filiere.review.models import Expert
from tests.demo.loading import MAIN, demo

pytestmark = pytest.mark.django_db


def expert_names(call: Call) -> list[str]:
    names = []
    for expert in Expert.objects.filter(fund=call.fund).select_related("user"):
        names.append(expert.email)
        if expert.user and expert.user.last_name:
            names.append(f"{expert.user.first_name} {expert.user.last_name}")
    return names


def picture(call: Call):
    return sorted(
        Decision.objects.filter(application__call=call).values_list(
            "application__reference", "outcome", "amount", "status"
        )
    )


def test_the_demo_committee_has_two_sessions_and_a_rerun_gives_the_same_decisions(client):
    demo()
    call = Call.objects.get(slug=MAIN)
    first = picture(call)
    output = demo()
    assert picture(call) == first
    sessions = Session.objects.filter(call=call)
    assert sorted(sessions.values_list("status", flat=True)) == [
        SessionStatus.CLOSED,
        SessionStatus.OPEN,
    ]
    decided = Decision.objects.filter(application__call=call, status=DecisionStatus.CONFIRMED)
    assert decided.count() >= 10
    awards = decided.filter(outcome="award")
    assert all(d.amount > 0 for d in awards)
    assert all(d.amount == 0 and d.reason for d in decided.exclude(outcome="award"))
    letters = Letter.objects.filter(decision__in=decided)
    assert letters.filter(status=LetterStatus.SENT).exists()
    assert letters.filter(status=LetterStatus.DRAFT).exists()
    assert "Committee of experiences-interactives-2009" in output
    scenario = Scenario.objects.get(session__call=call)
    assert scenario.status == "done" and scenario.result["rows"]


def test_the_committee_account_lands_on_the_agenda_with_calibrated_scores(client):
    demo()
    call = Call.objects.get(slug=MAIN)
    session = Session.objects.get(call=call, status=SessionStatus.OPEN)
    landing = {email: page for email, page, _ in landing_pages(call)}["committee@example.org"]
    assert landing == reverse("committee:agenda", args=[session.pk])
    client.force_login(User.objects.get(email="committee@example.org"))
    page = client.get(landing).content.decode()
    items = AgendaItem.objects.filter(session=session).select_related("application")
    assert items.count() >= 1
    for item in items:
        assert item.application.reference in page
    first = items.first()
    detail = client.get(reverse("committee:item", args=[session.pk, first.pk])).content.decode()
    assert "Reviewer A" in detail or "Expert A" in detail or "Évaluateur A" in detail
    simulator = client.get(reverse("committee:simulator", args=[session.pk]))
    assert simulator.status_code == 200
    for name in expert_names(call):
        assert name not in page
        assert name not in detail


def test_the_demo_applicant_reads_a_decision_its_amount_and_anonymised_feedback(client):
    demo()
    call = Call.objects.get(slug=MAIN)
    applicant = User.objects.get(email=DEMO_APPLICANT_EMAIL)
    decided = Application.objects.get(
        call=call, team__user=applicant, state__in=["awarded", "agreement", "in_payment", "closed"]
    )
    decision = Decision.objects.get(application=decided, status=DecisionStatus.CONFIRMED)
    assert decision.letter.status == LetterStatus.SENT and decision.letter.feedback
    client.force_login(applicant)
    page = client.get(reverse("calls:application_detail", args=[decided.pk])).content.decode()
    assert decided.title in page
    assert decision.letter.feedback[0][:40] in page.replace("&#x27;", "'").replace("&quot;", '"')
    api = client.get(f"/api/v1/applications/{decided.pk}/decision")
    assert api.status_code == 200
    assert api.json()["amount"] in (
        str(decision.amount),
        float(decision.amount),
        f"{decision.amount:.2f}",
    )
    pdf = client.get(reverse("committee:letter_pdf", args=[decision.letter.pk]))
    assert pdf.status_code == 200
    for name in expert_names(call):
        assert name not in page
        assert name not in api.content.decode()


def test_staff_find_the_outbox_and_the_administrator_signs_the_pending_award(client):
    demo()
    call = Call.objects.get(slug=MAIN)
    client.force_login(User.objects.get(email=DEMO_STAFF_EMAIL))
    outbox = client.get(reverse("committee:outbox", args=[call.slug])).content.decode()
    waiting = Letter.objects.filter(status=LetterStatus.DRAFT, decision__application__call=call)
    for letter in waiting.select_related("decision__application"):
        assert letter.decision.application.reference in outbox
    pending = Decision.objects.get(application__call=call, status=DecisionStatus.PROPOSED)
    client.force_login(User.objects.get(email="admin@example.org"))
    answer = client.post(reverse("committee:decision_confirm", args=[pending.pk]))
    assert answer.status_code in (302, 303)
    pending.refresh_from_db()
    assert pending.status == DecisionStatus.CONFIRMED
    assert Application.objects.get(pk=pending.application_id).state == "awarded"
