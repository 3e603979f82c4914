"""Reads for the instruction team: the list of a call's applications, one application with
everything staff see (notes and labels included), counts, and the eligibility snapshot.

Everything here is for staff only: views check ``permissions.call_staff_required`` before
calling, and fetch one application through ``access.access_application_for_staff``. The
applicant-facing reads never select notes or labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from filiere.engine.eligibility import (
    EligibilityReport,
    RuleConfigError,
    evaluate,
)

from .models import (
    Application,
    Call,
    Document,
    DocumentRequirement,
    Label,
    Message,
    SavedFilter,
    State,
)
from .permissions import instructable_q
from .selectors import rules_in_force
from .selectors_applicant import snapshot_of

if TYPE_CHECKING:
    from filiere.accounts.models import User
    from filiere.accounts.types import AnyUser

SORTS = {
    "reference": "reference",
    "title": "title",
    "amount": "requested_amount",
    "submitted_at": "submitted_at",
    "status": "state",
}


@dataclass(frozen=True)
class ApplicationFilters:
    """The staff list's filters, as plain values (from ``filters.ApplicationFilterForm``)."""

    states: tuple[str, ...] = ()
    genre_id: int | None = None
    territory: str = ""
    organisation_id: int | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    missing_documents: bool | None = None
    label_id: int | None = None
    text: str = ""
    sort: str = "reference"
    descending: bool = False


def missing_documents_condition() -> Exists:
    """True when a required document of the call (for the application's stage and genre) has no
    uploaded file that is not blocked by the antivirus."""
    present = Document.objects.filter(
        application=OuterRef(OuterRef("pk")), document_type=OuterRef("document_type")
    ).exclude(scan_status__in=[Document.Scan.INFECTED, Document.Scan.ERROR])
    missing = (
        DocumentRequirement.objects.filter(call=OuterRef("call"), required=True)
        .filter(Q(stage__isnull=True) | Q(stage=OuterRef("stage")))
        .filter(Q(genre__isnull=True) | Q(genre=OuterRef("genre")))
        .filter(~Exists(present))
    )
    return Exists(missing)


def attach_missing_documents(applications: Iterable[Application]) -> None:
    """Set ``missing_documents`` on a page of applications (one query for the page, so that
    sorting the whole list never computes it for every row)."""
    rows = [a for a in applications if not hasattr(a, "missing_documents")]
    if not rows:
        return
    flags = dict(
        Application.objects.filter(pk__in=[a.pk for a in rows])
        .annotate(missing=missing_documents_condition())
        .values_list("pk", "missing")
    )
    for application in rows:
        # A row annotation the list's template reads, as the query would have annotated it.
        application.missing_documents = bool(flags.get(application.pk))  # type: ignore[attr-defined]


def staff_applications(
    call: Call | None, filters: ApplicationFilters | None = None, *, viewer: AnyUser | None = None
) -> QuerySet[Application]:
    """The call's applications (every call's with ``call=None``), filtered and sorted, with what
    a list row shows (constant number of queries: one for the rows, one for their labels).

    With ``viewer``: only the applications they instruct (the calls of their staff grants, never
    an application they are on; ``permissions.instructable_q``)."""
    filters = filters or ApplicationFilters()
    qs = Application.objects.all() if call is None else Application.objects.filter(call=call)
    if viewer is not None:
        qs = qs.filter(instructable_q(viewer))
    qs = qs.select_related("call", "organisation__territory", "genre", "stage").prefetch_related(
        Prefetch("labels", queryset=Label.objects.order_by("name"))
    )
    if filters.states:
        qs = qs.filter(state__in=filters.states)
    if filters.genre_id:
        qs = qs.filter(genre_id=filters.genre_id)
    if filters.territory:
        qs = qs.filter(organisation__territory__code=filters.territory)
    if filters.organisation_id:
        qs = qs.filter(organisation_id=filters.organisation_id)
    if filters.min_amount is not None:
        qs = qs.filter(requested_amount__gte=filters.min_amount)
    if filters.max_amount is not None:
        qs = qs.filter(requested_amount__lte=filters.max_amount)
    if filters.missing_documents is not None:
        condition = missing_documents_condition()
        qs = qs.filter(condition if filters.missing_documents else ~condition)
    if filters.label_id:
        qs = qs.filter(labels__id=filters.label_id)
    text = filters.text.strip()
    if text:
        qs = qs.filter(
            Q(reference__icontains=text)
            | Q(title__icontains=text)
            | Q(organisation__name__icontains=text)
        )
    field = SORTS.get(filters.sort, "reference")
    if filters.descending:
        qs = qs.order_by(f"-{field}" if field != "submitted_at" else "-submitted_at", "-id")
    else:
        qs = qs.order_by(field, "id")
    return qs


def call_counts(call: Call) -> dict[str, int]:
    """Drafts vs submitted before the deadline (and by state), in one query."""
    counts = Application.objects.filter(call=call).aggregate(
        total=Count("pk"),
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        submitted_in_time=Count(
            "pk", filter=Q(submitted_at__isnull=False, submitted_at__lte=call.closes_at)
        ),
        submitted_late=Count("pk", filter=Q(submitted_at__gt=call.closes_at)),
    )
    return counts


def state_counts(call: Call) -> dict[str, int]:
    rows = Application.objects.filter(call=call).values_list("state").annotate(n=Count("pk"))
    return dict(rows)


def saved_filters(user: User, call: Call) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(user=user, call=call).order_by("name")


# --- eligibility --------------------------------------------------------------------------------


def eligibility_report(application: Application) -> tuple[EligibilityReport | None, str]:
    """(report, "") or (None, error code) when the call's rules cannot be read. The same rules
    and snapshot as the applicant's panel (``selectors.rules_in_force``, ``snapshot_of``), at
    the real submission time."""
    try:
        rules = rules_in_force(application.call, strict=True)
    except RuleConfigError as error:
        return None, error.code
    return evaluate(rules, snapshot_of(application, submitted_at=application.submitted_at)), ""


# --- the applicant team's side of messaging (no notes, no labels) -------------------------------


def messages_for_team(application: Application) -> QuerySet[Message]:
    return application.messages.select_related("author").order_by("sent_at", "pk")
