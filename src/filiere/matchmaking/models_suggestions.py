"""Suggestions computed in the background: one run per post ("who could answer it") and one per
member ("For you": the needs and calls they could answer), stored for the pages to read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionRun(models.Model):
    """The latest suggestions of a post or of a member, computed by a task (``tasks.py``).

    ``fingerprint`` names the data the scores were (or are being) computed from: when the post
    or the profiles change it no longer matches, and the page asks for a new run. ``result``
    holds the scores and reasons' codes, never what a reader may see: each page filters them
    for its reader."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    post = models.OneToOneField(
        "matchmaking.Post",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suggestion_run",
    )
    # "For you": the needs and calls this member could answer.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Post: [[key, score, shared, related, words, same_territory], ...];
    # member: {"needs": [...], "calls": [...]} in the same form.
    result = models.JSONField(null=True, blank=True)
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("suggestions run")
        verbose_name_plural = _("suggestions runs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=True, user__isnull=False)
                | models.Q(post__isnull=False, user__isnull=True),
                name="suggestion_run_for_a_post_or_a_member",
            ),
        ]

    def __str__(self) -> str:
        subject = f"post {self.post_id}" if self.post_id else f"member {self.user_id}"
        return f"suggestions of {subject} ({self.status})"
