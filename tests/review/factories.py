"""Test data of the review stage: funds with their pools, experts with a second factor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from filiere.accounts.models import Role, User
from filiere.accounts.services import grant_role
from filiere.calls.models import Application, Call, Fund
from filiere.review.models import Expert, ExpertiseProfile, ExpertStatus
from tests.accounts.factories import activate_totp
from tests.calls.instruction_factories import ApplicationFactory, CallFactory, FundFactory
from tests.factories import AffiliationFactory, PersonFactory, UserFactory, user_with_role


def other_fund() -> Fund:
    return FundFactory(slug="documentaire", name_fr="Documentaire", name_en="Documentary")


def open_call(fund: Fund | None = None, **kwargs: object) -> Call:
    """A published call of ``fund`` that is still open (its experts state their availability)."""
    return CallFactory(
        fund=fund or FundFactory(),
        closes_at=timezone.now() + timedelta(days=30),
        **kwargs,
    )


def expert(fund: Fund | None = None, *, with_totp: bool = True, **person: object) -> User:
    """An active expert of ``fund``'s pool: an account with a directory profile, the expert role
    scoped to the fund and (by default) an authenticator app."""
    fund = fund or FundFactory()
    user = UserFactory()
    PersonFactory(user=user, **person)
    grant_role(user=user, role=Role.EXPERT, scope=fund, by=None)
    Expert.objects.create(
        fund=fund,
        user=user,
        email=user.email,
        status=ExpertStatus.ACTIVE,
        joined_at=timezone.now(),
    )
    ExpertiseProfile.objects.get_or_create(user=user)
    if with_totp:
        activate_totp(user)
    user.refresh_from_db()
    return user


def fund_staff(fund: Fund) -> User:
    user = user_with_role("member", with_totp=True)
    grant_role(user=user, role=Role.STAFF, scope=fund, by=None)
    user.refresh_from_db()
    return user


def call_staff(call: Call) -> User:
    user = user_with_role("member", with_totp=True)
    grant_role(user=user, role=Role.STAFF, scope=call, by=None)
    user.refresh_from_db()
    return user


def staff() -> User:
    return user_with_role(Role.STAFF)


def pool_row(user: User, fund: Fund | None = None) -> Expert:
    return Expert.objects.get(user=user, fund=fund or FundFactory())


def works_for(user: User, organisation: object, **kwargs: object) -> None:
    AffiliationFactory(person=user.person, organisation=organisation, **kwargs)


def application(call: Call, **kwargs: object) -> Application:
    return ApplicationFactory(call=call, **kwargs)


def same_queries(client: Any, url: str, grow: Callable[[], object], times: int = 3) -> Any:
    """Asserts that ``url`` costs as many queries after ``grow`` ran ``times`` more times (the
    page is read once first, so that caches are warm); hands back the last response."""
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(times):
        grow()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    return response


__all__ = [
    "ApplicationFactory",
    "PersonFactory",
    "UserFactory",
    "application",
    "call_staff",
    "expert",
    "fund_staff",
    "open_call",
    "other_fund",
    "pool_row",
    "same_queries",
    "staff",
    "user_with_role",
    "works_for",
]
