"""Feeds of the calls: an iCalendar (RFC 5545) of openings and deadlines, and a JSON Feed
(https://jsonfeed.org/version/1.1) of the open calls.

The iCalendar is written with the ``icalendar`` library, which keeps the rules that matter: CRLF
line ends, TEXT escaping (backslash, semicolon, comma, newline) and folding of lines longer than
75 octets without splitting a UTF-8 character. Times are written in UTC (``...Z``), so no
VTIMEZONE is needed; UIDs are built from the call's primary key, so they stay the same when a
call is renamed or moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

import icalendar as ical
from django.utils.translation import gettext as _

from . import phrases
from .models import Call

PRODID = "-//Filiere//Calls for projects//EN"
UID_DOMAIN = "calls.filiere"


def _event(
    *, uid: str, stamp: datetime, start: datetime, summary: str, description: str, url: str
) -> ical.Event:
    event = ical.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def icalendar(calls: Iterable[Call], *, now: datetime, url_of: Callable[[Call], str]) -> str:
    """One VEVENT for the opening and one for the closing of each call."""
    stamp = now.astimezone(UTC).replace(microsecond=0)
    calendar = ical.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", ical.vText(_("Calls for projects: openings and deadlines")))
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
            calendar.add_component(
                _event(
                    uid=f"call-{call.pk}-{kind}@{UID_DOMAIN}",
                    stamp=stamp,
                    start=start,
                    summary=summary % {"title": call.title},
                    description=description
                    % {"fund": call.fund.name, "moment": phrases.format_datetime(start)},
                    url=url_of(call),
                )
            )
    return calendar.to_ical().decode()


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
