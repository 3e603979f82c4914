"""The awards the platform publishes, read in one place (the two files and the dataset page).

Published: the confirmed award decisions (``committee.Decision``, outcome ``award``, status
``confirmed``) of every fund. The beneficiary is the application's organisation, a legal person:
the lead applicant and the team are never read here, so no natural person's name can reach the
files (SCDL publishes the grants to legal persons, identified by their SIRET).

The agreement and its payments come from the awards stage (``awards.Agreement`` and its
``Tranche`` rows): the date the agreement was signed, the tranches of its schedule, the dates
and amounts paid. An award without an agreement yet has none of them, and the writers fall back
on the decision's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, F, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from filiere.awards.models import Agreement, Tranche, TrancheStatus
from filiere.calls.models import Fund
from filiere.committee.models import Decision, DecisionStatus, Outcome

CENT = Decimal("0.01")
PAID = (TrancheStatus.PAID, TrancheStatus.REDUCED)


@dataclass(frozen=True)
class Beneficiary:
    organisation_id: int
    name: str
    siren: str
    siret: str
    bce_number: str
    rna: str
    country: str
    commune_code: str
    commune_name: str
    territory_label: str  # in French, the language of the published files


@dataclass(frozen=True)
class PublishedAward:
    decision_id: int
    reference: str  # the application's public reference, e.g. EI2009-0042
    title: str
    call_slug: str
    call_title: str
    call_published: bool  # its public page exists
    fund_slug: str
    fund_name: str
    genre: str
    amount: Decimal
    amount_requested: Decimal | None
    decided_at: datetime  # when the decision was confirmed
    modified_at: datetime  # the latest change of the decision, application, beneficiary, payments
    beneficiary: Beneficiary
    # From the awards stage: None (or empty) while the award has no agreement.
    agreement_date: date | None = None  # when the agreement was signed
    payment_dates: tuple[date, ...] = ()  # of the tranches paid, in order
    amount_paid: Decimal | None = None
    tranche_count: int | None = None


@dataclass(frozen=True)
class PublicationStamp:
    """What identifies a version of the files: it changes whenever their content may change."""

    count: int
    total: Decimal
    latest: datetime | None
    without_siret: int  # published in the 360Giving file only (see scdl.py)
    # The payments recorded (a payment may be dated before the latest change).
    paid: Decimal = Decimal(0)
    paid_count: int = 0


def _published(fund: Fund | None) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(
        outcome=Outcome.AWARD, status=DecisionStatus.CONFIRMED, confirmed_at__isnull=False
    )
    if fund is not None:
        decisions = decisions.filter(application__call__fund=fund)
    return decisions


def _changed_at() -> Greatest:
    """The decision's confirmation, or a later change of the application (its title, its state),
    of the beneficiary (its name, its identifiers), of the agreement, or a later payment. (The
    optional ones fall back on the confirmation: SQLite's MAX() of a NULL is NULL.)"""
    last_payment = (
        Tranche.objects.filter(agreement__application=OuterRef("application"))
        .order_by()
        .values("agreement")
        .annotate(latest=Max("paid_at"))
        .values("latest")
    )
    return Greatest(
        "confirmed_at",
        "application__updated_at",
        "application__organisation__updated_at",
        Coalesce("application__agreement__updated_at", F("confirmed_at")),
        Coalesce(Subquery(last_payment), F("confirmed_at")),
    )


def _paid_tranches(aggregate: Sum | Count) -> Subquery:
    """``aggregate`` over the paid tranches of the award's agreement, as a subquery."""
    return Subquery(
        Tranche.objects.filter(agreement__application=OuterRef("application"), status__in=PAID)
        .order_by()
        .values("agreement")
        .annotate(value=aggregate)
        .values("value")
    )


def publication_stamp(fund: Fund | None = None) -> PublicationStamp:
    """One query: how many awards, their total, the latest change and the payments recorded
    (for ETag and caching)."""
    row = _published(fund).aggregate(
        count=Count("pk"),
        total=Sum("amount"),
        latest=Max(_changed_at()),
        without_siret=Count("pk", filter=Q(application__organisation__siret="")),
        paid=Sum(_paid_tranches(Sum("paid_amount"))),
        paid_count=Sum(_paid_tranches(Count("pk"))),
    )
    return PublicationStamp(
        count=row["count"],
        total=Decimal(row["total"] or 0).quantize(CENT),  # SQLite drops the trailing zeros
        latest=row["latest"],
        without_siret=row["without_siret"],
        paid=Decimal(row["paid"] or 0).quantize(CENT),
        paid_count=row["paid_count"] or 0,
    )


def published_awards(fund: Fund | None = None) -> list[PublishedAward]:
    """Every published award (of ``fund``, or of all funds), oldest decision first: two
    queries whatever their number (the decisions, the agreements' tranches)."""
    decisions = (
        _published(fund)
        .select_related(
            "application__call__fund",
            "application__genre",
            "application__organisation__seat_commune",
            "application__organisation__territory",
            "application__agreement",
        )
        .prefetch_related(
            Prefetch(
                "application__agreement__tranches",
                queryset=Tranche.objects.order_by("position"),
            )
        )
        .annotate(changed_at=_changed_at())
        .order_by("confirmed_at", "pk")
    )
    return [_award(decision) for decision in decisions]


def _agreement(decision: Decision) -> Agreement | None:
    try:
        return decision.application.agreement
    except Agreement.DoesNotExist:
        return None


@dataclass(frozen=True)
class _FollowUp:
    agreement_date: date | None = None
    payment_dates: tuple[date, ...] = ()
    amount_paid: Decimal | None = None
    tranche_count: int | None = None


def _follow_up(agreement: Agreement | None) -> _FollowUp:
    if agreement is None:
        return _FollowUp()
    tranches = list(agreement.tranches.all())
    paid = [t.paid_at for t in tranches if t.status in PAID and t.paid_at is not None]
    return _FollowUp(
        agreement_date=timezone.localdate(agreement.signed_at) if agreement.signed_at else None,
        payment_dates=tuple(timezone.localdate(moment) for moment in paid),
        amount_paid=sum(
            (t.paid_amount or Decimal(0) for t in tranches if t.status in PAID), Decimal(0)
        ),
        tranche_count=len(tranches) or None,
    )


def _award(decision: Decision) -> PublishedAward:
    application = decision.application
    organisation = application.organisation
    commune = organisation.seat_commune
    territory = organisation.territory
    assert decision.confirmed_at is not None  # filtered in _published
    follow_up = _follow_up(_agreement(decision))
    return PublishedAward(
        decision_id=decision.pk,
        reference=application.reference,
        title=application.title,
        call_slug=application.call.slug,
        call_title=application.call.title_fr,
        call_published=application.call.published,
        fund_slug=application.call.fund.slug,
        fund_name=application.call.fund.name_fr,
        genre=application.genre.label_fr if application.genre else "",
        amount=decision.amount,
        amount_requested=application.requested_amount,
        decided_at=decision.confirmed_at,
        modified_at=decision.changed_at,  # type: ignore[attr-defined]  # annotated above
        beneficiary=Beneficiary(
            organisation_id=organisation.pk,
            name=organisation.name,
            siren=organisation.siren,
            siret=organisation.siret,
            bce_number=organisation.bce_number,
            rna=organisation.rna,
            country=organisation.country,
            commune_code=commune.insee_code if commune else "",
            commune_name=commune.name if commune else "",
            territory_label=territory.label_fr if territory else "",
        ),
        agreement_date=follow_up.agreement_date,
        payment_dates=follow_up.payment_dates,
        amount_paid=follow_up.amount_paid,
        tranche_count=follow_up.tranche_count,
    )


def published_funds() -> list[Fund]:
    """The funds with at least one published award, for the per-fund links."""
    fund_ids = _published(None).values("application__call__fund")
    return list(Fund.objects.filter(pk__in=fund_ids).order_by("name_fr", "pk"))
