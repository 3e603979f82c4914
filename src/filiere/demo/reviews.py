"""The demo's reviews of the 2009 call, in every phase, written through the review services as
the experts and the staff would (``manage.py demo_applications`` runs it after
``demo.assignment``, which replaces the call's pairs and so their reviews).

The staff set the call's review settings: a 0-5 scale with its guidance, the other reviews shown
to an expert once they submitted their own, and a deadline two days past, so that the dashboard
puts the late ones first. The demo expert's accepted files: the first ones submitted, one
submitted then reopened by the staff with a reason, the last one a draft. The other experts with
an account answer their pairs in a fixed cycle: most accept and submit, some keep a draft, some
accepted without writing yet (late), some not answered. Scores come from a generator seeded by
the file and the expert, so a rerun gives the same reviews."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.calls.models import Call, Criterion
from filiere.engine.review_score import Scale, weighted_total
from filiere.review import services_assignment, services_review
from filiere.review.models import (
    Assignment,
    PairResponse,
    PairStatus,
    Recommendation,
    Review,
    ReviewVisibility,
)
from filiere.review.selectors_review import criteria_of, weights_of

from .accounts import DEMO_EXPERT_EMAIL, DEMO_STAFF_EMAIL
from .review_texts import GUIDANCE, NOTES, OPINIONS, REOPEN_REASON

SCALE_MAX = 5

#: What the other experts do with their n-th pair (in the order of the files' references).
CYCLE = ("submit", "submit", "submit", "draft", "accept", "submit", "pending")


@dataclass
class DemoReviewsResult:
    submitted: int = 0
    drafts: int = 0  # reopened ones included
    reopened: int = 0
    accepted_unwritten: int = 0
    expert_submitted: int = 0  # the demo expert's
    expert_drafts: int = 0
    expert_reopened: int = 0


def _values(pair: Assignment, criteria: list[Criterion]) -> services_review.ReviewValues:
    """A complete review: scores around a level drawn for the file and the expert, the
    recommendation that follows from their weighted total, an opinion that goes with it."""
    draw = random.Random(f"{pair.application.reference}/{pair.expert.email}")
    level = draw.choice((2, 3, 3, 4, 4, 5))
    scores: dict[str, int | str] = {
        c.code: max(0, min(SCALE_MAX, level + draw.choice((-1, 0, 0, 1)))) for c in criteria
    }
    total = weighted_total(scores, weights_of(criteria), Scale(maximum=SCALE_MAX)) or 0.0
    if total >= 75:
        recommendation = Recommendation.FUND
    elif total >= 50:
        recommendation = Recommendation.FUND_WITH_CHANGES
    else:
        recommendation = Recommendation.DO_NOT_FUND
    return services_review.ReviewValues(
        scores=scores,
        opinion=draw.choice(OPINIONS[recommendation]),
        confidential_note=draw.choice(NOTES) if draw.random() < 1 / 3 else "",
        recommendation=recommendation,
    )


def _draft(pair: Assignment, by: User, criteria: list[Criterion]) -> None:
    """A draft half written: the first criteria scored and the start of the opinion."""
    full = _values(pair, criteria)
    half = dict(list(full.scores.items())[: len(criteria) // 2])
    opinion = full.opinion.split(". ")[0] + "."
    values = services_review.ReviewValues(scores=half, opinion=opinion)
    services_review.save_review(assignment=pair, by=by, values=values, expected_version=None)


def _submit(pair: Assignment, by: User, criteria: list[Criterion]) -> None:
    services_review.submit_review(
        assignment=pair, by=by, values=_values(pair, criteria), expected_version=None
    )


def seed_demo_reviews(call: Call) -> DemoReviewsResult:
    """Set the call's review settings and write its reviews (see the module's text)."""
    result = DemoReviewsResult()
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if staff is None:
        return result
    criteria = criteria_of(call)
    with transaction.atomic():
        services_review.save_review_settings(
            call=call,
            by=staff,
            deadline=timezone.now() - dt.timedelta(days=2),
            scale_max=SCALE_MAX,
            allow_na=True,
            guidance=GUIDANCE,
            visibility=ReviewVisibility.AFTER_OWN,
        )
        # The experts with an account (an invited one has none yet), with that account.
        pairs = [
            (pair, pair.expert.user)
            for pair in Assignment.objects.filter(
                application__call=call, status=PairStatus.PUBLISHED
            )
            .select_related("application__call", "expert__user")
            .order_by("application__reference", "expert__email")
            if pair.expert.user is not None
        ]
        mine = [(p, user) for p, user in pairs if user.email == DEMO_EXPERT_EMAIL]
        _write_demo_expert(mine, staff, criteria, result)
        others = [(p, user) for p, user in pairs if user.email != DEMO_EXPERT_EMAIL]
        _write_others(others, criteria, result)
    return result


def _write_demo_expert(
    mine: list[tuple[Assignment, User]],
    staff: User,
    criteria: list[Criterion],
    result: DemoReviewsResult,
) -> None:
    """Of the demo expert's accepted files: the first ones submitted, one submitted and reopened
    by the staff, the last one a draft (with fewer files, the draft comes first)."""
    accepted = [(p, user) for p, user in mine if p.response == PairResponse.ACCEPTED]
    if not accepted:
        return
    *done, (last, expert) = accepted
    _draft(last, expert, criteria)
    result.expert_drafts += 1
    for pair, _user in done:
        _submit(pair, expert, criteria)
        result.expert_submitted += 1
    if len(done) >= 2:
        review = Review.objects.get(assignment=done[-1][0])
        services_review.reopen_review(review=review, by=staff, reason=REOPEN_REASON)
        result.expert_submitted -= 1
        result.expert_drafts += 1
        result.expert_reopened += 1
    result.submitted += result.expert_submitted
    result.drafts += result.expert_drafts
    result.reopened += result.expert_reopened


def _write_others(
    pairs: list[tuple[Assignment, User]], criteria: list[Criterion], result: DemoReviewsResult
) -> None:
    for index, (pair, user) in enumerate(pairs):
        step = CYCLE[index % len(CYCLE)]
        if step == "pending" or pair.response != PairResponse.PENDING:
            continue
        services_assignment.answer_assignment(assignment=pair, by=user, accept=True)
        pair.response = PairResponse.ACCEPTED
        if step == "submit":
            _submit(pair, user, criteria)
            result.submitted += 1
        elif step == "draft":
            _draft(pair, user, criteria)
            result.drafts += 1
        else:
            result.accepted_unwritten += 1
