"""Typed tags are matched against an index of the vocabulary's labels built once per state of
the vocabulary: reused while nothing changes, built again as soon as an entry changes (even by
a bulk update that sends no signal)."""

import pytest

from filiere.community import services
from filiere.community.models import Skill, SkillStatus
from filiere.community.services import skills_by_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times the index of labels is built."""
    count = []
    build = services.SkillIndex.of

    def counted(skills):
        count.append(1)
        return build(skills)

    monkeypatch.setattr(services.SkillIndex, "of", counted)
    return count


def test_the_index_is_built_once_while_the_vocabulary_is_unchanged(builds):
    skills_by_name(["Blender"])
    built = len(builds)
    for _ in range(5):
        assert skills_by_name(["Maya", "perche"])["perche"].slug == "boom-operating"

    assert len(builds) == built <= 1


def test_a_new_synonym_is_seen_at_once(builds):
    assert skills_by_name(["Ondes sonores"])["Ondes sonores"].status == SkillStatus.PROPOSED
    Skill.objects.filter(name="Ondes sonores").delete()
    blender = Skill.objects.get(slug="blender")
    # A curator's change made in bulk: no model signal, only the rows tell.
    Skill.objects.filter(pk=blender.pk).update(synonyms=[*blender.synonyms, "Ondes sonores"])

    found = skills_by_name(["ondes SONORES"])

    assert found["ondes SONORES"].pk == blender.pk
    assert not Skill.objects.filter(name__iexact="ondes sonores").exists()


def test_a_renamed_or_merged_entry_is_seen_at_once():
    assert skills_by_name(["Blender"])["Blender"].slug == "blender"
    Skill.objects.filter(slug="blender").update(name="Mélangeur 3D", label_en="3D blender")

    renamed = skills_by_name(["mélangeur 3d", "Blender"])
    assert renamed["mélangeur 3d"].slug == "blender"
    assert renamed["Blender"].slug == "blender"  # still its slug

    Skill.objects.filter(slug="maya").update(synonyms=["Autodesk Maya"])
    maya = skills_by_name(["Autodesk Maya"])["Autodesk Maya"]
    assert maya.slug == "maya" and maya.synonyms == ["Autodesk Maya"]  # the row as it is now


def test_a_proposed_entry_typed_again_is_found_not_proposed_twice():
    [first] = skills_by_name(["Tapisserie numérique"]).values()
    [again] = skills_by_name(["tapisserie numerique"]).values()

    assert again.pk == first.pk
    assert Skill.objects.filter(slug=first.slug).count() == 1
