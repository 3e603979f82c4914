"""Who may do what with expert pools and conflicts. Views and services name the rule they apply.

- A fund's pool (invite, see, remove experts) is managed by the global staff and by holders of a
  staff grant scoped to that fund (``RoleGrant(role=staff, scope_type="fund")``). Staff of one
  call (a call-scoped grant) do not manage the fund's pool.
- The conflicts of a call are seen, added and lifted by the staff of the call: the pool's
  managers and the holders of a staff grant scoped to that call.
- An expert (an account whose invitation to a pool was accepted: the expert role scoped to the
  fund) keeps their expertise profile and their declared conflicts, and states their availability
  for the current calls of their funds only. Like every expert, they use a second factor (the
  MFA middleware).
- An applicant asks to exclude people or organisations on their own application (its lead and
  the team members who accepted their invitation); the page never says who is an expert.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from filiere.accounts.models import Role
from filiere.accounts.permissions import is_signed_in, is_staff
from filiere.calls.models import Call, Fund
from filiere.calls.permissions import is_call_staff, signed_in_and, staff_scope_ids

if TYPE_CHECKING:
    from filiere.accounts.types import AnyUser

#: The scope name of a role granted for one fund (``RoleGrant.scope_type``), registered by calls.
FUND_SCOPE = "fund"


def pool_fund_ids(user: AnyUser | None) -> frozenset[int] | None:
    """The funds whose pool ``user`` manages: ``None`` for all (global staff), else the funds of
    their fund-scoped staff grants (possibly none)."""
    return staff_scope_ids(user, FUND_SCOPE)


def manages_pool(user: AnyUser | None, fund_id: int) -> bool:
    funds = pool_fund_ids(user)
    return funds is None or fund_id in funds


def manages_some_pool(user: AnyUser | None) -> bool:
    funds = pool_fund_ids(user)
    return funds is None or bool(funds)


def manages_call_conflicts(user: AnyUser, call: Call) -> bool:
    """The staff of the call's fund, or of the call itself."""
    return manages_pool(user, call.fund_id) or is_call_staff(user, call.pk)


def is_expert(user: AnyUser | None) -> bool:
    """Holds the expert role, for one fund or globally."""
    return is_signed_in(user) and user.has_role_anywhere(Role.EXPERT)


#: Pages of the pools' managers: anonymous → sign-in page; without a global or fund staff grant
#: → 403 (the page checks the fund itself again).
pool_staff_required = signed_in_and(manages_some_pool)

#: Pages of experts: anonymous → sign-in page; without the expert role → 403.
expert_required = signed_in_and(is_expert)


def fund_for_pool_staff(user: AnyUser, slug: str) -> Fund:
    """The fund ``slug`` for who manages its pool; 403 for other staff, 404 when there is none
    for the global staff (others learn nothing about which funds exist)."""
    fund = Fund.objects.filter(slug=slug).first()
    if fund is None and is_staff(user):
        raise Http404
    if fund is None or not manages_pool(user, fund.pk):
        raise PermissionDenied
    return fund


def call_for_conflict_staff(user: AnyUser, slug: str) -> Call:
    """The call ``slug`` for the staff of its fund or of the call; 403 for anyone else."""
    call = Call.objects.select_related("fund").filter(slug=slug).first()
    if call is None and is_staff(user):
        raise Http404
    if call is None or not manages_call_conflicts(user, call):
        raise PermissionDenied
    return call
