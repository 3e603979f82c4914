"""The one skills vocabulary: its seed file, its loading into every database, and how typed
tags find their entry (or are proposed, never lost)."""

import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command

from filiere.calls.models import Genre
from filiere.community.models import Skill, SkillStatus
from filiere.community.services import skills_by_name, skills_from_names
from filiere.community.skills_data import (
    apply_vocabulary,
    match_key,
    read_vocabulary,
)
from filiere.demo.people import SKILLS
from filiere.demo.pool_texts import DEMO_EXPERT, EXPERTS, LEFT_EXPERT
from filiere.review.models import ExpertiseProfile
from tests.factories import OrganisationFactory, PersonFactory, UserFactory

ENTRIES = read_vocabulary()


# --- The seed file ------------------------------------------------------------------------------


def test_the_file_holds_a_few_hundred_entries_with_three_labels_each():
    assert len(ENTRIES) >= 250
    assert all(entry.name and entry.label_en and entry.label_nl for entry in ENTRIES)
    assert len({entry.slug for entry in ENTRIES}) == len(ENTRIES)


def test_the_file_is_a_tree_of_a_dozen_or_so_domains():
    slugs = set()
    for entry in ENTRIES:
        assert entry.parent == "" or entry.parent in slugs, f"{entry.slug}: parent comes first"
        slugs.add(entry.slug)
    domains = [entry.slug for entry in ENTRIES if not entry.parent]
    assert 12 <= len(domains) <= 16
    assert {"animation", "visual-effects", "sound-music", "legal-financing"} <= set(domains)


def test_rome_codes_are_well_formed():
    codes = [code for entry in ENTRIES for code in entry.rome_codes.split(",") if code]
    assert len(codes) > 200
    assert all(re.fullmatch(r"[A-N]\d{4}", code) for code in codes), codes


def test_no_word_names_two_entries():
    owners = defaultdict(set)
    for entry in ENTRIES:
        for text in (entry.slug, entry.name, entry.label_en, entry.label_nl, *entry.synonyms):
            owners[match_key(text)].add(entry.slug)
    assert {key: slugs for key, slugs in owners.items() if len(slugs) > 1} == {}


def test_matching_ignores_case_accents_and_punctuation_but_not_cpp():
    assert match_key("  Étalonnage ") == match_key("etalonnage") == "etalonnage"
    assert match_key("3D-modelling") == "3d modelling"
    assert match_key("Œuvre") == "oeuvre"
    assert {match_key("C++"), match_key("C#"), match_key("C")} == {"c++", "c#", "c"}


# --- Loaded into every database (community 0006) ------------------------------------------------


@pytest.mark.django_db
def test_the_migration_loaded_every_entry_as_curated_with_its_parent():
    skills = {skill.slug: skill for skill in Skill.objects.select_related("parent")}
    assert len(skills) >= 250
    for entry in ENTRIES:
        skill = skills[entry.slug]
        assert skill.status == SkillStatus.CURATED
        assert (skill.parent.slug if skill.parent else "") == entry.parent
        assert (skill.name, skill.label_en, skill.label_nl) == (
            entry.name,
            entry.label_en,
            entry.label_nl,
        )
    assert skills["inbetweening"].parent.parent.slug == "animation"


@pytest.mark.django_db
def test_genres_are_described_with_the_vocabulary():
    video_game = Genre.objects.get(code="video-game")
    assert {"game-design", "level-design", "game-audio"} <= set(
        video_game.skills.values_list("slug", flat=True)
    )
    for genre in Genre.objects.all():
        assert genre.skills.count() >= 5, genre.code


@pytest.mark.django_db
def test_free_tags_are_merged_into_the_entry_they_name_and_the_others_proposed():
    person, organisation = PersonFactory(), OrganisationFactory()
    expert = ExpertiseProfile.objects.create(user=UserFactory())
    old_grading = Skill.objects.create(slug="old-etalonnage", name="ÉTALONNAGE")
    person.skills.add(old_grading, Skill.objects.get(slug="colour-grading"))
    organisation.skills.add(old_grading)
    expert.skills.add(old_grading)
    unknown = Skill.objects.create(slug="basket-weaving", name="Basket weaving")
    person.skills.add(unknown)

    report = apply_vocabulary(Skill, ENTRIES, propose_unknown=True)

    assert (report.created, report.updated) == (0, len(ENTRIES))
    assert report.merged == [("old-etalonnage", "colour-grading")]
    assert not Skill.objects.filter(slug="old-etalonnage").exists()
    grading = Skill.objects.get(slug="colour-grading")
    assert list(person.skills.filter(slug="colour-grading")) == [grading]
    assert list(organisation.skills.all()) == [grading]
    assert list(expert.skills.all()) == [grading]
    unknown.refresh_from_db()
    assert unknown.status == SkillStatus.PROPOSED
    assert list(unknown.people.all()) == [person]


@pytest.mark.django_db
def test_loading_again_keeps_the_synonyms_that_merges_added():
    blender = Skill.objects.get(slug="blender")
    blender.synonyms = [*blender.synonyms, "Blendeur"]
    blender.save()

    out = StringIO()
    call_command("load_skills_vocabulary", stdout=out)

    blender.refresh_from_db()
    assert "Blendeur" in blender.synonyms
    assert f"{len(ENTRIES)} entries in the file: 0 created" in out.getvalue()
    assert Skill.objects.filter(slug__in=[entry.slug for entry in ENTRIES]).count() == len(ENTRIES)


# --- Typed tags -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_typed_tag_finds_its_entry_by_any_label_or_synonym_in_any_language():
    found = skills_by_name(
        ["kleurgradatie", "ÉTALONNAGE", "Colour grading", "perchman", "Ton design", "c#", "C++"]
    )
    assert {name: skill.slug for name, skill in found.items()} == {
        "kleurgradatie": "colour-grading",  # a Dutch synonym
        "ÉTALONNAGE": "colour-grading",  # the French label, shouted
        "Colour grading": "colour-grading",
        "perchman": "boom-operating",
        "Ton design": "ton-design",  # unknown: proposed
        "c#": "csharp",
        "C++": "cpp",
    }
    assert found["Ton design"].status == SkillStatus.PROPOSED


@pytest.mark.django_db
def test_an_unknown_tag_is_proposed_once_with_who_typed_it_and_never_lost():
    member = UserFactory()
    [first] = skills_from_names(["Tissage de paniers"], by=member)
    [again] = skills_from_names(["tissage de PANIERS"], by=UserFactory())

    assert again.pk == first.pk
    assert (first.status, first.proposed_by, first.name) == (
        SkillStatus.PROPOSED,
        member,
        "Tissage de paniers",
    )


@pytest.mark.django_db
def test_two_spellings_typed_together_give_one_entry_each():
    skills = skills_from_names(["Nouveau truc", "Foley", "bruitage", "nouveau  TRUC"])
    assert [skill.slug for skill in skills] == ["nouveau-truc", "foley"]  # in the order typed


@pytest.mark.django_db
def test_a_proposed_slug_never_takes_an_existing_one():
    Skill.objects.create(slug="c-plus-plus-2", name="Something else entirely")
    Skill.objects.filter(slug="cpp").delete()
    [skill] = skills_from_names(["C++"])
    assert skill.slug == "c-plus-plus"
    assert skill.status == SkillStatus.PROPOSED


@pytest.mark.django_db
def test_matching_takes_a_fixed_number_of_queries(django_assert_num_queries):
    known = ["Blender", "Maya", "perche", "mixage", "Unity", "Unreal", "mocap"]
    with django_assert_num_queries(1):
        assert len(skills_from_names(known)) == 7
    with django_assert_num_queries(3):  # read, propose, read back
        skills = skills_from_names([*known, *(f"Unheard-of trade {n}" for n in range(10))])
    assert len(skills) == 17


@pytest.mark.django_db
def test_every_skill_the_demo_gives_is_an_entry_of_the_vocabulary():
    names = {name for names in SKILLS.values() for name in names}
    names |= {name for text in (DEMO_EXPERT, *EXPERTS, LEFT_EXPERT) for name in text.skills}
    found = skills_by_name(sorted(names))
    assert {name: skill.status for name, skill in found.items()} == dict.fromkeys(
        names, SkillStatus.CURATED
    )
