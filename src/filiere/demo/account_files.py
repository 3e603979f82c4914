"""The demo applicant account's own files: a draft, a submitted file, one asked for a
correction and one declared eligible, made through the services a person uses (so receipts,
audit entries and notifications agree), while the call is open."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import QuerySet
from django.utils import timezone

from filiere.accounts.models import Role, RoleGrant, User
from filiere.accounts.permissions import is_staff
from filiere.audit.services import record
from filiere.calls import throttle
from filiere.calls.models import (
    Application,
    Call,
    Document,
    DocumentType,
    Genre,
    Resubmission,
    Stage,
    Submission,
)
from filiere.calls.selectors_applicant import organisations_for_applicant, required_document_types
from filiere.calls.services import applications as applying
from filiere.calls.services import documents as document_services
from filiere.calls.services import instruction
from filiere.calls.services.submission import submit_application
from filiere.community.models import Organisation

from .accounts import DEMO_APPLICANT_EMAIL, DEMO_STAFF_EMAIL
from .application_texts import CHAPTER_LABELS
from .pdf import tiny_pdf

#: (title, state wanted) of the applicant's files, each made through the services a person uses.
ACCOUNT_FILES = (
    ("Les Veilleurs du beffroi", "draft"),
    ("Tourcoing, la ville aux cent cheminées", "submitted"),
    ("Canal de Roubaix, carnet sonore", "incomplete"),
    ("La Mémoire des corons", "eligible"),
)
ACCOUNT_ANSWERS = {
    "target-audience": (
        "Les collégiens du Nord et leurs familles, qui découvrent l'histoire ouvrière de la "
        "métropole à travers des parcours interactifs."
    ),
    "platforms": ["web", "mobile"],
    "interactivity": "participation",
    "delivery-date": "2010-06-30",
    "has-research-partner": True,
    "research-partner-role": "Le laboratoire conçoit les tests d'usage avec des classes.",
}


def _account(email: str) -> User | None:
    return User.objects.filter(email=email, is_active=True).first()


def _account_organisation(user: User) -> Organisation | None:
    return organisations_for_applicant(user).first()


def _demo_staff() -> User | None:
    staff = _account(DEMO_STAFF_EMAIL)
    if staff is not None and is_staff(staff):
        return staff
    ids = RoleGrant.objects.filter(role=Role.STAFF, scope_type="", revoked_at__isnull=True).values(
        "user_id"
    )
    return User.objects.filter(pk__in=ids).order_by("pk").first()


def _remove_files_of(applications: QuerySet[Application]) -> None:
    ids = list(applications.values_list("pk", flat=True))
    for name in Document.objects.filter(application_id__in=ids).values_list("file", flat=True):
        if name:
            default_storage.delete(name)
    Resubmission.objects.filter(application_id__in=ids).delete()
    Submission.objects.filter(application_id__in=ids).delete()
    Application.objects.filter(pk__in=ids).delete()  # the rest cascades


def remove_account_files(call: Call | None = None) -> int:
    """Remove the files the demo applicant account leads (in ``call``, or in every call)."""
    applications = Application.objects.filter(lead__email=DEMO_APPLICANT_EMAIL)
    if call is not None:
        applications = applications.filter(call=call)
    count = applications.count()
    _remove_files_of(applications)
    return count


def _fill(application: Application, *, lead: User, complete: bool) -> Application:
    """Project, answers, budget and documents, as the applicant's steps save them."""
    genre = Genre.objects.get(code="web-documentary")
    stage = Stage.objects.get(code="development")
    application = applying.save_project(
        application=application,
        by=lead,
        title=application.title,
        summary=(
            "Un webdocumentaire qui fait entendre les habitants du territoire, avec archives, "
            "cartes sonores et parcours libres, coproduit avec un studio wallon."
        ),
        genre_id=genre.pk,
        stage_id=stage.pk,
        expected_version=None,
    )
    answers = dict(ACCOUNT_ANSWERS)
    if not complete:  # a draft in progress: two questions left to answer
        answers.pop("target-audience")
        answers.pop("delivery-date")
    applying.save_answers(application=application, by=lead, answers=answers, expected_version=None)
    requested = Decimal("60000")
    applying.save_budget(
        application=application,
        by=lead,
        requested_amount=requested,
        lines=[
            {
                "chapter": "crew",
                "label": CHAPTER_LABELS["crew"],
                "amount": Decimal("90000"),
                "regional_amount": Decimal("72000"),
            },
            {
                "chapter": "technical_means",
                "label": CHAPTER_LABELS["technical_means"],
                "amount": Decimal("45000"),
                "regional_amount": Decimal("30000"),
            },
            {
                "chapter": "media_post_production",
                "label": CHAPTER_LABELS["media_post_production"],
                "amount": Decimal("15000"),
                "regional_amount": Decimal("15000"),
            },
        ],
        financing=[
            {
                "name": "Pôle Images — Expériences interactives",
                "kind": "this_call",
                "amount": requested,
            },
            {
                "name": "Fonds propres",
                "kind": "own_funds",
                "amount": Decimal("40000"),
                "secured": True,
            },
            {"name": "Wallimage", "kind": "public_aid", "amount": Decimal("30000")},
            {
                "name": "France 3 Nord-Pas de Calais",
                "kind": "broadcaster",
                "amount": Decimal("20000"),
            },
        ],
        expected_version=None,
    )
    application.refresh_from_db()
    kinds = list(required_document_types(application))
    if not complete:
        kinds = kinds[:2]  # the synopsis and one more so far
    types = {t.pk: t for t in DocumentType.objects.filter(pk__in=[k.pk for k in kinds])}
    for kind in kinds:
        content = tiny_pdf(f"{application.reference} - {kind.code}")
        upload = SimpleUploadedFile(f"{kind.code}.pdf", content, content_type="application/pdf")
        document = document_services.add_document(
            application=application, document_type=types[kind.pk], uploaded_file=upload, by=lead
        )
        _mark_clean_without_scanner(document)
    return application


def _mark_clean_without_scanner(document: Document) -> None:
    """The demo runs without an antivirus: its generated PDFs are marked clean, and the audit
    log says so (a real upload stays ``pending`` until clamd answers)."""
    updated = Document.objects.filter(pk=document.pk, scan_status=Document.Scan.PENDING).update(
        scan_status=Document.Scan.CLEAN
    )
    if updated:
        record(
            actor=None,
            action="demo.document_marked_clean",
            obj=document,
            data={"detail": "generated by the demo, not scanned"},
        )


def seed_account_files(call: Call, *, now: dt.datetime | None = None) -> list[Application]:
    """The demo applicant's own files in ``call``: a draft, a submitted file, one asked for a
    correction, one declared eligible, each through the services a person uses (submission with
    its receipt, correction request with its window, eligibility decision), so receipts, audit
    entries and notifications agree. Nothing when the account, its organisation, a staff member
    or an open call is missing. Replaces the account's earlier files in ``call``."""
    now = now or timezone.now()
    lead = _account(DEMO_APPLICANT_EMAIL)
    staff = _demo_staff()
    if lead is None or staff is None or not call.published or call.phase(now) != Call.Phase.OPEN:
        return []
    organisation = _account_organisation(lead)
    if organisation is None:
        return []
    remove_account_files(call)
    # The demo resets its accounts: its own uploads do not count against the person's limit.
    throttle.reset(scope="upload", user=lead)
    made = []
    for title, state in ACCOUNT_FILES:
        application = applying.create_application(
            call=call, organisation=organisation, by=lead, title=title, now=now
        )
        application = _fill(application, lead=lead, complete=state != "draft")
        if state != "draft":
            submit_application(application=application, by=lead)
        if state == "incomplete":
            instruction.request_correction(
                application=application,
                items=["Extrait Kbis de moins de trois mois", "Contrat de cession de droits signé"],
                message="Merci de déposer ces deux pièces à jour.",
                until=now + dt.timedelta(days=10),
                by=staff,
            )
        if state == "eligible":
            instruction.decide_eligibility(application=application, eligible=True, by=staff)
        application.refresh_from_db()
        made.append(application)
    throttle.reset(scope="upload", user=lead)
    return made
