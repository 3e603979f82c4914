"""The awards app's codes in words: its services' refusals, registered for the ``awards.``
prefix in ``apps.py``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

REFUSALS: dict[str, Promise] = {
    "awards.not_staff": gettext_lazy("Only the call's staff manage its agreements."),
    "awards.not_beneficiary": gettext_lazy("Only the beneficiary's team may do this."),
}


def refusal(code: str, params: Mapping[str, Any]) -> str:
    """The sentence for an ``awards.`` code (``errors.register`` calls this)."""
    text = REFUSALS.get(code)
    if text is None:
        return _("This action was refused (%(code)s).") % {"code": code}
    return str(text) % dict(params) if params else str(text)
