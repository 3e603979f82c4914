"""After the decision: the agreement (convention) and its tranches, amendments and co-funders'
shares; payment requests with their proofs and two approvals; the regional-spend ledger; the
reports due; recoveries of unspent amounts.

Every write goes through a service (one door per verb, audited): ``services_agreements`` for
the agreement, ``services_payments``, ``services_spend`` and ``services_reports`` for the rest.
The database holds what must never be false whoever writes: amounts never negative, one
agreement per application, one approval per person on a payment request.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from filiere.calls.models import ScanStatus
from filiere.calls.models.design import MONEY


def _stored_path(instance: models.Model, filename: str) -> str:
    # Never the user's file name: a random name in the app's folder.
    return f"awards/{instance._meta.model_name}/{secrets.token_hex(16)}"


class ScannedFile(models.Model):
    """A file uploaded by a person, kept under a random name and served only once the
    antivirus has said ``clean`` (like calls' documents)."""

    Scan = ScanStatus

    file = models.FileField(upload_to=_stored_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    scan_status = models.CharField(
        max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )

    class Meta:
        abstract = True


# ---------------------------------------------------------------------------------------------
# The agreement


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("agreement", "Draft")
    SENT = "sent", _("Sent for signature")
    SIGNED = "signed", pgettext_lazy("agreement", "Signed")
    AMENDED = "amended", pgettext_lazy("agreement", "Amended")
    CLOSED = "closed", pgettext_lazy("agreement", "Closed")


class Agreement(models.Model):
    """The agreement between the fund and the beneficiary, generated from a confirmed award
    decision. ``version`` counts the amendments; the PDF is rendered from these fields."""

    application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="agreement",
    )
    decision = models.ForeignKey(
        "committee.Decision",
        verbose_name=_("decision"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("amount awarded (EUR)"), **MONEY)
    conditions = models.TextField(_("conditions"), blank=True)
    # DOMAIN §1.7: spend at least ``spend_ratio`` x the award (and ``spend_floor``) in the
    # territories listed (territory codes); 1.00 for 100 %, 1.50 for 150 %.
    spend_ratio = models.DecimalField(
        _("regional spend required (x the award)"), max_digits=4, decimal_places=2, default=1
    )
    spend_floor = models.DecimalField(_("regional spend floor (EUR)"), **MONEY, default=0)
    spend_territories = models.JSONField(
        _("territories where spending counts"), default=list, blank=True
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The signed copy, uploaded by the beneficiary or recorded by staff; a PDF, scanned.
    signed_copy = models.FileField(
        _("signed copy"), upload_to=_stored_path, max_length=200, blank=True
    )
    signed_copy_name = models.CharField(_("file name"), max_length=200, blank=True)
    signed_copy_size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    signed_copy_sha256 = models.CharField(max_length=64, blank=True)
    signed_copy_scan_status = models.CharField(
        max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    signed_copy_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="agreement_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(spend_ratio__gte=0) & models.Q(spend_floor__gte=0),
                name="agreement_spend_rule_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} v{self.version} ({self.status})"


class TrancheLabel(models.TextChoices):
    SIGNATURE = "signature", _("At signature")
    MID_TERM = "mid_term", _("At mid-term")
    FINAL_REPORT = "final_report", _("On the final report")


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REQUESTED = "requested", _("Payment requested")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REDUCED = "reduced", _("Paid, reduced")


class Tranche(models.Model):
    """One payment of the schedule. ``amount`` is what the agreement promises; ``paid_amount``
    what was paid (less when the final tranche is reduced by the regional-spend rule)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("tranche"), max_length=20, choices=TrancheLabel.choices)
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=TrancheStatus.choices, default=TrancheStatus.PLANNED
    )
    paid_amount = models.DecimalField(_("amount paid (EUR)"), **MONEY, null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "position"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "position"], name="one_tranche_per_position"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="tranche_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=0) & models.Q(share__lte=100),
                name="tranche_share_within_100",
            ),
            models.CheckConstraint(
                condition=models.Q(paid_amount__isnull=True) | models.Q(paid_amount__gte=0),
                name="tranche_paid_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}#{self.position} {self.label}"


class Amendment(models.Model):
    """A change to a signed agreement, with what changed (``{"field": [before, after]}``)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("number"))
    changes = models.JSONField(_("changes"), default=dict)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_amendment_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} amendment {self.number}"


class CoFunderShare(models.Model):
    """A co-funder's part of the award, within its envelope on the call."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="cofunder_shares"
    )
    cofunder = models.ForeignKey(
        "calls.CoFunder", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("co-funder"), max_length=200)
    amount = models.DecimalField(_("amount (EUR)"), **MONEY)

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name = _("co-funder's share")
        verbose_name_plural = _("co-funders' shares")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="one_share_per_cofunder"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="cofunder_share_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


# ---------------------------------------------------------------------------------------------
# Payments


class PaymentStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED_ONCE = "approved_once", _("Approved once, awaiting a second approval")
    APPROVED = "approved", _("Approved twice, awaiting payment")
    PAID = "paid", _("Paid")
    REFUSED = "refused", _("Refused")


class PaymentRequest(models.Model):
    """The beneficiary asks for a tranche, with proofs; two staff members approve it (never
    someone of the applicant's team), then it is paid."""

    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, related_name="requests")
    amount = models.DecimalField(_("amount requested (EUR)"), **MONEY)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)
    paid_amount = models.DecimalField(_("amount paid (EUR)"), **MONEY, null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    # The engine's computation when the final tranche was reduced (codes and figures), shown.
    computation = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        constraints = [
            models.UniqueConstraint(
                fields=["tranche"],
                condition=models.Q(status__in=["requested", "approved_once", "approved"]),
                name="one_open_request_per_tranche",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="payment_request_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(paid_amount__isnull=True) | models.Q(paid_amount__gte=0),
                name="payment_paid_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tranche_id}: {self.amount} ({self.status})"


class PaymentProof(ScannedFile):
    """A proof attached to a payment request (invoice, report, bank certificate)."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="proofs")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "uploaded_at"]
        verbose_name = _("proof")
        verbose_name_plural = _("proofs")

    def __str__(self) -> str:
        return self.original_name


class PaymentApproval(models.Model):
    """One of the two approvals a payment needs; the database refuses a second one by the
    same person."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="approvals")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "at"]
        verbose_name = _("payment approval")
        verbose_name_plural = _("payment approvals")
        constraints = [
            models.UniqueConstraint(fields=["request", "by"], name="one_approval_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} by {self.by_id}"


# ---------------------------------------------------------------------------------------------
# Regional spend


class BelgianRegion(models.TextChoices):
    """The territory codes of the Belgian regions (``community.Territory.code``)."""

    WALLONIA = "wallonia", _("Wallonia")
    FLANDERS = "flanders", _("Flanders")
    BRUSSELS = "brussels", _("Brussels-Capital")


class SpendCategory(models.TextChoices):
    CREW = "crew", _("Crew and technicians")
    CAST = "cast", _("Cast")
    TECHNICAL = "technical", _("Technical means")
    POST_PRODUCTION = "post_production", _("Post-production")
    SETS = "sets", _("Sets and costumes")
    TRANSPORT = "transport", _("Transport and lodging")
    SERVICES = "services", _("Services")
    OTHER = "other", _("Other")


class SpendLine(models.Model):
    """One invoice declared by the beneficiary. The supplier's place is a cluster commune or a
    Belgian region (neither: elsewhere); ``eligible`` is computed by ``services_spend`` from the
    agreement's territories, never typed in."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="spend_lines")
    supplier_name = models.CharField(_("supplier"), max_length=200)
    # SIRET (14 digits) or BCE/KBO number (10 digits), checked with python-stdnum.
    supplier_id = models.CharField(_("supplier's SIRET or BCE number"), max_length=20)
    commune = models.ForeignKey(
        "community.Commune",
        verbose_name=_("supplier's commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.CharField(
        _("supplier's Belgian region"), max_length=20, choices=BelgianRegion.choices, blank=True
    )
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    amount = models.DecimalField(_("amount excluding VAT (EUR)"), **MONEY)
    category = models.CharField(
        _("category"), max_length=20, choices=SpendCategory.choices, default=SpendCategory.OTHER
    )
    eligible = models.BooleanField(_("counts towards the regional spend"), default=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "invoice_date", "pk"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [models.Index(fields=["agreement", "eligible"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="spend_line_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(commune__isnull=True) | models.Q(region=""),
                name="spend_line_one_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_name}: {self.amount}"


# ---------------------------------------------------------------------------------------------
# Reports, closure, recovery


class ReportKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term report")
    FINAL = "final", _("Final report")


class ReportStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("report", "Accepted")


class Report(ScannedFile):
    """A report the beneficiary owes (mid-term, final), its file once submitted."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("report"), max_length=10, choices=ReportKind.choices)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "due_on"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "kind"], name="one_report_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.kind} ({self.status})"


class Recovery(models.Model):
    """An unspent amount the beneficiary must pay back, recorded at closure."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="recoveries")
    amount = models.DecimalField(_("amount to recover (EUR)"), **MONEY)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "at"]
        verbose_name = _("recovery")
        verbose_name_plural = _("recoveries")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="recovery_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.agreement_id}: {self.amount}"


# The follow-up's own records (reminders of reports, declared aids), in their module.
from .models_follow_up import DeclaredAid, ReportReminder, ReportReminderKind  # noqa: E402, F401
