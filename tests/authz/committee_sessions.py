"""Authorization matrix entries of the committee's sessions, agendas, votes and notes.

Samples live in ``World.staff_call``: a closed session of that call (so that no request of the
matrix changes it: opening, closing, ordering and votes are refused with a message) with the
stranger's application on its agenda. The matrix's ``committee`` holds a GLOBAL committee role
and is a member of no session: "My sessions" lists none for it and every session page is a 404,
as a missing one; the staff of the call manage the session; other roles have no committee page
(403).
"""

from .rules import (
    ADMIN_LOGIN,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    UNAUTHORIZED,
    Route,
    expect,
)

STAFF_ROLES = ("staff", "admin", "call_staff")


def _staff(outcome, committee=FORBIDDEN):
    """The staff of the sample's call get ``outcome``; the global committee role ``committee``."""
    return expect(
        anonymous=LOGIN,
        **dict.fromkeys(STAFF_ROLES, outcome),
        committee=committee,
        others=FORBIDDEN,
    )


#: Pages of members and staff: the global committee role passes the door, then gets a 404.
READERS = _staff(OK, committee=NOT_FOUND)


def _session(world):
    from filiere.committee.models import AgendaItem, Session
    from tests.calls.instruction_factories import ApplicationFactory
    from tests.factories import user_with_role

    def make():
        session = Session.objects.create(
            call=world.staff_call,
            title="Matrix session",
            meets_at="2030-01-01T10:00:00Z",
            quorum=1,
            status="closed",
            created_by=user_with_role("staff"),
        )
        application = ApplicationFactory(
            call=world.staff_call, lead=world.stranger, state="committee"
        )
        AgendaItem.objects.create(session=session, application=application)
        return session

    return world.once("committee:sessions:session", make)


def _other_session(world):
    """A session of another call: not for the staff of ``World.staff_call``."""
    from filiere.committee.models import Session
    from tests.calls.instruction_factories import CallFactory
    from tests.factories import user_with_role

    return world.once(
        "committee:sessions:other",
        lambda: Session.objects.create(
            call=CallFactory(),
            title="Elsewhere",
            meets_at="2030-01-01T10:00:00Z",
            created_by=user_with_role("staff"),
        ),
    )


def _item(world):
    return _session(world).items.get()


def _in_session(world):
    return {"pk": _session(world).pk}


def _on_item(world):
    return {"pk": _session(world).pk, "item": _item(world).pk}


SESSIONS_PAGES = {
    "committee:my_sessions": Route(
        expect(anonymous=LOGIN, committee=OK, **dict.fromkeys(STAFF_ROLES, OK), others=FORBIDDEN),
        note="the global committee role gets an empty list",
    ),
    "committee:session_create": [
        Route(_staff(OK), note="the calls the staff member instructs"),
        Route(_staff(OK), method="POST", data={}, note="an empty form: the page again"),
    ],
    "committee:session": [
        Route(READERS, kwargs=_in_session, note="a session of the call of call_staff"),
        Route(
            expect(
                anonymous=LOGIN,
                staff=OK,
                admin=OK,
                call_staff=NOT_FOUND,
                committee=NOT_FOUND,
                others=FORBIDDEN,
            ),
            kwargs=lambda w: {"pk": _other_session(w).pk},
            note="a session of another call: 404 for the staff of the first call",
        ),
    ],
    "committee:member_add": Route(
        _staff(OK),
        method="POST",
        kwargs=_in_session,
        data={"email": ""},
        note="no address: the page again with the message, nobody added",
    ),
    "committee:member_remove": Route(
        _staff(NOT_FOUND),
        method="POST",
        kwargs=lambda w: {"pk": _session(w).pk, "member": 999999},
        data={"reason": "matrix"},
        note="no such member of the session: 404 once the staff door is passed",
    ),
    "committee:agenda_add": Route(
        _staff(OK),
        method="POST",
        kwargs=_in_session,
        data={},
        note="nothing chosen: the page again with the message",
    ),
    "committee:agenda_order": Route(
        _staff(REDIRECT),
        method="POST",
        kwargs=_in_session,
        note="a closed session: back to its page with the message, nothing changed",
    ),
    "committee:agenda_remove": Route(
        _staff(NOT_FOUND),
        method="POST",
        kwargs=lambda w: {"pk": _session(w).pk, "item": 999999},
        note="no such item of the session: 404 once the staff door is passed",
    ),
    "committee:session_open": Route(
        _staff(REDIRECT),
        method="POST",
        kwargs=_in_session,
        note="a closed session does not open again: back with the message",
    ),
    "committee:session_close": Route(
        _staff(REDIRECT),
        method="POST",
        kwargs=_in_session,
        note="already closed: back with the message",
    ),
    "committee:agenda": Route(READERS, kwargs=_in_session),
    "committee:item": Route(READERS, kwargs=_on_item, note="the stranger's application"),
    "committee:item_vote": Route(
        _staff(REDIRECT, committee=NOT_FOUND),
        method="POST",
        kwargs=_on_item,
        data={"choice": "fund"},
        note="the staff do not vote: back to the item with the message, no vote",
    ),
    "committee:item_notes": Route(
        READERS,
        method="POST",
        kwargs=_on_item,
        note="an empty form: the item page again, nothing saved",
    ),
}

# The Django admin shows the committee's data read-only: every change goes through a service.
READ_ONLY_ADMIN = expect(admin=FORBIDDEN, others=ADMIN_LOGIN)
for _model in ("session", "sessionmember", "agendaitem", "vote", "scenario", "decision", "letter"):
    SESSIONS_PAGES[f"admin:committee_{_model}_add"] = Route(READ_ONLY_ADMIN, optional=True)
    SESSIONS_PAGES[f"admin:committee_{_model}_delete"] = Route(
        READ_ONLY_ADMIN, kwargs={"object_id": 1}, optional=True, note="refused before any lookup"
    )


SESSIONS_API: dict[str, Route | list[Route]] = {
    "GET /api/v1/committee/sessions": Route(
        expect(
            anonymous=UNAUTHORIZED,
            committee=OK,
            **dict.fromkeys(STAFF_ROLES, OK),
            others=FORBIDDEN,
        ),
        note="the caller's sessions (none for a global committee role)",
    ),
    "GET /api/v1/committee/sessions/{session_id}/agenda": Route(
        expect(
            anonymous=UNAUTHORIZED,
            committee=NOT_FOUND,
            **dict.fromkeys(STAFF_ROLES, OK),
            others=FORBIDDEN,
        ),
        kwargs=lambda w: {"session_id": _session(w).pk},
    ),
    "POST /api/v1/committee/sessions/{session_id}/items/{item_id}/vote": Route(
        expect(anonymous=UNAUTHORIZED, committee=NOT_FOUND, others=FORBIDDEN),
        kwargs=lambda w: {"session_id": _session(w).pk, "item_id": _item(w).pk},
        note="the staff read the agenda but do not vote (403); not a member: 404",
    ),
}
