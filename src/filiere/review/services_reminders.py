"""Reminders of the review deadline: e-mail the experts whose accepted reviews are not submitted.

``send_review_reminders`` runs periodically (``manage.py send_review_reminders``, every hour or
so): for each call whose review settings have a deadline, each accepted, published assignment
whose review is not submitted gets a reminder 7 days and 2 days before the deadline, and once
when the deadline has passed (for ``LATE_WITHIN`` afterwards). At most one of each kind per
assignment, by the database: the reminder is recorded first
(:class:`~filiere.review.models.ReviewReminder`, unique on assignment and kind) and only the run
that inserted the row sends it. When several are due at once (an assignment accepted the day
before the deadline), only the most urgent goes out and the others are recorded as skipped.

Each expert gets one e-mail per call and kind, in their language (``services.email_language``),
listing the applications to review with the link to each review. Nobody is reminded of an
application they are now in conflict with, nor after leaving the pool.

``remind_late_experts`` is the staff's "remind the late experts now": a reminder to every expert
with a late review of the call, at most once a day per assignment (``REMIND_AGAIN_AFTER``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls.models import Call
from filiere.errors import NotAllowed

from .models import (
    Assignment,
    ExpertStatus,
    PairResponse,
    PairStatus,
    ReminderKind,
    ReviewReminder,
    ReviewStatus,
)
from .permissions import manages_call_conflicts
from .selectors import conflicted_pairs
from .selectors_assignment import ASSIGNABLE
from .services import email_language

#: The automatic reminders, the most urgent first, with how close to the deadline each is due.
WINDOWS = (
    (ReminderKind.TWO_DAYS, timedelta(days=2)),
    (ReminderKind.SEVEN_DAYS, timedelta(days=7)),
)
#: The "late" reminder goes out only this long after the deadline: a call whose deadline passed
#: long ago (the command's first run on old data) sends nothing; the staff may still remind.
LATE_WITHIN = timedelta(days=30)
#: The staff's reminder skips an assignment reminded (of any kind) less than this long ago.
REMIND_AGAIN_AFTER = timedelta(hours=24)


@dataclass
class ReminderReport:
    """What a run sent: e-mails per kind, and the assignments they named."""

    emails: Counter[str] = field(default_factory=Counter)
    assignments: int = 0

    @property
    def total(self) -> int:
        return sum(self.emails.values())


def _unsubmitted() -> QuerySet[Assignment]:
    """Accepted, published assignments of active experts whose review is not submitted."""
    return (
        Assignment.objects.filter(
            status=PairStatus.PUBLISHED,
            response=PairResponse.ACCEPTED,
            expert__status=ExpertStatus.ACTIVE,
            expert__user__isnull=False,
            application__state__in=ASSIGNABLE,
            application__call__review_settings__deadline__isnull=False,
        )
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .select_related(
            "application__call__review_settings", "expert__user", "application__organisation"
        )
        .order_by("application__call_id", "expert_id", "application__reference")
    )


def _without_conflicts(pairs: list[Assignment]) -> list[Assignment]:
    """Leave out the pairs now in active conflict (one read of the conflicts per call)."""
    calls = {pair.application.call_id: pair.application.call for pair in pairs}
    conflicts = {call_id: conflicted_pairs(call) for call_id, call in calls.items()}
    return [
        pair
        for pair in pairs
        if (pair.application_id, pair.expert_id) not in conflicts[pair.application.call_id]
    ]


def _record(
    assignment: Assignment, kind: str, sent_to: str, now: datetime
) -> ReviewReminder | None:
    try:
        with transaction.atomic():
            return ReviewReminder.objects.create(
                assignment=assignment, kind=kind, sent_to=sent_to, sent_at=now
            )
    except IntegrityError:
        return None


def _due(deadline: datetime, now: datetime, done: set[str]) -> list[str]:
    """The kinds due for one assignment at ``now``, the most urgent first."""
    remaining = deadline - now
    if remaining <= timedelta(0):
        if -remaining > LATE_WITHIN:
            return []
        due = [ReminderKind.LATE, *(kind for kind, _window in WINDOWS)]
    else:
        due = [kind for kind, window in WINDOWS if remaining <= window]
    return [kind for kind in due if kind not in done]


def _send(kind: str, pairs: list[Assignment]) -> None:
    """One e-mail to the expert of ``pairs`` (one call), listing the applications to review."""
    expert = pairs[0].expert
    call = pairs[0].application.call
    with translation.override(email_language(expert.user)):
        context = {
            "kind": kind,
            "call": call.title,
            "deadline": call.review_settings.deadline,
            "count": len(pairs),
            "site_url": settings.FILIERE_SITE_URL,
            "applications": [
                {
                    "reference": pair.application.reference,
                    "title": pair.application.title,
                    "url": reverse("review:review_form", kwargs={"pk": pair.pk}),
                }
                for pair in pairs
            ],
            "inbox_url": reverse("review:my_assignments"),
        }
        subject = render_to_string("review/email/reminder_subject.txt", context)
        body = render_to_string("review/email/reminder.txt", context)
    send_mail(" ".join(subject.split()), body, None, [expert.email])


def send_review_reminders(*, now: datetime | None = None) -> ReminderReport:
    """Send the automatic reminders due at ``now``."""
    now = now or timezone.now()
    pairs = list(
        _unsubmitted()
        .filter(
            application__call__review_settings__deadline__lte=now + WINDOWS[-1][1],
            application__call__review_settings__deadline__gte=now - LATE_WITHIN,
        )
        .prefetch_related("reminders")
    )
    to_send: dict[tuple[int, int, str], list[Assignment]] = defaultdict(list)
    for pair in _without_conflicts(pairs):
        deadline = pair.application.call.review_settings.deadline
        assert deadline is not None  # filtered above
        due = _due(deadline, now, {reminder.kind for reminder in pair.reminders.all()})
        if not due:
            continue
        kind, skipped = due[0], due[1:]  # the most urgent one only
        if _record(pair, kind, pair.expert.email, now) is None:
            continue  # another run sent it
        for other in skipped:
            _record(pair, other, "", now)
        to_send[(pair.expert_id, pair.application.call_id, kind)].append(pair)
    report = ReminderReport()
    for (_expert, _call, kind), group in to_send.items():
        _send(kind, group)
        report.emails[kind] += 1
        report.assignments += len(group)
    return report


@dataclass(frozen=True)
class StaffReminders:
    """What the staff's reminder did: experts e-mailed, late reviews named, and the late
    reviews left out because they were reminded less than a day ago."""

    experts: int
    applications: int
    skipped: int


def late_assignments(call: Call, now: datetime | None = None) -> list[Assignment]:
    """The call's accepted assignments whose review is late (deadline passed, not submitted),
    without the pairs now in conflict."""
    now = now or timezone.now()
    pairs = list(
        _unsubmitted()
        .filter(application__call=call, application__call__review_settings__deadline__lt=now)
        .prefetch_related("reminders")
    )
    return _without_conflicts(pairs)


@transaction.atomic
def remind_late_experts(*, call: Call, by: User, now: datetime | None = None) -> StaffReminders:
    """The staff remind, now, every expert with a late review of ``call``."""
    if not manages_call_conflicts(by, call):
        raise NotAllowed("review.reminders.not_call_staff")
    now = now or timezone.now()
    # One reminder at a time per call: two staff pressing at once do not send twice.
    Call.objects.select_for_update().filter(pk=call.pk).first()
    groups: dict[int, list[Assignment]] = defaultdict(list)
    skipped = 0
    for pair in late_assignments(call, now):
        recent = any(
            r.sent_to and r.sent_at > now - REMIND_AGAIN_AFTER for r in pair.reminders.all()
        )
        if recent:
            skipped += 1
            continue
        ReviewReminder.objects.create(
            assignment=pair,
            kind=ReminderKind.STAFF,
            sent_to=pair.expert.email,
            sent_by=by,
            sent_at=now,
        )
        groups[pair.expert_id].append(pair)
    result = StaffReminders(
        experts=len(groups), applications=sum(len(g) for g in groups.values()), skipped=skipped
    )
    record(
        actor=by,
        action="review.reminders.sent",
        obj=call,
        data={"experts": result.experts, "applications": result.applications},
    )
    for group in groups.values():
        transaction.on_commit(partial(_send, ReminderKind.STAFF, group))
    return result
