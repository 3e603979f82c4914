"""The board: listing with filters and paging (constant queries), a post's page, posting for
oneself or an organisation one manages, "My posts" with edit, withdraw and renew."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from filiere.audit.models import AuditEntry
from filiere.matchmaking.models import Post, PostKind, PostStatus
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    SkillFactory,
    UserFactory,
    territory,
)

from .board_factories import PostFactory, member

pytestmark = pytest.mark.django_db

BOARD = reverse("matchmaking:board")


def _form(**changes):
    data = {
        "kind": "need",
        "title": "Looking for a sound designer",
        "description": "A serious game, Valenciennes, three months.",
        "skills": "sound design, Unreal Engine",
        "territory": "",
        "starts_on": "",
        "ends_on": "",
        "duration": "3 months",
        "language": "fr",
        "expires_on": "",
    }
    data.update(changes)
    return data


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(BOARD)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_board_lists_published_unexpired_posts_only(client):
    listed = PostFactory(title="Listed need")
    PostFactory(title="Awaiting moderation", status=PostStatus.PENDING)
    PostFactory(title="Refused one", status=PostStatus.REJECTED)
    PostFactory(title="Withdrawn one", status=PostStatus.WITHDRAWN)
    PostFactory(title="Expired one", expires_on=timezone.localdate() - timedelta(days=1))
    PostFactory(title="Last day", expires_on=timezone.localdate())
    client.force_login(UserFactory())

    page = client.get(BOARD).content.decode()

    assert listed.title in page and "Last day" in page
    for hidden in ("Awaiting moderation", "Refused one", "Withdrawn one", "Expired one"):
        assert hidden not in page


def test_filters_kind_territory_language_and_a_domain_matches_its_narrower_skills(client):
    sound = SkillFactory(name="Test sound", slug="test-sound-domain")
    foley = SkillFactory(name="Test foley", slug="test-foley", parent=sound)
    PostFactory(title="Foley artist wanted", skills=[foley], territory=territory("mel"))
    PostFactory(title="Motion capture days", kind=PostKind.OFFER, language="en")
    client.force_login(UserFactory())

    by_domain = client.get(BOARD, {"skill": "test-sound-domain"}).content.decode()
    offers = client.get(BOARD, {"kind": "offer"}).content.decode()
    english = client.get(BOARD, {"language": "en"}).content.decode()
    mel = client.get(BOARD, {"territory": "mel"}).content.decode()

    assert "Foley artist wanted" in by_domain and "Motion capture days" not in by_domain
    assert "Motion capture days" in offers and "Foley artist wanted" not in offers
    assert "Motion capture days" in english and "Foley artist wanted" not in english
    assert "Foley artist wanted" in mel and "Motion capture days" not in mel


def test_an_unknown_filter_value_is_reported_not_a_server_error(client):
    PostFactory(title="Still listed")
    client.force_login(UserFactory())

    response = client.get(BOARD, {"kind": "<script>", "skill": "x" * 500, "page": "999"})

    assert response.status_code == 200
    assert "Still listed" in response.content.decode()
    assert "the filter was ignored" in response.content.decode()


def test_board_pages_in_a_constant_number_of_queries(client):
    skill = SkillFactory(name="Test compositing")
    client.force_login(UserFactory())
    PostFactory.create_batch(2, skills=[skill])
    client.get(BOARD)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    for _ in range(15):
        author = member()
        PostFactory(author=author, skills=[skill], organisation=OrganisationFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(BOARD)

    assert response.content.decode().count('class="card"') == 17
    assert len(many) == len(few)


def test_board_is_paged(client):
    PostFactory.create_batch(21)
    client.force_login(UserFactory())

    first = client.get(BOARD).content.decode()
    second = client.get(BOARD, {"page": "2"}).content.decode()

    assert first.count('class="card"') == 20 and "Page 1 of 2" in first
    assert second.count('class="card"') == 1


def test_author_name_links_to_a_visible_profile_and_no_email_is_shown(client):
    author = member()
    post = PostFactory(author=author)
    client.force_login(UserFactory())

    page = client.get(reverse("matchmaking:post", args=[post.pk])).content.decode()

    assert reverse("community:person", args=[author.person.slug]) in page
    assert author.person.display_name in page
    assert author.email not in page


def test_a_private_profile_is_named_without_a_link(client):
    author = member(visibility="private")
    PostFactory(author=author)
    client.force_login(UserFactory())

    page = client.get(BOARD).content.decode()

    assert author.person.display_name in page
    assert reverse("community:person", args=[author.person.slug]) not in page


def test_a_member_posts_a_need_that_awaits_moderation(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("matchmaking:post_create"), _form())

    post = Post.objects.get()
    assert response.status_code == 302
    assert post.status == PostStatus.PENDING and post.author == user
    assert post.organisation is None
    assert post.expires_on == timezone.localdate() + timedelta(days=60)
    assert sorted(s.name.lower() for s in post.skills.all()) == ["sound design", "unreal engine"]
    assert AuditEntry.objects.filter(action="matchmaking.post.create", object_id=str(post.pk))
    assert post.title not in client.get(BOARD).content.decode()


def test_a_manager_posts_for_their_organisation_others_cannot(client):
    manager = member()
    organisation = OrganisationFactory(name="Lab of Lille")
    AffiliationFactory(person=manager.person, organisation=organisation, is_manager=True)
    employee = member()
    AffiliationFactory(person=employee.person, organisation=organisation)
    client.force_login(manager)

    client.post(
        reverse("matchmaking:post_create"),
        _form(kind="offer", title="Motion capture days", organisation=organisation.pk),
    )
    client.force_login(employee)
    refused = client.post(reverse("matchmaking:post_create"), _form(organisation=organisation.pk))

    assert Post.objects.get().organisation == organisation
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert Post.objects.count() == 1


def test_dates_are_validated_with_clear_messages(client):
    client.force_login(UserFactory())
    today = timezone.localdate()

    backwards = client.post(
        reverse("matchmaking:post_create"),
        _form(starts_on=str(today + timedelta(days=9)), ends_on=str(today)),
    )
    too_far = client.post(
        reverse("matchmaking:post_create"), _form(expires_on=str(today + timedelta(days=181)))
    )
    past = client.post(
        reverse("matchmaking:post_create"), _form(expires_on=str(today - timedelta(days=1)))
    )
    nonsense = client.post(reverse("matchmaking:post_create"), _form(starts_on="31/02/2026x"))

    assert "The end date comes before the start date." in backwards.content.decode()
    assert "at most 180 days" in too_far.content.decode()
    assert "The listing date must be after today." in past.content.decode()
    assert nonsense.status_code == 200 and "Enter a valid date." in nonsense.content.decode()
    assert not Post.objects.exists()


def test_at_most_n_open_posts_per_author(client, settings):
    settings.FILIERE_MATCHMAKING_MAX_OPEN_POSTS = 2
    user = UserFactory()
    PostFactory(author=user)
    PostFactory(author=user, status=PostStatus.PENDING)
    PostFactory(author=user, status=PostStatus.WITHDRAWN)  # not counted
    client.force_login(user)

    response = client.post(reverse("matchmaking:post_create"), _form())

    assert "You already have 2 posts awaiting moderation or published" in (
        response.content.decode()
    )
    assert Post.objects.filter(author=user).count() == 3


def test_my_posts_edit_goes_back_to_moderation(client):
    user = UserFactory()
    post = PostFactory(author=user)
    client.force_login(user)

    client.post(reverse("matchmaking:post_edit", args=[post.pk]), _form(title="New title"))

    post.refresh_from_db()
    assert post.title == "New title" and post.status == PostStatus.PENDING


def test_withdraw_and_renew(client):
    user = UserFactory()
    today = timezone.localdate()
    renewable = PostFactory(author=user, expires_on=today + timedelta(days=3))
    withdrawn = PostFactory(author=user)
    client.force_login(user)

    client.post(reverse("matchmaking:post_renew", args=[renewable.pk]))
    client.post(reverse("matchmaking:post_withdraw", args=[withdrawn.pk]))
    page = client.get(reverse("matchmaking:my_posts")).content.decode()

    renewable.refresh_from_db()
    withdrawn.refresh_from_db()
    assert renewable.expires_on == today + timedelta(days=60)
    assert withdrawn.status == PostStatus.WITHDRAWN
    assert renewable.title in page and withdrawn.title in page
    assert AuditEntry.objects.filter(action="matchmaking.post.renew").exists()


def test_an_expired_post_cannot_be_renewed(client):
    user = UserFactory()
    post = PostFactory(author=user, expires_on=timezone.localdate() - timedelta(days=1))
    client.force_login(user)

    response = client.post(reverse("matchmaking:post_renew", args=[post.pk]), follow=True)

    assert "Only a published post that has not expired yet can be renewed." in (
        response.content.decode()
    )


def test_the_menu_links_to_the_board(client):
    client.force_login(UserFactory())

    page = client.get(reverse("ui:home")).content.decode()

    assert f'href="{reverse("matchmaking:board")}"' in page
