"""/api/v1/review: an expert reads their assignments and their own review, with the pages'
permissions; other experts, applicants, staff and anonymous callers read nothing of it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from filiere.accounts.services import create_api_token
from filiere.review.models import (
    Assignment,
    Expert,
    PairResponse,
    PairStatus,
    Review,
    ReviewSettings,
    ReviewStatus,
)
from tests.api.queries import operation_queries
from tests.factories import OrganisationFactory, user_with_role
from tests.review.factories import application, expert, open_call, staff, works_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/review/assignments"


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def review_url(pair):
    return f"/api/v1/review/assignments/{pair.pk}/review"


def _pair(call, user, app=None, response=PairResponse.ACCEPTED, status=PairStatus.PUBLISHED):
    return Assignment.objects.create(
        application=app or application(call),
        expert=Expert.objects.get(user=user, fund=call.fund),
        status=status,
        response=response,
    )


@pytest.fixture
def call():
    return open_call()


def test_the_expert_lists_their_published_assignments_with_answer_review_and_deadline(client, call):
    deadline = timezone.now() + timedelta(days=10)
    ReviewSettings.objects.create(call=call, deadline=deadline)
    reader = expert(call.fund)
    pending = _pair(call, reader, response=PairResponse.PENDING)
    accepted = _pair(call, reader)
    Review.objects.create(assignment=accepted, status=ReviewStatus.DRAFT, version=1)
    _pair(call, reader, status=PairStatus.PROPOSED)  # not published yet: not shown
    _pair(call, expert(call.fund))  # another expert's

    body = client.get(LIST, **auth(reader)).json()

    assert body["count"] == 2 and body["page"] == 1 and body["next"] is None
    rows = {row["id"]: row for row in body["results"]}
    assert set(rows) == {pending.pk, accepted.pk}
    assert rows[pending.pk]["response"] == "pending"
    assert rows[pending.pk]["review_status"] is None
    assert rows[accepted.pk]["response"] == "accepted"
    assert rows[accepted.pk]["review_status"] == "draft"
    assert rows[accepted.pk]["reference"] == accepted.application.reference
    assert rows[accepted.pk]["title"] == accepted.application.title
    assert rows[accepted.pk]["call"] == call.slug
    assert rows[accepted.pk]["deadline"].startswith(deadline.date().isoformat())
    assert rows[accepted.pk]["late"] is False


def test_the_list_is_paginated(client, call):
    reader = expert(call.fund)
    for _ in range(3):
        _pair(call, reader)

    body = client.get(f"{LIST}?page_size=2&page=2", **auth(reader)).json()

    assert body["count"] == 3 and body["page_size"] == 2 and len(body["results"]) == 1
    assert body["next"] is None and "page=1" in body["previous"]


def test_the_expert_reads_their_own_review(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    Review.objects.create(
        assignment=pair,
        scores={"artistic": 4, "feasibility": "na"},
        opinion="A strong, clear project.",
        confidential_note="For the committee",
        recommendation="fund",
        status=ReviewStatus.SUBMITTED,
        total=80.0,
        version=2,
        submitted_at=timezone.now(),
    )

    body = client.get(review_url(pair), **auth(reader)).json()

    assert body["assignment"] == pair.pk and body["reference"] == pair.application.reference
    assert body["status"] == "submitted" and body["total"] == 80.0
    assert body["scores"] == {"artistic": 4, "feasibility": "na"}
    assert body["opinion"] == "A strong, clear project."
    assert body["confidential_note"] == "For the committee"
    assert body["recommendation"] == "fund" and body["version"] == 2


def test_before_the_first_save_the_review_is_an_empty_draft(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)

    body = client.get(review_url(pair), **auth(reader)).json()

    assert body["status"] is None and body["scores"] == {} and body["version"] == 0


def test_no_other_experts_identity_in_the_answers(client, call):
    reader = expert(call.fund)
    other = expert(call.fund)
    app = application(call)
    pair = _pair(call, reader, app)
    Review.objects.create(assignment=_pair(call, other, app), status=ReviewStatus.SUBMITTED)

    listed = client.get(LIST, **auth(reader)).content.decode()
    review = client.get(review_url(pair), **auth(reader)).content.decode()

    for text in (listed, review):
        assert other.email not in text and str(other.person) not in text


def test_another_expert_gets_404_and_non_experts_403(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    intruder = expert(call.fund)  # same pool, not assigned
    applicant = pair.application.lead

    assert client.get(review_url(pair), **auth(intruder)).status_code == 404
    assert client.get(LIST, **auth(intruder)).json()["count"] == 0
    for outsider in (applicant, staff(), user_with_role("applicant")):
        for url in (LIST, review_url(pair)):
            response = client.get(url, **auth(outsider))
            assert response.status_code == 403
            assert response.json()["code"] == "forbidden"


def test_a_missing_pending_or_declined_assignment_has_no_review(client, call):
    reader = expert(call.fund)
    pending = _pair(call, reader, response=PairResponse.PENDING)
    declined = _pair(call, reader, response=PairResponse.DECLINED)

    for pair in (pending, declined):
        assert client.get(review_url(pair), **auth(reader)).status_code == 404
    response = client.get("/api/v1/review/assignments/999999/review", **auth(reader))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_anonymous_callers_get_401(client, call):
    pair = _pair(call, expert(call.fund))

    for url in (LIST, review_url(pair)):
        response = client.get(url)
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_an_expert_without_second_factor_is_refused(client, call):
    reader = expert(call.fund, with_totp=False)
    pair = _pair(call, reader)

    for url in (LIST, review_url(pair)):
        response = client.get(url, **auth(reader))
        assert response.status_code == 401
        assert response.json()["code"] == "second_factor_required"
    client.force_login(reader)
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["code"] == "second_factor_required"


def test_a_conflicted_expert_gets_404_and_does_not_see_the_assignment(client, call):
    studio = OrganisationFactory()
    reader = expert(call.fund)
    pair = _pair(call, reader, application(call, organisation=studio))
    kept = _pair(call, reader)
    works_for(reader, studio)

    assert client.get(review_url(pair), **auth(reader)).status_code == 404
    body = client.get(LIST, **auth(reader)).json()
    assert [row["id"] for row in body["results"]] == [kept.pk]


def test_the_session_of_a_signed_in_expert_works_too(client, call):
    reader = expert(call.fund)
    pair = _pair(call, reader)
    client.force_login(reader)

    assert client.get(LIST).json()["count"] == 1
    assert client.get(review_url(pair)).status_code == 200


def test_the_list_costs_the_same_queries_as_assignments_grow(client, call):
    ReviewSettings.objects.create(call=call, deadline=timezone.now() + timedelta(days=3))
    reader = expert(call.fund)
    headers = auth(reader)
    for _ in range(5):
        _pair(call, reader)
    client.get(LIST, **headers)  # warm caches
    few = operation_queries(client, LIST, **headers)
    for _ in range(45):
        pair = _pair(call, reader)
        Review.objects.create(assignment=pair, status=ReviewStatus.DRAFT)

    many = operation_queries(client, LIST, **headers)

    assert client.get(LIST, **headers).json()["count"] == 50
    assert many == few
