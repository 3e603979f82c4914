"""Contacts with consent, as the pages: ``/api/v1/introductions``, ``/api/v1/blocks``,
``/api/v1/reports``. Signed-in members only; the same services and rules as the pages
(``filiere.matchmaking.services_contacts``).

- ``GET /introductions`` — the caller's introductions, asked and asked to (``direction``:
  ``sent`` or ``received``), newest first. The other side's ``email`` is null until accepted.
- ``POST /introductions`` — ask to be introduced to the owner of a directory profile
  (``person``: its slug) or to the author of a post of the board (``post``: its id), with a
  ``message``. A profile or post the caller may not see: 404. Refusals (no account, said no,
  blocked, already asked, declined less than 30 days ago, too many pending): 409 with the code;
  over the daily limit: 429.
- ``POST /introductions/{id}/accept`` and ``/decline`` — the member asked answers (403 for the
  one who asked; 404 for anyone else; 409 once answered).
- ``POST /blocks`` — block the owner of a profile (``person``) or the other side of an
  introduction (``introduction``): neither may ask the other any more, pending requests close.
- ``POST /reports`` — report a member (``person``), an introduction request the caller is part
  of (``introduction``) or a post (``post``) to the staff, with a ``reason``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypeVar

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from filiere.community.models import Person
from filiere.matchmaking import selectors_contacts as selectors
from filiere.matchmaking import services_contacts as services
from filiere.matchmaking.access import introduction_for_party
from filiere.matchmaking.models import Introduction, Post, ReportReason
from filiere.matchmaking.selectors_contacts import IntroductionRow

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut, invalid_input
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["contacts"])

#: Ids in bodies: positive, and within the database's integers.
MAX_ID = 2**31 - 1


class OtherOut(Schema):
    #: The other side's name (their directory name, never their address).
    name: str
    #: Their directory profile's slug, when the caller may see it.
    profile: str | None
    #: Their e-mail address: only once the introduction is accepted.
    email: str | None


class IntroductionOut(Schema):
    id: int
    #: ``sent`` (the caller asked) or ``received`` (the caller is asked).
    direction: str
    #: ``pending``, ``accepted``, ``declined`` or ``withdrawn``.
    status: str
    message: str
    created_at: datetime
    answered_at: datetime | None
    other: OtherOut
    #: The post of the board it is about (its id and title), if any.
    post: int | None
    post_title: str


class IntroductionsQuery(PageQuery):
    direction: Literal["sent", "received"] | None = Field(
        None, description="Only those the caller sent, or received."
    )


class BlockOut(Schema):
    id: int
    #: The name of the member blocked.
    name: str
    created_at: datetime


class ReportOut(Schema):
    id: int
    reason: str
    status: str
    created_at: datetime


class _Body(BaseModel):
    """A JSON object (unknown fields ignored)."""

    model_config = ConfigDict(extra="ignore")


class AskIn(_Body):
    person: str | None = None
    post: int | None = Field(None, ge=1, le=MAX_ID)
    message: str = Field(..., max_length=services.MESSAGE_MAX)


class BlockIn(_Body):
    person: str | None = None
    introduction: int | None = Field(None, ge=1, le=MAX_ID)


class ReportIn(_Body):
    person: str | None = None
    introduction: int | None = Field(None, ge=1, le=MAX_ID)
    post: int | None = Field(None, ge=1, le=MAX_ID)
    reason: str
    details: str = Field("", max_length=services.DETAILS_MAX)


_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_SLUG = {"type": "string", "minLength": 1, "description": "A directory profile's slug."}


def _one_of(
    fields: dict[str, dict[str, Any]], common: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    """A body schema where exactly one of ``fields`` is given, with the ``common`` fields."""
    return {
        "oneOf": [
            {
                "type": "object",
                "required": [name, *required],
                "properties": {name: schema, **common},
                "not": {"anyOf": [{"required": [other]} for other in fields if other != name]},
            }
            for name, schema in fields.items()
        ]
    }


ASK_BODY = {
    "title": "AskIn",
    **_one_of(
        {"person": _SLUG, "post": _ID},
        {
            "message": {
                "type": "string",
                "maxLength": services.MESSAGE_MAX,
                "pattern": "\\S",
                "description": "Who you are and why (required, not blank).",
            }
        },
        ["message"],
    ),
}
BLOCK_BODY = {"title": "BlockIn", **_one_of({"person": _SLUG, "introduction": _ID}, {}, [])}
REPORT_BODY = {
    "title": "ReportIn",
    **_one_of(
        {"person": _SLUG, "introduction": _ID, "post": _ID},
        {
            "reason": {"type": "string", "enum": list(ReportReason.values)},
            "details": {"type": "string", "maxLength": services.DETAILS_MAX},
        },
        ["reason"],
    ),
}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


B = TypeVar("B", bound=_Body)


def _read(model: type[B], request: SignedInRequest, choices: tuple[str, ...]) -> B:
    """The body as ``model``, with exactly one of ``choices``; 422 ``invalid_input`` otherwise."""
    try:
        payload = model.model_validate_json(request.body or b"{}")
    except PydanticValidationError as error:
        fields: dict[str, list[str]] = {}
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]) or "__all__"
            fields.setdefault(name, []).append(_("This value is not valid."))
        raise invalid_input(fields) from None
    given = [name for name in choices if getattr(payload, name) is not None]
    if len(given) != 1:
        message = _("Give exactly one of: %(fields)s.") % {"fields": ", ".join(choices)}
        raise invalid_input({choices[0]: [message]})
    return payload


def _row(row: IntroductionRow) -> dict[str, Any]:
    introduction = row.introduction
    return {
        "id": introduction.pk,
        "direction": row.direction,
        "status": introduction.status,
        "message": introduction.message,
        "created_at": introduction.created_at,
        "answered_at": introduction.answered_at,
        "other": {
            "name": row.other_name,
            "profile": row.other_profile or None,
            "email": row.other_email or None,
        },
        "post": introduction.post_id,
        "post_title": row.post_title,
    }


def _person(request: SignedInRequest, slug: str) -> Person:
    person = selectors.askable_person(request.auth, slug)
    if person is None:
        raise Http404
    return person


def _post(request: SignedInRequest, pk: int) -> Post:
    post = selectors.visible_post(request.auth, pk)
    if post is None:
        raise Http404
    return post


_WRITE = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get(
    "/introductions",
    response={200: page_of(IntroductionOut), 422: ErrorOut},
    auth=SIGNED_IN,
    summary="My introductions, asked and asked to",
)
def my_introductions(request: SignedInRequest, query: Query[IntroductionsQuery]) -> dict[str, Any]:
    # permission: signed in; the caller's own introductions only (asked or asked to); the other
    # side's address only once accepted
    found: QuerySet[Introduction] = selectors.introductions_of(request.auth)
    if query.direction == "sent":
        found = found.filter(requester=request.auth)
    elif query.direction == "received":
        found = found.filter(recipient=request.auth)
    page = paginate(request, found, query)
    rows = selectors.rows_for(request.auth, page["results"])
    return {**page, "results": [_row(row) for row in rows]}


@router.post(
    "/introductions",
    response={201: IntroductionOut, 429: ErrorOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Ask to be introduced to a member (from their profile or one of their posts)",
    openapi_extra=_body(ASK_BODY),
)
def ask(request: SignedInRequest) -> Status:
    # permission: signed in; a profile or post the caller may see (404 otherwise); the service
    # applies the rules of the pages (consent, blocks, one pending per pair, 30 days after a
    # decline: 409; limits: 409 pending, 429 per day); audited, the recipient told by e-mail
    payload = _read(AskIn, request, ("person", "post"))
    person = _person(request, payload.person) if payload.person is not None else None
    post = _post(request, payload.post) if payload.post is not None else None
    introduction = services.ask_introduction(
        requester=request.auth, message=payload.message, person=person, post=post
    )
    return Status(201, _row(selectors.row_for(request.auth, introduction)))


def _answer(request: SignedInRequest, introduction_id: int, verb: str) -> dict[str, Any]:
    found = introduction_for_party(request.auth, introduction_id)
    action = services.accept_introduction if verb == "accept" else services.decline_introduction
    answered = action(introduction=found, by=request.auth)
    return _row(selectors.row_for(request.auth, answered))


@router.post(
    "/introductions/{introduction_id}/accept",
    response={200: IntroductionOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Accept a request: both sides see each other's e-mail address",
)
def accept(request: SignedInRequest, introduction_id: int) -> dict[str, Any]:
    # permission: signed in; a party of the introduction (404 otherwise); only the member
    # asked (403 for the requester); a pending request (409); audited, the requester told
    return _answer(request, introduction_id, "accept")


@router.post(
    "/introductions/{introduction_id}/decline",
    response={200: IntroductionOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Decline a request (the requester may not ask again for 30 days)",
)
def decline(request: SignedInRequest, introduction_id: int) -> dict[str, Any]:
    # permission: signed in; a party of the introduction (404 otherwise); only the member
    # asked (403 for the requester); a pending request (409); audited
    return _answer(request, introduction_id, "decline")


@router.post(
    "/blocks",
    response={201: BlockOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Block a member: no more introduction requests either way",
    openapi_extra=_body(BLOCK_BODY),
)
def block(request: SignedInRequest) -> Status:
    # permission: signed in; a profile the caller may see, with an account, or the other side
    # of an introduction the caller is part of (404 otherwise); audited
    payload = _read(BlockIn, request, ("person", "introduction"))
    if payload.person is not None:
        blocked = _person(request, payload.person).user
        if blocked is None:
            raise Http404
    else:
        assert payload.introduction is not None
        found = introduction_for_party(request.auth, payload.introduction)
        blocked = found.recipient if found.requester_id == request.auth.pk else found.requester
    made = services.block_member(by=request.auth, blocked=blocked)
    name = selectors.member_name(blocked)
    return Status(201, {"id": made.pk, "name": name, "created_at": made.created_at})


@router.post(
    "/reports",
    response={201: ReportOut, **_WRITE},
    auth=SIGNED_IN,
    summary="Report a member, an introduction request or a post to the staff",
    openapi_extra=_body(REPORT_BODY),
)
def report(request: SignedInRequest) -> Status:
    # permission: signed in; what is reported must be visible to the caller (a profile they may
    # see, an introduction they are part of, a post they may read: 404 otherwise); audited
    payload = _read(ReportIn, request, ("person", "introduction", "post"))
    target: dict[str, Any] = {}
    if payload.person is not None:
        user = _person(request, payload.person).user
        if user is None:
            raise Http404
        target["user"] = user
    elif payload.introduction is not None:
        target["introduction"] = introduction_for_party(request.auth, payload.introduction)
    else:
        assert payload.post is not None
        target["post"] = _post(request, payload.post)
    made = services.report(
        reporter=request.auth, reason=payload.reason, details=payload.details, **target
    )
    return Status(
        201,
        {
            "id": made.pk,
            "reason": made.reason,
            "status": made.status,
            "created_at": made.created_at,
        },
    )
