"""Registration: capacity, the waiting list (first come, first served), promotion with its
e-mail after the commit, cancellation, the registration window; check-in and attendance."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.errors import NotAllowed, ServiceError
from filiere.events import selectors, services
from filiere.events.models import EventStatus, Registration, RegistrationStatus
from tests.accounts.factories import UserFactory
from tests.events.factories import event, registered, staff

pytestmark = pytest.mark.django_db


def test_capacity_then_waiting_list_in_order_of_arrival():
    day = event(capacity=2)
    first, second, third, fourth = (UserFactory() for _ in range(4))
    statuses = [services.register(event=day, user=u).status for u in (first, second, third, fourth)]

    assert statuses == ["registered", "registered", "waitlisted", "waitlisted"]
    assert selectors.counts(day).registered == 2
    third_registration = selectors.registration_of(third, day)
    fourth_registration = selectors.registration_of(fourth, day)
    assert selectors.waitlist_position(third_registration) == 1
    assert selectors.waitlist_position(fourth_registration) == 2


def test_cancelling_promotes_the_first_waitlisted_and_tells_them_after_commit(
    django_capture_on_commit_callbacks,
):
    day = event(capacity=1)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    for user in (first, second, third):
        services.register(event=day, user=user)

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(event=day, user=first)

    assert selectors.registration_of(second, day).status == RegistrationStatus.REGISTERED
    assert selectors.registration_of(third, day).status == RegistrationStatus.WAITLISTED
    assert selectors.registration_of(first, day) is None
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "Partner day" in mail.outbox[0].subject or "Journée" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(action="events.registration.promoted").count() == 1


def test_no_mail_when_the_cancellation_is_rolled_back(django_capture_on_commit_callbacks):
    day = event(capacity=1)
    first, second = UserFactory(), UserFactory()
    services.register(event=day, user=first)
    services.register(event=day, user=second)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.cancel_registration(event=day, user=first)
    assert len(callbacks) == 1 and mail.outbox == []  # sent only once committed


def test_raising_the_capacity_promotes_from_the_waiting_list(django_capture_on_commit_callbacks):
    day = event(capacity=1)
    users = [UserFactory() for _ in range(3)]
    for user in users:
        services.register(event=day, user=user)
    day.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        services.save_event(event=day, slots=[], by=staff())
    assert selectors.counts(day).registered == 2
    assert [m.to for m in mail.outbox] == [[users[1].email]]


def test_capacity_cannot_go_below_the_registered():
    day = event(capacity=3)
    for _ in range(2):
        registered(day)
    day.capacity = 1
    with pytest.raises(ServiceError) as refused:
        services.save_event(event=day, slots=[], by=staff())
    assert refused.value.code == "events.capacity_below_registered"
    assert "2 people are already registered" in refused.value.message


def test_refusals_say_why():
    now = timezone.now()
    user = UserFactory()
    cases = {
        "events.not_published": event(status=EventStatus.DRAFT),
        "events.cancelled": event(status=EventStatus.CANCELLED),
        "events.over": event(days=-3),
        "events.registration_not_open": event(registration_opens_at=now + dt.timedelta(days=1)),
        "events.registration_closed": event(registration_closes_at=now - dt.timedelta(hours=1)),
    }
    for code, the_event in cases.items():
        with pytest.raises(ServiceError) as refused:
            services.register(event=the_event, user=user)
        assert refused.value.code == code
        assert "refused" not in refused.value.message  # a sentence of its own
    day = event()
    services.register(event=day, user=user)
    with pytest.raises(ServiceError) as twice:
        services.register(event=day, user=user)
    assert twice.value.code == "events.already_registered"
    with pytest.raises(ServiceError) as nothing:
        services.cancel_registration(event=day, user=UserFactory())
    assert nothing.value.code == "events.not_registered"


def test_registering_again_after_cancelling():
    day = event()
    user = UserFactory()
    services.register(event=day, user=user)
    services.cancel_registration(event=day, user=user)
    again = services.register(event=day, user=user)
    assert again.status == "registered"
    assert Registration.objects.filter(event=day, user=user).count() == 2


def test_pages_register_and_cancel(client):
    day = event(capacity=1)
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("events:register", args=[day.pk]), follow=True)
    assert "You are registered." in response.content.decode()
    other = UserFactory()
    client.force_login(other)
    response = client.post(reverse("events:register", args=[day.pk]), follow=True)
    assert "waiting list (position 1)" in response.content.decode()
    mine = client.get(reverse("events:mine")).content.decode()
    assert "Partner day" in mine or "Journée partenaires" in mine
    response = client.post(reverse("events:cancel", args=[day.pk]), follow=True)
    assert "Your registration is cancelled." in response.content.decode()


def test_check_in_and_attendance(client):
    day = event()
    present = registered(day)
    registered(day)
    organiser = staff()
    client.force_login(organiser)
    page = client.get(reverse("events:check_in_list", args=[day.pk]))
    assert page.status_code == 200
    assert "0 present of 2 registered." in page.content.decode()
    client.post(reverse("events:check_in", args=[day.pk, present.pk]))
    present.refresh_from_db()
    assert present.checked_in_at is not None
    assert selectors.counts(day).checked_in == 1
    assert (
        "1 present of 2 registered."
        in client.get(reverse("events:check_in_list", args=[day.pk])).content.decode()
    )
    client.post(reverse("events:check_in", args=[day.pk, present.pk]), {"undo": "1"})
    present.refresh_from_db()
    assert present.checked_in_at is None
    assert AuditEntry.objects.filter(action__startswith="events.checkin.").count() == 2


def test_check_in_is_for_staff_and_for_this_event_only(client):
    day, other_day = event(), event()
    elsewhere = registered(other_day)
    with pytest.raises(NotAllowed):
        services.check_in(registration=elsewhere, by=UserFactory())
    client.force_login(staff())
    response = client.post(reverse("events:check_in", args=[day.pk, elsewhere.pk]))
    assert response.status_code == 404


def test_participants_csv_neutralises_formulas(client):
    day = event()
    registered(day, UserFactory(first_name="=HYPERLINK(1)", last_name="Dupont"))
    client.force_login(staff())
    response = client.get(reverse("events:participants_csv", args=[day.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in body and "Dupont" in body


def test_promotion_mail_is_in_the_recipients_language(django_capture_on_commit_callbacks):
    day = event(capacity=1)
    first, second = UserFactory(), UserFactory(preferred_language="nl")
    services.register(event=day, user=first)
    services.register(event=day, user=second)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(event=day, user=first)
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "nl"
    assert f"/nl/events/{day.pk}/" in message.body  # the link opens the page in Dutch
