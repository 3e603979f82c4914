"""What staff add while instructing: messages, private notes, labels, saved filters."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import Application
from .design import Call, ScanStatus


class Message(models.Model):
    """A message between staff and the applicant's team, seen by both sides."""

    Scan = ScanStatus

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_staff = models.BooleanField(default=False)
    body = models.TextField(_("message"), max_length=10000)
    attachment = models.FileField(upload_to="messages/", blank=True, max_length=200)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_content_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveBigIntegerField(default=0)
    attachment_sha256 = models.CharField(max_length=64, blank=True)
    # Served only once the antivirus said clean (``calls.services.scanning``).
    attachment_scan_status = models.CharField(
        max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.application.reference} {self.sent_at:%Y-%m-%d %H:%M}"


class StaffNote(models.Model):
    """A private note of the instruction team. Applicants never see it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="staff_notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("note"), max_length=10000)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-written_at"]
        verbose_name = _("staff note")
        verbose_name_plural = _("staff notes")

    def __str__(self) -> str:
        return f"{self.application.reference} note"


class Label(models.Model):
    """A private tag staff put on applications of a call (never shown to applicants)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="labels")
    name = models.CharField(_("label"), max_length=60)
    applications = models.ManyToManyField(Application, related_name="labels", blank=True)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="label_unique_per_call")
        ]

    def __str__(self) -> str:
        return self.name


class CorrectionRequest(models.Model):
    """Staff reopen listed items of a submitted file until a date, then it locks again."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="correction_requests"
    )
    items = models.JSONField(_("items to correct"), default=list)
    message = models.TextField(_("message to the applicant"), max_length=5000)
    until = models.DateTimeField(_("corrections allowed until"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.application.reference} until {self.until:%Y-%m-%d}"


class SavedFilter(models.Model):
    """A staff member's named set of list filters for a call."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("filters"), max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "call", "name"], name="saved_filter_unique")
        ]

    def __str__(self) -> str:
        return self.name


def _export_path(instance: "ExportJob", filename: str) -> str:
    return f"exports/{instance.call_id}/{filename}"


class ExportJob(models.Model):
    """A slow export (the ZIP of a call's documents) built by a background task, with progress."""

    class Kind(models.TextChoices):
        DOCUMENTS_ZIP = "documents_zip", _("ZIP of the documents")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DOCUMENTS_ZIP)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_export_path, blank=True, max_length=200)
    error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.call_id} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)
