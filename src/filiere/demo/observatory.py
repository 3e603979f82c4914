"""The observatory's history: ten years of calls, 2009–2018, GENERATED for the statistics only.

Nothing here happened. So that no one takes it for real files, the history is marked in the
data itself: its own fund ("Historique généré pour l'observatoire", slug
``observatoire-historique``) whose description says so, calls that are never published (they
are not listed among the calls for projects; their titles end with "historique généré"),
references starting with ``HIST``, one lead account for every file
(``historique@demo-porteurs.example.org``), and decisions whose reason says "generated".

Each year has two to four calls of the cluster's funds (interactive experiences, writing,
local documentary, video-game prototypes), closed, with 25 to 110 submitted applications
(more each year) by the demo's organisations (a tenth more of them may apply each year; a
third of the files come from newcomers while there are some, the others from returning ones),
decided by confirmed award decisions (about a quarter of them; 55 % to 100 % of the request,
rounded to 500 €) and rejections, a few ineligible or withdrawn. Rows are written with
``bulk_create``; loading again first removes the history (the fund's applications and their
decisions), so two runs with the same seed give the same figures. Then the observatory is
refreshed (``observatory.services.refresh_now``).

Called by ``manage.py demo`` after the demo's applications.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.calls.models import Application, Call, Fund, Genre, Stage
from filiere.committee.models import Decision, DecisionStatus, Outcome
from filiere.community.models import Organisation, OrganisationKind
from filiere.errors import ServiceError
from filiere.observatory.services import refresh_now

from .applications import DEMO_DOMAIN

YEARS = range(2009, 2019)
HISTORY_EMAIL = f"historique@{DEMO_DOMAIN}"
HISTORY_FUND = {
    "slug": "observatoire-historique",
    "name_fr": "Historique généré pour l'observatoire (données fictives)",
    "name_en": "History generated for the observatory (fictitious data)",
    "name_nl": "Voor het observatorium gegenereerde geschiedenis (fictieve gegevens)",
    "description_fr": (
        "Dix ans d'appels (2009–2018) générés pour la démonstration des statistiques de "
        "l'observatoire. Aucun de ces dossiers n'existe."
    ),
    "description_en": (
        "Ten years of calls (2009–2018) generated to demonstrate the observatory's statistics. "
        "None of these files exists."
    ),
    "description_nl": (
        "Tien jaar oproepen (2009–2018) gegenereerd om de statistieken van het observatorium "
        "te tonen. Geen van deze dossiers bestaat."
    ),
}
# (code, French title, English title, Dutch title, month it closes, genres, request range)
THEMES = (
    (
        "EI",
        "Expériences interactives",
        "Interactive experiences",
        "Interactieve ervaringen",
        6,
        ("serious-game", "web-documentary", "immersive-work", "video-game"),
        (30_000, 150_000),
    ),
    (
        "EC",
        "Aide à l'écriture",
        "Writing grant",
        "Schrijfsteun",
        3,
        ("animation-series", "web-fiction-series", "web-documentary"),
        (8_000, 30_000),
    ),
    (
        "DP",
        "Documentaire de proximité",
        "Local documentary",
        "Lokale documentaire",
        10,
        ("local-documentary", "web-documentary"),
        (15_000, 60_000),
    ),
    (
        "JV",
        "Prototype de jeu vidéo",
        "Video-game prototype",
        "Prototype van een videogame",
        11,
        ("video-game", "serious-game", "immersive-work"),
        (20_000, 80_000),
    ),
)
KIND_WEIGHTS = {
    OrganisationKind.COMPANY: 10,
    OrganisationKind.ASSOCIATION: 3,
    OrganisationKind.RESEARCH_LAB: 1,
    OrganisationKind.SCHOOL: 1,
}


@dataclass
class HistoryResult:
    calls: int = 0
    applications: int = 0
    awards: int = 0
    awarded: Decimal = Decimal(0)
    published: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        figures = (
            f"observatory refreshed in {self.seconds:.1f} s"
            if self.published
            else "observatory not refreshed (a refresh is under way)"
        )
        return (
            f"Observatory history (generated, 2009–2018): {self.calls} closed calls, "
            f"{self.applications} applications, {self.awards} awards "
            f"({self.awarded:,.0f} €); {figures}."
        )


def remove_history() -> int:
    """The generated history's applications and decisions (its fund and calls stay)."""
    ids = list(
        Application.objects.filter(call__fund__slug=HISTORY_FUND["slug"]).values_list(
            "pk", flat=True
        )
    )
    Decision.objects.filter(application_id__in=ids).delete()
    Application.objects.filter(pk__in=ids).delete()
    return len(ids)


def _noon(year: int, month: int, day: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, 12))


def _calls(fund: Fund, rng: random.Random) -> list[tuple[Call, tuple]]:
    genres = {genre.code: genre for genre in Genre.objects.all()}
    stages = list(Stage.objects.all())
    made = []
    for year in YEARS:
        # Two calls in the first years, up to four later.
        themes = THEMES[: 2 + min(2, (year - 2009) // 3)]
        for theme in themes:
            code, title_fr, title_en, title_nl, month, codes, _span = theme
            closes = _noon(year, month, 15)
            call, _created = Call.objects.update_or_create(
                slug=f"historique-{code.lower()}-{year}",
                defaults={
                    "fund": fund,
                    "reference_prefix": f"HIST{code}{year}",
                    "title_fr": f"{title_fr} {year} (historique généré)",
                    "title_en": f"{title_en} {year} (generated history)",
                    "title_nl": f"{title_nl} {year} (gegenereerde geschiedenis)",
                    "summary_fr": "Appel fictif généré pour les statistiques de l'observatoire.",
                    "summary_en": "A fictitious call generated for the observatory's statistics.",
                    "summary_nl": "Een fictieve oproep voor de statistieken van het observatorium.",
                    "envelope": Decimal(rng.choice((400_000, 600_000, 900_000, 1_200_000))),
                    "opens_at": closes - dt.timedelta(days=75),
                    "closes_at": closes,
                    "published": False,
                },
            )
            call.genres.set([genres[c] for c in codes if c in genres])
            call.stages.set(stages)
            made.append((call, theme))
    return made


def _organisations(rng: random.Random) -> list[Organisation]:
    organisations = list(
        Organisation.objects.filter(is_demo=True, kind__in=KIND_WEIGHTS).order_by("pk")
    ) or list(Organisation.objects.filter(kind__in=KIND_WEIGHTS).order_by("pk"))
    rng.shuffle(organisations)
    return organisations


def _pick(
    rng: random.Random, organisations: list[Organisation], seen: set[int], year: int
) -> Organisation:
    """An organisation, weighted by kind: the cluster grows, so each year a tenth more of the
    demo's organisations may apply; one in three files comes from one that never applied,
    while some are left."""
    entered = organisations[: max(10, round(len(organisations) * (year - 2008) / 10))]
    newcomers = [o for o in entered if o.pk not in seen]
    pool = newcomers if newcomers and rng.random() < 0.33 else entered
    weights = [KIND_WEIGHTS[OrganisationKind(o.kind)] for o in pool]
    return rng.choices(pool, weights=weights)[0]


@transaction.atomic
def seed_history(*, seed: int = 2009) -> HistoryResult:
    """Write the generated history (without refreshing the observatory)."""
    rng = random.Random(seed)
    result = HistoryResult()
    remove_history()
    organisations = _organisations(rng)
    if not organisations:
        return result
    fund, _created = Fund.objects.update_or_create(
        slug=HISTORY_FUND["slug"],
        defaults={k: v for k, v in HISTORY_FUND.items() if k != "slug"},
    )
    lead, _created = User.objects.get_or_create(
        email=HISTORY_EMAIL,
        defaults={"first_name": "Historique", "last_name": "généré", "is_active": False},
    )
    genres = {genre.code: genre for genre in Genre.objects.all()}
    stages = list(Stage.objects.all())
    planned: list[tuple[Application, bool, Decimal]] = []
    seen: set[int] = set()
    for call, theme in _calls(fund, rng):
        code, _fr, _en, _nl, _month, codes, (low, high) = theme
        year = call.closes_at.year
        count = int(rng.uniform(25, 45) * (1 + (year - 2009) * 0.16))
        result.calls += 1
        for number in range(1, count + 1):
            organisation = _pick(rng, organisations, seen, year)
            requested = Decimal(round(rng.uniform(low, high) / 500) * 500)
            fate = rng.random()
            awarded = fate < 0.26
            state = (
                "closed"
                if awarded
                else "ineligible"
                if fate > 0.95
                else "withdrawn"
                if fate > 0.93
                else "rejected"
            )
            genre = genres.get(rng.choice(codes))
            application = Application(
                call=call,
                organisation=organisation,
                lead=lead,
                reference=f"{call.reference_prefix}-{number:04d}",
                title=f"Projet {code}{year}-{number:03d} (historique généré)",
                genre=genre,
                stage=rng.choice(stages) if stages else None,
                summary="Dossier fictif généré pour les statistiques de l'observatoire.",
                requested_amount=requested,
                state=state,
                submitted_at=call.closes_at - dt.timedelta(days=rng.randint(0, 20)),
            )
            share = Decimal(str(rng.choice((0.55, 0.7, 0.8, 0.9, 1.0, 1.0))))
            amount = (requested * share / 500).quantize(Decimal(1)) * 500
            planned.append((application, awarded or state == "rejected", amount))
        # Within a year, an organisation's second file of the year counts as a return.
        seen.update(application.organisation_id for application, _d, _a in planned)
    Application.objects.bulk_create([application for application, _decided, _a in planned])
    decisions = []
    for application, decided, amount in planned:
        result.applications += 1
        if not decided:
            continue
        award = application.state == "closed"
        if award:
            result.awards += 1
            result.awarded += amount
        decisions.append(
            Decision(
                application=application,
                outcome=Outcome.AWARD if award else Outcome.REJECT,
                amount=amount if award else Decimal(0),
                reason="Décision générée pour l'historique de l'observatoire.",
                status=DecisionStatus.CONFIRMED,
                proposed_by=lead,
                confirmed_by=lead,
                confirmed_at=application.call.closes_at + dt.timedelta(days=70),
            )
        )
    Decision.objects.bulk_create(decisions, batch_size=500)
    return result


def load_observatory_history(*, seed: int = 2009) -> HistoryResult:
    """The generated history, then the observatory's figures computed from it."""
    result = seed_history(seed=seed)
    try:
        snapshot = refresh_now(by=None)
    except ServiceError:
        return result
    result.published = snapshot.status == snapshot.Status.DONE
    result.seconds = snapshot.seconds or 0.0
    return result
