"""The transition service: the engine's table decides, the row is locked, the audit keeps
from/to and the reason, the parties are e-mailed after commit."""

from enum import StrEnum

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from filiere.audit.models import AuditEntry
from filiere.calls.models import Application, State, applications
from filiere.calls.services.transitions import (
    DECISIONS,
    TransitionError,
    actor_kinds,
    fire_requested_transition,
    record_decision,
    transition_application,
)
from filiere.engine import workflow
from filiere.engine.workflow import Actor
from tests.calls.instruction_factories import ApplicationFactory
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return user_with_role("staff", preferred_language="en")


def test_actor_kinds_from_roles_and_lead(staff):
    application = ApplicationFactory()
    assert actor_kinds(staff, application) == {Actor.STAFF}
    assert actor_kinds(application.lead, application) == {Actor.APPLICANT_LEAD}
    assert actor_kinds(user_with_role("committee"), application) == {Actor.COMMITTEE}
    assert actor_kinds(None, application) == {Actor.SYSTEM}


def test_transition_updates_state_and_writes_audit_with_from_and_to(staff):
    application = ApplicationFactory(state="submitted")

    transition_application(application=application, code="declare_eligible", by=staff)

    assert application.state == "eligible"
    assert Application.objects.get(pk=application.pk).state == "eligible"
    entry = AuditEntry.objects.get(
        action="calls.application.declare_eligible", object_id=str(application.pk)
    )
    assert entry.actor == staff
    assert entry.data["from"] == "submitted"
    assert entry.data["to"] == "eligible"
    assert entry.data["transition"] == "declare_eligible"


def test_transition_refused_from_wrong_state_with_engine_code(staff):
    application = ApplicationFactory(state="draft")

    with pytest.raises(TransitionError) as refused:
        transition_application(application=application, code="declare_eligible", by=staff)

    assert refused.value.code == "workflow.not_allowed"
    assert refused.value.params["why"] == "state"
    assert refused.value.message
    assert Application.objects.get(pk=application.pk).state == "draft"
    assert not AuditEntry.objects.filter(action__startswith="calls.application.").exists()


def test_applicant_cannot_declare_own_application_eligible():
    application = ApplicationFactory(state="submitted")

    with pytest.raises(TransitionError) as refused:
        transition_application(
            application=application, code="declare_eligible", by=application.lead
        )

    assert refused.value.code == "workflow.not_allowed"
    assert refused.value.params["why"] == "actor"


def test_ineligible_requires_a_reason(staff):
    application = ApplicationFactory(state="submitted")

    with pytest.raises(TransitionError) as refused:
        transition_application(
            application=application, code="declare_ineligible", by=staff, reason="  "
        )

    assert refused.value.code == "workflow.reason_required"


def test_unknown_transition_code(staff):
    with pytest.raises(TransitionError) as refused:
        transition_application(application=ApplicationFactory(), code="approve", by=staff)
    assert refused.value.code == "workflow.unknown_transition"


def test_reason_is_audited(staff):
    application = ApplicationFactory(state="submitted")
    transition_application(
        application=application,
        code="declare_ineligible",
        by=staff,
        reason="Siège hors territoire.",
    )
    entry = AuditEntry.objects.get(action="calls.application.declare_ineligible")
    assert entry.reason == "Siège hors territoire."


def test_the_lead_withdraws_through_the_withdrawal_service_only():
    application = ApplicationFactory(state="eligible")
    with pytest.raises(TransitionError) as refused:
        transition_application(application=application, code="withdraw", by=application.lead)
    assert refused.value.code == "workflow.service_owned"
    transition_application(
        application=application,
        code="withdraw",
        by=application.lead,
        service="withdraw_application",
    )
    assert application.state == "withdrawn"


def test_notification_is_sent_only_after_commit(staff, django_capture_on_commit_callbacks):
    application = ApplicationFactory(state="submitted")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition_application(application=application, code="declare_eligible", by=staff)
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()
    assert [m.to for m in mail.outbox] == [[application.lead.email]]


def test_no_mail_when_the_transition_is_refused(staff, django_capture_on_commit_callbacks):
    application = ApplicationFactory(state="draft")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError):
        transition_application(application=application, code="declare_eligible", by=staff)
    assert mail.outbox == []


def test_leaving_incomplete_clears_the_correction_window(staff):
    from datetime import timedelta

    from django.utils import timezone

    application = ApplicationFactory(
        state="incomplete", correction_until=timezone.now() + timedelta(days=2)
    )
    transition_application(application=application, code="declare_eligible", by=staff)
    application.refresh_from_db()
    assert application.correction_until is None


def test_every_staff_transition_of_the_table_is_reachable_through_the_service(staff):
    """Walk one dossier from submitted to closed through the doors' one entry, and the
    decisions through the service the committee's decision service calls."""
    application = ApplicationFactory(state="submitted")
    path = [
        ("declare_eligible", ""),
        ("start_review", ""),
        ("schedule_hearing", ""),
        ("send_to_committee", ""),
        ("defer", "Plan de financement à consolider."),
        ("reschedule", ""),
        ("award", ""),
        ("sign_agreement", ""),
        ("start_payment", ""),
        ("close", ""),
    ]
    for code, reason in path:
        if code in DECISIONS:
            record_decision(application=application, code=code, by=staff, reason=reason)
        elif code in FOLLOW_UP:
            # The awards app's services pass their name (tested in tests/awards).
            transition_application(
                application=application, code=code, by=staff, service=FOLLOW_UP[code]
            )
        else:
            fire_requested_transition(application=application, code=code, by=staff, reason=reason)
    assert application.state == "closed"
    entries = AuditEntry.objects.filter(action__startswith="calls.application.")
    assert [e.data["transition"] for e in entries.order_by("pk")] == [code for code, _ in path]


#: The follow-up's transitions and the awards services that own them.
FOLLOW_UP = {
    "sign_agreement": "record_signature",
    "start_payment": "record_payment",
    "close": "close_agreement",
}


@pytest.mark.parametrize(
    ("code", "state"),
    [("sign_agreement", "awarded"), ("start_payment", "agreement"), ("close", "in_payment")],
)
def test_the_doors_entry_refuses_the_follow_up_which_has_its_own_services(staff, code, state):
    """No agreement signed without a clean signed copy, no payment without two approvals, no
    closure without the final report: the generic door refuses them."""
    application = ApplicationFactory(state=state)
    with pytest.raises(TransitionError) as refused:
        fire_requested_transition(application=application, code=code, by=staff, reason="")
    assert refused.value.code == "workflow.service_owned"
    assert Application.objects.get(pk=application.pk).state == state
    assert workflow.TRANSITIONS_BY_CODE[code].service == FOLLOW_UP[code]


@pytest.mark.parametrize("code", ["award", "reject", "defer"])
def test_the_doors_entry_refuses_the_decisions_which_have_their_own_service(staff, code):
    application = ApplicationFactory(state="committee")
    with pytest.raises(TransitionError) as refused:
        fire_requested_transition(application=application, code=code, by=staff, reason="Why")
    assert refused.value.code == "workflow.service_owned"
    assert Application.objects.get(pk=application.pk).state == "committee"


def test_the_doors_entry_refuses_a_transition_that_has_its_own_form(staff):
    application = ApplicationFactory(state="submitted")
    with pytest.raises(TransitionError) as refused:
        fire_requested_transition(
            application=application, code="request_correction", by=staff, reason="Budget"
        )
    assert refused.value.code == "workflow.service_owned"
    assert Application.objects.get(pk=application.pk).state == "submitted"


def test_the_models_states_are_the_workflow_tables_states_in_the_same_order():
    # The transitions live in the engine; the database column's choices must name exactly its
    # states, or a state could be stored that no transition knows (or one could not be stored).
    assert State.values == [state.value for state in workflow.State]
    assert State.names == [state.name for state in workflow.State]
    # Every state has a label of its own (shown in lists and filters), not its raw value.
    labels = [str(label) for label in State.labels]
    assert len(set(labels)) == len(labels)
    assert all(label != state.value for label, state in zip(labels, workflow.State, strict=True))


def test_the_model_refuses_to_load_when_the_engine_gains_a_state(monkeypatch):
    grown = StrEnum("State", [(s.name, s.value) for s in workflow.State] + [("APPEAL", "appeal")])
    monkeypatch.setattr(applications.workflow, "State", grown)
    with pytest.raises(ImproperlyConfigured):
        applications._same_states_as_the_engine()
