"""The OpenAPI document: valid, and every operation documented (summary, tags, answers)."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}
COMMUNITY_TAGS = {"people", "organisations", "reference"}


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def _schema_of(answer) -> dict | None:
    return answer.get("content", {}).get("application/json", {}).get("schema")


def test_the_document_validates(schema):
    validate(schema)  # raises on the first error


def test_every_operation_has_a_summary_tags_and_documented_answers(schema):
    problems = []
    for key, operation in _operations(schema):
        answers = operation.get("responses", {})
        if not operation.get("summary"):
            problems.append(f"{key}: no summary")
        if not operation.get("tags"):
            problems.append(f"{key}: no tags")
        if not any(code.startswith("2") for code in answers):
            problems.append(f"{key}: no success answer")
        if not any(code.startswith("4") and _schema_of(answers[code]) for code in answers):
            problems.append(f"{key}: no error answer with a schema")
    assert not problems, "\n".join(problems)


def test_community_operations_declare_the_shared_error_schema_and_public_access(schema):
    community = [(key, op) for key, op in _operations(schema) if COMMUNITY_TAGS & set(op["tags"])]
    assert len(community) == 9  # people, organisations, reference data and the skills vocabulary
    for key, operation in community:
        errors = {code: a for code, a in operation["responses"].items() if code >= "400"}
        assert "401" in errors, key
        for answer in errors.values():
            assert _schema_of(answer) == {"$ref": "#/components/schemas/ErrorOut"}, key
        assert {} in operation["security"], f"{key}: anonymous callers are allowed"


def test_the_error_and_page_schemas_are_described(schema):
    components = schema["components"]["schemas"]

    assert set(components["ErrorOut"]["properties"]) == {"code", "message", "params", "fields"}
    page = components["PersonOutPage"]
    assert set(page["properties"]) == {
        "count",
        "page",
        "page_size",
        "next",
        "previous",
        "results",
        "facets",
    }
    assert page["properties"]["results"]["items"] == {"$ref": "#/components/schemas/PersonOut"}


def test_list_operations_document_their_filters_and_pagination(schema):
    def parameters(path):
        return {p["name"] for p in schema["paths"][path]["get"]["parameters"]}

    assert parameters("/api/v1/people") == {
        "page",
        "page_size",
        "q",
        "skill",
        "profession",
        "sector",
        "territory",
        "organisation_kind",
        "language",
        "availability",
    }
    assert parameters("/api/v1/organisations") == {
        "page",
        "page_size",
        "q",
        "skill",
        "kind",
        "sector",
        "territory",
    }


def test_public_operations_let_anonymous_callers_in_and_say_so(schema):
    # /calls was public but documented as needing credentials.
    for path in ("/api/v1/calls", "/api/v1/calls/{slug}", "/api/v1/sectors"):
        security = schema["paths"][path]["get"]["security"]
        assert security == [{"ApiTokenAuth": []}, {"SessionAuth": []}, {}], path
    assert {} not in schema["paths"]["/api/v1/me"]["get"]["security"]


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        ("get", "/api/v1/calls", {"200", "401", "422", "429"}),
        ("get", "/api/v1/calls/{slug}", {"200", "401", "404", "429"}),
        ("get", "/api/v1/me", {"200", "401", "429"}),
        ("delete", "/api/v1/me/tokens/{token_id}", {"204", "401", "403", "404", "422", "429"}),
    ],
)
def test_the_error_answers_each_operation_can_give_are_documented(schema, method, path, codes):
    answers = schema["paths"][path][method]["responses"]

    assert set(answers) == codes
    for code in codes - {"200", "204"}:
        assert _schema_of(answers[code]) == {"$ref": "#/components/schemas/ErrorOut"}
    assert answers["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"


def test_filters_over_closed_sets_are_declared_as_enums(schema):
    def parameter(path, name):
        (found,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
        # A facet may be repeated (?territory=mel&territory=wallonia): each item is one of.
        return found["schema"].get("items", found["schema"])

    assert parameter("/api/v1/calls", "phase")["enum"] == ["closed", "open", "upcoming"]
    assert "serious-game" in parameter("/api/v1/calls", "genre")["enum"]
    assert "mel" in parameter("/api/v1/people", "territory")["enum"]
    assert "animation" in parameter("/api/v1/people", "sector")["enum"]
    assert "research_lab" in parameter("/api/v1/organisations", "kind")["enum"]
    assert "wallonia" in parameter("/api/v1/organisations", "territory")["enum"]
    # Query strings have no null: an optional filter is simply absent.
    assert parameter("/api/v1/people", "territory")["type"] == "string"
    assert "anyOf" not in parameter("/api/v1/people", "page_size")


def test_the_reference_page_shows_every_operation_of_the_document(client, schema):
    page = client.get("/api/v1/docs").content.decode()

    for path, item in schema["paths"].items():
        for method in item:
            assert f"<code>{method.upper()} {path}</code>" in page
    assert '<main id="main"' in page
    assert "swagger" not in page.lower()
