"""Authorization matrix entries of the committee's envelope simulator.

The sample session belongs to ``World.staff_call`` (so ``call_staff`` runs its simulator like the
staff), with one scored application on its agenda and a finished simulation. The matrix's
``committee`` holds a global committee role but is a member of no session: the simulator's pages
let it past the door (it has committee pages) and then answer 404, as for any session that is
not theirs. Everyone else without a committee page gets 403.
"""

from .rules import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, UNAUTHORIZED, Route, expect

STAFF_OK = {"staff": OK, "admin": OK, "call_staff": OK}
READERS = expect(anonymous=LOGIN, committee=NOT_FOUND, **STAFF_OK, others=FORBIDDEN)
STAFF_ONLY = expect(anonymous=LOGIN, others=FORBIDDEN, **STAFF_OK)
STAFF_POSTS = expect(
    anonymous=LOGIN, others=FORBIDDEN, staff=REDIRECT, admin=REDIRECT, call_staff=REDIRECT
)


def _session(world):
    def make():
        from decimal import Decimal

        from filiere.committee.models import Scenario
        from filiere.committee.services_simulator import execute_scenario
        from tests.committee.factories import on_agenda, reviewed, session

        call = world.staff_call
        meeting = session(call)
        on_agenda(meeting, reviewed(call, [70, 72]))
        scenario = Scenario.objects.create(
            session=meeting, envelope=Decimal("100000"), created_by=meeting.created_by
        )
        execute_scenario(scenario_id=scenario.pk)
        return meeting, scenario

    return world.once("committee:simulator", make)


def _pk(world):
    return {"pk": _session(world)[0].pk}


def _scenario(world):
    meeting, scenario = _session(world)
    return {"pk": meeting.pk, "scenario": scenario.pk}


def _form(world):
    return {
        "envelope": "100000",
        "objective": "merit",
        "partial_floor": "50",
        "quota-TOTAL_FORMS": "0",
        "quota-INITIAL_FORMS": "0",
        "cofunder-TOTAL_FORMS": "0",
        "cofunder-INITIAL_FORMS": "0",
    }


SIMULATOR_PAGES = {
    "committee:simulator": Route(
        READERS,
        kwargs=_pk,
        note="staff of the call: the form; the session's members: the latest result",
    ),
    "committee:simulator_run": Route(
        STAFF_POSTS,
        method="POST",
        kwargs=_pk,
        data=_form,
        note="queues a simulation, then its progress page; audited",
    ),
    "committee:simulator_scenario": Route(STAFF_ONLY, kwargs=_scenario),
    "committee:simulator_what_if": Route(
        STAFF_POSTS,
        method="POST",
        kwargs=_scenario,
        data={"envelope": "90000"},
        note="the scenario's rules again with another envelope or forced applications",
    ),
}

SIMULATOR_API = {
    "GET /api/v1/committee/sessions/{session_id}/simulation": Route(
        expect(
            anonymous=UNAUTHORIZED,
            committee=NOT_FOUND,
            **STAFF_OK,
            others=FORBIDDEN,
        ),
        kwargs=lambda w: {"session_id": _pk(w)["pk"]},
        note="members of the session too (not the matrix's committee, a member of none)",
    ),
}
