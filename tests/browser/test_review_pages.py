"""The review stage in a browser, under axe-core: the staff compute, read and publish an
assignment; an expert reads their expertise, answers an assignment, writes and submits their
review; the staff follow the reviews on their dashboard; the applicant's pages never name a
reviewer (the experts' names are canaries). The browser also fails a test on any
console error or CSP violation (see conftest)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from filiere.calls.models import Criterion
from filiere.review import services_assignment
from filiere.review.models import Assignment, Availability, Expert, Review
from tests.review.factories import application, call_staff, expert, fund_staff, open_call

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CANARIES = ("Lovelace", "Hopper")


@pytest.fixture
def review_stage():
    call = open_call()
    filed = application(
        call,
        state="submitted",
        title="Mémoire minière en réalité virtuelle",
        summary="Une expérience immersive sur les mineurs de charbon du bassin minier.",
    )
    experts = [
        expert(call.fund, first_name="Ada", last_name="Lovelace"),
        expert(call.fund, first_name="Grace", last_name="Hopper"),
    ]
    for user in experts:
        row = Expert.objects.get(user=user, fund=call.fund)
        Availability.objects.create(expert=row, call=call, available=True, max_load=3)
    return {"call": call, "application": filed, "experts": experts, "staff": call_staff(call)}


def _no_violations(axe, page):
    assert axe(page) == []


def test_staff_compute_and_publish_then_an_expert_accepts(page, axe, sign_in_browser, review_stage):
    call = review_stage["call"]
    Criterion.objects.create(call=call, code="artistic", label_fr="Qualité", weight=60, position=1)
    Criterion.objects.create(
        call=call, code="feasibility", label_fr="Faisabilité", weight=40, position=2
    )
    sign_in_browser(review_stage["staff"])

    page.goto(reverse("review:assignment", args=[call.slug]))
    _no_violations(axe, page)
    page.get_by_label("Reviews per application").fill("1")
    page.get_by_role("button", name="Compute").click()
    page.get_by_role("link", name="See the proposal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assignment of the experts")
    _no_violations(axe, page)
    page.get_by_role("button", name=re.compile(r"^Publish 1 proposed pair")).click()
    _no_violations(axe, page)

    page.goto(reverse("review:conflicts", args=[call.slug]))
    _no_violations(axe, page)
    sign_in_browser(fund_staff(call.fund))
    page.goto(reverse("review:pools"))
    _no_violations(axe, page)
    page.goto(reverse("review:pool", args=[call.fund.slug]))
    _no_violations(axe, page)
    page.get_by_role("link", name=re.compile("Lovelace")).first.click()
    _no_violations(axe, page)

    assignment = Assignment.objects.select_related("expert__user").get()
    sign_in_browser(assignment.expert.user)
    page.goto(reverse("review:my_expertise"))
    _no_violations(axe, page)
    page.goto(reverse("review:my_assignments"))
    _no_violations(axe, page)
    page.get_by_role("link", name=re.compile(review_stage["application"].reference)).click()
    _no_violations(axe, page)
    page.get_by_label("I accept to review it").check()
    page.get_by_role("button", name="Send my answer").click()
    _no_violations(axe, page)

    assignment.refresh_from_db()
    assert assignment.response == "accepted"

    # The review: the form from the inbox, every field filled, then submitted.
    page.goto(reverse("review:my_assignments"))
    page.get_by_role("link", name="To write").click()
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()
    _no_violations(axe, page)
    page.get_by_label(re.compile("^Qualité")).select_option("4")
    page.get_by_label(re.compile("^Faisabilité")).select_option("3")
    page.get_by_label("Opinion for the applicant").fill(
        "Une écriture immersive solide, un budget crédible."
    )
    page.get_by_label("Recommendation").select_option("fund")
    page.get_by_role("button", name="Submit my review").click()
    expect(page.get_by_text("Your review has been submitted.", exact=True)).to_be_visible()
    _no_violations(axe, page)
    review = Review.objects.get(assignment=assignment)
    assert (review.status, review.recommendation, review.total) == ("submitted", "fund", 72.0)

    # The staff follow it on the call's reviews dashboard, from the assignment page.
    sign_in_browser(review_stage["staff"])
    page.goto(reverse("review:assignment", args=[call.slug]))
    page.get_by_role("link", name="Reviews of this call").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reviews of")
    expect(page.get_by_role("table").first).to_contain_text(
        re.compile(r"(Lovelace|Hopper) — Submitted \(Favourable: fund, 72[.,]0/100\)")
    )
    _no_violations(axe, page)


def test_the_applicant_never_reads_a_reviewer_name(page, axe, sign_in_browser, review_stage):
    filed = review_stage["application"]
    staff = review_stage["staff"]
    services_assignment.start_assignment_run(
        call=review_stage["call"], by=staff, mode="optimal", reviews=2
    )
    services_assignment.publish_assignments(call=review_stage["call"], by=staff)
    assert Assignment.objects.count() == 2

    sign_in_browser(filed.lead)
    for url in (
        reverse("calls:my_applications"),
        reverse("calls:application_detail", args=[filed.pk]),
        reverse("review:exclusions", args=[filed.pk]),
    ):
        page.goto(url)
        _no_violations(axe, page)
        text = page.content()
        for name in CANARIES:
            assert name not in text, (url, name)
