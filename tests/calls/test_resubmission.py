"""After the submission: staff are told, the lead withdraws through the lifecycle service, and a
file sent back for corrections is sent again (resubmitted) while its correction window is open,
then locks again; the team reads its messages from its own pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from filiere.audit.models import AuditEntry
from filiere.calls.models import Application, Call, Message, Resubmission, Submission
from filiere.calls.services import applications as app_services
from filiere.calls.services.applications import ApplyError
from filiere.calls.services.instruction import request_correction
from filiere.calls.services.submission import (
    SubmissionRefused,
    receipt_hash,
    resubmit_application,
    submit_application,
    withdraw_application,
)
from tests.calls.apply_factories import invite
from tests.calls.test_submission import complete_draft
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english():
    with translation.override("en"):
        yield


def freeze(monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _to(address):
    return [m for m in mail.outbox if address in m.to]


# --- Staff told of submissions and withdrawals --------------------------------------------------


def test_submission_tells_the_staff_and_the_team_after_commit(django_capture_on_commit_callbacks):
    application = complete_draft()
    partner = UserFactory(preferred_language="en")
    invite(application, partner)
    staff = user_with_role("staff", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        submit_application(application=application, by=application.lead)
    (told,) = _to(staff.email)
    assert application.reference in told.subject
    assert _to(partner.email)  # the team member hears of it too
    # The lead, who acted, gets the acknowledgement of receipt only.
    assert [m.subject for m in _to(application.lead.email)] == [
        f"Acknowledgement of receipt: {application.reference}"
    ]


def test_late_submission_tells_nobody(monkeypatch, django_capture_on_commit_callbacks):
    application = complete_draft()
    user_with_role("staff")
    freeze(monkeypatch, application.call.closes_at + timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplyError):
        submit_application(application=application, by=application.lead)
    assert mail.outbox == []


def test_withdrawal_by_the_lead_tells_the_staff(client, django_capture_on_commit_callbacks):
    application = complete_draft()
    submit_application(application=application, by=application.lead)
    staff = user_with_role("staff", preferred_language="en")
    client.force_login(application.lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("calls:application_withdraw", args=[application.pk]),
            {"reason": "Financed elsewhere", "confirm": "on"},
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == "withdrawn"
    assert _to(staff.email), "staff must be told of the withdrawal"
    assert not _to(application.lead.email)  # the person who acted is not told
    # One audit entry for one state change, with the reason, web and API alike.
    transition = AuditEntry.objects.get(action="calls.application.withdraw")
    assert transition.data["transition"] == "withdraw"
    assert transition.data["from"] == "submitted"
    assert transition.reason == "Financed elsewhere"


def test_refused_withdrawal_tells_nobody(django_capture_on_commit_callbacks):
    application = complete_draft()
    submit_application(application=application, by=application.lead)
    Application.objects.filter(pk=application.pk).update(state="awarded")
    user_with_role("staff")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApplyError):
        withdraw_application(application=application, by=application.lead)
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="calls.application.withdraw").exists()


# --- Resubmission after a correction request ----------------------------------------------------


@pytest.fixture
def incomplete():
    """A submitted file sent back for corrections until tomorrow noon (the call has closed)."""
    application = complete_draft()
    submit_application(application=application, by=application.lead)
    Call.objects.filter(pk=application.call_id).update(
        closes_at=timezone.now() - timedelta(hours=1)
    )
    staff = user_with_role("staff", preferred_language="en")
    until = timezone.now() + timedelta(days=1)
    request_correction(
        application=application,
        items=["Signed financing plan"],
        until=until,
        by=staff,
    )
    application.refresh_from_db()
    assert application.state == "incomplete"
    application.staff = staff
    return application


def test_the_lead_resubmits_from_the_page_and_staff_are_told(
    client, incomplete, django_capture_on_commit_callbacks
):
    application = incomplete
    original = Submission.objects.get(application=application)
    client.force_login(application.lead)
    page = client.get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    assert "Signed financing plan" in page
    assert reverse("calls:application_resubmit", args=[application.pk]) in page
    assert "Send the corrected application" in page

    # The file is editable during the window.
    app_services.save_project(
        application=application,
        by=application.lead,
        title="Les mines, corrigé",
        summary=application.summary,
        genre_id=application.genre_id,
        stage_id=application.stage_id,
        expected_version=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("calls:application_resubmit", args=[application.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("calls:application_receipt", args=[application.pk])

    application.refresh_from_db()
    assert application.state == "submitted"
    assert application.correction_until is None
    assert application.submitted_at == original.submitted_at  # the on-time date is kept
    assert application.correction_requests.filter(closed_at__isnull=True).count() == 0

    resubmission = Resubmission.objects.get(application=application)
    assert resubmission.content["title"] == "Les mines, corrigé"
    assert resubmission.sha256 == receipt_hash(resubmission.content)
    assert resubmission.sha256 != original.sha256
    # The original acknowledgement is unchanged.
    original.refresh_from_db()
    assert original.sha256 == receipt_hash(original.content)
    assert original.content["title"] != "Les mines, corrigé"

    assert _to(application.staff.email), "staff must be told of the resubmission"
    assert not _to(application.lead.email)
    entry = AuditEntry.objects.get(action="calls.application.resubmit")
    assert (entry.data["from"], entry.data["to"]) == ("incomplete", "submitted")
    assert entry.data["sha256"] == resubmission.sha256

    receipt = client.get(response["Location"]).content.decode()
    assert original.sha256 in receipt and resubmission.sha256 in receipt

    # Submitted again: read-only, and no second resubmission.
    detail = client.get(reverse("calls:application_detail", args=[application.pk]))
    assert "Send the corrected application" not in detail.content.decode()
    with pytest.raises(ApplyError) as refused:
        resubmit_application(application=application, by=application.lead)
    assert refused.value.code == "apply.not_resubmittable"


def test_resubmission_at_the_closing_second_is_on_time(monkeypatch, incomplete):
    application = incomplete
    freeze(monkeypatch, application.correction_until)
    resubmit_application(application=application, by=application.lead)
    application.refresh_from_db()
    assert application.state == "submitted"


def test_after_the_correction_date_the_file_is_read_only_again(monkeypatch, client, incomplete):
    application = incomplete
    freeze(monkeypatch, application.correction_until + timedelta(seconds=1))
    client.force_login(application.lead)
    page = client.get(reverse("calls:application_detail", args=[application.pk])).content.decode()
    assert "Send the corrected application" not in page
    assert "The time allowed for corrections is over" in page
    review = client.get(reverse("calls:application_step", args=[application.pk, "review"]))
    assert reverse("calls:application_resubmit", args=[application.pk]) not in (
        review.content.decode()
    )

    with pytest.raises(ApplyError) as refused:
        app_services.save_project(
            application=application,
            by=application.lead,
            title="Too late",
            summary="",
            genre_id=None,
            stage_id=None,
            expected_version=None,
        )
    assert refused.value.code == "apply.read_only"

    response = client.post(
        reverse("calls:application_resubmit", args=[application.pk]), follow=True
    )
    assert "Corrections were allowed until" in response.content.decode()
    application.refresh_from_db()
    assert application.state == "incomplete"
    assert not Resubmission.objects.exists()


def test_only_the_lead_resubmits(incomplete):
    partner = UserFactory()
    invite(incomplete, partner)
    with pytest.raises(ApplyError) as refused:
        resubmit_application(application=incomplete, by=partner)
    assert refused.value.code == "apply.only_lead_resubmits"


def test_a_stranger_gets_a_404(client, incomplete):
    client.force_login(UserFactory())
    response = client.post(reverse("calls:application_resubmit", args=[incomplete.pk]))
    assert response.status_code == 404
    incomplete.refresh_from_db()
    assert incomplete.state == "incomplete"


def test_missing_items_block_the_resubmission(client, incomplete):
    incomplete.documents.all().delete()
    with pytest.raises(SubmissionRefused):
        resubmit_application(application=incomplete, by=incomplete.lead)
    client.force_login(incomplete.lead)
    response = client.post(reverse("calls:application_resubmit", args=[incomplete.pk]))
    assert response["Location"] == reverse("calls:application_step", args=[incomplete.pk, "review"])
    incomplete.refresh_from_db()
    assert incomplete.state == "incomplete"


# --- Messages from the applicant's pages --------------------------------------------------------


def test_messages_are_linked_with_their_count(client, incomplete):
    application = incomplete
    for body in ("Please send the plan.", "Any news?"):
        Message.objects.create(
            application=application, author=application.staff, from_staff=True, body=body
        )
    client.force_login(application.lead)
    url = reverse("calls:application_messages", args=[application.reference])
    detail = client.get(reverse("calls:application_detail", args=[application.pk])).content
    assert url in detail.decode()
    assert "(2 messages)" in detail.decode()
    dashboard = client.get(reverse("calls:my_applications")).content.decode()
    assert f'href="{url}"' in dashboard
    assert f"2 messages about {application.reference}" in dashboard
    assert client.get(url).status_code == 200
