"""A service's refusal (filiere.errors.ServiceError) reaches the API in its one error shape, with
the status of its kind, through the one handler of api/errors.install; no endpoint translates."""

import json
from datetime import datetime
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from filiere import errors
from filiere.accounts.services import create_api_token
from filiere.api.errors import json_safe
from filiere.api.router import api
from filiere.calls import throttle
from tests.calls.apply_factories import DraftFactory, invite
from tests.calls.instruction_factories import ApplicationFactory
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db

SHAPE = {"code", "message", "params", "fields"}


def auth(user, language="en"):
    key = create_api_token(user=user, name="t")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {key}", "HTTP_ACCEPT_LANGUAGE": language}


def post(client, user, path, payload=None, language="en"):
    return client.post(
        path,
        data=json.dumps(payload) if payload is not None else "",
        content_type="application/json",
        **auth(user, language),
    )


@pytest.mark.translations
def test_not_allowed_is_403_with_the_translated_message(client):
    application = DraftFactory()
    partner = UserFactory()
    invite(application, partner)

    response = post(client, partner, f"/api/v1/applications/{application.pk}/submit", language="fr")

    assert response.status_code == 403
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "apply.only_lead_submits"
    assert body["message"] == "Seul le porteur de projet principal peut déposer le dossier."
    assert (body["params"], body["fields"]) == ({}, {})


@pytest.mark.translations
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "Alleen de hoofdaanvrager kan de aanvraag indienen."),
        ("en", "Only the lead applicant can submit the application."),
    ],
)
def test_refusals_and_not_found_answer_in_the_callers_language(client, language, message):
    # The handlers run once the operation has returned: the caller's language must hold there
    # too, not only the site's default (French).
    application = DraftFactory()
    partner = UserFactory()
    invite(application, partner)
    path = f"/api/v1/applications/{application.pk}/submit"
    refused = post(client, partner, path, language=language)
    assert (refused.status_code, refused.json()["message"]) == (403, message)
    missing = client.get("/api/v1/showcase/no-such-page", HTTP_ACCEPT_LANGUAGE=language)
    assert missing.json()["message"] == {"nl": "Niet gevonden.", "en": "Not found."}[language]


def test_a_refusal_of_the_state_of_things_is_409(client):
    application = ApplicationFactory(state="awarded")

    response = post(client, application.lead, f"/api/v1/applications/{application.pk}/withdraw", {})

    assert response.status_code == 409
    body = response.json()
    assert set(body) == SHAPE
    assert body["code"] == "apply.not_withdrawable"
    assert body["message"] and body["fields"] == {}


def test_invalid_input_is_422_with_the_message_under_its_field(client):
    application = ApplicationFactory()

    response = post(
        client,
        user_with_role("staff"),
        f"/api/v1/applications/{application.pk}/transitions",
        {"code": "declare_ineligible"},
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "workflow.reason_required"
    assert body["fields"] == {"reason": [body["message"]]}
    assert body["params"]["transition"] == "declare_ineligible"


def test_throttled_is_429_with_retry_after(settings):
    settings.FILIERE_MESSAGE_RATE = (1, 600)
    user = UserFactory()
    throttle.hit(scope="message", user=user)
    with pytest.raises(throttle.Throttled) as refused:
        throttle.hit(scope="message", user=user)
    request = RequestFactory().post("/api/v1/anything")

    response = api.on_exception(request, refused.value)

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 600
    body = json.loads(response.content)
    assert set(body) == SHAPE
    assert body["code"] == "throttle.message"
    assert body["params"] == {"count": 1, "window": 10, "minutes": 10}


def test_params_are_made_json_safe():
    moment = timezone.make_aware(datetime(2009, 10, 15, 12, 0, 0, 123456))
    params = {"at": moment, "amount": Decimal("150000.50"), "codes": ("a", "b"), "n": 2}

    assert json_safe(params) == {
        "at": "2009-10-15T12:00:00.123456+02:00",
        "amount": "150000.50",
        "codes": ["a", "b"],
        "n": 2,
    }


def test_an_unregistered_refusal_still_answers_in_the_shape():
    request = RequestFactory().post("/api/v1/anything")

    response = api.on_exception(request, errors.ServiceError("nobody.knows", {"x": 1}))

    assert response.status_code == 409
    assert json.loads(response.content)["code"] == "nobody.knows"
