"""The awards app's codes in words: its services' refusals, registered for the ``awards.``
prefix in ``apps.py``, and the engine's codes (``engine.awards``) that the services pass on
as ``awards.engine.<code>``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REFUSALS: dict[str, Promise] = {
    "awards.not_staff": gettext_lazy("Only the call's staff manage its agreements."),
    "awards.not_beneficiary": gettext_lazy("Only the beneficiary's team may do this."),
    "awards.not_signer": gettext_lazy(
        "Only the lead applicant or the call's staff may upload the signed agreement."
    ),
    "awards.not_awarded": gettext_lazy(
        "An agreement is drawn up for an application whose award is recorded."
    ),
    "awards.no_award_decision": gettext_lazy(
        "This application has no confirmed award decision: record it before the agreement."
    ),
    "awards.agreement_exists": gettext_lazy("This application already has its agreement."),
    "awards.schedule.unknown_label": gettext_lazy(
        "The schedule of payments names a tranche that does not exist."
    ),
    "awards.schedule.not_100": gettext_lazy("The tranches' shares must add up to exactly 100 %%."),
    "awards.territory_unknown": gettext_lazy("One of the territories does not exist."),
    "awards.territories_missing": gettext_lazy(
        "Choose at least one territory where the regional spend counts."
    ),
    "awards.not_draft": gettext_lazy("This agreement has already been sent."),
    "awards.not_awaiting_signature": gettext_lazy("This agreement is not awaiting its signature."),
    "awards.signed_copy_missing": gettext_lazy("Upload the signed copy first."),
    "awards.signed_copy_not_clean": gettext_lazy(
        "The signed copy has not been found clean by the antivirus: it cannot be accepted."
    ),
    "awards.amendment.reason_missing": gettext_lazy("Give the reason for the amendment."),
    "awards.amendment.not_amendable": gettext_lazy(
        "Only a sent or signed agreement is amended (a draft is generated again)."
    ),
    "awards.amendment.amount_missing": gettext_lazy("The amount must be above zero."),
    "awards.amendment.above_decision": gettext_lazy(
        "The amount cannot exceed the amount decided (%(decided)s €)."
    ),
    "awards.amendment.ratio_negative": gettext_lazy("The regional-spend ratio cannot be negative."),
    "awards.amendment.floor_negative": gettext_lazy("The regional-spend floor cannot be negative."),
    "awards.amendment.no_change": gettext_lazy("Nothing was changed."),
    "awards.amendment.below_committed": gettext_lazy(
        "The amount cannot fall below what is already requested or paid (%(committed)s €)."
    ),
}

#: ``engine.awards``' codes, as ``awards.engine.<code>``.
ENGINE: dict[str, Promise] = {
    "shares_empty": gettext_lazy("The schedule of payments has no tranche."),
    "share_not_positive": gettext_lazy("Every tranche's share must be above zero."),
    "shares_not_100": gettext_lazy("The tranches' shares must add up to exactly 100 %%."),
    "share_negative": gettext_lazy("A co-funder's share cannot be negative."),
    "cofunder_shares_over_100": gettext_lazy(
        "The co-funders' shares of the envelope add up to more than 100 %%: check the call's "
        "co-funders."
    ),
    "cofunder_name_empty": gettext_lazy("A co-funder of the call has no name."),
    "cofunder_duplicate": gettext_lazy("Two co-funders of the call have the same name."),
    "amount_negative": gettext_lazy("An amount cannot be negative."),
    "amount_too_large": gettext_lazy("An amount is too large."),
    "amount_invalid": gettext_lazy("An amount is not a valid number of euros."),
    "amount_too_many_decimals": gettext_lazy("An amount has more than two decimals."),
    "number_invalid": gettext_lazy("A share is not a valid number."),
}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for an ``awards.`` code (``errors.register`` calls this)."""
    if code.startswith("awards.engine."):
        text = ENGINE.get(code.removeprefix("awards.engine."))
    else:
        text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text).replace("%%", "%")
