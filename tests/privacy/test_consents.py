"""My consents: the log of what was given or withdrawn and when, with a switch per purpose."""

import pytest
from django.urls import reverse

from filiere.accounts.models import Consent
from filiere.accounts.selectors import has_consent
from filiere.accounts.services import record_consent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_each_purpose_and_the_log(client):
    user = UserFactory()
    record_consent(user=user, purpose="calls_digest", granted=True, source="registration")
    record_consent(user=user, purpose="calls_digest", granted=False, source="e-mail link")
    client.force_login(user)

    body = client.get(reverse("privacy:consents")).content.decode()

    assert "The weekly digest of calls I could answer" in body
    assert "Receiving introduction requests from other members" in body
    assert body.count("Withdrawn") >= 1 and "registration" in body and "e-mail link" in body


def test_a_switch_gives_then_withdraws_and_the_log_keeps_both(client):
    user = UserFactory()
    client.force_login(user)
    url = reverse("privacy:consent_change")

    client.post(url, {"purpose": "needs_digest", "granted": "yes"})
    assert has_consent(user.pk, "needs_digest")
    client.post(url, {"purpose": "needs_digest", "granted": "no"})

    assert not has_consent(user.pk, "needs_digest")
    assert list(
        Consent.objects.filter(user=user).order_by("id").values_list("granted", "source")
    ) == [(True, "privacy page"), (False, "privacy page")]


def test_an_unknown_purpose_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("privacy:consent_change"), {"purpose": "spam", "granted": "yes"})

    assert response.status_code == 302
    assert not Consent.objects.filter(user=user).exists()


def test_one_sees_only_ones_own_consents(client):
    other = UserFactory()
    record_consent(user=other, purpose="contact", granted=True, source="other-canary-source")
    client.force_login(UserFactory())

    assert "other-canary-source" not in client.get(reverse("privacy:consents")).content.decode()
