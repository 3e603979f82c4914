"""The awards the platform publishes, read in one place (the two files and the dataset page).

Published: the confirmed award decisions (``committee.Decision``, outcome ``award``, status
``confirmed``) of every fund. The beneficiary is the application's organisation, a legal person:
the lead applicant and the team are never read here, so no natural person's name can reach the
files (SCDL publishes the grants to legal persons, identified by their SIRET).

The agreement's date and the payments belong to the awards stage. When it records them, this
module adds them to :class:`PublishedAward` (``agreement_date``, ``payment_dates``,
``amount_paid``, ``tranche_count``) and nothing else changes: the writers already use them when
they are set and fall back on the decision's date when they are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Greatest

from filiere.calls.models import Fund
from filiere.committee.models import Decision, DecisionStatus, Outcome


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
    fund_slug: str
    fund_name: str
    genre: str
    amount: Decimal
    amount_requested: Decimal | None
    decided_at: datetime  # when the decision was confirmed
    modified_at: datetime  # the latest change of the decision, application or beneficiary
    beneficiary: Beneficiary
    # Set by the awards stage once it records agreements and payments (see the module's note).
    agreement_date: date | None = None
    payment_dates: tuple[date, ...] = ()
    amount_paid: Decimal | None = None
    tranche_count: int | None = None


@dataclass(frozen=True)
class PublicationStamp:
    """What identifies a version of the files: it changes whenever their content may change."""

    count: int
    total: Decimal
    latest: datetime | None
    without_siret: int  # published in the 360Giving file only (see scdl.py)


def _published(fund: Fund | None) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(
        outcome=Outcome.AWARD, status=DecisionStatus.CONFIRMED, confirmed_at__isnull=False
    )
    if fund is not None:
        decisions = decisions.filter(application__call__fund=fund)
    return decisions


def _changed_at() -> Greatest:
    # The decision's confirmation, or a later change of the application (its title, its state)
    # or of the beneficiary (its name, its identifiers).
    return Greatest(
        "confirmed_at", "application__updated_at", "application__organisation__updated_at"
    )


def publication_stamp(fund: Fund | None = None) -> PublicationStamp:
    """One query: how many awards, their total and the latest change (for ETag and caching)."""
    row = _published(fund).aggregate(
        count=Count("pk"),
        total=Sum("amount"),
        latest=Max(_changed_at()),
        without_siret=Count("pk", filter=Q(application__organisation__siret="")),
    )
    return PublicationStamp(
        count=row["count"],
        total=Decimal(row["total"] or 0).quantize(Decimal("0.01")),  # SQLite drops the zeros
        latest=row["latest"],
        without_siret=row["without_siret"],
    )


def published_awards(fund: Fund | None = None) -> list[PublishedAward]:
    """Every published award (of ``fund``, or of all funds), oldest decision first."""
    decisions = (
        _published(fund)
        .select_related(
            "application__call__fund",
            "application__genre",
            "application__organisation__seat_commune",
            "application__organisation__territory",
        )
        .annotate(changed_at=_changed_at())
        .order_by("confirmed_at", "pk")
    )
    return [_award(decision) for decision in decisions]


def _award(decision: Decision) -> PublishedAward:
    application = decision.application
    organisation = application.organisation
    commune = organisation.seat_commune
    territory = organisation.territory
    assert decision.confirmed_at is not None  # filtered in _published
    return PublishedAward(
        decision_id=decision.pk,
        reference=application.reference,
        title=application.title,
        call_slug=application.call.slug,
        call_title=application.call.title_fr,
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
    )


def published_funds() -> list[Fund]:
    """The funds with at least one published award, for the per-fund links."""
    fund_ids = _published(None).values("application__call__fund")
    return list(Fund.objects.filter(pk__in=fund_ids).order_by("name_fr", "pk"))
