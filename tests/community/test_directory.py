"""The directory: search, filters, pagination, bad input, and a flat query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.community.models import OrganisationKind
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    SkillFactory,
    UserFactory,
    profession,
    sector,
    territory,
)

pytestmark = pytest.mark.django_db


def found(response) -> list[str]:
    return [person.last_name for person in response.context["page"].object_list]


@pytest.fixture
def people():
    blender = SkillFactory(name="Blender")
    unreal = SkillFactory(name="Unreal Engine")
    lab = OrganisationFactory(kind=OrganisationKind.RESEARCH_LAB)
    animator = PersonFactory(
        first_name="Anna",
        last_name="Dupont",
        professions=[profession("animator-3d")],
        sectors=[sector("animation")],
        skills=[blender],
        territory=territory("mel"),
    )
    designer = PersonFactory(
        first_name="Bram",
        last_name="Peeters",
        headline="Level designer in Ghent",
        professions=[profession("level-designer")],
        sectors=[sector("video-games")],
        skills=[unreal],
        territory=territory("flanders"),
    )
    researcher = PersonFactory(
        first_name="Chloé",
        last_name="Martin",
        professions=[profession("researcher")],
        sectors=[sector("immersive")],
        skills=[unreal, blender],
        territory=territory("valenciennes"),
    )
    AffiliationFactory(person=researcher, organisation=lab)
    return animator, designer, researcher


def get(client, **params):
    return client.get(reverse("community:directory"), params)


def test_directory_lists_everyone_visible_sorted_by_name(client, people):
    assert found(get(client)) == ["Dupont", "Martin", "Peeters"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "dupont"}, ["Dupont"]),
        ({"q": "bram"}, ["Peeters"]),
        ({"q": "ghent"}, ["Peeters"]),  # headline
        ({"q": "blender"}, ["Dupont", "Martin"]),  # skill
        ({"q": "level designer"}, ["Peeters"]),  # profession label, every word must match
        ({"q": "unreal martin"}, ["Martin"]),
        ({"skill": "unreal-engine"}, ["Martin", "Peeters"]),
        ({"profession": "animator-3d"}, ["Dupont"]),
        ({"sector": "immersive"}, ["Martin"]),
        ({"territory": "flanders"}, ["Peeters"]),
        ({"organisation_kind": "research_lab"}, ["Martin"]),
        ({"skill": "blender", "territory": "mel"}, ["Dupont"]),
    ],
)
def test_search_and_filters(client, people, params, expected):
    assert found(get(client, **params)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"sector": "opera"},
        {"territory": "atlantis"},
        {"skill": "<script>"},
        {"profession": "astronaut"},
        {"organisation_kind": "cartel"},
    ],
)
def test_unknown_filter_value_is_reported_and_ignored(client, people, params):
    response = get(client, **params)
    assert response.status_code == 200
    assert found(response) == ["Dupont", "Martin", "Peeters"]
    body = response.content.decode()
    assert "Some search criteria were not understood and have been ignored" in body
    assert "This choice is unknown; the filter was ignored." in body
    assert "<script>" not in body


def test_oversized_search_is_reported_not_run(client, people):
    response = get(client, q="x" * 5000)
    assert response.status_code == 200
    assert found(response) == ["Dupont", "Martin", "Peeters"]
    assert "Search with at most 100 characters." in response.content.decode()


@pytest.mark.parametrize(("page", "number"), [("abc", 1), ("-1", 3), ("999999", 3), ("2", 2)])
def test_pagination_survives_any_page_value(client, settings, page, number):
    settings.FILIERE_DIRECTORY_PAGE_SIZE = 4
    PersonFactory.create_batch(10)
    response = get(client, page=page)
    assert response.status_code == 200
    assert response.context["page"].number == number
    assert response.context["page"].paginator.num_pages == 3


def test_pagination_links_keep_the_filters(client, settings):
    settings.FILIERE_DIRECTORY_PAGE_SIZE = 2
    PersonFactory.create_batch(5, sectors=[sector("animation")])
    body = get(client, sector="animation").content.decode()
    assert "?sector=animation&amp;page=2" in body


def test_htmx_request_gets_only_the_results_fragment(client, people):
    response = client.get(reverse("community:directory"), {"q": "dupont"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="directory-results"')
    assert "<h1>" not in body
    assert "Anna Dupont" in body


def _populate(count: int) -> None:
    skills = [SkillFactory(name=f"Tool {i}") for i in range(3)]
    organisation = OrganisationFactory()
    for _ in range(count):
        person = PersonFactory(
            professions=[profession("animator-3d"), profession("rigger")],
            sectors=[sector("animation"), sector("cinema")],
            skills=skills,
            territory=territory("mel"),
        )
        AffiliationFactory(person=person, organisation=organisation)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_directory_query_count_does_not_grow_with_rows(client, settings, signed_in):
    settings.FILIERE_DIRECTORY_PAGE_SIZE = 100
    if signed_in:
        client.force_login(UserFactory())
    url = reverse("community:directory")
    _populate(5)
    with_5 = _count_queries(client, url)
    _populate(45)
    with_50 = _count_queries(client, url)
    assert with_50 == with_5
    assert with_5 <= 15


def test_filtered_directory_query_count_does_not_grow_with_rows(client, settings):
    settings.FILIERE_DIRECTORY_PAGE_SIZE = 100
    url = reverse("community:directory") + "?sector=animation&q=a&skill=tool-1"
    _populate(5)
    with_5 = _count_queries(client, url)
    _populate(45)
    assert _count_queries(client, url) == with_5
