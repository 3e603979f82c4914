"""What the applying side records for itself: deadline reminders already sent."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application


class DeadlineReminder(models.Model):
    """One reminder of the deadline for one draft: at most one of each kind, by the database."""

    class Kind(models.TextChoices):
        SEVEN_DAYS = "7d", _("7 days before closing")
        TWO_DAYS = "48h", _("48 hours before closing")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="deadline_reminders"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    # Empty when the reminder was recorded without an e-mail (a later, more urgent one went out).
    recipients = models.JSONField(_("sent to"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], name="one_deadline_reminder_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"
