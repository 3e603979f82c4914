"""An e-mail backend that records the sendings that fail, around the real one.

``EMAIL_BACKEND`` names this class and ``FILIERE_EMAIL_BACKEND`` the backend that sends (SMTP in
production). Every app sends through Django's mail API, so every failure, in a page or in the
worker, is recorded here without a change to the apps: one ``MailFailure`` row (counted by
``/metrics``) and one error log line with the request id. The caller then gets the error as
before (or nothing, with ``fail_silently``).

A failure inside a transaction that is then rolled back loses its row with the rest (the log
line stays); the apps send after their transactions commit, so that is rare.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.db import DatabaseError

from filiere.audit.context import current_request_id

from .models import MailFailure

logger = logging.getLogger("filiere.mail")


class RecordingEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        # The real backend raises, so that this one sees every failure.
        self.inner = get_connection(settings.FILIERE_EMAIL_BACKEND, fail_silently=False, **kwargs)

    def open(self) -> bool | None:
        # Nothing to open yet: the real backend opens its connection inside send_messages
        # (SMTP does), so that a refused connection is a failed sending, counted with its
        # messages, even under ``with get_connection() as connection:``.
        return None

    def close(self) -> None:
        try:
            self.inner.close()
        except Exception:
            if not self.fail_silently:
                raise

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        try:
            return self.inner.send_messages(email_messages) or 0
        except Exception as error:
            record_failure(error, messages=len(email_messages))
            if not self.fail_silently:
                raise
            return 0


def record_failure(error: Exception, *, messages: int) -> None:
    name = type(error).__name__
    # The class only: an SMTP refusal's text lists the addresses it refused.
    logger.error("E-mail could not be sent (%s, %d message(s))", name, messages)
    try:
        MailFailure.objects.create(
            messages=messages, error=name[:200], request_id=current_request_id.get()
        )
    except DatabaseError:
        logger.exception("The failed e-mail could not be recorded")
