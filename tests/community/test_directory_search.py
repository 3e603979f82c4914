"""The directory's full-text search: stored texts (accents folded, three languages' labels,
works, organisations), what each reader may search, relevance, and texts that follow changes."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from filiere.community.models import Skill, Visibility, Work
from filiere.community.selectors_directory import DirectorySearch, search_people
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    SkillFactory,
    UserFactory,
    profession,
)

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text search (stemming)"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's fallback")


def found(client, q: str, **params) -> list[str]:
    response = client.get(reverse("community:directory"), {"q": q, **params})
    assert response.status_code == 200
    return [person.last_name for person in response.context["page"].object_list]


@pytest.fixture
def sound_designer():
    sound = Skill.objects.create(
        slug="sound-design-test",
        name="Conception sonore",
        label_en="Sound design",
        label_nl="Geluidsontwerp",
        synonyms=["bruitage", "foley"],
    )
    person = PersonFactory(
        first_name="Chloé",
        last_name="Lefèvre",
        headline="Créatrice sonore",
        bio="Quinze ans de mixage pour la télévision.",
        skills=[sound],
    )
    Work.objects.create(person=person, title="Les Oubliés du Nord", role="Mixeuse", year=2008)
    AffiliationFactory(person=person, organisation=OrganisationFactory(name="Studio Beffroi"))
    return person


@pytest.mark.parametrize(
    "q",
    [
        "chloe",  # accents folded on both sides
        "CHLOÉ LEFEVRE",
        "créatrice",  # headline
        "mixage",  # biography
        "oublies nord",  # a work's title
        "mixeuse",  # a work's role
        "sound design",  # the skill's English label
        "geluidsontwerp",  # its Dutch label
        "foley",  # a synonym
        "beffroi",  # where she works now
    ],
)
def test_every_part_of_a_profile_is_searched(client, sound_designer, q):
    assert found(client, q) == ["Lefèvre"]


def test_every_word_must_match(client, sound_designer):
    assert found(client, "chloe zanzibar") == []


@on_sqlite
def test_the_sqlite_fallback_finds_a_word_inside_a_longer_one(client, sound_designer):
    assert found(client, "lefev") == ["Lefèvre"]
    assert found(client, "geluid") == ["Lefèvre"]


@on_postgresql
def test_postgresql_finds_other_forms_of_a_word_in_each_language(client):
    PersonFactory(last_name="Laine", headline="Level designer", bio="Animations pour la télévision")
    PersonFactory(last_name="Jacobs", headline="Regisseur", bio="Ik maak korte animatiefilms.")
    assert found(client, "designers") == ["Laine"]  # English
    assert found(client, "animation") == ["Laine"]  # French: "animations"
    assert found(client, "animatiefilm") == ["Jacobs"]  # Dutch


@on_postgresql
def test_postgresql_searches_a_text_as_soon_as_it_is_written_even_in_bulk(client, sound_designer):
    # The vectors searched are PostgreSQL's own (generated from the text): no signal needed.
    people = type(sound_designer).objects.filter(pk=sound_designer.pk)
    people.update(search_text_public="chloe lefevre\nbruitages pour le cinema")

    assert found(client, "bruitage") == ["Lefèvre"]
    assert found(client, "beffroi") == []


def test_the_name_and_headline_come_first(client):
    PersonFactory(last_name="Aubert", headline="Producer", bio="Works with rigging teams.")
    PersonFactory(last_name="Zola", headline="Rigging artist")
    assert found(client, "rigging") == ["Zola", "Aubert"]
    # Without words, by name.
    assert found(client, "") == ["Aubert", "Zola"]


def test_a_field_hidden_from_visitors_is_searched_by_members_only(client, sound_designer):
    sound_designer.field_visibility = {"bio": Visibility.MEMBERS, "works": Visibility.PRIVATE}
    sound_designer.save()

    assert found(client, "mixage") == []
    assert found(client, "chloe") == ["Lefèvre"]
    client.force_login(UserFactory())
    assert found(client, "mixage") == ["Lefèvre"]
    # A private field: in neither text, so no one finds the profile through it.
    assert found(client, "oublies") == []


def test_a_members_only_profile_has_no_public_text(sound_designer):
    sound_designer.visibility = Visibility.MEMBERS
    sound_designer.save()
    sound_designer.refresh_from_db()

    assert sound_designer.search_text_public == ""
    assert "chloe lefevre" in sound_designer.search_text
    assert search_people(None, DirectorySearch(q="chloe")).total == 0


def test_texts_follow_changes_to_works_skills_organisations_and_labels(client, sound_designer):
    studio = sound_designer.affiliations.get().organisation
    studio.name = "Studio Terril"
    studio.save()
    Work.objects.create(person=sound_designer, title="Valenciennes la nuit")
    skill = sound_designer.skills.get()
    skill.label_en = "Audio post-production"
    skill.save()
    sound_designer.professions.add(profession("animator-3d"))

    assert found(client, "terril") == ["Lefèvre"]
    assert found(client, "beffroi") == []
    assert found(client, "valenciennes nuit") == ["Lefèvre"]
    assert found(client, "audio post production") == ["Lefèvre"]
    assert found(client, "animator") == ["Lefèvre"]

    sound_designer.skills.clear()
    sound_designer.affiliations.all().delete()
    assert found(client, "foley") == []
    assert found(client, "terril") == []


def test_a_broader_skill_finds_the_people_of_its_narrower_skills(client):
    domain = SkillFactory(name="Audiovisuel son", slug="son-test")
    narrower = Skill.objects.create(slug="prise-de-son-test", name="Prise de son", parent=domain)
    PersonFactory(last_name="Roux", skills=[narrower])
    assert found(client, "audiovisuel son") == ["Roux"]


def test_rebuild_search_text_rebuilds_what_bulk_writes_skipped(sound_designer):
    type(sound_designer).objects.filter(pk=sound_designer.pk).update(search_text="")

    call_command("rebuild_search_text", stdout=open("/dev/null", "w"))  # noqa: SIM115

    sound_designer.refresh_from_db()
    assert sound_designer.search_text.startswith("chloe lefevre creatrice sonore\n")


def test_organisations_search_their_description_skills_and_sectors(client):
    lab = OrganisationFactory(name="Lab Image", description="Capture de mouvement et réalité")
    lab.skills.add(Skill.objects.create(slug="mocap-test", name="Motion capture", label_nl="Mocap"))
    OrganisationFactory(name="Studio Terril")
    url = reverse("community:organisations")

    def names(q: str) -> list[str]:
        page = client.get(url, {"q": q}).context["page"]
        return [organisation.name for organisation in page.object_list]

    assert names("realite") == ["Lab Image"]
    assert names("mocap") == ["Lab Image"]
    assert names("studio") == ["Studio Terril"]


@on_postgresql
def test_postgresql_prices_random_reads_for_ssds():
    """settings: with PostgreSQL's default (4), a word found in a tenth of the profiles made the
    planner scan every stored vector rather than read the GIN index."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


@on_postgresql
def test_postgresql_text_indexes_take_each_write_at_once():
    """Migration 0010: no pending list, which made the planner scan every stored vector after
    texts were rewritten in bulk, until autovacuum came by."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relkind = 'i' AND relname LIKE %s",
            ["%search_text%tsv%"],
        )
        options = dict(cursor.fetchall())
    assert len(options) == 9
    assert all("fastupdate=off" in (value or []) for value in options.values()), options
