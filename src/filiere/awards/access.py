"""The agreements' gatekeepers: each fetches for one reader and answers the same 404 for
"missing" and "not yours", pages, API and downloads alike (the rules: ``permissions``).

- ``agreement_for_staff``: the staff of its call who are not on its team.
- ``agreement_for_reader``: those staff (as staff), or the beneficiary's team once it is sent.
- ``agreement_for_beneficiary``: the beneficiary's team only, once it is sent.
- ``agreement_for_signer``: those staff, or the lead once it is sent (the signed copy).
- ``visible_agreements``: the list a user may read (the API's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from filiere.accounts.permissions import is_signed_in
from filiere.calls.models import Application, TeamMember
from filiere.calls.permissions import instructable_q

from .models import Agreement
from .permissions import SHOWN_TO_BENEFICIARY, manages, reads_as_beneficiary, signs

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser


def _agreements() -> QuerySet[Agreement]:
    return Agreement.objects.select_related(
        "application__call__fund", "application__organisation", "application__lead", "decision"
    )


def _fetch(pk: int) -> Agreement:
    agreement = _agreements().filter(pk=pk).first()
    if agreement is None:
        raise Http404
    return agreement


def agreement_for_staff(user: AnyUser, pk: int) -> Agreement:
    agreement = _fetch(pk)
    if not manages(user, agreement):
        raise Http404
    return agreement


def agreement_for_reader(user: AnyUser, pk: int) -> tuple[Agreement, bool]:
    """(agreement, as staff)."""
    agreement = _fetch(pk)
    if manages(user, agreement):
        return agreement, True
    if reads_as_beneficiary(user, agreement):
        return agreement, False
    raise Http404


def agreement_for_beneficiary(user: AnyUser, pk: int) -> Agreement:
    """The beneficiary's page: its lead and accepted team members, once it is sent."""
    agreement = _fetch(pk)
    if not reads_as_beneficiary(user, agreement):
        raise Http404
    return agreement


def agreement_for_signer(user: AnyUser, pk: int) -> tuple[Agreement, bool]:
    """(agreement, as staff) for those who may store its signed copy."""
    agreement = _fetch(pk)
    if manages(user, agreement):
        return agreement, True
    if signs(user, agreement):
        return agreement, False
    raise Http404


def beneficiary_q(user: AnyUser) -> Q:
    """Agreements sent to an application ``user`` leads or joined (invitation accepted)."""
    if not is_signed_in(user):
        return Q(pk__in=[])
    accepted = TeamMember.objects.filter(
        application=OuterRef("application"), user=user, accepted_at__isnull=False
    )
    return Q(status__in=SHOWN_TO_BENEFICIARY) & (Q(application__lead=user) | Q(Exists(accepted)))


def staff_q(user: AnyUser) -> Q:
    """Agreements of the applications ``user`` instructs (their calls', never their own)."""
    # instructable_q is written for Application rows: a subquery of their ids.
    return Q(application__in=Application.objects.filter(instructable_q(user)).values("pk"))


def visible_agreements(user: AnyUser) -> QuerySet[Agreement]:
    """Every agreement ``user`` may read: as staff of its call, or as its beneficiary."""
    if not is_signed_in(user):
        return Agreement.objects.none()
    return _agreements().filter(staff_q(user) | beneficiary_q(user))


def staff_agreements(user: AnyUser) -> QuerySet[Agreement]:
    """The agreements ``user`` manages as staff."""
    return _agreements().filter(staff_q(user))
