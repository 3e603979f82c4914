"""Writes of the regional-spend ledger: the beneficiary declares an invoice (supplier,
SIRET or Belgian enterprise number checked with python-stdnum, the supplier's commune or
Belgian region, amount, category) or withdraws one declared by mistake. Whether it counts is
computed here from the agreement's territories (DOMAIN §1.7), never typed in.

One door per verb, audited (``awards.spend.*``). The ledger freezes once the final tranche is
asked for: its amount is computed from it (``services_payments``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from stdnum.be import vat as be_enterprise
from stdnum.exceptions import ValidationError
from stdnum.fr import siret

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.community.models import Commune
from filiere.errors import Invalid, NotAllowed, ServiceError

from .models import (
    Agreement,
    AgreementStatus,
    BelgianRegion,
    SpendCategory,
    SpendLine,
    Tranche,
    TrancheStatus,
)
from .permissions import reads_as_beneficiary
from .selectors_spend import place_is_eligible

OPEN = (AgreementStatus.SIGNED, AgreementStatus.AMENDED)


def normalise_supplier_id(raw: str) -> tuple[str, str]:
    """(kind, compact number): ``siret`` (14 digits) or ``bce`` (10 digits, a former 9-digit
    number gains its leading 0), checked by their check digits; raises ``Invalid``."""
    value = "".join(ch for ch in (raw or "") if ch.isalnum()).upper().removeprefix("BE")
    try:
        if len(value) == 14:
            return "siret", siret.validate(value)
        if len(value) in (9, 10):
            return "bce", be_enterprise.validate(value)
    except ValidationError:
        pass
    raise Invalid("awards.spend.supplier_id_invalid", field="supplier_id")


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _require_open(agreement: Agreement, by: User) -> None:
    if not reads_as_beneficiary(by, agreement):
        raise NotAllowed("awards.spend.not_beneficiary")
    if agreement.status not in OPEN:
        raise ServiceError("awards.spend.not_signed")
    last = Tranche.objects.filter(agreement=agreement).order_by("-position").first()
    if last is not None and last.status != TrancheStatus.PLANNED:
        raise ServiceError("awards.spend.locked")


def _line_audit(line: SpendLine) -> dict[str, object]:
    return {
        "agreement": line.agreement_id,
        "line": line.pk,
        "supplier": line.supplier_name,
        "supplier_id": line.supplier_id,
        "commune": line.commune.insee_code if line.commune else None,
        "region": line.region,
        "amount": str(line.amount),
        "category": line.category,
        "eligible": line.eligible,
    }


def declare_invoice(
    *,
    agreement: Agreement,
    by: User,
    supplier_name: str,
    supplier_id: str,
    amount: Decimal,
    commune: Commune | None = None,
    region: str = "",
    category: str = SpendCategory.OTHER,
    invoice_number: str = "",
    invoice_date: date | None = None,
) -> SpendLine:
    """Add one invoice to the ledger. A French supplier (SIRET) is placed by its commune (or
    outside the listed communes), a Belgian one (BCE/KBO) by its region; it counts when that
    place is in the agreement's territories."""
    supplier_name = (supplier_name or "").strip()
    if not supplier_name:
        raise Invalid("awards.spend.supplier_missing", field="supplier_name")
    kind, number = normalise_supplier_id(supplier_id)
    region = region or ""
    if commune is not None and region:
        raise Invalid("awards.spend.one_place", field="region")
    if region and region not in BelgianRegion.values:
        raise Invalid("awards.spend.place_missing", field="region")
    if region and kind != "bce":
        raise Invalid("awards.spend.region_needs_bce", field="supplier_id")
    if commune is not None and kind != "siret":
        raise Invalid("awards.spend.commune_needs_siret", field="supplier_id")
    if kind == "bce" and not region:
        raise Invalid("awards.spend.place_missing", field="region")
    amount = Decimal(amount)
    if amount <= 0:
        raise Invalid("awards.spend.amount_not_positive", field="amount")
    if category not in SpendCategory.values:
        category = SpendCategory.OTHER
    with transaction.atomic():
        locked = _lock(agreement)
        _require_open(locked, by)
        line = SpendLine.objects.create(
            agreement=locked,
            supplier_name=supplier_name[:200],
            supplier_id=number,
            commune=commune,
            region=region,
            amount=amount,
            category=category,
            invoice_number=(invoice_number or "").strip()[:60],
            invoice_date=invoice_date,
            eligible=place_is_eligible(locked, commune, region),
            declared_by=by,
        )
        record(
            actor=by,
            action="awards.spend.declared",
            obj=locked.application,
            data=_line_audit(line),
        )
    return line


def withdraw_invoice(*, line: SpendLine, by: User) -> None:
    """Take back an invoice declared by mistake, while the ledger is open."""
    with transaction.atomic():
        locked = _lock(line.agreement)
        _require_open(locked, by)
        current = SpendLine.objects.filter(pk=line.pk, agreement=locked).first()
        if current is None:
            raise ServiceError("awards.spend.not_declarant")
        data = _line_audit(current)
        current.delete()
        record(actor=by, action="awards.spend.withdrawn", obj=locked.application, data=data)


def ledger_is_open(agreement: Agreement) -> bool:
    """Whether invoices may still be declared or withdrawn (signed, final tranche not asked)."""
    if agreement.status not in OPEN:
        return False
    last = Tranche.objects.filter(agreement=agreement).order_by("-position").first()
    return last is None or last.status == TrancheStatus.PLANNED
