"""Who may do what with calls and applications. Views, services and the API name their rule.

- Published calls are public; the staff also see hidden calls (a preview), design calls and
  instruct applications (``staff_required`` on every design and instruction page).
- An application is read by its lead and by the team members who accepted their invitation;
  the staff read it through the instruction pages and the API. Gatekeepers that fetch an
  application and answer 404 to everyone else are selectors (``selectors_applicant``,
  ``selectors_staff``): they apply the rules below.
- It is edited by its lead and by members allowed to edit, while the engine says the file is
  editable; only the lead submits, sends corrections and withdraws.
- Its documents are downloaded by the team and by the staff.
"""

from __future__ import annotations

from datetime import datetime
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from filiere.accounts.permissions import is_signed_in, is_staff
from filiere.engine import workflow

from .models import Application, TeamMember

# --- Calls --------------------------------------------------------------------------------------


def sees_hidden_calls(user) -> bool:
    """The staff see unpublished calls (a preview); everyone else only published ones."""
    return is_staff(user)


def staff_required(view):
    """Design and instruction pages: anonymous → sign-in page; signed in without staff → 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


# --- Applications -------------------------------------------------------------------------------


def sees_every_application(user) -> bool:
    """The staff read every application; everyone else only those they lead or joined."""
    return is_staff(user)


def membership(user, application: Application) -> TeamMember | None:
    """The accepted team membership of ``user`` in ``application`` (``None`` when there is none)."""
    if not is_signed_in(user):
        return None
    cached = getattr(application, "_memberships", None)
    if cached is not None:
        return next((m for m in cached if m.user_id == user.pk and m.accepted_at), None)
    return application.team.filter(user=user, accepted_at__isnull=False).first()


def is_lead(user, application: Application) -> bool:
    """The signed-in lead applicant of ``application``."""
    return is_signed_in(user) and application.lead_id == user.pk


def is_member(user, application: Application) -> bool:
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


def can_edit_application(user, application: Application, now: datetime) -> bool:
    """The lead and members allowed to edit, while the engine says the file is editable."""
    if not is_open_for_edits(application, now):
        return False
    if is_lead(user, application):
        return True
    member = membership(user, application)
    return member is not None and member.can_edit


def can_submit(user, application: Application) -> bool:
    """Only the lead submits (the engine's ``applicant_lead`` actor)."""
    return is_lead(user, application)


def can_manage_team(user, application: Application) -> bool:
    """Only the lead invites and removes team members (on a file they may edit)."""
    return is_lead(user, application)


def can_view_documents(user, application: Application) -> bool:
    """The team (lead and accepted members) and the staff download an application's documents."""
    return is_member(user, application) or is_staff(user)


def applying_actor_kinds(user, application: Application) -> list[str]:
    """The engine actors ``user`` holds when submitting: the lead, and the staff.

    Narrower than ``services.transitions.actor_kinds`` (no call-scoped staff, no committee):
    submission and resubmission only ever ask for the lead.
    """
    kinds = []
    if is_lead(user, application):
        kinds.append(workflow.Actor.APPLICANT_LEAD.value)
    if is_staff(user):
        kinds.append(workflow.Actor.STAFF.value)
    return kinds
