"""Applications: ``/api/v1/applications``.

Two sections, one per audience, sharing this router:

- **staff** (instruction): the applications they instruct — every call's for the global staff,
  their calls' for holders of a call-scoped staff grant, never one they are on (lead, invited or
  accepted member) — with the staff list's filters (the same query parameters as the HTML list:
  ``call``, ``status``, ``genre``, ``territory``, ``organisation``, ``min_amount``,
  ``max_amount``, ``missing_documents``, ``q``, ``sort``), the detail with labels and the number of
  private notes, and ``POST /applications/{id}/transitions`` for the transitions without a
  service of their own (and the committee's decisions, through their service). Its body says in
  the OpenAPI document which codes it takes and which need a reason; anything else is refused
  with 422 (``invalid_input``, ``workflow.service_owned``, ``workflow.reason_required``).
- **applicant** (own applications): an applicant only ever sees the applications they lead or are
  on the team of, never staff notes or labels; anyone else's application is a 404. The lead
  files through the verbs ``POST /applications/{id}/submit``, ``/resubmit`` and ``/withdraw``,
  which call the same services as the pages (deadline, completeness, receipt).

Errors have the API's one shape (``api/errors.py``) and lists its one page shape
(``api/pagination.py``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from filiere.accounts.models import User
from filiere.calls import selectors_staff
from filiere.calls.access import (
    access_application_by_id,
    access_application_for_member,
    applications_of,
)
from filiere.calls.filters import ApplicationFilterForm
from filiere.calls.models import Application, Call
from filiere.calls.permissions import instructs_some_call, is_lead
from filiere.calls.services import submission as submission_services
from filiere.calls.services.transitions import (
    TransitionError,
    allowed_for,
    fire_requested_transition,
    is_requestable,
)
from filiere.engine import workflow
from filiere.ui.arrival import arrival_of

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut, invalid_input
from .pagination import PageQuery, page_of, paginate

router = Router(tags=["applications"])


class ApplicationOut(Schema):
    id: int
    reference: str
    title: str
    call: str
    organisation: str
    territory: str | None
    genre: str | None
    stage: str | None
    state: str
    state_label: str
    requested_amount: Decimal | None
    submitted_at: datetime | None
    correction_until: datetime | None


class TransitionOut(Schema):
    code: str
    target: str
    reason_required: bool
    #: Where to fire it: ``submit``, ``resubmit``, ``withdraw`` (the verbs), ``transitions``, or
    #: ``None`` for what only a page offers (a correction request, with its items and date).
    operation: str | None


class ApplicationDetailOut(ApplicationOut):
    summary: str
    lead: str
    allowed_transitions: list[TransitionOut]


class StaffApplicationDetailOut(ApplicationDetailOut):
    labels: list[str]
    notes_count: int
    missing_documents: bool


class _Body(BaseModel):
    """A JSON object (a ninja ``Schema`` would also read attributes of a list or a string)."""

    model_config = ConfigDict(extra="ignore")


Body = TypeVar("Body", bound=_Body)


class TransitionIn(_Body):
    code: str
    reason: str = ""


class WithdrawIn(_Body):
    reason: str = ""


#: What the generic door fires: the transitions without a service of their own, and the
#: decisions (through theirs), in the table's order.
GENERIC_CODES = tuple(t.code for t in workflow.TRANSITIONS if is_requestable(t))
_NEEDS_REASON = tuple(c for c in GENERIC_CODES if workflow.TRANSITIONS_BY_CODE[c].reason_required)

#: The body of ``POST /applications/{id}/transitions`` as the OpenAPI document gives it: one of
#: the generic codes, with a reason (not blank) for those that require one.
TRANSITION_BODY = {
    "title": "TransitionIn",
    "oneOf": [
        {
            "type": "object",
            "required": ["code"],
            "properties": {
                "code": {
                    "type": "string",
                    "enum": [c for c in GENERIC_CODES if c not in _NEEDS_REASON],
                },
                "reason": {"type": "string", "description": "Optional, sent to the applicant."},
            },
        },
        {
            "type": "object",
            "required": ["code", "reason"],
            "properties": {
                "code": {"type": "string", "enum": list(_NEEDS_REASON)},
                "reason": {
                    "type": "string",
                    "pattern": "\\S",
                    "description": "Required (not blank), sent to the applicant.",
                },
            },
        },
    ],
}

WITHDRAW_BODY = {
    "title": "WithdrawIn",
    "type": "object",
    "properties": {
        "reason": {"type": "string", "description": "Optional, sent to the instruction team."}
    },
}


def _read_body(model: type[Body], body: bytes) -> Body:
    """``model`` read from the request's JSON body, or 422 ``invalid_input`` naming the field."""
    try:
        return model.model_validate_json(body)
    except PydanticValidationError as error:
        fields: dict[str, list[str]] = {}
        for problem in error.errors():
            name = ".".join(str(part) for part in problem["loc"]) or "__all__"
            fields.setdefault(name, []).append(_field_message(problem["type"]))
        raise invalid_input(fields) from None


def _field_message(kind: str) -> str:
    if kind == "missing":
        return _("This field is required.")
    if kind == "string_type":
        return _("Enter a text.")
    if kind == "model_type":
        return _("Send a JSON object.")
    return _("This value is not valid.")


#: The API's door for each transition that has a service of its own (see ``_operation``).
_VERBS = {"submit": "submit", "resubmit": "resubmit", "withdraw": "withdraw"}


def _row(application: Application) -> dict:
    territory = application.organisation.territory
    return {
        "id": application.pk,
        "reference": application.reference,
        "title": application.title,
        "call": application.call.slug,
        "organisation": application.organisation.name,
        "territory": territory.code if territory else None,
        "genre": application.genre.code if application.genre else None,
        "stage": application.stage.code if application.stage else None,
        "state": application.state,
        "state_label": str(application.get_state_display()),
        "requested_amount": application.requested_amount,
        "submitted_at": application.submitted_at,
        "correction_until": application.correction_until,
    }


def _page(
    request: HttpRequest, queryset: QuerySet[Application], query: PageQuery
) -> dict[str, Any]:
    """The API's shared page shape (api/pagination.py), rows as ``ApplicationOut``."""
    page = paginate(request, queryset, query)
    return {**page, "results": [_row(a) for a in page["results"]]}


def _operation(transition: workflow.Transition) -> str | None:
    if transition.code in _VERBS:
        return _VERBS[transition.code]
    if is_requestable(transition):
        return "transitions"
    return None


@router.get(
    "",
    response={200: page_of(ApplicationOut), 404: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="Applications (all for staff, own for others)",
)
def list_applications(
    request: SignedInRequest, query: Query[PageQuery], call: str = ""
) -> dict[str, Any]:
    # permission: signed in; staff see the applications they instruct (every call's, or their
    # calls' for a call-scoped grant; never one they are on), with the staff list's filters;
    # everyone else only the applications they lead or are on the team of (invitation accepted)
    user = request.auth
    if instructs_some_call(user):
        return _staff_list(request, call, query)
    queryset = applications_of(user).select_related(
        "call", "organisation__territory", "genre", "stage"
    )
    if call:
        queryset = queryset.filter(call__slug=call)
    return _page(request, queryset.order_by("call__slug", "reference"), query)


@router.get(
    "/{application_id}",
    response={200: StaffApplicationDetailOut | ApplicationDetailOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="One application",
)
def application_detail(request: SignedInRequest, application_id: int) -> ApplicationDetailOut:
    # permission: signed in; staff of its call who are not on its team: with labels; its lead
    # and accepted members: their own view; 404 for everyone else
    user = request.auth
    application, as_staff = access_application_by_id(user, application_id)
    data = {
        **_row(application),
        "summary": application.summary,
        "lead": str(application.lead),
        "allowed_transitions": [
            {
                "code": t.code,
                "target": t.target.value,
                "reason_required": t.reason_required,
                "operation": _operation(t),
            }
            for t in allowed_for(user, application)
        ],
    }
    if as_staff:
        return StaffApplicationDetailOut(**_staff_extra(application), **data)
    return ApplicationDetailOut(**data)


@router.post(
    "/{application_id}/transitions",
    response={
        200: ApplicationDetailOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    auth=SIGNED_IN,
    summary="Fire a transition (declare eligible, ineligible with a reason, …); not those with "
    "their own operation (submit, resubmit, withdraw) or page (a correction request)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": TRANSITION_BODY}},
        }
    },
)
def fire_transition(request: SignedInRequest, application_id: int) -> ApplicationDetailOut:
    # permission: signed in; the application must be visible to the caller (404 otherwise:
    # staff of its call, its team) and the engine's table decides (staff who are not on its
    # team): 403 for the wrong actor, 409 from the wrong state; 422 for a body the document
    # does not allow: not an object, an unknown code, ``workflow.service_owned`` for a
    # transition with its own service (submit, resubmit, withdraw, correction request, the
    # decisions: the committee's pages),
    # ``workflow.reason_required``
    user = request.auth
    application, _as_staff = access_application_by_id(user, application_id)
    payload = _read_body(TransitionIn, request.body)
    # Refusals (TransitionError: 403 actor, 409 state, 422 body) reach api/errors.install.
    try:
        # The engine refuses the transitions that have their own service (service_owned).
        fire_requested_transition(
            application=application, code=payload.code, by=user, reason=payload.reason
        )
    except TransitionError as error:
        if error.code == "workflow.service_owned" and payload.code in _VERBS:
            error.params["operation"] = _VERBS[payload.code]  # the API's door to use instead
        raise
    return application_detail(request, application_id)


# --- the lead's verbs (the same services as the pages) ----------------------------------------

_VERB_RESPONSES = {
    200: ApplicationDetailOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
}


@router.post(
    "/{application_id}/submit",
    response=_VERB_RESPONSES,
    auth=SIGNED_IN,
    summary="Submit my application (before the call closes, once complete)",
)
def submit(request: SignedInRequest, application_id: int) -> ApplicationDetailOut:
    # permission: signed in; the lead or an accepted team member sees it (404 for everyone
    # else); only the lead submits (403); the deadline, completeness and state say 409 and change
    # nothing. The same service as the page: Submission, receipt, audit, e-mails.
    application = access_application_for_member(request.auth, application_id)
    submission_services.submit_application(
        application=application, by=request.auth, arrival=arrival_of(request)
    )
    return application_detail(request, application_id)


@router.post(
    "/{application_id}/resubmit",
    response=_VERB_RESPONSES,
    auth=SIGNED_IN,
    summary="Send my corrected application again (while the correction window is open)",
)
def resubmit(request: SignedInRequest, application_id: int) -> ApplicationDetailOut:
    # permission: signed in; the lead or an accepted team member sees it (404 for everyone
    # else); only the lead sends it again (403); outside the correction window, incomplete or
    # in another state: 409, nothing changed. The same service as the page.
    application = access_application_for_member(request.auth, application_id)
    submission_services.resubmit_application(
        application=application, by=request.auth, arrival=arrival_of(request)
    )
    return application_detail(request, application_id)


@router.post(
    "/{application_id}/withdraw",
    response=_VERB_RESPONSES,
    auth=SIGNED_IN,
    summary="Withdraw my application (until a decision), with an optional reason",
    openapi_extra={
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": WITHDRAW_BODY}},
        }
    },
)
def withdraw(request: SignedInRequest, application_id: int) -> ApplicationDetailOut:
    # permission: signed in; the lead or an accepted team member sees it (404 for everyone
    # else); only the lead withdraws (403); after a decision: 409; a body other than a JSON
    # object with an optional text ``reason``: 422. The same service as the page.
    application = access_application_for_member(request.auth, application_id)
    payload = _read_body(WithdrawIn, request.body or b"{}")
    submission_services.withdraw_application(
        application=application, by=request.auth, reason=payload.reason
    )
    return application_detail(request, application_id)


# --- staff (instruction) ----------------------------------------------------------------------


def _staff_list(request: SignedInRequest, call_slug: str, query: PageQuery) -> dict[str, Any]:
    """Every application, or one call's, with the staff list's filters (same parameters)."""
    call = None
    if call_slug:
        call = Call.objects.filter(slug=call_slug).first()
        if call is None:
            raise Http404
    filters = ApplicationFilterForm(request.GET.copy(), call=call).filters()
    queryset = selectors_staff.staff_applications(call, filters, viewer=request.auth)
    if call is None and filters.sort == "reference":
        queryset = queryset.order_by("call__slug", "reference", "id")
    return _page(request, queryset, query)


def _staff_extra(application: Application) -> dict:
    missing = (
        Application.objects.filter(pk=application.pk)
        .annotate(missing=selectors_staff.missing_documents_condition())
        .values_list("missing", flat=True)
        .first()
    )
    return {
        "labels": sorted(label.name for label in application.labels.all()),
        "notes_count": application.staff_notes.count(),
        "missing_documents": bool(missing),
    }


# --- applicant (own applications) -------------------------------------------------------------


class ReceiptDocumentOut(Schema):
    type: str
    name: str
    size: int
    sha256: str


class ReceiptOut(Schema):
    """The acknowledgement. ``sha256`` is computed over the whole ``content``: only the lead's
    copy checks against it, as team members do not get the other members' addresses."""

    reference: str
    #: The moment compared with the deadline: the arrival at the platform (the front server's
    #: stamp) or, without a trusted stamp, the server clock when it was recorded.
    arrived_at: datetime
    #: How ``arrived_at`` was taken (``arrival.stamp``, ``arrival.no_stamp``...; empty for a
    #: submission recorded before the arrival time was kept).
    arrival_basis: str
    #: The server clock when the submission was recorded.
    submitted_at: datetime
    submitted_by: str
    sha256: str
    documents: list[ReceiptDocumentOut]
    content: dict


@router.get(
    "/{application_id}/receipt",
    response={200: ReceiptOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="The acknowledgement of receipt of one of my applications",
)
def application_receipt(request: SignedInRequest, application_id: int) -> dict[str, Any]:
    # permission: signed in; the lead or a team member who accepted, once submitted (404 for
    # everyone else, staff included: they read the file through the staff operations). The team
    # members' e-mail addresses are shown to the lead only.
    application = access_application_for_member(request.auth, application_id)
    submission = getattr(application, "submission", None)
    if submission is None:
        raise Http404
    return {
        "reference": application.reference,
        "arrived_at": submission.arrived_at,
        "arrival_basis": submission.arrival_basis,
        "submitted_at": submission.submitted_at,
        "submitted_by": submission.content.get("submitted_by", ""),
        "sha256": submission.sha256,
        "documents": submission.content.get("documents", []),
        "content": _receipt_content(submission.content, request.auth, application),
    }


def _receipt_content(
    content: dict[str, Any], user: User, application: Application
) -> dict[str, Any]:
    """The submitted content as the caller may read it: the lead gets it whole (the hash checks
    against it); a team member gets the team's roles with their own address only."""
    if is_lead(user, application):
        return content
    own = (user.email or "").lower()
    team = [
        member if (member.get("email") or "").lower() == own else {"role": member.get("role")}
        for member in content.get("team", [])
    ]
    return {**content, "team": team}
