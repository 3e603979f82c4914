"""Reads of the calls app. One section per part of the app; add yours below the others.

Selectors read with ``select_related``/``prefetch_related`` so that list pages cost a constant
number of queries, act as gatekeepers (a draft call is not public) and turn rows into engine
inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from filiere.community.models import OrganisationKind, Territory
from filiere.engine.eligibility import (
    AmountCeilingRule,
    FinancingPlanRule,
    Rule,
    RuleConfigError,
    rules_from_json,
)
from filiere.engine.money import Money

from . import phrases
from .models import (
    Call,
    CoFunder,
    Criterion,
    DocumentRequirement,
    DocumentType,
    Fund,
    Genre,
    Question,
    Stage,
)
from .models.design import CallQuerySet
from .permissions import sees_hidden_calls

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

# --- call design and public pages -------------------------------------------------------------


def rule_labels() -> phrases.Labels:
    """Labels of the codes used in eligibility rules, in the active language (4 queries)."""
    return phrases.Labels(
        genres={g.code: g.label for g in Genre.objects.all()},
        stages={s.code: s.label for s in Stage.objects.all()},
        documents={d.code: d.label for d in DocumentType.objects.all()},
        territories={t.code: t.label for t in Territory.objects.all()},
        organisation_kinds={k.value: str(k.label) for k in OrganisationKind},
    )


def call_rules(call: Call, *, strict: bool = False) -> list[Rule]:
    """The call's eligibility rules as configured, as engine rules. Stored rules are validated on
    save, so an error here means hand-edited data: reported as no rule rather than a crash, or
    raised (``RuleConfigError``) with ``strict`` for the staff, who must be told."""
    try:
        return rules_from_json(call.eligibility_rules or [])
    except RuleConfigError:
        if strict:
            raise
        return []


def rules_in_force(call: Call, *, strict: bool = False) -> list[Rule]:
    """What an application of ``call`` is checked against, for the applicant and the staff
    alike: the configured rules, plus what the call's own fields imply when no rule says it
    (the ceiling, absolute and % of the budget, and a balanced financing plan)."""
    rules = call_rules(call, strict=strict)
    kinds = {rule.kind for rule in rules}
    if "amount_ceiling" not in kinds and (call.ceiling_amount or call.ceiling_percent):
        rules.append(
            AmountCeilingRule(
                absolute=Money.from_decimal(call.ceiling_amount)
                if call.ceiling_amount is not None
                else None,
                percent_of_budget=call.ceiling_percent,
            )
        )
    if "financing_plan" not in kinds:
        rules.append(FinancingPlanRule())
    return rules


def _listing() -> CallQuerySet:
    return Call.objects.select_related("fund").prefetch_related("genres", "stages")


@dataclass(frozen=True)
class PublicCalls:
    open: list[Call]
    upcoming: list[Call]
    closed: list[Call]


def public_calls(*, now: datetime | None = None) -> PublicCalls:
    """Published calls grouped by phase: open ones closing first, upcoming ones opening first,
    closed ones most recent first (3 queries, whatever the number of calls)."""
    now = now or timezone.now()
    calls = list(_listing().published())
    return PublicCalls(
        open=sorted(
            (c for c in calls if c.phase(now) == Call.Phase.OPEN), key=lambda c: c.closes_at
        ),
        upcoming=sorted(
            (c for c in calls if c.phase(now) == Call.Phase.UPCOMING), key=lambda c: c.opens_at
        ),
        closed=sorted(
            (c for c in calls if c.phase(now) == Call.Phase.CLOSED),
            key=lambda c: c.closes_at,
            reverse=True,
        ),
    )


def _full_call() -> CallQuerySet:
    return _listing().prefetch_related(
        Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id")),
        Prefetch(
            "document_requirements",
            queryset=DocumentRequirement.objects.select_related(
                "document_type", "stage", "genre"
            ).order_by("document_type__sort_order", "stage__sort_order", "genre__sort_order"),
        ),
        Prefetch("cofunders", queryset=CoFunder.objects.order_by("-amount", "name")),
        Prefetch(
            "questions",
            queryset=Question.objects.select_related("group").order_by("position", "id"),
        ),
    )


def get_call_for_viewer(viewer: AnyUser | None, slug: str) -> Call:
    """A published call, or any call for staff (a preview); 404 otherwise. ``viewer=None``: an
    anonymous caller of the API."""
    queryset = _full_call()
    if viewer is None or not sees_hidden_calls(viewer):
        queryset = queryset.published()
    call = queryset.filter(slug=slug).first()
    if call is None:
        raise Http404
    return call


def published_calls() -> QuerySet[Call]:
    """Published calls with their fund, genres and stages (a list: 3 queries)."""
    return _listing().published()


def calls_for_feed() -> QuerySet[Call]:
    return Call.objects.published().select_related("fund").order_by("opens_at", "pk")


def open_calls(*, now: datetime | None = None) -> QuerySet[Call]:
    now = now or timezone.now()
    return _listing().open_at(now).order_by("closes_at", "pk")


def filter_calls(
    queryset: QuerySet[Call],
    *,
    phase: str = "",
    fund: str = "",
    genre: str = "",
    now: datetime | None = None,
) -> QuerySet[Call]:
    """Filters of the public API: phase (open, upcoming, closed), fund slug, genre code."""
    now = now or timezone.now()
    if phase == Call.Phase.OPEN:
        queryset = queryset.filter(opens_at__lte=now, closes_at__gt=now)
    elif phase == Call.Phase.UPCOMING:
        queryset = queryset.filter(opens_at__gt=now)
    elif phase == Call.Phase.CLOSED:
        queryset = queryset.filter(closes_at__lte=now)
    if fund:
        queryset = queryset.filter(fund__slug=fund)
    if genre:
        queryset = queryset.filter(genres__code=genre).distinct()
    return queryset


# Staff (design) reads


def funds_for_staff() -> QuerySet[Fund]:
    return Fund.objects.annotate(call_count=Count("calls")).order_by("slug")


def calls_for_staff() -> QuerySet[Call]:
    return Call.objects.select_related("fund").order_by("-opens_at", "pk")


def get_call_for_design(pk: int) -> Call:
    """Any call, with everything its design pages show (staff only: the view checks)."""
    call = _full_call().filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def get_fund(pk: int) -> Fund:
    fund = Fund.objects.filter(pk=pk).first()
    if fund is None:
        raise Http404
    return fund
