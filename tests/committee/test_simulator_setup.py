"""Test data (no tests here): a session with four scored applications for the simulator's tests.

Four applications of 50 000 € each, read by the same two experts (so calibration keeps their
order): A 90 and B 80 are serious games of one studio, C 70 and D 60 web documentaries of two
others, C's studio in Wallonia. Under a 100 000 € envelope the ranked list funds A and B.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from filiere.accounts.models import User
from filiere.calls.models import Application, Genre
from filiere.committee.models import Scenario, Session
from filiere.committee.services_simulator import request_simulation
from tests.committee.factories import call_staff, expert, on_agenda, open_call, reviewed, session
from tests.factories import OrganisationFactory, territory


@dataclass
class Setup:
    session: Session
    staff: User
    a: Application
    b: Application
    c: Application
    d: Application


def scored_session() -> Setup:
    call = open_call()
    experts = [expert(call.fund) for _ in range(2)]
    game = Genre.objects.get(code="serious-game")
    documentary = Genre.objects.get(code="web-documentary")
    studio = OrganisationFactory(name="Studio Nord")
    walloon = OrganisationFactory(name="Studio Liège", territory=territory("wallonia"))
    other = OrganisationFactory(name="Studio Lille")

    def make(total: float, genre: Genre, organisation: object, title: str) -> Application:
        return reviewed(
            call,
            [total, total + 1],
            experts=experts,
            genre=genre,
            organisation=organisation,
            title=title,
        )

    a = make(90, game, studio, "Projet A")
    b = make(80, game, studio, "Projet B")
    c = make(70, documentary, walloon, "Projet C")
    d = make(60, documentary, other, "Projet D")
    meeting = session(call)
    on_agenda(meeting, a, b, c, d)
    return Setup(meeting, call_staff(call), a, b, c, d)


def run(
    capture,
    s: Setup,
    *,
    envelope: str = "100000",
    rules: dict | None = None,
    forced_in: tuple[int, ...] = (),
    forced_out: tuple[int, ...] = (),
) -> Scenario:
    """Request a scenario and let its task run (``capture``:
    ``django_capture_on_commit_callbacks``)."""
    with capture(execute=True):
        scenario = request_simulation(
            session=s.session,
            by=s.staff,
            envelope=Decimal(envelope),
            rules=rules or {},
            forced_in=forced_in,
            forced_out=forced_out,
        )
    scenario.refresh_from_db()
    return scenario


def by_application(scenario: Scenario) -> dict[int, dict]:
    return {row["application"]: row for row in scenario.result["rows"]}
