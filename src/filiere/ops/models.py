"""What operations keep in the database: the e-mails that could not be sent.

Counted at scrape time (``/metrics``), so every process (web and worker) is counted once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailFailure(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    #: How many messages the failed sending held (a batch fails as a whole).
    messages = models.PositiveIntegerField(_("messages"), default=1)
    #: The error's class only: its text may hold the addresses that were refused.
    error = models.CharField(_("error"), max_length=200)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("failed e-mail")
        verbose_name_plural = _("failed e-mails")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.messages} {self.error}"
