"""The application lifecycle: who may move a dossier where, and when the team may edit it."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filiere.engine.workflow import (
    TERMINAL_STATES,
    TRANSITIONS,
    TRANSITIONS_BY_CODE,
    Actor,
    Party,
    State,
    WorkflowError,
    allowed_transitions,
    check_transition,
    is_editable_by_applicant,
    is_terminal,
    is_withdrawable,
    reachable_states,
    service_owned_codes,
    to_dot,
    to_mermaid,
)

NOON = datetime(2009, 10, 15, 10, 0, tzinfo=UTC)  # 12:00 Europe/Paris


def _owner(code: str) -> str:
    """The owning service's name, as that service passes it (``""``: the generic door)."""
    return TRANSITIONS_BY_CODE[code].service


def test_every_state_is_reachable_from_draft() -> None:
    assert reachable_states(State.DRAFT) == frozenset(State)


def test_no_transition_leaves_a_terminal_state_except_the_documented_appeal() -> None:
    leaving = [t.code for t in TRANSITIONS if t.sources & TERMINAL_STATES]
    assert leaving == ["reconsider_eligibility"]
    assert all(t.leaves_terminal == bool(t.sources & TERMINAL_STATES) for t in TRANSITIONS)


def test_terminal_states() -> None:
    assert {State.INELIGIBLE, State.REJECTED, State.CLOSED, State.WITHDRAWN} == TERMINAL_STATES
    assert is_terminal("closed")
    assert not is_terminal(State.DEFERRED)


def test_every_non_terminal_state_has_a_way_forward() -> None:
    for state in set(State) - TERMINAL_STATES:
        assert any(state in t.sources for t in TRANSITIONS), state


def test_transition_codes_are_unique_and_targets_are_states() -> None:
    assert len(TRANSITIONS_BY_CODE) == len(TRANSITIONS)
    assert all(isinstance(t.target, State) for t in TRANSITIONS)


def test_the_happy_path_of_the_issue() -> None:
    path = [
        ("submit", Actor.APPLICANT_LEAD, None),
        ("declare_eligible", Actor.STAFF, None),
        ("start_review", Actor.SYSTEM, None),
        ("send_to_committee", Actor.STAFF, None),
        ("award", Actor.COMMITTEE, None),
        ("sign_agreement", Actor.STAFF, None),
        ("start_payment", Actor.STAFF, None),
        ("close", Actor.STAFF, None),
    ]
    state = State.DRAFT
    for code, actor, reason in path:
        state = check_transition(state, code, [actor], reason, service=_owner(code)).target
    assert state is State.CLOSED


def test_lead_submits_and_staff_are_told() -> None:
    transition = check_transition("draft", "submit", ["applicant_lead"], service=_owner("submit"))
    assert transition.target is State.SUBMITTED
    assert transition.notify == (Party.APPLICANT_TEAM, Party.STAFF)


def test_staff_cannot_submit_for_the_applicant() -> None:
    with pytest.raises(WorkflowError) as caught:
        check_transition(State.DRAFT, "submit", [Actor.STAFF], service="submit_application")
    assert caught.value.code == "workflow.not_allowed"
    assert caught.value.params == {
        "transition": "submit",
        "state": "draft",
        "actors": ("staff",),
        "why": "actor",
    }


def test_a_decision_cannot_be_taken_on_a_dossier_not_before_the_committee() -> None:
    with pytest.raises(WorkflowError) as caught:
        check_transition(State.ELIGIBLE, "award", [Actor.COMMITTEE], service="record_decision")
    assert caught.value.code == "workflow.not_allowed"
    assert caught.value.params["why"] == "state"


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_declaring_ineligible_requires_a_reason(reason: str | None) -> None:
    with pytest.raises(WorkflowError) as caught:
        check_transition(State.SUBMITTED, "declare_ineligible", [Actor.STAFF], reason)
    assert caught.value.code == "workflow.reason_required"
    assert caught.value.params == {"transition": "declare_ineligible"}


def test_declaring_ineligible_with_a_reason() -> None:
    transition = check_transition(
        State.SUBMITTED, "declare_ineligible", [Actor.STAFF], "NAF code 47.11F is not eligible"
    )
    assert transition.target is State.INELIGIBLE
    assert transition.notify == (Party.APPLICANT_TEAM,)


def test_unknown_transition() -> None:
    with pytest.raises(WorkflowError) as caught:
        check_transition(State.DRAFT, "teleport", [Actor.STAFF])
    assert caught.value.code == "workflow.unknown_transition"
    assert caught.value.params == {"transition": "teleport"}


def test_unknown_actor_kinds_grant_nothing() -> None:
    assert allowed_transitions(State.DRAFT, ["intruder"]) == []


def test_allowed_transitions_for_staff_on_a_submitted_dossier() -> None:
    codes = [t.code for t in allowed_transitions(State.SUBMITTED, [Actor.STAFF])]
    assert codes == [
        "request_correction",
        "declare_eligible",
        "declare_ineligible",
        "record_withdrawal",
    ]


def test_allowed_transitions_for_the_lead_on_a_submitted_dossier() -> None:
    codes = [t.code for t in allowed_transitions("submitted", ["applicant_lead"])]
    assert codes == ["withdraw"]


def test_a_person_with_several_kinds_gets_the_union() -> None:
    codes = {t.code for t in allowed_transitions(State.COMMITTEE, ["staff", "applicant_lead"])}
    assert codes == {"award", "reject", "defer", "withdraw", "record_withdrawal"}


def test_correction_round_trip() -> None:
    state = check_transition(
        State.SUBMITTED,
        "request_correction",
        [Actor.STAFF],
        "Missing: Kbis extract",
        service="request_correction",
    ).target
    assert state is State.INCOMPLETE
    resubmitted = check_transition(
        state, "resubmit", [Actor.APPLICANT_LEAD], service="resubmit_application"
    )
    assert resubmitted.target is State.SUBMITTED


def test_deferred_dossier_can_return_to_a_later_committee() -> None:
    state = check_transition(
        State.COMMITTEE, "defer", [Actor.COMMITTEE], "Budget unclear", service="record_decision"
    ).target
    assert check_transition(state, "reschedule", [Actor.STAFF]).target is State.COMMITTEE


@pytest.mark.parametrize(
    "state",
    ["submitted", "incomplete", "eligible", "under_review", "hearing", "committee", "deferred"],
)
def test_withdrawal_is_possible_until_a_decision(state: str) -> None:
    assert is_withdrawable(state)
    withdrawn = check_transition(
        state, "withdraw", [Actor.APPLICANT_LEAD], service="withdraw_application"
    )
    assert withdrawn.target is State.WITHDRAWN


@pytest.mark.parametrize(
    "state", ["draft", "awarded", "rejected", "ineligible", "agreement", "in_payment", "closed"]
)
def test_withdrawal_is_refused_after_a_decision(state: str) -> None:
    assert not is_withdrawable(state)
    with pytest.raises(WorkflowError):
        check_transition(state, "withdraw", [Actor.APPLICANT_LEAD], service="withdraw_application")


def test_staff_recording_a_withdrawal_must_say_why() -> None:
    with pytest.raises(WorkflowError) as caught:
        check_transition(State.ELIGIBLE, "record_withdrawal", [Actor.STAFF])
    assert caught.value.code == "workflow.reason_required"


def test_draft_is_editable_until_the_deadline_to_the_second() -> None:
    assert is_editable_by_applicant(State.DRAFT, now=NOON, closes_at=NOON)
    assert not is_editable_by_applicant(
        State.DRAFT, now=NOON + timedelta(seconds=1), closes_at=NOON
    )
    assert is_editable_by_applicant("draft", now=NOON)


def test_incomplete_dossier_is_editable_only_while_the_correction_window_is_open() -> None:
    until = NOON + timedelta(days=2)
    assert is_editable_by_applicant(State.INCOMPLETE, now=until, correction_until=until)
    assert not is_editable_by_applicant(
        State.INCOMPLETE, now=until + timedelta(seconds=1), correction_until=until
    )
    assert not is_editable_by_applicant(State.INCOMPLETE, now=NOON, correction_until=None)


@pytest.mark.parametrize("state", sorted(set(State) - {State.DRAFT, State.INCOMPLETE}))
def test_other_states_are_read_only_for_the_applicant(state: State) -> None:
    assert not is_editable_by_applicant(
        state, now=NOON, closes_at=NOON + timedelta(days=1), correction_until=NOON
    )


@given(
    st.sampled_from(list(State)),
    st.sampled_from([t.code for t in TRANSITIONS]),
    st.sets(st.sampled_from(list(Actor))),
    st.one_of(st.none(), st.text(max_size=5)),
)
def test_check_agrees_with_allowed_transitions(
    state: State, code: str, actors: set[Actor], reason: str | None
) -> None:
    allowed = {t.code for t in allowed_transitions(state, actors)}
    try:
        transition = check_transition(state, code, actors, reason, service=_owner(code))
    except WorkflowError as error:
        if error.code == "workflow.reason_required":
            assert code in allowed
            assert not (reason or "").strip()
        else:
            assert error.code == "workflow.not_allowed"
            assert code not in allowed
    else:
        assert code in allowed
        assert state in transition.sources


def test_mermaid_lists_every_edge_of_the_table() -> None:
    diagram = to_mermaid()
    assert diagram.startswith("stateDiagram-v2\n    [*] --> draft\n")
    assert "    draft --> submitted: submit (applicant_lead, via submit_application)\n" in diagram
    assert (
        "    committee --> rejected: reject (committee, staff, reason, via record_decision)\n"
        in diagram
    )
    edges = sum(len(t.sources) for t in TRANSITIONS)
    assert diagram.count(": ") == edges
    assert "    withdrawn --> [*]\n" in diagram


def test_dot_marks_terminal_states() -> None:
    dot = to_dot()
    assert "    closed [peripheries=2];" in dot
    assert '    awarded -> agreement [label="sign_agreement (staff, via record_signature)"];' in dot


def test_the_documentation_shows_the_current_diagram() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "engine" / "rules-and-workflow.md"
    assert f"```mermaid\n{to_mermaid()}```" in doc.read_text(encoding="utf-8")


# --- one door per verb -------------------------------------------------------------------------

SERVICE_OWNED = {
    "submit": "submit_application",
    "resubmit": "resubmit_application",
    "request_correction": "request_correction",
    "withdraw": "withdraw_application",
    "award": "record_decision",
    "reject": "record_decision",
    "defer": "record_decision",
    # The follow-up: the awards app's services (agreement, payments, reports).
    "sign_agreement": "record_signature",
    "start_payment": "record_payment",
    "close": "close_agreement",
}


def test_transitions_with_their_own_checks_name_their_service() -> None:
    assert {t.code: t.service for t in TRANSITIONS if t.service_owned} == SERVICE_OWNED
    assert service_owned_codes() == frozenset(SERVICE_OWNED)


@pytest.mark.parametrize("code", sorted(SERVICE_OWNED))
def test_the_generic_door_cannot_fire_a_service_owned_transition(code: str) -> None:
    transition = TRANSITIONS_BY_CODE[code]
    source = sorted(transition.sources)[0]
    every_actor = list(Actor)
    for service in ("", "transition_application", "someone_else"):
        with pytest.raises(WorkflowError) as caught:
            check_transition(source, code, every_actor, "a reason", service=service)
        assert caught.value.code == "workflow.service_owned"
        assert caught.value.params == {"transition": code, "service": SERVICE_OWNED[code]}
    fired = check_transition(source, code, every_actor, "a reason", service=SERVICE_OWNED[code])
    assert fired is transition


def test_a_submission_after_the_deadline_cannot_go_around_the_submit_service() -> None:
    # The hole of issue #8: "submit" fired by code, without the deadline check.
    with pytest.raises(WorkflowError) as caught:
        check_transition(State.DRAFT, "submit", [Actor.APPLICANT_LEAD])
    assert caught.value.code == "workflow.service_owned"
