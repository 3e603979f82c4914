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
