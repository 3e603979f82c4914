"""Writes of the agreements: generate one from a confirmed award decision, send it, store its
signed copy (a PDF, checked and scanned), record the signature, amend it.

One door per verb, each audited (``awards.agreement.*``) in its transaction. The amounts come
from the engine (``engine.awards``: the tranches, the co-funders' parts); the application moves
to ``agreement`` only through ``calls``' transition service, when staff record the signature
of a signed copy the antivirus found clean (the workflow lets the staff fire it). Refusals are
:class:`filiere.errors.ServiceError` with an ``awards.`` code (``phrases``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events, throttle
from filiere.calls.models import Application, ScanStatus
from filiere.calls.models import State as AppState
from filiere.calls.permissions import instructs
from filiere.calls.services.documents import check_upload
from filiere.calls.services.scanning import ScanResult, Verdict, configured_client
from filiere.calls.services.transitions import transition_application
from filiere.community.models import Territory
from filiere.engine import awards as rules
from filiere.errors import Invalid, NotAllowed, ServiceError

from .events import AgreementSent, SignedCopyUploaded
from .models import (
    Agreement,
    AgreementStatus,
    Amendment,
    CoFunderShare,
    Tranche,
    TrancheLabel,
    TrancheStatus,
)
from .permissions import manages, signs
from .selectors import (
    agreement_language,
    cofunders_for,
    confirmed_award,
    default_spend_territories,
    schedule_of,
    spend_requirement_of,
)

logger = logging.getLogger(__name__)

#: The signed copy: a PDF by its content, at most this many bytes.
SIGNED_COPY_KINDS = ("pdf",)


def signed_copy_max_bytes() -> int:
    return int(getattr(settings, "FILIERE_SIGNED_AGREEMENT_MAX_BYTES", 10 * 1024 * 1024))


def _require_manager(by: User, application: Application) -> None:
    if not instructs(by, application):
        raise NotAllowed("awards.not_staff")


def _engine(rule: Any, *args: Any) -> Any:
    """Run an engine rule; its refusal becomes a 422 with the engine's code."""
    try:
        return rule(*args)
    except rules.AwardsError as error:
        raise Invalid(f"awards.engine.{error.code}", error.params) from None


def _tranches(agreement: Agreement, schedule: Sequence[tuple[str, Decimal]]) -> list[Tranche]:
    amounts = _engine(rules.tranche_amounts, agreement.amount, [share for _l, share in schedule])
    return Tranche.objects.bulk_create(
        Tranche(agreement=agreement, position=i, label=label, share=share, amount=amount)
        for i, ((label, share), amount) in enumerate(zip(schedule, amounts, strict=True))
    )


def _cofunder_shares(agreement: Agreement) -> list[CoFunderShare]:
    parts = cofunders_for(agreement.application)
    if not parts:
        return []
    computed = _engine(
        rules.cofunder_shares,
        agreement.amount,
        [(p.cofunder.name, p.share_percent, p.remaining) for p in parts],
    )
    return CoFunderShare.objects.bulk_create(
        CoFunderShare(
            agreement=agreement,
            cofunder=p.cofunder,
            name=p.cofunder.name,
            amount=computed[p.cofunder.name],
        )
        for p in parts
        if computed[p.cofunder.name] > 0
    )


def _checked_schedule(schedule: Sequence[tuple[str, Decimal]]) -> tuple[tuple[str, Decimal], ...]:
    parts = tuple((str(label), Decimal(share)) for label, share in schedule)
    if not parts or any(label not in TrancheLabel.values for label, _s in parts):
        raise Invalid("awards.schedule.unknown_label", field="schedule")
    if sum(share for _l, share in parts) != 100:
        raise Invalid("awards.schedule.not_100", field="schedule")
    return parts


def _checked_territories(codes: Sequence[str]) -> list[str]:
    codes = list(dict.fromkeys(codes))  # in the order given, once each
    known = set(Territory.objects.filter(code__in=codes).values_list("code", flat=True))
    if set(codes) - known:
        raise Invalid("awards.territory_unknown", field="territories")
    if not codes:
        raise Invalid("awards.territories_missing", field="territories")
    return codes


def _audit(agreement: Agreement) -> dict[str, object]:
    return {
        "agreement": agreement.pk,
        "amount": str(agreement.amount),
        "status": agreement.status,
        "version": agreement.version,
    }


# --- generate -----------------------------------------------------------------------------------


def generate_agreement(
    *,
    application: Application,
    by: User,
    schedule: Sequence[tuple[str, Decimal]] | None = None,
    territories: Sequence[str] | None = None,
    conditions: str = "",
) -> Agreement:
    """The agreement of an awarded application, from its confirmed award decision: the amount
    of the decision, the tranches of ``schedule`` (else the fund's, else 50/30/20), the call's
    regional-spend rule, the co-funders' parts, in the applicant's language. A draft: staff
    read its PDF, then send it."""
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call__fund", "organisation__territory", "lead")
            .get(pk=application.pk)
        )
        _require_manager(by, locked)
        if locked.state != AppState.AWARDED:
            raise ServiceError("awards.not_awarded")
        decision = confirmed_award(locked)
        if decision is None:
            raise ServiceError("awards.no_award_decision")
        parts = _checked_schedule(schedule or schedule_of(locked.call.fund))
        codes = _checked_territories(
            territories if territories is not None else default_spend_territories()
        )
        requirement = spend_requirement_of(locked.call)
        try:
            with transaction.atomic():
                agreement = Agreement.objects.create(
                    application=locked,
                    decision=decision,
                    amount=decision.amount,
                    conditions=(conditions or "").strip(),
                    spend_ratio=requirement.ratio,
                    spend_floor=requirement.floor,
                    spend_territories=codes,
                    language=agreement_language(locked, decision),
                    created_by=by,
                )
        except IntegrityError:
            raise ServiceError("awards.agreement_exists") from None
        tranches = _tranches(agreement, parts)
        shares = _cofunder_shares(agreement)
        record(
            actor=by,
            action="awards.agreement.generated",
            obj=locked,
            data={
                **_audit(agreement),
                "decision": decision.pk,
                "tranches": [[t.label, str(t.share), str(t.amount)] for t in tranches],
                "cofunders": {s.name: str(s.amount) for s in shares},
                "spend_ratio": str(agreement.spend_ratio),
                "spend_territories": codes,
            },
        )
    return agreement


# --- send ---------------------------------------------------------------------------------------


def send_agreement(*, agreement: Agreement, by: User) -> Agreement:
    """Send the draft to the beneficiary: it appears on their page, and its team is e-mailed
    the PDF to sign once the transaction has committed."""
    with transaction.atomic():
        locked = _lock(agreement)
        _require_manager(by, locked.application)
        if locked.status != AgreementStatus.DRAFT:
            raise ServiceError("awards.not_draft")
        locked.status = AgreementStatus.SENT
        locked.sent_at = timezone.now()
        locked.sent_by = by
        locked.save(update_fields=["status", "sent_at", "sent_by", "updated_at"])
        record(
            actor=by, action="awards.agreement.sent", obj=locked.application, data=_audit(locked)
        )
        events.publish(AgreementSent(agreement_id=locked.pk))
    return locked


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("application__call")
        .get(pk=agreement.pk)
    )


# --- the signed copy ----------------------------------------------------------------------------


def upload_signed_copy(*, agreement: Agreement, uploaded_file: File, by: User) -> Agreement:
    """Store the signed copy (the lead's, or one the staff received): a PDF by its content,
    within the size limit; kept ``pending`` until the antivirus says it is clean, which it
    checks after the commit. A new copy replaces one not yet recorded as signed."""
    throttle.hit(scope="upload", user=by)
    checked = check_upload(
        uploaded_file, document_type=None, kinds=SIGNED_COPY_KINDS, limit=signed_copy_max_bytes()
    )
    with transaction.atomic():
        locked = _lock(agreement)
        if not (manages(by, locked) or signs(by, locked)):
            raise NotAllowed("awards.not_signer")
        if locked.status != AgreementStatus.SENT:
            raise ServiceError("awards.not_awaiting_signature")
        previous = locked.signed_copy.name
        locked.signed_copy.save("signed", uploaded_file, save=False)
        locked.signed_copy_name = checked.name
        locked.signed_copy_size = checked.size
        locked.signed_copy_sha256 = checked.sha256
        locked.signed_copy_scan_status = ScanStatus.PENDING
        locked.signed_copy_uploaded_by = by
        locked.save(
            update_fields=[
                "signed_copy",
                "signed_copy_name",
                "signed_copy_size",
                "signed_copy_sha256",
                "signed_copy_scan_status",
                "signed_copy_uploaded_by",
                "updated_at",
            ]
        )
        record(
            actor=by,
            action="awards.agreement.signed_copy_uploaded",
            obj=locked.application,
            data={**_audit(locked), "size": checked.size, "sha256": checked.sha256},
        )
        if previous:
            storage = locked.signed_copy.storage
            transaction.on_commit(lambda: storage.delete(previous))
        events.publish(SignedCopyUploaded(agreement_id=locked.pk))
    return locked


_VERDICT_STATUS = {
    Verdict.CLEAN: ScanStatus.CLEAN,
    Verdict.INFECTED: ScanStatus.INFECTED,
    Verdict.ERROR: ScanStatus.ERROR,
}


def scan_signed_copy(*, agreement_id: int) -> str:
    """Scan the stored signed copy and record the verdict (fail closed: anything but a clear
    "OK" is not clean; without a scanner it stays pending). Returns the status."""
    agreement = Agreement.objects.filter(pk=agreement_id).first()
    if agreement is None or not agreement.signed_copy:
        return "missing"
    status = agreement.signed_copy_scan_status
    if status not in (ScanStatus.PENDING, ScanStatus.ERROR):
        return status
    client = configured_client()
    if client is None:
        return status
    stored = agreement.signed_copy.name
    try:
        with agreement.signed_copy.open("rb") as handle:
            result = client.scan_file(cast(BinaryIO, handle))
    except OSError as error:
        result = ScanResult(Verdict.ERROR, f"storage: {error}"[:200])
    status = _VERDICT_STATUS[result.verdict]
    with transaction.atomic():
        # Only if it is still the same file (a new copy is scanned on its own).
        updated = Agreement.objects.filter(
            pk=agreement_id,
            signed_copy=stored,
            signed_copy_scan_status__in=[ScanStatus.PENDING, ScanStatus.ERROR],
        ).update(signed_copy_scan_status=status)
        if updated:
            record(
                actor=None,
                action=f"awards.agreement.signed_copy_scan_{result.verdict.value}",
                obj=agreement.application,
                data={"agreement": agreement_id, "detail": result.detail},
            )
    if result.verdict is Verdict.ERROR:
        logger.warning("Antivirus scan failed for agreement %s: %s", agreement_id, result.detail)
    return status


def record_signature(*, agreement: Agreement, by: User) -> Agreement:
    """Staff have checked the signed copy (clean): the agreement is signed, and the application
    moves to ``agreement`` (``sign_agreement``, through the transition service)."""
    with transaction.atomic():
        locked = _lock(agreement)
        _require_manager(by, locked.application)
        if locked.status != AgreementStatus.SENT:
            raise ServiceError("awards.not_awaiting_signature")
        if not locked.signed_copy:
            raise ServiceError("awards.signed_copy_missing")
        if locked.signed_copy_scan_status != ScanStatus.CLEAN:
            raise ServiceError(
                "awards.signed_copy_not_clean", {"status": locked.signed_copy_scan_status}
            )
        locked.status = AgreementStatus.SIGNED
        locked.signed_at = timezone.now()
        locked.save(update_fields=["status", "signed_at", "updated_at"])
        application = locked.application
        if application.state == AppState.AWARDED:
            transition_application(
                application=application,
                code="sign_agreement",
                service="record_signature",
                by=by,
                data={"agreement": locked.pk, "amount": str(locked.amount)},
            )
        record(
            actor=by,
            action="awards.agreement.signed",
            obj=application,
            data={**_audit(locked), "sha256": locked.signed_copy_sha256},
        )
    return locked


# --- amend --------------------------------------------------------------------------------------

AMENDABLE = (AgreementStatus.SENT, AgreementStatus.SIGNED, AgreementStatus.AMENDED)


def amend_agreement(
    *,
    agreement: Agreement,
    by: User,
    reason: str,
    amount: Decimal | None = None,
    conditions: str | None = None,
    spend_ratio: Decimal | None = None,
    spend_floor: Decimal | None = None,
    territories: Sequence[str] | None = None,
) -> Amendment:
    """Change a sent or signed agreement, with its reason: the amount (never above the
    decision's, never below what is already requested or paid; the tranches not yet requested
    share the rest by their shares, the co-funders' parts follow), the conditions, the
    regional-spend rule. Each amendment keeps what changed (before, after) and a new version.
    A sent agreement not yet signed goes to its team again, and a signed copy already uploaded
    (of the previous version) is set aside."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("awards.amendment.reason_missing", field="reason")
    with transaction.atomic():
        locked = _lock(agreement)
        _require_manager(by, locked.application)
        if locked.status not in AMENDABLE:
            raise ServiceError("awards.amendment.not_amendable")
        changes: dict[str, list[Any]] = {}

        def change(name: str, after: Any) -> None:
            before = getattr(locked, name)
            if after is not None and after != before:
                changes[name] = [_plain(before), _plain(after)]
                setattr(locked, name, after)

        if amount is not None:
            amount = Decimal(amount)
            if amount <= 0:
                raise Invalid("awards.amendment.amount_missing", field="amount")
            if amount > locked.decision.amount:
                raise Invalid(
                    "awards.amendment.above_decision",
                    {"decided": str(locked.decision.amount)},
                    field="amount",
                )
        if spend_ratio is not None and Decimal(spend_ratio) < 0:
            raise Invalid("awards.amendment.ratio_negative", field="spend_ratio")
        if spend_floor is not None and Decimal(spend_floor) < 0:
            raise Invalid("awards.amendment.floor_negative", field="spend_floor")
        change("amount", amount)
        change("conditions", conditions.strip() if conditions is not None else None)
        change("spend_ratio", Decimal(spend_ratio) if spend_ratio is not None else None)
        change("spend_floor", Decimal(spend_floor) if spend_floor is not None else None)
        change(
            "spend_territories",
            _checked_territories(territories) if territories is not None else None,
        )
        if not changes:
            raise Invalid("awards.amendment.no_change")
        if "amount" in changes:
            changes["tranches"] = _reschedule(locked)
            changes["cofunders"] = _reshare(locked)
        locked.version += 1
        if locked.status == AgreementStatus.SIGNED:
            locked.status = AgreementStatus.AMENDED
        resend = locked.status == AgreementStatus.SENT
        if resend and locked.signed_copy:
            # A copy signed before this amendment signs the old version: it is set aside.
            changes["signed_copy"] = [locked.signed_copy_name, ""]
            _drop_signed_copy(locked)
        locked.save()
        number = locked.amendments.count() + 1
        amendment = Amendment.objects.create(
            agreement=locked, number=number, changes=changes, reason=reason, by=by
        )
        record(
            actor=by,
            action="awards.agreement.amended",
            obj=locked.application,
            reason=reason,
            data={**_audit(locked), "amendment": number, "changes": changes},
        )
        if resend:  # the team signs the new version: they get it as when it was first sent
            events.publish(AgreementSent(agreement_id=locked.pk))
    return amendment


def _drop_signed_copy(agreement: Agreement) -> None:
    stored, storage = agreement.signed_copy.name or "", agreement.signed_copy.storage
    agreement.signed_copy = ""
    agreement.signed_copy_name = ""
    agreement.signed_copy_size = 0
    agreement.signed_copy_sha256 = ""
    agreement.signed_copy_scan_status = ScanStatus.PENDING
    agreement.signed_copy_uploaded_by = None
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _reschedule(agreement: Agreement) -> list[Any]:
    """The tranches not yet requested share what the new amount leaves after the others."""
    tranches = list(agreement.tranches.select_for_update().order_by("position"))
    open_ = [t for t in tranches if t.status == TrancheStatus.PLANNED]
    committed = sum((t.amount for t in tranches if t.status != TrancheStatus.PLANNED), Decimal(0))
    rest = agreement.amount - committed
    if rest < 0 or (rest > 0 and not open_):
        raise ServiceError(
            "awards.amendment.below_committed", {"committed": str(committed)}, field="amount"
        )
    before = [[t.label, str(t.amount)] for t in tranches]
    if open_:
        total_share = sum((t.share for t in open_), Decimal(0))
        shares = [t.share * 100 / total_share for t in open_]
        # A division may not end: the last share takes the rest, so they add up to 100.
        shares[-1] = Decimal(100) - sum(shares[:-1], Decimal(0))
        for tranche, part in zip(open_, _engine(rules.tranche_amounts, rest, shares), strict=True):
            tranche.amount = part
        Tranche.objects.bulk_update(open_, ["amount"])
    return [before, [[t.label, str(t.amount)] for t in tranches]]


def _reshare(agreement: Agreement) -> list[Any]:
    before = {s.name: str(s.amount) for s in agreement.cofunder_shares.all()}
    agreement.cofunder_shares.all().delete()
    after = {s.name: str(s.amount) for s in _cofunder_shares(agreement)}
    return [before, after]
