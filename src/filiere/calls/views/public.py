"""Public pages of the calls: the list, a call's page, its rules PDF and the feeds."""

from __future__ import annotations

from datetime import datetime

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from filiere.ui.page_cache import public_page, valid_until

from .. import feeds, phrases, selectors
from ..models import Call
from ..services import documents
from .files import blocked_page


# Anonymous visitors get these pages from the page cache (docs/deploy/page-cache.md): a minute at
# most (the countdowns), never past the next opening or closing, and new after any change of a call.
@public_page("calls", max_age=60)
def call_list(request: HttpRequest) -> HttpResponse:
    # permission: public; published calls only
    groups = selectors.public_calls()
    moments = [call.opens_at for call in groups.upcoming] + [call.closes_at for call in groups.open]
    valid_until(request, min(moments, default=None))
    return render(
        request,
        "calls/public/list.html",
        {
            "sections": [
                ("open", _("Open calls"), groups.open),
                ("upcoming", _("Upcoming calls"), groups.upcoming),
                ("closed", _("Closed calls"), groups.closed),
            ],
            "now": timezone.now(),
        },
    )


def apply_url(call: Call) -> str | None:
    """The applying pages' entry point for this call, when that page exists."""
    for kwargs in ({"slug": call.slug}, {"call_slug": call.slug}, {"pk": call.pk}):
        try:
            return reverse("calls:application_create", kwargs=kwargs)
        except NoReverseMatch:
            continue
    try:
        return reverse("calls:application_create") + f"?call={call.slug}"
    except NoReverseMatch:
        return None


def countdown(call: Call, now: datetime) -> str:
    """“Closes in 3 days, 4 hours” (server-rendered), or when it opens, or that it closed."""
    phase = call.phase(now)
    if phase == Call.Phase.UPCOMING:
        return _("Opens in %(duration)s") % {"duration": timeuntil(call.opens_at, now, depth=2)}
    if phase == Call.Phase.OPEN:
        return _("Closes in %(duration)s") % {"duration": timeuntil(call.closes_at, now, depth=2)}
    return _("Closed on %(moment)s") % {"moment": phrases.format_datetime(call.closes_at)}


@public_page("calls", max_age=60)
def call_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # permission: public for published calls; staff also see hidden ones (a preview); 404 else
    call = selectors.get_call_for_viewer(request.user, slug)
    now = timezone.now()
    labels = selectors.rule_labels()
    rules = [
        phrases.describe_rule(rule, labels, closes_at=call.closes_at)
        for rule in selectors.call_rules(call)
    ]
    phase = call.phase(now)
    if phase == Call.Phase.UPCOMING:
        valid_until(request, call.opens_at)
    elif phase == Call.Phase.OPEN:
        valid_until(request, call.closes_at)
    return render(
        request,
        "calls/public/detail.html",
        {
            "call": call,
            "phase": phase,
            "countdown": countdown(call, now),
            "rules": rules,
            "apply_url": apply_url(call) if phase == Call.Phase.OPEN else None,
            "cofunders": [
                (
                    cofunder,
                    phrases.join_alternatives(
                        labels.of("territories", cofunder.eligible_partner_territories)
                    ),
                )
                for cofunder in call.cofunders.all()
            ],
        },
    )


def rules_pdf(request: HttpRequest, slug: str) -> HttpResponse | FileResponse:
    # permission: public for published calls, staff for hidden ones; 404 when there is no PDF
    # only once the antivirus found it clean (409 with the reason before)
    call = selectors.get_call_for_viewer(request.user, slug)
    try:
        handle = documents.open_rules_pdf(call=call)
    except (Call.DoesNotExist, FileNotFoundError):
        raise Http404 from None
    except documents.NotServable as blocked:
        return blocked_page(request, name=f"{call.slug}-rules.pdf", status=blocked.scan_status)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{call.slug}-rules.pdf",
        content_type="application/pdf",
    )


def _detail_url(request: HttpRequest, call: Call) -> str:
    return request.build_absolute_uri(reverse("calls:detail", args=[call.slug]))


def calendar(request: HttpRequest) -> HttpResponse:
    # permission: public; openings and deadlines of published calls
    body = feeds.icalendar(
        selectors.calls_for_feed(),
        now=timezone.now(),
        url_of=lambda call: _detail_url(request, call),
    )
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calls.ics"'
    return response


def open_feed(request: HttpRequest) -> JsonResponse:
    # permission: public; published calls open now
    feed = feeds.json_feed(
        selectors.open_calls(),
        title=_("Open calls for projects"),
        home_page_url=request.build_absolute_uri(reverse("calls:list")),
        feed_url=request.build_absolute_uri(reverse("calls:open_feed")),
        language=get_language() or "fr",
        url_of=lambda call: _detail_url(request, call),
    )
    return JsonResponse(
        feed, content_type="application/feed+json", json_dumps_params={"ensure_ascii": False}
    )
