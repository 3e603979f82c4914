"""Reviewer assignment: who reviews what (optimal or fair), with a diagnosis when impossible.

``assign(AssignmentRequest(...)) -> AssignmentResult``. Optimal mode is one exact min-cost flow
(``network``); fair mode adds two integer programs (``fair``); infeasible instances are explained
by ``diagnosis``. See docs/engine/assignment.md.
"""

from filiere.engine.assignment.model import (
    AffinityMatrix,
    AssignedPair,
    AssignmentRequest,
    AssignmentResult,
    Issue,
    Mode,
    Status,
)
from filiere.engine.assignment.solver import assign

__all__ = [
    "AffinityMatrix",
    "AssignedPair",
    "AssignmentRequest",
    "AssignmentResult",
    "Issue",
    "Mode",
    "Status",
    "assign",
]
