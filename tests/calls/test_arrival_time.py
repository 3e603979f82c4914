"""The time that counts for a deadline is the arrival at the platform, stamped by its proxy
(``X-Request-Start``), believed only from the configured proxy and within the bound; otherwise
the server clock when the file is recorded. Pages, API and the receipt (page, PDF, e-mail,
API) alike."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.services import create_api_token
from filiere.audit.models import AuditEntry
from filiere.calls.models import Resubmission, Submission
from filiere.calls.receipts import receipt_pdf
from filiere.calls.services.applications import ApplyError
from filiere.calls.services.instruction import request_correction
from filiere.calls.services.submission import (
    receipt_hash,
    resubmit_application,
    submit_application,
)
from filiere.engine.arrival import Arrival, Basis
from filiere.engine.arrival import arrival_time as read_stamp
from tests.calls.test_submission import complete_draft
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.5"  # the platform's nginx, as the application servers see it
CLIENT = "203.0.113.9"  # anyone on the Internet


@pytest.fixture(autouse=True)
def _english_and_a_proxy(settings):
    settings.FILIERE_TRUSTED_PROXIES = [PROXY]
    settings.FILIERE_ARRIVAL_MAX_AGE_SECONDS = 120
    with translation.override("en"):
        yield


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def stamp(moment):
    """``X-Request-Start`` as nginx writes it: ``t=<seconds>.<milliseconds>``."""
    return f"t={int(moment.timestamp())}.{moment.microsecond // 1000:03d}"


def closing(application):
    """The call's closing time, to the second (a stamp has millisecond resolution)."""
    closes_at = application.call.closes_at.replace(microsecond=0)
    application.call.closes_at = closes_at
    application.call.save(update_fields=["closes_at"])
    return closes_at


def post_submit(client, application, *, header=None, peer=PROXY):
    extra = {"REMOTE_ADDR": peer}
    if header is not None:
        extra["HTTP_X_REQUEST_START"] = header
    client.force_login(application.lead)
    return client.post(
        reverse("calls:application_submit", args=[application.pk]), follow=True, **extra
    )


# --- the page -----------------------------------------------------------------------------------


def test_a_file_that_arrived_in_time_is_accepted_although_processed_after_the_deadline(
    client, monkeypatch
):
    application = complete_draft()
    closes_at = closing(application)
    arrived = closes_at - timedelta(milliseconds=400)
    freeze(monkeypatch, closes_at + timedelta(seconds=9))  # nine seconds in the queue
    response = post_submit(client, application, header=stamp(arrived))
    assert "Your application has been submitted." in response.content.decode()
    submission = Submission.objects.get()
    assert submission.arrived_at == arrived
    assert submission.submitted_at == closes_at + timedelta(seconds=9)
    assert submission.arrival_basis == "arrival.stamp"
    application.refresh_from_db()
    assert (application.state, application.submitted_at) == ("submitted", arrived)
    # The receipt's hash covers both times.
    assert submission.content["arrived_at"] == arrived.isoformat()
    assert submission.content["submitted_at"] == submission.submitted_at.isoformat()
    assert receipt_hash(submission.content) == submission.sha256
    entry = AuditEntry.objects.get(action="calls.application.submit")
    assert entry.data["arrived_at"] == arrived.isoformat()
    assert entry.data["submitted_at"] == submission.submitted_at.isoformat()
    assert entry.data["arrival_basis"] == "arrival.stamp"
    assert entry.data["stamp"] == arrived.isoformat()


def test_a_forged_stamp_from_a_client_is_ignored_and_a_late_file_stays_late(client, monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    response = post_submit(
        client, application, header=stamp(closes_at - timedelta(minutes=1)), peer=CLIENT
    )
    assert "the application can no longer be submitted" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_forged_stamp_is_ignored_when_no_proxy_is_configured(client, monkeypatch, settings):
    settings.FILIERE_TRUSTED_PROXIES = []  # the default: nobody's stamp is believed
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    response = post_submit(client, application, header=stamp(closes_at - timedelta(seconds=5)))
    assert "the application can no longer be submitted" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_proxys_stamp_older_than_the_bound_is_not_believed(client, monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    too_old = closes_at + timedelta(seconds=1) - timedelta(seconds=120, milliseconds=1)
    response = post_submit(client, application, header=stamp(too_old))
    assert "the application can no longer be submitted" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_proxys_stamp_at_the_bound_is_believed(client, monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=100))
    at_bound = closes_at - timedelta(seconds=20)  # exactly 120 s before processing
    post_submit(client, application, header=stamp(at_bound))
    assert Submission.objects.get().arrived_at == at_bound


def test_a_stamp_in_the_future_falls_back_to_the_server_clock(client, monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    processed = closes_at - timedelta(seconds=2)
    freeze(monkeypatch, processed)
    post_submit(client, application, header=stamp(closes_at + timedelta(seconds=30)))
    submission = Submission.objects.get()
    assert (submission.arrived_at, submission.arrival_basis) == (
        processed,
        "arrival.stamp_in_future",
    )
    entry = AuditEntry.objects.get(action="calls.application.submit")
    assert entry.data["stamp"] == (closes_at + timedelta(seconds=30)).isoformat()


def test_a_stamp_in_the_future_cannot_save_a_late_file(client, monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    response = post_submit(client, application, header=stamp(closes_at + timedelta(seconds=5)))
    assert "the application can no longer be submitted" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_stamp_exactly_at_the_deadline_is_on_time_one_millisecond_later_is_not(
    client, monkeypatch
):
    on_time, late = complete_draft(), complete_draft()
    for application in (on_time, late):
        closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=3))
    post_submit(client, on_time, header=stamp(on_time.call.closes_at))
    response = post_submit(
        client, late, header=stamp(late.call.closes_at + timedelta(milliseconds=1))
    )
    assert "the application can no longer be submitted" in response.content.decode()
    assert [s.application_id for s in Submission.objects.all()] == [on_time.pk]
    assert Submission.objects.get().arrived_at == on_time.call.closes_at


def test_without_a_stamp_the_server_clock_counts_as_before(client, monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    response = post_submit(client, application)
    assert "the application can no longer be submitted" in response.content.decode()
    freeze(monkeypatch, closes_at)
    post_submit(client, application)
    submission = Submission.objects.get()
    assert submission.arrived_at == submission.submitted_at == closes_at
    assert submission.arrival_basis == "arrival.no_stamp"


def test_a_task_or_command_has_no_arrival_the_processing_time_counts(monkeypatch):
    application = complete_draft()
    processed = closing(application)
    freeze(monkeypatch, processed)
    submission = submit_application(application=application, by=application.lead)
    assert (submission.arrived_at, submission.arrival_basis) == (processed, "arrival.no_request")


def test_the_eligibility_deadline_rule_reads_the_arrival_too(client, monkeypatch):
    """The completeness check includes the eligibility rules, whose deadline rule compares the
    submission's moment with the closing time: it must be the arrival, not the processing."""
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=30))
    post_submit(client, application, header=stamp(closes_at - timedelta(seconds=1)))
    assert Submission.objects.count() == 1


# --- one submission, whatever the stamps --------------------------------------------------------


def test_the_same_stamp_twice_gives_one_submission(client, monkeypatch):
    """A retry (the proxy resends to another server with the same stamp, or the person presses
    again) finds the row locked and the file in: one submission."""
    application = complete_draft()
    closes_at = closing(application)
    arrived = closes_at - timedelta(seconds=1)
    freeze(monkeypatch, closes_at + timedelta(seconds=4))
    post_submit(client, application, header=stamp(arrived))
    response = post_submit(client, application, header=stamp(arrived))
    assert "This application has already been submitted." in response.content.decode()
    arrival = Arrival(arrived, Basis.STAMP, arrived)
    with pytest.raises(ApplyError) as refused:
        submit_application(application=application, by=application.lead, arrival=arrival)
    assert refused.value.code == "apply.already_submitted"
    assert Submission.objects.count() == 1
    assert AuditEntry.objects.filter(action="calls.application.submit").count() == 1


def test_a_service_given_an_untrusted_reading_uses_its_own_clock(monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    forged = read_stamp(
        header=stamp(closes_at - timedelta(seconds=10)),
        trusted_peer=False,
        max_age=120,
        now=closes_at + timedelta(seconds=1),
    )
    with pytest.raises(ApplyError) as refused:
        submit_application(application=application, by=application.lead, arrival=forged)
    assert refused.value.code == "apply.deadline_passed"


# --- resubmission -------------------------------------------------------------------------------


def test_a_corrected_file_that_arrived_before_the_end_of_the_window_is_accepted(
    client, monkeypatch
):
    application = complete_draft()
    submit_application(application=application, by=application.lead)
    until = (timezone.now() + timedelta(days=1)).replace(microsecond=0)
    request_correction(
        application=application, items=["Kbis"], until=until, by=user_with_role("staff")
    )
    freeze(monkeypatch, until + timedelta(seconds=5))
    client.force_login(application.lead)
    client.post(
        reverse("calls:application_resubmit", args=[application.pk]),
        REMOTE_ADDR=PROXY,
        HTTP_X_REQUEST_START=stamp(until - timedelta(milliseconds=200)),
    )
    resubmission = Resubmission.objects.get()
    assert resubmission.arrived_at == until - timedelta(milliseconds=200)
    assert resubmission.resubmitted_at == until + timedelta(seconds=5)
    assert resubmission.arrival_basis == "arrival.stamp"
    with pytest.raises(ApplyError) as refused:  # and it is closed again
        resubmit_application(application=application, by=application.lead)
    assert refused.value.code == "apply.not_resubmittable"


# --- the API ------------------------------------------------------------------------------------


def api_submit(client, application, *, header, peer):
    token = create_api_token(user=application.lead, name="t")[1]
    return client.post(
        f"/api/v1/applications/{application.pk}/submit",
        data="",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_REQUEST_START=header,
        REMOTE_ADDR=peer,
    )


def test_the_api_believes_the_proxys_stamp_and_shows_both_times(client, monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    arrived = closes_at - timedelta(milliseconds=10)
    freeze(monkeypatch, closes_at + timedelta(seconds=6))
    response = api_submit(client, application, header=stamp(arrived), peer=PROXY)
    assert response.status_code == 200, response.content
    token = create_api_token(user=application.lead, name="r")[1]
    receipt = client.get(
        f"/api/v1/applications/{application.pk}/receipt", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert receipt["arrival_basis"] == "arrival.stamp"
    assert receipt["arrived_at"].startswith(arrived.isoformat()[:23])  # to the millisecond
    assert receipt["submitted_at"].startswith((closes_at + timedelta(seconds=6)).isoformat()[:19])


def test_the_api_ignores_a_forged_stamp(client, monkeypatch):
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    response = api_submit(
        client, application, header=stamp(closes_at - timedelta(seconds=30)), peer=CLIENT
    )
    assert response.status_code == 409
    assert json.loads(response.content)["code"] == "apply.deadline_passed"
    assert not Submission.objects.exists()


# --- the receipt --------------------------------------------------------------------------------


def test_the_receipt_page_pdf_and_email_show_both_times(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    application = complete_draft()
    application.lead.preferred_language = "en"
    application.lead.save()
    closes_at = closing(application)
    arrived = closes_at - timedelta(seconds=1)
    processed = closes_at + timedelta(seconds=42)
    freeze(monkeypatch, processed)
    with django_capture_on_commit_callbacks(execute=True):
        post_submit(client, application, header=stamp(arrived))
    submission = Submission.objects.get()

    def shown(moment):
        return timezone.localtime(moment).strftime("%H:%M:%S")

    html = client.get(reverse("calls:application_receipt", args=[application.pk])).content
    html = html.decode()
    assert "Arrived at the platform" in html and shown(arrived) in html
    assert "Submitted at (server clock)" in html and shown(processed) in html
    assert "received the request; it is the time compared with the deadline" in html

    pdf = receipt_pdf(submission)
    assert b"Arrived at the platform: " in pdf and shown(arrived).encode() in pdf
    assert b"Submitted at: " in pdf and shown(processed).encode() in pdf

    (message,) = [m for m in mail.outbox if application.lead.email in m.to]
    assert "Arrived at the platform: " in message.body and shown(arrived) in message.body
    assert "Submitted at (server clock): " in message.body and shown(processed) in message.body


def test_the_receipt_says_when_the_server_clock_counted(client, monkeypatch):
    application = complete_draft()
    freeze(monkeypatch, closing(application))
    post_submit(client, application, header=None)
    html = client.get(reverse("calls:application_receipt", args=[application.pk])).content
    assert "the server clock when the submission was recorded" in html.decode()


@pytest.mark.parametrize(
    "header",
    ["t=" + "9" * 5000, "t=1e308", "t=-1", "t=１７９６３８１９９９", "t=nan", "t=1.2.3, t=4"],
)
def test_a_hostile_stamp_even_from_the_proxy_is_no_error_and_moves_nothing(
    client, monkeypatch, header
):
    application = complete_draft()
    closes_at = closing(application)
    freeze(monkeypatch, closes_at + timedelta(seconds=1))
    response = post_submit(client, application, header=header)
    assert response.status_code == 200  # the review page and its message, never a 500
    assert "the application can no longer be submitted" in response.content.decode()
    assert not Submission.objects.exists()
