"""Suggestions computed in the background and stored (``SuggestionRun``): who could answer a
post, and what a member could answer ("For you").

A run is asked for when a post is written, edited or published (``queue_for_post``, from the
board's services: its task is enqueued once their transaction commits), and by a page that finds
its run missing or stale (``post_run``, ``member_run``: enqueued at once). A run is stale when
its fingerprint (``suggestions.post_fingerprint``, ``member_fingerprint``) no longer matches the
data, when it failed more than ``RETRY_AFTER`` ago, or when it has waited or run for more than
``STUCK_AFTER`` (a worker that stopped). Pages never compute: until the run is done they say so
and poll (htmx). The task (``tasks.compute_suggestions``) runs :func:`execute_run`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.calls import events

from . import suggestions
from .models import Post, SuggestionRun
from .suggestions import Suggestion

logger = logging.getLogger(__name__)

RETRY_AFTER = timedelta(minutes=10)
STUCK_AFTER = timedelta(minutes=10)
Status = SuggestionRun.Status


@dataclass(frozen=True)
class SuggestionsRequested:
    """A run was asked for; its task is enqueued once the transaction commits."""

    run_id: int


def _wanted(run: SuggestionRun | None, fingerprint: str) -> bool:
    """Whether a new computation is needed (missing, stale, failed a while ago, or stuck)."""
    if run is None:
        return True
    now = timezone.now()
    if run.status == Status.DONE:
        return run.fingerprint != fingerprint
    if run.status == Status.FAILED:
        ended = run.finished_at or run.requested_at
        return run.fingerprint != fingerprint or ended < now - RETRY_AFTER
    # Waiting or running: the task reads the data when it starts, unless it was lost.
    return run.requested_at < now - STUCK_AFTER


def _request(subject: dict[str, Any], fingerprint: str) -> tuple[SuggestionRun, bool]:
    """The subject's run, pending again when a computation is needed; ``True``: queue it."""
    run = SuggestionRun.objects.filter(**subject).first()
    if not _wanted(run, fingerprint):
        assert run is not None
        return run, False  # a page read takes no lock
    with transaction.atomic():
        run = SuggestionRun.objects.select_for_update().filter(**subject).first()
        if not _wanted(run, fingerprint):
            assert run is not None
            return run, False
        fields = {
            "fingerprint": fingerprint,
            "status": Status.PENDING,
            "result": None,
            "requested_at": timezone.now(),
            "finished_at": None,
        }
        if run is not None:
            SuggestionRun.objects.filter(pk=run.pk).update(**fields)
            run.refresh_from_db()
            return run, True
        try:
            with transaction.atomic():
                return SuggestionRun.objects.create(**subject, **fields), True
        except IntegrityError:  # another request created it at the same moment: theirs
            return SuggestionRun.objects.get(**subject), False


def queue_for_post(post: Post) -> None:
    """Inside a service's transaction: a run for ``post`` when its suggestions are missing or
    stale, enqueued once the transaction commits (nothing when they are fresh or coming)."""
    run, new = _request({"post": post}, suggestions.post_fingerprint(post))
    if new:
        events.publish(SuggestionsRequested(run.pk))


def compute_now(posts: Iterable[Post]) -> tuple[int, int]:
    """Without a worker (the demo, a script): each post's suggestions computed here where
    missing, stale or still waiting. Returns how many were computed and how many were fresh."""
    computed = fresh = 0
    pool: suggestions.CandidatePool | None = None
    for post in posts:
        run, _new = _request({"post": post}, suggestions.post_fingerprint(post))
        if run.status == Status.PENDING:
            if pool is None or not pool.is_current():
                pool = suggestions.CandidatePool()  # the profiles, read once for every post
            execute_run(run_id=run.pk, pool=pool)  # a queued task finds it done: nothing to do
            computed += 1
        else:
            fresh += 1
    return computed, fresh


def compute_now_for(users: Iterable[User], today: date) -> int:
    """Without a worker: each member's "For you" computed here where missing or stale."""
    computed = 0
    for user in users:
        run, _new = _request({"user": user}, suggestions.member_fingerprint(user, today))
        if run.status == Status.PENDING:
            execute_run(run_id=run.pk)
            computed += 1
    return computed


def _now(subject: dict[str, Any], fingerprint: str) -> SuggestionRun:
    run, new = _request(subject, fingerprint)
    if new:
        events.dispatch(SuggestionsRequested(run.pk))
        run.refresh_from_db()  # a worker in the same process (tests) may have finished it
    return run


def post_run(post: Post) -> SuggestionRun:
    """For a page: the post's run, a new one queued at once when missing or stale."""
    return _now({"post": post}, suggestions.post_fingerprint(post))


def member_run(user: User, today: date) -> SuggestionRun:
    """For "For you": the member's run, a new one queued at once when missing or stale."""
    return _now({"user": user}, suggestions.member_fingerprint(user, today))


def is_finished(run: SuggestionRun) -> bool:
    return run.status in (Status.DONE, Status.FAILED)


def post_suggestions(viewer: Any, post: Post, run: SuggestionRun) -> list[Suggestion] | None:
    """What ``viewer`` may see of a done run (``None`` until it is done)."""
    if run.status != Status.DONE:
        return None
    return suggestions.for_post(viewer, post, suggestions.stored(run.result or []))


@dataclass(frozen=True)
class ForYou:
    needs: list[Suggestion]
    calls: list[Suggestion]


def member_suggestions(user: User, run: SuggestionRun, today: date) -> ForYou | None:
    """The needs and calls of a done run (``None`` until it is done)."""
    if run.status != Status.DONE:
        return None
    result = run.result or {}
    needs = suggestions.stored(result.get("needs", []))
    calls = suggestions.stored(result.get("calls", []))
    return ForYou(
        needs=suggestions.needs_for(user, today=today, scored=needs),
        calls=suggestions.calls_for(user, scored=calls),
    )


def _compute(run: SuggestionRun, pool: suggestions.CandidatePool | None) -> tuple[str, Any]:
    """The fingerprint of the data read, and the scores to store."""
    if run.post is not None:
        fingerprint = suggestions.post_fingerprint(run.post)
        return fingerprint, suggestions.storable(suggestions.score_post(run.post, pool))
    assert run.user is not None
    today = timezone.localdate()
    fingerprint = suggestions.member_fingerprint(run.user, today)
    found = suggestions.score_member(run.user, today)
    return fingerprint, {part: suggestions.storable(rows) for part, rows in found.items()}


def execute_run(*, run_id: int, pool: suggestions.CandidatePool | None = None) -> str:
    """The background part: compute the run's suggestions and store them; returns its status.
    ``pool``: the profiles already read, when many posts are computed in a row."""
    # Claim the run in one update: two workers never both compute it.
    claimed = SuggestionRun.objects.filter(pk=run_id, status=Status.PENDING).update(
        status=Status.RUNNING
    )
    run = SuggestionRun.objects.select_related("post", "user").filter(pk=run_id).first()
    if run is None:
        return "gone"  # its post or member was deleted meanwhile
    if not claimed:
        return str(run.status)
    try:
        # Taken before the scores: a change made meanwhile leaves the run stale, not wrong.
        fingerprint, result = _compute(run, pool)
    except Exception:
        logger.exception("suggestions run %s failed", run.pk)
        fields: dict[str, Any] = {"status": Status.FAILED}
    else:
        fields = {"status": Status.DONE, "fingerprint": fingerprint, "result": result}
    SuggestionRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        finished_at=timezone.now(), **fields
    )
    return str(fields["status"])
