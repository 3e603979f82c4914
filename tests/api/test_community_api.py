"""The community read API: the directory's rules through tokens, filters, pagination, errors."""

import pytest
from django.utils import timezone

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token
from filiere.community.models import OrganisationKind, Visibility
from tests.api.queries import operation_queries
from tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    SkillFactory,
    UserFactory,
    profession,
    sector,
    territory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people"
ORGANISATIONS = "/api/v1/organisations"


@pytest.fixture(autouse=True)
def _in_english(client):
    """Assertions quote the English messages: ask for them (French is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def bearer(user) -> dict[str, str]:
    _token, key = create_api_token(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


@pytest.fixture
def profiles():
    """One profile of each visibility, plus a public one without consent."""
    return {
        "public": PersonFactory(slug="public", last_name="Aa"),
        "members": PersonFactory(slug="members", last_name="Bb", visibility=Visibility.MEMBERS),
        "private": PersonFactory(
            slug="private", last_name="Cc", visibility=Visibility.PRIVATE, user=UserFactory()
        ),
        "no-consent": PersonFactory(slug="no-consent", last_name="Dd", consent_at=None),
    }


# --- Who sees what --------------------------------------------------------------------------------


def test_anonymous_callers_see_public_profiles_only_also_in_the_count(client, profiles):
    response = client.get(PEOPLE)

    assert slugs(response) == ["public"]
    assert response.json()["count"] == 1


def test_a_member_token_raises_visibility_to_members_only_profiles(client, profiles):
    response = client.get(PEOPLE, **bearer(UserFactory()))

    assert slugs(response) == ["public", "members"]
    assert response.json()["count"] == 2


def test_a_signed_in_browser_session_sees_what_a_token_sees(client, profiles):
    client.force_login(UserFactory())

    assert slugs(client.get(PEOPLE)) == ["public", "members"]


def test_staff_see_every_profile(client, profiles):
    response = client.get(PEOPLE, **bearer(user_with_role(Role.STAFF)))

    assert slugs(response) == ["public", "members", "private", "no-consent"]


def test_the_owner_of_a_private_profile_sees_it_with_their_token(client, profiles):
    owner = profiles["private"].user

    assert slugs(client.get(PEOPLE, **bearer(owner))) == ["public", "members", "private"]
    assert client.get(f"{PEOPLE}/private", **bearer(owner)).status_code == 200


@pytest.mark.parametrize("hidden", ["private", "no-consent"])
def test_a_hidden_profile_answers_exactly_like_a_missing_one(client, profiles, hidden):
    headers = bearer(UserFactory())

    hidden_answer = client.get(f"{PEOPLE}/{hidden}", **headers)
    missing_answer = client.get(f"{PEOPLE}/no-such-person", **headers)

    assert hidden_answer.status_code == missing_answer.status_code == 404
    assert hidden_answer.content == missing_answer.content
    assert hidden_answer.json() == {
        "code": "not_found",
        "message": "Not found.",
        "params": {},
        "fields": {},
    }


def test_a_members_only_profile_is_404_without_a_token_and_200_with_one(client, profiles):
    assert client.get(f"{PEOPLE}/members").status_code == 404
    assert client.get(f"{PEOPLE}/members", **bearer(UserFactory())).status_code == 200


def test_private_members_never_appear_in_an_organisation(client):
    studio = OrganisationFactory(slug="studio")
    for visibility, name in [("public", "Aa"), ("members", "Bb"), ("private", "Cc")]:
        AffiliationFactory(
            organisation=studio, person=PersonFactory(visibility=visibility, last_name=name)
        )
    AffiliationFactory(organisation=studio, person=PersonFactory(last_name="Dd", consent_at=None))

    def members(**headers):
        response = client.get(f"{ORGANISATIONS}/studio", **headers)
        assert response.status_code == 200
        return [m["person"]["last_name"] for m in response.json()["members"]]

    assert members() == ["Aa"]
    assert members(**bearer(UserFactory())) == ["Aa", "Bb"]
    assert members(**bearer(user_with_role(Role.STAFF))) == ["Aa", "Bb", "Cc", "Dd"]


# --- Tokens -----------------------------------------------------------------------------------


def test_a_revoked_token_is_refused_with_401_not_downgraded_to_anonymous(client, profiles):
    user = UserFactory()
    token, key = create_api_token(user=user, name="old")
    token.revoked_at = timezone.now()
    token.save()

    response = client.get(PEOPLE, HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert "token" in response.json()["message"]


@pytest.mark.parametrize(
    "url", [PEOPLE, f"{PEOPLE}/public", ORGANISATIONS, "/api/v1/territories", "/api/v1/sectors"]
)
def test_a_wrong_token_is_refused_everywhere(client, profiles, url):
    response = client.get(url, HTTP_AUTHORIZATION="Bearer flr_not-a-key")

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_the_token_of_a_deactivated_account_is_refused(client, profiles):
    user = UserFactory()
    headers = bearer(user)
    user.is_active = False
    user.save()

    assert client.get(PEOPLE, **headers).status_code == 401


# --- People: filters and content ---------------------------------------------------------------


@pytest.fixture
def directory():
    blender = SkillFactory(name="Blender")
    lab = OrganisationFactory(slug="lab", name="Lab", kind=OrganisationKind.RESEARCH_LAB)
    anna = PersonFactory(
        slug="anna",
        first_name="Anna",
        last_name="Dupont",
        professions=[profession("animator-3d")],
        sectors=[sector("animation")],
        skills=[blender],
        territory=territory("mel"),
    )
    PersonFactory(
        slug="bram",
        first_name="Bram",
        last_name="Peeters",
        headline="Level designer in Ghent",
        professions=[profession("level-designer")],
        sectors=[sector("video-games")],
        territory=territory("flanders"),
    )
    AffiliationFactory(person=anna, organisation=lab, title="PhD student")
    return anna


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=ghent", ["bram"]),
        ("q=anna+dupont", ["anna"]),
        ("skill=blender", ["anna"]),
        ("profession=level-designer", ["bram"]),
        ("sector=animation", ["anna"]),
        ("territory=flanders", ["bram"]),
        ("organisation_kind=research_lab", ["anna"]),
        ("sector=animation&territory=flanders", []),
        ("", ["anna", "bram"]),
    ],
)
def test_people_filters(client, directory, query, expected):
    assert slugs(client.get(f"{PEOPLE}?{query}")) == expected


def test_a_person_in_the_list_carries_labels_in_three_languages(client, directory):
    (anna,) = client.get(f"{PEOPLE}?q=anna").json()["results"]

    assert anna["display_name"] == "Anna Dupont"
    assert anna["territory"]["code"] == "mel"
    assert anna["sectors"] == [
        {
            "slug": "animation",
            "label": "Animation",
            "label_fr": "Animation",
            "label_en": "Animation",
            "label_nl": "Animatie",
        }
    ]
    assert anna["skills"] == [{"slug": "blender", "name": "Blender"}]
    assert anna["current_affiliations"] == [
        {
            "organisation": {"slug": "lab", "name": "Lab", "kind": "research_lab"},
            "role": "employee",
            "role_label": "Employee",
            "title": "PhD student",
        }
    ]


def test_the_label_follows_accept_language(client, directory):
    (anna,) = client.get(f"{PEOPLE}?q=anna", HTTP_ACCEPT_LANGUAGE="nl").json()["results"]

    assert anna["sectors"][0]["label"] == "Animatie"


@pytest.mark.translations
@pytest.mark.parametrize(
    ("language", "message"),
    [("nl", "Niet gevonden."), ("fr", "Introuvable."), ("", "Introuvable.")],
)
def test_error_messages_are_in_the_callers_language_french_by_default(client, language, message):
    response = client.get(f"{PEOPLE}/nobody", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 404
    assert response.json()["message"] == message


def test_a_profile_detail_has_the_bio_languages_and_all_affiliations(client, directory):
    AffiliationFactory(
        person=directory,
        organisation=OrganisationFactory(name="Old studio"),
        start_date="2010-01-01",
        end_date="2012-06-30",
    )

    person = client.get(f"{PEOPLE}/anna").json()

    assert person["languages"] == ["fr"]
    assert [(a["organisation"]["name"], a["is_current"]) for a in person["affiliations"]] == [
        ("Old studio", False),
        ("Lab", True),
    ]
    assert [a["organisation"]["name"] for a in person["current_affiliations"]] == ["Lab"]
    assert "user" not in person and "consent_at" not in person and "visibility" not in person


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("sector=cooking", {"sector": ["Unknown value “cooking”."]}),
        ("skill=juggling", {"skill": ["Unknown value “juggling”."]}),
        ("profession=astronaut", {"profession": ["Unknown value “astronaut”."]}),
        ("territory=atlantis", {"territory": ["Unknown value “atlantis”."]}),
        ("organisation_kind=guild", {"organisation_kind": ["Unknown value “guild”."]}),
        # Given empty, a filter is a mistake too (absent means "any").
        ("territory=", {"territory": ["Unknown value “”."]}),
        ("sectors=animation", {"sectors": ["Unknown parameter."]}),
        (
            "colour=red&sector=cooking",
            {"colour": ["Unknown parameter."], "sector": ["Unknown value “cooking”."]},
        ),
        ("q=" + "x" * 101, {"q": ["Enter at most 100 characters."]}),
        ("page=abc", {"page": ["Enter a whole number."]}),
        ("page=0", {"page": ["Enter a number greater than or equal to 1."]}),
        ("page=100001", {"page": ["Enter a number less than or equal to 100000."]}),
        ("page_size=0", {"page_size": ["Enter a number greater than or equal to 1."]}),
    ],
)
def test_bad_input_gets_422_naming_each_field(client, directory, query, fields):
    response = client.get(f"{PEOPLE}?{query}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 422
    assert response.json() == {
        "code": "invalid_input",
        "message": "The request is not valid: see the messages for each field.",
        "params": {},
        "fields": fields,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=guild", "kind"),
        ("sector=cooking", "sector"),
        ("territory=atlantis", "territory"),
        ("q=" + "x" * 101, "q"),
        ("name=x", "name"),
    ],
)
def test_bad_organisation_filters_get_422(client, query, field):
    response = client.get(f"{ORGANISATIONS}?{query}")

    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field]


# --- Pagination -------------------------------------------------------------------------------


def test_pages_link_to_each_other_and_keep_the_filters(client, settings):
    settings.FILIERE_API_PAGE_SIZE = 2
    for n in range(5):
        PersonFactory(last_name=f"Name{n}", sectors=[sector("animation")])

    first = client.get(f"{PEOPLE}?sector=animation").json()
    second = client.get(f"{PEOPLE}?sector=animation&page=2").json()
    last = client.get(f"{PEOPLE}?sector=animation&page=3").json()

    assert (first["count"], first["page"], first["page_size"]) == (5, 1, 2)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/people?sector=animation&page=2"
    assert [p["last_name"] for p in second["results"]] == ["Name2", "Name3"]
    assert second["previous"] == "http://testserver/api/v1/people?sector=animation&page=1"
    assert second["next"] == "http://testserver/api/v1/people?sector=animation&page=3"
    assert [p["last_name"] for p in last["results"]] == ["Name4"]
    assert last["next"] is None


def test_a_page_past_the_end_is_empty_and_points_back_to_the_last_page(client):
    PersonFactory.create_batch(3)

    response = client.get(f"{PEOPLE}?page=7")

    assert response.status_code == 200
    body = response.json()
    # The facets count every page's rows: not empty past the last one.
    assert body.pop("facets")[0]["name"] == "skill"
    assert body == {
        "count": 3,
        "page": 7,
        "page_size": 50,
        "next": None,
        "previous": "http://testserver/api/v1/people?page=1",
        "results": [],
    }


def test_a_page_size_above_the_maximum_is_clamped(client, settings):
    settings.FILIERE_API_PAGE_SIZE = 3
    PersonFactory.create_batch(5)

    page = client.get(f"{PEOPLE}?page_size=1000").json()

    assert page["page_size"] == 3
    assert len(page["results"]) == 3


def test_a_smaller_page_size_is_honoured(client):
    PersonFactory.create_batch(3)

    page = client.get(f"{ORGANISATIONS}?page_size=1").json()
    people = client.get(f"{PEOPLE}?page_size=2").json()

    assert page["count"] == 0
    assert (people["page_size"], len(people["results"])) == (2, 2)


# --- Organisations ------------------------------------------------------------------------------


def test_organisation_filters_and_content(client):
    OrganisationFactory(slug="ankama", name="Ankama North", sectors=[sector("video-games")])
    OrganisationFactory(
        slug="ulb-lab",
        name="Immersive lab",
        kind=OrganisationKind.RESEARCH_LAB,
        seat_commune=None,
        territory=territory("brussels"),
        country="BE",
    )

    assert slugs(client.get(ORGANISATIONS)) == ["ankama", "ulb-lab"]
    assert slugs(client.get(f"{ORGANISATIONS}?kind=research_lab")) == ["ulb-lab"]
    assert slugs(client.get(f"{ORGANISATIONS}?sector=video-games")) == ["ankama"]
    assert slugs(client.get(f"{ORGANISATIONS}?territory=brussels")) == ["ulb-lab"]
    assert slugs(client.get(f"{ORGANISATIONS}?q=north")) == ["ankama"]
    ankama = client.get(f"{ORGANISATIONS}?q=ankama").json()["results"][0]
    assert ankama["kind_label"] == "Company"
    assert ankama["seat_commune"] == {"insee_code": "59599", "name": "Tourcoing"}
    assert ankama["territory"]["code"] == "mel"


def test_organisation_detail_has_identifiers_and_member_roles(client):
    studio = OrganisationFactory(slug="studio", naf_code="59.11C")
    AffiliationFactory(
        organisation=studio, person=PersonFactory(slug="ada", first_name="Ada"), title="CEO"
    )

    detail = client.get(f"{ORGANISATIONS}/studio").json()

    assert detail["siren"] == studio.siren
    assert detail["naf_code"] == "59.11C"
    assert detail["members"][0]["person"]["slug"] == "ada"
    assert detail["members"][0]["title"] == "CEO"
    assert detail["members"][0]["is_current"] is True
    assert client.get(f"{ORGANISATIONS}/nothing").status_code == 404


def test_belgian_organisation_detail_has_its_nace_bel_code(client):
    OrganisationFactory(slug="studio-liege", country="BE", naf_code="", nace_code="59.111")

    detail = client.get(f"{ORGANISATIONS}/studio-liege").json()

    assert (detail["country"], detail["nace_code"]) == ("BE", "59.111")


# --- Reference data ------------------------------------------------------------------------------


def test_territories_with_their_communes_and_population(client):
    rows = {row["code"]: row for row in client.get("/api/v1/territories").json()}

    assert set(rows) == {
        "mel",
        "valenciennes",
        "porte-du-hainaut",
        "wallonia",
        "flanders",
        "brussels",
        "france",
        "other",
    }
    assert sum(rows[code]["commune_count"] for code in rows) == 177
    assert rows["mel"]["commune_count"] == 95
    assert rows["mel"]["population"] > 1_000_000
    assert (rows["wallonia"]["commune_count"], rows["wallonia"]["population"]) == (0, 0)

    mel = client.get("/api/v1/territories/mel").json()
    assert len(mel["communes"]) == 95
    assert {"insee_code": "59599", "name": "Tourcoing"}.items() <= next(
        c for c in mel["communes"] if c["insee_code"] == "59599"
    ).items()
    assert sum(c["population"] for c in mel["communes"]) == mel["population"]
    assert client.get("/api/v1/territories/atlantis").status_code == 404


def test_sectors_and_professions_in_three_languages(client):
    sectors = client.get("/api/v1/sectors").json()
    professions = {row["slug"]: row for row in client.get("/api/v1/professions").json()}

    assert [s["slug"] for s in sectors] == [
        "cinema",
        "audiovisual",
        "animation",
        "video-games",
        "immersive",
    ]
    producer = professions["producer"]
    assert producer["rome_code"] == "L1302"
    assert (producer["label_fr"], producer["label_en"], producer["label_nl"]) == (
        "Producteur / productrice",
        "Producer",
        "Producent",
    )


# --- Query counts ---------------------------------------------------------------------------------


def _queries(client, url, **headers) -> int:
    return operation_queries(client, url, **headers)


def _people(n: int) -> None:
    skill = SkillFactory(name="Blender")
    for _ in range(n):
        person = PersonFactory(
            professions=[profession("animator-3d")],
            sectors=[sector("animation"), sector("cinema")],
            skills=[skill],
            territory=territory("mel"),
        )
        AffiliationFactory(person=person)


@pytest.mark.parametrize("caller", ["anonymous", "member", "staff"])
def test_people_query_count_does_not_grow_with_rows(client, caller):
    headers = {}
    if caller != "anonymous":
        headers = bearer(user_with_role(Role.STAFF if caller == "staff" else None))
    # A word every profile has (its skill): on PostgreSQL, full-text search ignores "a".
    url = f"{PEOPLE}?sector=animation&q=blender"
    client.get(url, **headers)  # a token's first use records it (a write, once a minute)
    _people(5)
    few = _queries(client, url, **headers)
    _people(45)
    many = _queries(client, url, **headers)

    assert client.get(url, **headers).json()["count"] >= 45
    assert few == many


def test_organisations_query_count_does_not_grow_with_rows(client):
    def make(n):
        for _ in range(n):
            OrganisationFactory(sectors=[sector("animation"), sector("cinema")])

    make(5)
    few = _queries(client, ORGANISATIONS)
    make(45)
    many = _queries(client, ORGANISATIONS)

    assert few == many


def test_organisation_detail_query_count_does_not_grow_with_members(client):
    studio = OrganisationFactory(slug="studio", sectors=[sector("animation")])
    url = f"{ORGANISATIONS}/studio"
    AffiliationFactory.create_batch(5, organisation=studio)
    few = _queries(client, url)
    AffiliationFactory.create_batch(45, organisation=studio)
    many = _queries(client, url)

    assert len(client.get(url).json()["members"]) == 50
    assert few == many


def test_territories_are_answered_in_a_fixed_number_of_queries(client):
    assert _queries(client, "/api/v1/territories") == 1
    assert _queries(client, "/api/v1/territories/mel") == 2
