"""Who may do what with agreements. Views, the API and services name the rule they apply.

- The staff of the application's call (global staff, or a staff grant scoped to the call) who
  are not on its team generate, send, amend an agreement and record its signature
  (:func:`manages`): nobody manages the agreement of a file they are on.
- The beneficiary's team — the application's lead and the team members who accepted their
  invitation — read their agreement once it is sent, download its PDF and signed copy
  (:func:`reads_as_beneficiary`); only the lead uploads the signed copy (:func:`signs`). A
  pending invitee is not on the team yet: nothing.
- Anyone else gets the same 404 as for an agreement that does not exist (``access.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from filiere.calls.permissions import (
    instructs,
    instructs_some_call,
    is_lead,
    is_member,
    signed_in_and,
)

from .models import Agreement, AgreementStatus

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: The statuses a beneficiary sees: every one after the draft.
SHOWN_TO_BENEFICIARY = (
    AgreementStatus.SENT,
    AgreementStatus.SIGNED,
    AgreementStatus.AMENDED,
    AgreementStatus.CLOSED,
)


def manages(user: AnyUser, agreement: Agreement) -> bool:
    """Staff of the agreement's call, not on its application's team."""
    return instructs(user, agreement.application)


def reads_as_beneficiary(user: AnyUser, agreement: Agreement) -> bool:
    """The application's lead or an accepted team member, once the agreement is sent."""
    return agreement.status in SHOWN_TO_BENEFICIARY and is_member(user, agreement.application)


def signs(user: AnyUser, agreement: Agreement) -> bool:
    """The lead uploads the signed copy for the beneficiary (the staff may record one too)."""
    return agreement.status in SHOWN_TO_BENEFICIARY and is_lead(user, agreement.application)


#: Staff pages of agreements: anonymous → sign-in page; no call to instruct → 403 (each page
#: checks the agreement's call again).
agreements_staff_required = signed_in_and(instructs_some_call)
