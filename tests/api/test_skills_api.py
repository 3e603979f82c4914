"""/api/v1/skills: the vocabulary, public, filtered by words, broader entry and domain."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token
from filiere.community.models import Skill, SkillStatus
from filiere.community.skills_data import read_vocabulary
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = "/api/v1/skills"


def bearer(user) -> dict[str, str]:
    _token, key = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def get(client, query="", **headers):
    response = client.get(URL + query, **headers)
    assert response.status_code == 200, response.content
    return response.json()


def slugs(page) -> list[str]:
    return [item["slug"] for item in page["results"]]


def test_anyone_reads_the_curated_vocabulary_with_labels_in_three_languages(client):
    Skill.objects.create(slug="secret-tag", name="Secret tag", status=SkillStatus.PROPOSED)
    page = get(client, HTTP_ACCEPT_LANGUAGE="nl")
    assert page["count"] == len(read_vocabulary())
    assert [item["slug"] for item in page["results"][:4]] == [
        "animation",
        "animation-2d",
        "inbetweening",
        "clean-up",
    ]
    assert page["results"][0]["parent"] is None

    [grading] = get(client, "?q=colour+grading", HTTP_ACCEPT_LANGUAGE="nl")["results"]
    assert grading == {
        "slug": "colour-grading",
        "label": "Kleurcorrectie",
        "labels": {"fr": "Étalonnage", "en": "Colour grading", "nl": "Kleurcorrectie"},
        "parent": "post-production",
        "synonyms": grading["synonyms"],
        "rome_codes": ["L1507"],
        "status": "curated",
    }
    assert "kleurgradatie" in grading["synonyms"]
    assert get(client, "?q=secret")["count"] == 0


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("kleurgradatie", "colour-grading"),  # a Dutch synonym
        ("ETALONNAGE", "colour-grading"),  # the French label, no accent, upper case
        ("grading", "colour-grading"),  # part of the English label
        ("mocap", "motion-capture"),
    ],
)
def test_q_searches_labels_and_synonyms_in_every_language(client, q, expected):
    assert expected in slugs(get(client, f"?q={q}"))


def all_slugs(client, query):
    found, page = [], 1
    while True:
        answer = get(client, f"{query}&page={page}")
        found += slugs(answer)
        if not answer["next"]:
            return found
        page += 1


def test_parent_gives_the_entries_right_under_it_and_domain_every_entry_under_it(client):
    children = all_slugs(client, "?parent=animation")
    everything = all_slugs(client, "?domain=animation")

    assert "animation-2d" in children and "inbetweening" not in children
    assert {"animation-2d", "inbetweening"} <= set(everything)
    assert set(children) < set(everything)
    assert "foley" not in everything


def test_only_the_staff_see_proposed_entries(client):
    Skill.objects.create(slug="secret-tag", name="Secret tag", status=SkillStatus.PROPOSED)

    as_visitor = get(client, "?status=proposed")
    as_staff = get(client, "?status=proposed", **bearer(user_with_role(Role.STAFF)))

    assert as_visitor["count"] == 0
    assert slugs(as_staff) == ["secret-tag"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?parent=no-such-skill", "parent"),
        ("?domain=x", "domain"),
        ("?status=x", "status"),
        ("?skill=blender", "skill"),
    ],
)
def test_unknown_values_and_parameters_are_refused(client, query, field):
    response = client.get(URL + query)
    assert response.status_code == 422
    assert field in response.json()["fields"]


def test_the_list_takes_a_constant_number_of_queries(client):
    get(client)  # warm up
    with CaptureQueriesContext(connection) as before:
        get(client, "?q=son")
    for n in range(30):
        Skill.objects.create(slug=f"tag-{n}", name=f"Son {n}", status=SkillStatus.PROPOSED)
    with CaptureQueriesContext(connection) as after:
        get(client, "?q=son")
    assert len(after.captured_queries) == len(before.captured_queries)
