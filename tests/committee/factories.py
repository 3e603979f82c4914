"""Test data of the committee stage: a call with reviewed applications, sessions and members.

Sessions are made through the models here (the services are tested on their own); a member
holds the committee role scoped to the session, as ``services_sessions.add_member`` gives it.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from filiere.accounts.models import Role, User
from filiere.accounts.services import grant_role
from filiere.calls.models import Application, Call
from filiere.committee.models import SESSION_SCOPE, AgendaItem, Session, SessionMember
from filiere.review.models import (
    Assignment,
    Expert,
    PairResponse,
    PairStatus,
    Review,
    ReviewStatus,
)
from tests.accounts.factories import activate_totp
from tests.calls.instruction_factories import ApplicationFactory
from tests.factories import UserFactory, user_with_role
from tests.review.factories import call_staff, expert, open_call, staff


def session(call: Call | None = None, *, by: User | None = None, **kwargs: object) -> Session:
    call = call or open_call()
    fields: dict[str, object] = {
        "title": "Comité 2009",
        "meets_at": timezone.now() + timedelta(days=7),
        "quorum": 1,
        "status": "open",
    }
    fields.update(kwargs)
    return Session.objects.create(call=call, created_by=by or staff(), **fields)


def member(session: Session, *, chairs: bool = False, user: User | None = None) -> User:
    """A committee member of ``session`` (with an authenticator app)."""
    if user is None:
        user = UserFactory()
        activate_totp(user)
    grant = grant_role(
        user=user, role=Role.COMMITTEE, scope_type=SESSION_SCOPE, scope_id=session.pk, by=None
    )
    SessionMember.objects.create(session=session, user=user, grant=grant, chairs=chairs)
    user.refresh_from_db()
    return user


def reviewed(
    call: Call, totals: list[float], *, experts: list[User] | None = None, **kwargs: object
) -> Application:
    """An application of ``call`` before the committee, with one submitted review per total (by
    ``experts``, or new experts of the call's fund)."""
    fields: dict[str, object] = {"state": "committee", "requested_amount": Decimal("50000")}
    fields.update(kwargs)
    application = ApplicationFactory(call=call, **fields)
    experts = experts or [expert(call.fund) for _ in totals]
    for user, total in zip(experts, totals, strict=False):
        pair = Assignment.objects.create(
            application=application,
            expert=Expert.objects.get(user=user, fund=call.fund),
            status=PairStatus.PUBLISHED,
            response=PairResponse.ACCEPTED,
        )
        Review.objects.create(
            assignment=pair,
            status=ReviewStatus.SUBMITTED,
            total=total,
            opinion=f"Opinion {total}",
            submitted_at=timezone.now(),
        )
    return application


def on_agenda(session: Session, *applications: Application) -> list[AgendaItem]:
    start = AgendaItem.objects.filter(session=session).count()
    return [
        AgendaItem.objects.create(session=session, application=a, position=start + i)
        for i, a in enumerate(applications)
    ]


__all__ = [
    "call_staff",
    "expert",
    "member",
    "on_agenda",
    "open_call",
    "reviewed",
    "session",
    "staff",
    "user_with_role",
]
