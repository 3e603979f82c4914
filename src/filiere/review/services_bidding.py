"""Writes of the bidding: an expert's bid on one application of a call.

A bid is a preference, changed in place while the bidding is open (``selectors_bidding``) and not
audited, like a draft. A "conflict" bid is more: it records the expert's own declaration about
that application (``services.declare_application_conflict``, the path of a decline with a
conflict), typed and with a reason, audited as ``review.conflict.declared``; from then on the
application is hidden from the expert and the pair is excluded like any other conflict (the
staff may lift it, the expert may withdraw it on My conflicts). Refusals are
:class:`filiere.errors.ServiceError` with ``review.bid.`` codes.
"""

from __future__ import annotations

from django.db import transaction

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls.models import Application, Call
from filiere.errors import Invalid, NotAllowed, ServiceError

from .models import Bid, BidValue, Expert, ExpertStatus
from .selectors import is_conflicted
from .selectors_assignment import ASSIGNABLE
from .selectors_bidding import bidding_is_open
from .services import declare_application_conflict


@transaction.atomic
def place_bid(
    *,
    user: User,
    call: Call,
    application: Application,
    value: str,
    conflict_kind: str = "",
    reason: str = "",
) -> Bid:
    """``user`` (an active expert of the call's pool) bids ``value`` on ``application``."""
    expert = Expert.objects.filter(
        fund_id=call.fund_id, user=user, status=ExpertStatus.ACTIVE
    ).first()
    if expert is None:
        raise NotAllowed("review.bid.not_in_pool")
    if application.call_id != call.pk or application.state not in ASSIGNABLE:
        raise Invalid("review.application_not_in_call", field="application")
    if value not in BidValue.values:
        raise Invalid("review.bid.unknown", field="value")
    if not bidding_is_open(call, expert):
        raise ServiceError("review.bid.closed")
    if is_conflicted(user, application):
        raise NotAllowed("review.bid.conflicted")
    if value == BidValue.CONFLICT:
        declaration = declare_application_conflict(
            by=user, application=application, kind=conflict_kind, reason=reason
        )
        record(
            actor=user,
            action="review.conflict.declared",
            obj=application,
            reason=declaration.reason,
            data={"kind": declaration.kind, "bid": True, "expert": expert.pk},
        )
    bid, _created = Bid.objects.update_or_create(
        expert=expert, application=application, defaults={"value": value}
    )
    return bid
