"""The staff curate the skills vocabulary (tree, edit, accept, merge); an organisation's manager
describes it with the same vocabulary."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from filiere.accounts.models import Role
from filiere.audit.models import AuditEntry
from filiere.calls.models import Genre
from filiere.community.models import AffiliationRole, Skill, SkillStatus
from filiere.review.models import ExpertiseProfile
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = user_with_role(Role.STAFF)
    client.force_login(user)
    return user


def proposed(name="Tissage de paniers", **extra):
    slug = name.lower().replace(" ", "-")
    return Skill.objects.create(slug=slug, name=name, status=SkillStatus.PROPOSED, **extra)


def entry_data(skill, **overrides):
    data = {
        "name": skill.name,
        "label_en": skill.label_en,
        "label_nl": skill.label_nl,
        "slug": skill.slug,
        "parent": skill.parent_id or "",
        "synonyms": "\n".join(skill.synonyms),
        "rome_codes": skill.rome_codes,
        "sort_order": skill.sort_order,
    }
    data.update(overrides)
    return data


# --- Who may curate -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["community:skills", "community:skill_new"])
def test_members_are_refused_and_visitors_sent_to_sign_in(client, name):
    assert client.get(reverse(name))["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == 403


def test_a_member_cannot_merge_or_edit(client):
    tag = proposed()
    client.force_login(user_with_role(Role.EXPERT))
    merge = client.post(reverse("community:skill_merge", args=[tag.slug]), {"into": "sound-design"})
    edit = client.post(reverse("community:skill_edit", args=[tag.slug]), entry_data(tag))

    assert (merge.status_code, edit.status_code) == (403, 403)
    tag.refresh_from_db()
    assert tag.status == SkillStatus.PROPOSED


def test_an_unknown_entry_is_not_found(client, staff):
    assert client.get(reverse("community:skill_edit", args=["no-such-skill"])).status_code == 404


# --- The tree -----------------------------------------------------------------------------------


def test_the_tree_shows_each_entry_with_how_many_use_it(client, staff):
    foley = Skill.objects.get(slug="foley")
    PersonFactory(skills=[foley])
    PersonFactory(skills=[foley])
    OrganisationFactory().skills.add(foley)
    tag = proposed(proposed_by=UserFactory(email="ines@example.org"))

    response = client.get(reverse("community:skills"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Entries under “Sound and music”" in html
    row = html[html.index("Foley</th>") :]
    row = row[: row.index("</tr>")]
    assert "<td>2</td>" in row and "<td>1</td>" in row
    assert "ines@example.org" in html
    assert reverse("community:skill_merge", args=[tag.slug]) in html


def test_the_proposed_filter_lists_only_the_tags_awaiting_curation(client, staff):
    proposed("Tissage de paniers")
    html = client.get(reverse("community:skills") + "?status=proposed").content.decode()
    assert "Tissage de paniers" in html
    assert "Entries under" not in html


def test_the_tree_takes_a_constant_number_of_queries(client, staff):
    url = reverse("community:skills")
    client.get(url)  # the session and the user's roles are cached from here on
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for skill in Skill.objects.all()[:20]:
        PersonFactory(skills=[skill])
        OrganisationFactory().skills.add(skill)
        proposed(f"Tag {skill.slug}", proposed_by=UserFactory())
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.content.decode().count("/merge/") > 300
    assert len(after.captured_queries) == len(before.captured_queries)


# --- Edit and accept ----------------------------------------------------------------------------


def test_the_staff_edit_labels_synonyms_and_rome_codes(client, staff):
    foley = Skill.objects.get(slug="foley")
    response = client.post(
        reverse("community:skill_edit", args=["foley"]),
        entry_data(
            foley,
            label_nl="Foley (geluidseffecten)",
            synonyms="bruiteur\nbruitage | geluidseffecten\nbruiteur",
            rome_codes="l1508, L1507",
        ),
    )

    assert response.status_code == 302
    foley.refresh_from_db()
    assert foley.label_nl == "Foley (geluidseffecten)"
    assert foley.synonyms == ["bruiteur", "bruitage", "geluidseffecten"]
    assert foley.rome_codes == "L1508,L1507"
    entry = AuditEntry.objects.get(action="community.skill.update", object_id=str(foley.pk))
    assert entry.actor == staff
    assert set(entry.data["fields"]) == {"label_nl", "synonyms", "rome_codes"}


def test_a_wrong_rome_code_or_a_loop_in_the_tree_is_refused(client, staff):
    animation = Skill.objects.get(slug="animation")
    inbetweening = Skill.objects.get(slug="inbetweening")

    wrong_code = client.post(
        reverse("community:skill_edit", args=["animation"]),
        entry_data(animation, rome_codes="L15"),
    )
    # The form does not offer an entry's own narrower entries as its broader one.
    loop = client.post(
        reverse("community:skill_edit", args=["animation"]),
        entry_data(animation, parent=inbetweening.pk),
    )

    assert "“L15” is not a ROME code" in wrong_code.content.decode()
    assert loop.status_code == 200 and "parent" in loop.context["form"].errors
    animation.refresh_from_db()
    assert animation.parent is None and animation.rome_codes == "L1510"


def test_accepting_a_proposed_tag_places_it_in_the_vocabulary(client, staff):
    tag = proposed("Basket weaving")
    crafts = Skill.objects.get(slug="art-design")
    response = client.post(
        reverse("community:skill_edit", args=[tag.slug]),
        entry_data(
            tag,
            name="Vannerie",
            label_en="Basket weaving",
            label_nl="Mandenvlechten",
            parent=crafts.pk,
            accept="1",
        ),
    )

    assert response.status_code == 302
    tag.refresh_from_db()
    assert (tag.status, tag.parent, tag.name, tag.label_nl) == (
        SkillStatus.CURATED,
        crafts,
        "Vannerie",
        "Mandenvlechten",
    )
    assert AuditEntry.objects.filter(action="community.skill.accept", object_id=str(tag.pk))


def test_the_staff_add_an_entry(client, staff):
    response = client.post(
        reverse("community:skill_new"),
        {
            "name": "Vannerie",
            "label_en": "Basket weaving",
            "label_nl": "Mandenvlechten",
            "slug": "basket-weaving",
            "parent": Skill.objects.get(slug="art-design").pk,
            "synonyms": "vannier",
            "rome_codes": "",
            "sort_order": 5,
        },
    )
    assert response.status_code == 302
    skill = Skill.objects.get(slug="basket-weaving")
    assert skill.status == SkillStatus.CURATED and skill.synonyms == ["vannier"]
    taken = client.post(
        reverse("community:skill_new"),
        {"name": "Autre", "slug": "basket-weaving", "sort_order": 0},
    )
    assert "Another entry already has this short name." in taken.content.decode()


# --- Merge --------------------------------------------------------------------------------------


def test_merging_moves_every_link_keeps_the_names_and_is_audited(client, staff):
    duplicate = proposed("Sound-design immersif", synonyms=["immersive sound design"])
    target = Skill.objects.get(slug="sound-design")
    both, only_duplicate = (
        PersonFactory(skills=[duplicate, target]),
        PersonFactory(skills=[duplicate]),
    )
    organisation = OrganisationFactory()
    organisation.skills.add(duplicate)
    expert = ExpertiseProfile.objects.create(user=UserFactory())
    expert.skills.add(duplicate)
    genre = Genre.objects.get(code="video-game")
    genre.skills.add(duplicate)

    response = client.post(
        reverse("community:skill_merge", args=[duplicate.slug]), {"into": "sound-design"}
    )

    assert response.status_code == 302
    assert not Skill.objects.filter(pk=duplicate.pk).exists()
    assert list(both.skills.filter(slug="sound-design")) == [target]
    assert both.skills.count() == 1
    assert list(only_duplicate.skills.all()) == [target]
    assert list(organisation.skills.all()) == [target]
    assert list(expert.skills.all()) == [target]
    assert target in genre.skills.all()
    target.refresh_from_db()
    assert {"Sound-design immersif", "immersive sound design"} <= set(target.synonyms)
    entry = AuditEntry.objects.get(action="community.skill.merge", object_id=str(target.pk))
    assert entry.actor == staff
    assert entry.data["merged"] == duplicate.slug
    assert entry.data["moved"] == {
        "community.person.skills": 1,
        "community.organisation.skills": 1,
        "review.expertiseprofile.skills": 1,
        "calls.genre.skills": 1,
    }


def test_an_entry_is_not_merged_into_one_of_its_own(client, staff):
    response = client.post(
        reverse("community:skill_merge", args=["animation"]), {"into": "inbetweening"}
    )
    assert response.status_code == 200
    assert "into" in response.context["form"].errors
    assert Skill.objects.filter(slug="animation").exists()


# --- Organisations ------------------------------------------------------------------------------


def test_a_manager_describes_the_organisation_with_the_vocabulary(client):
    manager = UserFactory()
    organisation = OrganisationFactory()
    AffiliationFactory(
        person=PersonFactory(user=manager),
        organisation=organisation,
        role=AffiliationRole.FOUNDER,
        is_manager=True,
    )
    client.force_login(manager)
    url = reverse("community:organisation_skills", args=[organisation.slug])
    assert client.get(url).status_code == 200

    response = client.post(url, {"skills": "mocap, étalonnage, vannerie d'art"})

    assert response.status_code == 302
    assert sorted(organisation.skills.values_list("slug", flat=True)) == [
        "colour-grading",
        "motion-capture",
        "vannerie-d-art",
    ]
    assert Skill.objects.get(slug="vannerie-d-art").proposed_by == manager
    assert AuditEntry.objects.filter(
        action="community.organisation.skills", object_id=str(organisation.pk)
    )
    with translation.override("nl"):
        page = client.get(reverse("community:organisation", args=[organisation.slug]))
    assert '<li class="tag">Kleurcorrectie</li>' in page.content.decode()
    with translation.override("fr"):
        page = client.get(reverse("community:organisation", args=[organisation.slug]))
    assert '<li class="tag">Étalonnage</li>' in page.content.decode()


def test_other_members_cannot_describe_an_organisation(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    url = reverse("community:organisation_skills", args=[organisation.slug])
    assert client.post(url, {"skills": "Blender"}).status_code == 403
    assert not organisation.skills.exists()
