"""Who sees each field of a profile (Person.field_visibility): every field × every viewer, on the
page and in the API; the owner chooses on "my profile", never wider than the profile."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from filiere.accounts.models import Role
from filiere.audit.models import AuditEntry
from filiere.community.models import Availability, Person, Visibility, Work
from filiere.community.models.people import FIELDS_WITH_VISIBILITY
from filiere.community.services_privacy import MAX_WORKS
from filiere.community.visibility import visible_fields
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    SkillFactory,
    UserFactory,
    territory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

VIEWERS = ("visitor", "member", "staff", "owner")
#: Who sees a field of each audience (on a public profile).
SEES = {
    Visibility.PUBLIC: {"visitor", "member", "staff", "owner"},
    Visibility.MEMBERS: {"member", "staff", "owner"},
    Visibility.PRIVATE: {"staff", "owner"},
}
#: What each field shows on the page: a text found only there.
CANARY = {
    "headline": "Headline-canary-7731",
    "bio": "Bio-canary-5520",
    "works": "Work-canary-9012",
    "skills": "Skill-canary-4410",
    "languages": "Dutch",
    "territory": "Belgium",
    "organisations": "Organisation-canary-3301",
    "availability": "Available part-time",
}


@pytest.fixture
def viewers():
    owner = UserFactory()
    return {
        "visitor": AnonymousUser(),
        "member": UserFactory(),
        "staff": user_with_role(Role.STAFF),
        "owner": owner,
    }


def full_profile(owner, field_visibility, visibility=Visibility.PUBLIC):
    person = PersonFactory(
        user=owner,
        visibility=visibility,
        headline=CANARY["headline"],
        bio=CANARY["bio"],
        languages=["nl"],
        availability=Availability.LIMITED,
        territory=territory("be-wal") if _exists("be-wal") else None,
        field_visibility=field_visibility,
        skills=[SkillFactory(name=CANARY["skills"])],
    )
    Work.objects.create(person=person, title=CANARY["works"], year=2024)
    organisation = OrganisationFactory(name=CANARY["organisations"])
    AffiliationFactory(person=person, organisation=organisation)
    return person


def _exists(code):
    from filiere.community.models import Territory

    return Territory.objects.filter(code=code).exists()


@pytest.mark.parametrize("field", FIELDS_WITH_VISIBILITY)
@pytest.mark.parametrize("audience", list(SEES))
def test_each_field_for_each_viewer(field, audience, viewers):
    person = PersonFactory(user=viewers["owner"], field_visibility={field: audience})

    for name, viewer in viewers.items():
        assert (field in visible_fields(person, viewer)) == (name in SEES[audience]), (name, field)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_field_is_never_wider_than_its_profile(viewer, viewers):
    # Stored wider than the profile (by hand, or before the profile was narrowed): the profile wins.
    person = PersonFactory(
        user=viewers["owner"],
        visibility=Visibility.MEMBERS,
        field_visibility=dict.fromkeys(FIELDS_WITH_VISIBILITY, Visibility.PUBLIC),
    )

    shown = visible_fields(person, viewers[viewer])

    assert shown == (set() if viewer == "visitor" else set(FIELDS_WITH_VISIBILITY))


def test_fields_without_a_choice_follow_the_profile(viewers):
    person = PersonFactory(user=viewers["owner"], visibility=Visibility.PUBLIC)

    assert visible_fields(person, viewers["visitor"]) == set(FIELDS_WITH_VISIBILITY)


def _page(client, person, viewer):
    client.logout()
    if viewer.is_authenticated:
        client.force_login(viewer)
    response = client.get(reverse("community:person", args=[person.slug]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("field", [f for f in FIELDS_WITH_VISIBILITY if f != "territory"])
def test_the_page_leaves_out_the_fields_the_viewer_may_not_see(client, field, viewers):
    person = full_profile(viewers["owner"], {field: Visibility.PRIVATE})

    for name, viewer in viewers.items():
        body = _page(client, person, viewer)
        assert (CANARY[field] in body) == (name in ("staff", "owner")), (name, field)
        # The other fields are still there.
        others = [f for f in FIELDS_WITH_VISIBILITY if f not in (field, "territory")]
        assert all(CANARY[other] in body for other in others), name


@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_api_detail_empties_the_hidden_fields(client, viewer, viewers):
    person = full_profile(
        viewers["owner"],
        {"bio": Visibility.MEMBERS, "works": Visibility.PRIVATE, "skills": Visibility.PRIVATE},
    )
    client.logout()
    if viewers[viewer].is_authenticated:
        client.force_login(viewers[viewer])

    body = client.get(f"/api/v1/people/{person.slug}").json()

    sees_members = viewer != "visitor"
    sees_private = viewer in ("staff", "owner")
    assert (body["bio"] == CANARY["bio"]) == sees_members
    assert ([w["title"] for w in body["works"]] == [CANARY["works"]]) == sees_private
    assert bool(body["skills"]) == sees_private
    assert body["headline"] == CANARY["headline"]
    assert body["availability"] == "limited"
    hidden = {"bio"} if not sees_members else set()
    hidden |= {"works", "skills"} if not sees_private else set()
    assert set(body["hidden_fields"]) == hidden


def test_the_api_list_empties_the_hidden_fields_too(client, viewers):
    person = full_profile(viewers["owner"], {"headline": Visibility.MEMBERS})

    anonymous = client.get("/api/v1/people").json()["results"]
    client.force_login(viewers["member"])
    member = client.get("/api/v1/people").json()["results"]

    assert [p["headline"] for p in anonymous if p["slug"] == person.slug] == [""]
    assert [p["headline"] for p in member if p["slug"] == person.slug] == [CANARY["headline"]]


# --- The owner chooses, on "my profile" ----------------------------------------------------------


def _profile_post(**extra):
    data = {
        "first_name": "Ada",
        "last_name": "Lovelace",
        "visibility": Visibility.MEMBERS,
        "consent": "on",
        "privacy-availability": "open",
    }
    data.update(extra)
    return data


def test_the_owner_chooses_each_field_and_availability(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("community:my_profile"),
        _profile_post(**{"privacy-see_bio": "private", "privacy-see_works": "members"}),
    )

    assert response.status_code == 302
    person = Person.objects.get(user=user)
    assert person.field_visibility == {"bio": "private", "works": "members"}
    assert person.availability == "open"
    entry = AuditEntry.objects.filter(action="person.privacy_updated").get()
    assert entry.data["field_visibility"] == {"bio": "private", "works": "members"}
    page = client.get(reverse("community:my_profile")).content.decode()
    assert 'name="privacy-see_bio"' in page
    assert '<option value="private" selected>' in page


def test_a_field_wider_than_the_profile_is_refused_with_a_reason(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        reverse("community:my_profile"), _profile_post(**{"privacy-see_skills": "public"})
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Your profile is seen by members: this field cannot be seen by everyone." in body
    assert not Person.objects.filter(user=user).exists()


# --- My works ------------------------------------------------------------------------------------


def test_my_works_add_edit_delete(client):
    user = UserFactory()
    person = PersonFactory(user=user)
    client.force_login(user)

    response = client.post(
        reverse("community:my_works"),
        {"title": "Le Grand Voyage", "year": "2023", "role": "Sound designer", "url": ""},
    )
    assert response.status_code == 302
    work = person.works.get()
    assert (work.title, work.year, work.role) == ("Le Grand Voyage", 2023, "Sound designer")

    client.post(
        reverse("community:my_work_edit", args=[work.pk]),
        {"title": "Le Grand Voyage", "year": "2024", "role": "Mixer"},
    )
    work.refresh_from_db()
    assert (work.year, work.role) == (2024, "Mixer")

    client.post(reverse("community:my_work_delete", args=[work.pk]))
    assert not person.works.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="person.work_")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["person.work_added", "person.work_updated", "person.work_deleted"]


def test_someone_elses_work_is_not_found(client):
    work = Work.objects.create(person=PersonFactory(user=UserFactory()), title="Theirs")
    client.force_login(UserFactory())

    assert client.get(reverse("community:my_work_edit", args=[work.pk])).status_code == 404
    assert client.post(reverse("community:my_work_delete", args=[work.pk])).status_code == 404
    assert Work.objects.filter(pk=work.pk).exists()


def test_at_most_thirty_works(client):
    user = UserFactory()
    person = PersonFactory(user=user)
    Work.objects.bulk_create(
        Work(person=person, title=f"Work {n}", position=n) for n in range(MAX_WORKS)
    )
    client.force_login(user)

    page = client.get(reverse("community:my_works")).content.decode()
    response = client.post(reverse("community:my_works"), {"title": "One too many"})

    assert "remove one to add another" in page
    assert "remove one to add another" in response.content.decode()
    assert person.works.count() == MAX_WORKS


@pytest.mark.parametrize("viewer", VIEWERS)
def test_an_organisations_members_leave_out_who_keeps_their_organisations_hidden(
    client, viewer, viewers
):
    organisation = OrganisationFactory(name="Studio Canary")
    hidden = PersonFactory(
        user=viewers["owner"],
        last_name="Hiddenmember",
        field_visibility={"organisations": "private"},
    )
    AffiliationFactory(person=hidden, organisation=organisation)
    AffiliationFactory(person=PersonFactory(last_name="Shownmember"), organisation=organisation)
    client.logout()
    if viewers[viewer].is_authenticated:
        client.force_login(viewers[viewer])

    page = client.get(reverse("community:organisation", args=[organisation.slug])).content.decode()
    api = client.get(f"/api/v1/organisations/{organisation.slug}").json()

    sees = viewer in ("staff", "owner")
    assert "Shownmember" in page
    assert ("Hiddenmember" in page) == sees
    assert ("Hiddenmember" in str(api["members"])) == sees
