"""iCalendar files (RFC 5545, through the ``icalendar`` library) of the events: one event's
file, and a participant's own calendar (the events they are registered for and their scheduled
meetings). Times are written in UTC; UIDs are built from primary keys, so they stay the same
when an event is renamed or a meeting's time changes (calendar programs then move it)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import icalendar as ical
from django.utils.translation import gettext as _

from .models import Event, EventStatus
from .selectors import AgendaRow

PRODID = "-//Filiere//Events//EN"
UID_DOMAIN = "events.filiere"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{UID_DOMAIN}"


def meeting_uid(row: AgendaRow) -> str:
    return f"meeting-{row.meeting.request_id}@{UID_DOMAIN}"


def _calendar(name: str) -> ical.Calendar:
    calendar = ical.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", ical.vText(name))
    return calendar


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def _vevent(event: Event, *, stamp: datetime, url: str) -> ical.Event:
    vevent = ical.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _utc(event.starts_at))
    vevent.add("dtend", _utc(event.ends_at))
    vevent.add("summary", event.title)
    if event.description:
        vevent.add("description", event.description)
    location = ", ".join(part for part in (event.venue, event.address) if part)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return vevent


def event_calendar(event: Event, *, now: datetime, url: str) -> bytes:
    calendar = _calendar(event.title)
    calendar.add_component(_vevent(event, stamp=_utc(now), url=url))
    return calendar.to_ical()


def _meeting(row: AgendaRow, event: Event, *, stamp: datetime, url: str) -> ical.Event:
    vevent = ical.Event()
    vevent.add("uid", meeting_uid(row))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _utc(row.slot.starts_at))
    vevent.add("dtend", _utc(row.slot.ends_at))
    vevent.add("summary", _("Meeting with %(name)s") % {"name": row.other.name})
    details = [_("Table %(table)s") % {"table": row.table}, event.title]
    if row.other.organisation:
        details.insert(0, row.other.organisation)
    vevent.add("description", " — ".join(details))
    location = ", ".join(part for part in (event.venue, event.address) if part)
    if location:
        vevent.add("location", location)
    vevent.add("url", url)
    return vevent


def personal_calendar(
    entries: Iterable[tuple[Event, list[AgendaRow]]],
    *,
    now: datetime,
    url_of: Callable[[Event], str],
    agenda_url_of: Callable[[Event], str],
) -> bytes:
    """The events of ``entries`` and each one's scheduled meetings."""
    stamp = _utc(now)
    calendar = _calendar(_("My events and meetings"))
    for event, rows in entries:
        calendar.add_component(_vevent(event, stamp=stamp, url=url_of(event)))
        for row in rows:
            calendar.add_component(_meeting(row, event, stamp=stamp, url=agenda_url_of(event)))
    return calendar.to_ical()
