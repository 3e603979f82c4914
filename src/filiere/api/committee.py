"""The committee's sessions, as their members and staff see them: ``/api/v1/committee``.

The permissions of the pages: committee members (their active memberships) and the staff of
calls (the sessions of the calls they instruct); 403 for everyone else; a global committee role
alone opens no session (404, as a missing one). Committee members hold a second factor, like
the staff (api/auth.py and the MFA middleware).

- ``GET /committee/sessions`` — the caller's sessions, the next meeting first ("My sessions").
- ``GET /committee/sessions/{id}/agenda`` — the agenda as the caller may read it (never an
  application they are on, nor one they are in conflict with as an expert), by position: each
  application with its figures (raw mean, calibrated score with its interval from
  ``engine.calibration``, spread), votes per choice, the caller's vote, the quorum, and its
  submitted reviews: "A", "B"… for members, the experts' names for the staff of the call only.
- ``POST /committee/sessions/{id}/items/{item_id}/vote`` — record the caller's vote (active
  members only, 403 otherwise; while the session is open, 409 otherwise); a new vote replaces it.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import ValidationError as PydanticValidationError

from filiere.committee import selectors_agenda, services_sessions
from filiere.committee.access import item_for_reader, session_for_reader
from filiere.committee.models import VoteChoice
from filiere.committee.permissions import runs_committee, sees_committee
from filiere.committee.selectors_agenda import AgendaRow, ReviewRow, SessionRow
from filiere.errors import NotAllowed

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut, invalid_input
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["committee"])


class SessionOut(Schema):
    id: int
    title: str
    #: The call's slug.
    call: str
    meets_at: datetime
    place: str
    #: ``preparing``, ``open`` (members vote) or ``closed``.
    status: str
    quorum: int
    items: int
    #: The caller is an active member (``chairs``: the chair), or runs it (``staff``).
    member: bool
    chairs: bool
    staff: bool


class ScoreOut(Schema):
    """On the reviews' 0-100 scale."""

    raw_mean: float
    calibrated: float
    low: float
    high: float
    spread: float
    reviews: int


class ReviewOut(Schema):
    #: "A", "B"… for members; the expert's name for the staff of the call.
    reviewer: str
    named: bool
    #: Criterion code → a score, ``"na"`` (not applicable).
    scores: dict[str, int | str]
    total: float | None
    recommendation: str
    opinion: str
    confidential_note: str


class AgendaItemOut(Schema):
    id: int
    position: int
    reference: str
    title: str
    organisation: str
    genre: str | None
    requested_amount: Decimal | None
    state: str
    score: ScoreOut | None
    #: Choice (``fund``, ``reject``, ``defer``, ``abstain``) → votes cast.
    votes: dict[str, int]
    votes_cast: int
    quorum_reached: bool
    my_vote: str | None
    reviews: list[ReviewOut]


class AgendaOut(Schema):
    session: SessionOut
    items: list[AgendaItemOut]


class VoteIn(Schema):
    choice: str


class VoteOut(Schema):
    item: int
    choice: str
    votes: dict[str, int]
    votes_cast: int
    quorum_reached: bool


VOTE_BODY = {
    "title": "VoteIn",
    "type": "object",
    "required": ["choice"],
    "properties": {"choice": {"type": "string", "enum": list(VoteChoice.values)}},
}


def _committee(request: SignedInRequest) -> None:
    """The pages' rule: committee members and the staff of calls (403 for everyone else)."""
    if not sees_committee(request.auth):
        raise PermissionDenied


def _session(row: SessionRow) -> dict[str, Any]:
    session = row.session
    return {
        "id": session.pk,
        "title": session.title,
        "call": session.call.slug,
        "meets_at": session.meets_at,
        "place": session.place,
        "status": session.status,
        "quorum": session.quorum,
        "items": row.items,
        "member": row.member,
        "chairs": row.chairs,
        "staff": row.staff,
    }


def _review(row: ReviewRow) -> dict[str, Any]:
    review = row.review
    return {
        "reviewer": row.reviewer,
        "named": row.named,
        "scores": review.scores,
        "total": review.total,
        "recommendation": review.recommendation,
        "opinion": review.opinion,
        "confidential_note": review.confidential_note,
    }


def _item(row: AgendaRow, reviews: list[ReviewRow]) -> dict[str, Any]:
    application = row.application
    score = row.score
    return {
        "id": row.item.pk,
        "position": row.item.position,
        "reference": application.reference,
        "title": application.title,
        "organisation": str(application.organisation),
        "genre": str(application.genre) if application.genre else None,
        "requested_amount": application.requested_amount,
        "state": application.state,
        "score": None
        if score is None
        else {
            "raw_mean": score.raw_mean,
            "calibrated": score.calibrated,
            "low": score.low,
            "high": score.high,
            "spread": score.spread,
            "reviews": score.reviews,
        },
        "votes": row.votes,
        "votes_cast": row.votes_cast,
        "quorum_reached": row.quorum_reached,
        "my_vote": row.my_vote,
        "reviews": [_review(review) for review in reviews],
    }


@router.get(
    "/sessions",
    response={200: page_of(SessionOut), 403: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="My committee sessions (as a member or as the staff of their call)",
)
def my_sessions(request: SignedInRequest, query: Query[PageQuery]) -> dict[str, Any]:
    # permission: committee members and the staff of calls (403 for everyone else); a member's
    # active memberships and the sessions of the calls the caller instructs only
    _committee(request)
    page = paginate(request, selectors_agenda.sessions_for(request.auth), query)
    return {**page, "results": [_session(row) for row in page["results"]]}


@router.get(
    "/sessions/{session_id}/agenda",
    response={200: AgendaOut, 403: ErrorOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="A session's agenda: figures, votes and reviews (anonymised for members)",
)
def agenda(request: SignedInRequest, session_id: int) -> dict[str, Any]:
    # permission: committee members and the staff of calls (403 for everyone else); then an
    # active member of this session or the staff of its call (session_for_reader: 404 for
    # anyone else); only the items the caller may read; experts named for the staff only
    _committee(request)
    session, member = session_for_reader(request.auth, session_id)
    rows = selectors_agenda.agenda_rows(request.auth, session)
    staff = runs_committee(request.auth, session)
    reviews = selectors_agenda.reviews_of(
        [r.item.application_id for r in rows], session, names=staff
    )
    header = SessionRow(
        session=session,
        items=len(rows),
        member=member is not None,
        chairs=member is not None and member.chairs,
        staff=staff,
    )
    return {
        "session": _session(header),
        "items": [_item(r, reviews[r.item.application_id]) for r in rows],
    }


@router.post(
    "/sessions/{session_id}/items/{item_id}/vote",
    response={200: VoteOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="Record my vote on an agenda item (a new vote replaces mine)",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": VOTE_BODY}}}
    },
)
def vote(request: SignedInRequest, session_id: int, item_id: int) -> dict[str, Any]:
    # permission: committee members and the staff of calls (403 for everyone else); the session
    # and item as the item page (404: not theirs, their team's application, in conflict); the
    # service records the votes of active members only (403), while the session is open (409);
    # 422 for an unknown choice; audited
    _committee(request)
    session, member = session_for_reader(request.auth, session_id)
    item = item_for_reader(request.auth, session, item_id)
    if member is None:
        # The staff read the agenda but do not vote: refused before the body is read.
        raise NotAllowed("committee.vote.not_member")
    try:
        payload = VoteIn.model_validate_json(request.body or b"{}")
    except PydanticValidationError:
        raise invalid_input({"choice": [_("Choose one of the proposed votes.")]}) from None
    services_sessions.record_vote(item=item, by=request.auth, choice=payload.choice)
    row = selectors_agenda.agenda_row(request.auth, session, item)
    return {
        "item": item.pk,
        "choice": payload.choice,
        "votes": row.votes,
        "votes_cast": row.votes_cast,
        "quorum_reached": row.quorum_reached,
    }
