"""The review app's codes turned into sentences: its services' refusals (registered for the
``review.`` prefix in ``apps.py``) and the engine's conflict reasons, in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REFUSALS: dict[str, Promise] = {
    "review.not_pool_staff": gettext_lazy("Only the staff of this fund manage its experts."),
    "review.not_call_staff": gettext_lazy("Only the staff of this call manage its conflicts."),
    "review.reason_missing": gettext_lazy("Give a reason: it is kept in the audit log."),
    "review.already_in_pool": gettext_lazy(
        "%(email)s is already in this fund's pool (or invited to it)."
    ),
    "review.person_without_account": gettext_lazy(
        "This person has no account on the platform: invite them by e-mail."
    ),
    "review.invitation_unknown": gettext_lazy(
        "This invitation does not exist or has been withdrawn."
    ),
    "review.invitation_used": gettext_lazy("This invitation has already been accepted."),
    "review.invitation_other_address": gettext_lazy(
        "This invitation was sent to %(email)s: sign in with that address (or add it to your "
        "account and confirm it) to accept it."
    ),
    "review.expert_not_in_pool": gettext_lazy("This expert is not in the pool of this fund."),
    "review.already_left": gettext_lazy("This expert has already left the pool."),
    "review.call_not_current": gettext_lazy(
        "Availability can only be given for a current call of one of your funds."
    ),
    "review.kind_unknown": gettext_lazy("Choose the type of conflict."),
    "review.party_missing": gettext_lazy("Choose a person or an organisation of the directory."),
    "review.application_not_in_call": gettext_lazy("This application is not one of this call."),
    "review.not_expert": gettext_lazy("Only the experts of a fund's pool declare conflicts."),
    "review.own_application": gettext_lazy("You cannot name yourself."),
    "review.not_declarant": gettext_lazy("Only who made this declaration may withdraw it."),
}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for a ``review.`` code (``errors.register`` calls this)."""
    text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text)


# --- Conflict reasons (engine codes) -----------------------------------------------------------


def conflict_reason(reason: str, params: Mapping[str, str]) -> str:
    """One computed reason of :class:`filiere.engine.conflicts.ConflictReason`, with its
    parameters already turned into names by the selector (``organisation``, ``person``,
    ``project``, ``ended_on``, ``years``)."""
    if reason == "same_organisation":
        return _(
            "Works, or worked recently, for the applicant organisation (%(organisation)s)."
        ) % {"organisation": params.get("organisation", "")}
    if reason == "partner_organisation":
        return _("Works, or worked recently, for a partner organisation (%(organisation)s).") % {
            "organisation": params.get("organisation", "")
        }
    if reason == "team_member":
        return _("Is on the application's team.")
    if reason == "past_collaboration":
        if params.get("ended_on") == "running":
            return _("Works with %(person)s on the funded project %(project)s.") % {
                "person": params.get("person", ""),
                "project": params.get("project", ""),
            }
        return _(
            "Worked with %(person)s on the funded project %(project)s, which ended on "
            "%(ended_on)s (less than %(years)s years ago)."
        ) % {
            "person": params.get("person", ""),
            "project": params.get("project", ""),
            "ended_on": params.get("ended_on", ""),
            "years": params.get("years", ""),
        }
    return _("Conflict of interest (%(code)s).") % {"code": reason}


def declared_reason(source: str, kind_label: str, party: str, reason: str) -> str:
    """A declared conflict: who declared it, its type, about whom, and why."""
    values = {"kind": kind_label, "party": party, "reason": reason}
    if source == "expert":
        return _("Declared by the expert (%(kind)s) about %(party)s: “%(reason)s”") % values
    if source == "applicant":
        return _("Requested by the applicant (%(kind)s), naming %(party)s: “%(reason)s”") % values
    return _("Added by the staff (%(kind)s): “%(reason)s”") % values
