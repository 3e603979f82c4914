"""The weekly digest: only to members whose latest consent says yes, at most one per week,
built from the same suggestions; the consents are given and withdrawn on "For you"."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.models import ConsentPurpose
from filiere.accounts.selectors import has_consent
from filiere.accounts.services import record_consent
from filiere.matchmaking.digest import send_digests, week_of
from filiere.matchmaking.models import DigestSent
from tests.factories import CallFactory, SkillFactory

from .board_factories import PostFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sound():
    return SkillFactory(name="Conception sonore", slug="t-digest-sound", label_en="Sound design")


def _member_with(sound, *purposes):
    user = member(skills=[sound], bio="Sound design and music for serious games.")
    for purpose in purposes:
        record_consent(user=user, purpose=purpose, granted=True, source="test")
    return user


def test_only_consenting_members_get_one_digest_a_week(sound):
    need = PostFactory(title="Sound designer wanted", skills=[sound])
    wants = _member_with(sound, ConsentPurpose.NEEDS_DIGEST)
    _member_with(sound)  # never asked
    changed_mind = _member_with(sound, ConsentPurpose.NEEDS_DIGEST)
    record_consent(user=changed_mind, purpose=ConsentPurpose.NEEDS_DIGEST, granted=False)

    first = send_digests()
    again = send_digests()

    assert first.sent == 1 and again.sent == 0
    assert [m.to for m in mail.outbox] == [[wants.email]]
    body = mail.outbox[0].body
    # In the member's language (French here: no prefix, the vocabulary's French label).
    assert need.title in body and f"/matchmaking/posts/{need.pk}/" in body
    assert "Shared skill: Conception sonore" in body
    assert DigestSent.objects.get().items == {"calls": [], "needs": [need.pk]}


def test_calls_you_could_answer_and_a_new_week(sound):
    now = timezone.now()
    call = CallFactory(
        title_en="Serious games and music",
        summary_en="Sound design and music for serious games.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
    )
    user = _member_with(sound, ConsentPurpose.CALLS_DIGEST)
    DigestSent.objects.create(user=user, week=week_of(timezone.localdate()) - timedelta(days=7))

    call_command("send_matchmaking_digest", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert len(mail.outbox) == 1
    assert call.title_en in mail.outbox[0].body or call.title_fr in mail.outbox[0].body
    assert DigestSent.objects.filter(user=user).count() == 2


def test_nothing_to_suggest_sends_nothing(sound):
    _member_with(sound, ConsentPurpose.NEEDS_DIGEST, ConsentPurpose.CALLS_DIGEST)

    report = send_digests()

    assert report.sent == 0 and report.nothing_to_say == 1 and not mail.outbox


def test_the_for_you_page_gives_and_withdraws_the_consents(client, sound):
    user = member()
    client.force_login(user)
    url = reverse("matchmaking:digests")

    client.post(url, {"calls_digest": "on", "needs_digest": "on"})
    both = (
        has_consent(user.pk, ConsentPurpose.CALLS_DIGEST),
        has_consent(user.pk, ConsentPurpose.NEEDS_DIGEST),
    )
    client.post(url, {"needs_digest": "on"})
    page = client.get(reverse("matchmaking:for_you")).content.decode()

    assert both == (True, True)
    assert not has_consent(user.pk, ConsentPurpose.CALLS_DIGEST)
    assert has_consent(user.pk, ConsentPurpose.NEEDS_DIGEST)
    assert 'name="needs_digest" id="id_needs_digest" checked' in page
