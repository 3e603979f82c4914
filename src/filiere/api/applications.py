"""Applications: ``/api/v1/applications``.

Two sections, one per audience, sharing this router:

- **staff** (instruction): every application, with the staff list's filters (the same query
  parameters as the HTML list: ``call``, ``status``, ``genre``, ``territory``, ``organisation``,
  ``min_amount``, ``max_amount``, ``missing_documents``, ``q``, ``sort``), the detail with labels
  and the number of private notes, and ``POST /applications/{id}/transitions``.
- **applicant** (own applications): an applicant only ever sees the applications they lead or are
  on the team of, never staff notes or labels; anyone else's application is a 404.

Errors have the API's one shape (``api/errors.py``) and lists its one page shape
(``api/pagination.py``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ValidationError as PydanticValidationError

from filiere.calls import selectors_staff
from filiere.calls.filters import ApplicationFilterForm
from filiere.calls.models import Application, Call
from filiere.calls.permissions import sees_every_application
from filiere.calls.services.transitions import (
    TransitionError,
    allowed_for,
    transition_application,
)

from .auth import SIGNED_IN
from .errors import ErrorOut
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


class ApplicationDetailOut(ApplicationOut):
    summary: str
    lead: str
    allowed_transitions: list[TransitionOut]


class StaffApplicationDetailOut(ApplicationDetailOut):
    labels: list[str]
    notes_count: int
    missing_documents: bool


class TransitionIn(Schema):
    code: str
    reason: str = ""


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


def _error(status: int, code: str, message: str, params: dict | None = None):
    return Status(status, {"code": code, "message": message, "params": params or {}})


def _page(request: HttpRequest, queryset, query: PageQuery) -> dict:
    """The API's shared page shape (api/pagination.py), rows as ``ApplicationOut``."""
    page = paginate(request, queryset, query)
    return {**page, "results": [_row(a) for a in page["results"]]}


def _visible(user, pk: int) -> Application:
    """Staff see every application; others only their own (404 otherwise)."""
    queryset = Application.objects.select_related(
        "call", "organisation__territory", "genre", "stage", "lead"
    )
    if not sees_every_application(user):
        queryset = own_applications(user, queryset)
    application = queryset.filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


@router.get(
    "",
    response={200: page_of(ApplicationOut), 404: ErrorOut, 422: ErrorOut},
    auth=SIGNED_IN,
    summary="Applications (all for staff, own for others)",
)
def list_applications(request, query: Query[PageQuery], call: str = ""):
    # permission: signed in; staff see every application (with the staff list's filters),
    # everyone else only the applications they lead or are on the team of
    user = request.auth
    if sees_every_application(user):
        return _staff_list(request, call, query)
    queryset = own_applications(user).select_related(
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
def application_detail(request, application_id: int):
    # permission: signed in; staff: any application (with labels); others: their own only (404)
    user = request.auth
    application = _visible(user, application_id)
    data = {
        **_row(application),
        "summary": application.summary,
        "lead": str(application.lead),
        "allowed_transitions": [
            {"code": t.code, "target": t.target.value, "reason_required": t.reason_required}
            for t in allowed_for(user, application)
        ],
    }
    if sees_every_application(user):
        return StaffApplicationDetailOut(**_staff_extra(application), **data)
    return ApplicationDetailOut(**data)


@router.post(
    "/{application_id}/transitions",
    response={
        200: ApplicationDetailOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    auth=SIGNED_IN,
    summary="Fire a transition (declare eligible, ineligible with a reason, …)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": TransitionIn.model_json_schema()}},
        }
    },
)
def fire_transition(request, application_id: int):
    # permission: signed in; the application must be visible to the caller (404 otherwise:
    # staff see all, others their own) and the engine's table decides (staff for instruction,
    # the lead for a withdrawal): 403 for the wrong actor, 409 from the wrong state
    user = request.auth
    application = _visible(user, application_id)
    try:
        payload = TransitionIn.model_validate_json(request.body or b"")
    except PydanticValidationError:
        return _error(
            400,
            "request.invalid",
            _('Send JSON such as {"code": "declare_ineligible", "reason": "…"}.'),
        )
    try:
        transition_application(
            application=application, code=payload.code, by=user, reason=payload.reason
        )
    except TransitionError as error:
        status = 400
        if error.code == "workflow.not_allowed":
            status = 409 if error.params.get("why") == "state" else 403
        return Status(status, error.to_json())
    return application_detail(request, application_id)


# --- staff (instruction) ----------------------------------------------------------------------


def _staff_list(request: HttpRequest, call_slug: str, query: PageQuery) -> dict:
    """Every application, or one call's, with the staff list's filters (same parameters)."""
    call = None
    if call_slug:
        call = Call.objects.filter(slug=call_slug).first()
        if call is None:
            raise Http404
    form = ApplicationFilterForm(request.GET.copy(), call=call)
    queryset = selectors_staff.staff_applications(call, form.filters())
    if call is None and form.filters().sort == "reference":
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


def own_applications(user, queryset=None):
    """Applications ``user`` leads or joined (invitation accepted): the applying side's rule."""
    from filiere.calls.selectors_applicant import applications_of

    mine = applications_of(user)
    return mine if queryset is None else queryset.filter(pk__in=mine.values("pk"))


class ReceiptDocumentOut(Schema):
    type: str
    name: str
    size: int
    sha256: str


class ReceiptOut(Schema):
    reference: str
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
def application_receipt(request, application_id: int):
    # permission: signed in; the lead or a team member who accepted, once submitted (404 for
    # everyone else, staff included: they read the file through the staff operations)
    from filiere.calls.selectors_applicant import get_application_for_member

    application = get_application_for_member(request.auth, application_id)
    submission = getattr(application, "submission", None)
    if submission is None:
        raise Http404
    return {
        "reference": application.reference,
        "submitted_at": submission.submitted_at,
        "submitted_by": submission.content.get("submitted_by", ""),
        "sha256": submission.sha256,
        "documents": submission.content.get("documents", []),
        "content": submission.content,
    }
