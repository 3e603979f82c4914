"""Events in the Django admin: read-only, since every change goes through a service (audited):
events and their slots are written on the staff's pages (/events/staff/), registrations keep
the waiting list moving through register, cancel and check-in, meeting requests are answered by
the participants, and the schedule is computed by the engine from the event's schedule page.
The messages of meeting requests stay between the two participants; calendar keys are secrets
and are not shown at all."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from filiere.accounts.models import User

from .models import Event, Meeting, MeetingRequest, MeetingSlot, Registration, ScheduleRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MeetingSlotInline(admin.TabularInline):
    model = MeetingSlot
    extra = 0
    fields = ["starts_at", "ends_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title_fr", "kind", "starts_at", "status", "capacity", "meetings_enabled"]
    list_filter = ["kind", "status"]
    search_fields = ["title_fr", "title_en", "title_nl"]
    date_hierarchy = "starts_at"
    inlines = [MeetingSlotInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["event", "user", "status", "created_at", "checked_in_at"]
    list_filter = ["status"]
    list_select_related = ["event", "user"]
    search_fields = ["user__email", "event__title_fr"]
    raw_id_fields = ["event", "user"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(ReadOnlyAdmin):
    list_display = ["event", "sender", "recipient", "status", "created_at", "answered_at"]
    list_filter = ["status"]
    list_select_related = ["event", "sender", "recipient"]
    search_fields = ["sender__email", "recipient__email", "event__title_fr"]
    exclude = ["message"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "event",
        "status",
        "outcome",
        "scheduled",
        "accepted",
        "bound",
        "seconds",
        "created_at",
    ]
    list_filter = ["status", "outcome"]
    list_select_related = ["event"]
    search_fields = ["event__title_fr"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["meeting_event", "sender", "recipient", "slot", "table"]
    list_select_related = [
        "request__event",
        "request__sender",
        "request__recipient",
        "slot",
    ]
    search_fields = ["request__sender__email", "request__recipient__email"]
    fields = ["request", "slot", "table", "run"]

    @admin.display(description=_("event"), ordering="request__event__starts_at")
    def meeting_event(self, meeting: Meeting) -> Event:
        return meeting.request.event

    @admin.display(description=_("requested by"), ordering="request__sender__email")
    def sender(self, meeting: Meeting) -> User:
        return meeting.request.sender

    @admin.display(description=_("requested to"), ordering="request__recipient__email")
    def recipient(self, meeting: Meeting) -> User:
        return meeting.request.recipient
