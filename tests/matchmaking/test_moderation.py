"""Moderation: the staff publish or refuse pending posts (with a reason shown to the author and
e-mailed after the commit), audited; members cannot moderate."""

import pytest
from django.core import mail
from django.urls import reverse

from filiere.audit.models import AuditEntry
from filiere.matchmaking.models import PostStatus
from tests.factories import UserFactory, user_with_role

from .board_factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(client):
    user = user_with_role("staff")
    client.force_login(user)
    return user


def test_the_queue_lists_pending_posts_only(client, moderator):
    pending = PostFactory(title="Awaiting", status=PostStatus.PENDING)
    PostFactory(title="Already listed")

    page = client.get(reverse("matchmaking:moderation")).content.decode()

    assert pending.title in page and "Already listed" not in page


def test_publish_lists_the_post_and_tells_the_author(
    client, moderator, django_capture_on_commit_callbacks
):
    post = PostFactory(status=PostStatus.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matchmaking:publish", args=[post.pk]))

    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.moderated_by == moderator
    assert AuditEntry.objects.filter(action="matchmaking.post.publish", actor=moderator)
    assert mail.outbox[0].to == [post.author.email]
    assert "is published" in mail.outbox[0].subject


def test_refuse_needs_a_reason_shown_to_the_author(
    client, moderator, django_capture_on_commit_callbacks
):
    post = PostFactory(status=PostStatus.PENDING)

    without = client.post(
        reverse("matchmaking:refuse", args=[post.pk]), {"reason": "  "}, follow=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("matchmaking:refuse", args=[post.pk]), {"reason": "Advertising."})
    client.force_login(post.author)
    mine = client.get(reverse("matchmaking:my_posts")).content.decode()

    assert "Give the author a reason for the refusal." in without.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.REJECTED and post.moderation_reason == "Advertising."
    assert AuditEntry.objects.filter(action="matchmaking.post.refuse", reason="Advertising.")
    assert "Advertising." in mail.outbox[0].body and "Advertising." in mine


def test_a_post_is_moderated_once(client, moderator):
    post = PostFactory(status=PostStatus.PUBLISHED)

    response = client.post(
        reverse("matchmaking:refuse", args=[post.pk]), {"reason": "x"}, follow=True
    )

    assert "This post is no longer awaiting moderation." in response.content.decode()
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_members_cannot_moderate(client):
    post = PostFactory(status=PostStatus.PENDING)
    client.force_login(UserFactory())

    assert client.get(reverse("matchmaking:moderation")).status_code == 403
    assert client.post(reverse("matchmaking:publish", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.status == PostStatus.PENDING
