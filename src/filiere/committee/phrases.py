"""The committee app's codes turned into sentences: its services' refusals (registered for the
``committee.`` prefix in ``apps.py``) and the engine's selection reasons, in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import phrases_decisions, phrases_simulator

REFUSALS: dict[str, Promise] = {
    "committee.not_call_staff": gettext_lazy("Only the staff of this call run its committee."),
    "committee.reason_missing": gettext_lazy("Give a reason: it is kept in the audit log."),
    # Sessions, members, agenda, votes and notes (services_sessions).
    "committee.session.title_missing": gettext_lazy("Give the session a title."),
    "committee.session.quorum_range": gettext_lazy("The quorum is at least one member."),
    "committee.session.closed": gettext_lazy("This session is closed: nothing changes in it."),
    "committee.session.not_preparing": gettext_lazy("Only a session in preparation can be opened."),
    "committee.session.not_open": gettext_lazy("Only an open session can be closed."),
    "committee.member.already": gettext_lazy("%(email)s is already a member of this session."),
    "committee.member.gone": gettext_lazy("This person is no longer a member of this session."),
    "committee.agenda.nothing_chosen": gettext_lazy("Choose at least one application."),
    "committee.agenda.other_call": gettext_lazy(
        "%(reference)s is not an application of this session's call."
    ),
    "committee.agenda.already_on": gettext_lazy(
        "%(reference)s is already on this session's agenda."
    ),
    "committee.agenda.not_ready": gettext_lazy(
        "%(reference)s cannot go before the committee while it is “%(state)s”."
    ),
    "committee.agenda.has_votes": gettext_lazy(
        "Votes were recorded on this application: it stays on the agenda."
    ),
    "committee.vote.not_member": gettext_lazy("Only the members of this session vote."),
    "committee.vote.not_open": gettext_lazy("Votes are recorded only while the session is open."),
    "committee.vote.not_on_item": gettext_lazy(
        "You may not vote on this application (you are on its team or in a conflict of "
        "interest with it)."
    ),
    "committee.vote.choice_unknown": gettext_lazy("Choose one of the proposed votes."),
    "committee.notes.not_allowed": gettext_lazy(
        "Only the chair of the session and the staff of the call keep the notes."
    ),
    "committee.notes.stale_version": gettext_lazy(
        "The notes were saved by someone else since you opened this page. Your text was not "
        "saved: it is still in the form; the saved notes are shown above it."
    ),
}


# Each part of the app keeps its own sentences; one lookup says them all.
REFUSALS.update(phrases_simulator.REFUSALS)
REFUSALS.update(phrases_decisions.REFUSALS)


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for a ``committee.`` code (``errors.register`` calls this)."""
    text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text)
