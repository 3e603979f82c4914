"""Reviewing: each call's review settings (deadline, scale, what an expert sees of the other
reviews) and one review per accepted assignment.

Imported by ``models.py`` so that Django finds these models in the review app."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The widest scale a call may choose (0 to this).
MAX_SCALE = 10


class ReviewVisibility(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_OWN = "after_own", _("Once they have submitted their own")
    ALWAYS = "always", _("Always")


class Recommendation(models.TextChoices):
    # The committee's vocabulary: favourable / favourable with changes / unfavourable.
    FUND = "fund", _("Favourable: fund")
    FUND_WITH_CHANGES = "fund_with_changes", _("Favourable with changes")
    DO_NOT_FUND = "do_not_fund", _("Unfavourable: do not fund")


class ReviewSettings(models.Model):
    """How a call's applications are reviewed; a call without a row uses the defaults."""

    call = models.OneToOneField(
        "calls.Call", on_delete=models.CASCADE, related_name="review_settings"
    )
    deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SCALE)],
    )
    allow_na = models.BooleanField(_("“not applicable” allowed"), default=True)
    # What each level means, one line per level from 0 up ("0: absent", ...), shown on the form.
    guidance = models.TextField(_("guidance per level"), blank=True)
    visibility = models.CharField(
        _("other reviews shown to an expert"),
        max_length=10,
        choices=ReviewVisibility.choices,
        default=ReviewVisibility.AFTER_OWN,
    )

    class Meta:
        verbose_name = _("review settings")
        verbose_name_plural = _("review settings")

    def __str__(self) -> str:
        return f"{self.call_id}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Review(models.Model):
    """An expert's review of the application of one accepted assignment: a score per criterion
    of the call (criterion code → integer, or "na"), an opinion for the applicant, a note for the
    committee only and a recommendation. ``version`` moves on at each save (stale edits)."""

    assignment = models.OneToOneField(
        "review.Assignment", on_delete=models.CASCADE, related_name="review"
    )
    scores = models.JSONField(default=dict, blank=True)
    opinion = models.TextField(_("opinion for the applicant"), blank=True)
    confidential_note = models.TextField(_("confidential note for the committee"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=20, choices=Recommendation.choices, blank=True
    )
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    # The engine's weighted total (0-100) at submission; None while a draft or all n/a.
    total = models.FloatField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.assignment_id} ({self.status})"

    @property
    def submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED
