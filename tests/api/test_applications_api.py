"""/api/v1/applications: all for staff (with the list's filters), own for others, transitions
for staff with JSON errors carrying the engine's code and a translated message."""

import json
from decimal import Decimal

import pytest

from filiere.accounts.services import create_api_token
from filiere.audit.models import AuditEntry
from tests.calls.instruction_factories import ApplicationFactory, CallFactory, add_member
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


@pytest.fixture
def staff():
    return user_with_role("staff")


def test_staff_list_all_with_filters(client, staff):
    call = CallFactory()
    small = ApplicationFactory(call=call, requested_amount=Decimal(10000))
    large = ApplicationFactory(call=call, requested_amount=Decimal(90000), state="eligible")
    other = ApplicationFactory()
    body = client.get("/api/v1/applications", **auth(staff)).json()
    assert body["count"] == 3
    assert {r["reference"] for r in body["results"]} == {
        small.reference,
        large.reference,
        other.reference,
    }

    body = client.get(
        f"/api/v1/applications?call={call.slug}&min_amount=50000&sort=-amount", **auth(staff)
    ).json()
    assert [r["reference"] for r in body["results"]] == [large.reference]
    assert body["results"][0]["requested_amount"] == "90000.00"
    body = client.get(f"/api/v1/applications?call={call.slug}&status=eligible", **auth(staff))
    assert [r["reference"] for r in body.json()["results"]] == [large.reference]
    assert client.get("/api/v1/applications?call=nope", **auth(staff)).status_code == 404
    # Without a call: the same filters across every call.
    body = client.get("/api/v1/applications?min_amount=60000", **auth(staff)).json()
    assert [r["reference"] for r in body["results"]] == [large.reference]


def test_applicant_lists_only_own_and_team_applications(client):
    mine = ApplicationFactory()
    on_team = ApplicationFactory()
    add_member(on_team, mine.lead)
    ApplicationFactory()  # someone else's
    body = client.get("/api/v1/applications", **auth(mine.lead)).json()
    assert sorted(r["reference"] for r in body["results"]) == sorted(
        [mine.reference, on_team.reference]
    )


def test_detail_404_for_someone_elses_application(client):
    application = ApplicationFactory()
    stranger = user_with_role("applicant")
    response = client.get(f"/api/v1/applications/{application.pk}", **auth(stranger))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_detail_for_staff_has_labels_and_allowed_transitions(client, staff):
    from filiere.calls.services.instruction import add_label

    application = ApplicationFactory()
    add_label(application=application, name="coup de cœur", by=staff)
    body = client.get(f"/api/v1/applications/{application.pk}", **auth(staff)).json()
    assert body["labels"] == ["coup de cœur"]
    assert body["notes_count"] == 0
    codes = [t["code"] for t in body["allowed_transitions"]]
    assert codes[:3] == ["request_correction", "declare_eligible", "declare_ineligible"]


def post_transition(client, user, application, payload):
    return client.post(
        f"/api/v1/applications/{application.pk}/transitions",
        data=json.dumps(payload),
        content_type="application/json",
        **auth(user),
    )


def test_staff_transition_and_audit(client, staff):
    application = ApplicationFactory()
    response = post_transition(
        client, staff, application, {"code": "declare_ineligible", "reason": "Hors territoire."}
    )
    assert response.status_code == 200
    assert response.json()["state"] == "ineligible"
    entry = AuditEntry.objects.get(action="application.transition")
    assert (entry.data["from"], entry.data["to"], entry.reason) == (
        "submitted",
        "ineligible",
        "Hors territoire.",
    )


def test_transition_errors_are_json_with_engine_codes(client, staff):
    application = ApplicationFactory()
    response = post_transition(client, staff, application, {"code": "declare_ineligible"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "workflow.reason_required"
    assert body["message"]

    response = post_transition(client, staff, application, {"code": "award"})
    assert response.status_code == 409
    assert response.json()["code"] == "workflow.not_allowed"
    assert response.json()["params"]["why"] == "state"

    response = post_transition(client, staff, application, {"nope": 1})
    assert response.status_code == 400
    assert response.json()["code"] == "request.invalid"


def test_lead_cannot_decide_but_may_withdraw(client):
    application = ApplicationFactory()
    response = post_transition(client, application.lead, application, {"code": "declare_eligible"})
    assert response.status_code == 403
    assert response.json()["params"]["why"] == "actor"
    response = post_transition(client, application.lead, application, {"code": "withdraw"})
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"


def test_transition_on_someone_elses_application_is_404(client):
    application = ApplicationFactory()
    other = user_with_role("applicant")
    response = post_transition(client, other, application, {"code": "withdraw"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == "submitted"


def test_the_list_pages_like_the_rest_of_the_api(client, staff):
    call = CallFactory()
    for _ in range(3):
        ApplicationFactory(call=call)

    first = client.get("/api/v1/applications?page_size=2", **auth(staff)).json()
    second = client.get("/api/v1/applications?page=2&page_size=2", **auth(staff)).json()

    assert (first["count"], first["page"], first["page_size"], len(first["results"])) == (
        3,
        1,
        2,
        2,
    )
    assert first["previous"] is None and "page=2" in first["next"]
    assert len(second["results"]) == 1 and second["next"] is None
    bad = client.get("/api/v1/applications?page=0", **auth(staff))
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
