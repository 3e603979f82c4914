"""Assignment of experts to a call's applications: the runs of the engine and the pairs they
propose, which the staff adjust, lock and publish, and the experts accept or decline.

Imported by ``models.py`` so that Django finds these models in the review app."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The most reviews one application may ask for in a run.
MAX_REVIEWS = 10
#: How many reviews a run asks for unless the staff say otherwise.
DEFAULT_REVIEWS = 3
#: The highest cost of a change to the previous proposal (affinities lie between 0 and 1, so
#: this keeps every previous pair that can still be kept).
MAX_CHURN = 1.0


class AssignmentMode(models.TextChoices):
    OPTIMAL = "optimal", _("Optimal (highest total affinity)")
    FAIR = "fair", _("Fair (the worst-served application first)")


class AssignmentRun(models.Model):
    """One run of the engine for a call, done in the background; its progress is shown to the
    staff while it runs, its figures (or why no assignment exists) once it is done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        READING = "reading", _("Reading the applications and the experts")
        AFFINITY = "affinity", _("Computing the affinity of each pair")
        ASSIGNING = "assigning", _("Choosing the experts")
        WRITING = "writing", _("Writing the proposal")
        FINISHED = "finished", _("Finished")

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(_("mode"), max_length=10, choices=AssignmentMode.choices)
    reviews = models.PositiveSmallIntegerField(
        _("reviews per application"),
        default=DEFAULT_REVIEWS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REVIEWS)],
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.QUEUED)
    # Affinity points a pair of the previous proposal is worth keeping (the engine's churn
    # penalty): 0 re-optimises freely.
    churn_penalty = models.FloatField(
        _("cost of each change"),
        default=0.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(MAX_CHURN)],
    )
    # The engine's answer: "optimal", "feasible" (fair mode stopped by its time limit) or
    # "infeasible" (``diagnosis`` holds its issues as {code, ...parameters}).
    outcome = models.CharField(max_length=12, blank=True)
    diagnosis = models.JSONField(default=list, blank=True)
    applications = models.PositiveIntegerField(default=0)
    experts = models.PositiveIntegerField(default=0)
    pairs = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    # Pairs of the previous (unpublished) proposal that this run changed.
    changed = models.PositiveIntegerField(default=0)
    total_affinity = models.FloatField(null=True, blank=True)
    min_application_affinity = models.FloatField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")

    def __str__(self) -> str:
        return f"{self.call_id} {self.mode} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        order = list(self.Step.values)
        return order.index(self.step) * 100 // (len(order) - 1)


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PUBLISHED = "published", _("Published")


class PairResponse(models.TextChoices):
    PENDING = "pending", _("Waiting for the expert")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Assignment(models.Model):
    """One expert for one application of a call: proposed by a run (or added by the staff),
    possibly locked, then published to the expert, who accepts or declines it."""

    application = models.ForeignKey(
        "calls.Application", on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(
        "review.Expert", on_delete=models.CASCADE, related_name="assignments"
    )
    run = models.ForeignKey(
        AssignmentRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    affinity = models.FloatField(_("affinity"), default=0.0)
    # Why the pair matches, shown to the staff: the expert's keywords found in the application.
    why = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=10, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    locked = models.BooleanField(_("locked"), default=False)
    added_by_staff = models.BooleanField(default=False)
    response = models.CharField(
        max_length=10, choices=PairResponse.choices, default=PairResponse.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "-affinity", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "expert"], name="assignment_one_per_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} / {self.expert_id} ({self.status})"

    @property
    def kept_by_reruns(self) -> bool:
        """A re-run keeps what is published or locked (unless the expert declined it)."""
        return self.response != PairResponse.DECLINED and (
            self.locked or self.status == PairStatus.PUBLISHED
        )
