"""Consents in the Django admin: an administrator reads the log (filtered by purpose and state)
in a constant number of queries; the log is append-only, written by the member's own choices, so
the admin refuses to add, change or delete a row."""

import pytest
from django.utils.html import escape

from filiere.accounts.models import Consent, ConsentPurpose
from filiere.accounts.services import record_consent
from tests.admin_pages import (
    admin_url,
    administrator_client,
    assert_constant_queries,
    assert_read_only,
)

from .factories import UserFactory

pytestmark = pytest.mark.django_db

MOST_QUERIES = 12


@pytest.fixture
def admin_client(client):
    return administrator_client(client)


def _consents(n: int = 1) -> Consent:
    for _ in range(n):
        user = UserFactory()
        record_consent(user=user, purpose=ConsentPurpose.CONTACT, granted=True, source="api")
        last = record_consent(
            user=user, purpose=ConsentPurpose.CALLS_DIGEST, granted=False, source="privacy page"
        )
    return last


@pytest.mark.parametrize("view", ["changelist", "change"])
def test_the_log_takes_constant_queries(admin_client, django_assert_max_num_queries, view):
    first = _consents()

    def url():
        return admin_url(Consent, view, first.pk) if view == "change" else admin_url(Consent, view)

    assert_constant_queries(
        admin_client, url, lambda: _consents(5), django_assert_max_num_queries, MOST_QUERIES
    )


def test_the_log_reads_by_purpose_and_state(admin_client):
    withdrawn = _consents()
    other = UserFactory()
    record_consent(user=other, purpose=ConsentPurpose.NEEDS_DIGEST, granted=True)

    response = admin_client.get(
        admin_url(Consent, "changelist"),
        {"purpose__exact": "calls_digest", "granted__exact": "0"},
    )

    assert list(response.context["cl"].result_list) == [withdrawn]
    page = response.content.decode()
    assert escape(str(withdrawn.user)) in page
    assert "privacy page" in page


def test_the_log_is_append_only_in_the_admin(admin_client):
    consent = _consents()

    assert_read_only(
        admin_client,
        consent,
        {"user": consent.user_id, "purpose": consent.purpose, "granted": "on", "source": "admin"},
    )
