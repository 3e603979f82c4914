"""The calls pages lead to the review pages, for those the review rules let in only: the
application's team to its exclusion requests, the staff of a call to its conflicts, its
assignment and its reviews dashboard (and those pages to each other)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import add_member
from tests.review.factories import (
    UserFactory,
    application,
    call_staff,
    expert,
    fund_staff,
    open_call,
    staff,
)

pytestmark = pytest.mark.django_db


def _tags(user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        "{% load review_links %}"
        "[{% if app %}{% exclusions_url app %}{% endif %}]"
        "[{% if call %}{% conflicts_url call %}{% endif %}]"
        "[{% if call %}{% assignment_url call %}{% endif %}]"
    )
    return template.render(Context({"request": request, **context}))


def test_the_team_finds_its_exclusion_requests_from_the_application_page(client):
    app = application(open_call())
    member = add_member(app).user
    exclusions = reverse("review:exclusions", args=[app.pk])
    for user in (app.lead, member):
        client.force_login(user)
        page = client.get(reverse("calls:application_detail", args=[app.pk])).content.decode()
        assert f'href="{exclusions}"' in page
        assert client.get(exclusions).status_code == 200


def test_no_exclusion_link_for_anyone_off_the_team():
    app = application(open_call())
    invited = add_member(app, accepted=False).user
    for user in (UserFactory(), invited, staff(), expert(app.call.fund)):
        assert _tags(user, app=app) == "[][][]"


def test_the_staff_of_a_call_find_its_conflicts_from_its_instruction_page(client):
    call = open_call()
    application(call)
    conflicts = reverse("review:conflicts", args=[call.slug])
    for user in (staff(), call_staff(call)):
        client.force_login(user)
        page = client.get(reverse("calls:staff_applications", args=[call.slug])).content.decode()
        assert f'href="{conflicts}"' in page
        assert client.get(conflicts).status_code == 200


def test_the_conflicts_link_follows_the_review_rule():
    call = open_call()
    conflicts = reverse("review:conflicts", args=[call.slug])
    assignment = reverse("review:assignment", args=[call.slug])
    assert _tags(fund_staff(call.fund), call=call) == f"[][{conflicts}][{assignment}]"
    for user in (call_staff(open_call()), expert(call.fund), UserFactory()):
        assert _tags(user, call=call) == "[][][]"
    assert _tags(staff(), call=call) == f"[][{conflicts}][{assignment}]"


def test_the_staff_of_a_call_find_its_assignment_from_its_instruction_page_and_conflicts(client):
    call = open_call()
    application(call)
    assignment = reverse("review:assignment", args=[call.slug])
    conflicts = reverse("review:conflicts", args=[call.slug])
    client.force_login(call_staff(call))

    page = client.get(reverse("calls:staff_applications", args=[call.slug])).content.decode()
    assert f'href="{assignment}"' in page
    assert f'href="{assignment}"' in client.get(conflicts).content.decode()
    assert f'href="{conflicts}"' in client.get(assignment).content.decode()


def _reviews_tag(user, call) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load review_links %}[{% reviews_url call %}]")
    return template.render(Context({"request": request, "call": call}))


def test_the_staff_of_a_call_find_its_reviews_from_its_instruction_page_and_assignment(client):
    call = open_call()
    application(call)
    reviews = reverse("review:review_dashboard", args=[call.slug])
    assignment = reverse("review:assignment", args=[call.slug])
    for user in (staff(), call_staff(call)):
        client.force_login(user)
        page = client.get(reverse("calls:staff_applications", args=[call.slug])).content.decode()
        assert f'href="{reviews}"' in page
        assert f'href="{reviews}"' in client.get(assignment).content.decode()
        dashboard = client.get(reviews)
        assert dashboard.status_code == 200
        assert f'href="{assignment}"' in dashboard.content.decode()


def test_the_reviews_link_follows_the_review_rule():
    call = open_call()
    reviews = reverse("review:review_dashboard", args=[call.slug])
    for user in (staff(), fund_staff(call.fund), call_staff(call)):
        assert _reviews_tag(user, call) == f"[{reviews}]"
    for user in (call_staff(open_call()), expert(call.fund), UserFactory()):
        assert _reviews_tag(user, call) == "[]"
    app = application(call)
    assert _reviews_tag(app.lead, call) == "[]"
