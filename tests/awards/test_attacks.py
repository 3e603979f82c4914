"""Attackers of the agreements, by page and API: another team's member, a pending invitee, the
staff of another call, a staff member without a second factor, and hostile files (not a PDF,
too large, EICAR through a real clamd). Each learns nothing (404) and changes nothing."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from filiere.audit.models import AuditEntry
from filiere.awards.models import Agreement
from tests.accounts.factories import sign_in, user_with_role
from tests.awards.factories import call_staff, open_call
from tests.awards.pages import bearer, sent_case
from tests.calls import clamd_server as _clamd
from tests.calls.apply_factories import EICAR, pdf_bytes, upload
from tests.calls.instruction_factories import add_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

clamd_server = _clamd.clamd_server
clamd = _clamd.clamd


def _reader_urls(agreement):
    return [
        reverse("awards:my_agreement", args=[agreement.pk]),
        reverse("awards:pdf", args=[agreement.pk]),
        reverse("awards:signed_copy", args=[agreement.pk]),
    ]


def _staff_gets(agreement):
    return [
        reverse("awards:agreement", args=[agreement.pk]),
        reverse("awards:amend", args=[agreement.pk]),
    ]


def _staff_posts(agreement):
    return [
        reverse("awards:send", args=[agreement.pk]),
        reverse("awards:record_signature", args=[agreement.pk]),
        reverse("awards:amend", args=[agreement.pk]),
    ]


def _nothing_changed(agreement):
    before = Agreement.objects.get(pk=agreement.pk)
    return (before.status, before.version, before.signed_copy.name)


def _locked_out(client, user, agreement):
    """``user`` reads nothing of ``agreement`` and changes nothing, by page or API."""
    state = _nothing_changed(agreement)
    client.force_login(user)
    for url in _reader_urls(agreement):
        assert client.get(url).status_code == 404, url
    for url in _staff_gets(agreement):
        assert client.get(url).status_code in (403, 404), url
    for url in _staff_posts(agreement):
        assert client.post(url, {"reason": "x", "amount": "1"}).status_code in (403, 404), url
    upload_url = reverse("awards:signed_copy_upload", args=[agreement.pk])
    assert client.post(upload_url, {"file": upload("x.pdf", pdf_bytes())}).status_code == 404
    assert (
        agreement.application.reference
        not in client.get(reverse("awards:my_agreements")).content.decode()
    )
    headers = bearer(user)
    assert client.get(f"/api/v1/agreements/{agreement.pk}", **headers).status_code == 404
    listed = client.get("/api/v1/agreements", **headers).json()
    assert all(row["id"] != agreement.pk for row in listed["results"])
    assert _nothing_changed(agreement) == state


def test_a_member_of_another_team_sees_nothing(client):
    case = sent_case()
    other = sent_case()
    _locked_out(client, other.lead, case.agreement)
    _locked_out(client, other.member, case.agreement)


def test_a_pending_invitee_is_not_on_the_team_yet(client):
    case = sent_case()
    invitee = UserFactory()
    add_member(case.agreement.application, invitee, accepted=False)
    _locked_out(client, invitee, case.agreement)


def test_the_staff_of_another_call_sees_nothing(client):
    case = sent_case()
    _locked_out(client, call_staff(open_call()), case.agreement)
    generate = reverse(
        "awards:generate",
        args=[case.agreement.application.call.slug, case.agreement.application_id],
    )
    client.force_login(call_staff(open_call()))
    assert client.get(generate).status_code == 403


def test_staff_on_the_team_do_not_manage_their_own_agreement(client):
    case = sent_case()
    insider = call_staff(case.agreement.application.call)
    add_member(case.agreement.application, insider)
    client.force_login(insider)
    for url in _staff_gets(case.agreement):
        assert client.get(url).status_code == 404, url
    response = client.get(
        "/api/v1/agreements", **bearer(insider)
    ).json()  # as a team member they read it, as staff they do not manage it
    assert [row["id"] for row in response["results"]] == [case.agreement.pk]


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client):
    case = sent_case()
    user = user_with_role("staff", with_totp=False)
    sign_in(client, user)
    for url in [*_staff_gets(case.agreement), reverse("awards:pdf", args=[case.agreement.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")
    response = client.post(reverse("awards:send", args=[case.agreement.pk]))
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get(f"/api/v1/agreements/{case.agreement.pk}").status_code == 401


# --- hostile files ------------------------------------------------------------------------------


def _upload(client, case, name, data, content_type="application/pdf"):
    client.force_login(case.lead)
    return client.post(
        reverse("awards:signed_copy_upload", args=[case.agreement.pk]),
        {"file": upload(name, data, content_type)},
    )


def test_a_file_that_is_not_a_pdf_is_refused(client):
    case = sent_case()
    response = _upload(client, case, "convention.pdf", b"MZ\x90\x00 an executable")
    assert response.status_code == 400
    case.agreement.refresh_from_db()
    assert not case.agreement.signed_copy
    response = _upload(client, case, "convention.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="awards.agreement.signed_copy_uploaded").exists()


@override_settings(FILIERE_SIGNED_AGREEMENT_MAX_BYTES=1024)
def test_an_oversized_file_is_refused(client):
    case = sent_case()
    response = _upload(client, case, "convention.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    assert response.status_code in (400, 413)
    case.agreement.refresh_from_db()
    assert not case.agreement.signed_copy


def test_a_request_far_above_the_limit_is_refused_before_it_is_read(client, settings):
    case = sent_case()
    client.force_login(case.lead)
    response = client.post(
        reverse("awards:signed_copy_upload", args=[case.agreement.pk]),
        {"file": upload("big.pdf", b"%PDF-1.4\n" + b"0" * (12 * 1024 * 1024))},
    )
    assert response.status_code == 413
    case.agreement.refresh_from_db()
    assert not case.agreement.signed_copy


def test_eicar_is_blocked_never_served_and_never_signed(
    client, clamd, django_capture_on_commit_callbacks
):
    case = sent_case()
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, case, "convention.pdf", b"%PDF-1.4\n" + EICAR + b"\n%%EOF\n")
    assert response.status_code == 302
    case.agreement.refresh_from_db()
    assert case.agreement.signed_copy_scan_status == "infected"
    assert AuditEntry.objects.filter(action="awards.agreement.signed_copy_scan_infected").exists()
    blocked = client.get(reverse("awards:signed_copy", args=[case.agreement.pk]))
    assert blocked.status_code == 409
    client.force_login(case.staff)
    client.post(reverse("awards:record_signature", args=[case.agreement.pk]))
    case.agreement.refresh_from_db()
    assert case.agreement.status == "sent"
    case.agreement.application.refresh_from_db()
    assert case.agreement.application.state == "awarded"


def test_without_a_scanner_the_copy_waits_and_is_not_served(
    client, settings, django_capture_on_commit_callbacks
):
    settings.FILIERE_CLAMD_SOCKET = ""
    settings.FILIERE_CLAMD_HOST = ""
    case = sent_case()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, case, "convention.pdf", pdf_bytes())
    case.agreement.refresh_from_db()
    assert case.agreement.signed_copy_scan_status == "pending"
    assert client.get(reverse("awards:signed_copy", args=[case.agreement.pk])).status_code == 409
