"""Background work of the envelope simulator (django-tasks; run ``manage.py db_worker``). Tasks
are thin: each runs one service; ``services_simulator.request_simulation`` publishes
:class:`ScenarioRequested` and the handler here enqueues the run once the transaction has
committed."""

from __future__ import annotations

from django_tasks import task

from filiere.calls import events

from .services_simulator import ScenarioRequested, execute_scenario


@task()
def run_scenario(scenario_id: int) -> str:
    return execute_scenario(scenario_id=scenario_id)


@events.handles(ScenarioRequested)
def _run_scenario(event: ScenarioRequested) -> None:
    run_scenario.enqueue(event.scenario_id)
