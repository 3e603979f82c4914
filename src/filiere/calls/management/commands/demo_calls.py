"""``manage.py demo_calls``: the demo's calls for projects (run by ``manage.py demo`` too).

The 2009 call of the seed article, "Expériences interactives — nouveaux genres" (1.4 M€), open
at the time of the run so that drafts can be edited; its 2010 edition (a clone, upcoming) and
its 2008 edition (a clone, closed), so that every section of the public list shows something.
Idempotent: the calls are found by slug and brought back to this picture; questions keep their
rows (and any answers already given) by code; clones without applications are made again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from filiere.calls.models import Call, DocumentType, Fund, Genre, Question, Stage
from filiere.calls.services import design as services
from filiere.calls.services.design import DEFAULT_CRITERIA, QuestionRow, Row

FUND = {
    "slug": "experiences-interactives",
    "name_fr": "Pôle Images — Fonds Expériences interactives",
    "name_en": "Pôle Images — Interactive Experiences Fund",
    "name_nl": "Pôle Images — Fonds Interactieve ervaringen",
    "description_fr": (
        "Le fonds du Pôle Images Nord-Pas de Calais pour les œuvres et services interactifs "
        "fondés sur l'image : prototypes et œuvres qui testent de nouveaux usages."
    ),
    "description_en": (
        "The Pôle Images Nord-Pas de Calais fund for image-based interactive works and services: "
        "prototypes and works that test new uses."
    ),
    "description_nl": (
        "Het fonds van Pôle Images Nord-Pas de Calais voor interactieve werken en diensten "
        "rond beeld: prototypes en werken die nieuwe toepassingen testen."
    ),
}
MAIN_SLUG = "experiences-interactives-2009"
NEXT_SLUG = "experiences-interactives-2010"
PREVIOUS_SLUG = "experiences-interactives-2008"
GENRES = (
    "serious-game",
    "web-documentary",
    "animation-series",
    "local-documentary",
    "web-fiction-series",
)
STAGES = ("writing", "development", "production")

RULES_FR = """Objet
Le Pôle Images soutient des œuvres et des services interactifs de nouveaux genres : serious \
game, webdocumentaire, série d'animation, documentaire de proximité, série de fiction courte \
pour Internet.

Bénéficiaires
Sociétés (code NAF 59, 58.21Z ou 62.01Z), associations et laboratoires de recherche établis \
sur le territoire du Pôle (Lille Métropole, Valenciennes Métropole, Porte du Hainaut), en \
Wallonie ou en Flandre.

Aide
Jusqu'à 150 000 € par projet et au plus 50 % du budget, pour l'écriture, le développement ou \
la production. Les dossiers incomplets ou déposés après la date limite ne sont pas examinés."""

RULES_EN = """Purpose
Pôle Images supports interactive works and services of new genres: serious games, web \
documentaries, animation series, local documentaries, short fiction series for the Internet.

Who may apply
Companies (NAF 59, 58.21Z or 62.01Z), associations and research labs based in the cluster's \
territory (Lille Métropole, Valenciennes Métropole, Porte du Hainaut), in Wallonia or Flanders.

Aid
Up to €150,000 per project and at most 50% of its budget, for writing, development or \
production. Incomplete files and files filed after the deadline are not examined."""

DOCUMENTS = (
    # (document type, stage, genre, required)
    ("synopsis", None, None, True),
    ("note-of-intent", None, None, True),
    ("budget", None, None, True),
    ("financing-plan", None, None, True),
    ("cv", None, None, True),
    ("company-extract", None, None, True),
    ("rights-contract", "writing", None, True),
    ("rights-contract", "development", None, True),
    ("financing-proof", "production", None, True),
    ("schedule", "production", None, True),
    ("game-design-document", None, "serious-game", True),
    ("regional-spend", None, None, False),
    ("pitch-video", None, None, False),
)

COFUNDERS = (
    ("Conseil régional Nord-Pas de Calais", Decimal("800000"), []),
    ("Lille Métropole Communauté urbaine", Decimal("250000"), []),
    ("CNC — Centre national du cinéma et de l'image animée", Decimal("200000"), []),
    ("Wallimage", Decimal("150000"), ["wallonia"]),
)

YES_NO = [
    {"value": "yes", "label_fr": "Oui", "label_en": "Yes", "label_nl": "Ja"},
    {"value": "no", "label_fr": "Non", "label_en": "No", "label_nl": "Nee"},
]


def _choices(*items: tuple[str, str, str, str]) -> list[dict[str, str]]:
    return [{"value": v, "label_fr": fr, "label_en": en, "label_nl": nl} for v, fr, en, nl in items]


def question_rows() -> list[QuestionRow]:
    """The form of the 2009 call: two sections, a conditional question, a repeatable group."""
    project = "Projet / Project"
    team = "Consortium"
    return [
        QuestionRow(
            code="target-audience",
            kind=Question.Kind.TEXT,
            section=project,
            label_fr="À quel public s'adresse l'œuvre ?",
            label_en="Who is the work for?",
            label_nl="Voor welk publiek is het werk bedoeld?",
            required=True,
            min_length=50,
            max_length=1500,
        ),
        QuestionRow(
            code="platforms",
            kind=Question.Kind.MULTIPLE_CHOICE,
            section=project,
            label_fr="Supports de diffusion",
            label_en="Platforms",
            label_nl="Platformen",
            required=True,
            choices=_choices(
                ("web", "Web", "Web", "Web"),
                ("mobile", "Mobile et tablette", "Mobile and tablet", "Mobiel en tablet"),
                ("tv", "Télévision connectée", "Connected TV", "Geconnecteerde tv"),
                ("installation", "Installation, exposition", "Installation", "Installatie"),
            ),
        ),
        QuestionRow(
            code="interactivity",
            kind=Question.Kind.CHOICE,
            section=project,
            label_fr="Degré d'interactivité",
            label_en="Level of interactivity",
            label_nl="Mate van interactiviteit",
            choices=_choices(
                ("navigation", "Navigation", "Navigation", "Navigatie"),
                ("participation", "Participation", "Participation", "Participatie"),
                ("game", "Mécaniques de jeu", "Game mechanics", "Spelmechanismen"),
            ),
        ),
        QuestionRow(
            code="duration-minutes",
            kind=Question.Kind.NUMBER,
            section=project,
            label_fr="Durée d'expérience estimée (minutes)",
            label_en="Estimated length of the experience (minutes)",
            label_nl="Geschatte duur van de ervaring (minuten)",
        ),
        QuestionRow(
            code="prototype-url",
            kind=Question.Kind.URL,
            section=project,
            label_fr="Lien vers une maquette ou un prototype",
            label_en="Link to a mock-up or prototype",
            label_nl="Link naar een mock-up of prototype",
        ),
        QuestionRow(
            code="delivery-date",
            kind=Question.Kind.DATE,
            section=project,
            label_fr="Date de livraison prévue",
            label_en="Planned delivery date",
            label_nl="Geplande opleverdatum",
            required=True,
        ),
        QuestionRow(
            code="has-research-partner",
            kind=Question.Kind.YES_NO,
            section=team,
            label_fr="Un laboratoire de recherche est-il associé au projet ?",
            label_en="Is a research lab involved in the project?",
            label_nl="Is er een onderzoekslabo bij het project betrokken?",
            required=True,
        ),
        QuestionRow(
            code="research-partner-role",
            kind=Question.Kind.TEXT,
            section=team,
            label_fr="Quel est le rôle du laboratoire ?",
            label_en="What does the lab do in the project?",
            label_nl="Wat doet het labo in het project?",
            required=True,
            max_length=1000,
            condition_question="has-research-partner",
            condition_equals="yes",
        ),
        QuestionRow(
            code="partners",
            kind=Question.Kind.GROUP,
            section=team,
            label_fr="Partenaires du consortium",
            label_en="Consortium partners",
            label_nl="Partners van het consortium",
            help_fr="Un bloc par partenaire (sociétés, laboratoires, diffuseurs).",
            help_en="One block per partner (companies, labs, broadcasters).",
            help_nl="Eén blok per partner (bedrijven, labo's, omroepen).",
        ),
        QuestionRow(
            code="partner-name",
            kind=Question.Kind.TEXT,
            section=team,
            label_fr="Nom du partenaire",
            label_en="Partner's name",
            label_nl="Naam van de partner",
            required=True,
            max_length=200,
            group="partners",
        ),
        QuestionRow(
            code="partner-country",
            kind=Question.Kind.CHOICE,
            section=team,
            label_fr="Pays",
            label_en="Country",
            label_nl="Land",
            required=True,
            group="partners",
            choices=_choices(
                ("FR", "France", "France", "Frankrijk"),
                ("BE", "Belgique", "Belgium", "België"),
                ("other", "Autre", "Other", "Ander"),
            ),
        ),
        QuestionRow(
            code="partner-contribution",
            kind=Question.Kind.MONEY,
            section=team,
            label_fr="Apport au projet (€)",
            label_en="Contribution to the project (€)",
            label_nl="Bijdrage aan het project (€)",
            group="partners",
        ),
        QuestionRow(
            code="partner-letter",
            kind=Question.Kind.FILE,
            section=team,
            label_fr="Lettre d'engagement",
            label_en="Letter of commitment",
            label_nl="Engagementsbrief",
            group="partners",
        ),
    ]


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0, 0)))


def _call_data(fund: Fund, now: dt.datetime) -> dict:
    today = timezone.localdate(now)
    return {
        "fund": fund,
        "slug": MAIN_SLUG,
        "reference_prefix": "EI2009",
        "title_fr": "Expériences interactives — nouveaux genres (2009)",
        "title_en": "Interactive experiences — new genres (2009)",
        "title_nl": "Interactieve ervaringen — nieuwe genres (2009)",
        "summary_fr": (
            "Un appel à projets de 1,4 M€ pour les nouveaux genres : serious game, "
            "webdocumentaire, série d'animation, documentaire de proximité et série de fiction "
            "courte pour Internet. Écriture, développement et production."
        ),
        "summary_en": (
            "A €1.4 M call for projects in new genres: serious games, web documentaries, "
            "animation series, local documentaries and short fiction series for the Internet. "
            "Writing, development and production."
        ),
        "summary_nl": (
            "Een projectoproep van 1,4 M€ voor nieuwe genres: serious games, webdocumentaires, "
            "animatiereeksen, lokale documentaires en korte fictiereeksen voor het internet."
        ),
        "rules_fr": RULES_FR,
        "rules_en": RULES_EN,
        "rules_nl": "",
        "envelope": Decimal("1400000"),
        "ceiling_amount": Decimal("150000"),
        "ceiling_percent": Decimal("50"),
        # Open at the time of the run: opened a month ago, closes in three weeks at noon.
        "opens_at": _noon(today - dt.timedelta(days=30)),
        "closes_at": _noon(today + dt.timedelta(days=21)),
    }


def _question_rows_keeping(call: Call) -> list[QuestionRow]:
    existing = dict(Question.objects.filter(call=call).values_list("code", "pk"))
    rows = question_rows()
    for row in rows:
        row.pk = existing.get(row.code)
    return rows


def _reclone(source: Call, slug: str, *, years: int, opens_at=None, closes_at=None) -> Call:
    old = Call.objects.filter(slug=slug).first()
    if old is not None:
        if old.applications.exists():
            services.update_call(
                call=old,
                by=None,
                data={
                    "opens_at": opens_at or services.shift_years(source.opens_at, years),
                    "closes_at": closes_at or services.shift_years(source.closes_at, years),
                },
            )
            return old
        old.delete()
    clone = services.clone_call(
        call=source, by=None, slug=slug, years=years, opens_at=opens_at, closes_at=closes_at
    )
    return services.set_published(call=clone, by=None, published=True)


def load_demo_calls(*, now: dt.datetime | None = None) -> list[Call]:
    """Build (or bring back) the demo calls; returns [open 2009, upcoming 2010, closed 2008]."""
    now = now or timezone.now()
    with transaction.atomic():
        fund, _created = Fund.objects.update_or_create(
            slug=FUND["slug"], defaults={k: v for k, v in FUND.items() if k != "slug"}
        )
        data = _call_data(fund, now)
        genres = list(Genre.objects.filter(code__in=GENRES))
        stages = list(Stage.objects.filter(code__in=STAGES))
        call = Call.objects.filter(slug=MAIN_SLUG).first()
        if call is None:
            call = services.create_call(by=None, data=data, genres=genres, stages=stages)
        else:
            services.update_call(call=call, by=None, data=data, genres=genres, stages=stages)
        existing = dict(call.criteria.values_list("code", "pk"))
        services.set_criteria(
            call=call,
            by=None,
            rows=[
                Row(
                    pk=existing.get(code),
                    values={
                        "code": code,
                        "label_fr": fr,
                        "label_en": en,
                        "label_nl": nl,
                        "weight": weight,
                    },
                )
                for code, fr, en, nl, weight in DEFAULT_CRITERIA
            ],
        )
        types = {d.code: d for d in DocumentType.objects.all()}
        stage_by_code = {s.code: s for s in stages}
        genre_by_code = {g.code: g for g in genres}
        services.set_document_requirements(
            call=call,
            by=None,
            rows=[
                Row(
                    values={
                        "document_type": types[code],
                        "stage": stage_by_code.get(stage) if stage else None,
                        "genre": genre_by_code.get(genre) if genre else None,
                        "required": required,
                    }
                )
                for code, stage, genre, required in DOCUMENTS
            ],
        )
        services.set_cofunders(
            call=call,
            by=None,
            rows=[
                Row(values={"name": name, "amount": amount, "eligible_partner_territories": t})
                for name, amount, t in COFUNDERS
            ],
        )
        services.set_questions(call=call, by=None, rows=_question_rows_keeping(call))
        services.set_eligibility_rules(call=call, by=None, rules=services.default_rules_json())
        services.set_published(call=call, by=None, published=True)
        call.refresh_from_db()

        today = timezone.localdate(now)
        upcoming = _reclone(
            call,
            NEXT_SLUG,
            years=1,
            opens_at=_noon(today + dt.timedelta(days=45)),
            closes_at=_noon(today + dt.timedelta(days=135)),
        )
        closed = _reclone(call, PREVIOUS_SLUG, years=-1)
    return [call, upcoming, closed]


class Command(BaseCommand):
    help = "Load (or reload) the demo calls for projects: 2009 (open), 2010 (upcoming), 2008."

    def handle(self, *args, **options):
        calls = load_demo_calls()
        for call in calls:
            self.stdout.write(
                f"{call.phase()}: {call.title_fr} — /calls/call/{call.slug}/ "
                f"({call.questions.count()} questions, {call.criteria.count()} criteria)"
            )
