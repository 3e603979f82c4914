"""Demo applications for a call: about 120 dossiers in every state of the lifecycle.

Budgets follow the CNC chapters (games: the game template), financing plans are balanced with
realistic sources (Région, CNC, Wallimage, broadcasters, a Belgian co-producer), teams mix French
and Belgian partners (Walloon and Flemish co-producers, research labs), submitted files carry the
call's required documents as small generated PDFs marked clean, and instructed files have
messages, private notes, labels and correction requests. Rows are written with ``bulk_create``.

The demo's applicant accounts use the ``@demo-porteurs.example.org`` domain; loading again first
removes the call's applications led by them (and those accounts), so two runs give the same
picture. Called by ``manage.py demo`` (and ``manage.py demo_applications``).

The ``manage.py demo`` account ``applicant@example.org`` also leads four files of its own while
the call is open (a draft, a submitted file, one asked for a correction, one declared eligible),
made through the real services rather than written row by row: see ``account_files``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import Role, RoleGrant, User
from filiere.audit.services import record
from filiere.calls.models import (
    Application,
    BudgetLine,
    Call,
    CorrectionRequest,
    Document,
    DocumentRequirement,
    FinancingSource,
    Label,
    Message,
    StaffNote,
    Submission,
    TeamMember,
)
from filiere.community.models import Organisation, OrganisationKind
from filiere.engine.budget import AUDIOVISUAL_CHAPTERS, GAME_CHAPTERS

from .account_files import remove_account_files, seed_account_files
from .application_texts import (
    AUDIENCES,
    AV_WEIGHTS,
    BROADCASTERS,
    CHAPTER_LABELS,
    FIRST_NAMES,
    GAME_WEIGHTS,
    LABELS,
    LAST_NAMES,
    NOTES,
    STAFF_MESSAGES,
    STAGE_BUDGETS,
    SUMMARIES,
    TEAM_ANSWERS,
    TITLES,
)
from .awards import remove_demo_awards
from .committee import remove_demo_committee
from .pdf import tiny_pdf

DEMO_DOMAIN = "demo-porteurs.example.org"

#: How many dossiers in each state (120 in all), in lifecycle order.
STATE_COUNTS = (
    ("draft", 14),
    ("submitted", 13),
    ("incomplete", 6),
    ("eligible", 10),
    ("ineligible", 10),
    ("under_review", 12),
    ("hearing", 4),
    ("committee", 10),
    ("awarded", 12),
    ("rejected", 10),
    ("deferred", 4),
    ("agreement", 5),
    ("in_payment", 4),
    ("closed", 2),
    ("withdrawn", 4),
)
AWARDED_LIKE = {"awarded", "agreement", "in_payment", "closed"}


def _euros(value: float | int | Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("1"), rounding=ROUND_DOWN)


@dataclass
class DemoApplicationsResult:
    applications: int = 0
    by_state: Counter = field(default_factory=Counter)
    documents: int = 0
    messages: int = 0
    account_files: int = 0  # led by the demo applicant account (``DEMO_APPLICANT_EMAIL``)


def remove_demo_applications(call: Call | None = None) -> int:
    """Remove the demo applications (led by demo accounts) of ``call`` (or of every call) and
    the accounts no longer used. ``manage.py demo`` runs this before it removes the demo
    organisations, which applications protect."""
    demo_users = User.objects.filter(email__endswith="@" + DEMO_DOMAIN)
    applications = Application.objects.filter(lead__in=demo_users)
    if call is not None:
        applications = applications.filter(call=call)
    ids = list(applications.values_list("pk", flat=True))
    # The agreements protect the applications and decisions; the committee's records too.
    remove_demo_awards(ids)
    remove_demo_committee(ids)
    Submission.objects.filter(application_id__in=ids).delete()
    Message.objects.filter(application_id__in=ids).delete()
    StaffNote.objects.filter(application_id__in=ids).delete()
    CorrectionRequest.objects.filter(application_id__in=ids).delete()
    documents = Document.objects.filter(application_id__in=ids)
    for name in documents.values_list("file", flat=True):
        if name:
            default_storage.delete(name)
    documents.delete()
    Application.objects.filter(pk__in=ids).delete()
    still_used = Application.objects.filter(lead__in=demo_users).values("lead_id")
    demo_users.exclude(pk__in=still_used).filter(role_grants__isnull=True).delete()
    return len(ids) + remove_account_files(call)


def seed_demo_applications(
    call: Call,
    rng: random.Random,
    *,
    now: dt.datetime | None = None,
    scale: float = 1.0,
    with_files: bool = True,
) -> DemoApplicationsResult:
    """About ``120 × scale`` applications to ``call`` in every state (see ``STATE_COUNTS``)."""
    now = now or timezone.now()
    result = DemoApplicationsResult()
    with transaction.atomic():
        remove_demo_applications(call)
        builder = _Builder(call, rng, now=now, with_files=with_files)
        plan = [state for state, count in STATE_COUNTS for _ in range(max(1, round(count * scale)))]
        builder.build(plan)
        # The demo applicant account's own files, after the bulk: their references follow.
        mine = seed_account_files(call, now=now)
        made = [*builder.applications, *mine]
        result.applications = len(made)
        result.by_state = Counter(a.state for a in made)
        result.account_files = len(mine)
        result.documents = builder.document_count
        result.messages = builder.message_count
        record(
            actor=None,
            action="demo.applications_loaded",
            obj=call,
            data={"applications": result.applications, "by_state": dict(result.by_state)},
        )
    return result


class _Builder:
    def __init__(self, call: Call, rng: random.Random, *, now: dt.datetime, with_files: bool):
        self.call = call
        self.rng = rng
        self.now = now
        self.with_files = with_files
        self.genres = list(call.genres.all())
        self.stages = list(call.stages.all())
        organisations = Organisation.objects.select_related("territory").order_by("pk")
        demo = organisations.filter(is_demo=True)
        pool = list(demo) or list(organisations)
        self.applicants = [
            o
            for o in pool
            if o.kind in (OrganisationKind.COMPANY, OrganisationKind.ASSOCIATION)
            and (o.territory is None or o.territory.code != "brussels")
        ] or pool
        self.belgian = [o for o in pool if o.country == "BE"]
        self.labs = [o for o in pool if o.kind == OrganisationKind.RESEARCH_LAB]
        self.studios = [o for o in pool if o.kind == OrganisationKind.COMPANY and o.country == "FR"]
        self.requirements = list(
            DocumentRequirement.objects.filter(call=call, required=True).select_related(
                "document_type"
            )
        )
        staff_ids = RoleGrant.objects.filter(
            role__in=[Role.STAFF, Role.ADMIN], revoked_at__isnull=True
        ).values("user_id")
        self.staff = list(User.objects.filter(pk__in=staff_ids).order_by("pk")[:3])
        self.password = make_password(None)
        self.applications: list[Application] = []
        self.document_count = 0
        self.message_count = 0
        self.user_count = 0
        existing = set(Application.objects.filter(call=call).values_list("reference", flat=True))
        self.references = (
            f"{call.reference_prefix}-{n:04d}"
            for n in range(1, 100_000)
            if f"{call.reference_prefix}-{n:04d}" not in existing
        )

    # -- people -----------------------------------------------------------------------------

    def _users(self, count: int) -> list[User]:
        users = []
        for _ in range(count):
            self.user_count += 1
            index = self.user_count
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            language = self.rng.choices(["fr", "nl", "en"], weights=[75, 15, 10])[0]
            users.append(
                User(
                    email=f"{first}.{last}.{index}@{DEMO_DOMAIN}".lower(),
                    first_name=first,
                    last_name=last,
                    password=self.password,
                    preferred_language=language,
                )
            )
        return User.objects.bulk_create(users)

    # -- the dossiers -----------------------------------------------------------------------

    def build(self, plan: list[str]) -> None:
        leads = self._users(len(plan))
        members = self._users(len(plan))
        opens = self.call.opens_at
        last = min(self.now, self.call.closes_at) - dt.timedelta(minutes=5)
        span = max(60, int((last - opens).total_seconds()))
        titles_used: Counter = Counter()
        rows = []
        for index, state in enumerate(plan):
            genre = self.rng.choice(self.genres) if self.genres else None
            stage = self.rng.choice(self.stages) if self.stages else None
            organisation = self.rng.choice(self.applicants)
            titles = TITLES.get(genre.code if genre else "", TITLES["serious-game"])
            base = self.rng.choice(titles)
            titles_used[base] += 1
            title = base if titles_used[base] == 1 else f"{base} ({titles_used[base]})"
            partner_place = self.rng.choice(["Liège", "Mons", "Gand", "Bruxelles", "Courtrai"])
            summary = SUMMARIES.get(genre.code if genre else "", SUMMARIES["serious-game"]).format(
                audience=self.rng.choice(AUDIENCES),
                lab=self.rng.choice(self.labs).name if self.labs else "un laboratoire lillois",
                partner_place=partner_place,
            )
            low, high = STAGE_BUDGETS.get(stage.code if stage else "", (60_000, 300_000))
            budget = _euros(self.rng.uniform(low, high))
            ceiling = min(Decimal(150_000), (budget / 2).quantize(Decimal("1")))
            factor = self.rng.uniform(0.35, 0.95) if state not in AWARDED_LIKE else 0.45
            requested = _euros(max(Decimal(8_000), ceiling * Decimal(str(round(factor, 3)))))
            submitted_at = None
            if state != "draft":
                submitted_at = opens + dt.timedelta(seconds=self.rng.randint(0, span))
            correction_until = None
            if state == "incomplete":
                correction_until = self.now + dt.timedelta(days=self.rng.choice([1, 2, 3, -1]))
            rows.append(
                Application(
                    call=self.call,
                    organisation=organisation,
                    lead=leads[index],
                    reference=next(self.references),
                    title=title,
                    genre=genre,
                    stage=stage,
                    summary=summary,
                    requested_amount=requested if state != "draft" or index % 3 else None,
                    state=state,
                    submitted_at=submitted_at,
                    correction_until=correction_until,
                )
            )
            rows[-1]._budget = budget  # type: ignore[attr-defined]
        self.applications = Application.objects.bulk_create(rows)
        budget_lines, sources, team, documents, submissions = [], [], [], [], []
        for application, member in zip(self.applications, members, strict=True):
            budget_lines += self._budget(application, application._budget)  # type: ignore[attr-defined]
            sources += self._financing(application, application._budget)  # type: ignore[attr-defined]
            team += self._team(application, member)
            if application.submitted_at is not None:  # every state but draft
                documents += self._documents(application)
                submissions.append(
                    Submission(
                        application=application,
                        arrived_at=application.submitted_at,
                        submitted_at=application.submitted_at,
                        submitted_by=application.lead,
                        sha256=hashlib.sha256(application.reference.encode()).hexdigest(),
                        content={"reference": application.reference, "demo": True},
                    )
                )
        BudgetLine.objects.bulk_create(budget_lines)
        FinancingSource.objects.bulk_create(sources)
        TeamMember.objects.bulk_create(team)
        Document.objects.bulk_create(documents)
        Submission.objects.bulk_create(submissions)
        self.document_count = len(documents)
        self._instruction()

    def _budget(self, application: Application, total: Decimal) -> list[BudgetLine]:
        game = application.genre is not None and application.genre.code == "serious-game"
        weights = GAME_WEIGHTS if game else AV_WEIGHTS
        template = GAME_CHAPTERS if game else AUDIOVISUAL_CHAPTERS
        order = {chapter.code: index for index, chapter in enumerate(template)}
        # Direct costs, then overheads (≤ 10 % of them) and contingency (about 3 %).
        direct_total = (total / Decimal("1.11")).quantize(Decimal("1"))
        overheads = _euros(direct_total * Decimal("0.08"))
        contingency = total - direct_total - overheads
        weight_sum = sum(weights.values())
        lines, allocated = [], Decimal(0)
        codes = list(weights)
        regional_share = Decimal(str(round(self.rng.uniform(0.55, 0.95), 2)))
        for position, code in enumerate(codes):
            jitter = Decimal(str(round(self.rng.uniform(0.8, 1.2), 3)))
            if position == len(codes) - 1:
                amount = direct_total - allocated
            else:
                amount = _euros(direct_total * weights[code] * jitter / weight_sum)
                amount = min(amount, direct_total - allocated)
            allocated += amount
            lines.append((code, amount))
        lines += [("overheads", overheads), ("contingency", contingency)]
        return [
            BudgetLine(
                application=application,
                chapter=code,
                label=CHAPTER_LABELS.get(code, code),
                amount=amount,
                regional_amount=_euros(amount * regional_share),
                position=order.get(code, 99),
            )
            for code, amount in lines
            if amount > 0
        ]

    def _financing(self, application: Application, total: Decimal) -> list[FinancingSource]:
        requested = application.requested_amount or _euros(total * Decimal("0.4"))
        rest = total - requested
        belgian = application.organisation.country == "BE" or self.rng.random() < 0.35
        sources = [("Pôle Images — Expériences interactives", "this_call", requested, False)]
        shares = [("Fonds propres", "own_funds", Decimal("0.25"), True)]
        shares.append(
            (
                self.rng.choice(
                    ["CNC — Nouveaux médias", "CNC — FAJV", "Région — Fonds audiovisuel"]
                ),
                "public_aid",
                Decimal("0.30"),
                self.rng.random() < 0.6,
            )
        )
        if belgian:
            shares.append(("Wallimage", "public_aid", Decimal("0.15"), self.rng.random() < 0.5))
            shares.append(("Coproducteur belge", "coproducer", Decimal("0.15"), True))
        shares.append(
            (self.rng.choice(BROADCASTERS), "broadcaster", Decimal("0.15"), self.rng.random() < 0.5)
        )
        weight_sum = sum(share for _n, _k, share, _s in shares)
        allocated = Decimal(0)
        for index, (name, kind, share, secured) in enumerate(shares):
            if index == len(shares) - 1:
                amount = rest - allocated
                # A few drafts are still short of money: the plan is not balanced yet.
                if application.state == "draft" and self.rng.random() < 0.4:
                    amount = _euros(amount * Decimal("0.6"))
            else:
                amount = _euros(rest * share / weight_sum)
            allocated += amount
            sources.append((name, kind, amount, secured))
        return [
            FinancingSource(
                application=application,
                name=name,
                kind=kind,
                amount=amount,
                secured=secured,
                position=position,
            )
            for position, (name, kind, amount, secured) in enumerate(sources)
            if amount > 0
        ]

    def _team(self, application: Application, member_user: User) -> list[TeamMember]:
        team = [
            TeamMember(
                application=application,
                user=member_user,
                organisation=application.organisation,
                email=member_user.email,
                role=self.rng.choice(["author", "director", "producer"]),
                invitation_token=secrets.token_urlsafe(32),
                accepted_at=application.created_at or self.now,
            )
        ]
        used = {member_user.email}
        extra = []
        if self.belgian and (application.organisation.country == "BE" or self.rng.random() < 0.5):
            extra.append((self.rng.choice(self.belgian), "belgian_coproducer"))
        if self.labs and self.rng.random() < 0.4:
            extra.append((self.rng.choice(self.labs), "lab_partner"))
        if self.studios and self.rng.random() < 0.5:
            extra.append((self.rng.choice(self.studios), "studio"))
        for organisation, role in extra:
            email = f"contact+{application.reference.lower()}-{role}@{DEMO_DOMAIN}"
            if email in used:
                continue
            used.add(email)
            team.append(
                TeamMember(
                    application=application,
                    organisation=organisation,
                    email=email,
                    role=role,
                    invitation_token=secrets.token_urlsafe(32),
                    accepted_at=None,
                )
            )
        return team

    def _documents(self, application: Application) -> list[Document]:
        needed = [
            r
            for r in self.requirements
            if r.applies_to(stage_id=application.stage_id, genre_id=application.genre_id)
        ]
        seen, documents = set(), []
        # Incomplete files miss one document; a very few are still being scanned.
        if application.state == "incomplete" and needed:
            needed = needed[:-1]
        for requirement in needed:
            kind = requirement.document_type
            if kind.pk in seen:
                continue
            seen.add(kind.pk)
            content = tiny_pdf(f"{application.reference} - {kind.code}")
            name = f"applications/{self.call.pk}/{secrets.token_hex(16)}"
            if self.with_files:
                name = default_storage.save(name, ContentFile(content))
            status = Document.Scan.CLEAN
            if application.state == "submitted" and self.rng.random() < 0.05:
                status = Document.Scan.PENDING
            documents.append(
                Document(
                    application=application,
                    document_type=kind,
                    file=name,
                    original_name=f"{kind.code}-{application.reference}.pdf",
                    content_type="application/pdf",
                    size=len(content),
                    sha256=hashlib.sha256(content).hexdigest(),
                    scan_status=status,
                    uploaded_by=application.lead,
                )
            )
        return documents

    def _instruction(self) -> None:
        staff = self.staff[0] if self.staff else None
        messages, notes, corrections = [], [], []
        labels = {
            name: Label.objects.get_or_create(call=self.call, name=name)[0] for name in LABELS
        }
        through = Label.applications.through
        links = []
        for application in self.applications:
            if application.state in ("draft",):
                continue
            if staff is not None and self.rng.random() < 0.35:
                messages.append(
                    Message(
                        application=application,
                        author=staff,
                        from_staff=True,
                        body=self.rng.choice(STAFF_MESSAGES),
                    )
                )
                if self.rng.random() < 0.6:
                    messages.append(
                        Message(
                            application=application,
                            author=application.lead,
                            from_staff=False,
                            body=self.rng.choice(TEAM_ANSWERS),
                        )
                    )
            if staff is not None and self.rng.random() < 0.3:
                notes.append(
                    StaffNote(application=application, author=staff, body=self.rng.choice(NOTES))
                )
            if self.rng.random() < 0.25:
                links.append(
                    through(
                        label_id=labels[self.rng.choice(LABELS)].pk, application_id=application.pk
                    )
                )
            # Only the incomplete files have a correction window.
            if application.correction_until is not None and staff is not None:
                corrections.append(
                    CorrectionRequest(
                        application=application,
                        items=["Extrait Kbis de moins de trois mois", "Devis signé"],
                        message="Merci de compléter votre dossier.",
                        until=application.correction_until,
                        requested_by=staff,
                    )
                )
        Message.objects.bulk_create(messages)
        StaffNote.objects.bulk_create(notes)
        through.objects.bulk_create(links, ignore_conflicts=True)
        CorrectionRequest.objects.bulk_create(corrections)
        self.message_count = len(messages)
