"""A partner day's one-to-one meetings, end to end in a browser, every page under axe-core
(issue #11, "Done means"): a member registers for the partner day and asks two other
participants for a meeting; one accepts in the browser (after marking a slot they cannot attend),
the other through the service; the staff compute the schedule from its page (the background task
runs at once in tests); both meetings are scheduled, in different slots, the unavailable slot
respected; the member's agenda shows both, and its iCalendar file, fetched through the page's
link in the same session, holds both meetings at their slots' times.

No participant's address reaches another participant's pages. The browser also fails the test on
any console error or CSP violation (see conftest)."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from filiere.events.models import Meeting, MeetingRequest, RequestStatus, ScheduleRun
from filiere.events.services_meetings import answer_request
from tests.events.factories import event as partner_day
from tests.events.factories import registered, staff
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, UserFactory

from .flow_steps import as_staff, assert_free_of, checked, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MEMBER = ("Camille", "Membre", "camille.member-canary@example.org", "Studio du Terril")
ADA = ("Ada", "Animatrice", "ada.animatrice-canary@example.org", "Pictanovo Lab")
BRAM = ("Bram", "Producent", "bram.producent-canary@example.org", "Vlaamse Studio")
ADDRESSES = (MEMBER[2], ADA[2], BRAM[2])


def _participant(first_name: str, last_name: str, email: str, organisation: str):
    user = UserFactory(email=email, first_name=first_name, last_name=last_name)
    person = PersonFactory(user=user, first_name=first_name, last_name=last_name)
    AffiliationFactory(person=person, organisation=OrganisationFactory(name=organisation))
    return user


def _name(who) -> str:
    return f"{who[0]} {who[1]}"


@pytest.fixture
def stage():
    """A published partner day in ten days with one-to-one meetings (three 20-minute slots, two
    tables), two participants already registered (Ada, Bram), a member not registered yet, and
    a staff member."""
    day = partner_day(meetings=True, slots=3, tables=2)
    ada, bram = _participant(*ADA), _participant(*BRAM)
    registered(day, ada)
    registered(day, bram)
    return {
        "event": day,
        "member": _participant(*MEMBER),
        "ada": ada,
        "bram": bram,
        "staff": staff(),
        "slots": list(day.slots.order_by("starts_at")),
    }


# --- steps --------------------------------------------------------------------------------------


def _others_not_shown(page, viewer_address: str) -> None:
    assert_free_of(page, *(a for a in ADDRESSES if a != viewer_address))


def _register(page, axe, event) -> None:
    page.goto(reverse("events:list"))
    checked(axe, page)
    page.get_by_role("link", name=event.title_fr).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(event.title_fr)
    checked(axe, page)
    registration = page.get_by_role("region", name="Registration")
    registration.get_by_role("button", name="Register").click()
    expect(registration.get_by_text("You are registered.")).to_be_visible()
    checked(axe, page)
    registration.get_by_role("link", name="One-to-one meetings").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One-to-one meetings")


def _request_meeting(page, axe, who, message: str) -> None:
    form = page.get_by_role("form", name="Request a meeting")
    form.get_by_label(re.compile("^Whom to meet")).select_option(label=f"{_name(who)} — {who[3]}")
    form.get_by_label(re.compile("^Short message")).fill(message)
    form.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("Your request was sent.")).to_be_visible()
    sent = page.get_by_role("region", name="Requests I sent").get_by_role("listitem")
    expect(sent.filter(has_text=_name(who))).to_contain_text("Waiting for an answer")
    checked(axe, page)
    _others_not_shown(page, MEMBER[2])


def _local(moment: dt.datetime, format_name: str) -> str:
    """How the French pages write ``moment`` (the platform's default language and time zone)."""
    with translation.override("fr"):
        return formats.date_format(timezone.localtime(moment), format_name)


def _slot_label(slot) -> str:
    """A slot as the availability form names it: its local day and times."""
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{start:%Y-%m-%d %H:%M}-{end:%H:%M}"


# --- the flow -----------------------------------------------------------------------------------


def test_a_member_meets_two_participants_at_the_partner_day_and_gets_their_agenda(
    page, axe, sign_in_browser, stage
):
    event, member, ada, bram = stage["event"], stage["member"], stage["ada"], stage["bram"]
    first_slot = stage["slots"][0]

    # 1. The member registers for the partner day and asks Ada and Bram for a meeting.
    sign_in(page, member)
    _register(page, axe, event)
    meetings = page.get_by_role("region", name="The other participants")
    expect(meetings).to_contain_text(_name(ADA))
    expect(meetings).to_contain_text(_name(BRAM))
    checked(axe, page)
    _others_not_shown(page, MEMBER[2])
    _request_meeting(page, axe, ADA, "Your lab's motion capture for our serious game?")
    _request_meeting(page, axe, BRAM, "A Flemish co-production of our animated series?")
    expect(page.get_by_text("There is nobody else to ask for now.")).to_be_visible()
    requests = {
        r.recipient_id: r for r in MeetingRequest.objects.filter(event=event, sender=member)
    }
    assert set(requests) == {ada.pk, bram.pk}

    # 2. Ada cannot attend the first slot; she says so, then accepts in the browser.
    sign_in(page, ada)
    page.goto(reverse("events:meetings", args=[event.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("One-to-one meetings")
    checked(axe, page)
    _others_not_shown(page, ADA[2])
    availability = page.get_by_role("form", name="My availability")
    availability.get_by_label(_slot_label(first_slot), exact=True).check()
    availability.get_by_role("button", name="Save my availability").click()
    expect(page.get_by_text("Your unavailable slots are saved.")).to_be_visible()
    received = page.get_by_role("region", name="Requests I received")
    expect(received).to_contain_text("Your lab's motion capture for our serious game?")
    received.get_by_role("button", name=f"Accept {_name(MEMBER)}").click()
    expect(page.get_by_text("You accepted the meeting.")).to_be_visible()
    expect(
        page.get_by_role("region", name="Requests I received").get_by_role("listitem")
    ).to_contain_text("Accepted")
    checked(axe, page)

    # Bram accepts through the service (as from the API or the e-mail's link).
    answer_request(request=requests[bram.pk], by=bram, accept=True)

    # 3. The staff compute the schedule from its page; the task runs and both are scheduled.
    as_staff(page, sign_in_browser, stage["staff"])
    page.goto(reverse("events:schedule", args=[event.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meetings schedule")
    checked(axe, page)
    page.get_by_role("button", name="Compute the schedule").click()
    progress = page.locator("#schedule-progress")
    # The run happens inside the button's request (the task runs at once in tests), with the
    # engine's solver: more than expect's 5 s are allowed on a loaded machine.
    expect(progress).to_contain_text("Status: Done", timeout=30_000)
    expect(progress).to_contain_text("Proven optimal: no schedule fits more meetings.")
    expect(progress).to_contain_text(re.compile(r"Scheduled meetings\s*2 / 2"))
    checked(axe, page)
    assert ScheduleRun.objects.get(event=event).scheduled == 2
    scheduled = {
        m.request.recipient_id: m for m in Meeting.objects.select_related("slot", "request")
    }
    assert set(scheduled) == {ada.pk, bram.pk}
    assert scheduled[ada.pk].slot_id != scheduled[bram.pk].slot_id  # one meeting at a time
    assert scheduled[ada.pk].slot_id != first_slot.pk  # Ada's unavailable slot
    assert all(
        r.status == RequestStatus.ACCEPTED
        for r in MeetingRequest.objects.filter(pk__in=[r.pk for r in requests.values()])
    )

    # 4. The member's agenda lists both meetings, each at its slot and table.
    sign_in(page, member)
    page.goto(reverse("events:detail", args=[event.pk]))
    page.get_by_role("region", name="Registration").get_by_role("link", name="My agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My agenda")
    agenda = page.get_by_role("table", name="My scheduled meetings")
    for who, user in ((ADA, ada), (BRAM, bram)):
        meeting = scheduled[user.pk]
        row = agenda.get_by_role("row").filter(has_text=_name(who))
        expect(row).to_contain_text(_local(meeting.slot.starts_at, "SHORT_DATETIME_FORMAT"))
        expect(row).to_contain_text(_local(meeting.slot.ends_at, "TIME_FORMAT"))
        expect(row.get_by_role("cell").nth(1)).to_have_text(str(meeting.table))
        expect(row).to_contain_text(who[3])
    expect(agenda.get_by_role("row")).to_have_count(3)  # the header and two meetings
    checked(axe, page)
    _others_not_shown(page, MEMBER[2])

    # The same agenda as a PDF, through the page's link.
    pdf = page.request.get(page.get_by_role("link", name="PDF").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # 5. The iCalendar file, through the page's link in the same session: both meetings at
    # their slots' times (UTC), each with whom and where.
    href = page.get_by_role("link", name="iCalendar").get_attribute("href")
    answer = page.request.get(href)
    assert answer.ok, answer.status
    assert answer.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(answer.body())
    vevents = {str(v["uid"]): v for v in calendar.walk("VEVENT")}
    assert f"event-{event.pk}@events.filiere" in vevents
    slot_starts = {slot.starts_at for slot in stage["slots"]}
    for who, user in ((ADA, ada), (BRAM, bram)):
        meeting = scheduled[user.pk]
        vevent = vevents[f"meeting-{meeting.request_id}@events.filiere"]
        starts, ends = vevent.decoded("dtstart"), vevent.decoded("dtend")
        assert starts == meeting.slot.starts_at and ends == meeting.slot.ends_at
        assert starts in slot_starts and ends - starts == dt.timedelta(minutes=20)
        assert str(vevent["summary"]) == f"Meeting with {_name(who)}"
        assert f"Table {meeting.table}" in str(vevent["description"])
        assert "Plaine Images" in str(vevent["location"])
    assert len([uid for uid in vevents if uid.startswith("meeting-")]) == 2
    body = answer.text().lower()
    for address in ADDRESSES:
        assert address not in body, address
