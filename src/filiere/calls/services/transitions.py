"""Every change of an application's state goes through :func:`transition_application`.

The rules are the engine's transition table (``filiere.engine.workflow``): this service works out
which kinds of actor the user is for this application, asks the engine, records the new state
under a row lock, writes the audit entry (``calls.application.<code>``, one per state change,
web and API alike) and publishes an ``ApplicationTransitioned`` event (``calls.events``): once the
transaction has committed, ``calls.tasks`` e-mails the parties the transition names
(``calls.notifications``, which never imports this module).

Transitions with checks of their own (``Transition.service``: submit, resubmit, a correction
request, the lead's withdrawal, the committee's decisions) are refused here unless their owning
service calls with ``service=`` set to its name; pages and the API never pass it, they call the
owning service (``submission.submit_application``...).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from filiere import errors
from filiere.audit.services import record
from filiere.engine import workflow
from filiere.engine.workflow import Actor, State, WorkflowError

from .. import events
from ..models import Application, CorrectionRequest
from ..models import State as AppState
from ..permissions import acts_as_staff_or_committee
from ..phrases import transition_label

if TYPE_CHECKING:
    from filiere.accounts.models import User
    from filiere.accounts.types import AnyUser

__all__ = [
    "TransitionError",
    "actor_kinds",
    "allowed_for",
    "fire_requested_transition",
    "is_requestable",
    "notify_after_commit",
    "record_decision",
    "state_label",
    "transition_application",
    "transition_label",
]

# --- workflow phrases (precise refusals; labels come from calls/phrases.py) ----------------


def state_label(code: str) -> str:
    return str(dict(AppState.choices).get(code, code))


def workflow_message(code: str, params: Mapping[str, object]) -> str:
    """The translated sentence for a ``workflow.*`` (or ``transition.*``) error code."""
    transition = transition_label(str(params.get("transition", "")))
    state = state_label(str(params.get("state", "")))
    if code == "workflow.unknown_transition":
        return gettext("“%(transition)s” is not an action on applications.") % {
            "transition": params.get("transition", "")
        }
    if code == "workflow.not_allowed" and params.get("why") == "state":
        return gettext("“%(transition)s” is not possible while the application is “%(state)s”.") % {
            "transition": transition,
            "state": state,
        }
    if code == "workflow.not_allowed":
        return gettext("You may not “%(transition)s” this application.") % {
            "transition": transition
        }
    if code == "workflow.service_owned":
        return gettext("“%(transition)s” has its own form: use it.") % {"transition": transition}
    if code == "workflow.reason_required":
        return gettext("Give a reason to “%(transition)s”: the applicant will receive it.") % {
            "transition": transition
        }
    if code == "transition.correction_date_past":
        return gettext("The date for corrections must be in the future.")
    if code == "transition.correction_items_missing":
        return gettext("List at least one item to correct.")
    return gettext("This action is not possible.")


# --- errors -------------------------------------------------------------------------------------


class TransitionError(errors.ServiceError):
    """A refused transition: the engine's code (``workflow.*``) or a service's
    (``transition.*``), said by :func:`workflow_message` (registered in ``CallsConfig``).
    409: the application's state refuses it; :meth:`of` picks the kind of the engine's codes."""

    @classmethod
    def of(cls, code: str, params: Mapping[str, object] | None = None) -> TransitionError:
        """The engine's refusal as its kind: the wrong actor (403), a request naming no
        transition it may fire or missing its reason (422), the wrong state (409)."""
        params = dict(params or {})
        if code == "workflow.not_allowed" and params.get("why") != "state":
            return TransitionNotAllowed(code, params)
        if code in {"workflow.unknown_transition", "workflow.service_owned"}:
            return TransitionInvalid(code, params, field="code")
        if code == "workflow.reason_required":
            return TransitionInvalid(code, params, field="reason")
        return TransitionError(code, params)


class TransitionNotAllowed(TransitionError, errors.NotAllowed):
    """The acting user is not one the transition table lets fire it (403)."""


class TransitionInvalid(TransitionError, errors.Invalid):
    """The request names no transition it may fire here, or lacks its reason (422)."""


# --- who is acting ------------------------------------------------------------------------------


def actor_kinds(user: AnyUser | None, application: Application) -> frozenset[Actor]:
    """The engine's actor kinds ``user`` holds for ``application`` (``None``: the system).

    Staff: global, or a staff grant scoped to the application's call; committee: global or
    call-scoped. Neither for someone on the application's team (its lead, an invited or accepted
    member): nobody instructs or decides their own file.
    """
    if user is None:
        return frozenset({Actor.SYSTEM})
    kinds: set[Actor] = set()
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    staff, committee = acts_as_staff_or_committee(user, application)
    if staff:
        kinds.add(Actor.STAFF)
    if committee:
        kinds.add(Actor.COMMITTEE)
    if application.lead_id == user.pk:
        kinds.add(Actor.APPLICANT_LEAD)
    return frozenset(kinds)


def allowed_for(user: AnyUser | None, application: Application) -> list[workflow.Transition]:
    """The transitions ``user`` may fire on ``application`` now, in table order (for menus)."""
    return workflow.allowed_transitions(application.state, actor_kinds(user, application))


# --- notifications ------------------------------------------------------------------------------


def notify_after_commit(
    *, application_id: int, code: str, by: User | None, reason: str = ""
) -> None:
    """Inside a transaction: e-mail the parties transition ``code`` names once it has committed.

    For services that change the state themselves under their own checks (the submission, which
    must read the deadline in the transaction that records it) but notify like every transition.
    Nothing is sent if the transaction rolls back; the person who acted is not told.
    """
    events.publish(
        events.ApplicationTransitioned(
            application_id=application_id,
            code=code,
            reason=reason,
            actor_id=getattr(by, "pk", None),
        )
    )


# --- the service --------------------------------------------------------------------------------


def transition_application(
    *,
    application: Application,
    code: str,
    by: User | None,
    reason: str = "",
    now: datetime | None = None,
    notify: bool = True,
    service: str = "",
    data: Mapping[str, object] | None = None,
    row_locked: bool = False,
) -> Application:
    """Fire transition ``code`` on ``application`` as ``by`` (a user, or ``None`` for the system).

    Raises :class:`TransitionError` with the engine's code when the table refuses it
    (``workflow.service_owned`` for a transition that has its own service, unless ``service``
    names it: only that service passes it). On success the row is updated under
    ``select_for_update``, a ``calls.application.<code>`` audit entry records from/to, the actor
    kinds, the reason and the owning service's ``data``, and the parties named by the transition
    are e-mailed after commit, each in their preferred language. ``application`` is updated in
    place and returned.

    ``row_locked``: the owning service already holds the row's lock in its own transaction and
    passes the row it read under it; neither a second read nor a savepoint is needed (a refusal
    here rolls the whole transaction back).
    """
    now = now or timezone.now()
    reason = (reason or "").strip()
    if row_locked and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("row_locked: call inside the transaction that holds the lock")
    with transaction.atomic(savepoint=not row_locked):
        locked = (
            application
            if row_locked
            else Application.objects.select_for_update().get(pk=application.pk)
        )
        kinds = actor_kinds(by, locked)
        try:
            chosen = workflow.check_transition(locked.state, code, kinds, reason, service=service)
        except WorkflowError as error:
            raise TransitionError.of(error.code, error.params) from None
        source = locked.state
        locked.state = chosen.target.value
        fields = ["state", "updated_at"]
        if source == State.INCOMPLETE and chosen.target != State.INCOMPLETE:
            # Leaving the correction window: the file locks again.
            locked.correction_until = None
            fields.append("correction_until")
            CorrectionRequest.objects.filter(application=locked, closed_at__isnull=True).update(
                closed_at=now
            )
        if chosen.target == State.SUBMITTED and locked.submitted_at is None:
            locked.submitted_at = now
            fields.append("submitted_at")
        locked.save(update_fields=fields)
        record(
            actor=by,
            action=f"calls.application.{chosen.code}",
            obj=locked,
            reason=reason,
            data={
                **(data or {}),
                "transition": chosen.code,
                "from": source,
                "to": chosen.target.value,
                "actors": sorted(k.value for k in kinds),
            },
        )
        if notify:
            notify_after_commit(application_id=locked.pk, code=chosen.code, by=by, reason=reason)
    for name in ("state", "correction_until", "submitted_at", "updated_at"):
        setattr(application, name, getattr(locked, name))
    return application


# --- decisions ----------------------------------------------------------------------------------

DECISIONS = frozenset(
    t.code for t in workflow.TRANSITIONS if t.service == "record_decision"
)  # award, reject, defer


def record_decision(
    *,
    application: Application,
    code: str,
    by: User,
    reason: str = "",
    notify: bool = True,
    data: Mapping[str, object] | None = None,
) -> Application:
    """Fire the decision ``code`` (award, reject with its grounds, defer with what to improve)
    on an application before the committee, as staff who are not on its team. Only the
    committee's decision service calls this (``committee.services_decisions``: the amount, the
    second signature and the letter): the doors below refuse the decisions. ``notify=False``:
    the caller tells the applicant itself (the decision letter), so the workflow's e-mail is not
    sent; ``data`` joins the audit entry (the amount)."""
    if code not in DECISIONS:
        raise TransitionError.of("workflow.unknown_transition", {"transition": code})
    return transition_application(
        application=application,
        code=code,
        by=by,
        reason=reason,
        notify=notify,
        service="record_decision",
        data=data,
    )


# --- the doors' one entry -----------------------------------------------------------------------


def is_requestable(transition: workflow.Transition) -> bool:
    """Whether a door may ask for ``transition`` by its code (the staff page's generic form, the
    API's ``transitions`` operation): those without a service of their own. The decisions are
    not: they carry an amount and a second signature (the committee's decision pages)."""
    return not transition.service_owned


def fire_requested_transition(
    *, application: Application, code: str, by: User, reason: str = ""
) -> Application:
    """Fire the transition a door asks for by its code, through :func:`transition_application`,
    which refuses the transitions that have their own service (``workflow.service_owned``:
    submit, resubmit, withdraw, a correction request, the decisions)."""
    return transition_application(application=application, code=code, by=by, reason=reason)
