"""What the applicant is told is missing before submission: title and summary, answers to the
questions shown (conditions applied), required documents, infected files, eligibility failures."""

from filiere.engine.budget import Finding
from filiere.engine.completeness import (
    STEP_OF_RULE,
    STEPS,
    Condition,
    Draft,
    Item,
    QuestionSpec,
    is_blank,
    missing_items,
    visible_questions,
)
from filiere.engine.eligibility import EligibilityReport, RuleResult, Status

COMPLETE = Draft(has_title=True, has_summary=True)
NO_FAILURE = EligibilityReport(())


def codes(items):
    return [(item.step, item.code) for item in items]


def test_a_complete_draft_misses_nothing():
    assert missing_items(COMPLETE, NO_FAILURE) == ()


def test_title_and_summary_first_on_the_project_step():
    items = missing_items(Draft(), NO_FAILURE)
    assert codes(items) == [
        ("project", "apply.title_missing"),
        ("project", "apply.summary_missing"),
    ]


def test_a_required_question_without_an_answer_is_named_by_its_code():
    draft = Draft(
        has_title=True,
        has_summary=True,
        questions=(QuestionSpec("intent", required=True), QuestionSpec("optional")),
        answers={"intent": ""},
    )
    assert missing_items(draft, NO_FAILURE) == (
        Item("questions", "apply.answer_missing", {"question": "intent"}),
    )


def test_an_answer_shorter_than_the_minimum_is_too_short_an_empty_one_is_not():
    question = QuestionSpec("pitch", min_length=10)
    short = Draft(has_title=True, has_summary=True, questions=(question,), answers={"pitch": "ab"})
    assert missing_items(short, NO_FAILURE) == (
        Item("questions", "apply.answer_too_short", {"question": "pitch", "minimum": 10}),
    )
    empty = Draft(has_title=True, has_summary=True, questions=(question,), answers={"pitch": ""})
    assert missing_items(empty, NO_FAILURE) == ()
    exact = Draft(
        has_title=True, has_summary=True, questions=(question,), answers={"pitch": "x" * 10}
    )
    assert missing_items(exact, NO_FAILURE) == ()


def test_a_hidden_conditional_question_needs_no_answer():
    questions = (
        QuestionSpec("coproduced"),
        QuestionSpec("coproducer", required=True, condition=Condition("coproduced", "yes")),
    )
    hidden = Draft(has_title=True, has_summary=True, questions=questions, answers={})
    assert missing_items(hidden, NO_FAILURE) == ()
    shown = Draft(
        has_title=True, has_summary=True, questions=questions, answers={"coproduced": True}
    )
    assert codes(missing_items(shown, NO_FAILURE)) == [("questions", "apply.answer_missing")]


def test_questions_inside_a_group_are_not_checked_one_by_one():
    draft = Draft(
        has_title=True,
        has_summary=True,
        questions=(QuestionSpec("role", required=True, group="crew"),),
    )
    assert missing_items(draft, NO_FAILURE) == ()


def test_conditions_on_choices_yes_no_and_text():
    assert Condition("formats", "vr").holds({"formats": ["vr", "web"]})
    assert not Condition("formats", "tv").holds({"formats": ["vr", "web"]})
    assert Condition("coproduced", "yes").holds({"coproduced": True})
    assert Condition("coproduced", "true").holds({"coproduced": True})
    assert Condition("coproduced", "no").holds({"coproduced": False})
    assert not Condition("coproduced", "no").holds({"coproduced": True})
    assert Condition("episodes", "6").holds({"episodes": 6})
    assert not Condition("episodes", "6").holds({})


def test_a_stored_condition_without_a_question_is_no_condition():
    assert Condition.from_json({}) is None
    assert Condition.from_json(None) is None
    assert Condition.from_json({"question": "", "equals": "x"}) is None
    assert Condition.from_json({"question": "a", "equals": "x"}) == Condition("a", "x")


def test_visible_questions_keep_the_top_level_shown_ones_in_order():
    questions = [
        QuestionSpec("a"),
        QuestionSpec("b", condition=Condition("a", "1")),
        QuestionSpec("c", group="g"),
        QuestionSpec("d"),
    ]
    assert [q.code for q in visible_questions(questions, {"a": "2"})] == ["a", "d"]
    assert [q.code for q in visible_questions(questions, {"a": "1"})] == ["a", "b", "d"]


def test_blank_answers():
    assert all(is_blank(v) for v in (None, "", [], {}))
    assert not any(is_blank(v) for v in ("x", 0, False, ["a"]))


def test_required_documents_missing_and_infected_files_on_the_documents_step():
    draft = Draft(
        has_title=True,
        has_summary=True,
        required_documents=("synopsis", "cv"),
        present_documents=frozenset({"cv"}),
        infected_files=("virus.pdf",),
    )
    assert missing_items(draft, NO_FAILURE) == (
        Item("documents", "apply.document_missing", {"document": "synopsis"}),
        Item("documents", "apply.document_infected", {"name": "virus.pdf"}),
    )


def _failed(kind, code, **params):
    return RuleResult(0, kind, Status.FAILED, code, params)


def test_eligibility_failures_follow_on_their_step_once_and_the_deadline_is_left_out():
    ceiling = _failed("amount_ceiling", "amount.above_ceiling", requested=1, ceiling=0)
    report = EligibilityReport(
        (
            _failed("deadline", "deadline.missed"),
            ceiling,
            RuleResult(1, "genre", Status.PASSED, "genre.passed"),
            _failed("required_partner", "partner.required_missing", min_count=1),
            ceiling,  # a second rule failing alike
            _failed("unknown_kind", "x.failed"),
        )
    )
    assert codes(missing_items(COMPLETE, report)) == [
        ("budget", "amount.above_ceiling"),
        ("team", "partner.required_missing"),
        ("review", "x.failed"),
    ]


def test_a_failed_financing_plan_keeps_its_findings():
    finding = Finding("financing.unbalanced", {"difference": 5})
    report = EligibilityReport(
        (RuleResult(0, "financing_plan", Status.FAILED, "financing.failed", {}, (finding,)),)
    )
    (item,) = missing_items(COMPLETE, report)
    assert item.step == "budget"
    assert item.details == (finding,)


def test_every_rule_step_is_a_step_of_the_form():
    assert set(STEP_OF_RULE.values()) <= set(STEPS)
