"""What applicants build: an application with its team, budget, financing, answers and documents."""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _

from filiere.engine import workflow

from .design import MONEY, Call, DocumentType, Genre, Question, ScanStatus, Stage

_W = workflow.State


class State(models.TextChoices):
    """The states of :class:`filiere.engine.workflow.State` (values taken from there; the
    transitions live there, as data) with their labels. Written out so that type checkers know
    the members; :func:`_same_states_as_the_engine` refuses to load the app if a state is added,
    removed or reordered on one side only."""

    DRAFT = _W.DRAFT.value, _("Draft")
    SUBMITTED = _W.SUBMITTED.value, _("Submitted")
    INCOMPLETE = _W.INCOMPLETE.value, _("Incomplete")
    ELIGIBLE = _W.ELIGIBLE.value, _("Eligible")
    INELIGIBLE = _W.INELIGIBLE.value, _("Ineligible")
    UNDER_REVIEW = _W.UNDER_REVIEW.value, _("Under review")
    HEARING = _W.HEARING.value, _("Hearing")
    COMMITTEE = _W.COMMITTEE.value, _("Before the committee")
    AWARDED = _W.AWARDED.value, _("Awarded")
    REJECTED = _W.REJECTED.value, _("Rejected")
    DEFERRED = _W.DEFERRED.value, _("Deferred")
    AGREEMENT = _W.AGREEMENT.value, _("Agreement signed")
    IN_PAYMENT = _W.IN_PAYMENT.value, _("Being paid")
    CLOSED = _W.CLOSED.value, _("Closed")
    WITHDRAWN = _W.WITHDRAWN.value, _("Withdrawn")


def _same_states_as_the_engine() -> None:
    ours = [(state.name, state.value) for state in State]
    engine = [(state.name, state.value) for state in workflow.State]
    if ours != engine:
        raise ImproperlyConfigured(
            f"calls.models.State differs from filiere.engine.workflow.State: {ours} != {engine}"
        )


_same_states_as_the_engine()


class Application(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "community.Organisation",
        verbose_name=_("applicant organisation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead applicant"),
        on_delete=models.PROTECT,
        related_name="led_applications",
    )
    # A public reference such as EI2009-0042, set when the draft is created.
    reference = models.CharField(_("reference"), max_length=24, unique=True)
    title = models.CharField(_("project title"), max_length=200)
    genre = models.ForeignKey(Genre, null=True, blank=True, on_delete=models.PROTECT)
    stage = models.ForeignKey(Stage, null=True, blank=True, on_delete=models.PROTECT)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    requested_amount = models.DecimalField(
        _("requested amount (EUR)"), **MONEY, null=True, blank=True
    )
    state = models.CharField(
        _("status"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    # Incremented at each save of the draft: two team members editing at once are detected.
    version = models.PositiveIntegerField(default=1)
    correction_until = models.DateTimeField(_("corrections allowed until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The first submission's moment that counts (its Submission's ``arrived_at``).
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["call", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(requested_amount__isnull=True)
                | models.Q(requested_amount__gte=0),
                name="application_request_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.title}"


class TeamMember(models.Model):
    """A co-applicant or partner invited on an application; only the lead submits."""

    class Role(models.TextChoices):
        PRODUCER = "producer", _("Producer")
        AUTHOR = "author", _("Author")
        DIRECTOR = "director", _("Director")
        STUDIO = "studio", _("Studio")
        LAB_PARTNER = "lab_partner", _("Research lab partner")
        BELGIAN_COPRODUCER = "belgian_coproducer", _("Belgian co-producer")
        BROADCASTER = "broadcaster", _("Broadcaster")
        OTHER = "other", _("Other partner")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    organisation = models.ForeignKey(
        "community.Organisation", null=True, blank=True, on_delete=models.PROTECT
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    can_edit = models.BooleanField(_("can edit the draft"), default=True)
    invitation_token = models.CharField(max_length=64, unique=True, editable=False)
    invited_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "email"], name="one_invitation_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.invitation_token:
            self.invitation_token = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    chapter = models.CharField(_("chapter"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    regional_amount = models.DecimalField(
        _("of which spent in the region (EUR)"), **MONEY, default=0
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_line_positive"),
            models.CheckConstraint(
                condition=models.Q(regional_amount__gte=0)
                & models.Q(regional_amount__lte=models.F("amount")),
                name="regional_within_line",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.chapter} {self.label}"


class FinancingSource(models.Model):
    class Kind(models.TextChoices):
        OWN_FUNDS = "own_funds", _("Own funds")
        PUBLIC_AID = "public_aid", _("Public aid")
        BROADCASTER = "broadcaster", _("Broadcaster / pre-sale")
        COPRODUCER = "coproducer", _("Co-producer")
        PRIVATE = "private", _("Private investor / sponsor")
        THIS_CALL = "this_call", _("This call (requested amount)")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="financing")
    name = models.CharField(_("source"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    secured = models.BooleanField(_("secured"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("financing source")
        verbose_name_plural = _("financing sources")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="financing_positive")
        ]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # A scalar, a list (multiple choice) or a list of dicts (repeatable group).
    value = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code}={self.value!r}"


def _document_path(instance: "Document", filename: str) -> str:
    # Never the user's file name: a random name in a per-call folder.
    return f"applications/{instance.application.call_id}/{secrets.token_hex(16)}"


class Document(models.Model):
    Scan = ScanStatus  # one antivirus vocabulary for documents, attachments and rules PDFs

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT)
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    scan_status = models.CharField(max_length=10, choices=Scan.choices, default=Scan.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_type__sort_order", "uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        # "Is this required document there?" for every application of a list (instruction).
        indexes = [models.Index(fields=["application", "document_type"])]

    def __str__(self) -> str:
        return self.original_name


class Submission(models.Model):
    """The acknowledgement of receipt. One per application, guaranteed by the database."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="submission"
    )
    # The moment compared with the deadline (``Application.submitted_at`` too): the arrival at
    # the platform stamped by its proxy, or the server clock (engine.arrival).
    arrived_at = models.DateTimeField(_("arrived at"))
    # Why ``arrived_at`` is what it is: an engine.arrival.Basis code ("" before it was kept).
    arrival_basis = models.CharField(max_length=32, blank=True, default="")
    # The server clock when the submission was recorded (processed).
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # SHA-256 over the canonical JSON of the content and the files' own hashes.
    sha256 = models.CharField(max_length=64)
    content = models.JSONField(_("submitted content"))

    class Meta:
        verbose_name = _("acknowledgement of receipt")
        verbose_name_plural = _("acknowledgements of receipt")

    def __str__(self) -> str:
        return f"{self.application.reference} @ {self.submitted_at:%Y-%m-%d %H:%M:%S}"


class Resubmission(models.Model):
    """A file sent again after a correction request (``resubmit``).

    The first :class:`Submission` stays the acknowledgement of receipt (its time is the one that
    met the deadline); each resubmission records what was sent again, by whom and when, with the
    SHA-256 of the new content (same canonical form as the receipt's).
    """

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="resubmissions"
    )
    # The moment compared with the end of the correction window, as for a submission.
    arrived_at = models.DateTimeField(_("arrived at"))
    arrival_basis = models.CharField(max_length=32, blank=True, default="")
    # The server clock when it was recorded.
    resubmitted_at = models.DateTimeField(_("resubmitted at"))
    resubmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sha256 = models.CharField(max_length=64)
    content = models.JSONField(_("resubmitted content"))

    class Meta:
        ordering = ["resubmitted_at", "id"]
        verbose_name = _("resubmission")
        verbose_name_plural = _("resubmissions")

    def __str__(self) -> str:
        return f"{self.application.reference} resubmitted @ {self.resubmitted_at:%Y-%m-%d %H:%M:%S}"
