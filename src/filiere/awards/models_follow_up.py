"""The follow-up's own records beside the agreement's (``models`` imports them so that Django
finds them): the reminders of a report sent (once each kind, by the database), and the aids a
company declares for the de minimis check."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.calls.models.design import MONEY


class ReportReminderKind(models.TextChoices):
    DUE = "due", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ReportReminder(models.Model):
    """A reminder about a report not yet submitted: each kind goes out at most once per
    report, by the database (the run that inserted the row sends it)."""

    report = models.ForeignKey("awards.Report", on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("kind"), max_length=8, choices=ReportReminderKind.choices)
    sent_to = models.JSONField(_("sent to"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["report", "sent_at"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["report", "kind"], name="report_reminder_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"


class DeclaredAid(models.Model):
    """An aid a company says it received elsewhere (another funder, another programme), counted
    with the platform's awards in its de minimis total."""

    organisation = models.ForeignKey(
        "community.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    granter = models.CharField(_("granted by"), max_length=200)
    granted_on = models.DateField(_("granted on"))
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-granted_on", "pk"]
        verbose_name = _("declared aid")
        verbose_name_plural = _("declared aids")
        indexes = [models.Index(fields=["organisation", "granted_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="declared_aid_positive")
        ]

    def __str__(self) -> str:
        return f"{self.granter}: {self.amount}"
