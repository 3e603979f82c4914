"""The demo's calls for projects (``manage.py demo_calls``, run by ``manage.py demo`` too).

The 2009 call of the seed article, "Expériences interactives — nouveaux genres" (1.4 M€), open
at the time of the run so that drafts can be edited; its 2010 edition (a clone, upcoming) and
its 2008 edition (a clone, closed), so that every section of the public list shows something.
Idempotent: the calls are found by slug and brought back to this picture; questions keep their
rows (and any answers already given) by code; clones without applications are made again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from filiere.calls.models import Call, DocumentType, Fund, Genre, Question, Stage
from filiere.calls.services import design as services
from filiere.calls.services.design import DEFAULT_CRITERIA, QuestionRow, Row

from .call_form import question_rows

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

# (name, amount, territories of the partners that make a project eligible)
COFUNDERS: tuple[tuple[str, Decimal, list[str]], ...] = (
    ("Conseil régional Nord-Pas de Calais", Decimal("800000"), []),
    ("Lille Métropole Communauté urbaine", Decimal("250000"), []),
    ("CNC — Centre national du cinéma et de l'image animée", Decimal("200000"), []),
    ("Wallimage", Decimal("150000"), ["wallonia"]),
)


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


def _reclone(
    source: Call,
    slug: str,
    *,
    years: int,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> Call:
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
