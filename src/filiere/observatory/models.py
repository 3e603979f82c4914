"""The observatory's published figures: one snapshot per refresh.

A refresh (``services.request_refresh``, run by the background task) computes every figure
with the database's aggregations, suppresses the small counts, and stores the result as JSON
on a :class:`Snapshot`. The public page and the API read the latest finished snapshot only:
they never query the applications themselves.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # 0–100, with the code of the step under way (phrases.step_label says it in words).
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=40, blank=True)
    # The published figures (small counts already suppressed): see publication.py.
    figures = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # The "data as of" moment shown to the public: when the figures were read.
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("observatory snapshot")
        verbose_name_plural = _("observatory snapshots")
        indexes = [models.Index(fields=["status", "finished_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.status})"
