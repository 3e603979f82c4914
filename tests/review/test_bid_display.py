"""The bid where the staff and the expert meet it: the proposal reads a pair's bid in words, and
the expert's page links to the bidding of the calls whose bidding is open to them."""

import pytest
from django.urls import reverse
from django.utils import translation

from filiere.review.models import Assignment, Expert, PairStatus
from tests.factories import CallFactory
from tests.review.factories import application, call_staff, expert, open_call, same_queries

pytestmark = pytest.mark.django_db


def test_the_proposal_shows_the_bid_in_words(client):
    call = CallFactory()
    app = application(call)
    reader = expert(call.fund, first_name="Ada", last_name="Lovelace")
    Assignment.objects.create(
        application=app,
        expert=Expert.objects.get(user=reader, fund=call.fund),
        status=PairStatus.PROPOSED,
        affinity=0.5,
        why=["mine", "bid:eager"],
    )
    client.force_login(call_staff(call))
    with translation.override("en"):
        html = client.get(reverse("review:assignment", args=[call.slug])).content.decode()
    assert "(matching: mine, bid: Eager to review it)" in html
    assert "bid:eager" not in html


def _bids_link(call):
    return f'href="{reverse("review:my_bids", args=[call.slug])}"'


def test_the_expert_page_links_to_the_bidding_while_it_is_open(client):
    closed = CallFactory()  # closed yesterday: the bidding is open
    still_open = open_call(fund=closed.fund)  # applications still coming in: no bidding
    reader = expert(closed.fund)
    client.force_login(reader)
    page = reverse("review:my_expertise")

    html = client.get(page).content.decode()
    assert _bids_link(closed) in html
    assert _bids_link(still_open) not in html

    # Once a pair of the call is published to them, their bids no longer count: no link.
    Assignment.objects.create(
        application=application(closed),
        expert=Expert.objects.get(user=reader, fund=closed.fund),
        status=PairStatus.PUBLISHED,
    )
    assert _bids_link(closed) not in client.get(page).content.decode()


def test_the_expert_page_costs_the_same_queries_with_more_calls(client):
    first = CallFactory()
    reader = expert(first.fund)
    client.force_login(reader)
    response = same_queries(
        client, reverse("review:my_expertise"), lambda: CallFactory(fund=first.fund)
    )
    assert _bids_link(first) in response.content.decode()
