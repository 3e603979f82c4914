"""The sentences of the privacy services' refusals (``filiere.errors`` codes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

PREFIX = "privacy."

REFUSALS = {
    "privacy.not_yourself": _("You may only do this for your own account."),
    "privacy.holds_staff_role": _(
        "Your account holds a staff or administrator role: ask an administrator to revoke it "
        "before deleting your account."
    ),
    "privacy.leads_application_in_progress": _(
        "You lead an application that is being processed (%(references)s): it must reach its "
        "end (decision, withdrawal) before your account can be deleted."
    ),
    "privacy.leads_shared_draft": _(
        "You lead a draft application with other team members (%(references)s): withdraw it "
        "or ask the staff to help before deleting your account."
    ),
    "privacy.already_deleted": _("This account has already been deleted."),
    "privacy.export_too_large": _(
        "Your data is too large to be exported at once: please contact the staff."
    ),
}


def refusal(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence of a privacy refusal (``filiere.errors`` calls this)."""
    sentence = str(REFUSALS.get(code) or _("You are not allowed to do this."))
    try:
        return sentence % dict(params or {}) if "%(" in sentence else sentence
    except (KeyError, TypeError, ValueError):
        return sentence
