"""Consents are recorded one by one and kept: the latest word on each purpose counts."""

import pytest

from filiere.accounts.models import Consent, ConsentPurpose
from filiere.accounts.selectors import consenting_users, has_consent
from filiere.accounts.services import record_consent
from filiere.audit.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_no_record_means_no_consent_and_the_latest_word_counts():
    user = UserFactory()
    assert not has_consent(user.pk, ConsentPurpose.CALLS_DIGEST)
    record_consent(user=user, purpose=ConsentPurpose.CALLS_DIGEST, granted=True, source="profile")
    assert has_consent(user.pk, ConsentPurpose.CALLS_DIGEST)
    # Another purpose is asked on its own.
    assert not has_consent(user.pk, ConsentPurpose.CONTACT)
    record_consent(user=user, purpose=ConsentPurpose.CALLS_DIGEST, granted=False)
    assert not has_consent(user.pk, ConsentPurpose.CALLS_DIGEST)
    # The log keeps both, and the audit log says who said what.
    assert Consent.objects.filter(user=user).count() == 2
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("pk"))
    assert actions[-2:] == ["accounts.consent_given", "accounts.consent_withdrawn"]


def test_saying_the_same_thing_twice_records_nothing_new():
    user = UserFactory()
    first = record_consent(user=user, purpose=ConsentPurpose.CONTACT, granted=True)
    again = record_consent(user=user, purpose=ConsentPurpose.CONTACT, granted=True)
    assert first.pk == again.pk and Consent.objects.count() == 1


def test_consenting_users_are_those_whose_latest_word_is_yes():
    yes, changed_mind, never = UserFactory(), UserFactory(), UserFactory()
    record_consent(user=yes, purpose=ConsentPurpose.NEEDS_DIGEST, granted=True)
    record_consent(user=changed_mind, purpose=ConsentPurpose.NEEDS_DIGEST, granted=True)
    record_consent(user=changed_mind, purpose=ConsentPurpose.NEEDS_DIGEST, granted=False)
    record_consent(user=never, purpose=ConsentPurpose.CONTACT, granted=True)
    ids = set(consenting_users(ConsentPurpose.NEEDS_DIGEST).values_list("user_id", flat=True))
    assert ids == {yes.pk}


def test_an_unknown_purpose_is_refused():
    with pytest.raises(ValueError):
        record_consent(user=UserFactory(), purpose="newsletter", granted=True)
