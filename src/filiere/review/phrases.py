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
    # Assignment.
    "review.assignment.not_call_staff": gettext_lazy(
        "Only the staff of this call assign its experts."
    ),
    "review.assignment.mode_unknown": gettext_lazy("Choose optimal or fair."),
    "review.assignment.reviews_range": gettext_lazy(
        "Ask for between 1 and %(most)s reviews per application."
    ),
    "review.assignment.churn_range": gettext_lazy(
        "The cost of a change lies between 0 and %(most)s."
    ),
    "review.assignment.run_in_progress": gettext_lazy(
        "An assignment is already being computed for this call: wait until it is done."
    ),
    "review.assignment.failed": gettext_lazy(
        "The assignment could not be computed. The error was logged; try again later."
    ),
    "review.assignment.already_assigned": gettext_lazy(
        "This expert is already assigned to this application (or declined it)."
    ),
    "review.assignment.conflicted": gettext_lazy(
        "This expert has a conflict of interest with this application."
    ),
    "review.assignment.unavailable": gettext_lazy(
        "This expert did not say they are available for this call."
    ),
    "review.assignment.over_capacity": gettext_lazy(
        "This expert already has %(capacity)s applications of this call, their maximum."
    ),
    "review.assignment.swap_locked": gettext_lazy(
        "This pair is locked: unlock it before swapping its expert."
    ),
    "review.assignment.swap_published": gettext_lazy(
        "This pair is published: remove it, add the other expert, then publish."
    ),
    "review.assignment.swap_gone": gettext_lazy("This pair no longer exists."),
    "review.assignment.nothing_to_publish": gettext_lazy("There is no proposed pair to publish."),
    "review.assignment.not_yours": gettext_lazy("This assignment is not yours to answer."),
    "review.assignment.already_answered": gettext_lazy("You have already answered."),
    "review.assignment.conflict_on_accept": gettext_lazy(
        "A conflict of interest is declared only when declining."
    ),
    # Reviewing.
    "review.review.not_yours": gettext_lazy(
        "Only the expert who accepted this assignment writes its review."
    ),
    "review.review.not_call_staff": gettext_lazy("Only the staff of this call manage its reviews."),
    "review.review.stale_version": gettext_lazy(
        "Your review was saved elsewhere since you opened it (version %(current_version)s): "
        "your changes were not saved."
    ),
    "review.review.already_submitted": gettext_lazy(
        "This review has been submitted: ask the staff to reopen it to change it."
    ),
    "review.review.not_submitted": gettext_lazy("This review has not been submitted."),
    "review.review.recommendation_unknown": gettext_lazy("Choose one of the recommendations."),
    "review.review.scores_missing": gettext_lazy(
        "Score every criterion before submitting (%(count)s left)."
    ),
    "review.review.opinion_missing": gettext_lazy(
        "Write your opinion for the applicant before submitting."
    ),
    "review.review.recommendation_missing": gettext_lazy(
        "Choose a recommendation before submitting."
    ),
    "review.review.scale_range": gettext_lazy("The highest score lies between 1 and %(most)s."),
    "review.review.visibility_unknown": gettext_lazy(
        "Choose when an expert sees the other reviews."
    ),
    # Bidding and reminders.
    "review.bid.not_in_pool": gettext_lazy("Only the experts of this call's pool bid on it."),
    "review.bid.unknown": gettext_lazy("Choose one of the bids."),
    "review.bid.closed": gettext_lazy(
        "The bidding of this call is closed: your assignments have been published."
    ),
    "review.bid.conflicted": gettext_lazy("You have a conflict of interest with this application."),
    "review.reminders.not_call_staff": gettext_lazy(
        "Only the staff of this call remind its experts."
    ),
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
    if source == "expert" and not party:
        # About one application: the expert declined its assignment with this conflict.
        return _("Declared by the expert (%(kind)s) about this application: “%(reason)s”") % values
    if source == "expert":
        return _("Declared by the expert (%(kind)s) about %(party)s: “%(reason)s”") % values
    if source == "applicant":
        return _("Requested by the applicant (%(kind)s), naming %(party)s: “%(reason)s”") % values
    return _("Added by the staff (%(kind)s): “%(reason)s”") % values


# --- Why the engine found no assignment (engine codes) ------------------------------------------


def assignment_issue(code: str, params: Mapping[str, Any]) -> str:
    """One issue of the engine's diagnosis, its ids already turned into references and names
    by the selector (``application``, ``expert``, ``applications``, ``experts``)."""
    if code == "nothing_to_assign":
        return _(
            "There is nothing to assign: no submitted application, or no expert of the pool "
            "said they are available for this call."
        )
    if code == "too_few_eligible_experts":
        return _(
            "%(application)s needs %(needed)s reviewers but only %(eligible)s available experts "
            "have no conflict with it."
        ) % dict(params)
    if code == "capacity_short":
        return _(
            "The available experts can read %(capacity)s applications in all, %(demand)s "
            "reviews are needed: %(missing)s are missing. Ask more experts, or for fewer reviews."
        ) % dict(params)
    if code == "group_capacity_short":
        return _(
            "%(applications)s and others (%(proposal_count)s applications) need %(demand)s "
            "reviews but their eligible experts can give only %(capacity)s."
        ) % dict(params)
    if code == "forced_exceeds_max_load":
        return _(
            "%(expert)s keeps %(forced)s published or locked applications, more than their "
            "maximum (%(max_load)s)."
        ) % dict(params)
    if code == "forced_exceeds_reviews":
        return _(
            "%(application)s keeps %(forced)s published or locked experts, more than the "
            "%(reviews)s reviews asked."
        ) % dict(params)
    return _("No assignment exists (%(code)s).") % {"code": code}
