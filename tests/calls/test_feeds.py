"""The iCalendar feed of openings and deadlines (RFC 5545) and the JSON Feed of open calls."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.calls.design_factories import DesignCallFactory, paris

pytestmark = pytest.mark.django_db

#: RFC 5545 §3.1: no physical line longer than 75 octets.
MAX_OCTETS = 75
REQUIRED_EVENT_PROPERTIES = {"UID", "DTSTAMP", "DTSTART", "SUMMARY"}


def unfold(body: str) -> list[str]:
    """RFC 5545 §3.1: a CRLF followed by one space or tab continues the previous line."""
    return re.sub(r"\r\n[ \t]", "", body).split("\r\n")


def components(lines: list[str]) -> list[tuple[str, dict[str, str]]]:
    """(name, properties) of each component, checking that BEGIN/END nest properly."""
    stack: list[tuple[str, dict[str, str]]] = []
    found = []
    for line in lines:
        name, _, value = line.partition(":")
        if name == "BEGIN":
            stack.append((value, {}))
        elif name == "END":
            component = stack.pop()
            assert component[0] == value, f"END:{value} closes BEGIN:{component[0]}"
            found.append(component)
        else:
            assert stack, f"property outside a component: {line!r}"
            stack[-1][1][name.split(";")[0]] = value
    assert not stack, "unclosed component"
    return found


def test_icalendar_structure(client):
    call = DesignCallFactory(
        title_en=(
            "Interactive, new; genres — a very long title to force folding of the summary line"
        ),
        opens_at=paris(2009, 9, 1, 12),
        closes_at=paris(2009, 10, 15, 12),
    )
    DesignCallFactory(published=False, title_en="Hidden")
    with translation.override("en"):
        response = client.get(reverse("calls:calendar"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    raw = response.content
    body = raw.decode("utf-8")
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends with CRLF
    for physical in body.split("\r\n"):
        assert len(physical.encode()) <= MAX_OCTETS
    lines = [line for line in unfold(body) if line]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    found = components(lines)
    calendar = found[-1]
    assert calendar[0] == "VCALENDAR"
    assert calendar[1]["VERSION"] == "2.0" and calendar[1]["PRODID"]
    events = [props for name, props in found if name == "VEVENT"]
    assert len(events) == 2  # opening and closing of the published call only
    for event in events:
        assert set(event) >= REQUIRED_EVENT_PROPERTIES
        assert re.fullmatch(r"\d{8}T\d{6}Z", event["DTSTAMP"])
    opens, closes = events
    assert opens["UID"] == f"call-{call.pk}-opens@calls.filiere"
    assert closes["UID"] == f"call-{call.pk}-closes@calls.filiere"
    assert opens["DTSTART"] == "20090901T100000Z"  # 12:00 CEST
    assert closes["DTSTART"] == "20091015T100000Z"
    assert closes["SUMMARY"] == (
        "Deadline: Interactive\\, new\\; genres — a very long title to force folding of the "
        "summary line"
    )
    assert closes["URL"].endswith(f"/en/calls/call/{call.slug}/")
    assert "Hidden" not in body


def test_uid_is_stable_across_requests_and_renames(client):
    call = DesignCallFactory()
    first = client.get(reverse("calls:calendar")).content.decode()
    call.slug, call.title_fr = "renamed", "Autre titre"
    call.save()
    second = client.get(reverse("calls:calendar")).content.decode()
    uids = [re.findall(r"^UID:(.*)$", text, re.M) for text in (first, second)]
    assert (
        uids[0]
        == uids[1]
        == [f"call-{call.pk}-opens@calls.filiere\r", f"call-{call.pk}-closes@calls.filiere\r"]
    )


def test_folding_never_splits_a_character(client):
    DesignCallFactory(title_en="é" * 100)
    with translation.override("en"):
        body = client.get(reverse("calls:calendar")).content.decode("utf-8")  # strict: whole
    physical = body.split("\r\n")
    assert all(len(line.encode()) <= MAX_OCTETS for line in physical)
    summary_start = next(i for i, line in enumerate(physical) if line.startswith("SUMMARY:"))
    continued = physical[summary_start + 1]
    assert continued.startswith(" ") and continued[1:].startswith("é")
    summaries = [line for line in unfold(body) if line.startswith("SUMMARY:")]
    assert "SUMMARY:Call opens: " + "é" * 100 in summaries
    assert "VERSION:2.0" in physical


def test_text_escaping(client):
    DesignCallFactory(title_en="a\\b;c,d\ne")
    with translation.override("en"):
        body = client.get(reverse("calls:calendar")).content.decode()
    summaries = [line for line in unfold(body) if line.startswith("SUMMARY:")]
    assert "SUMMARY:Call opens: a\\\\b\\;c\\,d\\ne" in summaries


def test_open_calls_json_feed(client):
    now = timezone.now()
    open_call = DesignCallFactory(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1)
    )
    DesignCallFactory(opens_at=now + dt.timedelta(days=1), closes_at=now + dt.timedelta(days=2))
    DesignCallFactory(
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=1), published=False
    )
    with translation.override("en"):
        response = client.get(reverse("calls:open_feed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json"
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["language"] == "en"
    assert [item["id"] for item in feed["items"]] == [f"call-{open_call.pk}"]
    item = feed["items"][0]
    assert item["title"] == "Interactive experiences 2009"
    assert item["url"].endswith(f"/en/calls/call/{open_call.slug}/")
    assert item["_filiere"]["envelope"] == "1400000.00"
    assert item["_filiere"]["closes_at"] == open_call.closes_at.isoformat()
