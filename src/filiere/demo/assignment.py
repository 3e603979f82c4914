"""The demo's published assignment of the 2009 call: who reviews what.

Run by ``manage.py demo_applications`` (so by ``manage.py demo`` too) after the pool
(``demo.pool``), through the review services as the staff would, without a worker: the demo
staff start a run (optimal, 3 reviews per application, over the submitted, eligible and
under-review files), the engine computes it at once (``execute_assignment_run``), the staff
publish it; then the demo expert accepts the first half of their assignments and leaves the rest
waiting for an answer. Running it again replaces the call's runs and pairs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from filiere.accounts.models import User
from filiere.calls.models import Call
from filiere.errors import ServiceError
from filiere.review import selectors_assignment, services_assignment
from filiere.review.models import Assignment, AssignmentMode, AssignmentRun, PairResponse

from .accounts import DEMO_EXPERT_EMAIL, DEMO_STAFF_EMAIL

#: Reviews per application asked in the demo's run.
REVIEWS = 3


@dataclass
class DemoAssignmentResult:
    outcome: str = ""  # the engine's: "optimal", "feasible", "infeasible" ("" without staff)
    published: int = 0
    expert_accepted: int = 0  # the demo expert's answers
    expert_pending: int = 0


def seed_demo_assignment(call: Call) -> DemoAssignmentResult:
    """Run, publish and partly answer the assignment of ``call`` (see the module's text)."""
    staff = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if staff is None:
        return DemoAssignmentResult()
    with transaction.atomic():
        Assignment.objects.filter(application__call=call).delete()
        AssignmentRun.objects.filter(call=call).delete()
        run = services_assignment.start_assignment_run(
            call=call, by=staff, mode=AssignmentMode.OPTIMAL, reviews=REVIEWS
        )
        services_assignment.execute_assignment_run(run_id=run.pk)
        run.refresh_from_db()
        result = DemoAssignmentResult(outcome=run.outcome)
        try:
            result.published = services_assignment.publish_assignments(call=call, by=staff)
        except ServiceError:  # the engine placed no pair
            return result
        expert = User.objects.filter(email=DEMO_EXPERT_EMAIL).first()
        if expert is None:
            return result
        mine = [
            a
            for a in selectors_assignment.my_assignments(expert)
            if a.application.call_id == call.pk
        ]
        for pair in mine[: len(mine) // 2]:
            services_assignment.answer_assignment(assignment=pair, by=expert, accept=True)
        result.expert_accepted = len(mine) // 2
        result.expert_pending = sum(
            1
            for a in selectors_assignment.my_assignments(expert)
            if a.application.call_id == call.pk and a.response == PairResponse.PENDING
        )
    return result
