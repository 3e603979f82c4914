"""Bidding, the staff's late reminders and the pair swap read as an attacker: crafted page
numbers and return addresses, ids of another call or pool, markup in a bid's reason, requests
without the CSRF token. Each answers a refusal or a 404, never a 500 nor another site."""

import pytest
from django.test import Client
from django.urls import reverse

from filiere.review.models import Assignment, Availability, Bid, Expert
from tests.factories import CallFactory
from tests.review.factories import application, call_staff, expert, open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    """A call that closed yesterday: the bidding is open."""
    return CallFactory()


def _bids(call, app=None):
    if app is None:
        return reverse("review:my_bids", args=[call.slug])
    return reverse("review:bid_save", args=[call.slug, app.pk])


# --- bidding ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["0", "-1", "999999", "abc", "²", "٣", "9" * 5000, "1e3", ""])
def test_a_crafted_page_number_is_never_a_500_nor_kept_as_typed(client, call, page):
    app = application(call)
    client.force_login(expert(call.fund))
    assert client.get(_bids(call), {"page": page}).status_code == 200
    response = client.post(_bids(call, app), {"value": "eager", "page": page})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(_bids(call) + "?page=")
    number = location.split("?page=")[1].split("#")[0]
    assert number.isascii() and number.isdigit() and len(number) < 20


@pytest.mark.parametrize("back", ["//evil.example", "https://evil.example/", "/\\evil.example"])
def test_the_bid_goes_back_to_the_bidding_page_only(client, call, back):
    app = application(call)
    client.force_login(expert(call.fund))
    for field in ("next", "back", "return"):
        response = client.post(_bids(call, app), {"value": "eager", "page": "1", field: back})
        assert response["Location"].startswith(_bids(call)), field


def test_a_bid_on_another_calls_application_is_a_404(client, call):
    other = application(CallFactory(fund=call.fund))
    client.force_login(expert(call.fund))
    assert client.post(_bids(call, other), {"value": "eager", "page": "1"}).status_code == 404
    assert not Bid.objects.exists()


def test_a_bid_with_a_reason_in_markup_is_shown_escaped(client, call):
    app = application(call)
    client.force_login(expert(call.fund))
    client.post(
        _bids(call, app),
        {
            "value": "conflict",
            "page": "1",
            "conflict_kind": "other",
            "reason": "<script>alert(1)</script>",
        },
    )
    html = client.get(reverse("review:my_conflicts")).content.decode()
    assert "<script>alert(1)</script>" not in html


def test_a_bid_needs_the_csrf_token(call):
    app = application(call)
    client = Client(enforce_csrf_checks=True)
    client.force_login(expert(call.fund))
    assert client.post(_bids(call, app), {"value": "eager", "page": "1"}).status_code == 403
    assert not Bid.objects.exists()


# --- reminders ----------------------------------------------------------------------------------


def test_staff_of_another_call_cannot_remind_its_experts(client, mailoutbox):
    call, other = open_call(), open_call()
    client.force_login(call_staff(other))
    response = client.post(reverse("review:review_remind_late", args=[call.slug]))
    assert response.status_code in (403, 404)
    client.force_login(expert(call.fund))
    response = client.post(reverse("review:review_remind_late", args=[call.slug]))
    assert response.status_code in (403, 404)
    assert client.get(reverse("review:review_remind_late", args=[call.slug])).status_code in (
        403,
        404,
        405,
    )
    assert mailoutbox == []


# --- swap ---------------------------------------------------------------------------------------


def _available(user, call):
    row = Expert.objects.get(user=user, fund=call.fund)
    Availability.objects.create(expert=row, call=call, available=True, max_load=3)
    return row


@pytest.fixture
def proposal():
    call = open_call()
    app = application(call)
    old = _available(expert(call.fund), call)
    pair = Assignment.objects.create(application=app, expert=old, affinity=0.5, why=[])
    return call, pair


def _pairs():
    return list(Assignment.objects.order_by("pk").values_list("pk", "expert_id"))


@pytest.mark.parametrize(
    "back", ["//evil.example", "next=https://evil.example", "page=1&next=//evil", "\r\nX: y"]
)
def test_the_swap_goes_back_to_the_proposal_only(client, proposal, back):
    call, pair = proposal
    new = _available(expert(call.fund), call)
    client.force_login(call_staff(call))
    url = reverse("review:assignment_swap", args=[call.slug, pair.pk])
    response = client.post(url, {"expert": new.pk, "back": back, "next": "//evil.example"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("review:assignment", args=[call.slug]))
    assert "evil" not in response["Location"]


def test_a_pair_of_another_call_or_an_expert_of_another_pool_is_refused(client, proposal):
    call, pair = proposal
    other_call = open_call()
    other_app = application(other_call)
    foreign = _available(expert(other_call.fund), other_call)
    other_pair = Assignment.objects.create(application=other_app, expert=foreign, why=[])
    client.force_login(call_staff(call))
    before = _pairs()
    # Another call's pair under the attacker's call.
    url = reverse("review:assignment_swap", args=[call.slug, other_pair.pk])
    assert client.post(url, {"expert": foreign.pk}).status_code == 404
    # An expert of another pool swapped in.
    url = reverse("review:assignment_swap", args=[call.slug, pair.pk])
    assert client.post(url, {"expert": foreign.pk}).status_code == 302
    # The other call itself.
    url = reverse("review:assignment_swap", args=[other_call.slug, other_pair.pk])
    assert client.post(url, {"expert": foreign.pk}).status_code in (403, 404)
    assert _pairs() == before


@pytest.mark.parametrize("given", ["abc", "²", "9" * 5000, "99999999999999999999999", "-1", ""])
def test_a_crafted_expert_id_is_refused_never_a_500(client, proposal, given):
    call, pair = proposal
    client.force_login(call_staff(call))
    before = _pairs()
    url = reverse("review:assignment_swap", args=[call.slug, pair.pk])
    assert client.post(url, {"expert": given}).status_code == 302
    assert _pairs() == before


def test_a_swap_needs_the_csrf_token(proposal):
    call, pair = proposal
    new = _available(expert(call.fund), call)
    client = Client(enforce_csrf_checks=True)
    client.force_login(call_staff(call))
    url = reverse("review:assignment_swap", args=[call.slug, pair.pk])
    assert client.post(url, {"expert": new.pk}).status_code == 403
