"""The mail that matters now goes out over real SMTP: a server on the loopback receives it.

aiosmtpd listens on 127.0.0.1 on a free port; Django's SMTP backend is pointed at it. The links
in the messages are then followed like a person would.
"""

import email
import re
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from allauth.account.models import EmailAddress
from django.urls import reverse

from filiere.accounts.models import User

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def only_message(self):
        assert len(self.messages) == 1, [m["Subject"] for m in self.messages]
        return self.messages[0]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(settings):
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield box
    finally:
        controller.stop()


def _link(message, pattern: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://testserver(/\S*" + pattern + r"\S*)", body)
    assert match, body
    return match[1]


def test_sign_up_sends_a_verification_link_over_smtp_that_verifies_the_address(client, mailbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "new.member@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    message = mailbox.only_message()
    assert message["To"] == "new.member@example.org"
    assert message["X-Envelope-To"] == "new.member@example.org"
    assert "Confirm" in message["Subject"]
    link = _link(message, "/confirm-email/")
    user = User.objects.get(email="new.member@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert not client.get(reverse("accounts:my_account")).wsgi_request.user.is_authenticated

    page = client.get(link)
    assert page.status_code == 200
    confirmed = client.post(link)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("accounts:my_account")).status_code == 200  # and signed in


def test_password_reset_link_arrives_over_smtp_and_sets_a_new_password(client, mailbox):
    user = UserFactory(email="forgetful@example.org")

    client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})

    message = mailbox.only_message()
    assert message["To"] == "forgetful@example.org"
    link = _link(message, "/password/reset/key/")
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    new_password = "a-brand-new-passphrase-42"
    done = client.post(set_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302

    signed_in = client.post(
        reverse("account_login"), {"login": user.email, "password": new_password}
    )
    assert signed_in.status_code == 302
    assert signed_in.wsgi_request.user == user


def test_password_reset_for_an_unknown_address_reveals_nothing_on_the_page(client, mailbox):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
