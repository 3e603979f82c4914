"""The offers and needs board: what a member (or their organisation) offers or looks for,
described with the skills vocabulary, published after staff moderation, until it expires."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PostKind(models.TextChoices):
    NEED = "need", _("Need")
    OFFER = "offer", _("Offer")


class PostStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Refused by the moderators")
    WITHDRAWN = "withdrawn", _("Withdrawn by its author")


class Post(models.Model):
    """ "Looking for a sound designer for a serious game, Valenciennes, 3 months", or "our lab
    offers motion-capture days". Listed while published and not past ``expires_on``."""

    kind = models.CharField(_("kind"), max_length=5, choices=PostKind.choices)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=4000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="posts",
        verbose_name=_("author"),
    )
    # Posted for an organisation the author manages; None: for themselves.
    organisation = models.ForeignKey(
        "community.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("on behalf of"),
    )
    skills = models.ManyToManyField(
        "community.Skill", blank=True, related_name="posts", verbose_name=_("skills")
    )
    territory = models.ForeignKey(
        "community.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("territory"),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    # "3 months", "two days in March": said in the author's words.
    duration = models.CharField(_("duration"), max_length=60, blank=True)
    # The working language (a ``community.Language`` code).
    language = models.CharField(_("working language"), max_length=2, default="fr")
    expires_on = models.DateField(_("listed until"))
    status = models.CharField(
        _("status"), max_length=10, choices=PostStatus.choices, default=PostStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    # Shown to the author when the post is refused.
    moderation_reason = models.CharField(_("reason"), max_length=500, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("offer or need")
        verbose_name_plural = _("offers and needs")
        indexes = [models.Index(fields=["status", "kind", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="post_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DigestSent(models.Model):
    """One weekly digest e-mailed to a member ("calls you could answer", "needs matching my
    skills"): at most one per member and week, by the database; ``items`` names what it listed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The Monday of the week it belongs to.
    week = models.DateField(_("week of"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    # {"calls": [call ids], "needs": [post ids]}: what it listed, for the record.
    items = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-week", "-id"]
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_user_and_week")
        ]

    def __str__(self) -> str:
        return f"digest to {self.user_id}, week of {self.week}"


# Registered with Django through this module.
from .models_contacts import (  # noqa: E402
    Block,
    Introduction,
    IntroductionStatus,
    Report,
    ReportReason,
    ReportStatus,
)
from .models_suggestions import SuggestionRun  # noqa: E402

__all__ = [
    "Block",
    "DigestSent",
    "Introduction",
    "IntroductionStatus",
    "Post",
    "PostKind",
    "PostStatus",
    "Report",
    "ReportReason",
    "ReportStatus",
    "SuggestionRun",
]
