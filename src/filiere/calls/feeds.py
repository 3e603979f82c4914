"""Feeds of the calls: an iCalendar (RFC 5545) of openings and deadlines, and a JSON Feed
(https://jsonfeed.org/version/1.1) of the open calls.

The iCalendar is written here rather than with a library: it needs a dozen properties, and the
three rules that matter are kept explicitly: CRLF line ends, TEXT escaping (backslash,
semicolon, comma, newline) and folding of lines longer than 75 octets without splitting a UTF-8
character. Times are written in UTC (``...Z``), so no VTIMEZONE is needed; UIDs are built from
the call's primary key, so they stay the same when a call is renamed or moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.utils.translation import gettext as _

from . import phrases
from .models import Call

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Filiere//Calls for projects//EN"
UID_DOMAIN = "calls.filiere"


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF and one
    space; a multi-byte UTF-8 character is never split."""
    encoded = line.encode()
    if len(encoded) <= MAX_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append(current)
            current, size = char, width
            limit = MAX_OCTETS - 1  # continuation lines start with a space
        else:
            current += char
            size += width
    parts.append(current)
    return (CRLF + " ").join(parts)


def utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(
    *, uid: str, stamp: str, start: datetime, summary: str, description: str, url: str
) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(start)}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{url}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def icalendar(calls: Iterable[Call], *, now: datetime, url_of: Callable[[Call], str]) -> str:
    """One VEVENT for the opening and one for the closing of each call."""
    stamp = utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(_('Calls for projects: openings and deadlines'))}",
    ]
    for call in calls:
        moments = (
            (
                "opens",
                call.opens_at,
                _("Call opens: %(title)s"),
                _("%(fund)s. Opens at %(moment)s."),
            ),
            (
                "closes",
                call.closes_at,
                _("Deadline: %(title)s"),
                _("%(fund)s. Applications close at %(moment)s."),
            ),
        )
        for kind, start, summary, description in moments:
            lines += _event(
                uid=f"call-{call.pk}-{kind}@{UID_DOMAIN}",
                stamp=stamp,
                start=start,
                summary=summary % {"title": call.title},
                description=description
                % {"fund": call.fund.name, "moment": phrases.format_datetime(start)},
                url=url_of(call),
            )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


def json_feed(
    calls: Iterable[Call],
    *,
    title: str,
    home_page_url: str,
    feed_url: str,
    language: str,
    url_of: Callable[[Call], str],
) -> dict[str, object]:
    """JSON Feed 1.1 of calls; the call's facts are in the ``_filiere`` extension object."""
    items = []
    for call in calls:
        items.append(
            {
                "id": f"call-{call.pk}",
                "url": url_of(call),
                "title": call.title,
                "content_text": call.summary,
                "date_published": call.opens_at.isoformat(),
                "tags": [genre.code for genre in call.genres.all()],
                "_filiere": {
                    "slug": call.slug,
                    "fund": call.fund.slug,
                    "opens_at": call.opens_at.isoformat(),
                    "closes_at": call.closes_at.isoformat(),
                    "envelope": str(call.envelope),
                    "ceiling_amount": None
                    if call.ceiling_amount is None
                    else str(call.ceiling_amount),
                    "ceiling_percent": None
                    if call.ceiling_percent is None
                    else str(call.ceiling_percent),
                    "stages": [stage.code for stage in call.stages.all()],
                },
            }
        )
    return {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home_page_url,
        "feed_url": feed_url,
        "language": language,
        "items": items,
    }
