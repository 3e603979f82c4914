"""Reads of the agreements stage: what a staff member has to generate, the agreements of a
call, one agreement's parts, and the inputs the generation takes from the call (the schedule of
tranches, the regional-spend rule of DOMAIN §1.7, the co-funders and what is left of their
envelopes)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Sum

from filiere.calls.access import instructable_applications
from filiere.calls.models import Application, Call, CoFunder, Fund
from filiere.calls.models import State as AppState
from filiere.calls.selectors import call_rules
from filiere.committee.models import Decision, DecisionStatus, Letter, Outcome
from filiere.community.models import Territory, TerritoryKind
from filiere.engine.eligibility import FinancingPlanRule

from .access import beneficiary_q, staff_agreements
from .models import Agreement, CoFunderShare, Tranche, TrancheLabel

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: The schedule of tranches when the fund sets none: 50 % at signature, 30 % at mid-term, 20 %
#: on the final report (``FILIERE_AWARD_SCHEDULES`` = {fund slug: [[label, share], ...]}).
DEFAULT_SCHEDULE: tuple[tuple[str, Decimal], ...] = (
    (TrancheLabel.SIGNATURE, Decimal(50)),
    (TrancheLabel.MID_TERM, Decimal(30)),
    (TrancheLabel.FINAL_REPORT, Decimal(20)),
)

#: The regional-spend ratio when the call's rules set none (100 % of the award).
DEFAULT_SPEND_RATIO = Decimal("1.00")


# --- inputs of the generation -------------------------------------------------------------------


def schedule_of(fund: Fund) -> tuple[tuple[str, Decimal], ...]:
    """The fund's schedule of tranches (label code, share in %), or the default 50/30/20."""
    configured = getattr(settings, "FILIERE_AWARD_SCHEDULES", {}).get(fund.slug)
    if not configured:
        return DEFAULT_SCHEDULE
    return tuple((str(label), Decimal(str(share))) for label, share in configured)


@dataclass(frozen=True)
class SpendRequirement:
    ratio: Decimal  # x the award: 1.00 for 100 %, 1.50 for 150 %
    floor: Decimal  # EUR


def spend_requirement_of(call: Call) -> SpendRequirement:
    """The call's territorial-spend rule (the financing-plan rule's ``regional_ratio_percent``
    and ``regional_floor``, DOMAIN §1.7), or 100 % of the award without a floor."""
    for rule in call_rules(call):
        if isinstance(rule, FinancingPlanRule) and (
            rule.regional_ratio_percent is not None or rule.regional_floor is not None
        ):
            ratio = (
                Decimal(rule.regional_ratio_percent) / 100
                if rule.regional_ratio_percent is not None
                else DEFAULT_SPEND_RATIO
            )
            floor = rule.regional_floor.to_decimal() if rule.regional_floor else Decimal(0)
            return SpendRequirement(ratio=ratio.quantize(Decimal("0.01")), floor=floor)
    return SpendRequirement(ratio=DEFAULT_SPEND_RATIO, floor=Decimal(0))


def default_spend_territories() -> list[str]:
    """Where spending counts unless staff choose otherwise: the cluster's intercommunalities."""
    return list(
        Territory.objects.filter(kind=TerritoryKind.EPCI)
        .order_by("sort_order", "code")
        .values_list("code", flat=True)
    )


def spend_territory_choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in Territory.objects.order_by("sort_order", "code")]


def confirmed_award(application: Application) -> Decision | None:
    """The application's latest confirmed decision when it is an award."""
    decision = (
        Decision.objects.filter(application=application, status=DecisionStatus.CONFIRMED)
        .order_by("-confirmed_at", "-pk")
        .first()
    )
    return decision if decision is not None and decision.outcome == Outcome.AWARD else None


@dataclass(frozen=True)
class CoFunderPart:
    cofunder: CoFunder
    share_percent: Decimal  # its part of the call's envelope, in %
    remaining: Decimal  # what is left of its envelope after the call's other agreements


def _territories_of(application: Application) -> set[str]:
    territory = application.organisation.territory
    codes = {territory.code} if territory is not None else set()
    codes |= set(
        application.team.filter(
            accepted_at__isnull=False, organisation__territory__isnull=False
        ).values_list("organisation__territory__code", flat=True)
    )
    return codes


def cofunders_for(application: Application) -> list[CoFunderPart]:
    """The call's co-funders that fund this project (those limited to projects with a partner
    in some territories only when one is there), with their share of the envelope and what is
    left of it."""
    call = application.call
    cofunders = list(CoFunder.objects.filter(call=call).order_by("pk"))
    if not cofunders:
        return []
    territories = _territories_of(application)
    given = dict(
        CoFunderShare.objects.filter(cofunder__in=cofunders, agreement__application__call=call)
        .exclude(agreement__application=application)
        .values_list("cofunder")
        .annotate(total=Sum("amount"))
        .values_list("cofunder", "total")
    )
    parts = []
    for cofunder in cofunders:
        limited = cofunder.eligible_partner_territories or []
        if limited and not territories.intersection(limited):
            continue
        share = (Decimal(cofunder.amount) * 100 / Decimal(call.envelope)).quantize(Decimal("0.01"))
        remaining = max(Decimal(0), Decimal(cofunder.amount) - (given.get(cofunder.pk) or 0))
        parts.append(CoFunderPart(cofunder=cofunder, share_percent=share, remaining=remaining))
    return parts


def agreement_language(application: Application, decision: Decision) -> str:
    """The language of the decision letter (the applicant's), else the platform's."""
    letter = Letter.objects.filter(decision=decision).only("language").first()
    if letter is not None and letter.language:
        return letter.language
    language = application.lead.preferred_language
    offered = {code for code, _name in settings.LANGUAGES}
    return language if language in offered else settings.LANGUAGE_CODE


# --- the staff's lists --------------------------------------------------------------------------


def awaiting_agreement(user: AnyUser, call: Call) -> QuerySet[Application]:
    """The call's awarded applications ``user`` instructs that have no agreement yet."""
    return (
        Application.objects.filter(call=call, state=AppState.AWARDED)
        .filter(pk__in=instructable_applications(user).values("pk"))
        .exclude(Exists(Agreement.objects.filter(application=OuterRef("pk"))))
        .select_related("organisation")
        .order_by("reference")
    )


def call_agreements(user: AnyUser, call: Call) -> QuerySet[Agreement]:
    """The agreements of ``call`` that ``user`` manages, with their tranches."""
    return (
        staff_agreements(user)
        .filter(application__call=call)
        .prefetch_related(Prefetch("tranches", queryset=Tranche.objects.order_by("position")))
        .order_by("application__reference")
    )


def my_agreements(user: AnyUser) -> QuerySet[Agreement]:
    """The agreements sent to the applications ``user`` leads or joined."""
    return (
        Agreement.objects.filter(beneficiary_q(user))
        .select_related("application__call__fund", "application__organisation")
        .order_by("-created_at", "-pk")
    )


def with_parts(agreement: Agreement) -> Agreement:
    """``agreement`` with its tranches, co-funders' shares and amendments read once."""
    return (
        Agreement.objects.select_related(
            "application__call__fund",
            "application__organisation__territory",
            "application__lead",
            "decision",
        )
        .prefetch_related(
            Prefetch("tranches", queryset=Tranche.objects.order_by("position")),
            "cofunder_shares",
            "amendments__by",
        )
        .get(pk=agreement.pk)
    )
