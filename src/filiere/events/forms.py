"""Forms of the events app. They read input only; the services decide (dates, capacity,
slots), and their refusals come back on the field they name."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from filiere.community.models import Territory

from .models import Event, MeetingSlot
from .selectors import Card

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SLOT_LINE = re.compile(
    r"^(?:(?P<day>\d{4}-\d{2}-\d{2})\s+)?(?P<start>\d{1,2}[:h]\d{2})\s*[-–]\s*(?P<end>\d{1,2}[:h]\d{2})$"
)


def _clock(text: str) -> dt.time:
    hours, minutes = re.split(r"[:h]", text)
    return dt.time(int(hours), int(minutes))


class EventForm(forms.ModelForm):
    slots = forms.CharField(
        label=_("Meeting slots"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One slot per line: “10:00-10:20” (on the event's first day) or "
            "“2027-03-11 10:00-10:20”."
        ),
    )

    class Meta:
        model = Event
        fields = [
            "title_fr",
            "title_en",
            "title_nl",
            "description_fr",
            "description_en",
            "description_nl",
            "kind",
            "starts_at",
            "ends_at",
            "venue",
            "address",
            "territory",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "status",
            "meetings_enabled",
            "tables",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_opens_at": DATETIME,
            "registration_closes_at": DATETIME,
        }
        help_texts = {
            "title_en": _("Leave empty to show the French title."),
            "title_nl": _("Leave empty to show the French title."),
            "tables": _("How many meetings can take place at once."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        territory = self.fields["territory"]
        assert isinstance(territory, forms.ModelChoiceField)
        territory.queryset = Territory.objects.order_by("sort_order", "code")
        if self.instance.pk and not self.is_bound:
            self.initial["slots"] = "\n".join(
                _slot_text(slot) for slot in self.instance.slots.order_by("starts_at")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts = data.get("starts_at")
        ends = data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        text = data.get("slots") or ""
        spans = []
        errors = []
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if not line:
                continue
            match = SLOT_LINE.match(line)
            try:
                if match is None:
                    raise ValueError(line)
                day = (
                    dt.date.fromisoformat(match["day"])
                    if match["day"]
                    else (timezone.localtime(starts).date() if starts else None)
                )
                if day is None:
                    continue  # the start date's own error is shown
                zone = timezone.get_current_timezone()
                start = dt.datetime.combine(day, _clock(match["start"]), tzinfo=zone)
                end = dt.datetime.combine(day, _clock(match["end"]), tzinfo=zone)
            except ValueError:
                errors.append(
                    _("Line %(number)s (“%(line)s”) is not a slot like “10:00-10:20”.")
                    % {"number": number, "line": line[:40]}
                )
                continue
            spans.append((start, end))
        if errors:
            self.add_error("slots", errors)
        data["slot_spans"] = spans
        if data.get("meetings_enabled") and not spans and not errors:
            self.add_error("slots", _("Give the meeting slots, one per line."))
        return data


def _slot_text(slot: MeetingSlot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"


class MeetingRequestForm(forms.Form):
    recipient = forms.TypedChoiceField(label=_("Whom to meet"), coerce=int)
    message = forms.CharField(
        label=_("Short message"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you would like to talk about (at most 500 characters)."),
    )

    def __init__(self, *args: Any, people: list[Card], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (c.user_id, f"{c.name} — {c.organisation}" if c.organisation else c.name)
            for c in people
        ]


class UnavailabilityForm(forms.Form):
    slots = forms.TypedMultipleChoiceField(
        label=_("Slots I cannot attend"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, slots: list[MeetingSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["slots"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(slot.pk, _slot_text(slot)) for slot in slots]
