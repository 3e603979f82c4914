"""Events of the cluster (meet-ups, pitch days, partner days, workshops), their registrations
with a waiting list, and the one-to-one meetings between participants: requests, each
person's unavailable slots, the schedule runs and the scheduled meetings (slot and table).

Titles and descriptions are written in French (required), English and Dutch (each falls back to
French, ``ui.translated.localized``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from filiere.ui.translated import localized


class EventKind(models.TextChoices):
    MEETUP = "meetup", _("Meet-up")
    PITCH_DAY = "pitch_day", _("Pitch day")
    PARTNER_DAY = "partner_day", _("Partner day")
    WORKSHOP = "workshop", _("Workshop")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")


class Event(models.Model):
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), max_length=8000, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=8000, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), max_length=8000, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    territory = models.ForeignKey(
        "community.Territory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("territory"),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    registration_opens_at = models.DateTimeField(_("registration opens at"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes at"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    meetings_enabled = models.BooleanField(_("one-to-one meetings"), default=False)
    tables = models.PositiveSmallIntegerField(_("tables for meetings"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")


class MeetingSlot(models.Model):
    """A time slot of an event's one-to-one meetings."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")


class Registration(models.Model):
    """One person's registration; the waiting list is first come, first served (``pk``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=~models.Q(status="cancelled"),
                name="one_live_registration_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.event_id} ({self.status})"


class CalendarToken(models.Model):
    """The unguessable key of a person's private iCalendar feed (their events and meetings)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar of {self.user_id}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class MeetingRequest(models.Model):
    """A request for a one-to-one meeting, from one participant to another; one per pair."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="meeting_requests")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "sender", "recipient"], name="one_request_per_direction"
            ),
            models.CheckConstraint(
                condition=~models.Q(sender=models.F("recipient")), name="no_request_to_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id} ({self.status})"


class Unavailability(models.Model):
    """A slot a participant cannot attend."""

    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="unavailable")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["slot", "user"], name="one_unavailability_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} unavailable in {self.slot_id}"


class RunStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to run")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScheduleRun(models.Model):
    """One computation of an event's meeting schedule (``engine.schedule``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: The engine's answer: ``optimal`` (proven) or ``feasible`` (with ``gap``).
    outcome = models.CharField(max_length=12, blank=True)
    gap = models.FloatField(null=True, blank=True)
    scheduled = models.PositiveIntegerField(default=0)
    #: Proven upper bound on the number of meetings.
    bound = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(null=True, blank=True)
    #: Request id → the engine's reason code, for the accepted requests left out.
    unscheduled = models.JSONField(default=dict, blank=True)
    notified = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")

    def __str__(self) -> str:
        return f"schedule run {self.pk} ({self.status})"


class Meeting(models.Model):
    """A scheduled meeting: an accepted request in a slot, at a table."""

    request = models.OneToOneField(MeetingRequest, on_delete=models.CASCADE, related_name="meeting")
    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveSmallIntegerField(_("table"))
    run = models.ForeignKey(ScheduleRun, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["slot__starts_at", "table"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(fields=["slot", "table"], name="one_meeting_per_table")
        ]

    def __str__(self) -> str:
        return f"meeting {self.request_id}: slot {self.slot_id}, table {self.table}"
