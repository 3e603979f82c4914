"""Reads of the bidding: which calls an expert may bid on, the page of a call's applications
with the expert's own bids (never the others'), and a call's bids for the assignment run.

The bidding of a call is open to an active expert of the fund's pool once the call has closed
(every application is in), while the call is current (``selectors.REVIEW_WINDOW``), and until a
pair of the call is published to them. The applications listed are the ones an assignment reads
(``selectors_assignment.ASSIGNABLE``), without those the expert is in active conflict with (as
everywhere else, a conflicted expert learns nothing of them: 404). Each page costs a fixed
number of queries, whatever the size of the call.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator
from django.http import Http404
from django.utils import timezone

from filiere.accounts.models import User
from filiere.calls.models import Application, Call

from .models import Assignment, Bid, Expert, ExpertStatus, PairStatus
from .selectors import conflicted_applications, current_calls
from .selectors_assignment import ASSIGNABLE

#: Applications per page of the bidding.
BIDS_PER_PAGE = 50


@dataclass(frozen=True)
class BiddingCall:
    """A call whose applications ``expert`` may see for bidding; ``open`` while bids count."""

    call: Call
    expert: Expert
    open: bool


def bidding_is_open(call: Call, expert: Expert, now: datetime | None = None) -> bool:
    """Closed calls only (all applications in), until a pair of the call is published to the
    expert (the assignment no longer reads bids for them)."""
    now = now or timezone.now()
    if call.closes_at > now:
        return False
    return not Assignment.objects.filter(
        expert=expert, application__call=call, status=PairStatus.PUBLISHED
    ).exists()


def calls_open_for_bids(user: User, calls: Iterable[Call], now: datetime | None = None) -> set[int]:
    """The pks of ``calls`` (current calls of pools ``user`` is active in) whose bidding is open
    to them: ``bidding_is_open`` for many calls at once, in one query at most."""
    now = now or timezone.now()
    closed = {call.pk for call in calls if call.closes_at <= now}
    if not closed:
        return set()
    published = Assignment.objects.filter(
        expert__user=user,
        expert__status=ExpertStatus.ACTIVE,
        application__call_id__in=closed,
        status=PairStatus.PUBLISHED,
    ).values_list("application__call_id", flat=True)
    return closed - set(published)


def call_for_bidder(user: User, slug: str) -> BiddingCall:
    """The call ``slug`` for an active expert of its fund's pool, once it has closed and while it
    is current; 404 for anyone else and any other call."""
    call = Call.objects.select_related("fund").filter(slug=slug).first()
    now = timezone.now()
    if (
        call is None
        or call.closes_at > now
        or not current_calls(call.fund_id, now).filter(pk=call.pk).exists()
    ):
        raise Http404
    expert = Expert.objects.filter(
        fund_id=call.fund_id, user=user, status=ExpertStatus.ACTIVE
    ).first()
    if expert is None:
        raise Http404
    return BiddingCall(call=call, expert=expert, open=bidding_is_open(call, expert, now))


def _hidden(user: User, call: Call) -> set[int]:
    """The call's applications ``user`` is in active conflict with (one read of the graph)."""
    # The ids stay a subquery (the call may hold a thousand applications).
    ids = Application.objects.filter(call=call, state__in=ASSIGNABLE).values("pk")
    return conflicted_applications(user, call, ids)


@dataclass(frozen=True)
class BidRow:
    application: Application
    bid: str


@dataclass(frozen=True)
class BidPage:
    """One page of the call's applications (``page`` for the pagination) and its rows."""

    page: Page[Application]
    rows: list[BidRow]


def bid_page(user: User, bidding: BiddingCall, number: str | int | None) -> BidPage:
    """Page ``number`` of the call's applications (by reference) with the expert's own bid on
    each ("" for none)."""
    applications = (
        Application.objects.filter(call=bidding.call, state__in=ASSIGNABLE)
        .exclude(pk__in=_hidden(user, bidding.call))
        .select_related("genre")
        .order_by("reference")
    )
    page = Paginator(applications, BIDS_PER_PAGE).get_page(number)
    shown = list(page.object_list)
    mine = dict(
        Bid.objects.filter(expert=bidding.expert, application__in=shown).values_list(
            "application_id", "value"
        )
    )
    return BidPage(page, [BidRow(a, mine.get(a.pk, "")) for a in shown])


def application_for_bidder(user: User, bidding: BiddingCall, pk: int) -> Application:
    """One of the call's assignable applications, unless ``user`` is in conflict with it: 404."""
    application = (
        Application.objects.filter(call=bidding.call, state__in=ASSIGNABLE, pk=pk)
        .select_related("call")
        .first()
    )
    if application is None or conflicted_applications(user, bidding.call, [application.pk]):
        raise Http404
    return application


def bids_of_call(call: Call) -> dict[tuple[int, int], str]:
    """Every bid on ``call``'s applications, by (application pk, expert pk): what a run reads."""
    return {
        (application_id, expert_id): value
        for application_id, expert_id, value in Bid.objects.filter(
            application__call=call
        ).values_list("application_id", "expert_id", "value")
    }
