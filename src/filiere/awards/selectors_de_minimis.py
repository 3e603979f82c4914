"""The de minimis check (``engine.awards.de_minimis``): the aids a company received over the
window — the platform's confirmed awards in every fund (the agreement's amount once there is
one) and the aids the company declared — against the ceiling, with the aid proposed now. The
committee's decision page shows it (``templatetags/awards_de_minimis``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from filiere.calls.models import Application
from filiere.committee.models import Decision, DecisionStatus, Outcome
from filiere.community.models import Organisation
from filiere.engine import awards as rules

from .models import Agreement, DeclaredAid


@dataclass(frozen=True)
class AidRow:
    granted_on: date
    amount: Decimal
    #: Who granted it: a fund of the platform (with the application) or the declared granter.
    source: str
    declared: bool


@dataclass(frozen=True)
class DeMinimisCheck:
    company: str
    outcome: rules.DeMinimisOutcome
    rows: list[AidRow]  # the aids counted in the window, by date


def _company(organisation: Organisation) -> tuple[str, QuerySet[Organisation]]:
    """The company's key (its SIREN, else the organisation) and its organisations' rows."""
    siren = (organisation.siren or (organisation.siret or "")[:9]).strip()
    if siren:
        return f"siren:{siren}", Organisation.objects.filter(
            siren=siren
        ) | Organisation.objects.filter(pk=organisation.pk)
    return f"organisation:{organisation.pk}", Organisation.objects.filter(pk=organisation.pk)


def declared_aids(organisation: Organisation) -> QuerySet[DeclaredAid]:
    _key, organisations = _company(organisation)
    return DeclaredAid.objects.filter(organisation__in=organisations).order_by("-granted_on", "pk")


def company_aids(
    organisation: Organisation, *, exclude_application: int | None = None
) -> list[AidRow]:
    """Every aid known for the company: confirmed awards of any fund, and declared aids."""
    _key, organisations = _company(organisation)
    decisions = Decision.objects.filter(
        status=DecisionStatus.CONFIRMED,
        outcome=Outcome.AWARD,
        application__organisation__in=organisations,
        confirmed_at__isnull=False,
    ).select_related("application__call__fund")
    if exclude_application is not None:
        decisions = decisions.exclude(application_id=exclude_application)
    agreed = dict(
        Agreement.objects.filter(decision__in=decisions).values_list("decision_id", "amount")
    )
    rows = [
        AidRow(
            granted_on=timezone.localdate(d.confirmed_at),
            amount=agreed.get(d.pk, d.amount or Decimal(0)),
            source=f"{d.application.call.fund.name} — {d.application.reference}",
            declared=False,
        )
        for d in decisions
    ]
    rows += [
        AidRow(granted_on=a.granted_on, amount=a.amount, source=a.granter, declared=True)
        for a in declared_aids(organisation)
    ]
    return rows


def de_minimis_check(
    organisation: Organisation,
    proposed: Decimal,
    *,
    on: date | None = None,
    exclude_application: int | None = None,
) -> DeMinimisCheck:
    key, _organisations = _company(organisation)
    rows = company_aids(organisation, exclude_application=exclude_application)
    on = on or timezone.localdate()
    outcome = rules.de_minimis(
        key,
        [rules.Aid(company=key, granted_on=r.granted_on, amount=r.amount) for r in rows],
        on,
        proposed,
        ceiling=Decimal(str(getattr(settings, "FILIERE_DE_MINIMIS_CEILING", "300000"))),
        fiscal_year_start=getattr(settings, "FILIERE_DE_MINIMIS_FISCAL_YEAR_START", None),
    )
    counted = sorted(
        (r for r in rows if outcome.window_start <= r.granted_on <= outcome.window_end),
        key=lambda r: (r.granted_on, r.source),
    )
    return DeMinimisCheck(company=organisation.name, outcome=outcome, rows=counted)


def de_minimis_for_application(
    application: Application, *, proposed: Decimal | None = None, on: date | None = None
) -> DeMinimisCheck:
    """The check before deciding on ``application``: its own decision left out of the total,
    the proposed amount (given, else its latest decision's, else the amount requested)."""
    if proposed is None:
        latest = (
            Decision.objects.filter(application=application, outcome=Outcome.AWARD)
            .order_by("-pk")
            .values_list("amount", flat=True)
            .first()
        )
        proposed = latest if latest is not None else application.requested_amount
    return de_minimis_check(
        application.organisation,
        Decimal(proposed or 0),
        on=on,
        exclude_application=application.pk,
    )
