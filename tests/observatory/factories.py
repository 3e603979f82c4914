"""Calls with decided applications, for the observatory's tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from filiere.accounts.models import User
from filiere.calls.models import Genre
from filiere.committee.models import Decision
from tests.accounts.factories import UserFactory
from tests.factories import ApplicationFactory, CallFactory, OrganisationFactory


def decider():
    """Whoever recorded the decisions (the observatory never reads who)."""
    found = User.objects.filter(email="decider@example.org").first()
    return found or UserFactory(email="decider@example.org")


def closed_call(year: int, **fields):
    closes = timezone.make_aware(dt.datetime(year, 6, 30, 12))
    return CallFactory(opens_at=closes - dt.timedelta(days=60), closes_at=closes, **fields)


def application(
    call,
    *,
    awarded=None,
    amount="40000",
    organisation=None,
    genre="serious-game",
    requested="50000",
):
    """A submitted application of ``call``; ``awarded=True`` adds a confirmed award decision
    of ``amount``, ``False`` a rejection, None leaves it undecided."""
    state = {True: "awarded", False: "rejected", None: "committee"}[awarded]
    app = ApplicationFactory(
        call=call,
        organisation=organisation or OrganisationFactory(),
        genre=Genre.objects.get(code=genre) if genre else None,
        state=state,
        requested_amount=Decimal(requested),
    )
    if awarded is not None:
        Decision.objects.create(
            application=app,
            outcome="award" if awarded else "reject",
            amount=Decimal(amount) if awarded else 0,
            status="confirmed",
            proposed_by=decider(),
            confirmed_at=timezone.now(),
        )
    return app


def applications(call, count: int, *, awarded: int = 0, **fields):
    """``count`` applications of ``call``, the first ``awarded`` of them awarded."""
    return [application(call, awarded=i < awarded or False, **fields) for i in range(count)]
