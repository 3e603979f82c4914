"""The demo's agreements of the 2009 call, after the committee (``demo.committee``).

The files that ``demo.applications`` put past the award (``agreement``, ``in_payment``,
``closed``) are history: their agreements are written as records of what happened — generated
after the decision with the engine's tranches and the co-funders' parts, sent, signed from a
clean signed copy (a closed project's agreement is closed). The files still ``awarded`` whose
decision letter went out get theirs through the services, as the demo staff would: most are
drawn up and sent (waiting for the signed copy), one stays a draft; those whose letter is still
in the outbox have none yet ("draw up the agreement" on the staff's page).

Payments, the regional-spend ledger and the reports build on these agreements elsewhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from filiere.accounts.models import User
from filiere.awards import services_agreements
from filiere.awards.models import (
    Agreement,
    AgreementStatus,
    CoFunderShare,
    PaymentRequest,
    Recovery,
    Report,
    Tranche,
)
from filiere.awards.selectors import (
    agreement_language,
    cofunders_for,
    default_spend_territories,
    schedule_of,
    spend_requirement_of,
)
from filiere.calls.models import Application, Call, ScanStatus
from filiere.committee.models import Decision, DecisionStatus, Letter, LetterStatus, Outcome
from filiere.engine import awards as rules

from .accounts import DEMO_STAFF_EMAIL
from .pdf import tiny_pdf

#: Past the award: the agreement is signed (and closed with the project).
SIGNED_STATES = ("agreement", "in_payment", "closed")


@dataclass
class DemoAwardsResult:
    signed: int = 0
    closed: int = 0
    sent: int = 0
    drafts: int = 0
    without: int = 0
    amount: Decimal = Decimal(0)


def remove_demo_awards(application_ids: list[int]) -> None:
    """Remove the agreements of these applications and all that hangs on them (they protect
    the applications and decisions), with their stored files."""
    agreements = Agreement.objects.filter(application_id__in=application_ids)
    names = [n for n in agreements.values_list("signed_copy", flat=True) if n]
    reports = Report.objects.filter(agreement__in=agreements)
    names += [n for n in reports.values_list("file", flat=True) if n]
    requests = PaymentRequest.objects.filter(tranche__agreement__in=agreements)
    names += [n for n in requests.values_list("proofs__file", flat=True) if n]
    requests.delete()
    Recovery.objects.filter(agreement__in=agreements).delete()
    agreements.delete()
    for name in names:
        default_storage.delete(name)


def _history(application: Application, decision: Decision, staff: User) -> Agreement:
    """A signed agreement written as the record of what happened after ``decision``."""
    decided = decision.confirmed_at or decision.proposed_at
    requirement = spend_requirement_of(application.call)
    agreement = Agreement.objects.create(
        application=application,
        decision=decision,
        amount=decision.amount,
        spend_ratio=requirement.ratio,
        spend_floor=requirement.floor,
        spend_territories=default_spend_territories(),
        language=agreement_language(application, decision),
        status=(
            AgreementStatus.CLOSED if application.state == "closed" else AgreementStatus.SIGNED
        ),
        sent_at=decided + dt.timedelta(days=10),
        sent_by=staff,
        signed_copy_name=f"convention-{application.reference}-signee.pdf",
        signed_copy_scan_status=ScanStatus.CLEAN,
        signed_copy_uploaded_by=application.lead,
        signed_at=decided + dt.timedelta(days=24),
        created_by=staff,
    )
    data = tiny_pdf(f"Convention {application.reference} - signee")
    agreement.signed_copy.save("signed", ContentFile(data), save=False)
    agreement.signed_copy_size = len(data)
    agreement.save()
    schedule = schedule_of(application.call.fund)
    amounts = rules.tranche_amounts(agreement.amount, [share for _label, share in schedule])
    Tranche.objects.bulk_create(
        Tranche(agreement=agreement, position=i, label=label, share=share, amount=amount)
        for i, ((label, share), amount) in enumerate(zip(schedule, amounts, strict=True))
    )
    parts = cofunders_for(application)
    if parts:
        computed = rules.cofunder_shares(
            agreement.amount, [(p.cofunder.name, p.share_percent, p.remaining) for p in parts]
        )
        CoFunderShare.objects.bulk_create(
            CoFunderShare(
                agreement=agreement,
                cofunder=p.cofunder,
                name=p.cofunder.name,
                amount=computed[p.cofunder.name],
            )
            for p in parts
            if computed[p.cofunder.name] > 0
        )
    return agreement


def _letter_sent(decision: Decision) -> bool:
    try:
        return bool(decision.letter.status == LetterStatus.SENT)
    except Letter.DoesNotExist:
        return False


def seed_demo_agreements(call: Call) -> DemoAwardsResult:
    """The agreements of ``call``'s confirmed awards (see the module's docstring)."""
    result = DemoAwardsResult()
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if staff is None:
        return result
    decisions = (
        Decision.objects.filter(
            application__call=call,
            status=DecisionStatus.CONFIRMED,
            outcome=Outcome.AWARD,
            application__state__in=("awarded", *SIGNED_STATES),
        )
        .select_related("application__call__fund", "application__lead", "letter")
        .order_by("application__reference")
    )
    waiting: list[Application] = []
    for decision in decisions:
        application = decision.application
        if Agreement.objects.filter(application=application).exists():
            continue
        if application.state in SIGNED_STATES:
            agreement = _history(application, decision, staff)
            result.signed += 1
            result.closed += agreement.status == AgreementStatus.CLOSED
            result.amount += agreement.amount
        elif _letter_sent(decision):
            waiting.append(application)
        else:
            result.without += 1
    # The latest one stays a draft for the staff to read and send.
    for position, application in enumerate(waiting, start=1):
        agreement = services_agreements.generate_agreement(application=application, by=staff)
        result.amount += agreement.amount
        if position == len(waiting):
            result.drafts += 1
            continue
        services_agreements.send_agreement(agreement=agreement, by=staff)
        result.sent += 1
    return result
