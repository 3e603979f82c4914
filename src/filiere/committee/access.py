"""The committee's gatekeepers: each answers the same 404 for "missing" and "not yours".

- ``session_for_staff``: a session of a call the user instructs.
- ``session_for_reader``: a session the user is an active member of, or instructs; with the
  membership (``None`` for staff who are not members).
- ``readable_items`` / ``item_for_reader``: the agenda items of a session that the user may
  read: never one whose application they are on, nor one they are in conflict with as an expert.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from filiere.accounts.types import AnyUser
from filiere.calls.permissions import not_on_team_q
from filiere.review.selectors import conflicted_applications

from .models import AgendaItem, Session, SessionMember
from .permissions import membership, runs_committee


def session_for_staff(user: AnyUser, pk: int) -> Session:
    session = Session.objects.select_related("call__fund").filter(pk=pk).first()
    if session is None or not runs_committee(user, session):
        raise Http404
    return session


def session_for_reader(user: AnyUser, pk: int) -> tuple[Session, SessionMember | None]:
    session = Session.objects.select_related("call__fund").filter(pk=pk).first()
    if session is None:
        raise Http404
    member = membership(user, session)
    if member is None and not runs_committee(user, session):
        raise Http404
    return session, member


def _not_on_team(user: AnyUser, session: Session) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(session=session).filter(
        application__in=session.call.applications.filter(not_on_team_q(user))
    )


def readable_items(user: AnyUser, session: Session) -> QuerySet[AgendaItem]:
    """The session's items ``user`` may read (a fixed number of queries)."""
    items = _not_on_team(user, session)
    if not user.is_authenticated:
        return items.none()
    # The ids stay a subquery: binding a thousand of them costs more than the read itself.
    conflicted = conflicted_applications(user, session.call, items.values("application_id"))
    return items.exclude(application_id__in=conflicted).select_related(
        "application__organisation", "application__genre"
    )


def item_for_reader(user: AnyUser, session: Session, pk: int) -> AgendaItem:
    """One item of ``readable_items``: its conflicts are read for its application only."""
    if not user.is_authenticated:
        raise Http404
    item = (
        _not_on_team(user, session)
        .select_related("application__organisation", "application__genre")
        .filter(pk=pk)
        .first()
    )
    if item is None or conflicted_applications(user, session.call, [item.application_id]):
        raise Http404
    return item
