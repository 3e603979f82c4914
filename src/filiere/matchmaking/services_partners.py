"""Find partners' one verb: invite a person of the directory into an application's team as a
co-applicant, with a role. The calls' own service (``invite_team_member``) does the rest: who may
invite (the lead, on a file that can still be edited), the invitation e-mail, the audit entry;
its refusals (``apply.*``) reach the caller as they are."""

from __future__ import annotations

from filiere.accounts.models import User
from filiere.calls.models import Application, TeamMember
from filiere.calls.services.applications import invite_team_member
from filiere.community.models import Person
from filiere.errors import Invalid, ServiceError

from .selectors_contacts import blocked_between
from .selectors_partners import visible_people_with_accounts


def invite_partner(*, application: Application, by: User, person: Person, role: str) -> TeamMember:
    """``by`` invites the owner of ``person``'s profile (one they may see; not a member they
    blocked or who blocked them) into ``application``'s team with ``role``."""
    seen = visible_people_with_accounts(by).filter(pk=person.pk).first()
    if seen is None:
        if person.user_id is None:
            raise Invalid("matchmaking.partners.no_account", field="person")
        raise ServiceError("matchmaking.partners.not_visible")
    assert seen.user is not None
    if blocked_between(by.pk, seen.user.pk):
        raise ServiceError("matchmaking.partners.blocked")
    return invite_team_member(
        application=application, by=by, email="", role=role, invitee=seen.user
    )
