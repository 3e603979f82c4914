"""Writes of reviewing: the expert saves a draft (autosave included), submits it, and the staff
reopen a submitted review with a reason or set the call's review settings.

A save carries the version the form was rendered with: when the review moved on since (another
tab) and holds something else, the save is refused with :class:`StaleReview`, which carries both
versions so that the page shows them side by side and nothing typed is lost. Submission and
reopening are audited; drafts are not (the autosave would flood the log)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls.models import Call
from filiere.engine.review_score import missing_scores, weighted_total
from filiere.errors import Invalid, NotAllowed, ServiceError

from .models import (
    MAX_SCALE,
    Assignment,
    PairResponse,
    PairStatus,
    Recommendation,
    Review,
    ReviewSettings,
    ReviewStatus,
    ReviewVisibility,
)
from .permissions import manages_call_conflicts
from .selectors_review import criteria_of, scale_of, settings_of, weights_of


@dataclass(frozen=True)
class ReviewValues:
    """What the review form holds: scores by criterion code (an integer or "na")."""

    scores: dict[str, int | str] = field(default_factory=dict)
    opinion: str = ""
    confidential_note: str = ""
    recommendation: str = ""

    @classmethod
    def of(cls, review: Review) -> ReviewValues:
        return cls(
            scores=dict(review.scores),
            opinion=review.opinion,
            confidential_note=review.confidential_note,
            recommendation=review.recommendation,
        )


class StaleReview(ServiceError):
    """The review was saved elsewhere since this form was rendered, with other values."""

    def __init__(self, *, current: Review, submitted: ReviewValues) -> None:
        super().__init__("review.review.stale_version", {"current_version": current.version})
        self.current_version = current.version
        self.current = asdict(ReviewValues.of(current))
        self.submitted = asdict(submitted)


def _check_expert(assignment: Assignment, by: User) -> None:
    theirs = assignment.expert.user_id == by.pk
    accepted = (
        assignment.status == PairStatus.PUBLISHED and assignment.response == PairResponse.ACCEPTED
    )
    if not (theirs and accepted):
        raise NotAllowed("review.review.not_yours")


def _clean(values: ReviewValues) -> ReviewValues:
    if values.recommendation and values.recommendation not in Recommendation.values:
        raise Invalid("review.review.recommendation_unknown", field="recommendation")
    return ReviewValues(
        scores=dict(values.scores),
        opinion=values.opinion.strip(),
        confidential_note=values.confidential_note.strip(),
        recommendation=values.recommendation,
    )


def _write(
    *, assignment: Assignment, by: User, values: ReviewValues, expected_version: int | None
) -> Review:
    """Lock (or create) the review, refuse a submitted one and a stale edit, write the values."""
    _check_expert(assignment, by)
    values = _clean(values)
    Review.objects.get_or_create(assignment=assignment)
    review = Review.objects.select_for_update().get(assignment=assignment)
    if review.submitted:
        raise ServiceError("review.review.already_submitted")
    stale = expected_version is not None and expected_version != review.version
    if ReviewValues.of(review) != values:
        if stale:
            raise StaleReview(current=review, submitted=values)
        review.scores = values.scores
        review.opinion = values.opinion
        review.confidential_note = values.confidential_note
        review.recommendation = values.recommendation
        review.version += 1
        review.save()
    return review


def save_review(
    *, assignment: Assignment, by: User, values: ReviewValues, expected_version: int | None
) -> Review:
    """Save the expert's draft (the "save" button and the autosave)."""
    with transaction.atomic():
        return _write(
            assignment=assignment, by=by, values=values, expected_version=expected_version
        )


def submit_review(
    *, assignment: Assignment, by: User, values: ReviewValues, expected_version: int | None
) -> Review:
    """Save and submit: every criterion scored (or n/a where the call allows it), an opinion
    and a recommendation; the engine's weighted total is kept. Audited. A refused submission
    keeps the draft saved."""
    call = assignment.application.call
    settings = settings_of(call)
    weights = weights_of(criteria_of(call))
    # The draft is saved first, so that a refused submission loses nothing typed.
    saved = save_review(
        assignment=assignment, by=by, values=values, expected_version=expected_version
    )
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=saved.pk)
        missing = missing_scores(review.scores, weights, scale_of(settings))
        if missing:
            raise Invalid("review.review.scores_missing", {"count": len(missing)}, field="scores")
        if not review.opinion:
            raise Invalid("review.review.opinion_missing", field="opinion")
        if not review.recommendation:
            raise Invalid("review.review.recommendation_missing", field="recommendation")
        review.status = ReviewStatus.SUBMITTED
        review.submitted_at = timezone.now()
        review.total = weighted_total(review.scores, weights, scale_of(settings))
        review.version += 1
        review.save()
        record(
            actor=by,
            action="review.review.submitted",
            obj=assignment.application,
            data={"assignment": assignment.pk, "review": review.pk, "total": review.total},
        )
    return review


def reopen_review(*, review: Review, by: User, reason: str) -> Review:
    """The staff of the call give a submitted review back to its expert as a draft. Audited."""
    call = review.assignment.application.call
    if not manages_call_conflicts(by, call):
        raise NotAllowed("review.review.not_call_staff")
    reason = reason.strip()
    if not reason:
        raise Invalid("review.reason_missing", field="reason")
    with transaction.atomic():
        locked = Review.objects.select_for_update().get(pk=review.pk)
        if not locked.submitted:
            raise ServiceError("review.review.not_submitted")
        locked.status = ReviewStatus.DRAFT
        locked.submitted_at = None
        locked.total = None
        locked.version += 1
        locked.save()
        record(
            actor=by,
            action="review.review.reopened",
            obj=review.assignment.application,
            reason=reason,
            data={"assignment": review.assignment_id, "review": review.pk},
        )
    return locked


def save_review_settings(
    *,
    call: Call,
    by: User,
    deadline: datetime | None,
    scale_max: int,
    allow_na: bool,
    guidance: str,
    visibility: str,
) -> ReviewSettings:
    """The staff of the call set its review deadline, scale and visibility. Audited."""
    if not manages_call_conflicts(by, call):
        raise NotAllowed("review.review.not_call_staff")
    if not 1 <= scale_max <= MAX_SCALE:
        raise Invalid("review.review.scale_range", {"most": MAX_SCALE}, field="scale_max")
    if visibility not in ReviewVisibility.values:
        raise Invalid("review.review.visibility_unknown", field="visibility")
    values: dict[str, Any] = {
        "deadline": deadline,
        "scale_max": scale_max,
        "allow_na": allow_na,
        "guidance": guidance.strip(),
        "visibility": visibility,
    }
    with transaction.atomic():
        settings, _created = ReviewSettings.objects.update_or_create(call=call, defaults=values)
        record(
            actor=by,
            action="review.review.settings",
            obj=call,
            data={**values, "deadline": deadline.isoformat() if deadline else None},
        )
    return settings
