"""The demo's published assignment of the 2009 call: the engine's run, published by the demo
staff; the demo expert lands on My assignments with some accepted and some to answer, never one
they are in conflict with; a rerun gives the same picture."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from filiere.accounts.models import User
from filiere.calls.models import Call
from filiere.demo.accounts import DEMO_EXPERT_EMAIL, DEMO_STAFF_EMAIL
from filiere.demo.assignment import REVIEWS
from filiere.demo.landing import landing_pages
from filiere.review import selectors, services
from filiere.review.models import Assignment, AssignmentRun, PairResponse, PairStatus
from filiere.review.selectors_assignment import ASSIGNABLE
from tests.demo.loading import MAIN, demo

pytestmark = pytest.mark.django_db


def picture(call: Call):
    return sorted(
        Assignment.objects.filter(application__call=call).values_list(
            "application__reference", "expert__email", "status", "response"
        )
    )


def test_the_demo_expert_lands_on_published_assignments_of_the_2009_call(client):
    demo()
    call = Call.objects.get(slug=MAIN)
    first = picture(call)
    output = demo()
    assert picture(call) == first

    # One run of the engine (optimal), published: REVIEWS experts for each file to assign.
    run = AssignmentRun.objects.get(call=call)
    assert (run.mode, run.status, run.outcome) == ("optimal", "done", "optimal")
    pairs = Assignment.objects.filter(application__call=call)
    assert not pairs.exclude(status=PairStatus.PUBLISHED).exists()
    # The run's pairs (demo.committee adds, without a run, those of the files already past
    # the expert stage).
    assigned = pairs.filter(run=run)
    assert assigned.count() == REVIEWS * call.applications.filter(state__in=ASSIGNABLE).count()
    conflicted = selectors.conflicted_pairs(call)
    assert not any((p.application_id, p.expert_id) in conflicted for p in pairs)

    expert = User.objects.get(email=DEMO_EXPERT_EMAIL)
    mine = pairs.filter(expert__user=expert)
    answers = list(mine.values_list("response", flat=True))
    assert answers.count(PairResponse.ACCEPTED) >= 1
    assert answers.count(PairResponse.PENDING) >= 1
    landing = {email: page for email, page, _what in landing_pages(call)}[DEMO_EXPERT_EMAIL]
    assert landing == reverse("review:my_assignments")
    assert f"{DEMO_EXPERT_EMAIL:<23} → {landing}  ({len(answers)} applications" in output

    client.force_login(expert)
    page = client.get(landing).content.decode()
    for pair in mine.select_related("application"):
        assert escape(pair.application.title) in page
        assert client.get(reverse("review:my_assignment", args=[pair.pk])).status_code == 200
    assert escape(call.title) in page

    # A conflict the staff add later takes that file out of the inbox (no link to a 404).
    pending = mine.filter(response=PairResponse.PENDING).select_related("application").first()
    services.add_conflict(
        call=call,
        expert=pending.expert,
        application=pending.application,
        by=User.objects.get(email=DEMO_STAFF_EMAIL),
        kind="other",
        reason="Met at a festival.",
    )
    page = client.get(landing).content.decode()
    assert reverse("review:my_assignment", args=[pending.pk]) not in page
    assert escape(pending.application.title) not in page
