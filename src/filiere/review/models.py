"""The expert pool of each fund, the experts' expertise and availability, and conflicts of
interest declared by experts, applicants or the staff (the computed ones come from the engine)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.engine.conflicts import ConflictKind

#: The most applications an expert may say they can read for one call.
MAX_LOAD = 200


def new_token() -> str:
    return secrets.token_urlsafe(32)


class ExpertStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACTIVE = "active", _("Active")
    LEFT = "left", _("Left")


class Expert(models.Model):
    """A person in one fund's pool, reused by every call of the fund: invited (by e-mail or from
    the directory), active once they accepted, left when removed."""

    fund = models.ForeignKey(
        "calls.Fund", on_delete=models.CASCADE, related_name="experts", verbose_name=_("fund")
    )
    # Empty until an invitation by e-mail is accepted (the address may have no account yet).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="expert_memberships",
        verbose_name=_("account"),
    )
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExpertStatus.choices, default=ExpertStatus.INVITED
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["fund", "email"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "email"], name="expert_one_per_fund_address"),
            models.UniqueConstraint(
                fields=["fund", "user"],
                condition=models.Q(user__isnull=False),
                name="expert_one_per_fund_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.fund_id}, {self.status})"


class ExpertiseProfile(models.Model):
    """What an expert knows, kept once per account and read by every pool they are in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise"
    )
    professions = models.ManyToManyField(
        "community.Profession", blank=True, related_name="+", verbose_name=_("professions")
    )
    skills = models.ManyToManyField(
        "community.Skill", blank=True, related_name="+", verbose_name=_("skills")
    )
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    # Codes of community.Language ("fr", "nl"...).
    languages = models.JSONField(_("languages"), default=list, blank=True)
    about = models.TextField(_("about my expertise"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("expertise profile")
        verbose_name_plural = _("expertise profiles")

    def __str__(self) -> str:
        return str(self.user)


class PastWork(models.Model):
    """A work the expert made or took part in: what the affinity will read about them."""

    profile = models.ForeignKey(
        ExpertiseProfile, on_delete=models.CASCADE, related_name="past_works"
    )
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("past work")
        verbose_name_plural = _("past works")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Availability(models.Model):
    """Whether an expert of the pool reads for one call of the fund, and how many files at most."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="availabilities")
    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    available = models.BooleanField(_("available for this call"), default=True)
    max_load = models.PositiveSmallIntegerField(
        _("maximum number of applications"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LOAD)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.UniqueConstraint(fields=["expert", "call"], name="availability_one_per_call")
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} / {self.call_id}: {self.available} ({self.max_load})"


#: The engine's types of declared conflict, with their labels.
CONFLICT_KINDS = [
    (ConflictKind.COLLABORATOR.value, _("Collaborator or business partner")),
    (ConflictKind.FAMILY.value, _("Family or personal relation")),
    (ConflictKind.INSTITUTIONAL.value, _("Same institution or employer")),
    (ConflictKind.COMPETITOR.value, _("Competitor")),
    (ConflictKind.OTHER.value, _("Other")),
]


class DeclarationSource(models.TextChoices):
    EXPERT = "expert", _("Declared by the expert")
    APPLICANT = "applicant", _("Requested by the applicant")
    STAFF = "staff", _("Added by the staff")


class Declaration(models.Model):
    """A conflict of interest stated by a person, with its type and reason.

    - by an expert (``expert_user``) about an organisation or a person of the directory: it holds
      for every application where that organisation applies or is a partner, or where that person
      is on the team;
    - by an expert about one ``application`` (declining an assignment with a conflict): it holds
      for that application only;
    - by an applicant on their ``application``, naming a person or an organisation to exclude:
      it holds for the experts who are that person or work there;
    - by the staff, for one expert (``expert_user``) and one ``application``.
    """

    source = models.CharField(_("source"), max_length=10, choices=DeclarationSource.choices)
    kind = models.CharField(
        _("type of conflict"),
        max_length=20,
        choices=CONFLICT_KINDS,
    )
    reason = models.TextField(_("reason"), max_length=1000)
    expert_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflict_declarations",
    )
    application = models.ForeignKey(
        "calls.Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="conflict_declarations",
    )
    organisation = models.ForeignKey(
        "community.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "community.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)
    # Withdrawn by the expert or the applicant who made it; kept, as the audit log is.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(source="expert", expert_user__isnull=False, application__isnull=True)
                    & (
                        models.Q(organisation__isnull=False, person__isnull=True)
                        | models.Q(organisation__isnull=True, person__isnull=False)
                    )
                )
                | models.Q(
                    source="expert",
                    expert_user__isnull=False,
                    application__isnull=False,
                    organisation__isnull=True,
                    person__isnull=True,
                )
                | (
                    models.Q(source="applicant", expert_user__isnull=True)
                    & models.Q(application__isnull=False)
                    & (
                        models.Q(organisation__isnull=False, person__isnull=True)
                        | models.Q(organisation__isnull=True, person__isnull=False)
                    )
                )
                | models.Q(
                    source="staff",
                    expert_user__isnull=False,
                    application__isnull=False,
                    organisation__isnull=True,
                    person__isnull=True,
                ),
                name="declaration_parties_match_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} ({self.pk})"

    @property
    def about(self) -> str:
        """Whom or what it names, as the pages show it (its relations selected with it)."""
        if self.organisation is not None:
            return self.organisation.name
        if self.person is not None:
            return self.person.display_name
        if self.application is not None:
            return f"{self.application.reference} — {self.application.title}"
        return ""


class ConflictLift(models.Model):
    """The staff lifted the conflicts of one expert and one application, with a reason.

    It covers the computed reasons and the declarations made before ``lifted_at``; a declaration
    made afterwards (or a conflict the staff add again) counts again."""

    application = models.ForeignKey(
        "calls.Application", on_delete=models.CASCADE, related_name="conflict_lifts"
    )
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflict_lifts")
    reason = models.TextField(_("reason"), max_length=1000)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted at"), default=timezone.now)

    class Meta:
        verbose_name = _("lifted conflict")
        verbose_name_plural = _("lifted conflicts")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="conflict_lift_one_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} / {self.expert_id}"


# The assignment's and the reviews' models live in their own modules; importing them here
# registers them.
from .models_assignment import (  # noqa: E402
    DEFAULT_REVIEWS,
    MAX_CHURN,
    MAX_REVIEWS,
    Assignment,
    AssignmentMode,
    AssignmentRun,
    PairResponse,
    PairStatus,
)
from .models_bidding import BID_MARK, Bid, BidValue  # noqa: E402
from .models_reminders import ReminderKind, ReviewReminder  # noqa: E402
from .models_review import (  # noqa: E402
    MAX_SCALE,
    Recommendation,
    Review,
    ReviewSettings,
    ReviewStatus,
    ReviewVisibility,
)

__all__ = [
    "BID_MARK",
    "CONFLICT_KINDS",
    "DEFAULT_REVIEWS",
    "MAX_CHURN",
    "MAX_LOAD",
    "MAX_REVIEWS",
    "MAX_SCALE",
    "Assignment",
    "AssignmentMode",
    "AssignmentRun",
    "Availability",
    "Bid",
    "BidValue",
    "ConflictLift",
    "Declaration",
    "DeclarationSource",
    "Expert",
    "ExpertStatus",
    "ExpertiseProfile",
    "PairResponse",
    "PairStatus",
    "PastWork",
    "Recommendation",
    "ReminderKind",
    "Review",
    "ReviewReminder",
    "ReviewSettings",
    "ReviewStatus",
    "ReviewVisibility",
    "new_token",
]
