"""Pages of the envelope simulator.

- ``simulator``: the staff of the call get the form (prefilled from a scenario with
  ``?from=<id>``) and the latest scenarios; the session's members read the latest finished
  result, without the form. Applications a reader may not read
  (``access.readable_items``) are never listed.
- ``simulator_run`` (staff, POST): queue a scenario, then its progress page.
- ``simulator_scenario`` (staff): a scenario's progress (polled with htmx) then its result, with
  the "what if" form: another envelope, applications forced in or out.
- ``simulator_what_if`` (staff, POST): the scenario's rules run again with those changes.

Thin adapters: a gatekeeper (``access``), a form, one service or selector.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from filiere.accounts.types import AuthenticatedHttpRequest
from filiere.errors import ServiceError
from filiere.ui.params import as_id

from . import phrases_simulator as phrases
from . import selectors_simulator as selectors
from . import services_simulator as services
from .access import readable_items, session_for_reader, session_for_staff
from .forms_simulator import Simulation, WhatIfForm
from .models import Scenario, Session
from .permissions import committee_required, committee_staff_required, runs_committee


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def _readable(request: AuthenticatedHttpRequest, session: Session) -> selectors.Agenda:
    return selectors.agenda(session, readable_items(request.user, session))


def _staff_page(
    request: AuthenticatedHttpRequest,
    session: Session,
    simulation: Simulation | None = None,
    status: int = 200,
) -> HttpResponse:
    # The form lists only what the reader may read: never their own team's application, nor one
    # they are in conflict with (the run itself takes the whole agenda).
    everything = _readable(request, session)
    if simulation is None:
        start = None
        given = as_id(request.GET.get("from"))
        if given is not None:
            start = selectors.scenario_of(session, given)
        simulation = Simulation(agenda=everything, envelope=session.call.envelope, start=start)
    context = {
        "session": session,
        "simulation": simulation,
        "checked_in": simulation.forced.checked("forced_in"),
        "checked_out": simulation.forced.checked("forced_out"),
        "scenarios": selectors.latest_scenarios(session),
        "latest": selectors.latest_finished(session),
        "unscored": everything.unscored,
    }
    return render(request, "committee/simulator.html", context, status=status)


@committee_required
def simulator(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the session's call (the form) and the session's active members
    # (the latest finished result, read-only); 404 for anyone else (session_for_reader); only
    # the items the reader may read are listed (readable_items)
    session, _membership = session_for_reader(request.user, pk)
    if runs_committee(request.user, session):
        return _staff_page(request, session)
    latest = selectors.latest_finished(session)
    result = selectors.result_of(latest, _readable(request, session)) if latest else None
    return render(request, "committee/simulator_read.html", {"session": session, "result": result})


@committee_staff_required
@require_POST
def simulator_run(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff: 404 otherwise); audited
    session = session_for_staff(request.user, pk)
    simulation = Simulation(
        request.POST, agenda=_readable(request, session), envelope=session.call.envelope
    )
    if simulation.is_valid():
        try:
            scenario = services.request_simulation(
                session=session,
                by=request.user,
                envelope=simulation.envelope,
                rules=simulation.rules(),
                forced_in=simulation.forced_in,
                forced_out=simulation.forced_out,
            )
        except ServiceError as error:
            simulation.add_error(error.field, error.message)
        else:
            return redirect("committee:simulator_scenario", pk=session.pk, scenario=scenario.pk)
    return _staff_page(request, session, simulation, status=400)


def _scenario_page(
    request: AuthenticatedHttpRequest,
    session: Session,
    scenario: Scenario,
    what_if: WhatIfForm | None = None,
    status: int = 200,
) -> HttpResponse:
    template = "committee/simulator_scenario.html"
    if _is_partial(request):
        template += "#progress"
    readable = _readable(request, session)
    context: dict[str, Any] = {
        "session": session,
        "scenario": scenario,
        "finished": scenario.status in (Scenario.Status.DONE, Scenario.Status.FAILED),
        "error": phrases.engine_error(scenario.error) if scenario.error else "",
        "result": selectors.result_of(scenario, readable),
        "what_if": what_if,
    }
    if what_if is None and scenario.status == Scenario.Status.DONE:
        what_if = context["what_if"] = WhatIfForm(
            agenda=readable,
            initial={
                "envelope": scenario.envelope,
                "forced_in": scenario.forced_in,
                "forced_out": scenario.forced_out,
            },
        )
    if what_if is not None:
        context["checked_in"] = what_if.checked("forced_in")
        context["checked_out"] = what_if.checked("forced_out")
    return render(request, template, context, status=status)


@committee_staff_required
def simulator_scenario(request: AuthenticatedHttpRequest, pk: int, scenario: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff); a scenario of this session
    # only (404 for another session's)
    session = session_for_staff(request.user, pk)
    return _scenario_page(request, session, selectors.scenario_of(session, scenario))


@committee_staff_required
@require_POST
def simulator_what_if(request: AuthenticatedHttpRequest, pk: int, scenario: int) -> HttpResponse:
    # permission: the staff of the session's call (session_for_staff); a scenario of this
    # session only; audited (as any scenario)
    session = session_for_staff(request.user, pk)
    base = selectors.scenario_of(session, scenario)
    form = WhatIfForm(request.POST, agenda=_readable(request, session))
    if form.is_valid():
        try:
            created = services.request_simulation(
                session=session,
                by=request.user,
                envelope=form.cleaned_data["envelope"],
                rules=base.rules or {},
                forced_in=form.cleaned_data["forced_in"],
                forced_out=form.cleaned_data["forced_out"],
            )
        except ServiceError as error:
            form.add_error(error.field or None, error.message)
        else:
            return redirect("committee:simulator_scenario", pk=session.pk, scenario=created.pk)
    return _scenario_page(request, session, base, what_if=form, status=400)
