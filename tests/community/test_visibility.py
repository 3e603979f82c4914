"""Who sees which profile: anonymous, members, the owner, the staff. Nothing leaks."""

import re

import pytest
from django.urls import reverse

from filiere.accounts.models import Role
from filiere.community import selectors
from filiere.community.models import Visibility
from tests.factories import AffiliationFactory, PersonFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles():
    owner = UserFactory()
    return {
        "public": PersonFactory(last_name="Public", visibility=Visibility.PUBLIC),
        "members": PersonFactory(last_name="Members", visibility=Visibility.MEMBERS),
        "private": PersonFactory(last_name="Private", visibility=Visibility.PRIVATE, user=owner),
        "no_consent": PersonFactory(last_name="Unconsented", consent_at=None),
    }


def names(queryset):
    return sorted(queryset.values_list("last_name", flat=True))


def test_anonymous_sees_public_profiles_only(profiles):
    from django.contrib.auth.models import AnonymousUser

    assert names(selectors.visible_people(AnonymousUser())) == ["Public"]


def test_member_sees_public_and_members_only_profiles(profiles):
    member = UserFactory()
    assert names(selectors.visible_people(member)) == ["Members", "Public"]


def test_owner_also_sees_their_own_private_profile(profiles):
    owner = profiles["private"].user
    assert names(selectors.visible_people(owner)) == ["Members", "Private", "Public"]


def test_staff_sees_every_profile(profiles):
    staff = user_with_role(Role.STAFF)
    assert names(selectors.visible_people(staff)) == [
        "Members",
        "Private",
        "Public",
        "Unconsented",
    ]


def test_private_profile_never_appears_in_the_directory_nor_its_count(client, profiles):
    client.force_login(UserFactory())
    response = client.get(reverse("community:directory"))
    body = response.content.decode()
    assert "Private" not in body
    assert "Unconsented" not in body
    assert response.context["page"].paginator.count == 2
    assert "2 people" in body


def test_search_for_a_private_name_finds_nothing(client, profiles):
    response = client.get(reverse("community:directory"), {"q": "Private"})
    assert response.context["page"].paginator.count == 0
    assert "Nobody matches this search." in response.content.decode()


@pytest.mark.parametrize("hidden", ["private", "members", "no_consent"])
def test_hidden_profile_page_is_the_same_404_as_a_missing_one(client, profiles, hidden):
    hidden_response = client.get(reverse("community:person", args=[profiles[hidden].slug]))
    missing_response = client.get(reverse("community:person", args=["nobody-at-all"]))
    assert hidden_response.status_code == missing_response.status_code == 404
    # The site's 404 page has a language switcher: a CSRF token masked anew each time, and the
    # address the visitor typed to come back to.
    assert _as_seen(hidden_response, profiles[hidden].slug) == _as_seen(
        missing_response, "nobody-at-all"
    )


def _as_seen(response, slug: str) -> str:
    page = response.content.decode().replace(f"/{slug}/", "/typed/")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_public_profile_page_is_open_to_anonymous(client, profiles):
    response = client.get(reverse("community:person", args=[profiles["public"].slug]))
    assert response.status_code == 200
    assert profiles["public"].display_name in response.content.decode()


def test_members_only_profile_page_for_a_signed_in_member(client, profiles):
    client.force_login(UserFactory())
    response = client.get(reverse("community:person", args=[profiles["members"].slug]))
    assert response.status_code == 200


def test_owner_and_staff_open_a_private_profile(client, profiles):
    url = reverse("community:person", args=[profiles["private"].slug])
    client.force_login(profiles["private"].user)
    assert client.get(url).status_code == 200
    client.force_login(user_with_role(Role.STAFF))
    assert client.get(url).status_code == 200


def test_organisation_page_lists_only_members_the_viewer_may_see(client, profiles):
    public_link = AffiliationFactory(person=profiles["public"])
    organisation = public_link.organisation
    AffiliationFactory(person=profiles["private"], organisation=organisation)
    AffiliationFactory(person=profiles["members"], organisation=organisation)
    url = reverse("community:organisation", args=[organisation.slug])

    body = client.get(url).content.decode()
    assert "Public" in body
    assert "Members" not in body
    assert "Private" not in body

    client.force_login(UserFactory())
    body = client.get(url).content.decode()
    assert "Members" in body
    assert "Private" not in body
