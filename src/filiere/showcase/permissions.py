"""Who may do what with the showcase. Views, the API and services name the rule they apply.

- A showcase page exists for a funded project: an application whose agreement is signed,
  amended or closed (:func:`is_funded`).
- Its team writes it: the application's lead and the accepted team members allowed to edit the
  application (:func:`writes`); a pending invitee is not on the team yet.
- The staff of its call who are not on its team approve it or ask for changes
  (:func:`moderates`, calls' ``instructs``): nobody approves the page of a file they are on.
- Everyone, signed in or not, reads the published pages (``access.published_entries``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filiere.awards.models import AgreementStatus
from filiere.calls.models import Application
from filiere.calls.permissions import (
    instructs,
    instructs_some_call,
    is_lead,
    membership,
    signed_in_and,
)

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: A real award: the agreement is signed (then maybe amended, closed with the project).
FUNDED = (AgreementStatus.SIGNED, AgreementStatus.AMENDED, AgreementStatus.CLOSED)


def is_funded(application: Application) -> bool:
    agreement = getattr(application, "agreement", None)
    return agreement is not None and agreement.status in FUNDED


def writes(user: AnyUser, application: Application) -> bool:
    """The lead, or an accepted team member allowed to edit the application."""
    if is_lead(user, application):
        return True
    member = membership(user, application)
    return member is not None and member.can_edit


def moderates(user: AnyUser, application: Application) -> bool:
    """Staff of the application's call (global or scoped), not on its team."""
    return instructs(user, application)


#: The staff's moderation list: anonymous → sign-in page; no call to instruct → 403.
moderators_required = signed_in_and(instructs_some_call)
