"""The follow-up's codes in words: the refusals of payments, the spend ledger, reports and
declared aids (``awards.payment.``, ``awards.spend.``, ``awards.report.``, ``awards.aid.``,
registered by ``apps.py``), and the engine's regional-spend steps (``engine.awards.STEP_*``)
as sentences with their figures."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filiere import errors
from filiere.calls.phrases import format_money, format_percent
from filiere.engine import awards as rules

PREFIXES = ("awards.payment.", "awards.spend.", "awards.report.", "awards.aid.")

REFUSALS: dict[str, Promise] = {
    # payments
    "awards.payment.not_beneficiary": gettext_lazy(
        "Only the beneficiary's team asks for a payment."
    ),
    "awards.payment.not_staff": gettext_lazy("Only the call's staff decide on payments."),
    "awards.payment.not_signed": gettext_lazy(
        "Payments are asked for once the agreement is signed."
    ),
    "awards.payment.closed": gettext_lazy("This agreement is closed: nothing more is paid."),
    "awards.payment.tranche_not_open": gettext_lazy(
        "This tranche has already been asked for or paid."
    ),
    "awards.payment.previous_unpaid": gettext_lazy(
        "The tranches before this one must be paid first."
    ),
    "awards.payment.report_missing": gettext_lazy(
        "Submit the %(report)s before asking for this tranche."
    ),
    "awards.payment.proofs_missing": gettext_lazy("Attach at least one proof."),
    "awards.payment.too_many_proofs": gettext_lazy("Attach at most %(maximum)s files."),
    "awards.payment.not_pending": gettext_lazy("This payment request is not awaiting approval."),
    "awards.payment.own_request": gettext_lazy("Nobody approves a payment they asked for."),
    "awards.payment.already_approved": gettext_lazy(
        "You have already approved this payment: a second person must approve it."
    ),
    "awards.payment.proofs_not_clean": gettext_lazy(
        "The antivirus has not found every proof clean yet: it cannot be approved."
    ),
    "awards.payment.not_approved": gettext_lazy("This payment has not received its two approvals."),
    "awards.payment.paid_on_invalid": gettext_lazy(
        "The payment date cannot be in the future nor before the request."
    ),
    "awards.payment.reason_missing": gettext_lazy("Give the reason for the refusal."),
    # spend
    "awards.spend.not_beneficiary": gettext_lazy("Only the beneficiary's team declares invoices."),
    "awards.spend.not_signed": gettext_lazy("Invoices are declared once the agreement is signed."),
    "awards.spend.locked": gettext_lazy(
        "The final tranche has been asked for: the invoices can no longer change."
    ),
    "awards.spend.supplier_id_invalid": gettext_lazy(
        "Give a valid SIRET (14 digits) or Belgian enterprise number (10 digits)."
    ),
    "awards.spend.place_missing": gettext_lazy(
        "Give the supplier's commune, its Belgian region, or say it is elsewhere."
    ),
    "awards.spend.one_place": gettext_lazy("Give a commune or a Belgian region, not both."),
    "awards.spend.region_needs_bce": gettext_lazy(
        "A supplier in a Belgian region is identified by its enterprise number (BCE/KBO)."
    ),
    "awards.spend.commune_needs_siret": gettext_lazy(
        "A supplier in a French commune is identified by its SIRET."
    ),
    "awards.spend.amount_not_positive": gettext_lazy("The amount must be above zero."),
    "awards.spend.supplier_missing": gettext_lazy("Give the supplier's name."),
    "awards.spend.not_declarant": gettext_lazy("This invoice is not on this agreement."),
    # reports
    "awards.report.not_beneficiary": gettext_lazy("Only the beneficiary's team submits reports."),
    "awards.report.not_staff": gettext_lazy("Only the call's staff accept reports."),
    "awards.report.not_signed": gettext_lazy("Reports are due once the agreement is signed."),
    "awards.report.already_accepted": gettext_lazy("This report has already been accepted."),
    "awards.report.not_submitted": gettext_lazy("This report has not been submitted."),
    "awards.report.not_clean": gettext_lazy(
        "The antivirus has not found the report's file clean: it cannot be accepted."
    ),
    "awards.report.closed": gettext_lazy("This agreement is closed."),
    "awards.report.final_not_accepted": gettext_lazy(
        "The project closes once its final report is accepted."
    ),
    "awards.report.final_unpaid": gettext_lazy(
        "The project closes once its final tranche is paid (or every tranche is settled)."
    ),
    "awards.report.not_in_payment": gettext_lazy(
        "The project closes once its payments have started."
    ),
    "awards.report.recovery_invalid": gettext_lazy(
        "The amount to recover must be above zero and at most what was paid (%(paid)s €)."
    ),
    "awards.report.reason_missing": gettext_lazy("Give the reason."),
    "awards.report.due_in_past": gettext_lazy("The new due date cannot be in the past."),
    "awards.report.due_unchanged": gettext_lazy("This is already the report's due date."),
    # declared aids
    "awards.aid.not_member": gettext_lazy(
        "Only the application's team declares its company's aids."
    ),
    "awards.aid.amount_not_positive": gettext_lazy("The amount must be above zero."),
    "awards.aid.granter_missing": gettext_lazy("Say who granted the aid."),
    "awards.aid.date_invalid": gettext_lazy("The date of the aid cannot be in the future."),
}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text).replace("%%", "%")


def register() -> None:
    """Let ``filiere.errors`` say the follow-up's codes (called by ``apps.ready``)."""
    for prefix in PREFIXES:
        errors.register(prefix, refusal)


def _percent(value: Decimal) -> str:
    return format_percent(value * 100)


def spend_steps(outcome: rules.SpendOutcome, rule: rules.SpendRule) -> list[str]:
    """The computation of ``outcome``, step by step, in the reader's language."""
    money = {
        "award": outcome.award,
        "declared": outcome.declared_spend,
        "eligible": outcome.eligible_spend,
        "floor": rule.floor,
        "required": outcome.required,
        "from_ratio": (outcome.award * rule.required_ratio).quantize(
            Decimal("0.01"), rounding=ROUND_CEILING
        ),
        "shortfall": outcome.shortfall,
        "computed": outcome.computed_reduction,
        "reduction": outcome.award_reduction,
        "final_before": outcome.final_tranche_before,
        "final": outcome.final_tranche,
    }
    figures: dict[str, str] = {key: format_money(value) for key, value in money.items()}
    figures["percent"] = _percent(rule.required_ratio)
    figures["ratio"] = _percent(outcome.ratio)
    texts = {
        rules.STEP_ELIGIBLE_SUMMED: _(
            "Invoices paid to suppliers in the eligible territories: %(eligible)s "
            "(of %(declared)s declared), that is %(ratio)s of the award."
        ),
        rules.STEP_REQUIRED_FROM_RATIO: _(
            "Required: %(percent)s of the award of %(award)s = %(from_ratio)s."
        ),
        rules.STEP_REQUIRED_FROM_FLOOR: _(
            "The agreement's floor of %(floor)s is higher: it is the requirement."
        ),
        rules.STEP_MET: _(
            "%(eligible)s reaches the %(required)s required: the final tranche is paid in full."
        ),
        rules.STEP_MISSED: _(
            "%(eligible)s is below the %(required)s required: %(shortfall)s is missing."
        ),
        rules.STEP_REDUCED_PROPORTIONALLY: _(
            "The award is reduced in proportion: %(award)s × %(shortfall)s ÷ %(required)s "
            "= %(computed)s."
        ),
        rules.STEP_NO_REDUCTION_RULE: _(
            "The agreement reduces nothing when the requirement is missed."
        ),
        rules.STEP_CAPPED: _(
            "Only the final tranche is reduced: the reduction is capped at its %(final_before)s."
        ),
        rules.STEP_FINAL_REDUCED: _("Final tranche: %(final_before)s − %(reduction)s = %(final)s."),
    }
    return [texts[step] % figures if step in texts else step for step in outcome.steps]
