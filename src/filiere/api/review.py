"""Reviewing, as the expert sees it: ``/api/v1/review``.

Read-only, with the permissions of the expert's pages: the expert role (403 without it, as the
pages) and, as for every expert, a second factor (a token or session of an expert without one is
refused with 401 ``second_factor_required``, api/auth.py and the MFA middleware).

- ``GET /review/assignments`` — the list of the "My assignments" page: the caller's published
  assignments in the pools they are active in, without those whose application they are in
  conflict with, the ones to answer first; with their answer, their review's status and the
  call's review deadline.
- ``GET /review/assignments/{id}/review`` — the caller's own review of an assignment they
  accepted (``access_review_for_expert``: 404 for one that is not theirs, not accepted, or whose
  application they are in conflict with); before its first save, an empty draft with ``status``
  null.

Never another expert's identity nor their reviews: the other reviews stay on the review page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema

from filiere.review import selectors_assignment, selectors_review
from filiere.review.access import access_review_for_expert
from filiere.review.models import Assignment, Review
from filiere.review.permissions import is_expert
from filiere.review.selectors_review import InboxRow

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["review"])


class AssignmentOut(Schema):
    id: int
    reference: str
    title: str
    call: str
    #: The expert's answer: ``pending``, ``accepted`` or ``declined``.
    response: str
    response_label: str
    #: The review's status: ``draft``, ``submitted``, or null before its first save.
    review_status: str | None
    deadline: datetime | None
    late: bool


class ReviewOut(Schema):
    assignment: int
    reference: str
    title: str
    call: str
    #: null before the first save (an empty draft).
    status: str | None
    #: Criterion code → a score, or ``"na"`` (not applicable).
    scores: dict[str, int | str]
    opinion: str
    confidential_note: str
    #: ``fund``, ``fund_with_changes``, ``do_not_fund``, or empty.
    recommendation: str
    #: The weighted total (0-100) at submission; null while a draft.
    total: float | None
    version: int
    submitted_at: datetime | None
    updated_at: datetime | None


def _expert(request: SignedInRequest) -> None:
    """The pages' rule: experts only (403 for everyone else)."""
    if not is_expert(request.auth):
        raise PermissionDenied


def _application(assignment: Assignment) -> dict[str, Any]:
    application = assignment.application
    return {
        "reference": application.reference,
        "title": application.title,
        "call": application.call.slug,
    }


def _row(row: InboxRow) -> dict[str, Any]:
    assignment = row.assignment
    return {
        "id": assignment.pk,
        **_application(assignment),
        "response": assignment.response,
        "response_label": str(assignment.get_response_display()),
        "review_status": row.review.status if row.review else None,
        "deadline": row.deadline,
        "late": row.late,
    }


@router.get(
    "/assignments",
    response={200: page_of(AssignmentOut), 403: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="My assignments (as an expert)",
)
def my_assignments(request: SignedInRequest, query: Query[PageQuery]) -> dict[str, Any]:
    # permission: experts (the expert role, with a second factor; 403 without the role); their
    # own published assignments only, without the conflicted ones (the "My assignments" page)
    _expert(request)
    page = paginate(request, selectors_assignment.my_assignments(request.auth), query)
    rows = selectors_review.inbox_rows(page["results"])
    return {**page, "results": [_row(row) for row in rows]}


@router.get(
    "/assignments/{assignment_id}/review",
    response={200: ReviewOut, 403: ErrorOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="My review of an assignment I accepted",
)
def my_review(request: SignedInRequest, assignment_id: int) -> dict[str, Any]:
    # permission: experts (403 without the role); the expert who accepted this published
    # assignment, without a conflict with its application (access_review_for_expert); 404 for
    # anyone else, the same answer as a missing one
    _expert(request)
    assignment = access_review_for_expert(request.auth, assignment_id)
    review = selectors_review.review_of(assignment) or Review(assignment=assignment)
    saved = review.pk is not None
    return {
        "assignment": assignment.pk,
        **_application(assignment),
        "status": review.status if saved else None,
        "scores": review.scores,
        "opinion": review.opinion,
        "confidential_note": review.confidential_note,
        "recommendation": review.recommendation,
        "total": review.total,
        "version": review.version,
        "submitted_at": review.submitted_at,
        "updated_at": review.updated_at if saved else None,
    }
