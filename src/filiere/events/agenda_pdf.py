"""A participant's agenda as a PDF (``ui.pdf.TextPage``): the event, then each meeting's time,
table and the other person (name and organisation), and the accepted requests left out."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from filiere.ui.pdf import TextPage

from . import phrases
from .models import Event
from .selectors import AgendaRow, UnscheduledRow


def _time(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def agenda_pdf(
    *, event: Event, name: str, rows: list[AgendaRow], unscheduled: list[UnscheduledRow]
) -> bytes:
    page = TextPage(
        title=_("Agenda — %(event)s") % {"event": event.title},
        author=settings.FILIERE_PLATFORM_NAME,
    )
    page.line(event.title, size=14, bold=True, gap=7)
    page.line(_("Agenda of %(name)s") % {"name": name}, size=11)
    page.line(f"{_time(event.starts_at)} — {_time(event.ends_at)}")
    location = ", ".join(part for part in (event.venue, event.address) if part)
    if location:
        page.paragraph(location)
    page.space(4)
    if not rows:
        page.paragraph(_("No meeting is scheduled for you yet."))
    for row in rows:
        start = timezone.localtime(row.slot.starts_at)
        end = timezone.localtime(row.slot.ends_at)
        page.line(
            _("%(start)s–%(end)s, table %(table)s: %(name)s")
            % {
                "start": formats.date_format(start, "SHORT_DATETIME_FORMAT"),
                "end": formats.time_format(end, "TIME_FORMAT"),
                "table": row.table,
                "name": row.other.name,
            },
            bold=True,
        )
        if row.other.organisation:
            page.paragraph(row.other.organisation)
    if unscheduled:
        page.space(4)
        page.line(_("Accepted requests without a meeting"), bold=True)
        for item in unscheduled:
            page.paragraph(f"{item.other.name}: {phrases.unscheduled_reason(item.reason)}")
    return page.bytes()
