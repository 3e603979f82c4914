"""Who publishes the files, and the publication rules both files share.

The awarding body is the platform's operator (``FILIERE_OPEN_DATA_PUBLISHER_NAME`` and
``_SIRET``); its 360Giving prefix (``FILIERE_OPEN_DATA_360G_PREFIX``) makes the grants' ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from .selectors import PublishedAward

LICENCE_NAME = "Licence Ouverte 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
CURRENCY = "EUR"
# Until an agreement's tranches are all paid, the period over which an award is paid ends with
# the platform's planned term of an agreement, counted from the decision.
PLANNED_TERM_MONTHS = 24
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Publisher:
    name: str
    siret: str
    giving_prefix: str

    @property
    def org_id(self) -> str:
        return organisation_id(
            siren="", siret=self.siret, bce_number="", fallback=f"{self.giving_prefix}-PUBLISHER"
        )


def publisher() -> Publisher:
    return Publisher(
        name=settings.FILIERE_OPEN_DATA_PUBLISHER_NAME,
        siret=settings.FILIERE_OPEN_DATA_PUBLISHER_SIRET,
        giving_prefix=settings.FILIERE_OPEN_DATA_360G_PREFIX,
    )


def organisation_id(*, siren: str, siret: str, bce_number: str, fallback: str) -> str:
    """An organisation's identifier in the org-id.guide scheme that 360Giving uses.

    French organisations: the ``FR-RCS`` list (which replaced ``FR-INSEE``) with the SIREN, the
    number of the legal person (the SIRET names one of its establishments, and it is the SCDL
    file that carries it). Belgian ones: ``BE-BCE_KBO`` with the 10-digit enterprise number.
    Neither: the publisher's own prefix, as 360Giving asks for organisations without a register.
    """
    siren = siren or siret[:9]
    if siren:
        return f"FR-RCS-{siren}"
    if bce_number:
        return f"BE-BCE_KBO-{bce_number}"
    return fallback


def money(amount: Decimal) -> str:
    """Euros with two decimals and a dot: ``50000.00``."""
    return str(amount.quantize(CENT))


def local_date(moment: datetime) -> date:
    return timezone.localdate(moment)


def award_date(award: PublishedAward) -> date:
    return local_date(award.decided_at)


def agreement_date(award: PublishedAward) -> date:
    """The date the agreement was signed; the decision's until then."""
    return award.agreement_date or award_date(award)


def planned_end(award: PublishedAward) -> date:
    start = award_date(award)
    month = start.month - 1 + PLANNED_TERM_MONTHS
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, 28) if month == 2 else min(start.day, 30 if month in (4, 6, 9, 11) else 31)
    return date(year, month, day)


def payment_period(award: PublishedAward) -> tuple[date, date]:
    """From the first payment (or the agreement) to the last one once every tranche is paid, or
    to the planned end of the term until then."""
    start = min(award.payment_dates) if award.payment_dates else agreement_date(award)
    done = award.tranche_count is not None and len(award.payment_dates) >= award.tranche_count
    end = max(award.payment_dates) if done and award.payment_dates else planned_end(award)
    return start, max(start, end)
