"""Reads of the applying side: who may see and edit an application, its engine snapshot, what is
missing before submission, and the applicant's dashboard.

The gatekeepers that fetch an application for its team (404 for anyone else) are in
``access``; the rules themselves are in ``permissions``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Aggregate,
    Count,
    Exists,
    Field,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.models import Role
from filiere.accounts.permissions import is_signed_in
from filiere.community.models import Affiliation, Organisation, OrganisationKind, Territory
from filiere.engine import budget as engine_budget
from filiere.engine import completeness
from filiere.engine.eligibility import (
    ApplicationSnapshot,
    EligibilityReport,
    Partner,
    RuleResult,
    Status,
    evaluate,
)
from filiere.engine.money import Money

from . import phrases
from .access import applications_of
from .models import (
    Application,
    Call,
    CorrectionRequest,
    Document,
    DocumentType,
    Genre,
    Message,
    Question,
    Stage,
    TeamMember,
)
from .permissions import can_edit_application, is_lead, membership
from .selectors import rules_in_force

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

# --- Who may apply, and to what -----------------------------------------------------------------


def get_open_call(slug: str, now: datetime | None = None) -> Call:
    call = Call.objects.open_at(now or timezone.now()).filter(slug=slug).first()
    if call is None:
        raise Http404
    return call


def organisations_for_applicant(user: AnyUser) -> QuerySet[Organisation]:
    """Organisations ``user`` may apply for: a current affiliation, or the applicant role
    granted for that organisation (``RoleGrant(role=applicant, scope_type="organisation")``)."""
    if not is_signed_in(user):
        return Organisation.objects.none()
    affiliated = Affiliation.objects.filter(
        organisation=OuterRef("pk"), person__user=user, end_date__isnull=True
    )
    granted = [
        scope_id
        for role, scope_type, scope_id in user.role_set()
        if role == Role.APPLICANT and scope_type == "organisation"
    ]
    return Organisation.objects.filter(Q(Exists(affiliated)) | Q(pk__in=granted)).order_by("name")


# --- Labels for the engine's codes --------------------------------------------------------------


def labels() -> phrases.Labels:
    """Labels of genres, stages, document types, territories and organisation kinds (4 queries)."""
    return phrases.Labels(
        genres={g.code: g.label for g in Genre.objects.all()},
        stages={s.code: s.label for s in Stage.objects.all()},
        documents={d.code: d.label for d in DocumentType.objects.all()},
        territories={t.code: t.label for t in Territory.objects.all()},
        organisation_kinds={k: str(v) for k, v in OrganisationKind.choices},
    )


# --- Snapshot for the engine --------------------------------------------------------------------


def _money(value: Decimal | None) -> Money | None:
    return None if value is None else Money.from_decimal(value)


def organisation_identifier(organisation: Organisation) -> tuple[str | None, str | None]:
    """(kind, value) of the organisation's first identifier: SIRET, BCE, SIREN, then RNA."""
    for kind, value in (
        ("siret", organisation.siret),
        ("bce", organisation.bce_number),
        ("siren", organisation.siren),
        ("rna", organisation.rna),
    ):
        if value:
            return kind, value
    return None, None


def budget_template_code(application: Application) -> str:
    """The budget template of the application's genre (the engine's rule)."""
    genre = application.genre.code if application.genre_id and application.genre else None
    return engine_budget.template_for_genre(genre)


def engine_partners(application: Application) -> tuple[Partner, ...]:
    """The organisations of the team members who accepted their invitation, as the engine's
    partners: a pending invitation satisfies no partner rule (it may never be accepted)."""
    return tuple(
        Partner(
            name=member.organisation.name,
            territory=member.organisation.territory.code if member.organisation.territory else None,
            country=member.organisation.country or None,
            kind=member.organisation.kind,
        )
        for member in application.team.all()
        if member.organisation is not None and member.accepted_at is not None
    )


def engine_lines(application: Application) -> tuple[engine_budget.BudgetLine, ...]:
    return tuple(
        engine_budget.BudgetLine(
            chapter=line.chapter,
            label=line.label,
            amount=Money.from_decimal(line.amount),
            regional_amount=Money.from_decimal(line.regional_amount),
        )
        for line in application.budget_lines.all()
    )


def engine_sources(application: Application) -> tuple[engine_budget.FinancingSource, ...]:
    return tuple(
        engine_budget.FinancingSource(
            name=source.name,
            kind=source.kind,
            amount=Money.from_decimal(source.amount),
            secured=source.secured,
        )
        for source in application.financing.all()
    )


def snapshot_of(application: Application, *, submitted_at: datetime | None) -> ApplicationSnapshot:
    """The application as the engine sees it, for the applicant and the staff alike (use
    :func:`with_related` to avoid one query per part). ``submitted_at``: the real submission for
    a submitted file, or "now" for a draft (what would happen if it were sent now).

    A document counts as present unless the antivirus found it infected or could not scan it:
    such a file is never served to the staff, so it cannot count for them, nor be promised to
    the applicant."""
    organisation = application.organisation
    identifier_kind, identifier = organisation_identifier(organisation)
    territory = organisation.territory
    return ApplicationSnapshot(
        organisation_kind=organisation.kind,
        seat_territory=territory.code if territory else None,
        seat_country=organisation.country or None,
        naf_code=organisation.naf_code or None,
        nace_code=organisation.nace_code or None,
        identifier_kind=identifier_kind,
        identifier=identifier,
        partners=engine_partners(application),
        genre=application.genre.code if application.genre else None,
        stage=application.stage.code if application.stage else None,
        requested_amount=_money(application.requested_amount),
        budget_lines=engine_lines(application),
        financing_sources=engine_sources(application),
        documents=frozenset(
            d.document_type.code
            for d in application.documents.all()
            if d.scan_status not in (Document.Scan.INFECTED, Document.Scan.ERROR)
        ),
        submitted_at=submitted_at,
        closes_at=application.call.closes_at,
    )


def eligibility_report(application: Application, *, now: datetime) -> EligibilityReport:
    return evaluate(rules_in_force(application.call), snapshot_of(application, submitted_at=now))


#: The rows joined to an application by :func:`with_related` (the call apart).
APPLICATION_JOINS = ("organisation__territory", "genre", "stage", "lead", "submission")


def content_prefetches() -> list[str | Prefetch[Any]]:
    """The application's own parts, as :func:`with_related` prefetches them (the submission
    reads them under its row lock, the call's form before it)."""
    return [
        "budget_lines",
        "financing",
        "answers",
        Prefetch("documents", queryset=Document.objects.select_related("document_type")),
        Prefetch(
            "team",
            queryset=TeamMember.objects.select_related("organisation__territory", "user"),
        ),
    ]


#: The call's form (its questions and required documents), relative to the call.
CALL_FORM_PREFETCHES = ("questions", "document_requirements__document_type")


def with_related(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Everything the snapshot, the completeness panel and the dashboard read, in fixed queries."""
    return queryset.select_related("call", *APPLICATION_JOINS).prefetch_related(
        *content_prefetches(),
        *(f"call__{name}" for name in CALL_FORM_PREFETCHES),
        Prefetch(
            "correction_requests",
            queryset=CorrectionRequest.objects.filter(closed_at__isnull=True),
            to_attr="open_corrections",
        ),
    )


def per_application(
    rows: QuerySet[Any], total: Aggregate, output_field: Field[Any, Any], empty: object
) -> Coalesce:
    """For an annotation of applications: ``total`` over each one's ``rows`` (a model with an
    ``application`` key), in one subquery; ``empty`` for an application without rows."""
    totals = (
        rows.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(total=total)
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=output_field), Value(empty))


def with_message_count(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate ``message_count``: the messages the team reads (one subquery, no extra query)."""
    return queryset.annotate(
        message_count=per_application(Message.objects.all(), Count("pk"), IntegerField(), 0)
    )


# --- Completeness -------------------------------------------------------------------------------
# The rules are the engine's (filiere.engine.completeness); here the application becomes its
# plain inputs, and the items become sentences (phrases).

Missing = phrases.Missing


def question_spec(question: Question, group: str | None = None) -> completeness.QuestionSpec:
    """The question as the engine sees it; ``group``: the code of its repeatable group."""
    return completeness.QuestionSpec(
        code=question.code,
        required=question.required,
        min_length=question.min_length,
        condition=completeness.Condition.from_json(question.condition),
        group=group,
    )


def condition_holds(question: Question, answers: dict[str, object]) -> bool:
    """Whether ``question`` is shown for ``answers`` (code → value): the engine's condition."""
    return question_spec(question).shown(answers)


def answers_by_code(application: Application) -> dict[str, object]:
    by_id = {q.pk: q.code for q in application.call.questions.all()}
    return {
        by_id[a.question_id]: a.value for a in application.answers.all() if a.question_id in by_id
    }


def required_document_types(application: Application) -> list[DocumentType]:
    return [
        requirement.document_type
        for requirement in application.call.document_requirements.all()
        if requirement.required
        and requirement.applies_to(stage_id=application.stage_id, genre_id=application.genre_id)
    ]


def draft_of(application: Application) -> completeness.Draft:
    """The application as the completeness check sees it (companion of :func:`snapshot_of`;
    reads what :func:`with_related` prefetches). Unlike the eligibility snapshot, a file whose
    scan failed counts as present here: only an infected file is refused at submission."""
    documents = list(application.documents.all())
    questions = list(application.call.questions.all())
    codes = {q.pk: q.code for q in questions}
    return completeness.Draft(
        has_title=bool(application.title.strip()),
        has_summary=bool(application.summary.strip()),
        questions=tuple(
            question_spec(q, codes.get(q.group_id) if q.group_id else None) for q in questions
        ),
        answers=answers_by_code(application),
        required_documents=tuple(d.code for d in required_document_types(application)),
        present_documents=frozenset(
            d.document_type.code for d in documents if d.scan_status != Document.Scan.INFECTED
        ),
        infected_files=tuple(
            d.original_name for d in documents if d.scan_status == Document.Scan.INFECTED
        ),
    )


def completeness_items(application: Application, *, now: datetime) -> tuple[completeness.Item, ...]:
    """What the engine finds missing, as codes: the draft and the eligibility report at ``now``
    (what would happen if the file were sent now)."""
    return completeness.missing_items(
        draft_of(application), eligibility_report(application, now=now)
    )


def form_labels(application: Application, labels: phrases.Labels | None = None) -> phrases.Labels:
    """``labels`` with the labels of the call's questions and required documents added, read
    from the prefetched rows (no query): the completeness items name them."""
    labels = labels or phrases.NO_LABELS
    documents = {
        requirement.document_type.code: requirement.document_type.label
        for requirement in application.call.document_requirements.all()
    }
    return replace(
        labels,
        questions={q.code: q.label for q in application.call.questions.all()},
        documents={**documents, **labels.documents},
    )


def missing_items(
    application: Application, *, now: datetime, labels: phrases.Labels | None = None
) -> list[Missing]:
    """What stands between the draft and a successful submission, step by step, in the
    reader's language."""
    return phrases.missing_items(
        completeness_items(application, now=now), form_labels(application, labels)
    )


def rule_results(
    application: Application, *, now: datetime, labels: phrases.Labels
) -> list[tuple[RuleResult, str]]:
    """(result, sentence) for every rule, for the review page."""
    report = eligibility_report(application, now=now)
    return [
        (result, phrases.rule_result_message(result, labels))
        for result in report.results
        if result.status is not Status.NOT_APPLICABLE
    ]


# --- Dashboard ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardRow:
    application: Application
    role: str  # "lead" or the team role's label
    missing: list[Missing]
    editable: bool
    corrections: list[CorrectionRequest]


def dashboard(user: AnyUser, *, now: datetime | None = None) -> list[DashboardRow]:
    """The user's applications with what is expected of them; a fixed number of queries."""
    now = now or timezone.now()
    applications = list(
        with_message_count(with_related(applications_of(user))).order_by("-updated_at", "-pk")
    )
    label_set = labels() if applications else phrases.NO_LABELS
    rows = []
    for application in applications:
        application._memberships = list(application.team.all())  # type: ignore[attr-defined]
        member = membership(user, application)
        role = (
            _("Lead applicant")
            if is_lead(user, application)
            else str(member.get_role_display() if member else "")
        )
        editable = can_edit_application(user, application, now)
        missing = missing_items(application, now=now, labels=label_set) if editable else []
        rows.append(
            DashboardRow(
                application=application,
                role=role,
                missing=missing,
                editable=editable,
                corrections=list(getattr(application, "open_corrections", [])),
            )
        )
    return rows


def pending_invitations(user: AnyUser) -> QuerySet[TeamMember]:
    """Invitations sent to the user's address that they have not accepted yet."""
    if not is_signed_in(user):
        return TeamMember.objects.none()
    return TeamMember.objects.filter(
        email__iexact=user.email, accepted_at__isnull=True, user__isnull=True
    ).select_related("application__call", "application__organisation")
