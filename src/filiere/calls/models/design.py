"""What staff design: funds, calls, their genres, stages, criteria, documents and questions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.community.models.reference import Labelled
from filiere.ui.translated import localized


class Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: Digits = {"max_digits": 12, "decimal_places": 2}


class ScanStatus(models.TextChoices):
    """The antivirus verdict of a stored file (rules PDF, message attachment); served only when
    ``clean`` (``calls.services.scanning``)."""

    PENDING = "pending", _("Waiting for the antivirus")
    CLEAN = "clean", _("Checked")
    INFECTED = "infected", _("Infected: blocked")
    ERROR = "error", _("Could not be checked: blocked")


class CodedLabel(Labelled):
    """A reference item of a call with a stable code and labels in three languages."""

    code = models.SlugField(_("code"), max_length=50, unique=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "code"]


class Genre(CodedLabel):
    """serious game, web documentary, animation series… (an editable list)."""

    # What a team making a work of this genre needs, in the one skills vocabulary: "find
    # partners" shows the ones an application's team lacks.
    skills = models.ManyToManyField(
        "community.Skill", blank=True, related_name="genres", verbose_name=_("skills")
    )

    class Meta(CodedLabel.Meta):
        verbose_name = _("genre")
        verbose_name_plural = _("genres")


class Stage(CodedLabel):
    """writing, development, production…"""

    class Meta(CodedLabel.Meta):
        verbose_name = _("stage")
        verbose_name_plural = _("stages")


class DocumentType(CodedLabel):
    """synopsis, treatment, budget, Kbis/BCE extract, game design document…"""

    class Meta(CodedLabel.Meta):
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class Fund(models.Model):
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class CallQuerySet(models.QuerySet["Call"]):
    def published(self) -> CallQuerySet:
        return self.filter(published=True)

    def open_at(self, moment: datetime) -> CallQuerySet:
        return self.published().filter(opens_at__lte=moment, closes_at__gt=moment)


class Call(models.Model):
    class Phase(models.TextChoices):
        UPCOMING = "upcoming", _("Upcoming")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="calls")
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=12,
        help_text=_("Starts every application reference of this call, e.g. EI2009."),
    )
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200, blank=True)
    summary_fr = models.TextField(_("summary (French)"), max_length=1000)
    summary_en = models.TextField(_("summary (English)"), max_length=1000, blank=True)
    summary_nl = models.TextField(_("summary (Dutch)"), max_length=1000, blank=True)
    rules_fr = models.TextField(_("rules (French)"), blank=True)
    rules_en = models.TextField(_("rules (English)"), blank=True)
    rules_nl = models.TextField(_("rules (Dutch)"), blank=True)
    rules_pdf = models.FileField(_("rules (PDF)"), upload_to="calls/rules/", blank=True)
    rules_pdf_sha256 = models.CharField(max_length=64, blank=True)
    # Offered for download only once the antivirus said clean.
    rules_pdf_scan_status = models.CharField(
        max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )

    genres = models.ManyToManyField(Genre, verbose_name=_("genres"), related_name="calls")
    stages = models.ManyToManyField(Stage, verbose_name=_("stages"), related_name="calls")

    envelope = models.DecimalField(_("envelope (EUR)"), **MONEY)
    ceiling_amount = models.DecimalField(
        _("ceiling per project (EUR)"), **MONEY, null=True, blank=True
    )
    ceiling_percent = models.DecimalField(
        _("ceiling per project (% of the project budget)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    published = models.BooleanField(_("published"), default=False)
    # Eligibility rules as data, evaluated by filiere.engine.eligibility (see docs).
    eligibility_rules = models.JSONField(_("eligibility rules"), default=list, blank=True)
    cloned_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="clones"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for projects")
        verbose_name_plural = _("calls for projects")
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="call_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=models.Q(envelope__gt=0), name="call_envelope_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def rules(self) -> str:
        return localized(self, "rules")

    def phase(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Phase.UPCOMING
        if now < self.closes_at:
            return self.Phase.OPEN
        return self.Phase.CLOSED


class CoFunder(models.Model):
    """A partner putting money in the call; its share may be limited to some projects."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="cofunders")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.ForeignKey(
        "community.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    amount = models.DecimalField(_("share (EUR)"), **MONEY)
    eligible_partner_territories = models.JSONField(
        _("only for projects with a partner in these territories"),
        default=list,
        blank=True,
        help_text=_("Territory codes, e.g. wallonia; empty: any project."),
    )

    class Meta:
        verbose_name = _("co-funder")
        verbose_name_plural = _("co-funders")

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """An evaluation criterion with its weight (the default grid: docs/domain.md)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    code = models.SlugField(_("code"), max_length=50)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    label_nl = models.CharField(_("label (Dutch)"), max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="criterion_code_unique_per_call")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")


class DocumentRequirement(models.Model):
    """A document the applicant must (or may) provide, possibly only for one stage or genre."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="document_requirements")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.CASCADE)
    genre = models.ForeignKey(Genre, null=True, blank=True, on_delete=models.CASCADE)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")

    def __str__(self) -> str:
        return str(self.document_type)

    def applies_to(self, *, stage_id: int | None, genre_id: int | None) -> bool:
        return (self.stage_id in (None, stage_id)) and (self.genre_id in (None, genre_id))


class Question(models.Model):
    """An extra question of the call's form (the form builder)."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        MONEY = "money", _("Amount in euros")
        DATE = "date", _("Date")
        CHOICE = "choice", _("One choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Several choices")
        YES_NO = "yes_no", _("Yes / no")
        FILE = "file", _("File")
        URL = "url", _("Web address")
        GROUP = "group", _("Repeatable group")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="questions")
    group = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        limit_choices_to={"kind": "group"},
    )
    section = models.CharField(_("section / step"), max_length=120, blank=True)
    code = models.SlugField(_("code"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    label_fr = models.CharField(_("question (French)"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    label_nl = models.CharField(_("question (Dutch)"), max_length=300, blank=True)
    help_fr = models.CharField(_("help (French)"), max_length=500, blank=True)
    help_en = models.CharField(_("help (English)"), max_length=500, blank=True)
    help_nl = models.CharField(_("help (Dutch)"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    min_length = models.PositiveIntegerField(_("minimum length"), null=True, blank=True)
    max_length = models.PositiveIntegerField(_("maximum length"), null=True, blank=True)
    # [{"value": "vr", "label_fr": "...", "label_en": "...", "label_nl": "..."}]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # Show this question only when another answers a value: {"question": "code", "equals": "x"}.
    condition = models.JSONField(_("display condition"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="question_code_unique_per_call")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def help(self) -> str:
        return localized(self, "help")
