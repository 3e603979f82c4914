"""The SCDL *subventions* file (version 2.1): one row per beneficiary and award.

As the standard asks: UTF-8, comma-separated (fields quoted when needed), the columns of the
schema in their order, ISO 8601 dates, dot decimals, ``oui``/``non`` booleans. Each award has one
beneficiary, the applicant organisation, so its share (``pourcentageSubvention``) is 1.00. The
rows are the awards to organisations with a SIRET: the standard identifies beneficiaries by SIRET
(RNA only for in-kind aid to an association), so the others (Belgian companies) are published in
the 360Giving file only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from .publisher import Publisher, agreement_date, money, payment_period
from .schemas import scdl_columns
from .selectors import PublishedAward

OBJECT_MAX_LENGTH = 256
IN_CASH = "aide en numéraire"
SINGLE, STAGED = "unique", "échelonné"


def in_scdl(award: PublishedAward) -> bool:
    return bool(award.beneficiary.siret)


def _object(award: PublishedAward) -> str:
    text = f"{award.title} — {award.call_title}"
    return text if len(text) <= OBJECT_MAX_LENGTH else text[: OBJECT_MAX_LENGTH - 1] + "…"


def _period(award: PublishedAward) -> str:
    start, end = payment_period(award)
    single = award.tranche_count == 1 and len(award.payment_dates) == 1
    return start.isoformat() if single else f"{start.isoformat()}/{end.isoformat()}"


def row(award: PublishedAward, publisher: Publisher) -> dict[str, str]:
    beneficiary = award.beneficiary
    return {
        "nomAttribuant": publisher.name,
        "idAttribuant": publisher.siret,
        "dateConvention": agreement_date(award).isoformat(),
        "referenceDecision": award.reference,
        "nomBeneficiaire": beneficiary.name,
        "idBeneficiaire": beneficiary.siret,
        "rnaBeneficiaire": beneficiary.rna,
        "objet": _object(award),
        "montant": money(award.amount),
        "nature": IN_CASH,
        "conditionsVersement": SINGLE if award.tranche_count == 1 else STAGED,
        "datesPeriodeVersement": _period(award),
        "idRAE": "",
        "notificationUE": "non",
        "pourcentageSubvention": "1.00",
        "dispositifAide": "",
    }


def render(awards: Iterable[PublishedAward], publisher: Publisher) -> bytes:
    columns = scdl_columns()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", extrasaction="raise")
    writer.writeheader()
    for award in awards:
        if in_scdl(award):
            writer.writerow(row(award, publisher))
    return out.getvalue().encode("utf-8")
