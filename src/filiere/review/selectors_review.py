"""Reads of reviewing: a call's settings and criteria, the other reviews an expert may read
(never named: "Reviewer A"), the expert's inbox progress and the staff's dashboard per call.

Every list costs a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from filiere.calls.models import Application, Call, Criterion
from filiere.engine.review_score import Scale

from .models import (
    Assignment,
    Expert,
    PairResponse,
    PairStatus,
    Review,
    ReviewSettings,
    ReviewStatus,
    ReviewVisibility,
)
from .selectors import expert_name

#: Rows per page of the dashboard's tables.
PAGE_SIZE = 50


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
class ProgressFilters:
    """A search (reference, title or expert's name) and "only the reviews still missing"."""

    q: str = ""
    missing_only: bool = False


@dataclass(frozen=True)
class ProgressTotals:
    """The whole call's figures, counted by the database whatever the page shown."""

    invited: int = 0
    accepted: int = 0
    submitted: int = 0

    @property
    def missing(self) -> int:
        return self.accepted - self.submitted


@dataclass(frozen=True)
class CallProgress:
    settings: ReviewSettings
    late: bool  # the deadline has passed
    applications: list[ProgressRow]  # the page shown
    experts: list[ProgressRow]  # the page shown
    application_page: Page[Any]
    expert_page: Page[Any]
    totals: ProgressTotals


def _counts(prefix: str = "") -> dict[str, Count]:
    """Invited, accepted and submitted counts of the pairs reached through ``prefix``."""
    published = Q(**{f"{prefix}status": PairStatus.PUBLISHED})
    accepted = published & Q(**{f"{prefix}response": PairResponse.ACCEPTED})
    submitted = accepted & Q(**{f"{prefix}review__status": ReviewStatus.SUBMITTED})
    counted = prefix.removesuffix("__") or "pk"
    return {
        "invited": Count(counted, filter=published),
        "accepted": Count(counted, filter=accepted),
        "submitted": Count(counted, filter=submitted),
    }


def _published(call: Call) -> QuerySet[Assignment]:
    return Assignment.objects.filter(application__call=call, status=PairStatus.PUBLISHED)


def _application_rows(
    call: Call,
    filters: ProgressFilters,
    named: list[int] | None,
    late: bool,
    page: int | str | None,
) -> Page[Any]:
    """The applications with published pairs, counted and sorted by the database; ``named``:
    the experts whose name matches the search, if any."""
    applications = (
        Application.objects.filter(call=call, pk__in=_published(call).values("application_id"))
        .only("reference", "title")
        .annotate(**_counts("assignments__"))
        .annotate(missing=F("accepted") - F("submitted"))
    )
    if filters.q:
        by_expert = _published(call).filter(expert_id__in=named or [])
        applications = applications.filter(
            Q(reference__icontains=filters.q)
            | Q(title__icontains=filters.q)
            | Q(pk__in=by_expert.values("application_id"))
        )
    if filters.missing_only:
        applications = applications.filter(missing__gt=0)
    order = ("-missing", "reference") if late else ("reference",)
    return Paginator(applications.order_by(*order), PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class _ExpertRow:
    pk: int
    email: str
    row: ProgressRow


def _expert_rows(call: Call, filters: ProgressFilters, late: bool) -> list[_ExpertRow]:
    """The experts with published pairs in the call with their counts (one grouped query) and
    names, searched and sorted: as many rows as the pool has experts, whatever the number of
    applications (the names are ``expert_name``'s, so Python sorts them)."""
    grouped = _published(call).order_by().values("expert_id").annotate(**_counts())
    counts = {
        row["expert_id"]: (row["invited"], row["accepted"], row["submitted"])
        for row in cast(Iterable[dict[str, int]], grouped)
    }
    rows = [
        _ExpertRow(
            pk=expert.pk,
            email=expert.email.casefold(),
            row=ProgressRow(expert_name(expert.user, expert.email), *counts[expert.pk]),
        )
        for expert in Expert.objects.filter(pk__in=counts).select_related("user__person")
    ]
    if filters.q:
        wanted = filters.q.casefold()
        rows = [r for r in rows if wanted in r.row.label.casefold() or wanted in r.email]
    if filters.missing_only:
        rows = [r for r in rows if r.row.missing > 0]
    if late:
        return sorted(rows, key=lambda r: (-r.row.missing, r.row.label.casefold(), r.pk))
    return sorted(rows, key=lambda r: (r.row.label.casefold(), r.pk))


def call_progress(
    call: Call,
    *,
    filters: ProgressFilters | None = None,
    page: int | str | None = 1,
    experts_page: int | str | None = 1,
) -> CallProgress:
    """One page of the call's applications and one of its experts, each with the published,
    accepted and submitted counts (the applications with their reviews); the ones with
    accepted reviews still missing first once the deadline passed; the call's totals. The
    database counts, sorts and cuts the pages: a fixed number of queries, and only the rows
    shown are read."""
    filters = filters or ProgressFilters()
    settings = settings_of(call)
    late = settings.deadline is not None and settings.deadline < timezone.now()
    experts = _expert_rows(call, filters, late)
    named = [r.pk for r in experts] if filters.q else None
    application_page = _application_rows(call, filters, named, late, page)
    applications = [
        ProgressRow(
            label=f"{a.reference} — {a.title}",
            invited=a.invited,
            accepted=a.accepted,
            submitted=a.submitted,
            application=a,
        )
        for a in application_page.object_list
    ]
    by_application = {row.application.pk: row for row in applications if row.application}
    reviews = (
        Review.objects.filter(
            assignment__application_id__in=by_application,
            assignment__status=PairStatus.PUBLISHED,
            assignment__response=PairResponse.ACCEPTED,
        )
        .select_related("assignment__expert__user__person")
        .order_by("assignment__application_id", "-assignment__affinity", "assignment_id")
    )
    for review in reviews:
        expert = review.assignment.expert
        by_application[review.assignment.application_id].reviews.append(
            (expert_name(expert.user, expert.email), review)
        )
    expert_page = Paginator([r.row for r in experts], PAGE_SIZE).get_page(experts_page)
    totals = Assignment.objects.filter(application__call=call).aggregate(**_counts())
    return CallProgress(
        settings=settings,
        late=late,
        applications=applications,
        experts=list(expert_page.object_list),
        application_page=application_page,
        expert_page=expert_page,
        totals=ProgressTotals(**totals),
    )


def review_of_call(call: Call, pk: int) -> Review | None:
    """A review of one of ``call``'s applications (the staff's reopen door), or None."""
    return (
        Review.objects.select_related("assignment__application", "assignment__expert")
        .filter(pk=pk, assignment__application__call=call)
        .first()
    )
