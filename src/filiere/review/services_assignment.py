"""Writes of the assignment: a run of the engine (in the background), the staff's adjustments
and publication, the experts' answers.

A run reads the call once (``selectors_assignment.engine_inputs``), asks
``filiere.engine.affinity.compute_affinity`` for the affinity of every eligible pair and
``filiere.engine.assignment.assign`` for the assignment, and writes the proposal. What is
published or locked is kept: those pairs are passed to the engine as *forced* pairs (or, when
their expert is no longer available for the call, they reduce the application's reviews to
place); the other pairs of the current proposal are the engine's *existing* pairs, each worth
the run's churn penalty. Refusals are :class:`filiere.errors.ServiceError` with
``review.assignment.`` codes.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events
from filiere.calls.models import Application, Call
from filiere.engine.affinity import AffinityOptions, compute_affinity
from filiere.engine.affinity.bids import adjusted_affinity
from filiere.engine.assignment import AffinityMatrix, AssignmentRequest, assign
from filiere.engine.conflicts import ConflictKind
from filiere.errors import Invalid, NotAllowed, ServiceError

from .models import (
    BID_MARK,
    MAX_CHURN,
    MAX_REVIEWS,
    Assignment,
    AssignmentMode,
    AssignmentRun,
    Availability,
    Bid,
    BidValue,
    Expert,
    ExpertStatus,
    PairResponse,
    PairStatus,
)
from .permissions import manages_call_conflicts
from .selectors import conflicted_pairs, is_conflicted
from .selectors_assignment import (
    ASSIGNABLE,
    DEFAULT_MAX_LOAD,
    EngineInputs,
    engine_inputs,
    matching_keywords,
)
from .selectors_bidding import bids_of_call
from .services import declare_application_conflict, email_language

logger = logging.getLogger(__name__)

#: The affinity the platform computes: lexical and keywords with the learned weights (the
#: optional embeddings are left out so that a run costs the same on every server).
AFFINITY_OPTIONS = AffinityOptions(embeddings="off")
#: Seconds for each of fair mode's integer programs.
FAIR_TIME_LIMIT = 30.0
#: A run still waiting or running after this long (no worker, a worker killed) no longer
#: stops the staff from starting another.
STALE_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class AssignmentRequested:
    """A run was started; its task is enqueued once the transaction commits (``tasks.py``)."""

    run_id: int


@dataclass(frozen=True)
class AssignmentsPublished:
    """Pairs of a call were published; their experts are told once it commits (``tasks.py``)."""

    call_id: int
    expert_ids: tuple[int, ...]


def _require_call_staff(user: User, call: Call) -> None:
    if not manages_call_conflicts(user, call):
        raise NotAllowed("review.assignment.not_call_staff")


# --- Runs ---------------------------------------------------------------------------------------


@transaction.atomic
def start_assignment_run(
    *, call: Call, by: User, mode: str, reviews: int, churn_penalty: float = 0.0
) -> AssignmentRun:
    """Queue a run of the engine for ``call``; one at a time per call. ``churn_penalty``: the
    affinity points each pair of the current proposal is worth keeping."""
    _require_call_staff(by, call)
    if mode not in AssignmentMode.values:
        raise Invalid("review.assignment.mode_unknown", field="mode")
    if not 1 <= reviews <= MAX_REVIEWS:
        raise Invalid("review.assignment.reviews_range", {"most": MAX_REVIEWS}, field="reviews")
    if not 0.0 <= churn_penalty <= MAX_CHURN:
        raise Invalid("review.assignment.churn_range", {"most": MAX_CHURN}, field="churn_penalty")
    # Lock the call's row so that two staff starting at once do not both queue a run.
    Call.objects.select_for_update().filter(pk=call.pk).first()
    busy = AssignmentRun.objects.filter(
        call=call,
        status__in=(AssignmentRun.Status.PENDING, AssignmentRun.Status.RUNNING),
        created_at__gte=timezone.now() - STALE_AFTER,
    ).exists()
    if busy:
        raise ServiceError("review.assignment.run_in_progress")
    run = AssignmentRun.objects.create(
        call=call, mode=mode, reviews=reviews, churn_penalty=churn_penalty, started_by=by
    )
    record(
        actor=by,
        action="review.assignment.started",
        obj=call,
        data={"run": run.pk, "mode": mode, "reviews": reviews, "churn_penalty": churn_penalty},
    )
    events.publish(AssignmentRequested(run_id=run.pk))
    return run


def _step(run: AssignmentRun, step: str, **fields: object) -> None:
    """Say where the run is (autocommit: the progress page sees it at once)."""
    AssignmentRun.objects.filter(pk=run.pk).update(step=step, **fields)


def execute_assignment_run(*, run_id: int) -> str:
    """The background part of a run; returns its status. A failure is written on the run."""
    # Claim the run in one update, so that a worker and a script never both compute it.
    claimed = AssignmentRun.objects.filter(pk=run_id, status=AssignmentRun.Status.PENDING).update(
        status=AssignmentRun.Status.RUNNING, step=AssignmentRun.Step.READING
    )
    run = AssignmentRun.objects.select_related("call").get(pk=run_id)
    if not claimed:
        return run.status
    try:
        _run(run)
    except Exception:
        logger.exception("assignment run %s failed", run.pk)
        _step(
            run,
            AssignmentRun.Step.FINISHED,
            status=AssignmentRun.Status.FAILED,
            error="review.assignment.failed",
            finished_at=timezone.now(),
        )
        return AssignmentRun.Status.FAILED
    return AssignmentRun.Status.DONE


def _run(run: AssignmentRun) -> None:
    inputs = engine_inputs(run.call)
    if not inputs.proposals or not inputs.experts:
        _step(
            run,
            AssignmentRun.Step.FINISHED,
            status=AssignmentRun.Status.DONE,
            outcome="infeasible",
            diagnosis=[{"code": "nothing_to_assign"}],
            applications=len(inputs.proposals),
            experts=len(inputs.experts),
            finished_at=timezone.now(),
        )
        return
    _step(run, AssignmentRun.Step.AFFINITY)
    excluded = inputs.conflicts | inputs.declined
    bids = _bids_for_run(run.call)
    scores = {}
    for p, e, score in compute_affinity(
        inputs.proposals, [x.engine for x in inputs.experts.values()], options=AFFINITY_OPTIONS
    ):
        key = (int(p), int(e))
        if key in excluded:
            continue
        adjusted = adjusted_affinity(score, bids.get(key))
        if adjusted is not None:
            scores[key] = adjusted
    _step(run, AssignmentRun.Step.ASSIGNING)
    request = _request(run, inputs, scores)
    result = assign(request)
    _step(run, AssignmentRun.Step.WRITING)
    with transaction.atomic():
        written = _write_proposal(
            run,
            inputs,
            [(int(p.proposal_id), int(p.expert_id), p.score) for p in result.pairs],
            bids,
        )
        AssignmentRun.objects.filter(pk=run.pk).update(
            step=AssignmentRun.Step.FINISHED,
            status=AssignmentRun.Status.DONE,
            outcome=result.status,
            diagnosis=[issue.as_dict() for issue in result.diagnosis],
            applications=len(inputs.proposals),
            experts=len(inputs.experts),
            pairs=written,
            kept=len(request.forced),
            changed=result.dropped if request.existing else 0,
            total_affinity=result.total_affinity,
            min_application_affinity=result.min_proposal_affinity,
            seconds=result.seconds,
            finished_at=timezone.now(),
        )


def _bids_for_run(call: Call) -> dict[tuple[int, int], str]:
    """The experts' bids as the run applies them (``engine.affinity.bids``: eager +0.15,
    willing 0, not willing -0.25, within [0, 1]). A "conflict" bid excludes its pair through
    the declaration it recorded (``conflicted_pairs``), so that a lift by the staff or a
    withdrawal by the expert brings the pair back like any other conflict: here it counts as
    no bid."""
    return {key: value for key, value in bids_of_call(call).items() if value != BidValue.CONFLICT}


def _why(keywords: list[str], bid: str | None) -> list[str]:
    """The pair's matching keywords, then its bid as ``bid:<value>`` (the staff see it)."""
    return [*keywords, f"{BID_MARK}{bid}"] if bid else keywords


def _request(
    run: AssignmentRun, inputs: EngineInputs, scores: dict[tuple[int, int], float]
) -> AssignmentRequest:
    """The engine's request: published and locked pairs forced (those whose expert is no longer
    available lower their application's reviews instead), capacities from availability."""
    forced: set[tuple[int, int]] = set()
    outside: Counter[int] = Counter()
    for pair in inputs.kept:
        key = (pair.application_id, pair.expert_id)
        if pair.application_id not in inputs.applications or key in inputs.conflicts:
            continue
        if key in scores:
            forced.add(key)
        else:
            outside[pair.application_id] += 1
    forced_per_expert = Counter(e for _, e in forced)
    forced_per_application = Counter(a for a, _ in forced)
    matrix = AffinityMatrix.from_pairs(
        ((str(a), str(e), s) for (a, e), s in scores.items()),
        proposal_ids=[p.id for p in inputs.proposals],
        expert_ids=[str(e) for e in inputs.experts],
    )
    return AssignmentRequest(
        affinity=matrix,
        reviews=run.reviews,
        reviews_for={
            str(a): max(run.reviews - outside[a], forced_per_application[a])
            for a in inputs.applications
            if outside[a] or forced_per_application[a] > run.reviews
        },
        max_load=DEFAULT_MAX_LOAD,
        loads_for={
            str(e): (0, max(x.capacity, forced_per_expert[e])) for e, x in inputs.experts.items()
        },
        forced=frozenset((str(a), str(e)) for a, e in forced),
        existing=frozenset((str(a), str(e)) for a, e in inputs.previous),
        churn_penalty=run.churn_penalty,
        mode="fair" if run.mode == AssignmentMode.FAIR else "optimal",
        time_limit=FAIR_TIME_LIMIT,
    )


def _write_proposal(
    run: AssignmentRun,
    inputs: EngineInputs,
    pairs: list[tuple[int, int, float]],
    bids: dict[tuple[int, int], str],
) -> int:
    """Replace the proposed, unlocked pairs by the run's; kept pairs get their new score (and
    "why", with the expert's bid)."""
    Assignment.objects.filter(
        application__call=run.call, status=PairStatus.PROPOSED, locked=False
    ).exclude(response=PairResponse.DECLINED).delete()
    existing = {
        (a.application_id, a.expert_id): a
        for a in Assignment.objects.filter(application__call=run.call)
    }
    new, kept = [], []
    for app_id, expert_id, score in pairs:
        why = _why(
            matching_keywords(inputs.experts[expert_id].keywords, inputs.texts[app_id]),
            bids.get((app_id, expert_id)),
        )
        pair = existing.get((app_id, expert_id))
        if pair is not None:
            pair.affinity, pair.why = score, why
            kept.append(pair)
            continue
        new.append(
            Assignment(application_id=app_id, expert_id=expert_id, run=run, affinity=score, why=why)
        )
    Assignment.objects.bulk_create(new)
    Assignment.objects.bulk_update(kept, ["affinity", "why"])
    return len(pairs)


# --- The staff's adjustments ---------------------------------------------------------------------


@transaction.atomic
def remove_assignment(*, assignment: Assignment, by: User) -> None:
    call = assignment.application.call
    _require_call_staff(by, call)
    record(
        actor=by,
        action="review.assignment.removed",
        obj=assignment.application,
        data={"expert": assignment.expert_id, "status": assignment.status},
    )
    assignment.delete()


@transaction.atomic
def set_assignment_locked(*, assignment: Assignment, locked: bool, by: User) -> None:
    _require_call_staff(by, assignment.application.call)
    assignment.locked = locked
    assignment.save(update_fields=["locked"])
    record(
        actor=by,
        action="review.assignment.locked" if locked else "review.assignment.unlocked",
        obj=assignment.application,
        data={"expert": assignment.expert_id},
    )


@transaction.atomic
def add_assignment(*, call: Call, application: Application, expert: Expert, by: User) -> Assignment:
    """Add one pair by hand: refused when the expert is conflicted, unavailable or full."""
    _require_call_staff(by, call)
    _check_new_pair(call, application, expert)
    pair = _create_staff_pair(application, expert)
    record(
        actor=by,
        action="review.assignment.added",
        obj=application,
        data={"expert": expert.pk},
    )
    return pair


@transaction.atomic
def swap_assignment(*, assignment: Assignment, expert: Expert, by: User) -> Assignment:
    """Replace the expert of one proposed, unlocked pair by ``expert``, in one step: the new
    pair passes the checks of an added one and takes the old one's place (proposed, unlocked).

    A published pair is refused: its expert was told by e-mail and may have answered or be
    reviewing; the staff remove it, add the other expert, then publish (which tells them).
    """
    call = assignment.application.call
    _require_call_staff(by, call)
    # Lock the pair so that a publication or a lock at the same time is seen here.
    old = Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if old is None:
        raise Invalid("review.assignment.swap_gone")
    if old.locked:
        raise Invalid("review.assignment.swap_locked")
    if old.status != PairStatus.PROPOSED:
        raise Invalid("review.assignment.swap_published")
    application = assignment.application
    _check_new_pair(call, application, expert)
    old.delete()
    pair = _create_staff_pair(application, expert)
    record(
        actor=by,
        action="review.assignment.swapped",
        obj=application,
        data={"expert": expert.pk, "replaced": old.expert_id},
    )
    return pair


def _check_new_pair(call: Call, application: Application, expert: Expert) -> None:
    """The checks of a pair made by hand (to be called in a transaction: the expert's row is
    locked while their load is counted)."""
    if application.call_id != call.pk or application.state not in ASSIGNABLE:
        raise Invalid("review.application_not_in_call", field="application")
    if expert.fund_id != call.fund_id or expert.status != ExpertStatus.ACTIVE or not expert.user:
        raise Invalid("review.expert_not_in_pool", field="expert")
    # One expert's load at a time: lock their row while counting.
    Expert.objects.select_for_update().filter(pk=expert.pk).first()
    if Assignment.objects.filter(application=application, expert=expert).exists():
        raise Invalid("review.assignment.already_assigned", field="expert")
    if is_conflicted(expert.user, application):
        raise Invalid("review.assignment.conflicted", field="expert")
    availability = Availability.objects.filter(expert=expert, call=call).first()
    if availability is None or not availability.available:
        raise Invalid("review.assignment.unavailable", field="expert")
    capacity = availability.max_load or DEFAULT_MAX_LOAD
    load = (
        Assignment.objects.filter(expert=expert, application__call=call)
        .exclude(response=PairResponse.DECLINED)
        .count()
    )
    if load >= capacity:
        raise Invalid("review.assignment.over_capacity", {"capacity": capacity}, field="expert")


def _create_staff_pair(application: Application, expert: Expert) -> Assignment:
    """A proposed pair added by the staff, with its "why" (the expert's keywords found in the
    application's title and summary, and their bid)."""
    profile = getattr(expert.user, "expertise", None)
    keywords = [str(k) for k in profile.keywords] if profile is not None else []
    text = f"{application.title}\n{application.summary}".lower()
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                application=application,
                expert=expert,
                added_by_staff=True,
                why=_why(
                    matching_keywords(keywords, text),
                    Bid.objects.filter(expert=expert, application=application)
                    .exclude(value=BidValue.CONFLICT)
                    .values_list("value", flat=True)
                    .first(),
                ),
            )
    except IntegrityError:
        raise Invalid("review.assignment.already_assigned", field="expert") from None


@transaction.atomic
def publish_assignments(*, call: Call, by: User) -> int:
    """Publish every proposed pair of ``call`` to its expert, except those now in conflict
    (the proposal shows them as needing a replacement); returns how many."""
    _require_call_staff(by, call)
    pairs = Assignment.objects.select_for_update().filter(
        application__call=call, status=PairStatus.PROPOSED
    )
    conflicts = conflicted_pairs(call)
    rows = [
        (pk, expert_id)
        for pk, application_id, expert_id in pairs.values_list("pk", "application_id", "expert_id")
        if (application_id, expert_id) not in conflicts
    ]
    ids = [pk for pk, _ in rows]
    if not ids:
        raise ServiceError("review.assignment.nothing_to_publish")
    Assignment.objects.filter(pk__in=ids).update(
        status=PairStatus.PUBLISHED, published_at=timezone.now()
    )
    record(
        actor=by,
        action="review.assignment.published",
        obj=call,
        data={"pairs": len(ids)},
    )
    events.publish(
        AssignmentsPublished(
            call_id=call.pk, expert_ids=tuple(sorted({expert for _, expert in rows}))
        )
    )
    return len(ids)


def send_assignment_emails(*, call_id: int, expert_ids: list[int]) -> int:
    """Tell each expert how many of the call's applications await their answer, in their
    language, with the link to My assignments; returns the number of e-mails sent."""
    call = Call.objects.get(pk=call_id)
    waiting = Counter(
        Assignment.objects.filter(
            application__call=call,
            expert_id__in=expert_ids,
            expert__status=ExpertStatus.ACTIVE,
            status=PairStatus.PUBLISHED,
            response=PairResponse.PENDING,
        ).values_list("expert_id", flat=True)
    )
    experts = Expert.objects.filter(pk__in=waiting).select_related("user")
    for expert in experts:
        with translation.override(email_language(expert.user)):
            context = {
                "call": call.title,
                "count": waiting[expert.pk],
                "site_url": settings.FILIERE_SITE_URL,
                "url": reverse("review:my_assignments"),
            }
            subject = render_to_string("review/email/assignments_subject.txt", context)
            body = render_to_string("review/email/assignments.txt", context)
        send_mail(" ".join(subject.split()), body, None, [expert.email])
    return len(experts)


# --- The expert's answer ------------------------------------------------------------------------


@transaction.atomic
def answer_assignment(
    *,
    assignment: Assignment,
    by: User,
    accept: bool,
    conflict_kind: str = "",
    reason: str = "",
) -> None:
    """The expert accepts or declines a published assignment; a decline may declare a conflict
    of interest with the application (typed, with a reason), which then excludes the pair."""
    if assignment.expert.user_id != by.pk or assignment.status != PairStatus.PUBLISHED:
        raise NotAllowed("review.assignment.not_yours")
    if assignment.response != PairResponse.PENDING:
        raise ServiceError("review.assignment.already_answered")
    reason = reason.strip()
    if conflict_kind:
        if accept:
            raise Invalid("review.assignment.conflict_on_accept", field="conflict_kind")
        if conflict_kind not in ConflictKind.__members__.values():
            raise Invalid("review.kind_unknown", field="conflict_kind")
        if not reason:
            raise Invalid("review.reason_missing", field="reason")
        # The expert's own conflict with this one application.
        declare_application_conflict(
            by=by, application=assignment.application, kind=conflict_kind, reason=reason
        )
    assignment.response = PairResponse.ACCEPTED if accept else PairResponse.DECLINED
    assignment.responded_at = timezone.now()
    assignment.save(update_fields=["response", "responded_at"])
    record(
        actor=by,
        action="review.assignment.accepted" if accept else "review.assignment.declined",
        obj=assignment.application,
        reason=reason,
        data={"assignment": assignment.pk, "conflict": conflict_kind},
    )
