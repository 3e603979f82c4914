"""The offers and needs board: ``/api/v1/posts``.

The permissions of the pages (``matchmaking.permissions``): signed-in callers only (401
otherwise). The list holds the listed posts (published, not past their listing date), with the
board's filters and the API's paging; one post is read by every member while listed, and by its
author and the staff otherwise (404 for everyone else, as a missing one). A new post awaits
moderation; a read-only token cannot post (403). The suggestions of a post (the people and
organisations that could answer it, with their reasons) are its author's and the staff's.
Nobody's e-mail address is in any answer.

- ``GET /posts?kind=&skill=&territory=&language=`` — the board (a domain's slug also finds its
  narrower skills).
- ``POST /posts`` — post an offer or a need (for an organisation the caller manages:
  ``organisation``, its slug).
- ``GET /posts/{id}`` — one post.
- ``GET /posts/{id}/suggestions`` — who could answer it: the post's stored suggestions (computed
  by a background task), or 202 while they are being computed (``Retry-After``).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import BeforeValidator
from pydantic import ValidationError as PydanticValidationError

from filiere.community.models import Organisation, Skill, Territory
from filiere.errors import NotAllowed
from filiere.matchmaking import services_board, suggestion_runs
from filiere.matchmaking.models import Post, PostKind, SuggestionRun
from filiere.matchmaking.permissions import sees_suggestions_for
from filiere.matchmaking.selectors_board import (
    WORKING_LANGUAGES,
    BoardFilters,
    author_of,
    board_posts,
    filter_territories,
    post_for_reader,
)

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut, invalid_input
from .filters import check_filters, one_of
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["offers and needs"])


def _iso_text(value: Any) -> Any:
    # JSON has no date type: a date is the text "2027-03-11". Pydantic would also read a number
    # as seconds since 1970 (0 → 1970-01-01), which nobody means.
    if value is not None and not isinstance(value, str):
        raise ValueError("a date is written as text, e.g. 2027-03-11")
    return value


def _given_text(value: Any) -> Any:
    # The document lists the codes, not null: "anywhere" is said by leaving the field out.
    # (A default is not validated, so only an explicit null reaches this.)
    if value is None:
        raise ValueError("leave the field out for anywhere; null is not a territory's code")
    return value


#: A date given as ISO text only.
IsoDate = Annotated[date, BeforeValidator(_iso_text)]


class SkillRef(Schema):
    slug: str
    label: str


class PlaceRef(Schema):
    code: str
    label: str


class AuthorOut(Schema):
    """A name, and the directory profile's slug when the caller may open it (else null)."""

    name: str
    profile: str | None


class OrganisationRef(Schema):
    slug: str
    name: str


class PostOut(Schema):
    id: int
    #: ``need`` or ``offer``.
    kind: str
    title: str
    description: str
    skills: list[SkillRef]
    territory: PlaceRef | None
    starts_on: date | None
    ends_on: date | None
    duration: str
    #: The working language: ``fr``, ``en``, ``nl`` or ``de``.
    language: str
    expires_on: date
    #: ``pending``, ``published``, ``rejected`` or ``withdrawn`` (only the author and the staff
    #: read other than ``published``).
    status: str
    author: AuthorOut
    organisation: OrganisationRef | None
    created_at: datetime


def _post(viewer: Any, post: Post) -> dict[str, Any]:
    author = author_of(viewer, post)
    return {
        "id": post.pk,
        "kind": post.kind,
        "title": post.title,
        "description": post.description,
        "skills": [{"slug": s.slug, "label": s.label} for s in post.skills.all()],
        "territory": (
            {"code": post.territory.code, "label": post.territory.label}
            if post.territory is not None
            else None
        ),
        "starts_on": post.starts_on,
        "ends_on": post.ends_on,
        "duration": post.duration,
        "language": post.language,
        "expires_on": post.expires_on,
        "status": post.status,
        "author": {"name": author.name, "profile": author.profile_slug or None},
        "organisation": (
            {"slug": post.organisation.slug, "name": post.organisation.name}
            if post.organisation is not None
            else None
        ),
        "created_at": post.created_at,
    }


class PostsQuery(PageQuery):
    kind: str | None = Field(
        None, description="`need` or `offer`.", json_schema_extra=one_of(lambda: PostKind.values)
    )
    skill: str | None = Field(
        None,
        description="A skill's slug; a domain's slug also finds its narrower skills.",
        json_schema_extra=one_of(lambda: Skill.objects.values_list("slug", flat=True)),
    )
    territory: str | None = Field(
        None,
        description="A territory's code, e.g. `mel`.",
        json_schema_extra=one_of(lambda: filter_territories().values_list("code", flat=True)),
    )
    language: str | None = Field(
        None,
        description="The working language.",
        json_schema_extra=one_of(lambda: WORKING_LANGUAGES),
    )


@router.get(
    "",
    response={200: page_of(PostOut), 401: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="The offers and needs board",
    description=(
        "Published posts not past their listing date, the latest first, matching every filter "
        "given. Unknown parameters or filter values are refused (422)."
    ),
)
def list_posts(request: SignedInRequest, query: Query[PostsQuery]) -> dict[str, Any]:
    # permission: signed-in callers (401 otherwise); listed posts only
    check_filters(
        request,
        PostsQuery,
        {
            "kind": (query.kind, list(PostKind.values), ""),
            "skill": (query.skill, Skill.objects.all(), "slug"),
            "territory": (query.territory, Territory.objects.all(), "code"),
            "language": (query.language, list(WORKING_LANGUAGES), ""),
        },
    )
    filters = BoardFilters(
        kind=query.kind or "",
        skill=query.skill or "",
        territory=query.territory or "",
        language=query.language or "",
    )
    page = paginate(request, board_posts(filters, timezone.localdate()), query)
    return {**page, "results": [_post(request.auth, p) for p in page["results"]]}


class PostIn(Schema):
    kind: Literal["need", "offer"]
    title: str = Field(max_length=services_board.TITLE_MAX, pattern=r"\S")
    description: str = Field(max_length=services_board.DESCRIPTION_MAX, pattern=r"\S")
    skills: list[str] = Field(
        default_factory=list,
        max_length=services_board.MAX_SKILLS,
        description="Skills as typed: matched to the vocabulary, new ones proposed to curators.",
    )
    territory: Annotated[str | None, BeforeValidator(_given_text)] = Field(
        None,
        description="A territory's code (absent: anywhere).",
        json_schema_extra=one_of(lambda: filter_territories().values_list("code", flat=True)),
    )
    starts_on: IsoDate | None = None
    ends_on: IsoDate | None = None
    duration: str = Field("", max_length=services_board.DURATION_MAX)
    #: The working language.
    language: Literal["fr", "en", "nl", "de"] = "fr"
    expires_on: IsoDate | None = Field(
        None,
        description=(
            f"Listed until this date: {services_board.DEFAULT_LISTING_DAYS} days from today "
            f"when absent, at most {services_board.MAX_LISTING_DAYS}."
        ),
    )
    organisation: str | None = Field(
        None, description="The slug of an organisation the caller manages (absent: themselves)."
    )


def _read(body: bytes) -> PostIn:
    """The JSON body, or 422 ``invalid_input`` naming each field that is wrong."""
    try:
        return PostIn.model_validate_json(body or b"null")
    except PydanticValidationError as error:
        fields: dict[str, list[str]] = {}
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]) or "__all__"
            text = _("This field is required.") if problem["type"] == "missing" else None
            fields.setdefault(name, []).append(text or _("This value is not valid."))
        raise invalid_input(fields) from None


@router.post(
    "",
    response={201: PostOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="Post an offer or a need (it awaits moderation)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": PostIn.model_json_schema()}},
        }
    },
)
def create_post(request: SignedInRequest) -> Status:
    # permission: signed-in callers with a token that may write (read-only: 403); for an
    # organisation they manage only (403 otherwise, an unknown slug included); 409 past the
    # limit of open posts or for dates that do not fit; 422 for bad input; audited
    payload = _read(request.body)
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None:
            raise NotAllowed("matchmaking.post.not_manager", field="organisation")
    territory = None
    if payload.territory is not None:
        territory = Territory.objects.filter(code=payload.territory).first()
        if territory is None:
            message = _("Unknown value “%(value)s”.") % {"value": payload.territory}
            raise invalid_input({"territory": [message]})
    draft = services_board.PostDraft(
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        skills=tuple(payload.skills),
        territory=territory,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        duration=payload.duration,
        language=payload.language,
        expires_on=payload.expires_on,
        organisation=organisation,
    )
    post = services_board.create_post(by=request.auth, draft=draft)
    post = post_for_reader(request.auth, post.pk, timezone.localdate())
    return Status(201, _post(request.auth, post))


@router.get(
    "/{post_id}",
    response={200: PostOut, 401: ErrorOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="One post",
)
def post_detail(request: SignedInRequest, post_id: int) -> dict[str, Any]:
    # permission: a listed post for every signed-in caller; another for its author and the
    # staff only (404 for everyone else, as a missing one)
    return _post(request.auth, post_for_reader(request.auth, post_id, timezone.localdate()))


class ReasonOut(Schema):
    #: ``shared_skills``, ``related_skills``, ``matching_terms``, ``same_territory``.
    code: str
    #: The reason in words, in the caller's language.
    text: str
    #: The skills' labels or the words it names.
    words: list[str]


class SuggestionOut(Schema):
    #: ``person`` or ``organisation``.
    kind: str
    #: The profile's or organisation's slug in the directory.
    slug: str
    name: str
    score: float
    reasons: list[ReasonOut]


#: Seconds a caller waits before asking again for suggestions being computed (as the page polls).
COMPUTING_RETRY_AFTER = 2
_RETRY_AFTER_HEADER = {
    "Retry-After": {
        "description": "Seconds to wait before asking again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}


class ComputingOut(Schema):
    """The suggestions are being computed in the background: ask again after ``Retry-After``."""

    status: Literal["computing"]
    #: When the computation was asked for.
    requested_at: datetime


def _seconds_until_retry(run: SuggestionRun) -> int:
    ended = run.finished_at or run.requested_at
    wait = (ended + suggestion_runs.RETRY_AFTER - timezone.now()).total_seconds()
    return max(1, math.ceil(wait))


@router.get(
    "/{post_id}/suggestions",
    response={
        200: list[SuggestionOut],
        202: ComputingOut,
        401: ErrorOut,
        404: ErrorOut,
        503: ErrorOut,
    },
    auth=SIGNED_IN,
    summary="Who could answer my post, with the reasons",
    description=(
        "The suggestions are computed in the background and stored. **200** with them when "
        "the post's computation is done and still matches the post and the profiles; "
        'otherwise one is queued and the answer is **202** `{"status": "computing"}`: '
        "ask again after the seconds of `Retry-After`. **503** "
        "`matchmaking.suggestions.failed` when the last computation failed: it is tried "
        "again after `Retry-After`."
    ),
    openapi_extra={
        "responses": {
            202: {"headers": _RETRY_AFTER_HEADER},
            503: {"headers": _RETRY_AFTER_HEADER},
        }
    },
)
def post_suggestions(request: HttpRequest, post_id: int, response: HttpResponse) -> Status:
    # permission: the post's author and the staff (404 for everyone else, as a missing post);
    # only profiles the caller may see, never anyone in a block with the author or the caller.
    # Never computed here: the stored run, or a new one queued (202).
    user = request.user
    post = post_for_reader(user, post_id, timezone.localdate())
    if not sees_suggestions_for(user, post):
        raise Http404
    run = suggestion_runs.post_run(post)
    if run.status == SuggestionRun.Status.FAILED:
        response["Retry-After"] = str(_seconds_until_retry(run))
        message = _("The suggestions could not be computed; they will be computed again later.")
        return Status(
            503,
            {"code": "matchmaking.suggestions.failed", "message": message, "params": {}},
        )
    found = suggestion_runs.post_suggestions(user, post, run)
    if found is None:
        response["Retry-After"] = str(COMPUTING_RETRY_AFTER)
        return Status(202, {"status": "computing", "requested_at": run.requested_at})
    return Status(
        200,
        [
            {
                "kind": s.kind,
                "slug": s.row.slug,
                "name": s.row.display_name if s.kind == "person" else s.row.name,
                "score": s.score,
                "reasons": [
                    {"code": r.code, "text": r.text, "words": list(r.words)} for r in s.reasons
                ],
            }
            for s in found
        ],
    )
