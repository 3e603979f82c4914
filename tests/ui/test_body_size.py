"""Every request body is capped (FILIERE_MAX_BODY_BYTES, 1 MiB), not only document uploads:
past it, 413 before anything reads the body; upload pages keep their own, larger limit."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TOO_LARGE = "x" * (1024 * 1024 + 1)


def test_the_cap_is_one_mebibyte():
    assert settings.FILIERE_MAX_BODY_BYTES == 1024 * 1024


def test_a_form_post_over_the_cap_gets_the_sites_413_page(client):
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": TOO_LARGE})

    assert response.status_code == 413
    html = response.content.decode()
    assert "<main" in html and '<h1 id="error-title">Request too large</h1>' in html
    assert "at most 1 MB can be sent here" in html


def test_a_form_post_under_the_cap_is_read_as_usual(client):
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x" * 1000})

    assert response.status_code == 200  # the sign-in form again, with its error


def test_an_api_body_over_the_cap_gets_413_in_the_api_error_shape():
    client = Client()

    response = client.post(
        "/api/v1/applications/1/withdraw",
        json.dumps({"reason": TOO_LARGE}),
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "message": "The request is too large: at most 1 MB can be sent here.",
        "params": {"limit": 1024 * 1024},
        "fields": {},
    }


def test_the_csrf_check_does_not_read_a_body_over_the_cap():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"password": TOO_LARGE})

    assert response.status_code == 413


def test_upload_pages_accept_more_than_the_cap(client):
    url = reverse("calls:document_upload", args=[1])
    assert "calls:document_upload" in settings.FILIERE_UPLOAD_BODY_LIMITS

    response = client.post(url, {"file": TOO_LARGE})

    # Not refused for its size: the page's own rules answer (here: sign in first).
    assert response.status_code != 413


def test_upload_pages_refuse_more_than_their_largest_file(client, settings):
    settings.FILIERE_UPLOAD_BODY_LIMITS = {"calls:document_upload": 2 * 1024 * 1024}
    url = reverse("calls:document_upload", args=[1])

    response = client.post(url, {"file": "x" * (2 * 1024 * 1024 + 1)})

    assert response.status_code == 413


def test_message_pages_accept_an_attachment_not_a_storyboard(client):
    # A message attachment is at most 10 MiB: the page refuses a 30 MiB body before reading it,
    # where a document page (storyboards: 50 MiB) would take it.
    thirty_mib = str(30 * 1024 * 1024)
    url = reverse("calls:application_messages", args=["FIL-2009-0001"])

    response = client.post(
        url, data=b"", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=thirty_mib
    )

    assert response.status_code == 413
