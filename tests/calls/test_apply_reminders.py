"""Deadline reminders: 7 days and 48 hours before closing, to holders of unsubmitted drafts,
exactly once each."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from filiere.calls.models import DeadlineReminder
from filiere.calls.services.reminders import send_deadline_reminders
from filiere.calls.tasks import send_deadline_reminders as reminders_task
from tests.calls.apply_factories import DraftFactory, OpenCallFactory, invite
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def call_closing_in(delta, now):
    return OpenCallFactory(opens_at=now - timedelta(days=30), closes_at=now + delta)


@pytest.mark.translations
def test_seven_day_then_48_hour_reminders_are_sent_exactly_once():
    now = timezone.now()
    call = call_closing_in(timedelta(days=6, hours=23), now)
    draft = DraftFactory(call=call)
    partner = UserFactory(preferred_language="en")
    invite(draft, partner)
    reader = UserFactory()
    invite(draft, reader, can_edit=False)

    assert send_deadline_reminders(now=now) == 2  # the lead and the partner who edits
    assert sorted(m.to[0] for m in mail.outbox) == sorted([draft.lead.email, partner.email])
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    # Each in their own language: the lead's is French (the default), the partner's English.
    assert subjects[draft.lead.email].startswith("Plus que 7 jours pour déposer")
    assert subjects[partner.email].startswith("7 days left to submit")
    assert send_deadline_reminders(now=now + timedelta(hours=1)) == 0  # not again

    later = call.closes_at - timedelta(hours=47)
    assert send_deadline_reminders(now=later) == 2
    later_subjects = {m.to[0]: m.subject for m in mail.outbox[2:]}
    assert later_subjects[draft.lead.email].startswith("Plus que 48 heures pour déposer")
    assert later_subjects[partner.email].startswith("48 hours left to submit")
    assert send_deadline_reminders(now=later + timedelta(hours=1)) == 0
    assert set(DeadlineReminder.objects.values_list("kind", flat=True)) == {"7d", "48h"}
    assert len(mail.outbox) == 4


def test_a_draft_started_two_days_before_gets_only_the_48_hour_reminder():
    now = timezone.now()
    draft = DraftFactory(
        call=call_closing_in(timedelta(hours=40), now), lead=UserFactory(preferred_language="en")
    )
    assert send_deadline_reminders(now=now) == 1
    assert "48 hours left" in mail.outbox[0].subject
    assert dict(DeadlineReminder.objects.values_list("kind", "recipients")) == {
        "48h": [draft.lead.email],
        "7d": [],
    }
    assert send_deadline_reminders(now=now) == 0


def test_submitted_files_and_far_or_closed_calls_get_no_reminder():
    now = timezone.now()
    DraftFactory(call=call_closing_in(timedelta(days=3), now), state="submitted")
    DraftFactory(call=call_closing_in(timedelta(days=8), now))
    closed = OpenCallFactory(opens_at=now - timedelta(days=9), closes_at=now - timedelta(hours=1))
    DraftFactory(call=closed)
    assert send_deadline_reminders(now=now) == 0


def test_reminder_is_written_in_each_recipients_language():
    now = timezone.now()
    draft = DraftFactory(
        call=call_closing_in(timedelta(days=5), now), lead=UserFactory(preferred_language="en")
    )
    send_deadline_reminders(now=now)
    from django.utils import formats, translation

    with translation.override("en"):
        date = formats.date_format(timezone.localtime(draft.call.closes_at), "DATE_FORMAT")
    assert date in mail.outbox[0].body


def test_command_and_task_send_the_same_reminders_once():
    now = timezone.now()
    DraftFactory(call=call_closing_in(timedelta(days=2, hours=1), now))
    call_command("send_deadline_reminders", stdout=__import__("io").StringIO())
    reminders_task.enqueue()
    assert len(mail.outbox) == 1
