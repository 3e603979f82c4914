"""The showcase of funded works: one public page per funded project, written by its team and
published once the call's staff approve it.

An ``Entry`` holds two versions: the team's draft (``title``, ``summary``, ``links``,
``credit``; images ``in_draft``) and the published one (``published_*``; images
``in_published``), copied from the draft when the staff approve it. A later edit of a published
entry goes back for approval while the published version stays visible; the team's withdrawal
takes it down at once. Genre, year, territory, team, award and project status are never typed
by the team: they are read from the application, its organisations and its agreement.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from filiere.calls.models import ScanStatus


class EntryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("showcase", "Draft")
    SUBMITTED = "submitted", _("Awaiting approval")
    PUBLISHED = "published", pgettext_lazy("showcase", "Published")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Entry(models.Model):
    application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="showcase_entry",
    )
    # The public address: the application's reference, lower case (stable, never the title).
    slug = models.SlugField(_("address"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DRAFT
    )
    # Each save of the draft counts: the staff approve the version they read.
    version = models.PositiveIntegerField(default=1)
    # The team's draft.
    title = models.CharField(_("public title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=3000)
    links = models.JSONField(_("links"), default=list, blank=True)
    credit = models.CharField(_("credit line"), max_length=300, blank=True)
    # The published version (empty until the first approval, emptied by a withdrawal).
    published_title = models.CharField(max_length=200, blank=True)
    published_summary = models.TextField(max_length=3000, blank=True)
    published_links = models.JSONField(default=list, blank=True)
    published_credit = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The staff's last answer.
    changes_reason = models.TextField(_("changes requested"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("showcase entry")
        verbose_name_plural = _("showcase entries")

    def __str__(self) -> str:
        return self.slug

    @property
    def is_public(self) -> bool:
        return self.published_at is not None


def _stored_path(instance: models.Model, filename: str) -> str:
    # Never the user's file name: a random name in the app's folder.
    return f"showcase/{secrets.token_hex(16)}"


class Image(models.Model):
    """An image of an entry, re-encoded on upload (no metadata) and served only once the
    antivirus says ``clean``."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="images")
    file = models.FileField(upload_to=_stored_path, max_length=200)
    alt = models.CharField(_("text alternative"), max_length=300)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)  # of the uploaded bytes, before re-encoding
    scan_status = models.CharField(
        max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    position = models.PositiveSmallIntegerField(default=0)
    in_draft = models.BooleanField(default=True)
    in_published = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("showcase image")
        verbose_name_plural = _("showcase images")

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.pk}"
