"""``GET /api/v1/posts/{id}/suggestions`` never computes in the request: it answers the post's
stored suggestions when they are fresh, else queues their computation and answers 202 with
``Retry-After``; a failed computation is 503 until it is tried again; the author and the staff
only (404 for everyone else, as on the page)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import default_task_backend

from filiere.accounts.models import Role
from filiere.accounts.services import create_api_token
from filiere.matchmaking import suggestion_runs
from filiere.matchmaking.models import SuggestionRun
from filiere.matchmaking.tasks import compute_suggestions
from tests.factories import SkillFactory, UserFactory, user_with_role

from .board_factories import PostFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(settings):
    """Tasks wait in a queue (no worker): what the API answers before the task has run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


@pytest.fixture
def scored(monkeypatch):
    """Every computation of a post's scores, by whoever does it."""
    calls = []
    real = suggestion_runs.suggestions.score_post

    def counting(post, pool=None):
        calls.append(post.pk)
        return real(post, pool)

    monkeypatch.setattr("filiere.matchmaking.suggestions.score_post", counting)
    return calls


def _run_queued(results):
    """What the worker does: run each queued task once."""
    for result in list(results):
        result.task.call(*result.args, **result.kwargs)
    results.clear()


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='test')[1]}"}


@pytest.fixture
def need():
    sound = SkillFactory(name="Bruitage (t)", slug="t-api-foley", label_en="Foley")
    post = PostFactory(author=member(), skills=[sound])
    match = member(first_name="Sam", last_name="Shared", skills=[sound])
    return post, match, sound


def _url(post):
    return f"/api/v1/posts/{post.pk}/suggestions"


def test_202_while_computing_then_200_with_the_stored_suggestions(client, queued, scored, need):
    post, match, _sound = need
    auth = _auth(post.author)

    first = client.get(_url(post), **auth)
    again = client.get(_url(post), **auth)
    assert scored == []  # nothing computed in the requests
    assert [r.task for r in queued] == [compute_suggestions]  # one run queued, once
    _run_queued(queued)
    ready = client.get(_url(post), **auth)
    ready_again = client.get(_url(post), **auth)

    assert first.status_code == 202 and again.status_code == 202
    assert first.json()["status"] == "computing" and first["Retry-After"] == "2"
    assert first.json()["requested_at"] == again.json()["requested_at"]
    assert ready.status_code == 200 and ready_again.status_code == 200
    assert [s["slug"] for s in ready.json()] == [match.person.slug]
    assert ready.json()[0]["reasons"][0]["code"] == "shared_skills"
    assert "Retry-After" not in ready
    assert scored == [post.pk]  # by the task, once: later requests read the stored run


def test_a_stale_run_answers_202_not_the_old_scores(client, queued, need):
    post, match, sound = need
    auth = _auth(post.author)
    client.get(_url(post), **auth)
    _run_queued(queued)

    nora = member(first_name="Nora", last_name="Newcomer", skills=[sound])
    stale = client.get(_url(post), **auth)
    _run_queued(queued)
    fresh = client.get(_url(post), **auth)

    assert stale.status_code == 202
    assert stale.json() == {"status": "computing", "requested_at": stale.json()["requested_at"]}
    assert fresh.status_code == 200
    assert {s["slug"] for s in fresh.json()} == {match.person.slug, nora.person.slug}
    assert SuggestionRun.objects.count() == 1


def test_a_failed_computation_answers_503_until_it_is_tried_again(
    client, queued, need, monkeypatch
):
    post, _match, _sound = need
    auth = _auth(post.author)
    client.get(_url(post), **auth)

    def broken(*args):
        raise RuntimeError("engine down")

    monkeypatch.setattr("filiere.matchmaking.suggestions.score_post", broken)
    _run_queued(queued)
    failed = client.get(_url(post), **auth)
    SuggestionRun.objects.update(
        finished_at=timezone.now() - suggestion_runs.RETRY_AFTER - timedelta(seconds=1)
    )
    retried = client.get(_url(post), **auth)

    assert failed.status_code == 503
    assert failed.json()["code"] == "matchmaking.suggestions.failed"
    assert 1 <= int(failed["Retry-After"]) <= suggestion_runs.RETRY_AFTER.total_seconds()
    assert retried.status_code == 202 and [r.task for r in queued] == [compute_suggestions]


def test_only_the_author_and_the_staff_see_them_and_others_queue_nothing(client, queued, need):
    post, _match, _sound = need

    anonymous = client.get(_url(post))
    other = client.get(_url(post), **_auth(UserFactory()))
    missing = client.get(f"/api/v1/posts/{post.pk + 1000}/suggestions", **_auth(post.author))
    assert not SuggestionRun.objects.exists() and queued == []
    staff = client.get(_url(post), **_auth(user_with_role(Role.STAFF)))

    assert anonymous.status_code == 401
    assert other.status_code == 404 and missing.status_code == 404
    assert other.json()["code"] == "not_found"
    assert staff.status_code == 202


def test_with_a_worker_at_hand_the_first_request_already_answers_200(client, need):
    # The test settings run each task at once (immediate backend), as a worker that is never late.
    post, match, _sound = need
    answer = client.get(_url(post), **_auth(post.author))
    assert answer.status_code == 200 and answer.json()[0]["slug"] == match.person.slug


def test_the_document_declares_the_202_and_503_answers_with_retry_after(client):
    document = client.get("/api/v1/openapi.json").json()
    answers = document["paths"]["/api/v1/posts/{post_id}/suggestions"]["get"]["responses"]

    assert {"200", "202", "401", "404", "503"} <= set(answers)
    computing = answers["202"]["content"]["application/json"]["schema"]["$ref"]
    assert document["components"]["schemas"][computing.rsplit("/", 1)[1]]["required"] == [
        "status",
        "requested_at",
    ]
    for code in ("202", "503"):
        assert answers[code]["headers"]["Retry-After"]["schema"]["type"] == "integer"
