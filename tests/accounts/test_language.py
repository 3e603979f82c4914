"""The user chooses the language of the site and of their e-mails on "My account"; the interface
follows it after saving and at every sign-in."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from filiere.accounts.models import Role
from filiere.audit.models import AuditEntry

from .factories import PASSWORD, UserFactory, activate_totp, sign_in, totp_code, user_with_role

pytestmark = pytest.mark.django_db


def url_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


def test_my_account_offers_the_three_languages_with_the_current_one_selected(client):
    user = UserFactory(preferred_language="nl")
    sign_in(client, user)

    page = client.get(url_in("en", "accounts:my_account")).content.decode()

    assert '<label for="id_language">' in page
    assert '<option value="nl" selected>Nederlands</option>' in page
    assert '<option value="fr">Français</option>' in page
    assert '<option value="en">English</option>' in page


def test_saving_the_language_switches_the_site_to_it(client):
    user = UserFactory(preferred_language="fr")
    sign_in(client, user)

    response = client.post(url_in("en", "accounts:set_language"), {"language": "nl"})

    assert response.status_code == 302
    assert response["Location"] == "/nl/me/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"
    user.refresh_from_db()
    assert user.preferred_language == "nl"
    entry = AuditEntry.objects.get(action="accounts.language.change")
    assert (entry.actor, entry.data) == (user, {"from": "fr", "to": "nl"})
    assert client.get(response["Location"]).status_code == 200


def test_an_unknown_language_is_refused(client):
    user = UserFactory(preferred_language="fr")
    sign_in(client, user)

    client.post(url_in("en", "accounts:set_language"), {"language": "de"})

    user.refresh_from_db()
    assert user.preferred_language == "fr"


@pytest.mark.parametrize(("language", "home"), [("fr", "/"), ("en", "/en/"), ("nl", "/nl/")])
def test_sign_in_lands_in_the_preferred_language(client, language, home):
    user = UserFactory(preferred_language=language)

    response = client.post(
        url_in("en", "account_login"), {"login": user.email, "password": PASSWORD}
    )

    assert response["Location"] == home
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_sign_in_with_a_second_factor_also_lands_in_the_preferred_language(client):
    user = user_with_role(Role.STAFF, with_totp=False, preferred_language="nl")
    secret = activate_totp(user)
    client.post(url_in("en", "account_login"), {"login": user.email, "password": PASSWORD})

    response = client.post(url_in("en", "mfa_authenticate"), {"code": totp_code(secret)})

    assert response["Location"] == "/nl/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nl"


def test_sign_in_keeps_the_page_asked_for_in_the_preferred_language(client):
    user = UserFactory(preferred_language="nl")

    response = client.post(
        url_in("en", "account_login") + "?next=/en/me/",
        {"login": user.email, "password": PASSWORD},
    )

    assert response["Location"] == "/nl/me/"
