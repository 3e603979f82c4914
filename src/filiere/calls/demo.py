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
made through the real services rather than written row by row: see ``seed_account_files``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from filiere.accounts.models import Role, RoleGrant, User
from filiere.accounts.permissions import is_staff
from filiere.audit.services import record
from filiere.community.models import Organisation, OrganisationKind
from filiere.engine.budget import AUDIOVISUAL_CHAPTERS, GAME_CHAPTERS

from . import throttle
from .models import (
    Application,
    BudgetLine,
    Call,
    CorrectionRequest,
    Document,
    DocumentRequirement,
    DocumentType,
    FinancingSource,
    Genre,
    Label,
    Message,
    Resubmission,
    StaffNote,
    Stage,
    Submission,
    TeamMember,
)
from .selectors_applicant import organisations_for_applicant, required_document_types
from .services import applications as applying
from .services import documents as document_services
from .services import instruction
from .services.submission import submit_application

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

TITLES = {
    "serious-game": [
        "Mineurs de fond",
        "Le Chantier des possibles",
        "Urgences 59",
        "Code Canal",
        "La Ferme connectée",
        "Terrils en jeu",
        "Gare aux ondes",
        "Les Gardiens du beffroi",
    ],
    "web-documentary": [
        "Roubaix, mémoires de laine",
        "La Deûle au fil de l'eau",
        "Frontières ouvertes",
        "Les Voix du bassin minier",
        "Carnaval de Dunkerque, vu d'en dedans",
        "Wallers, la mine et les images",
    ],
    "animation-series": [
        "Les P'tits Géants",
        "Lapin Lumière",
        "Capitaine Estaminet",
        "Les Chicons de l'espace",
        "Mimi et la Braderie",
        "Robotine",
    ],
    "local-documentary": [
        "Les Derniers Estaminets",
        "Vivre à Denain",
        "La Tour de Tourcoing",
        "Marché de Wazemmes",
        "Jardins ouvriers",
        "La Scarpe en hiver",
    ],
    "web-fiction-series": [
        "Colocs à Lille",
        "Ch'ti Startup",
        "Nuit blanche à Valenciennes",
        "Le Bureau des frontières",
        "Gare Lille-Flandres, quai 4",
        "Métro ligne 2",
    ],
}
SUMMARIES = {
    "serious-game": "Un serious game pour {audience}, jouable sur le web et en classe, "
    "co-conçu avec {lab}.",
    "web-documentary": "Un webdocumentaire interactif qui donne la parole aux habitants, "
    "avec cartes, archives et parcours libres pour {audience}.",
    "animation-series": "Une série d'animation de 26 × 7 min pour {audience}, "
    "produite entre Tourcoing et {partner_place}.",
    "local-documentary": "Un documentaire de proximité tourné sur le territoire, pour "
    "{audience}, diffusé en salle et sur le web.",
    "web-fiction-series": "Une série de fiction courte pour Internet (10 × 6 min) pour "
    "{audience}, tournée dans la métropole lilloise.",
}
AUDIENCES = (
    "les collégiens",
    "les 8-12 ans",
    "le grand public",
    "les jeunes adultes",
    "les seniors",
)
STAGE_BUDGETS = {  # euros: (low, high) of the total budget
    "writing": (25_000, 80_000),
    "development": (60_000, 220_000),
    "production": (160_000, 650_000),
}
AV_WEIGHTS = {
    "rights": 8,
    "crew": 30,
    "cast": 6,
    "social_charges": 14,
    "sets_costumes": 3,
    "transport_expenses": 4,
    "technical_means": 14,
    "media_post_production": 12,
    "insurance_misc": 3,
}
GAME_WEIGHTS = {
    "preproduction_prototype": 12,
    "staff_design": 16,
    "staff_programming": 30,
    "staff_art": 22,
    "staff_audio": 6,
    "staff_qa": 6,
    "marketing": 5,
    "porting_localisation": 3,
}
CHAPTER_LABELS = {
    "rights": "Droits artistiques (auteurs, musique)",
    "crew": "Personnel (réalisation, production, technique)",
    "cast": "Interprétation et voix",
    "social_charges": "Charges sociales",
    "sets_costumes": "Décors et costumes",
    "transport_expenses": "Transports, défraiements, régie",
    "technical_means": "Moyens techniques (caméra, motion capture, serveurs)",
    "media_post_production": "Post-production, montage, étalonnage, mixage",
    "insurance_misc": "Assurances et divers",
    "overheads": "Frais généraux",
    "contingency": "Imprévus",
    "preproduction_prototype": "Pré-production et prototype",
    "staff_design": "Game design et écriture",
    "staff_programming": "Programmation",
    "staff_art": "Graphisme et animation",
    "staff_audio": "Son et musique",
    "staff_qa": "Tests et assurance qualité",
    "marketing": "Communication et lancement",
    "porting_localisation": "Portage et localisation (FR/NL/EN)",
}
BROADCASTERS = ("France 3 Nord-Pas de Calais", "RTBF", "Arte", "Wéo", "VRT", "TV5Monde")
REASONS_INELIGIBLE = (
    "Le siège du porteur n'est pas situé sur un territoire éligible de l'appel.",
    "Le montant demandé dépasse 50 % du budget du projet.",
    "Le dossier a été déposé sans le contrat de cession de droits requis pour l'écriture.",
    "Le code NAF de la société ne correspond pas aux activités éligibles.",
)
STAFF_MESSAGES = (
    "Bonjour, pourriez-vous préciser la part des dépenses réalisées en région ?",
    "Merci pour votre dossier. Le comité se réunira le 12 juin ; nous revenons vers vous ensuite.",
    "Le devis joint n'est pas signé : merci d'en déposer une version signée.",
)
TEAM_ANSWERS = (
    "Bonjour, vous trouverez la précision demandée dans le plan de financement mis à jour.",
    "Merci, nous restons disponibles pour une audition.",
)
NOTES = (
    "Projet solide, équipe expérimentée ; vérifier la lettre d'engagement du diffuseur.",
    "Budget de post-production élevé au regard du format.",
    "Partenariat transfrontalier réel (coproducteur wallon actif).",
    "À rapprocher du dossier déposé en 2008 par la même société.",
)
LABELS = ("coup de cœur", "à revoir", "transfrontalier", "recherche", "premier projet")
FIRST_NAMES = ("Camille", "Julien", "Sarah", "Thomas", "Léa", "Nicolas", "Inès", "Hugo", "Emma")
LAST_NAMES = ("Lefebvre", "Dubois", "Vandamme", "Peeters", "Martin", "Janssens", "Leroy", "Dupont")


def _pdf(title: str) -> bytes:
    """A tiny, valid one-page PDF saying ``title`` (ASCII only)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


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
        self.genres = list(call.genres.all()) or []
        self.stages = list(call.stages.all()) or []
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
            if application.state != "draft":
                documents += self._documents(application)
                submissions.append(
                    Submission(
                        application=application,
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
            content = _pdf(f"{application.reference} - {kind.code}")
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
            if application.state == "incomplete" and staff is not None:
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


# --- The demo applicant's own files -------------------------------------------------------------

#: The ``manage.py demo`` account that leads files of its own (its organisation comes from its
#: ``RoleGrant(role=applicant, scope_type="organisation")``).
DEMO_APPLICANT_EMAIL = "applicant@example.org"
#: The staff account that instructs them (any staff member when it does not exist).
DEMO_STAFF_EMAIL = "staff@example.org"

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


def _remove_files_of(applications) -> None:
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
        content = _pdf(f"{application.reference} - {kind.code}")
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


# --- Where each demo account starts -------------------------------------------------------------


def _path(name: str, *args, fallback: str = "") -> str:
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return reverse(name, args=args)
    except NoReverseMatch:
        return reverse(fallback) if fallback else ""


def landing_pages(call: Call) -> list[tuple[str, str, str]]:
    """(account, path, what is there) for each ``manage.py demo`` account: a page with real work
    on it, checked by the demo's tests. Expert review and committee pages come with their
    stages; until then those accounts start on what exists for them."""
    mine = Application.objects.filter(lead__email=DEMO_APPLICANT_EMAIL).count()
    files = Application.objects.filter(call=call).count()
    return [
        (
            "applicant@example.org",
            _path("calls:my_applications"),
            f"{mine} files of its own: draft, submitted, correction requested, eligible",
        ),
        (
            "staff@example.org",
            _path("calls:staff_applications", call.slug),
            f"{files} applications to instruct; the audit log at {_path('calls:staff_audit')}",
        ),
        (
            "admin@example.org",
            _path("roles:list", fallback="admin:index"),
            "roles to grant and revoke; Django admin at " + _path("admin:index"),
        ),
        ("member@example.org", _path("community:my_profile"), "a directory profile to edit"),
        ("expert@example.org", _path("community:my_profile"), "an expert's directory profile"),
        (
            "committee@example.org",
            _path("calls:detail", call.slug),
            "the open call, its rules and criteria",
        ),
    ]
