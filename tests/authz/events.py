"""Authorization matrix entries of the events app (pages and API).

The sample event is a published partner day with one-to-one meetings, two slots and a
computed schedule. The matrix's ``member`` is one of its registered participants (with a
pending request from ``stranger``, another participant): the meetings' pages and the agenda
answer it, and 404 to everyone else, whatever their role (a participant's pages are never the
staff's). The staff's pages: global staff and administrators; a staff grant scoped to a call
(``call_staff``) is not enough (403).
"""

from .rules import (
    ADMIN_LOGIN,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    UNAUTHORIZED,
    Outcome,
    Route,
    expect,
)

PUBLIC = expect(everyone=OK)
SIGNED_IN = expect(anonymous=LOGIN, others=OK)
SIGNED_IN_POSTS = expect(anonymous=LOGIN, others=REDIRECT)
PARTICIPANT = expect(anonymous=LOGIN, member=OK, others=NOT_FOUND)
PARTICIPANT_POSTS = expect(anonymous=LOGIN, member=REDIRECT, others=NOT_FOUND)
STAFF = expect(anonymous=LOGIN, staff=OK, admin=OK, others=FORBIDDEN)
STAFF_POSTS = expect(anonymous=LOGIN, staff=REDIRECT, admin=REDIRECT, others=FORBIDDEN)

BAD_REQUEST = Outcome(400, label="400")
CREATED = Outcome(201, label="201")
NO_CONTENT = Outcome(204, label="204")
API_PUBLIC = expect(everyone=OK)
API_PARTICIPANT = expect(anonymous=UNAUTHORIZED, member=OK, others=NOT_FOUND)


def _sample(world):
    def make():
        from filiere.events.services_schedule import execute_schedule, request_schedule
        from tests.accounts.factories import UserFactory
        from tests.events.factories import accepted, event, registered, staff

        day = event(meetings=True, slots=2, tables=2)
        member = world.users["member"]
        registered(day, member)
        registered(day, world.stranger)
        third = UserFactory()
        registered(day, third)
        accepted(day, member, third)
        from filiere.events.models import MeetingRequest

        pending = MeetingRequest.objects.create(event=day, sender=world.stranger, recipient=member)
        run = request_schedule(event=day, by=staff())
        execute_schedule(run_id=run.pk)
        return day, pending, run

    return world.once("events:sample", make)


def _pk(world):
    return {"pk": _sample(world)[0].pk}


def _key(world):
    from filiere.events.services import calendar_key

    return {"token": world.once("events:key", lambda: calendar_key(user=world.stranger))}


def _registration(world):
    day = _sample(world)[0]
    return {"pk": day.pk, "registration": day.registrations.order_by("pk").first().pk}


EVENTS_PAGES = {
    "events:list": Route(PUBLIC),
    "events:past": Route(PUBLIC),
    "events:detail": Route(PUBLIC, kwargs=_pk, note="a published event"),
    "events:ics": Route(PUBLIC, kwargs=_pk),
    "events:mine": Route(SIGNED_IN),
    "events:calendar_key": Route(
        SIGNED_IN_POSTS, method="POST", note="makes the caller's own private calendar address"
    ),
    "events:private_calendar": [
        Route(PUBLIC, kwargs=_key, note="the key is the credential (calendar programs)"),
        Route(expect(everyone=NOT_FOUND), kwargs={"token": "not-a-key"}, note="wrong key"),
    ],
    "events:register": Route(
        SIGNED_IN_POSTS, method="POST", kwargs=_pk, note="registers the caller; audited"
    ),
    "events:cancel": Route(
        SIGNED_IN_POSTS,
        method="POST",
        kwargs=_pk,
        note="the caller's own registration (a message when there is none)",
    ),
    "events:meetings": Route(PARTICIPANT, kwargs=_pk, note="registered participants only"),
    "events:request_meeting": Route(
        expect(anonymous=LOGIN, member=BAD_REQUEST, others=NOT_FOUND),
        method="POST",
        kwargs=_pk,
        data={"recipient": "0", "message": "hello"},
        note="not a participant: the form again with its message (the member); else 404",
    ),
    "events:answer_request": Route(
        PARTICIPANT_POSTS,
        method="POST",
        kwargs=lambda w: {"pk": _sample(w)[0].pk, "request_id": _sample(w)[1].pk},
        data={"decision": "decline"},
        note="the request's recipient; audited",
    ),
    "events:unavailability": Route(
        PARTICIPANT_POSTS, method="POST", kwargs=_pk, data={}, note="the caller's own slots"
    ),
    "events:agenda": Route(PARTICIPANT, kwargs=_pk, note="the caller's own agenda only"),
    "events:agenda_pdf": Route(PARTICIPANT, kwargs=_pk),
    "events:agenda_ics": Route(PARTICIPANT, kwargs=_pk),
    "events:staff_list": Route(STAFF),
    "events:create": Route(STAFF),
    "events:edit": Route(STAFF, kwargs=_pk),
    "events:participants": Route(STAFF, kwargs=_pk),
    "events:participants_csv": Route(STAFF, kwargs=_pk),
    "events:check_in_list": Route(STAFF, kwargs=_pk),
    "events:check_in": Route(STAFF_POSTS, method="POST", kwargs=_registration, note="audited"),
    "events:schedule": Route(STAFF, kwargs=_pk),
    "events:schedule_run": Route(
        STAFF_POSTS, method="POST", kwargs=_pk, note="queues a run, then its progress; audited"
    ),
    "events:schedule_progress": Route(
        STAFF, kwargs=lambda w: {"pk": _sample(w)[0].pk, "run": _sample(w)[2].pk}
    ),
}


def _open_day(world):
    from tests.events.factories import event

    return {"event_id": world.once("events:open", lambda: event(title_fr="Ouvert")).pk}


def _event_id(world):
    return {"event_id": _sample(world)[0].pk}


def _request_ids(world):
    day, pending, _run = _sample(world)
    return {"event_id": day.pk, "request_id": pending.pk}


CONFLICT = Outcome(409, label="409")
UNPROCESSABLE = Outcome(422, label="422")
API_PARTICIPANT_POST = expect(anonymous=UNAUTHORIZED, member=OK, others=NOT_FOUND)
BASE = "/api/v1/events"

EVENTS_API: dict[str, Route | list[Route]] = {
    f"GET {BASE}": Route(API_PUBLIC),
    f"GET {BASE}/{{event_id}}": Route(API_PUBLIC, kwargs=_event_id),
    f"POST {BASE}/{{event_id}}/registration": Route(
        expect(anonymous=UNAUTHORIZED, others=CREATED),
        kwargs=_open_day,
        note="each caller registers (no capacity)",
    ),
    f"DELETE {BASE}/{{event_id}}/registration": Route(
        expect(anonymous=UNAUTHORIZED, member=OK, others=CONFLICT),
        kwargs=_event_id,
        note="the caller's own registration: 409 when there is none",
    ),
    f"GET {BASE}/{{event_id}}/participants": Route(API_PARTICIPANT, kwargs=_event_id),
    f"GET {BASE}/{{event_id}}/agenda": Route(API_PARTICIPANT, kwargs=_event_id),
    f"GET {BASE}/{{event_id}}/meeting-requests": Route(API_PARTICIPANT, kwargs=_event_id),
    f"POST {BASE}/{{event_id}}/meeting-requests": Route(
        expect(anonymous=UNAUTHORIZED, member=UNPROCESSABLE, others=NOT_FOUND),
        kwargs=_event_id,
        note="no body: 422 for a participant; 404 before the body for anyone else",
    ),
    f"POST {BASE}/{{event_id}}/meeting-requests/{{request_id}}/accept": Route(
        API_PARTICIPANT_POST, kwargs=_request_ids, note="the person asked; audited"
    ),
    f"POST {BASE}/{{event_id}}/meeting-requests/{{request_id}}/decline": Route(
        API_PARTICIPANT_POST, kwargs=_request_ids, note="the person asked; audited"
    ),
}


# The Django admin shows events, registrations, meeting requests and the schedule read-only:
# every change goes through an audited service.
READ_ONLY_ADMIN = expect(admin=FORBIDDEN, others=ADMIN_LOGIN)
for _model in ("event", "registration", "meetingrequest", "schedulerun", "meeting"):
    EVENTS_PAGES[f"admin:events_{_model}_add"] = Route(READ_ONLY_ADMIN)
    EVENTS_PAGES[f"admin:events_{_model}_delete"] = Route(
        READ_ONLY_ADMIN, kwargs={"object_id": 1}, note="refused before any lookup"
    )
