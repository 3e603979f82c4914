"""The "my profile" page and the profile services."""

import pytest
from django.urls import reverse

from filiere.accounts.models import Role
from filiere.audit.models import AuditEntry
from filiere.community import services
from filiere.community.models import Person, Visibility
from tests.factories import (
    PersonFactory,
    UserFactory,
    profession,
    sector,
    territory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

URL = "community:my_profile"


def valid_data(**overrides):
    data = {
        "first_name": "Inès",
        "last_name": "Lefebvre",
        "headline": "Storyboard artist",
        "bio": "Ten years of animated series.",
        "professions": [profession("storyboard-artist").pk],
        "sectors": [sector("animation").pk],
        "skills": "TVPaint, Storyboarding, tvpaint",
        "languages": ["fr", "nl"],
        "territory": territory("valenciennes").pk,
        "visibility": Visibility.PUBLIC,
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_first_save_creates_the_profile_with_consent_and_an_audit_entry(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse(URL)).status_code == 200

    response = client.post(reverse(URL), valid_data())

    assert response.status_code == 302
    person = Person.objects.get(user=user)
    assert (person.first_name, person.territory.code, person.languages) == (
        "Inès",
        "valenciennes",
        ["fr", "nl"],
    )
    assert person.consent_at is not None
    # Typed tags find their vocabulary entries ("Storyboarding" is the English label).
    assert sorted(s.slug for s in person.skills.all()) == ["storyboarding", "tvpaint"]
    actions = list(
        AuditEntry.objects.filter(object_id=str(person.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["person.created", "person.updated"]
    updated = AuditEntry.objects.get(action="person.updated", object_id=str(person.pk))
    assert "skills" in updated.data["fields"]
    assert updated.actor == user


def test_errors_are_explained_and_what_was_typed_is_kept(client):
    user = UserFactory()
    client.force_login(user)
    data = valid_data(
        first_name="",
        headline="h" * 161,
        bio="A bio I do not want to type twice.",
        visibility="everyone",
        skills="Blender, " + "x" * 70,
    )
    response = client.post(reverse(URL), data)

    assert response.status_code == 200
    body = response.content.decode()
    form = response.context["form"]
    assert set(form.errors) == {"first_name", "headline", "visibility", "skills"}
    assert "Your profile was not saved: please correct the errors below." in body
    assert "A bio I do not want to type twice." in body
    assert 'value="Lefebvre"' in body
    assert "A skill has at most 60 characters" in body
    assert not Person.objects.filter(user=user).exists()


def test_too_many_skills_are_refused(client):
    client.force_login(UserFactory())
    skills = ", ".join(f"skill {i}" for i in range(21))
    response = client.post(reverse(URL), valid_data(skills=skills))
    assert response.context["form"].errors["skills"] == ["Give at most 20 skills."]


def test_edit_page_shows_the_current_profile(client):
    user = UserFactory()
    PersonFactory(user=user, headline="Compositor for features", skills=[])
    client.force_login(user)
    body = client.get(reverse(URL)).content.decode()
    assert 'value="Compositor for features"' in body


def test_unchecking_consent_hides_the_profile(client):
    user = UserFactory()
    person = PersonFactory(user=user)
    client.force_login(user)
    client.post(reverse(URL), valid_data(consent=""))
    person.refresh_from_db()
    assert person.consent_at is None
    client.logout()
    assert client.get(reverse("community:person", args=[person.slug])).status_code == 404


def test_update_profile_refuses_someone_else():
    person = PersonFactory()
    intruder = UserFactory()
    form_changes = services.ProfileChanges(
        first_name="X",
        last_name="Y",
        headline="",
        bio="",
        territory=None,
        visibility=Visibility.PUBLIC,
        languages=[],
        professions=[],
        sectors=[],
        skill_names=[],
        consent=True,
    )
    with pytest.raises(services.PermissionDenied):
        services.update_profile(person=person, by=intruder, changes=form_changes)
    staff = user_with_role(Role.STAFF)
    services.update_profile(person=person, by=staff, changes=form_changes)
    person.refresh_from_db()
    assert person.first_name == "X"


def test_saving_without_changes_writes_no_audit_entry():
    user = UserFactory()
    person = PersonFactory(user=user, first_name="A", last_name="B", headline="", bio="")
    changes = services.ProfileChanges(
        first_name="A",
        last_name="B",
        headline="",
        bio="",
        territory=None,
        visibility=person.visibility,
        languages=["fr"],
        professions=[],
        sectors=[],
        skill_names=[],
        consent=True,
    )
    services.update_profile(person=person, by=user, changes=changes)
    assert not AuditEntry.objects.filter(action="person.updated").exists()
