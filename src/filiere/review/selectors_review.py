"""Reads of reviewing: a call's settings and criteria, the other reviews an expert may read
(never named: "Reviewer A"), the expert's inbox progress and the staff's dashboard per call.

Every list costs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from filiere.calls.models import Application, Call, Criterion
from filiere.engine.review_score import Scale

from .models import (
    Assignment,
    PairResponse,
    PairStatus,
    Review,
    ReviewSettings,
    ReviewStatus,
    ReviewVisibility,
)
from .selectors import expert_name


def settings_of(call: Call) -> ReviewSettings:
    """The call's review settings; the defaults (unsaved) when the staff set none."""
    found = ReviewSettings.objects.filter(call=call).first()
    return found if found is not None else ReviewSettings(call=call)


def scale_of(settings: ReviewSettings) -> Scale:
    return Scale(maximum=settings.scale_max, allow_na=settings.allow_na)


def criteria_of(call: Call) -> list[Criterion]:
    return list(Criterion.objects.filter(call=call).order_by("position", "pk"))


def weights_of(criteria: Iterable[Criterion]) -> dict[str, int]:
    return {criterion.code: criterion.weight for criterion in criteria}


def is_late(settings: ReviewSettings, review: Review | None, now: datetime) -> bool:
    submitted = review is not None and review.submitted
    return settings.deadline is not None and settings.deadline < now and not submitted


def review_of(assignment: Assignment) -> Review | None:
    """The review of ``assignment`` (already past its gatekeeper), or None before the first save."""
    return Review.objects.filter(assignment=assignment).first()


# --- Other reviews, as an expert sees them ------------------------------------------------------


def reviewer_label(index: int) -> str:
    """ "A", "B"... then "AA": the anonymous name of the ``index``-th reviewer of a file."""
    letters = string.ascii_uppercase
    return (
        letters[index] if index < len(letters) else letters[index // 26 - 1] + letters[index % 26]
    )


@dataclass(frozen=True)
class OtherReview:
    label: str  # "A": the order of the assignments on the file, never a name
    review: Review


def others_visible(settings: ReviewSettings, own: Review | None) -> bool:
    if settings.visibility == ReviewVisibility.ALWAYS:
        return True
    if settings.visibility == ReviewVisibility.AFTER_OWN:
        return own is not None and own.submitted
    return False


def other_reviews(assignment: Assignment) -> list[OtherReview]:
    """The submitted reviews of the same application by the other experts, labelled by letter
    (the confidential notes stay in the rows but the expert's template never shows them)."""
    pairs = Assignment.objects.filter(
        application_id=assignment.application_id, status=PairStatus.PUBLISHED
    ).order_by("pk")
    labels = {
        pk: reviewer_label(index) for index, pk in enumerate(pairs.values_list("pk", flat=True))
    }
    reviews = (
        Review.objects.filter(
            assignment__application_id=assignment.application_id,
            status=ReviewStatus.SUBMITTED,
        )
        .exclude(assignment_id=assignment.pk)
        .order_by("assignment_id")
    )
    return [OtherReview(labels.get(r.assignment_id, "?"), r) for r in reviews]


# --- The expert's inbox -------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxRow:
    assignment: Assignment
    review: Review | None
    deadline: datetime | None
    late: bool

    @property
    def to_review(self) -> bool:
        """Accepted and not submitted yet: "save and next" goes to the next such row."""
        accepted = self.assignment.response == PairResponse.ACCEPTED
        return accepted and not (self.review is not None and self.review.submitted)


def inbox_rows(assignments: Sequence[Assignment]) -> list[InboxRow]:
    """The inbox's assignments with their review and their call's deadline: two queries."""
    reviews = {r.assignment_id: r for r in Review.objects.filter(assignment__in=assignments)}
    call_ids = {a.application.call_id for a in assignments}
    settings = {s.call_id: s for s in ReviewSettings.objects.filter(call_id__in=call_ids)}
    now = timezone.now()
    rows = []
    for assignment in assignments:
        call_settings = settings.get(assignment.application.call_id) or ReviewSettings()
        review = reviews.get(assignment.pk)
        accepted = assignment.response == PairResponse.ACCEPTED
        rows.append(
            InboxRow(
                assignment=assignment,
                review=review,
                deadline=call_settings.deadline,
                late=accepted and is_late(call_settings, review, now),
            )
        )
    return rows


# --- The staff's dashboard ----------------------------------------------------------------------


@dataclass
class ProgressRow:
    """Invited (published), accepted and submitted counts, for an application or an expert."""

    label: str
    invited: int = 0
    accepted: int = 0
    submitted: int = 0
    # For an application: its reviews with their experts' names (the staff's page only).
    reviews: list[tuple[str, Review]] = field(default_factory=list)
    application: Application | None = None

    @property
    def missing(self) -> int:
        return self.accepted - self.submitted


@dataclass(frozen=True)
class CallProgress:
    settings: ReviewSettings
    late: bool  # the deadline has passed
    applications: list[ProgressRow]
    experts: list[ProgressRow]


def call_progress(call: Call) -> CallProgress:
    """Per application and per expert, the published, accepted and submitted counts; the ones
    with accepted reviews still missing first once the deadline passed. Fixed queries."""
    settings = settings_of(call)
    late = settings.deadline is not None and settings.deadline < timezone.now()
    published = Q(assignments__status=PairStatus.PUBLISHED)
    accepted = published & Q(assignments__response=PairResponse.ACCEPTED)
    submitted = accepted & Q(assignments__review__status=ReviewStatus.SUBMITTED)
    applications = [
        ProgressRow(
            label=f"{a.reference} — {a.title}",
            invited=a.invited,
            accepted=a.accepted,
            submitted=a.submitted,
            application=a,
        )
        for a in Application.objects.filter(call=call)
        .filter(published)
        .annotate(
            invited=Count("assignments", filter=published, distinct=True),
            accepted=Count("assignments", filter=accepted, distinct=True),
            submitted=Count("assignments", filter=submitted, distinct=True),
        )
        .order_by("reference")
    ]
    by_application = {row.application.pk: row for row in applications if row.application}
    experts: dict[int, ProgressRow] = {}
    pairs = Assignment.objects.filter(
        application__call=call, status=PairStatus.PUBLISHED
    ).select_related("expert__user__person", "review")
    for pair in pairs:
        row = experts.setdefault(
            pair.expert_id, ProgressRow(label=expert_name(pair.expert.user, pair.expert.email))
        )
        row.invited += 1
        if pair.response == PairResponse.ACCEPTED:
            row.accepted += 1
            review = getattr(pair, "review", None)
            if review is not None and review.submitted:
                row.submitted += 1
            if review is not None:
                by_application[pair.application_id].reviews.append((row.label, review))
    order = (lambda r: (-r.missing, r.label)) if late else (lambda r: r.label)
    return CallProgress(
        settings=settings,
        late=late,
        applications=sorted(applications, key=order),
        experts=sorted(experts.values(), key=order),
    )


def review_of_call(call: Call, pk: int) -> Review | None:
    """A review of one of ``call``'s applications (the staff's reopen door), or None."""
    return (
        Review.objects.select_related("assignment__application", "assignment__expert")
        .filter(pk=pk, assignment__application__call=call)
        .first()
    )
