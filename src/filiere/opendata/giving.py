"""The 360Giving data package: ``{"grants": [...]}`` with the package's metadata.

One grant per published award, to an organisation (``recipientOrganization``; never a
``recipientIndividual``). Identifiers follow org-id.guide (``publisher.organisation_id``); the
grant's id is the platform's 360Giving prefix and the application's public reference. Amounts
are JSON numbers in euros (two decimals at most), dates ISO 8601.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from .publisher import (
    CURRENCY,
    LICENCE_URL,
    PLANNED_TERM_MONTHS,
    Publisher,
    award_date,
    money,
    organisation_id,
    payment_period,
)
from .selectors import PublishedAward

STANDARD_VERSION = "1.4"


def _number(amount: Decimal) -> float | int:
    value = Decimal(money(amount))
    return int(value) if value == value.to_integral_value() else float(value)


def _recipient(award: PublishedAward, publisher: Publisher) -> dict[str, Any]:
    beneficiary = award.beneficiary
    recipient: dict[str, Any] = {
        "id": organisation_id(
            siren=beneficiary.siren,
            siret=beneficiary.siret,
            bce_number=beneficiary.bce_number,
            fallback=f"{publisher.giving_prefix}-ORG-{beneficiary.organisation_id}",
        ),
        "name": beneficiary.name,
    }
    if beneficiary.commune_name:
        recipient["addressLocality"] = beneficiary.commune_name
    if beneficiary.country:
        recipient["addressCountry"] = beneficiary.country
    return recipient


def _location(award: PublishedAward) -> list[dict[str, Any]]:
    beneficiary = award.beneficiary
    location: dict[str, Any] = {}
    if beneficiary.commune_code:
        location["id"] = f"INSEE-COG-{beneficiary.commune_code}"
        location["name"] = beneficiary.commune_name
    elif beneficiary.territory_label:
        location["name"] = beneficiary.territory_label
    if beneficiary.territory_label:
        location["description"] = beneficiary.territory_label
    if beneficiary.country:
        location["countryCode"] = beneficiary.country
    return [location] if location else []


def _programme(award: PublishedAward, call_url: Callable[[str], str]) -> dict[str, Any]:
    programme: dict[str, Any] = {"code": award.call_slug, "title": award.call_title}
    if award.call_published:  # an unpublished call has no public page to link to
        programme["url"] = call_url(award.call_slug)
    return programme


def _description(award: PublishedAward) -> str:
    what = f"{award.genre} — " if award.genre else ""
    return f"{what}{award.call_title} ({award.fund_name}) : {award.beneficiary.name}"


def _planned(award: PublishedAward) -> list[dict[str, Any]]:
    start, end = payment_period(award)
    event: dict[str, Any] = {"startDate": start.isoformat(), "endDate": end.isoformat()}
    if start == award_date(award) and not award.payment_dates:
        event["duration"] = PLANNED_TERM_MONTHS  # the planned term, counted from the decision
    return [event]


def grant(
    award: PublishedAward,
    publisher: Publisher,
    *,
    call_url: Callable[[str], str],
    data_source: str,
) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": f"{publisher.giving_prefix}-{award.reference}",
        "title": award.title,
        "description": _description(award),
        "currency": CURRENCY,
        **(
            {"amountAppliedFor": _number(award.amount_requested)}
            if award.amount_requested is not None
            else {}
        ),
        "amountAwarded": _number(award.amount),
        "awardDate": award_date(award).isoformat(),
        "dateModified": award.modified_at.isoformat(),
        "plannedDates": _planned(award),
        "recipientOrganization": [_recipient(award, publisher)],
        "fundingOrganization": [
            {"id": publisher.org_id, "name": publisher.name, "department": award.fund_name}
        ],
        "beneficiaryLocation": _location(award),
        "grantProgramme": [_programme(award, call_url)],
        "fromOpenCall": "Yes",
        "dataSource": data_source,
    }
    if award.amount_paid is not None:
        entry["amountDisbursed"] = _number(award.amount_paid)
    if not entry["beneficiaryLocation"]:
        del entry["beneficiaryLocation"]
    return entry


def package(
    awards: Iterable[PublishedAward],
    publisher: Publisher,
    *,
    title: str,
    modified: datetime | None,
    call_url: Callable[[str], str],
    download_url: str,
    access_url: str,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "grants": [
            grant(award, publisher, call_url=call_url, data_source=download_url) for award in awards
        ],
        "version": STANDARD_VERSION,
        "title": title,
        "identifier": download_url,
        "publisher": {"name": publisher.name, "identifier": publisher.org_id},
        "license": LICENCE_URL,
        "downloadURL": download_url,
        "accessURL": access_url,
    }
    if modified is not None:
        data["modified"] = modified.isoformat()
    return data
