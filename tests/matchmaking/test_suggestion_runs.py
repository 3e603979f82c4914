"""Suggestions computed in the background: the pages never compute them; they say the
suggestions are being computed and poll (htmx) until the run is done; writing, editing or
publishing a post queues one run; a stale or stuck run is computed again."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from filiere.matchmaking import services_board, suggestion_runs, suggestions
from filiere.matchmaking.models import PostStatus, SuggestionRun
from filiere.matchmaking.services_board import PostDraft
from filiere.matchmaking.tasks import compute_suggestions
from tests.factories import (
    OrganisationFactory,
    SkillFactory,
    UserFactory,
    territory,
    user_with_role,
)

from .board_factories import PostFactory, member

pytestmark = pytest.mark.django_db

WAITING = "The suggestions are being computed"
POLLING = 'hx-trigger="every 2s"'


@pytest.fixture
def queued(settings):
    """Tasks wait in a queue (no worker): what the pages show before the task has run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend.results
    default_task_backend.clear()


def _run_queued(results):
    """What the worker does: run each queued task once."""
    for result in list(results):
        result.task.call(*result.args, **result.kwargs)
    results.clear()


@pytest.fixture
def sound():
    return SkillFactory(name="Conception sonore", slug="t-sound-design", label_en="Sound design")


def _need(sound, **fields):
    fields = {
        "title": "Sound designer for a serious game",
        "description": "Our serious game about the sea needs underwater soundscapes.",
        "territory": territory("mel"),
        **fields,
    }
    return PostFactory(skills=[sound], **fields)


def test_the_post_page_waits_for_the_task_then_shows_the_suggestions(client, queued, sound):
    author = member()
    need = _need(sound, author=author)
    member(first_name="Sam", last_name="Shared", skills=[sound])
    url = reverse("matchmaking:post", args=[need.pk])
    client.force_login(author)

    waiting = client.get(url).content.decode()
    polled = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    _run_queued(queued)
    ready = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    page = client.get(url).content.decode()

    assert WAITING in waiting and POLLING in waiting and "Sam Shared" not in waiting
    # The page asked once: polling asks again only for the suggestions, and queues nothing more.
    assert [r.task for r in queued] == [] and SuggestionRun.objects.count() == 1
    assert WAITING in polled and "<h1>" not in polled
    assert "Sam Shared" in ready and POLLING not in ready and "<h1>" not in ready
    assert "Sam Shared" in page and "Shared skill: Sound design" in page and WAITING not in page


def test_a_page_queues_one_run_however_often_it_is_polled(client, queued, sound):
    author = member()
    need = _need(sound, author=author)
    client.force_login(author)

    for _ in range(3):
        client.get(reverse("matchmaking:post", args=[need.pk]), HTTP_HX_REQUEST="true")

    assert [r.task for r in queued] == [compute_suggestions]
    assert list(queued[0].args) == [need.suggestion_run.pk]


def test_the_page_of_someone_else_s_post_queues_nothing_and_says_nothing(client, queued, sound):
    need = _need(sound)
    client.force_login(UserFactory())

    url = reverse("matchmaking:post", args=[need.pk])
    page = client.get(url).content.decode()
    polled = client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert WAITING not in page and "Who could answer" not in page
    assert polled.strip() == ""  # asking as htmx does shows nothing more
    assert queued == [] and not SuggestionRun.objects.exists()


def test_publishing_queues_exactly_one_run(django_capture_on_commit_callbacks, queued, sound):
    staff = user_with_role("staff")
    need = _need(sound, status=PostStatus.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        services_board.publish_post(by=staff, post=need)

    assert [r.task for r in queued] == [compute_suggestions]
    run = SuggestionRun.objects.get()
    assert run.post == need and run.status == SuggestionRun.Status.PENDING
    _run_queued(queued)
    run.refresh_from_db()
    assert run.status == SuggestionRun.Status.DONE


def test_a_post_written_then_published_is_computed_once(
    django_capture_on_commit_callbacks, queued, sound
):
    author, staff = member(), user_with_role("staff")
    draft = PostDraft(kind="need", title="Sound designer", description="Underwater sounds.")

    with django_capture_on_commit_callbacks(execute=True):
        post = services_board.create_post(by=author, draft=draft)
    with django_capture_on_commit_callbacks(execute=True):
        services_board.publish_post(by=staff, post=post)

    # Moderation changes nothing the suggestions read: the run queued at writing serves.
    assert len(queued) == 1 and SuggestionRun.objects.filter(post=post).count() == 1


def test_editing_a_post_queues_its_suggestions_again(
    django_capture_on_commit_callbacks, queued, sound
):
    author = member()
    need = _need(sound, author=author)
    suggestion_runs.post_run(need)
    _run_queued(queued)
    draft = PostDraft(kind="need", title="Composer", description="Music for a documentary.")

    with django_capture_on_commit_callbacks(execute=True):
        services_board.update_post(by=author, post=need, draft=draft)

    assert [r.task for r in queued] == [compute_suggestions]
    assert SuggestionRun.objects.get().status == SuggestionRun.Status.PENDING


def test_a_stale_run_is_computed_again_and_shows_the_new_profile(client, sound):
    author = member()
    need = _need(sound, author=author)
    member(first_name="Sam", last_name="Shared", skills=[sound])
    url = reverse("matchmaking:post", args=[need.pk])
    client.force_login(author)
    before = client.get(url).content.decode()  # the run, done at once by the immediate backend
    finished = SuggestionRun.objects.get().finished_at

    member(first_name="Nora", last_name="Newcomer", skills=[sound])
    after = client.get(url).content.decode()

    assert "Sam Shared" in before and "Nora Newcomer" not in before
    assert "Sam Shared" in after and "Nora Newcomer" in after
    assert SuggestionRun.objects.get().finished_at > finished


def test_a_stale_run_waits_for_the_worker_without_showing_old_scores(client, queued, sound):
    author = member()
    need = _need(sound, author=author)
    member(first_name="Sam", last_name="Shared", skills=[sound])
    url = reverse("matchmaking:post", args=[need.pk])
    client.force_login(author)
    client.get(url)
    _run_queued(queued)

    member(first_name="Nora", last_name="Newcomer", skills=[sound])
    stale = client.get(url).content.decode()
    _run_queued(queued)
    fresh = client.get(url).content.decode()

    assert WAITING in stale and "Sam Shared" not in stale
    assert "Nora Newcomer" in fresh and WAITING not in fresh


def test_a_stuck_run_is_queued_again(client, queued, sound):
    author = member()
    need = _need(sound, author=author)
    url = reverse("matchmaking:post", args=[need.pk])
    client.force_login(author)
    client.get(url)
    queued.clear()  # the worker lost it
    client.get(url)
    assert queued == []  # still waiting: not yet stuck

    long_ago = timezone.now() - suggestion_runs.STUCK_AFTER - timedelta(minutes=1)
    SuggestionRun.objects.update(requested_at=long_ago)
    client.get(url)

    assert [r.task for r in queued] == [compute_suggestions]


def test_a_failed_run_says_so_and_stops_polling(client, queued, sound, monkeypatch):
    author = member()
    need = _need(sound, author=author)
    url = reverse("matchmaking:post", args=[need.pk])
    client.force_login(author)
    client.get(url)

    def broken(*args):
        raise RuntimeError("engine down")

    monkeypatch.setattr("filiere.matchmaking.suggestions.score_post", broken)
    _run_queued(queued)
    page = client.get(url).content.decode()

    assert "could not be computed" in page and POLLING not in page
    assert queued == []  # not retried at once on each visit


def test_for_you_waits_for_the_task_then_shows_the_needs(client, queued, sound):
    me = member(skills=[sound])
    need = _need(sound)
    url = reverse("matchmaking:for_you")
    client.force_login(me)

    waiting = client.get(url).content.decode()
    _run_queued(queued)
    ready = client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert "Your suggestions are being computed" in waiting and POLLING in waiting
    assert "Weekly digests" in waiting  # the rest of the page does not wait
    assert need.title in ready and "Shared skill: Sound design" in ready
    assert POLLING not in ready and "Weekly digests" not in ready


def test_for_you_sees_a_new_need_once_its_run_is_stale(client, sound):
    me = member(skills=[sound])
    client.force_login(me)
    url = reverse("matchmaking:for_you")
    empty = client.get(url).content.decode()

    need = _need(sound)
    page = client.get(url).content.decode()

    assert need.title not in empty and need.title in page


def test_without_a_worker_the_command_computes_every_post_as_if_one_by_one(client, queued, sound):
    lab = OrganisationFactory(name="Sound Lab", description="Underwater soundscapes studio")
    lab.skills.set([sound])
    sam = member(first_name="Sam", last_name="Shared", skills=[sound], bio="Underwater foley.")
    member(first_name="Nora", last_name="Narrow", headline="Soundscapes for the sea")
    posts = [
        _need(sound, author=sam),  # Sam is not their own candidate
        _need(sound, organisation=lab, description="Soundscapes of the sea, for a game."),
        _need(sound, status=PostStatus.PENDING, title="Foley artist"),
    ]
    PostFactory(status=PostStatus.WITHDRAWN)
    alone = {post.pk: suggestions.storable(suggestions.score_post(post)) for post in posts}
    out = StringIO()

    call_command("compute_suggestions", member=[sam.email], stdout=out)
    call_command("compute_suggestions", stdout=out)

    runs = {run.post_id: run for run in SuggestionRun.objects.filter(post__isnull=False)}
    assert set(runs) == set(alone)
    assert all(runs[pk].result == alone[pk] for pk in alone)
    assert '3 post(s) computed, 0 already up to date; "For you" of 1 member(s)' in out.getvalue()
    assert "0 post(s) computed, 3 already up to date" in out.getvalue()
    client.force_login(sam)
    page = client.get(reverse("matchmaking:post", args=[posts[0].pk])).content.decode()
    assert "Nora Narrow" in page and "Sound Lab" in page and WAITING not in page
    for_you = client.get(reverse("matchmaking:for_you")).content.decode()
    assert reverse("matchmaking:post", args=[posts[1].pk]) in for_you  # not Sam's own need
    assert "being computed" not in for_you and queued == []
