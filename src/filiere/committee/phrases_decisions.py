"""Sentences of the decisions and letters (see ``phrases.py``): the refusals of
``services_decisions``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REFUSALS: dict[str, Promise] = {
    "committee.decision.not_in_committee": _(
        "A decision is recorded only for an application before the committee."
    ),
    "committee.decision.outcome_unknown": _("Choose award, reject or defer."),
    "committee.decision.amount_missing": _("An award needs an amount above zero."),
    "committee.decision.amount_above_request": _(
        "The amount awarded may not exceed the amount requested (%(requested)s)."
    ),
    "committee.decision.amount_above_ceiling": _(
        "The amount awarded may not exceed the call's ceiling (%(ceiling)s)."
    ),
    "committee.decision.amount_not_zero": _("Only an award has an amount: leave it at zero."),
    "committee.decision.reason_missing": _(
        "Give the reasons: the grounds of a rejection, or what to improve before the next session."
    ),
    "committee.decision.not_on_agenda": _("This application is not on the session's agenda."),
    "committee.decision.quorum_not_reached": _(
        "The quorum is not reached: %(voted)s of the %(quorum)s votes needed were cast on this "
        "application."
    ),
    "committee.decision.already_proposed": _(
        "A decision on this application already awaits its second signature."
    ),
    "committee.decision.not_proposed": _(
        "This decision no longer awaits a signature (it was confirmed or cancelled)."
    ),
    "committee.decision.same_person": _(
        "The second signature must come from another person than the one who proposed it."
    ),
    "committee.letter.sent": _("This letter has been sent: it can no longer be changed."),
    "committee.letter.stale": _(
        "Someone changed this letter while you were editing it: read the current text and make "
        "your changes again."
    ),
    "committee.letter.nothing_to_send": _("The outbox is empty: there is no letter to send."),
}
