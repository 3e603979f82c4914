"""Filing a file (submission, resubmission): the deadline boundary (the closing second is on
time) and the order in which refusals are said."""

from datetime import UTC, datetime, timedelta

import pytest

from filiere.engine.completeness import Item
from filiere.engine.deadline import is_late, on_time
from filiere.engine.filing import (
    RESUBMIT,
    SUBMIT,
    FilingFacts,
    FilingRefused,
    decide,
    early_refusal,
    refusal,
)
from filiere.engine.workflow import TRANSITIONS_BY_CODE, State, is_editable_by_applicant

CLOSES = datetime(2009, 10, 15, 10, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
LEAD = frozenset({"applicant_lead"})
MISSING = (Item("project", "apply.title_missing"),)


def test_the_closing_second_is_on_time_the_next_microsecond_is_late():
    assert on_time(CLOSES, CLOSES)
    assert on_time(CLOSES - SECOND, CLOSES)
    assert not on_time(CLOSES + timedelta(microseconds=1), CLOSES)
    assert is_late(CLOSES + timedelta(microseconds=1), CLOSES)
    assert not is_late(CLOSES, CLOSES)


def test_the_team_edits_a_draft_until_the_same_second():
    assert is_editable_by_applicant("draft", now=CLOSES, closes_at=CLOSES)
    assert not is_editable_by_applicant("draft", now=CLOSES + SECOND, closes_at=CLOSES)


def submit_facts(**changes):
    values = {
        "state": State.DRAFT,
        "has_submission": False,
        "now": CLOSES,
        "deadline": CLOSES,
        "actor_kinds": LEAD,
    }
    return FilingFacts(**{**values, **changes})


def code(filing, facts):
    found = refusal(filing, facts)
    return found.code if found else None


def test_a_submission_at_the_closing_second_is_accepted():
    assert decide(SUBMIT, submit_facts()) == TRANSITIONS_BY_CODE["submit"]


def test_a_submission_one_second_late_is_refused_with_both_moments():
    with pytest.raises(FilingRefused) as refused:
        decide(SUBMIT, submit_facts(now=CLOSES + SECOND))
    assert refused.value.code == "apply.deadline_passed"
    assert refused.value.params == {"closes_at": CLOSES, "now": CLOSES + SECOND}


def test_already_submitted_is_said_before_the_clock():
    late_again = submit_facts(state=State.SUBMITTED, has_submission=True, now=CLOSES + SECOND)
    assert early_refusal(SUBMIT, late_again) == FilingRefused("apply.already_submitted")
    assert code(SUBMIT, late_again) == "apply.already_submitted"


def test_a_withdrawn_file_is_not_in_it_cannot_be_submitted_again():
    withdrawn = submit_facts(state=State.WITHDRAWN, has_submission=True)
    assert early_refusal(SUBMIT, withdrawn) is None
    assert code(SUBMIT, withdrawn) == "apply.not_submittable"


def test_only_the_lead_submits_and_the_deadline_comes_first():
    assert code(SUBMIT, submit_facts(actor_kinds=frozenset())) == "apply.only_lead_submits"
    late_partner = submit_facts(actor_kinds=frozenset(), now=CLOSES + SECOND)
    assert code(SUBMIT, late_partner) == "apply.deadline_passed"


def test_an_incomplete_draft_is_refused_last_with_its_items():
    found = refusal(SUBMIT, submit_facts(missing=MISSING))
    assert found == FilingRefused("apply.incomplete", {"count": 1}, MISSING)
    assert code(SUBMIT, submit_facts(missing=MISSING, actor_kinds=frozenset())) == (
        "apply.only_lead_submits"
    )


def resubmit_facts(**changes):
    values = {
        "state": State.INCOMPLETE,
        "has_submission": True,
        "now": CLOSES,
        "deadline": CLOSES,
        "actor_kinds": LEAD,
    }
    return FilingFacts(**{**values, **changes})


def test_a_resubmission_at_the_last_second_of_the_window_is_accepted():
    assert early_refusal(RESUBMIT, resubmit_facts()) is None
    assert decide(RESUBMIT, resubmit_facts()) == TRANSITIONS_BY_CODE["resubmit"]


def test_a_resubmission_after_the_window_is_refused():
    found = refusal(RESUBMIT, resubmit_facts(now=CLOSES + SECOND))
    assert found == FilingRefused(
        "apply.correction_closed", {"until": CLOSES, "now": CLOSES + SECOND}
    )


def test_the_state_is_said_before_the_window_for_a_resubmission():
    no_correction = resubmit_facts(state=State.SUBMITTED, deadline=None)
    assert code(RESUBMIT, no_correction) == "apply.not_resubmittable"
    partner = resubmit_facts(actor_kinds=frozenset(), now=CLOSES + SECOND)
    assert code(RESUBMIT, partner) == "apply.only_lead_resubmits"
    assert code(RESUBMIT, resubmit_facts(deadline=None)) == "apply.correction_closed"
    assert code(RESUBMIT, resubmit_facts(missing=MISSING)) == "apply.incomplete"
