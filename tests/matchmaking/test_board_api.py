"""The board's API: /api/v1/posts with the pages' rules (listed posts, filters, paging, one
post, posting with a token that may write, suggestions for the author)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from filiere.accounts.services import create_api_token
from filiere.matchmaking.models import Post, PostKind, PostStatus
from tests.factories import SkillFactory, UserFactory, territory

from .board_factories import PostFactory, member

pytestmark = pytest.mark.django_db


def _auth(user, read_only=False):
    _token, key = create_api_token(user=user, name="test", read_only=read_only)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _body(**changes):
    body = {
        "kind": "need",
        "title": "Looking for a Flemish co-producer",
        "description": "An animated series, 26 x 7 minutes, in Dutch and French.",
        "skills": ["co-production", "animation"],
        "territory": "mel",
        "language": "nl",
    }
    body.update(changes)
    return json.dumps(body)


def test_anonymous_callers_are_refused(client):
    assert client.get("/api/v1/posts").status_code == 401


def test_list_filters_and_pages(client):
    skill = SkillFactory(name="Animation (t)", slug="t-api-animation")
    PostFactory(title="Need one", skills=[skill], territory=territory("mel"))
    PostFactory(title="An offer", kind=PostKind.OFFER)
    PostFactory(title="Pending", status=PostStatus.PENDING)
    PostFactory(title="Expired", expires_on=timezone.localdate() - timedelta(days=1))
    headers = _auth(UserFactory())

    everything = client.get("/api/v1/posts", **headers).json()
    needs = client.get("/api/v1/posts", {"kind": "need", "skill": skill.slug}, **headers).json()
    paged = client.get("/api/v1/posts", {"page_size": 1, "page": 2}, **headers).json()
    unknown = client.get("/api/v1/posts", {"kind": "both"}, **headers)

    assert sorted(p["title"] for p in everything["results"]) == ["An offer", "Need one"]
    assert [p["title"] for p in needs["results"]] == ["Need one"]
    assert needs["results"][0]["skills"][0]["slug"] == skill.slug
    assert paged["count"] == 2 and len(paged["results"]) == 1
    assert unknown.status_code == 422


def test_author_named_without_an_email(client):
    author = member()
    post = PostFactory(author=author)

    data = client.get(f"/api/v1/posts/{post.pk}", **_auth(UserFactory())).json()

    assert data["author"] == {"name": author.person.display_name, "profile": author.person.slug}
    assert author.email not in json.dumps(data)


def test_a_pending_post_is_its_author_s_only(client):
    author = UserFactory()
    post = PostFactory(author=author, status=PostStatus.PENDING)

    assert client.get(f"/api/v1/posts/{post.pk}", **_auth(author)).status_code == 200
    assert client.get(f"/api/v1/posts/{post.pk}", **_auth(UserFactory())).status_code == 404


def test_post_creates_a_pending_post(client):
    user = UserFactory()

    response = client.post("/api/v1/posts", _body(), content_type="application/json", **_auth(user))

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending" and data["language"] == "nl"
    assert Post.objects.get().author == user


def test_a_read_only_token_cannot_post(client):
    response = client.post(
        "/api/v1/posts",
        _body(),
        content_type="application/json",
        **_auth(UserFactory(), read_only=True),
    )

    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"
    assert not Post.objects.exists()


def test_refusals_in_the_error_shape(client):
    headers = _auth(UserFactory())
    today = timezone.localdate()

    blank = client.post(
        "/api/v1/posts", _body(title="   "), content_type="application/json", **headers
    )
    dates = client.post(
        "/api/v1/posts",
        _body(expires_on=str(today + timedelta(days=400))),
        content_type="application/json",
        **headers,
    )
    not_mine = client.post(
        "/api/v1/posts",
        _body(organisation="no-such-organisation"),
        content_type="application/json",
        **headers,
    )
    garbage = client.post("/api/v1/posts", "{", content_type="application/json", **headers)
    # A number is not a date, although pydantic would read 0 as 1970-01-01.
    numeric = client.post(
        "/api/v1/posts", _body(ends_on=0), content_type="application/json", **headers
    )

    assert blank.status_code == 422
    assert numeric.status_code == 422
    explicit_null = client.post(
        "/api/v1/posts", _body(territory=None), content_type="application/json", **headers
    )
    assert explicit_null.status_code == 422
    assert dates.status_code == 409 and dates.json()["code"] == "matchmaking.post.expiry_too_far"
    assert not_mine.status_code == 403
    assert garbage.status_code == 422
    assert not Post.objects.exists()


def test_suggestions_for_my_post_only(client):
    skill = SkillFactory(name="Bruitage (t)", slug="t-api-foley")
    author = member()
    post = PostFactory(author=author, skills=[skill])
    match = member(skills=[skill])

    mine = client.get(f"/api/v1/posts/{post.pk}/suggestions", **_auth(author))
    other = client.get(f"/api/v1/posts/{post.pk}/suggestions", **_auth(UserFactory()))

    assert mine.status_code == 200
    first = mine.json()[0]
    assert first["slug"] == match.person.slug and first["kind"] == "person"
    assert first["reasons"][0]["code"] == "shared_skills"
    assert other.status_code == 404
