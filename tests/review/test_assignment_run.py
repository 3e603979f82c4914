"""An assignment run: the platform reads the call into the engine's inputs, the engine chooses,
the proposal is written; re-runs keep what is published or locked."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.errors import ServiceError
from filiere.review import services_assignment as services
from filiere.review.models import (
    Assignment,
    AssignmentRun,
    Availability,
    Declaration,
    Expert,
    ExpertiseProfile,
    PairStatus,
    PastWork,
)
from filiere.review.selectors import conflicted_pairs
from filiere.review.selectors_assignment import engine_inputs
from tests.factories import OrganisationFactory
from tests.review.factories import application, call_staff, expert, open_call, works_for

pytestmark = pytest.mark.django_db

TOPICS = {
    "mines": (
        "Mémoire minière du bassin houiller",
        "Un serious game sur les mineurs de charbon, les corons et la mine de fond.",
        ["mine", "charbon"],
        "Documentaire sur les mineurs de charbon et la mine de fond du bassin houiller.",
    ),
    "ocean": (
        "Les baleines de l'océan austral",
        "Une expérience immersive sur les baleines, les océans et la plongée sous-marine.",
        ["baleines", "océan"],
        "Film sur les baleines et la plongée sous-marine dans l'océan austral.",
    ),
    "space": (
        "Voyage vers Mars",
        "Une série animée sur les fusées, les astronautes et la planète Mars.",
        ["fusées", "astronautes"],
        "Série sur les astronautes, les fusées et l'exploration de la planète Mars.",
    ),
}


def _available(user, call, max_load=None):
    row = Expert.objects.get(user=user, fund=call.fund)
    Availability.objects.create(expert=row, call=call, available=True, max_load=max_load)
    return row


def _knows(user, topic):
    _, _, keywords, work = TOPICS[topic]
    profile = ExpertiseProfile.objects.get(user=user)
    profile.keywords = keywords
    profile.save()
    PastWork.objects.create(profile=profile, title=work[:40], year=2005, description=work)


@pytest.fixture
def call():
    return open_call()


@pytest.fixture
def board(call):
    """Three applications, each with one obviously best expert (and two more experts)."""
    apps, experts = {}, {}
    for topic, (title, summary, _, _) in TOPICS.items():
        apps[topic] = application(call, title=title, summary=summary)
        user = expert(call.fund)
        _knows(user, topic)
        experts[topic] = _available(user, call, max_load=1)
    return apps, experts


def _run(call, by, django_capture_on_commit_callbacks, mode="optimal", reviews=1, churn=0.0):
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_assignment_run(
            call=call, by=by, mode=mode, reviews=reviews, churn_penalty=churn
        )
    run.refresh_from_db()
    return run


def _pairs(call):
    return {
        (a.application_id, a.expert_id) for a in Assignment.objects.filter(application__call=call)
    }


@pytest.mark.parametrize("mode", ["optimal", "fair"])
def test_a_run_chooses_the_obvious_best_pairs(
    call, board, django_capture_on_commit_callbacks, mode
):
    apps, experts = board
    run = _run(call, call_staff(call), django_capture_on_commit_callbacks, mode=mode)

    assert (run.status, run.step, run.outcome) == ("done", "finished", "optimal")
    assert (run.applications, run.experts, run.pairs) == (3, 3, 3)
    assert _pairs(call) == {(apps[t].pk, experts[t].pk) for t in TOPICS}
    pair = Assignment.objects.get(application=apps["mines"])
    assert pair.affinity > 0 and pair.status == PairStatus.PROPOSED
    assert pair.why == ["mine", "charbon"]
    assert AuditEntry.objects.filter(action="review.assignment.started").count() == 1


def test_a_conflicted_pair_is_never_chosen(call, board, django_capture_on_commit_callbacks):
    apps, experts = board
    # The mines expert works for the mines application's organisation: conflicted.
    studio = OrganisationFactory()
    apps["mines"].organisation = studio
    apps["mines"].save()
    works_for(experts["mines"].user, studio)
    assert (apps["mines"].pk, experts["mines"].pk) in conflicted_pairs(call)
    Availability.objects.filter(call=call).update(max_load=3)

    _run(call, call_staff(call), django_capture_on_commit_callbacks, reviews=2)

    chosen = _pairs(call)
    assert (apps["mines"].pk, experts["mines"].pk) not in chosen
    assert len(chosen) == 6


def test_an_impossible_run_says_why(call, board, django_capture_on_commit_callbacks):
    run = _run(call, call_staff(call), django_capture_on_commit_callbacks, reviews=2)

    assert (run.status, run.outcome) == ("done", "infeasible")
    assert run.diagnosis and not _pairs(call)


def test_a_rerun_keeps_published_and_locked_pairs(call, board, django_capture_on_commit_callbacks):
    apps, experts = board
    by = call_staff(call)
    _run(call, by, django_capture_on_commit_callbacks)
    Availability.objects.filter(call=call).update(max_load=3)
    # Staff swap the mines application to the ocean expert by hand, and publish.
    Assignment.objects.filter(application=apps["mines"]).delete()
    services.add_assignment(call=call, application=apps["mines"], expert=experts["ocean"], by=by)
    services.publish_assignments(call=call, by=by)

    _run(call, by, django_capture_on_commit_callbacks, reviews=2)

    chosen = _pairs(call)
    assert (apps["mines"].pk, experts["ocean"].pk) in chosen
    assert (apps["mines"].pk, experts["mines"].pk) in chosen
    assert len(chosen) == 6


@pytest.mark.parametrize("churn, kept", [(0.0, False), (1.0, True)])
def test_a_cost_per_change_keeps_the_previous_proposal(
    call, board, django_capture_on_commit_callbacks, churn, kept
):
    apps, experts = board
    by = call_staff(call)
    Availability.objects.filter(call=call).update(max_load=2)
    # A proposal where the mines application went to the ocean expert, by hand.
    services.add_assignment(call=call, application=apps["mines"], expert=experts["ocean"], by=by)

    run = _run(call, by, django_capture_on_commit_callbacks, churn=churn)

    pairs = _pairs(call)
    assert ((apps["mines"].pk, experts["ocean"].pk) in pairs) is kept
    assert ((apps["mines"].pk, experts["mines"].pk) in pairs) is not kept
    assert run.changed == (0 if kept else 1)


def test_a_run_is_computed_once(call, board, django_capture_on_commit_callbacks):
    run = _run(call, call_staff(call), django_capture_on_commit_callbacks)

    assert services.execute_assignment_run(run_id=run.pk) == "done"
    assert Assignment.objects.filter(application__call=call).count() == 3
    assert run.finished_at == AssignmentRun.objects.get(pk=run.pk).finished_at


def test_one_run_at_a_time(call, board):
    by = call_staff(call)
    services.start_assignment_run(call=call, by=by, mode="optimal", reviews=1)

    with pytest.raises(ServiceError) as refused:
        services.start_assignment_run(call=call, by=by, mode="optimal", reviews=1)
    assert refused.value.code == "review.assignment.run_in_progress"
    assert AssignmentRun.objects.count() == 1


def test_a_run_left_waiting_for_an_hour_no_longer_blocks_the_next(call, board):
    by = call_staff(call)
    stale = services.start_assignment_run(call=call, by=by, mode="optimal", reviews=1)
    AssignmentRun.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(hours=1, minutes=1)
    )

    services.start_assignment_run(call=call, by=by, mode="optimal", reviews=1)

    assert AssignmentRun.objects.count() == 2


def test_reading_the_engine_inputs_costs_the_same_queries_for_more_rows(call, board):
    with CaptureQueriesContext(connection) as few:
        engine_inputs(call)
    for topic in TOPICS:
        user = expert(call.fund)
        _knows(user, topic)
        _available(user, call)
        application(call)
    with CaptureQueriesContext(connection) as many:
        inputs = engine_inputs(call)

    assert (len(inputs.proposals), len(inputs.experts)) == (6, 6)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_declined_pairs_are_not_proposed_again(call, board, django_capture_on_commit_callbacks):
    apps, experts = board
    by = call_staff(call)
    _run(call, by, django_capture_on_commit_callbacks)
    services.publish_assignments(call=call, by=by)
    pair = Assignment.objects.get(application=apps["mines"])
    services.answer_assignment(
        assignment=pair,
        by=experts["mines"].user,
        accept=False,
        conflict_kind="family",
        reason="My brother leads it.",
    )
    assert Declaration.objects.filter(application=apps["mines"], kind="family").exists()
    assert (apps["mines"].pk, experts["mines"].pk) in conflicted_pairs(call)
    Availability.objects.filter(call=call).update(max_load=3)

    _run(call, by, django_capture_on_commit_callbacks)

    current = {
        (a.application_id, a.expert_id)
        for a in Assignment.objects.filter(application__call=call).exclude(response="declined")
    }
    assert (apps["mines"].pk, experts["mines"].pk) not in current
    assert len(current) == 3
