"""Who may do what in the committee stage. Views, the API and services name the rule they apply.

- The staff of a call (global staff, or a staff grant scoped to the call) run its committee:
  they create sessions, choose their members, build the agenda, run the envelope simulator,
  record decisions (a second staff member confirms them when the session asks for two
  signatures) and send the letters.
- A member of a session (an active ``SessionMember``, who holds the committee role scoped to
  that session) reads that session's agenda, its items and the simulator's result, and records
  their own vote while the session is open; the chair also keeps the discussion notes. A global
  committee role alone opens no session: members read only their sessions' files.
- Nobody reads or acts on an item whose application they are on (its team), nor one they have a
  conflict of interest with as an expert (review's conflicts): that item is a 404 for them.
- Applicants read the decisions on their own applications (the calls gatekeepers) once recorded,
  and the letter's feedback once it is sent. Reviewers' names never reach them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filiere.accounts.models import Role
from filiere.accounts.permissions import is_signed_in
from filiere.calls.permissions import instructs_some_call, is_call_staff, signed_in_and

from .models import SESSION_SCOPE, Session, SessionMember

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def runs_committee(user: AnyUser | None, session: Session) -> bool:
    """The staff of the session's call."""
    return is_call_staff(user, session.call_id) if is_signed_in(user) else False


def membership(user: AnyUser | None, session: Session) -> SessionMember | None:
    """``user``'s active membership of ``session`` (and the grant that goes with it)."""
    if not is_signed_in(user):
        return None
    if not user.has_role(Role.COMMITTEE, scope_type=SESSION_SCOPE, scope_id=session.pk):
        return None
    return SessionMember.objects.filter(session=session, user=user, removed_at__isnull=True).first()


def is_committee_member(user: AnyUser | None) -> bool:
    """Holds the committee role for at least one session (or globally)."""
    return is_signed_in(user) and user.has_role_anywhere(Role.COMMITTEE)


def sees_committee(user: AnyUser | None) -> bool:
    """Anyone with a committee page to open: a committee member or the staff of a call."""
    return user is not None and (is_committee_member(user) or instructs_some_call(user))


#: Pages of the committee's staff side: anonymous → sign-in page; no call to instruct → 403
#: (each page checks the session's call again).
committee_staff_required = signed_in_and(instructs_some_call)

#: Pages of members and staff: anonymous → sign-in page; neither → 403.
committee_required = signed_in_and(sees_committee)
