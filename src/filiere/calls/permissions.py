"""Who may do what with calls and applications. Views, services and the API name their rule.

- Published calls are public; the staff also see hidden calls (a preview), design calls and
  instruct applications (``staff_required`` on every design and instruction page).
- An application is read by its lead and by the team members who accepted their invitation;
  the staff read it through the instruction pages and the API. The gatekeepers that fetch an
  application or a document and answer 404 to everyone else are in ``calls/access.py``: they
  apply the rules below.
- It is edited by its lead and by members allowed to edit, while the engine says the file is
  editable; only the lead submits, sends corrections and withdraws.
- Its documents are downloaded by the team and by the staff.
- Instruction (the staff's side of one call's applications: the list, one application, its
  decisions, correction requests and other transitions) is open to the global staff and to
  holders of a staff grant scoped to that call (``RoleGrant(role=staff, scope_type="call",
  scope_id=call.pk)``), pages and API alike (:func:`instructs`, ``call_staff_required``): the
  list and its exports, one application, its decisions, correction requests and other
  transitions, messages, private notes, the call's labels, the holder's own saved filters and
  export jobs, bulk actions and the ZIP of documents. Call design stays with the global staff.
  Holders of such grants reach their calls from ``instructor_required`` pages (the list of the
  calls they instruct).
- Nobody acts as staff or committee on an application they are on (:func:`on_team`: its lead, or
  a team member, invited or accepted), whatever their grants.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponseBase

from filiere.accounts.models import Role
from filiere.accounts.permissions import is_signed_in, is_staff
from filiere.engine import workflow

from .models import Application, Call, TeamMember

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: A view function (decorators hand back one with the same signature).
View = Callable[..., HttpResponseBase]

#: The scope name of a role granted for one call (``RoleGrant.scope_type``).
CALL_SCOPE = "call"

# --- Calls --------------------------------------------------------------------------------------


def sees_hidden_calls(user: AnyUser) -> bool:
    """The staff see unpublished calls (a preview); everyone else only published ones."""
    return is_staff(user)


def signed_in_and(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """A view decorator: anonymous → sign-in page; signed in but failing ``check`` → 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


#: Design and instruction pages: anonymous → sign-in page; signed in without staff → 403.
staff_required = signed_in_and(is_staff)


def is_call_staff(user: AnyUser, call_id: int) -> bool:
    """Global staff (or an administrator), or a staff grant scoped to this call."""
    return is_staff(user) or (
        is_signed_in(user) and user.has_role(Role.STAFF, scope_type=CALL_SCOPE, scope_id=call_id)
    )


def staff_scope_ids(user: AnyUser | None, scope: str) -> frozenset[int] | None:
    """The ids of the ``scope`` objects (calls, funds) ``user`` is staff of: ``None`` for all
    (global staff), else those of their staff grants scoped to them (possibly none)."""
    if is_staff(user):
        return None
    if not is_signed_in(user):
        return frozenset()
    return frozenset(
        scope_id
        for role, scope_type, scope_id in user.role_set()
        if role == Role.STAFF and scope_type == scope
    )


def staff_call_ids(user: AnyUser) -> frozenset[int] | None:
    """The calls ``user`` instructs: ``None`` for every call (global staff), else the ids of the
    calls of their call-scoped staff grants (possibly none)."""
    return staff_scope_ids(user, CALL_SCOPE)


def instructs_some_call(user: AnyUser) -> bool:
    """Global staff, or the holder of a staff grant for at least one call."""
    calls = staff_call_ids(user)
    return calls is None or bool(calls)


#: Pages of everyone who instructs a call: anonymous → sign-in page; signed in without any staff
#: grant (global or for a call) → 403.
instructor_required = signed_in_and(instructs_some_call)


def call_staff_required(view: View) -> View:
    """Instruction pages of one call: anonymous → sign-in page; signed in without staff for that
    call (globally or by a call-scoped grant) → 403. The call is read once, here: the URL's
    ``slug`` reaches the view as ``call``. A missing call is a 404 for the global staff and a
    403 for everyone else (who learn nothing about which calls exist)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, slug: str, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        call = Call.objects.select_related("fund").filter(slug=slug).first()
        if call is None and is_staff(request.user):
            raise Http404
        if call is None or not is_call_staff(request.user, call.pk):
            raise PermissionDenied
        return view(request, *args, call=call, **kwargs)

    return wrapper


# --- Applications -------------------------------------------------------------------------------


def on_team(user: AnyUser, application: Application) -> bool:
    """``user`` leads ``application`` or is on its team, invited or accepted (an invitation sent
    to their address counts): a conflict of interest for instructing or deciding it.

    Asked several times per request (the page, the menu of transitions, the service): answered
    from the prefetched team when there is one, else queried once per user and application
    object."""
    if not is_signed_in(user):
        return False
    if application.lead_id == user.pk:
        return True
    answers = application.__dict__.setdefault("_on_team", {})
    if user.pk not in answers:
        team = getattr(application, "_prefetched_objects_cache", {}).get("team")
        if team is None:
            answers[user.pk] = application.team.filter(
                Q(user=user) | Q(email__iexact=user.email)
            ).exists()
        else:
            email = user.email.lower()
            answers[user.pk] = any(m.user_id == user.pk or m.email.lower() == email for m in team)
    return answers[user.pk]


def not_on_team_q(user: AnyUser) -> Q:
    """Applications ``user`` is not on (lead, or invited or accepted team member): a filter."""
    if not is_signed_in(user):
        return Q()  # an anonymous visitor is on no file
    mine = TeamMember.objects.filter(application=OuterRef("pk")).filter(
        Q(user=user) | Q(email__iexact=user.email)
    )
    return ~Q(lead=user) & ~Q(Exists(mine))


def instructs(user: AnyUser, application: Application) -> bool:
    """May ``user`` act as staff on ``application``: staff of its call, and not on its team."""
    return is_call_staff(user, application.call_id) and not on_team(user, application)


def instructable_q(user: AnyUser) -> Q:
    """The applications ``user`` instructs, as a filter (nothing for people without staff)."""
    if not is_signed_in(user):
        return Q(pk__in=[])
    calls = staff_call_ids(user)
    scope = Q() if calls is None else Q(call_id__in=sorted(calls))
    return scope & not_on_team_q(user)


def membership(user: AnyUser, application: Application) -> TeamMember | None:
    """The accepted team membership of ``user`` in ``application`` (``None`` when there is none)."""
    if not is_signed_in(user):
        return None
    cached = getattr(application, "_memberships", None)
    if cached is not None:
        return next((m for m in cached if m.user_id == user.pk and m.accepted_at), None)
    return application.team.filter(user=user, accepted_at__isnull=False).first()


def is_lead(user: AnyUser, application: Application) -> bool:
    """The signed-in lead applicant of ``application``."""
    return is_signed_in(user) and application.lead_id == user.pk


def is_member(user: AnyUser, application: Application) -> bool:
    """The lead, or a team member who accepted the invitation."""
    return is_lead(user, application) or membership(user, application) is not None


def is_open_for_edits(application: Application, now: datetime) -> bool:
    """Anyone allowed to edit may do so only while the engine says the file is editable."""
    return workflow.is_editable_by_applicant(
        application.state,
        now=now,
        closes_at=application.call.closes_at,
        correction_until=application.correction_until,
    )


def can_edit_application(user: AnyUser, application: Application, now: datetime) -> bool:
    """The lead and members allowed to edit, while the engine says the file is editable."""
    if not is_open_for_edits(application, now):
        return False
    if is_lead(user, application):
        return True
    member = membership(user, application)
    return member is not None and member.can_edit


def can_submit(user: AnyUser, application: Application) -> bool:
    """Only the lead submits (the engine's ``applicant_lead`` actor)."""
    return is_lead(user, application)


def can_manage_team(user: AnyUser, application: Application) -> bool:
    """Only the lead invites and removes team members (on a file they may edit)."""
    return is_lead(user, application)


def can_view_documents(user: AnyUser, application: Application) -> bool:
    """The team (lead and accepted members) and the staff download an application's documents."""
    return is_member(user, application) or is_staff(user)


def acts_as_staff_or_committee(user: AnyUser, application: Application) -> tuple[bool, bool]:
    """(staff, committee) actor kinds ``user`` holds for ``application``: from their global or
    call-scoped grants, and never on an application they are on."""
    if not is_signed_in(user) or on_team(user, application):
        return False, False
    committee = user.has_role(Role.COMMITTEE) or user.has_role(
        Role.COMMITTEE, scope_type=CALL_SCOPE, scope_id=application.call_id
    )
    return is_call_staff(user, application.call_id), committee


def applying_actor_kinds(user: AnyUser, application: Application) -> list[str]:
    """The engine actors ``user`` holds when submitting, withdrawing or resubmitting: the lead.

    Submission, resubmission and withdrawal only ever ask for the lead; staff rights play no
    part on the applying side.
    """
    return [workflow.Actor.APPLICANT_LEAD.value] if is_lead(user, application) else []
