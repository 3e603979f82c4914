"""The directory's facets: several values per facet, counts with the other facets applied,
narrower skills, hidden fields, the page's markup, bad input, and a constant query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filiere.accounts.models import Role
from filiere.community.models import Availability, OrganisationKind, Skill, Visibility
from filiere.community.selectors_directory import DirectorySearch, search_people
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    profession,
    sector,
    territory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def search(client, url_name="community:directory", **params):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    return response


def names(response) -> list[str]:
    rows = response.context["page"].object_list
    return [getattr(row, "last_name", None) or row.name for row in rows]


def counts(response, facet: str) -> dict[str, int]:
    (found,) = [f for _, f in response.context["facets"] if f.name == facet]
    return {value.value: value.count for value in found.values if value.count}


@pytest.fixture
def vocabulary():
    domain = Skill.objects.create(slug="t-sound", name="Son")
    skill = Skill.objects.create(slug="t-mixing", name="Mixage", parent=domain)
    narrower = Skill.objects.create(slug="t-dolby", name="Mixage Dolby Atmos", parent=skill)
    other = Skill.objects.create(slug="t-rigging", name="Rigging")
    return domain, skill, narrower, other


@pytest.fixture
def people(vocabulary):
    _domain, skill, narrower, rigging = vocabulary
    lab = OrganisationFactory(kind=OrganisationKind.RESEARCH_LAB)
    anna = PersonFactory(
        last_name="Dupont",
        skills=[skill, narrower],
        territory=territory("mel"),
        languages=["fr", "en"],
        availability=Availability.OPEN,
    )
    bram = PersonFactory(
        last_name="Peeters",
        skills=[rigging],
        territory=territory("flanders"),
        languages=["nl", "en"],
        availability=Availability.LIMITED,
        professions=[profession("rigger")],
    )
    chloe = PersonFactory(
        last_name="Martin",
        skills=[narrower, rigging],
        territory=territory("mel"),
        languages=["fr"],
    )
    AffiliationFactory(person=chloe, organisation=lab)
    return anna, bram, chloe


def test_values_of_one_facet_are_alternatives_and_facets_add_up(client, people):
    assert names(search(client, skill=["t-rigging"])) == ["Martin", "Peeters"]
    assert names(search(client, territory=["mel", "flanders"])) == ["Dupont", "Martin", "Peeters"]
    assert names(search(client, skill=["t-rigging"], territory=["mel"])) == ["Martin"]
    assert names(search(client, language=["nl", "de"])) == ["Peeters"]
    assert names(search(client, availability=["open", "limited"])) == ["Dupont", "Peeters"]
    assert names(search(client, organisation_kind=["research_lab"])) == ["Martin"]
    assert names(search(client, profession=["rigger"], language=["en"])) == ["Peeters"]


def test_a_broader_skill_matches_its_narrower_ones_and_counts_each_person_once(client, people):
    assert names(search(client, skill=["t-sound"])) == ["Dupont", "Martin"]
    assert names(search(client, skill=["t-mixing"])) == ["Dupont", "Martin"]
    # The domains are listed; a chosen skill unfolds its narrower ones.
    assert counts(search(client), "skill") == {"t-sound": 2, "t-rigging": 2}
    assert counts(search(client, skill=["t-sound"]), "skill") == {
        "t-sound": 2,
        "t-mixing": 2,
        "t-rigging": 2,
    }
    assert counts(search(client, skill=["t-dolby"]), "skill") == {
        "t-sound": 2,
        "t-mixing": 2,
        "t-dolby": 2,
        "t-rigging": 2,
    }


def test_each_facet_counts_with_the_other_facets_applied(client, people):
    response = search(client, skill=["t-rigging"], territory=["mel"])

    assert response.context["page"].paginator.count == 1
    # Territory counts: rigging people, whatever their territory.
    assert counts(response, "territory") == {"mel": 1, "flanders": 1}
    # Skill counts: people of the MEL, whatever their skills.
    assert counts(response, "skill") == {"t-sound": 2, "t-rigging": 1}
    # Other facets: both applied.
    assert counts(response, "language") == {"fr": 1}
    assert counts(response, "organisation_kind") == {"research_lab": 1}


def test_a_hidden_field_neither_filters_nor_counts_for_who_may_not_see_it(client, people):
    anna, bram, _ = people
    bram.field_visibility = {"territory": Visibility.MEMBERS, "languages": Visibility.PRIVATE}
    bram.save()

    assert names(search(client, territory=["flanders"])) == []
    assert "flanders" not in counts(search(client), "territory")
    assert "nl" not in counts(search(client), "language")
    client.force_login(UserFactory())
    assert names(search(client, territory=["flanders"])) == ["Peeters"]
    assert names(search(client, language=["nl"])) == []
    # The profile itself is still listed.
    assert "Peeters" in names(search(client))
    assert anna.last_name in names(search(client))


def test_the_owner_and_the_staff_filter_and_count_a_hidden_field(client, people):
    _, bram, _ = people
    bram.field_visibility = {"territory": Visibility.PRIVATE}
    bram.user = UserFactory()
    bram.save()

    client.force_login(UserFactory())
    assert names(search(client, territory=["flanders"])) == []
    client.force_login(bram.user)
    assert names(search(client, territory=["flanders"])) == ["Peeters"]
    assert counts(search(client, skill=["t-rigging"]), "territory") == {"mel": 1, "flanders": 1}
    staff = user_with_role(Role.STAFF)
    assert search_people(staff, DirectorySearch(chosen={"territory": ("flanders",)})).total == 1


def test_an_unknown_value_given_to_the_selector_finds_nobody(people):
    # The forms and the API refuse unknown values first; the selector never widens a search.
    results = search_people(None, DirectorySearch(chosen={"skill": ("no-such-skill",)}))
    assert results.total == 0
    assert list(results.rows) == []


def test_the_page_shows_facets_as_labelled_checkboxes_with_counts(client, people):
    body = search(client, skill=["t-rigging"]).content.decode()

    assert "<legend>Skills</legend>" in body
    assert "<legend>Languages spoken</legend>" in body
    assert (
        '<input type="checkbox" name="skill" value="t-rigging" id="facet-skill-t-rigging" checked>'
        in body
    )
    assert '<label for="facet-territory-wallonia">Wallonia <span class="facet__count">(0)' in body
    assert "2 people" in body
    assert "Rigging" in body


def test_a_search_is_a_link_and_paging_keeps_it(client, settings, people):
    settings.FILIERE_DIRECTORY_PAGE_SIZE = 1
    response = search(client, skill=["t-rigging"], q="animator")
    assert names(response) == ["Martin"]
    assert "?skill=t-rigging&amp;q=animator&amp;page=2" in response.content.decode()


def test_htmx_gets_the_results_and_the_new_counts_out_of_band(client, people):
    response = client.get(
        reverse("community:directory"), {"language": "nl"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="directory-results"')
    assert '<div id="directory-facets" class="facets" hx-swap-oob="true">' in body
    assert "<h1>" not in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"skill": ["t-rigging", "juggling"]}, "This choice is unknown; the filter was ignored."),
        ({"language": "klingon"}, "This choice is unknown; the filter was ignored."),
        ({"availability": "<script>"}, "This choice is unknown; the filter was ignored."),
        ({"territory": [f"t{i}" for i in range(21)]}, "Choose at most 20 values."),
        ({"q": "x" * 101}, "Search with at most 100 characters."),
    ],
)
def test_bad_input_is_reported_and_left_out(client, people, params, message):
    response = search(client, page="abc", **params)
    body = response.content.decode()
    assert message in body
    assert "<script>" not in body
    assert names(response) == ["Dupont", "Martin", "Peeters"]


def test_organisations_have_facets_too(client):
    rigging = Skill.objects.create(slug="t-rigging", name="Rigging")
    studio = OrganisationFactory(name="Studio Terril", sectors=[sector("animation")])
    studio.skills.add(rigging)
    OrganisationFactory(
        name="Lab Image", kind=OrganisationKind.RESEARCH_LAB, sectors=[sector("immersive")]
    )
    OrganisationFactory(
        name="Meuse SRL",
        siren="",
        siret="",
        bce_number="0403019261",
        seat_commune=None,
        territory=territory("wallonia"),
        country="BE",
    )
    url = "community:organisations"

    assert names(search(client, url, skill=["t-rigging"])) == ["Studio Terril"]
    assert names(search(client, url, kind=["company", "research_lab"])) == [
        "Lab Image",
        "Meuse SRL",
        "Studio Terril",
    ]
    response = search(client, url, territory=["wallonia", "mel"], kind=["company"])
    assert names(response) == ["Meuse SRL", "Studio Terril"]
    assert counts(response, "kind") == {"company": 2, "research_lab": 1}
    assert counts(response, "territory") == {"wallonia": 1, "mel": 1}
    assert counts(response, "sector") == {"animation": 1}


def _populate(count: int) -> None:
    skills = [
        Skill.objects.get_or_create(slug=f"t-tool-{i}", name=f"Tool {i}")[0] for i in range(3)
    ]
    organisation = OrganisationFactory(sectors=[sector("animation")])
    organisation.skills.set(skills)
    for index in range(count):
        person = PersonFactory(
            professions=[profession("animator-3d"), profession("rigger")],
            sectors=[sector("animation"), sector("cinema")],
            skills=skills,
            territory=territory("mel" if index % 2 else "wallonia"),
            languages=["fr", "nl"],
            availability=Availability.OPEN,
            field_visibility={"territory": Visibility.PUBLIC},
        )
        AffiliationFactory(person=person, organisation=organisation)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    "url",
    [
        "/en/community/people/?q=3d&skill=t-tool-1&territory=mel&territory=wallonia&language=nl",
        "/en/community/organisations/?q=studio&skill=t-tool-2&sector=animation&kind=company",
        "/api/v1/people?q=3d&skill=t-tool-1&territory=mel&language=nl",
        "/api/v1/organisations?skill=t-tool-2&sector=animation",
    ],
)
def test_a_search_with_facets_has_a_constant_query_count(client, settings, signed_in, url):
    settings.FILIERE_DIRECTORY_PAGE_SIZE = 100
    if signed_in:
        client.force_login(UserFactory())
    _populate(4)
    few = _queries(client, url)
    _populate(36)
    assert _queries(client, url) == few


# --- The stored facet values (search_facets) follow every change ------------------------------


def test_facets_follow_each_change_of_what_they_count(client, people, vocabulary):
    domain, _skill, _narrower, rigging = vocabulary
    anna, bram, chloe = people
    lab = chloe.affiliations.get().organisation

    bram.sectors.add(sector("animation"))
    assert names(search(client, sector=["animation"])) == ["Peeters"]
    sector("animation").people.remove(bram)
    assert names(search(client, sector=["animation"])) == []

    # The lab becomes a company: its people count under the new kind only.
    lab.kind = OrganisationKind.COMPANY
    lab.save()
    assert names(search(client, organisation_kind=["company"])) == ["Martin"]
    assert names(search(client, organisation_kind=["research_lab"])) == []
    # The affiliation ends: no kind at all.
    chloe.affiliations.update(end_date="2009-06-30")
    assert names(search(client, organisation_kind=["company"])) == ["Martin"]  # bulk: no signal
    chloe.affiliations.get().save()
    assert names(search(client, organisation_kind=["company"])) == []

    # Rigging moves under the sound domain: its people now count under the domain.
    rigging.parent = domain
    rigging.save()
    assert names(search(client, skill=["t-sound"])) == ["Dupont", "Martin", "Peeters"]
    anna.skills.clear()
    assert names(search(client, skill=["t-sound"])) == ["Martin", "Peeters"]


def test_organisation_facets_follow_skills_and_sectors(client, vocabulary):
    _domain, skill, _narrower, _rigging = vocabulary
    studio = OrganisationFactory(name="Studio Nord")
    assert names(search(client, "community:organisations", skill=["t-sound"])) == []
    studio.skills.add(skill)
    studio.sectors.add(sector("video-games"))
    assert names(search(client, "community:organisations", skill=["t-sound"])) == ["Studio Nord"]
    assert names(search(client, "community:organisations", sector=["video-games"])) == [
        "Studio Nord"
    ]
    studio.skills.remove(skill)
    assert names(search(client, "community:organisations", skill=["t-sound"])) == []


def test_the_migration_fills_the_same_values_as_the_rebuild(people):
    """0009 fills ``search_facets`` of the rows that existed before it, in the rebuild's format."""
    import importlib

    from django.apps import apps

    from filiere.community.models import Organisation, Person

    migration = importlib.import_module("filiere.community.migrations.0009_search_facets")
    people_before = dict(Person.objects.values_list("pk", "search_facets"))
    organisations_before = dict(Organisation.objects.values_list("pk", "search_facets"))
    assert all(people_before.values())
    Person.objects.update(search_facets="")
    Organisation.objects.update(search_facets="")

    migration.fill(apps, None)

    assert dict(Person.objects.values_list("pk", "search_facets")) == people_before
    assert dict(Organisation.objects.values_list("pk", "search_facets")) == organisations_before


def card_of(response, last_name: str) -> str:
    cards = response.content.decode().split('<li class="card">')[1:]
    (card,) = [card for card in cards if last_name in card.split("</h3>")[0]]
    return card


def test_a_card_lists_the_persons_professions_and_skills_as_they_are_now(client, people):
    _anna, bram, _chloe = people
    bram.skills.add(Skill.objects.create(slug="t-anim", name="Animation 2D"))

    peeters = card_of(search(client), "Peeters")
    # The person's own skills, by name; the profession's label.
    assert peeters.index("Animation 2D") < peeters.index("Rigging")
    assert profession("rigger").label in peeters
    dupont = card_of(search(client), "Dupont")
    assert "Mixage" in dupont and ">Son<" not in dupont  # named skills, not their domain

    # Skills kept from visitors: not on the visitor's card.
    bram.field_visibility = {"skills": Visibility.MEMBERS}
    bram.save()
    peeters = card_of(search(client), "Peeters")
    assert "Rigging" not in peeters
    assert profession("rigger").label in peeters


def test_the_stored_facet_format_reads_back_what_was_written():
    from filiere.community.facet_tokens import facet_text, stored_facets

    text = facet_text(
        skills=[3, 12, 3], named_skills=[12], professions=[7], sectors=[2, 5], kinds=["company"]
    )
    facets = stored_facets(text)

    assert text == "c2 c5 kcompany o12 p7 s12 s3"  # sorted, each value once
    assert (facets.skills, facets.named_skills) == ({3, 12}, (12,))
    assert (facets.professions, facets.sectors, facets.kinds) == ({7}, {2, 5}, {"company"})
    assert stored_facets("") == stored_facets("  ")
