"""Authorization matrix entries of the committee's decisions and letters.

Samples live in ``World.staff_call``: an application of the stranger before the committee, on
the agenda of a session of that call; a decision proposed on it by a staff member, and a
confirmed decision (with its letter in the outbox) on a second application of the stranger.
The matrix's ``committee`` holds a committee role but instructs no call: the staff pages refuse
it (403) and the letter is a 404 for it, as for everyone who is neither the call's staff nor
(once sent) the application's team.
"""

from .rules import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, UNAUTHORIZED, Route, expect

CALL_STAFF_ONLY = expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=FORBIDDEN)
CALL_STAFF_REDIRECT = expect(
    anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, call_staff=REDIRECT, others=FORBIDDEN
)


def _application(world, name):
    from tests.calls.instruction_factories import ApplicationFactory

    return world.once(
        f"committee:decisions:{name}",
        lambda: ApplicationFactory(call=world.staff_call, lead=world.stranger, state="committee"),
    )


def _session(world):
    from filiere.committee.models import AgendaItem, Session
    from tests.factories import user_with_role

    def make():
        session = Session.objects.create(
            call=world.staff_call,
            title="Matrix",
            meets_at="2030-01-01T10:00:00Z",
            quorum=1,
            status="open",
            created_by=user_with_role("staff"),
        )
        AgendaItem.objects.create(session=session, application=_application(world, "agenda"))
        return session

    return world.once("committee:decisions:session", make)


def _proposed(world):
    from filiere.committee.models import Decision
    from tests.factories import user_with_role

    return world.once(
        "committee:decisions:proposed",
        lambda: Decision.objects.create(
            application=_application(world, "agenda"),
            session=_session(world),
            outcome="award",
            amount=1000,
            proposed_by=user_with_role("staff"),
        ),
    )


def _letter(world):
    from filiere.committee.models import Decision, Letter
    from tests.factories import user_with_role

    def make():
        signer = user_with_role("staff")
        decision = Decision.objects.create(
            application=_application(world, "decided"),
            outcome="award",
            amount=1000,
            status="confirmed",
            proposed_by=signer,
            confirmed_by=signer,
        )
        return Letter.objects.create(decision=decision, language="fr", feedback=["Reviewer A: ok"])

    return world.once("committee:decisions:letter", make)


COMMITTEE_DECISIONS_PAGES = {
    "committee:decide": Route(
        CALL_STAFF_ONLY,
        kwargs=lambda w: {
            "session_pk": _session(w).pk,
            "application_pk": _application(w, "agenda").pk,
        },
        note="the form; the committee role alone instructs no call",
    ),
    "committee:decisions": Route(CALL_STAFF_ONLY, kwargs=lambda w: {"pk": _session(w).pk}),
    "committee:decision_confirm": Route(
        CALL_STAFF_REDIRECT,
        method="POST",
        kwargs=lambda w: {"pk": _proposed(w).pk},
        note="confirmed by the first staff member, refused with a message after: back to the list",
    ),
    "committee:decision_cancel": Route(
        CALL_STAFF_REDIRECT,
        method="POST",
        kwargs=lambda w: {"pk": _proposed(w).pk},
        data={"reason": ""},
        note="without a reason: back to the list with the message, nothing cancelled",
    ),
    "committee:outbox": Route(CALL_STAFF_ONLY, kwargs=lambda w: {"slug": w.staff_call.slug}),
    "committee:outbox_send": Route(
        CALL_STAFF_REDIRECT,
        method="POST",
        kwargs=lambda w: {"slug": w.staff_call.slug},
        note="sends the call's letters (or says the outbox is empty): back to the outbox",
    ),
    "committee:letter_edit": Route(CALL_STAFF_ONLY, kwargs=lambda w: {"pk": _letter(w).pk}),
    "committee:letter_pdf": Route(
        expect(anonymous=LOGIN, staff=OK, admin=OK, call_staff=OK, others=NOT_FOUND),
        kwargs=lambda w: {"pk": _letter(w).pk},
        note="the staff's preview; the team's once sent (tests/committee); 404 for anyone else",
    ),
}

COMMITTEE_DECISIONS_API = {
    "GET /api/v1/applications/{application_id}/decision": Route(
        expect(anonymous=UNAUTHORIZED, staff=OK, admin=OK, call_staff=OK, others=NOT_FOUND),
        kwargs=lambda w: {"application_id": _letter(w).decision.application_id},
        note="the stranger's application: its staff read it; 404 for everyone else",
    ),
}
