"""The review app's gatekeepers: each answers the same 404 for "missing" and "not yours".

An expert reaches an assignment only through ``access_assignment_for_expert``: it must be theirs
(their membership of the call's fund is active), published, and they must have no active
conflict of interest with its application; anything else is a 404, so an expert of another
fund, an expert who is not assigned and a conflicted expert learn nothing.
"""

from __future__ import annotations

from django.http import Http404

from filiere.accounts.types import AnyUser

from .models import Assignment, ExpertStatus, PairResponse, PairStatus
from .selectors import is_conflicted


def access_assignment_for_expert(user: AnyUser, pk: int) -> Assignment:
    if not user.is_authenticated:
        raise Http404
    assignment = (
        Assignment.objects.select_related(
            "application__call__fund", "application__organisation", "expert"
        )
        .filter(
            pk=pk,
            expert__user=user,
            expert__status=ExpertStatus.ACTIVE,
            status=PairStatus.PUBLISHED,
        )
        .first()
    )
    if assignment is None or is_conflicted(user, assignment.application):
        raise Http404
    return assignment


def access_review_for_expert(user: AnyUser, assignment_pk: int) -> Assignment:
    """The assignment whose review ``user`` writes: as ``access_assignment_for_expert``, and
    accepted by them; 404 otherwise (a pending or declined one has no review to write)."""
    assignment = access_assignment_for_expert(user, assignment_pk)
    if assignment.response != PairResponse.ACCEPTED:
        raise Http404
    return assignment
