"""The e-mail that confirms a deletion, sent to the address the account had."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .services import Deletion


def account_deleted(deletion: Deletion) -> int:
    """Tell the old address that the account is gone and what was kept (after the commit)."""
    with translation.override(deletion.language):
        context = {"deletion": deletion}
        subject = render_to_string("privacy/email/deleted_subject.txt", context)
        body = render_to_string("privacy/email/deleted.txt", context)
    return send_mail(" ".join(subject.split()), body, None, [deletion.old_email])
