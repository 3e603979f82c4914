"""Review reminders: 7 days and 2 days before the call's review deadline and once when late,
at most once of each kind per assignment; never about a submitted review, to an expert who left
or about an application the expert is in conflict with; in the expert's language. And the
staff's "remind the late experts now"."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.review.models import (
    Assignment,
    Expert,
    ExpertStatus,
    PairResponse,
    PairStatus,
    ReminderKind,
    Review,
    ReviewReminder,
    ReviewSettings,
    ReviewStatus,
)
from filiere.review.services_reminders import send_review_reminders
from tests.factories import CallFactory, OrganisationFactory
from tests.review.factories import application, call_staff, expert, works_for

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def call():
    call = CallFactory()
    ReviewSettings.objects.create(call=call, deadline=NOW + timedelta(days=10))
    return call


def _pair(call, user, app=None, response=PairResponse.ACCEPTED):
    return Assignment.objects.create(
        application=app or application(call),
        expert=Expert.objects.get(user=user, fund=call.fund),
        status=PairStatus.PUBLISHED,
        response=response,
    )


def _at(call, days_before):
    """The moment ``days_before`` days before the call's deadline (negative: after it)."""
    return call.review_settings.deadline - timedelta(days=days_before)


def _kinds(pair):
    return sorted(pair.reminders.values_list("kind", "sent_to"))


def test_seven_days_two_days_and_late_each_once(call, mailoutbox):
    reader = expert(call.fund)
    pair = _pair(call, reader, application(call, title="Mémoire minière", reference="EI-0042"))

    assert send_review_reminders(now=_at(call, 8)).total == 0
    assert send_review_reminders(now=_at(call, 6)).emails == {"7d": 1}
    assert send_review_reminders(now=_at(call, 5)).total == 0  # not again
    assert send_review_reminders(now=_at(call, 1.5)).emails == {"2d": 1}
    assert send_review_reminders(now=_at(call, 1)).total == 0
    assert send_review_reminders(now=_at(call, -1)).emails == {"late": 1}
    assert send_review_reminders(now=_at(call, -2)).total == 0

    assert len(mailoutbox) == 3
    assert [m.to for m in mailoutbox] == [[reader.email]] * 3
    body = mailoutbox[0].body
    assert "EI-0042 — Mémoire minière" in body
    assert reverse("review:review_form", args=[pair.pk]) in body
    assert "late" in mailoutbox[2].subject
    assert _kinds(pair) == [(k, reader.email) for k in ("2d", "7d", "late")]


def test_one_email_per_expert_lists_every_application_to_review(call, mailoutbox):
    reader = expert(call.fund)
    first, second = _pair(call, reader), _pair(call, reader)
    other = _pair(call, expert(call.fund))

    report = send_review_reminders(now=_at(call, 6))

    assert (report.total, report.assignments) == (2, 3)
    mine = next(m for m in mailoutbox if m.to == [reader.email])
    for pair in (first, second):
        assert reverse("review:review_form", args=[pair.pk]) in mine.body
    assert reverse("review:review_form", args=[other.pk]) not in mine.body


def test_only_the_most_urgent_goes_out_when_several_are_due(call, mailoutbox):
    pair = _pair(call, expert(call.fund))

    assert send_review_reminders(now=_at(call, -1)).emails == {"late": 1}

    assert len(mailoutbox) == 1
    assert _kinds(pair) == [("2d", ""), ("7d", ""), ("late", pair.expert.email)]
    assert send_review_reminders(now=_at(call, -3)).total == 0


def test_a_deadline_long_past_sends_nothing(call, mailoutbox):
    _pair(call, expert(call.fund))

    assert send_review_reminders(now=_at(call, -60)).total == 0
    assert not ReviewReminder.objects.exists()


def test_not_about_submitted_reviews_but_about_drafts(call, mailoutbox):
    reader = expert(call.fund)
    submitted = _pair(call, reader)
    Review.objects.create(assignment=submitted, status=ReviewStatus.SUBMITTED)
    draft = _pair(call, reader)
    Review.objects.create(assignment=draft, status=ReviewStatus.DRAFT)

    assert send_review_reminders(now=_at(call, 6)).assignments == 1

    assert reverse("review:review_form", args=[draft.pk]) in mailoutbox[0].body
    assert reverse("review:review_form", args=[submitted.pk]) not in mailoutbox[0].body
    assert not submitted.reminders.exists()


def test_not_to_removed_experts_nor_about_unaccepted_assignments(call, mailoutbox):
    removed = expert(call.fund)
    _pair(call, removed)
    Expert.objects.filter(user=removed).update(status=ExpertStatus.LEFT)
    reader = expert(call.fund)
    _pair(call, reader, response=PairResponse.PENDING)
    _pair(call, reader, response=PairResponse.DECLINED)

    assert send_review_reminders(now=_at(call, -1)).total == 0
    assert not mailoutbox


def test_not_about_an_application_the_expert_is_in_conflict_with(call, mailoutbox):
    studio = OrganisationFactory()
    reader = expert(call.fund)
    _pair(call, reader, application(call, organisation=studio))
    works_for(reader, studio)

    assert send_review_reminders(now=_at(call, -1)).total == 0


def test_a_call_without_a_deadline_sends_nothing(call, mailoutbox):
    ReviewSettings.objects.filter(call=call).update(deadline=None)
    _pair(call, expert(call.fund))

    assert send_review_reminders(now=NOW + timedelta(days=365)).total == 0


@pytest.mark.parametrize(
    ("language", "month"), [("fr", "janvier"), ("en", "Jan. 15, 2031"), ("nl", "januari")]
)
def test_in_the_experts_language(call, mailoutbox, language, month):
    ReviewSettings.objects.filter(call=call).update(
        deadline=timezone.make_aware(datetime(2031, 1, 15, 12, 0))
    )
    call.refresh_from_db()
    reader = expert(call.fund)
    reader.preferred_language = language
    reader.save()
    _pair(call, reader)

    send_review_reminders(now=_at(call, 6))

    assert month in mailoutbox[0].body


def test_the_database_keeps_one_reminder_of_each_automatic_kind(call):
    pair = _pair(call, expert(call.fund))
    ReviewReminder.objects.create(assignment=pair, kind=ReminderKind.SEVEN_DAYS)
    ReviewReminder.objects.create(assignment=pair, kind=ReminderKind.STAFF)
    ReviewReminder.objects.create(assignment=pair, kind=ReminderKind.STAFF)  # may repeat

    with pytest.raises(IntegrityError):
        ReviewReminder.objects.create(assignment=pair, kind=ReminderKind.SEVEN_DAYS)


def test_the_command_says_what_it_sent(call, mailoutbox):
    ReviewSettings.objects.filter(call=call).update(deadline=timezone.now() + timedelta(days=5))
    _pair(call, expert(call.fund))
    out = StringIO()

    call_command("send_review_reminders", stdout=out)
    assert out.getvalue().strip() == "1 reminder e-mail(s) sent about 1 review(s) (7d: 1)."

    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    assert out.getvalue().strip() == "0 reminder e-mail(s) sent about 0 review(s)."
    assert len(mailoutbox) == 1


# --- The staff's "remind the late experts now" ----------------------------------------------------


def _remind(client, call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("review:review_remind_late", args=[call.slug]), follow=True)


def test_staff_remind_the_late_experts_once_a_day(
    client, call, mailoutbox, django_capture_on_commit_callbacks
):
    ReviewSettings.objects.filter(call=call).update(deadline=timezone.now() - timedelta(days=1))
    late = expert(call.fund)
    first, second = _pair(call, late), _pair(call, late)
    done = _pair(call, expert(call.fund))
    Review.objects.create(assignment=done, status=ReviewStatus.SUBMITTED)
    client.force_login(call_staff(call))

    response = _remind(client, call, django_capture_on_commit_callbacks)

    assert response.redirect_chain[-1][0] == reverse("review:review_dashboard", args=[call.slug])
    assert "1 expert reminded (late reviews: 2)." in response.content.decode()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [late.email]
    assert "late" in mailoutbox[0].subject
    for pair in (first, second):
        assert reverse("review:review_form", args=[pair.pk]) in mailoutbox[0].body
    assert AuditEntry.objects.filter(action="review.reminders.sent").exists()

    again = _remind(client, call, django_capture_on_commit_callbacks)
    assert "2 late reviews were left out" in again.content.decode()
    assert "reminded (late reviews" not in again.content.decode()
    assert len(mailoutbox) == 1


def test_staff_reminder_before_the_deadline_reminds_nobody(
    client, call, mailoutbox, django_capture_on_commit_callbacks
):
    _pair(call, expert(call.fund))
    client.force_login(call_staff(call))

    response = _remind(client, call, django_capture_on_commit_callbacks)

    assert "No expert to remind" in response.content.decode()
    assert not mailoutbox


def test_the_staff_reminder_is_post_only_and_for_the_staff_of_the_call(client, call, mailoutbox):
    url = reverse("review:review_remind_late", args=[call.slug])
    client.force_login(call_staff(call))
    assert client.get(url).status_code == 405

    client.force_login(call_staff(CallFactory(fund=call.fund)))
    assert client.post(url).status_code == 403
    client.force_login(expert(call.fund))
    assert client.post(url).status_code == 403
    assert not mailoutbox


def test_the_dashboard_offers_the_staff_to_remind_the_late_experts(
    client, call, mailoutbox, django_capture_on_commit_callbacks
):
    dashboard = reverse("review:review_dashboard", args=[call.slug])
    action = f'action="{reverse("review:review_remind_late", args=[call.slug])}"'
    late = expert(call.fund)
    _pair(call, late)
    client.force_login(call_staff(call))
    # Before the deadline nobody is late: no button.
    assert action not in client.get(dashboard).content.decode()

    ReviewSettings.objects.filter(call=call).update(deadline=timezone.now() - timedelta(days=1))
    page = client.get(dashboard).content.decode()
    assert action in page
    form = page[page.index(action) :]
    form = form[: form.index("</form>")]
    assert "csrfmiddlewaretoken" in form
    assert 'class="button"' in form and "Remind the late experts now" in form

    response = _remind(client, call, django_capture_on_commit_callbacks)
    assert "1 expert reminded (late reviews: 1)." in response.content.decode()
    assert [message.to for message in mailoutbox] == [[late.email]]
