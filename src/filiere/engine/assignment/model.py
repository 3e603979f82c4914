"""Inputs and outputs of reviewer assignment: frozen dataclasses over plain numpy arrays."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Mode = Literal["optimal", "fair"]
Status = Literal["optimal", "feasible", "infeasible"]
IssueValue = int | float | str | tuple[str, ...]

__all__ = [
    "AffinityMatrix",
    "AssignedPair",
    "AssignmentRequest",
    "AssignmentResult",
    "Issue",
    "Mode",
    "Status",
]


@dataclass(frozen=True, eq=False)
class AffinityMatrix:
    """A sparse (proposal, expert) → score table: only the pairs listed here may be assigned.

    ``proposal_index[k]`` and ``expert_index[k]`` point into ``proposal_ids`` / ``expert_ids``;
    ``scores[k]`` is the pair's affinity. Every proposal and every expert listed takes part in the
    assignment, even one without any pair (a proposal then cannot get its reviews, an expert
    cannot reach a minimum load: both are diagnosed).
    """

    proposal_ids: tuple[str, ...]
    expert_ids: tuple[str, ...]
    proposal_index: NDArray[np.int64]
    expert_index: NDArray[np.int64]
    scores: NDArray[np.float64]

    def __post_init__(self) -> None:
        n = self.scores.shape[0]
        if self.proposal_index.shape != (n,) or self.expert_index.shape != (n,):
            raise ValueError("proposal_index, expert_index and scores must have the same length")
        if len(set(self.proposal_ids)) != len(self.proposal_ids):
            raise ValueError("proposal_ids must be unique")
        if len(set(self.expert_ids)) != len(self.expert_ids):
            raise ValueError("expert_ids must be unique")
        if n:
            if self.proposal_index.min() < 0 or self.proposal_index.max() >= len(self.proposal_ids):
                raise ValueError("proposal_index out of range")
            if self.expert_index.min() < 0 or self.expert_index.max() >= len(self.expert_ids):
                raise ValueError("expert_index out of range")
            if not np.all(np.isfinite(self.scores)):
                raise ValueError("scores must be finite")

    @property
    def size(self) -> int:
        return int(self.scores.shape[0])

    @classmethod
    def from_pairs(
        cls,
        pairs: Iterable[tuple[str, str, float]],
        *,
        proposal_ids: Sequence[str] = (),
        expert_ids: Sequence[str] = (),
    ) -> AffinityMatrix:
        """Build from (proposal_id, expert_id, score) triples; ids are indexed in first-seen order.

        ``proposal_ids`` / ``expert_ids`` may list extra participants without any pair.
        """
        proposals: dict[str, int] = {pid: i for i, pid in enumerate(dict.fromkeys(proposal_ids))}
        experts: dict[str, int] = {eid: i for i, eid in enumerate(dict.fromkeys(expert_ids))}
        p_index: list[int] = []
        e_index: list[int] = []
        values: list[float] = []
        for pid, eid, score in pairs:
            p_index.append(proposals.setdefault(pid, len(proposals)))
            e_index.append(experts.setdefault(eid, len(experts)))
            values.append(float(score))
        matrix = cls(
            tuple(proposals),
            tuple(experts),
            np.asarray(p_index, dtype=np.int64),
            np.asarray(e_index, dtype=np.int64),
            np.asarray(values, dtype=np.float64),
        )
        keys = matrix.proposal_index * max(len(experts), 1) + matrix.expert_index
        if np.unique(keys).shape[0] != keys.shape[0]:
            raise ValueError("a (proposal, expert) pair is listed twice")
        return matrix

    @classmethod
    def from_dense(
        cls,
        proposal_ids: Sequence[str],
        expert_ids: Sequence[str],
        scores: NDArray[np.float64],
    ) -> AffinityMatrix:
        """Every pair of a dense (proposals × experts) matrix; NaN entries are left out."""
        matrix = np.asarray(scores, dtype=np.float64)
        if matrix.shape != (len(proposal_ids), len(expert_ids)):
            raise ValueError("scores must have shape (len(proposal_ids), len(expert_ids))")
        p_index, e_index = np.nonzero(~np.isnan(matrix))
        return cls(
            tuple(proposal_ids),
            tuple(expert_ids),
            p_index.astype(np.int64),
            e_index.astype(np.int64),
            matrix[p_index, e_index],
        )


@dataclass(frozen=True, eq=False)
class AssignmentRequest:
    """What to assign and under which rules.

    * ``reviews``: experts per proposal; ``reviews_for`` overrides it per proposal id.
    * ``min_load`` / ``max_load``: proposals per expert; ``loads_for`` overrides per expert id
      with a (minimum, maximum) pair.
    * ``conflicts``: (proposal_id, expert_id) pairs that may never be assigned.
    * ``forced``: pairs that must be assigned (they must be in the affinity table).
    * ``existing``: pairs of a previous run; each one dropped costs ``churn_penalty`` affinity
      points, so a re-run after a withdrawal or a dropped expert moves as little as it must.
    * ``mode``: "optimal" maximises total affinity; "fair" first maximises the total affinity of
      the worst-off proposal, then the total affinity among the assignments reaching it.
    * ``time_limit``: seconds for each of fair mode's two integer programs.
    * ``fair_candidates``: in fair mode, keep only each proposal's best N eligible experts (plus
      the optimal assignment's pairs) once the instance has more than ``fair_full_limit`` pairs.
    """

    affinity: AffinityMatrix
    reviews: int = 3
    min_load: int = 0
    max_load: int = 6
    reviews_for: Mapping[str, int] = field(default_factory=dict)
    loads_for: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    conflicts: frozenset[tuple[str, str]] = frozenset()
    forced: frozenset[tuple[str, str]] = frozenset()
    existing: frozenset[tuple[str, str]] = frozenset()
    churn_penalty: float = 0.0
    mode: Mode = "optimal"
    time_limit: float = 60.0
    fair_candidates: int | None = None
    fair_full_limit: int = 100_000


@dataclass(frozen=True)
class AssignedPair:
    proposal_id: str
    expert_id: str
    score: float
    forced: bool = False


@dataclass(frozen=True)
class Issue:
    """One reason for infeasibility, a code with parameters (translated at the edge)."""

    code: str
    params: Mapping[str, IssueValue] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            **{k: list(v) if isinstance(v, tuple) else v for k, v in self.params.items()},
        }


@dataclass(frozen=True)
class AssignmentResult:
    """The assignment found, or the diagnosis of why none exists.

    ``status``: "optimal" (proven), "feasible" (fair mode stopped by its time limit before the
    proof) or "infeasible" (``pairs`` is empty and ``diagnosis`` says why).
    ``rounding_bound``: how far, at most, ``total_affinity`` (plus churn bonuses) may be from the
    true optimum because scores were scaled to integers; 0.0 when the scaling was exact (scores
    with at most 9 decimals, as in every CSV file).
    ``details``: figures about the solve (scale, arcs, fair mode's bounds and stages).
    """

    status: Status
    mode: Mode
    pairs: tuple[AssignedPair, ...]
    total_affinity: float
    min_proposal_affinity: float
    seconds: float
    diagnosis: tuple[Issue, ...] = ()
    kept: int = 0
    dropped: int = 0
    rounding_bound: float = 0.0
    details: Mapping[str, int | float | str | bool] = field(default_factory=dict)
