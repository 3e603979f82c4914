"""The demo shows issue #11 in use: the vocabulary on organisations and profiles, the offers and
needs board in every state with suggestions that say why, contacts with consent, a past and an
upcoming partner day whose schedule gives the demo member meetings; a rerun duplicates nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.models import ConsentPurpose, User
from filiere.accounts.selectors import has_consent
from filiere.community.models import Organisation, Person, Skill, SkillStatus, Work
from filiere.demo.accounts import DEMO_STAFF_EMAIL
from filiere.demo.board_texts import MEMBER_DOMAIN, POSTS, REFUSAL_REASON
from filiere.demo.events import NEXT_CAPACITY, NEXT_TITLE, PAST_TITLE
from filiere.demo.matchmaking import DEMO_MEMBER_EMAIL
from filiere.events.models import Event, Registration, RegistrationStatus
from filiere.events.selectors import agenda_of, latest_finished_run
from filiere.matchmaking import suggestions
from filiere.matchmaking.models import Introduction, Post, PostKind, PostStatus, Report
from filiere.matchmaking.selectors_contacts import open_reports
from tests.demo.loading import demo

pytestmark = pytest.mark.django_db

SOUND_NEED = "Recherche sound designer pour un serious game, Valenciennes, 3 mois"


def board():
    return sorted(Post.objects.values_list("title", "status", "expires_on", "author__email"))


def events():
    return sorted(
        Registration.objects.values_list(
            "event__title_fr", "user__email", "status", "checked_in_at"
        )
    )


def test_the_board_holds_posts_in_every_state_and_a_rerun_duplicates_nothing(client):
    demo()
    first, registrations = board(), events()
    output = demo()
    assert board() == first
    assert events() == registrations
    assert "Offers and needs: 46 posts" in output
    today = timezone.localdate()
    posts = Post.objects.all()
    assert posts.count() == len(POSTS) >= 40
    assert all(post.is_demo for post in posts)
    listed = posts.filter(status=PostStatus.PUBLISHED, expires_on__gte=today)
    assert listed.filter(kind=PostKind.NEED).count() >= 15
    assert listed.filter(kind=PostKind.OFFER).count() >= 15
    assert set(listed.values_list("language", flat=True)) == {"fr", "nl", "en"}
    assert 3 <= posts.filter(status=PostStatus.PENDING).count() <= 4
    refused = posts.get(status=PostStatus.REJECTED)
    assert refused.moderation_reason == REFUSAL_REASON
    assert posts.filter(status=PostStatus.PUBLISHED, expires_on__lt=today).count() == 1
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    assert set(posts.exclude(status=PostStatus.PENDING).values_list("moderated_by", flat=True)) == {
        staff.pk
    }
    assert all(post.skills.exists() for post in posts)
    # Tags the vocabulary lacked wait for the curators, each with the member who typed it.
    proposed = Skill.objects.filter(status=SkillStatus.PROPOSED)
    assert 3 <= proposed.count() <= 5
    assert not proposed.filter(proposed_by__isnull=True).exists()
    # The staff's moderation queue shows the pending posts.
    client.force_login(staff)
    queue = client.get(reverse("matchmaking:moderation")).content.decode()
    for post in posts.filter(status=PostStatus.PENDING):
        assert post.title.replace("'", "&#x27;") in queue


def test_suggestions_contacts_the_vocabulary_and_the_partner_days(client):
    demo()
    _vocabulary_board_and_contacts(client)
    _partner_days(client)


def _vocabulary_board_and_contacts(client):
    member = User.objects.get(email=DEMO_MEMBER_EMAIL)
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    need = Post.objects.get(title=SOUND_NEED)
    found = suggestions.for_post(staff, need)
    assert found and all(s.reasons for s in found)
    # The demo member's profile (sound design, Wwise) answers that need first.
    assert suggestions.needs_for(member)[0].pk == need.pk
    profile = Person.objects.get(user=member)
    assert profile.skills.count() >= 6 and profile.works.count() == 2 and profile.availability
    assert Organisation.objects.filter(is_demo=True, skills__isnull=True).count() == 0
    assert Work.objects.filter(person__user__isnull=True).exists()
    assert Person.objects.filter(is_demo=True).exclude(availability="").exists()
    # Contacts: one request waits for the member's answer, one was accepted, one declined.
    received = Introduction.objects.filter(recipient=member)
    assert list(received.values_list("status", flat=True)) == ["pending"]
    sent = sorted(Introduction.objects.filter(requester=member).values_list("status", flat=True))
    assert sent == ["accepted", "declined"]
    assert has_consent(member.pk, ConsentPurpose.NEEDS_DIGEST)
    assert not has_consent(
        User.objects.get(email=f"bruno.carlier@{MEMBER_DOMAIN}").pk, ConsentPurpose.CONTACT
    )
    assert open_reports().count() == 1
    assert Report.objects.filter(status="closed").count() == 1
    client.force_login(member)
    mine = client.get(reverse("matchmaking:introductions")).content.decode()
    assert "Pieter" in mine
    for_you = client.get(reverse("matchmaking:for_you")).content.decode()
    assert SOUND_NEED in for_you


def _partner_days(client):
    past = Event.objects.get(title_fr=PAST_TITLE)
    assert past.ends_at < timezone.now()
    came = Registration.objects.filter(event=past, status=RegistrationStatus.REGISTERED)
    assert came.count() >= 10
    assert came.filter(checked_in_at__isnull=False).count() >= 10
    assert came.filter(checked_in_at__isnull=True).exists()
    upcoming = Event.objects.get(title_fr=NEXT_TITLE)
    assert upcoming.starts_at > timezone.now()
    assert upcoming.title_en and upcoming.title_nl and upcoming.meetings_enabled
    live = Registration.objects.filter(event=upcoming)
    assert live.filter(status=RegistrationStatus.REGISTERED).count() == NEXT_CAPACITY
    assert live.filter(status=RegistrationStatus.WAITLISTED).count() >= 1
    member = User.objects.get(email=DEMO_MEMBER_EMAIL)
    assert live.filter(user=member, status=RegistrationStatus.REGISTERED).exists()
    assert live.filter(user__email="applicant@example.org").exists()
    statuses = set(upcoming.meeting_requests.values_list("status", flat=True))
    assert statuses == {"accepted", "pending", "declined"}
    run = latest_finished_run(upcoming)
    assert run is not None and run.outcome == "optimal"
    assert run.scheduled == run.accepted == run.bound > 0
    agenda = agenda_of(upcoming, member)
    assert len(agenda) >= 2
    client.force_login(member)
    page = client.get(reverse("events:agenda", args=[upcoming.pk])).content.decode()
    for row in agenda:
        assert row.other.name in page
