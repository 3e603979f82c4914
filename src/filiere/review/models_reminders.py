"""Reminders of the review deadline sent to experts, one row per assignment and kind.

Imported by ``models.py`` so that Django finds these models in the review app."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    SEVEN_DAYS = "7d", _("7 days before the deadline")
    TWO_DAYS = "2d", _("2 days before the deadline")
    LATE = "late", _("After the deadline")
    # Sent when the staff press "remind the late experts now"; may repeat (a day apart).
    STAFF = "staff", _("Sent by the staff")


class ReviewReminder(models.Model):
    """A reminder about one accepted assignment whose review was not submitted. The automatic
    kinds go out at most once per assignment, by the database; the staff's may repeat."""

    assignment = models.ForeignKey(
        "review.Assignment", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=ReminderKind.choices)
    # Empty when recorded without an e-mail (a later, more urgent one went out instead).
    sent_to = models.EmailField(_("sent to"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("review reminder")
        verbose_name_plural = _("review reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "kind"],
                condition=~models.Q(kind="staff"),
                name="review_reminder_one_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.kind}"
