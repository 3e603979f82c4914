"""The demo's reviews of the 2009 call: the staff's dashboard shows the progress (submitted and
draft reviews, the late ones once the deadline passed), the demo expert's inbox shows their
reviews submitted, in draft and one reopened by the staff; the other experts see nobody's name."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from filiere.accounts.models import User
from filiere.audit.models import AuditEntry
from filiere.calls.models import Call
from filiere.demo.accounts import DEMO_EXPERT_EMAIL, DEMO_STAFF_EMAIL
from filiere.demo.landing import landing_pages
from filiere.review.models import Review, ReviewSettings, ReviewStatus, ReviewVisibility
from filiere.review.selectors_review import call_progress
from tests.demo.loading import MAIN, demo

pytestmark = pytest.mark.django_db


def picture(call: Call):
    return sorted(
        Review.objects.filter(assignment__application__call=call).values_list(
            "assignment__application__reference",
            "assignment__expert__email",
            "status",
            "scores",
            "opinion",
            "recommendation",
            "total",
        )
    )


def test_the_staff_dashboard_shows_the_demo_reviews_in_every_phase(client):
    demo()
    call = Call.objects.get(slug=MAIN)
    first = picture(call)
    output = demo()
    assert picture(call) == first  # a rerun writes the same reviews

    settings = ReviewSettings.objects.get(call=call)
    assert settings.visibility == ReviewVisibility.AFTER_OWN
    assert settings.deadline is not None and settings.deadline < timezone.now()
    reviews = Review.objects.filter(assignment__application__call=call)
    submitted = reviews.filter(status=ReviewStatus.SUBMITTED)
    drafts = reviews.filter(status=ReviewStatus.DRAFT)
    assert submitted.count() >= 5 and drafts.count() >= 2
    assert all(r.opinion and r.recommendation and r.total is not None for r in submitted)
    # The audit log keeps each run's reopening; the latest names a draft of this run.
    reopened = AuditEntry.objects.filter(action="review.review.reopened").latest("pk")
    assert drafts.filter(pk=reopened.data["review"]).exists()

    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    dashboard = reverse("review:review_dashboard", args=[call.slug])
    staff_line = {email: what for email, _page, what in landing_pages(call)}[DEMO_STAFF_EMAIL]
    assert f"the reviews dashboard ({submitted.count()} submitted" in staff_line
    assert dashboard in staff_line and staff_line in output
    client.force_login(staff)
    # The dashboard is paged: every page of each table, together.
    progress = call_progress(call)

    def every_page(key, pages):
        return "".join(
            client.get(dashboard, {key: n}).content.decode() for n in range(1, pages + 1)
        )

    page = every_page("page", progress.application_page.paginator.num_pages)
    assert page.count(" — Submitted") == submitted.count()
    assert page.count(" — Draft") == drafts.count()
    expert_pages = range(1, progress.expert_page.paginator.num_pages + 1)
    experts = [row for n in expert_pages for row in call_progress(call, experts_page=n).experts]
    assert progress.late and any(row.missing for row in experts)
    page = every_page("experts_page", len(expert_pages))
    for row in experts:
        cells = f'<th scope="row">{escape(row.label)}</th><td>{row.invited}</td>'
        assert f"{cells}<td>{row.accepted}</td><td>{row.submitted}" in page
    assert "late</strong>" in page


def test_the_demo_expert_finds_reviews_submitted_and_in_draft(client):
    demo()
    call = Call.objects.get(slug=MAIN)
    expert = User.objects.get(email=DEMO_EXPERT_EMAIL)
    mine = Review.objects.filter(
        assignment__expert__user=expert, assignment__application__call=call
    )
    assert mine.filter(status=ReviewStatus.SUBMITTED).exists()
    assert mine.filter(status=ReviewStatus.DRAFT).exists()
    reopened = AuditEntry.objects.get(action="review.review.reopened")
    assert mine.filter(pk=reopened.data["review"], status=ReviewStatus.DRAFT).exists()

    client.force_login(expert)
    inbox = client.get(reverse("review:my_assignments")).content.decode()
    for review in mine:
        link = reverse("review:review_form", args=[review.assignment_id])
        state = "Submitted" if review.submitted else "Draft: continue"
        assert re.search(rf'href="{re.escape(link)}">{state}</a>', inbox)
        form = client.get(link).content.decode()
        assert escape(review.opinion) in form
