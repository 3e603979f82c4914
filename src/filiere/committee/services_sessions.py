"""Writes of the committee's sessions: the staff of a call create a session, choose its members
(each gets the committee role scoped to that session), build its agenda and open and close it;
members vote on the items they may read; the chair (or the staff) keep the discussion notes.

Every write checks its rule, owns its transaction (the row it changes is locked) and is audited
(``committee.session.*``, ``committee.member.*``, ``committee.agenda.*``, ``committee.vote.*``,
``committee.notes.*``). An application reaches the agenda through the calls' one door
(``transition_application``): "send to the committee" from under review or a hearing,
"put back before the committee" when it was deferred.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from filiere.accounts.models import Role, User
from filiere.accounts.services import grant_role, revoke_role
from filiere.audit.services import record
from filiere.calls.models import Application, Call
from filiere.calls.models import State as AppState
from filiere.calls.permissions import is_call_staff
from filiere.calls.services.transitions import state_label, transition_application
from filiere.errors import Invalid, NotAllowed, ServiceError

from .access import readable_items
from .models import (
    SESSION_SCOPE,
    AgendaItem,
    Session,
    SessionMember,
    SessionStatus,
    Vote,
    VoteChoice,
)
from .permissions import membership, runs_committee
from .selectors_scores import scores_of_call

#: The transition that brings an application in each state before the committee ("" for one
#: already there): the others cannot go on an agenda.
TO_COMMITTEE = {
    AppState.UNDER_REVIEW: "send_to_committee",
    AppState.HEARING: "send_to_committee",
    AppState.DEFERRED: "reschedule",
    AppState.COMMITTEE: "",
}


def _check_staff(session: Session, by: User) -> None:
    if not runs_committee(by, session):
        raise NotAllowed("committee.not_call_staff")


def _check_not_closed(session: Session) -> None:
    if session.status == SessionStatus.CLOSED:
        raise ServiceError("committee.session.closed")


def _locked(session: Session) -> Session:
    return Session.objects.select_for_update().get(pk=session.pk)


# --- Sessions -----------------------------------------------------------------------------------


def create_session(
    *,
    call: Call,
    title: str,
    meets_at: datetime,
    place: str = "",
    quorum: int = 3,
    second_signature: bool = True,
    by: User,
) -> Session:
    """A new session of ``call``'s committee, in preparation. The staff of the call only."""
    if not is_call_staff(by, call.pk):
        raise NotAllowed("committee.not_call_staff")
    title = title.strip()
    if not title:
        raise Invalid("committee.session.title_missing", field="title")
    if quorum < 1:
        raise Invalid("committee.session.quorum_range", field="quorum")
    with transaction.atomic():
        session = Session.objects.create(
            call=call,
            title=title,
            meets_at=meets_at,
            place=place.strip(),
            quorum=quorum,
            second_signature=second_signature,
            created_by=by,
        )
        record(
            actor=by,
            action="committee.session.created",
            obj=session,
            data={"call": call.pk, "meets_at": meets_at.isoformat(), "quorum": quorum},
        )
    return session


def _set_status(
    session: Session, by: User, *, source: str, target: str, refusal: str, action: str
) -> Session:
    _check_staff(session, by)
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != source:
            raise ServiceError(refusal)
        locked.status = target
        locked.save(update_fields=["status"])
        record(actor=by, action=action, obj=locked)
    session.status = locked.status
    return session


def open_session(*, session: Session, by: User) -> Session:
    """Open a session in preparation to its members: they may vote. Audited."""
    return _set_status(
        session,
        by,
        source=SessionStatus.PREPARING,
        target=SessionStatus.OPEN,
        refusal="committee.session.not_preparing",
        action="committee.session.opened",
    )


def close_session(*, session: Session, by: User) -> Session:
    """Close an open session: votes, agenda and members stay as they are. Audited."""
    return _set_status(
        session,
        by,
        source=SessionStatus.OPEN,
        target=SessionStatus.CLOSED,
        refusal="committee.session.not_open",
        action="committee.session.closed",
    )


# --- Members ------------------------------------------------------------------------------------


def add_member(*, session: Session, user: User, chairs: bool = False, by: User) -> SessionMember:
    """Make ``user`` a member of ``session``: the committee role scoped to it opens its pages.
    Someone on the team of an application of the agenda may be a member: that item stays
    closed to them (``access.readable_items``). Audited."""
    _check_staff(session, by)
    with transaction.atomic():
        locked = _locked(session)
        _check_not_closed(locked)
        if SessionMember.objects.filter(
            session=locked, user=user, removed_at__isnull=True
        ).exists():
            raise ServiceError("committee.member.already", {"email": user.email})
        grant = grant_role(
            user=user, role=Role.COMMITTEE, scope_type=SESSION_SCOPE, scope_id=locked.pk, by=None
        )
        member = SessionMember.objects.create(session=locked, user=user, grant=grant, chairs=chairs)
        record(
            actor=by,
            action="committee.member.added",
            obj=locked,
            data={"user": user.pk, "chairs": chairs},
        )
    return member


def remove_member(*, member: SessionMember, by: User, reason: str) -> SessionMember:
    """End a membership (kept, with the date) and revoke its grant; votes already recorded
    stay. A reason is required. Audited."""
    _check_staff(member.session, by)
    reason = reason.strip()
    if not reason:
        raise Invalid("committee.reason_missing", field="reason")
    with transaction.atomic():
        locked = (
            SessionMember.objects.select_for_update(of=("self",))
            .select_related("grant")
            .get(pk=member.pk)
        )
        if locked.removed_at is not None:
            raise ServiceError("committee.member.gone")
        locked.removed_at = timezone.now()
        locked.save(update_fields=["removed_at"])
        if locked.grant is not None:
            revoke_role(grant=locked.grant, by=None, reason=reason)
        record(
            actor=by,
            action="committee.member.removed",
            obj=member.session,
            reason=reason,
            data={"user": locked.user_id},
        )
    member.removed_at = locked.removed_at
    return member


# --- Agenda -------------------------------------------------------------------------------------


def _agenda_check(session: Session, applications: Sequence[Application]) -> None:
    """Refuse the whole addition when one application may not join the agenda."""
    if not applications:
        raise Invalid("committee.agenda.nothing_chosen", field="applications")
    present = set(
        AgendaItem.objects.filter(
            session=session, application__in=[a.pk for a in applications]
        ).values_list("application_id", flat=True)
    )
    for application in applications:
        params = {"reference": application.reference}
        if application.call_id != session.call_id:
            raise Invalid("committee.agenda.other_call", params, field="applications")
        if application.pk in present:
            raise ServiceError("committee.agenda.already_on", params)
        if application.state not in TO_COMMITTEE:
            raise ServiceError(
                "committee.agenda.not_ready",
                {**params, "state": state_label(application.state)},
            )


def add_to_agenda(
    *, session: Session, applications: Iterable[Application], by: User
) -> list[AgendaItem]:
    """Put applications of the session's call on its agenda, after the ones already there.
    One under review (or after its hearing) is sent to the committee, a deferred one put back
    before it, through the calls' one door (audited and notified there); all or nothing."""
    _check_staff(session, by)
    chosen = list(applications)
    with transaction.atomic():
        locked = _locked(session)
        _check_not_closed(locked)
        _agenda_check(locked, chosen)
        # Positions count from 1, as the ranking numbers them.
        last = AgendaItem.objects.filter(session=locked).aggregate(last=Max("position"))["last"]
        start = (last or 0) + 1
        items = []
        for offset, application in enumerate(chosen):
            code = TO_COMMITTEE[AppState(application.state)]  # checked above
            if code:
                transition_application(application=application, code=code, by=by)
            items.append(
                AgendaItem.objects.create(
                    session=locked, application=application, position=start + offset
                )
            )
        record(
            actor=by,
            action="committee.agenda.added",
            obj=locked,
            data={"applications": [a.pk for a in chosen]},
        )
    return items


def remove_from_agenda(*, item: AgendaItem, by: User) -> None:
    """Take an item off the agenda (the application keeps its state) while nobody voted on it."""
    _check_staff(item.session, by)
    with transaction.atomic():
        locked = _locked(item.session)
        _check_not_closed(locked)
        if Vote.objects.filter(item=item).exists():
            raise ServiceError("committee.agenda.has_votes")
        AgendaItem.objects.filter(pk=item.pk).delete()
        record(
            actor=by,
            action="committee.agenda.removed",
            obj=locked,
            data={"application": item.application_id},
        )


def order_by_ranking(*, session: Session, by: User) -> list[AgendaItem]:
    """Number the agenda by the calibrated score (``engine.calibration``), best first; ties by
    raw mean then reference; applications without a submitted review last. Audited."""
    _check_staff(session, by)
    scores = scores_of_call(session.call)
    with transaction.atomic():
        locked = _locked(session)
        _check_not_closed(locked)
        items = list(AgendaItem.objects.filter(session=locked).select_related("application"))

        def rank(item: AgendaItem) -> tuple[int, float, float, str]:
            score = scores.get(item.application_id)
            if score is None:
                return (1, 0.0, 0.0, item.application.reference)
            return (0, -score.calibrated, -score.raw_mean, item.application.reference)

        items.sort(key=rank)
        for position, item in enumerate(items, start=1):
            item.position = position
        AgendaItem.objects.bulk_update(items, ["position"])
        record(
            actor=by,
            action="committee.agenda.ordered",
            obj=locked,
            data={"applications": [item.application_id for item in items]},
        )
    return items


# --- Votes and notes ----------------------------------------------------------------------------


def record_vote(*, item: AgendaItem, by: User, choice: str) -> Vote:
    """``by``'s vote on ``item``: active members only, while the session is open, never on an
    application they are on or in conflict with. A new vote replaces theirs. Audited."""
    session = item.session
    if membership(by, session) is None:
        raise NotAllowed("committee.vote.not_member")
    if choice not in VoteChoice.values:
        raise Invalid("committee.vote.choice_unknown", field="choice")
    if not readable_items(by, session).filter(pk=item.pk).exists():
        raise NotAllowed("committee.vote.not_on_item")
    with transaction.atomic():
        locked = _locked(session)
        if locked.status != SessionStatus.OPEN:
            raise ServiceError("committee.vote.not_open")
        vote, _created = Vote.objects.update_or_create(
            item=item, voter=by, defaults={"choice": choice}
        )
        record(
            actor=by,
            action="committee.vote.recorded",
            obj=locked,
            data={"item": item.pk, "application": item.application_id, "choice": choice},
        )
    return vote


class StaleNotes(ServiceError):
    """The notes were saved by someone else since the form was rendered: nothing is written;
    ``current`` and ``submitted`` let the page show both."""

    def __init__(self, *, current: AgendaItem, submitted: str) -> None:
        super().__init__(
            "committee.notes.stale_version", {"current_version": current.notes_version}
        )
        self.current = current.notes
        self.current_version = current.notes_version
        self.submitted = submitted


def keeps_notes(user: User, item: AgendaItem) -> bool:
    """The chair of the item's session, or the staff of its call."""
    member = membership(user, item.session)
    return (member is not None and member.chairs) or runs_committee(user, item.session)


def save_notes(*, item: AgendaItem, notes: str, version: int, by: User) -> AgendaItem:
    """Save the discussion notes of an item, rendered at ``version``: the chair or the staff,
    on an item they may read, until the session is closed. A stale version with other notes
    raises :class:`StaleNotes` and writes nothing. Audited."""
    if not keeps_notes(by, item):
        raise NotAllowed("committee.notes.not_allowed")
    if not readable_items(by, item.session).filter(pk=item.pk).exists():
        raise NotAllowed("committee.notes.not_allowed")
    notes = notes.strip()
    with transaction.atomic():
        _check_not_closed(_locked(item.session))
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        if locked.notes != notes:
            if version != locked.notes_version:
                raise StaleNotes(current=locked, submitted=notes)
            locked.notes = notes
            locked.notes_version += 1
            locked.save(update_fields=["notes", "notes_version"])
            record(
                actor=by,
                action="committee.notes.saved",
                obj=item.session,
                data={"item": item.pk, "version": locked.notes_version},
            )
    item.notes, item.notes_version = locked.notes, locked.notes_version
    return item
