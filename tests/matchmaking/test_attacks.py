"""Attacks on the board: another member's post, a pending post, hostile input; always a clear
answer, never a server error."""

import pytest
from django.urls import reverse

from filiere.matchmaking.models import Post, PostStatus
from tests.factories import UserFactory, user_with_role

from .board_factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["matchmaking:post_edit"])
def test_editing_someone_else_s_post_is_a_404(client, name):
    post = PostFactory()
    client.force_login(UserFactory())

    assert client.get(reverse(name, args=[post.pk])).status_code == 404
    assert client.post(reverse(name, args=[post.pk]), {"title": "Mine now"}).status_code == 404


@pytest.mark.parametrize("name", ["matchmaking:post_withdraw", "matchmaking:post_renew"])
def test_withdrawing_or_renewing_someone_else_s_post_is_a_404_even_for_staff(client, name):
    post = PostFactory()
    client.force_login(user_with_role("staff"))

    assert client.post(reverse(name, args=[post.pk])).status_code == 404
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_a_pending_post_is_invisible_to_other_members(client):
    post = PostFactory(status=PostStatus.PENDING, title="Secret pending")
    client.force_login(UserFactory())

    assert client.get(reverse("matchmaking:post", args=[post.pk])).status_code == 404
    assert "Secret pending" not in client.get(reverse("matchmaking:board")).content.decode()


def test_crafted_ids_are_404_not_errors(client):
    client.force_login(UserFactory())

    assert client.get("/matchmaking/posts/99999999999999999999/").status_code == 404


def test_script_tags_are_escaped(client):
    author = UserFactory()
    post = PostFactory(
        author=author,
        title="<script>alert(1)</script>",
        description="<img src=x onerror=alert(2)>",
    )
    client.force_login(UserFactory())

    page = client.get(reverse("matchmaking:post", args=[post.pk])).content.decode()
    board = client.get(reverse("matchmaking:board")).content.decode()

    assert "<script>alert(1)</script>" not in page and "<script>alert(1)</script>" not in board
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_very_long_text_gets_a_clear_message(client):
    client.force_login(UserFactory())
    data = {
        "kind": "need",
        "title": "t" * 5000,
        "description": "d" * 50000,
        "skills": ",".join(f"skill {n}" for n in range(40)),
        "language": "fr",
    }

    response = client.post(reverse("matchmaking:post_create"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ensure this value has at most" in page
    assert not Post.objects.exists()


def test_too_many_skills_are_refused_with_the_limit(client):
    client.force_login(UserFactory())
    data = {
        "kind": "offer",
        "title": "Motion capture days",
        "description": "Our lab offers motion capture.",
        "skills": ",".join(f"skill {n}" for n in range(13)),
        "language": "fr",
    }

    response = client.post(reverse("matchmaking:post_create"), data)

    assert "Give at most 12 skills." in response.content.decode()
    assert not Post.objects.exists()


def test_unknown_kind_and_language_are_refused(client):
    client.force_login(UserFactory())
    data = {"kind": "spam", "title": "x", "description": "y", "language": "zz"}

    response = client.post(reverse("matchmaking:post_create"), data)

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Post.objects.exists()
