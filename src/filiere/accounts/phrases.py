"""The sentences of the accounts services' refusals (``filiere.errors`` codes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

REFUSALS = {
    "accounts.admin_only": _("You are not allowed to do this."),
    "accounts.not_token_owner": _("You are not allowed to do this."),
    "accounts.reason_missing": _("Give a reason: it is kept in the audit log."),
    "accounts.scope_unknown": _("A role cannot be scoped to this kind of object."),
    "accounts.role_unknown": _("Unknown role."),
    "accounts.admin_role_scoped": _(
        "The administrator role is for the whole platform, not one scope."
    ),
    "accounts.last_admin": _(
        "This is the last administrator: grant the role to someone else first."
    ),
    "accounts.language_unknown": _("Unknown language."),
    # API tokens that exist but may not be used now: the API answers with these codes as they are.
    "token_expired": _("This API token has expired: create a new one on your account page."),
    "second_factor_required": _(
        "Your roles require a second factor: activate an authenticator app on your account "
        "page before using an API token."
    ),
    "read_only_token": _("This API token is read-only: it cannot change anything."),
}

#: What ``AccountsConfig`` registers: its prefix and the token codes, whole.
PREFIXES = ("accounts.", "token_expired", "second_factor_required", "read_only_token")


def refusal(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The sentence of an accounts refusal (``filiere.errors`` calls this)."""
    return str(REFUSALS.get(code) or _("You are not allowed to do this."))
