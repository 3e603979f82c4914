"""Rate limits per user on uploads (documents and message attachments) and on messages: past the
limit the page answers 429 with a sentence saying when to come back, keeps what was typed, and
stores nothing."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from filiere.calls import throttle
from filiere.calls.models import Document, DocumentType, Message
from tests.calls.apply_factories import DraftFactory, pdf_bytes, upload
from tests.calls.instruction_factories import ApplicationFactory
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pages_in_english():
    with translation.override("en"):
        yield


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _upload_document(client, application, name="synopsis.pdf"):
    return client.post(
        reverse("calls:document_upload", args=[application.pk]),
        {
            "document_type": DocumentType.objects.get(code="synopsis").pk,
            "file": upload(name, pdf_bytes()),
        },
    )


def test_the_documented_message_limit_is_20_per_10_minutes(client):
    application = ApplicationFactory()
    client.force_login(application.lead)
    url = reverse("calls:application_messages", args=[application.reference])
    for number in range(20):
        assert client.post(url, {"body": f"Message {number}"}).status_code == 302

    refused = client.post(url, {"body": "Le vingt-et-unième, à ne pas perdre."})

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    page = _text(refused)
    assert "You sent many messages in a short time (at most 20 in 10 minutes)" in page
    assert "Le vingt-et-unième, à ne pas perdre." in page  # kept in the form
    assert Message.objects.count() == 20


def test_staff_are_limited_too_and_keep_their_text(client, settings):
    settings.FILIERE_MESSAGE_RATE = (2, 600)
    application = ApplicationFactory()
    client.force_login(user_with_role("staff"))
    url = reverse(
        "calls:staff_post_message",
        kwargs={"slug": application.call.slug, "reference": application.reference},
    )
    assert client.post(url, {"body": "Un"}).status_code == 302
    assert client.post(url, {"body": "Deux"}).status_code == 302

    refused = client.post(url, {"body": "Trois, gardé."})

    assert refused.status_code == 429
    assert "at most 2 in 10 minutes" in _text(refused)
    assert "Trois, gardé." in _text(refused)
    assert Message.objects.count() == 2


def test_document_uploads_are_limited_per_user(client, settings):
    settings.FILIERE_UPLOAD_RATE = (3, 600)
    application = DraftFactory()
    client.force_login(application.lead)
    for number in range(3):
        assert _upload_document(client, application, f"synopsis-{number}.pdf").status_code == 302

    refused = _upload_document(client, application, "synopsis-3.pdf")

    assert refused.status_code == 429
    assert "You sent many files in a short time (at most 3 in 10 minutes)" in _text(refused)
    assert Document.objects.count() == 3


def test_attachments_count_as_uploads(client, settings):
    settings.FILIERE_UPLOAD_RATE = (1, 600)
    application = ApplicationFactory()
    client.force_login(application.lead)
    url = reverse("calls:application_messages", args=[application.reference])
    first = {"body": "Avec pièce jointe", "attachment": upload("devis.pdf", pdf_bytes())}
    assert client.post(url, first).status_code == 302

    refused = client.post(url, {"body": "Encore une", "attachment": upload("b.pdf", pdf_bytes())})

    assert refused.status_code == 429
    assert "Encore une" in _text(refused)
    assert Message.objects.count() == 1
    # A message without a file still goes.
    assert client.post(url, {"body": "Sans fichier"}).status_code == 302


def test_one_users_limit_does_not_hold_another_back(client, settings):
    settings.FILIERE_MESSAGE_RATE = (1, 600)
    application = ApplicationFactory()
    url = reverse("calls:application_messages", args=[application.reference])
    client.force_login(application.lead)
    assert client.post(url, {"body": "Un"}).status_code == 302
    assert client.post(url, {"body": "Deux"}).status_code == 429

    staff_url = reverse(
        "calls:staff_post_message",
        kwargs={"slug": application.call.slug, "reference": application.reference},
    )
    client.force_login(user_with_role("staff"))
    assert client.post(staff_url, {"body": "Réponse"}).status_code == 302


def test_the_window_slides(settings):
    settings.FILIERE_MESSAGE_RATE = (2, 600)
    user = UserFactory()
    throttle.hit(scope="message", user=user, now=1000.0)
    throttle.hit(scope="message", user=user, now=1300.0)
    with pytest.raises(throttle.Throttled) as refused:
        throttle.hit(scope="message", user=user, now=1500.0)
    assert refused.value.retry_after == 100  # the first one leaves the window at 1600
    throttle.hit(scope="message", user=user, now=1601.0)  # one slot free again
    with pytest.raises(throttle.Throttled):
        throttle.hit(scope="message", user=user, now=1602.0)
