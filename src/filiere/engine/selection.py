"""Selection under the envelope: which proposals to fund, exactly, with an explanation each.

The funded set is the optimum of a mixed-integer linear programme solved by HiGHS through
``scipy.optimize.milp``:

* ``x_p`` in {0, 1}: proposal *p* is funded; ``a_p``: its award (``a_p = request_p * x_p``, or,
  with partial awards, ``floor_p * x_p <= a_p <= request_p * x_p``);
* ``sum a_p <= envelope``; with co-funders, ``f_sp >= 0`` is co-funder *s*'s money on an eligible
  proposal *p*: ``sum_s f_sp <= a_p``, ``sum_p f_sp <= envelope_s`` and the rest of the envelope
  (the fund's own share) pays for everything else;
* quotas: for a field (genre, territory, any column) and a value, min/max count and min/max
  amount of the funded proposals having that value; at most N grants per organisation;
  proposals below the minimum score are not candidates (unless staff force them in);
* staff decisions: ``forced_in`` proposals are funded, ``forced_out`` ones are not.

Objectives:

* ``merit``: maximise the sum of the funded proposals' scores (a partial award counts in
  proportion to the share of the request it pays);
* ``merit_amount``: maximise the sum of score x amount (favours large projects);
* ``ranked``: keep the ranked order unless a rule forces a swap, i.e. the lexicographic maximum
  of the funded indicators taken in rank order: fund the first proposal if any feasible set does,
  then the second if still possible, and so on. Solved exactly by a sequence of MILPs that keeps a
  feasible *witness* set: a proposal the witness already funds is fixed in for free; one it does
  not is tested (cheap exact tests first, a MILP otherwise) and fixed in or out for good.

Every run also computes the plain ranked list with a cut-off (fund by decreasing score until the
first proposal that does not fit) and explains each difference by the rule that forced it.
Infeasible rules give status ``infeasible`` and a diagnosis from an elastic programme: the least
relaxation of the rules that makes them feasible, rule by rule.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

FloatArray = npt.NDArray[np.float64]

OBJECTIVES = ("merit", "merit_amount", "ranked")
EPS = 1e-6


class SelectionError(ValueError):
    """Input that cannot be solved at all (not an infeasible rule set): code and parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Proposal:
    """A candidate: ``amount`` is the request; ``attributes`` holds genre, territory, etc."""

    id: str
    score: float
    amount: float
    organisation: str = ""
    attributes: Mapping[str, str] = field(default_factory=dict)
    floor: float | None = None

    def value(self, name: str) -> str | None:
        if name == "organisation":
            return self.organisation
        return self.attributes.get(name)


@dataclass(frozen=True)
class Quota:
    """Bounds on the funded proposals whose ``field`` equals ``value``."""

    field: str
    value: str
    min_count: int | None = None
    max_count: int | None = None
    min_amount: float | None = None
    max_amount: float | None = None

    @property
    def label(self) -> str:
        return f"{self.field}={self.value}"


@dataclass(frozen=True)
class CoFunder:
    """Part of the envelope that may only pay proposals whose ``field`` is in ``values``."""

    name: str
    envelope: float
    field: str
    values: frozenset[str]

    def eligible(self, proposal: Proposal) -> bool:
        return proposal.value(self.field) in self.values


@dataclass(frozen=True)
class Rules:
    quotas: tuple[Quota, ...] = ()
    max_per_organisation: int | None = None
    min_score: float | None = None
    partial_awards: bool = False
    #: Floor of a partial award as a share of the request when a proposal has no own floor.
    partial_floor: float = 0.5
    cofunders: tuple[CoFunder, ...] = ()
    objective: str = "merit"
    time_limit: float = 60.0
    mip_rel_gap: float = 1e-7


@dataclass(frozen=True)
class Decision:
    """One proposal's outcome. ``reason`` is a stable code, ``detail`` its parameter."""

    id: str
    rank: int
    selected: bool
    amount: float
    reason: str
    detail: str = ""
    missing_amount: float | None = None
    baseline_selected: bool = False


@dataclass(frozen=True)
class Change:
    """A difference between the optimum and the plain ranked list, and the rule behind it."""

    id: str
    rank: int
    change: str  # "added" or "dropped"
    forced_by: str
    detail: str = ""


@dataclass(frozen=True)
class Diagnosis:
    """A rule that must be relaxed by ``shortfall`` for the rule set to become feasible."""

    code: str
    rule: str
    limit: float
    achievable: float
    shortfall: float


@dataclass(frozen=True)
class Baseline:
    selected: tuple[str, ...]
    total_amount: float
    merit: float
    cutoff_rank: int | None
    violations: tuple[str, ...]


@dataclass(frozen=True)
class SelectionResult:
    status: str  # optimal | time_limit | infeasible
    objective: str
    objective_value: float | None
    gap: float | None
    envelope: float
    total_amount: float
    merit: float
    decisions: tuple[Decision, ...]
    baseline: Baseline
    changes: tuple[Change, ...]
    diagnosis: tuple[Diagnosis, ...] = ()
    solves: int = 0
    seconds: float = 0.0

    def selected_ids(self) -> frozenset[str]:
        return frozenset(d.id for d in self.decisions if d.selected)


# --------------------------------------------------------------------------- the model


@dataclass
class _Row:
    code: str  # budget | cofunder | main_share | quota_count | quota_amount | organisation | ...
    rule: str
    lower: float
    upper: float


class _Model:
    """Variables: x (candidates), a (awards, if partial), f (co-funder flows); rows as sparse."""

    def __init__(
        self,
        cands: Sequence[Proposal],
        envelope: float,
        rules: Rules,
        scale: float,
    ) -> None:
        self.cands = cands
        self.rules = rules
        self.scale = scale
        n = len(cands)
        self.n = n
        self.request = np.array([p.amount for p in cands]) / scale
        self.floor = np.array([_floor(p, rules) for p in cands]) / scale
        self.partial = rules.partial_awards
        self.n_a = n if self.partial else 0
        pairs = [
            (s, i)
            for s, funder in enumerate(rules.cofunders)
            for i, p in enumerate(cands)
            if funder.eligible(p)
        ]
        self.pairs = pairs
        self.n_vars = n + self.n_a + len(pairs)
        rows_i: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        self.rows: list[_Row] = []
        self.group_index: list[npt.NDArray[np.int64]] = []

        def add_row(entries: Iterable[tuple[int, float]], row: _Row) -> None:
            k = len(self.rows)
            for c, v in entries:
                rows_i.append(k)
                cols.append(c)
                vals.append(v)
            self.rows.append(row)

        inf = math.inf
        members = range(n)
        add_row(self.amount_terms(members), _Row("budget", "envelope", -inf, envelope / scale))
        if rules.cofunders:
            by_p: dict[int, list[int]] = defaultdict(list)
            by_s: dict[int, list[int]] = defaultdict(list)
            for k, (s, i) in enumerate(pairs):
                by_p[i].append(n + self.n_a + k)
                by_s[s].append(n + self.n_a + k)
            for i, fcols in by_p.items():
                entries = [(c, 1.0) for c in fcols] + [(c, -v) for c, v in self.amount_terms([i])]
                add_row(entries, _Row("flow", cands[i].id, -inf, 0.0))
            main = envelope - sum(f.envelope for f in rules.cofunders)
            entries = list(self.amount_terms(members)) + [
                (n + self.n_a + k, -1.0) for k in range(len(pairs))
            ]
            add_row(entries, _Row("main_share", "main share", -inf, main / scale))
            for s, funder in enumerate(rules.cofunders):
                add_row(
                    [(c, 1.0) for c in by_s.get(s, [])],
                    _Row("cofunder", funder.name, -inf, funder.envelope / scale),
                )
        if self.partial:
            for i in range(n):
                add_row([(i, self.floor[i]), (n + i, -1.0)], _Row("link", cands[i].id, -inf, 0))
                add_row([(n + i, 1.0), (i, -self.request[i])], _Row("link", cands[i].id, -inf, 0))
        for q in rules.quotas:
            idx = [i for i, p in enumerate(cands) if p.value(q.field) == q.value]
            self.group_index.append(np.array(idx, dtype=np.int64))
            if q.min_count is not None or q.max_count is not None:
                lo = -inf if q.min_count is None else float(q.min_count)
                hi = inf if q.max_count is None else float(q.max_count)
                add_row([(i, 1.0) for i in idx], _Row("quota_count", q.label, lo, hi))
            if q.min_amount is not None or q.max_amount is not None:
                lo = -inf if q.min_amount is None else q.min_amount / scale
                hi = inf if q.max_amount is None else q.max_amount / scale
                add_row(self.amount_terms(idx), _Row("quota_amount", q.label, lo, hi))
        if rules.max_per_organisation is not None:
            orgs: dict[str, list[int]] = defaultdict(list)
            for i, p in enumerate(cands):
                orgs[p.organisation].append(i)
            for org, idx in orgs.items():
                if len(idx) > rules.max_per_organisation:
                    add_row(
                        [(i, 1.0) for i in idx],
                        _Row("organisation", org, -inf, float(rules.max_per_organisation)),
                    )
        self.matrix = sp.csr_matrix((vals, (rows_i, cols)), shape=(len(self.rows), self.n_vars))
        self.lower = np.array([r.lower for r in self.rows])
        self.upper = np.array([r.upper for r in self.rows])

    def amount_terms(self, idx: Iterable[int]) -> list[tuple[int, float]]:
        if self.partial:
            return [(self.n + i, 1.0) for i in idx]
        return [(i, float(self.request[i])) for i in idx]

    def integrality(self) -> FloatArray:
        out = np.zeros(self.n_vars)
        out[: self.n] = 1
        return out

    def bounds(self, fixed: Mapping[int, int]) -> tuple[FloatArray, FloatArray]:
        lb = np.zeros(self.n_vars)
        ub = np.full(self.n_vars, np.inf)
        ub[: self.n] = 1.0
        if self.partial:
            ub[self.n : 2 * self.n] = self.request
        for i, v in fixed.items():
            lb[i] = ub[i] = float(v)
        return lb, ub

    def solve(
        self,
        cost: FloatArray,
        fixed: Mapping[int, int],
        time_limit: float,
        gap: float | None = None,
        *,
        confirm_infeasible: bool = False,
    ) -> tuple[str, FloatArray | None, float | None, float | None]:
        """Maximise cost @ vars; return status, solution, objective, gap.

        ``confirm_infeasible``: an ``infeasible`` answer is checked once more without HiGHS's
        presolve, for a verdict shown to staff (the ranked objective's many trial solves skip it).
        """
        if self.n_vars == 0:  # nothing to choose: the rules hold or not
            holds = bool(np.all(self.lower <= EPS) and np.all(self.upper >= -EPS))
            return ("optimal", np.zeros(0), 0.0, 0.0) if holds else ("infeasible", None, None, None)
        lb, ub = self.bounds(fixed)
        res = _milp(
            -cost,
            self.integrality(),
            (lb, ub),
            (self.matrix, self.lower, self.upper),
            time_limit,
            self.rules.mip_rel_gap if gap is None else gap,
            confirm_infeasible=confirm_infeasible,
        )
        gap = getattr(res, "mip_gap", None)
        if res.status == 0:
            return "optimal", np.asarray(res.x), -float(res.fun), _float(gap)
        if res.status == 1 and res.x is not None:
            return "time_limit", np.asarray(res.x), -float(res.fun), _float(gap)
        if res.status == 2:
            return "infeasible", None, None, None
        if res.status == 1:
            return "time_limit", None, None, None
        return "error", None, None, None

    def amounts(self, solution: FloatArray) -> FloatArray:
        chosen = np.round(solution[: self.n])
        if self.partial:
            return np.asarray(np.clip(solution[self.n : 2 * self.n], 0, None) * chosen)
        return np.asarray(self.request * chosen)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


#: Slack allowed when a solution is checked against the model (HiGHS's own tolerance is 1e-6).
CHECK_TOL = 1e-5


def _milp(
    cost: FloatArray,
    integrality: FloatArray,
    bounds: tuple[FloatArray, FloatArray],
    rows: tuple[sp.csr_matrix, FloatArray, FloatArray],
    time_limit: float,
    gap: float | None,
    *,
    confirm_infeasible: bool = False,
) -> Any:
    """``scipy.optimize.milp`` (HiGHS), run again without presolve when presolve goes wrong.

    HiGHS's MIP presolve sometimes fails on small integer-infeasible models: a quota amount
    that must equal 3,000 out of requests of 2,000, 5,000 and 2,000 ends in "Solve error"
    (status 4) instead of "infeasible", and presolve bugs may also return a point that breaks
    the original rows, or a false "infeasible". The same model without presolve is answered
    correctly, so a failure or a point that does not check out is solved again without it
    (and so is an ``infeasible`` answer when ``confirm_infeasible``)."""
    started = time.perf_counter()
    lb, ub = bounds
    matrix, lower, upper = rows
    constraints = [LinearConstraint(matrix, lower, upper)] if matrix.shape[0] else []

    def run(presolve: bool, limit: float) -> Any:
        options: dict[str, Any] = {"time_limit": max(0.01, limit), "presolve": presolve}
        if gap is not None:
            options["mip_rel_gap"] = gap
        return milp(
            cost,
            integrality=integrality,
            bounds=Bounds(lb, ub),
            constraints=constraints,
            options=options,
        )

    res = run(True, time_limit)
    checks_out = res.x is None or _satisfies(np.asarray(res.x), integrality, bounds, rows)
    retry = res.status not in (0, 1, 2) or not checks_out
    retry = retry or (confirm_infeasible and res.status == 2)
    if not retry:
        return res
    again = run(False, time_limit - (time.perf_counter() - started))
    if again.x is not None and not _satisfies(np.asarray(again.x), integrality, bounds, rows):
        again.status, again.x = 4, None  # never hand on a point that breaks the rules
    if again.status == 1 and again.x is None and res.status == 2:
        return res  # the check ran out of time: keep presolve's verdict
    return again


def _satisfies(
    x: FloatArray,
    integrality: FloatArray,
    bounds: tuple[FloatArray, FloatArray],
    rows: tuple[sp.csr_matrix, FloatArray, FloatArray],
) -> bool:
    """Whether a point returned by the solver keeps every bound, integrality and row."""
    lb, ub = bounds
    matrix, lower, upper = rows

    def tol(limit: FloatArray) -> FloatArray:
        return CHECK_TOL * np.maximum(1.0, np.abs(np.where(np.isfinite(limit), limit, 0.0)))

    ints = integrality > 0
    if np.any(np.abs(x[ints] - np.round(x[ints])) > CHECK_TOL):
        return False
    if np.any(x < lb - tol(lb)) or np.any(x > ub + tol(ub)):
        return False
    activity = matrix @ x
    return bool(np.all(activity >= lower - tol(lower)) and np.all(activity <= upper + tol(upper)))


def _floor(p: Proposal, rules: Rules) -> float:
    if not rules.partial_awards:
        return p.amount
    if p.floor is not None:
        return min(p.floor, p.amount)
    return rules.partial_floor * p.amount


# --------------------------------------------------------------------------- helpers


def ranked_order(proposals: Sequence[Proposal]) -> list[int]:
    """Indices by decreasing score; ties keep the input order."""
    return sorted(range(len(proposals)), key=lambda i: -proposals[i].score)


def _baseline(
    proposals: Sequence[Proposal], order: Sequence[int], envelope: float
) -> tuple[set[str], int | None]:
    chosen: set[str] = set()
    total = 0.0
    for rank, i in enumerate(order):
        p = proposals[i]
        if total + p.amount > envelope + EPS:
            return chosen, rank + 1
        chosen.add(p.id)
        total += p.amount
    return chosen, None


def _violations(
    proposals: Sequence[Proposal], chosen: set[str], rules: Rules, envelope: float
) -> list[str]:
    """Rules that a funded set (each at its full request) breaks, as readable codes."""
    funded = [p for p in proposals if p.id in chosen]
    out: list[str] = []
    if rules.min_score is not None:
        low = [p.id for p in funded if p.score < rules.min_score]
        if low:
            out.append(f"below_min_score:{len(low)}")
    for q in rules.quotas:
        group = [p for p in funded if p.value(q.field) == q.value]
        count, amount = len(group), sum(p.amount for p in group)
        if q.min_count is not None and count < q.min_count:
            out.append(f"quota:{q.label}:min_count")
        if q.max_count is not None and count > q.max_count:
            out.append(f"quota:{q.label}:max_count")
        if q.min_amount is not None and amount < q.min_amount - EPS:
            out.append(f"quota:{q.label}:min_amount")
        if q.max_amount is not None and amount > q.max_amount + EPS:
            out.append(f"quota:{q.label}:max_amount")
    if rules.max_per_organisation is not None:
        counts: dict[str, int] = defaultdict(int)
        for p in funded:
            counts[p.organisation] += 1
        for org, c in sorted(counts.items()):
            if c > rules.max_per_organisation:
                out.append(f"max_per_organisation:{org}")
    if rules.cofunders:
        main = envelope - sum(f.envelope for f in rules.cofunders)
        outside = sum(p.amount for p in funded if not any(f.eligible(p) for f in rules.cofunders))
        if outside > main + EPS:
            out.append("cofunder_share")
    return out


def _validate(
    proposals: Sequence[Proposal],
    envelope: float,
    rules: Rules,
    forced_in: frozenset[str],
    forced_out: frozenset[str],
) -> None:
    if rules.objective not in OBJECTIVES:
        raise SelectionError("unknown_objective", objective=rules.objective, known=OBJECTIVES)
    if not math.isfinite(envelope) or envelope < 0:
        raise SelectionError("envelope_invalid", envelope=envelope)
    ids = [p.id for p in proposals]
    if len(set(ids)) != len(ids):
        seen: set[str] = set()
        dup = next(i for i in ids if i in seen or seen.add(i))  # type: ignore[func-returns-value]
        raise SelectionError("duplicate_id", id=dup)
    for p in proposals:
        if not (math.isfinite(p.amount) and p.amount > 0 and math.isfinite(p.score)):
            raise SelectionError("proposal_invalid", id=p.id)
    unknown = sorted((forced_in | forced_out) - set(ids))
    if unknown:
        raise SelectionError("unknown_forced_id", ids=tuple(unknown))
    if sum(f.envelope for f in rules.cofunders) > envelope + EPS:
        raise SelectionError("cofunders_exceed_envelope")
    if not 0 <= rules.partial_floor <= 1:
        raise SelectionError("partial_floor_out_of_range", partial_floor=rules.partial_floor)


# --------------------------------------------------------------------------- select


def select(
    proposals: Sequence[Proposal],
    envelope: float,
    rules: Rules | None = None,
    *,
    forced_in: Iterable[str] = (),
    forced_out: Iterable[str] = (),
) -> SelectionResult:
    """Choose the funded set; explain every proposal; compare with the plain ranked list."""
    started = time.perf_counter()
    rules = rules or Rules()
    f_in, f_out = frozenset(forced_in), frozenset(forced_out)
    _validate(proposals, envelope, rules, f_in, f_out)
    order = ranked_order(proposals)
    rank_of = {proposals[i].id: r + 1 for r, i in enumerate(order)}
    base_set, cutoff = _baseline(proposals, order, envelope)
    baseline = Baseline(
        selected=tuple(proposals[i].id for i in order if proposals[i].id in base_set),
        total_amount=sum(p.amount for p in proposals if p.id in base_set),
        merit=sum(p.score for p in proposals if p.id in base_set),
        cutoff_rank=cutoff,
        violations=tuple(_violations(proposals, base_set, rules, envelope)),
    )

    conflict = sorted(f_in & f_out)
    if conflict:
        diag = tuple(Diagnosis("forced_in_and_out", pid, 1.0, 0.0, 1.0) for pid in conflict)
        return _infeasible(proposals, rules, envelope, baseline, rank_of, diag, started, 0)

    def is_candidate(p: Proposal) -> bool:
        if p.id in f_in:
            return True
        if p.id in f_out:
            return False
        return rules.min_score is None or p.score >= rules.min_score

    cand_idx = [i for i in order if is_candidate(proposals[i])]
    cands = [proposals[i] for i in cand_idx]
    amounts = [p.amount for p in proposals]
    scale = float(np.median(amounts)) if amounts else 1.0
    model = _Model(cands, envelope, rules, scale)
    forced_fix = {k: 1 for k, p in enumerate(cands) if p.id in f_in}
    deadline = started + rules.time_limit

    solves = 0
    if rules.objective == "ranked":
        status, solution, value, gap, solves = _solve_ranked(model, forced_fix, deadline)
    else:
        cost = _cost(model, rules.objective)
        left = deadline - time.perf_counter()
        status, solution, value, gap = model.solve(cost, forced_fix, left, confirm_infeasible=True)
        solves = 1
    if solution is None:
        if status == "infeasible":
            diag = _diagnose(model, forced_fix, deadline)
            solves += 1
            return _infeasible(proposals, rules, envelope, baseline, rank_of, diag, started, solves)
        raise SelectionError("solver_failed", status=status)

    award = model.amounts(solution) * scale
    chosen = {p.id: float(award[k]) for k, p in enumerate(cands) if solution[k] > 0.5}
    decisions = _explain(proposals, order, chosen, model, envelope, rules, f_in, f_out, base_set)
    changes = _changes(proposals, decisions, rules, base_set, chosen)
    merit = sum(
        p.score * (chosen[p.id] / p.amount if rules.partial_awards else 1.0)
        for p in proposals
        if p.id in chosen
    )
    return SelectionResult(
        status=status,
        objective=rules.objective,
        objective_value=value if rules.objective != "ranked" else merit,
        gap=gap,
        envelope=envelope,
        total_amount=sum(chosen.values()),
        merit=merit,
        decisions=decisions,
        baseline=baseline,
        changes=changes,
        solves=solves,
        seconds=time.perf_counter() - started,
    )


def _cost(model: _Model, objective: str) -> FloatArray:
    cost = np.zeros(model.n_vars)
    scores = np.array([p.score for p in model.cands])
    n = model.n
    if objective == "merit":
        if model.partial:
            cost[n : 2 * n] = scores / model.request
        else:
            cost[:n] = scores
    else:  # merit_amount, in units of the median request
        if model.partial:
            cost[n : 2 * n] = scores
        else:
            cost[:n] = scores * model.request
    return cost


def _solve_ranked(
    model: _Model, forced: Mapping[int, int], deadline: float
) -> tuple[str, FloatArray | None, float | None, float | None, int]:
    """Lexicographic maximum of x in rank order (candidates are already in rank order)."""
    n = model.n
    weights = np.zeros(model.n_vars)
    weights[:n] = 1.0 / (1.0 + np.arange(n))
    if model.partial:  # prefer fuller awards, highest ranks first
        weights[n : 2 * n] = 1e-3 / (1.0 + np.arange(n)) / np.maximum(model.request, 1e-12)
    left = deadline - time.perf_counter()
    status, witness, _, _ = model.solve(weights, forced, left, gap=1e-3, confirm_infeasible=True)
    solves = 1
    if witness is None:
        return status, None, None, None, solves
    fixed: dict[int, int] = dict(forced)
    rules = model.rules
    budget = model.upper[0]
    used = 0.0
    org_count: dict[str, int] = defaultdict(int)
    quota_count = [0] * len(rules.quotas)
    quota_amount = [0.0] * len(rules.quotas)
    # with partial awards, what the taken members' awards may still grow by (model units)
    quota_room = [0.0] * len(rules.quotas)
    taken = np.zeros(n, dtype=bool)
    members = [
        [k for k, q in enumerate(rules.quotas) if p.value(q.field) == q.value] for p in model.cands
    ]
    final_status = "optimal"

    def take(i: int) -> None:
        nonlocal used
        used += model.floor[i]
        org_count[model.cands[i].organisation] += 1
        org_taken[org_codes[i]] += 1
        taken[i] = True
        for k in members[i]:
            quota_count[k] += 1
            quota_amount[k] += model.floor[i] * model.scale
            quota_room[k] += model.request[i] - model.floor[i]

    org_codes = np.unique([p.organisation for p in model.cands], return_inverse=True)[1]
    org_taken = np.zeros(int(org_codes.max()) + 1 if n else 0, dtype=np.int64)

    def open_after(i: int) -> npt.NDArray[np.bool_]:
        """Candidates that may still join once i is taken: undecided (ranked below i, not
        forced in) and not in an organisation that is already full."""
        out = np.arange(n) > i
        out &= ~taken
        cap = rules.max_per_organisation
        if cap is not None:
            counts = org_taken.copy()
            counts[org_codes[i]] += 1
            out &= counts[org_codes] < cap
        return out

    for i in forced:
        take(i)
    repair = _Repair(model) if not model.partial and not model.pairs else None
    for i in range(n):
        if i in forced:
            continue
        if witness[i] > 0.5:
            fixed[i] = 1
            take(i)
            continue
        p = model.cands[i]
        impossible = used + model.floor[i] > budget + EPS
        cap = rules.max_per_organisation
        impossible = impossible or (cap is not None and org_count[p.organisation] >= cap)
        for k in members[i]:
            q = rules.quotas[k]
            if q.max_count is not None and quota_count[k] >= q.max_count:
                impossible = True
            amount = quota_amount[k] + model.floor[i] * model.scale
            if q.max_amount is not None and amount > q.max_amount + EPS:
                impossible = True
        impossible = impossible or not _reserve_ok(
            model, members, quota_count, quota_amount, quota_room, used, i, open_after(i)
        )
        if impossible:
            fixed[i] = 0
            continue
        if repair is not None:
            repaired = repair(witness, i, fixed)
            if repaired is not None:
                witness = repaired
                fixed[i] = 1
                take(i)
                continue
        left = deadline - time.perf_counter()
        if left <= 0:
            final_status = "time_limit"
            break
        trial = dict(fixed)
        trial[i] = 1
        status, solution, _, _ = model.solve(weights, trial, left, gap=1e-3)
        solves += 1
        if solution is not None and status == "optimal":
            witness = solution
            fixed[i] = 1
            take(i)
        elif status == "infeasible":
            fixed[i] = 0
        else:
            final_status = "time_limit"
            break
    if model.partial and final_status == "optimal":
        xs = {i: 1 if witness[i] > 0.5 else 0 for i in range(n)}
        status, solution, _, _ = model.solve(weights, xs, deadline - time.perf_counter())
        solves += 1
        if solution is not None:
            witness = solution
    return final_status, witness, None, 0.0 if final_status == "optimal" else None, solves


def _reserve_ok(
    model: _Model,
    members: Sequence[Sequence[int]],
    quota_count: Sequence[int],
    quota_amount: Sequence[float],
    quota_room: Sequence[float],
    used: float,
    i: int,
    available: npt.NDArray[np.bool_],
) -> bool:
    """Exact necessary test: after taking i, can the unmet minimum quotas still be paid?

    ``used``, ``quota_amount`` count every taken proposal at its floor; ``quota_room`` is what
    their awards may still grow by (partial awards); ``available`` marks the proposals that may
    still join. An unmet minimum needs at least the cheapest floors of the members it lacks, and
    at least the missing amount, out of the money left. Quotas on the same field and value share
    one group (their needs overlap: the largest counts); groups of one field with different
    values are disjoint, so their needs add up. The money left must cover the largest per-field
    sum.
    """
    rules = model.rules
    if not any(q.min_count or q.min_amount for q in rules.quotas):
        return True
    left = float(model.upper[0]) - used - float(model.floor[i])
    mine = set(members[i])
    need: dict[tuple[str, str], float] = defaultdict(float)
    for k, q in enumerate(rules.quotas):
        count = quota_count[k] + (1 if k in mine else 0)
        amount = quota_amount[k] + (model.floor[i] * model.scale if k in mine else 0.0)
        need_count = max(0, (q.min_count or 0) - count)
        need_money = max(0.0, (q.min_amount or 0.0) - amount) / model.scale
        if need_count == 0 and need_money <= EPS:
            continue
        group = model.group_index[k]
        group = group[available[group]]
        rest = model.floor[group]
        if need_count > len(rest):
            return False
        cheapest = float(np.partition(rest, need_count - 1)[:need_count].sum()) if need_count else 0
        room = quota_room[k] + (model.request[i] - model.floor[i] if k in mine else 0.0)
        if need_money > float(model.request[group].sum()) + room + EPS:
            return False
        key = (q.field, q.value)
        need[key] = max(need[key], cheapest, need_money)
    per_field: dict[str, float] = defaultdict(float)
    for (name, _), money in need.items():
        per_field[name] += money
    return not per_field or max(per_field.values()) <= left + EPS


class _Repair:
    """Primal heuristic for the ranked objective (all-or-nothing awards, no co-funders).

    To test whether proposal i can join a witness whose higher ranks are all fixed, add it and
    drop the lowest-ranked *unfixed* members that block it (same organisation, a full maximum
    quota, the envelope) without breaking a minimum quota, then check every rule exactly. A
    fixed member (staff's ``forced_in``, which may rank below i) is never dropped. A success is a
    proof of feasibility; a failure only sends the question to the solver.
    """

    def __init__(self, model: _Model) -> None:
        self.model = model
        rules = model.rules
        self.request = model.request
        self.budget = float(model.upper[0])
        self.org = [p.organisation for p in model.cands]
        self.groups = [
            np.array([p.value(q.field) == q.value for p in model.cands]) for q in rules.quotas
        ]

    def feasible(self, x: npt.NDArray[np.bool_]) -> bool:
        model = self.model
        activity = model.matrix @ x.astype(np.float64)
        return bool(
            np.all(activity <= model.upper + 1e-9) and np.all(activity >= model.lower - 1e-9)
        )

    def __call__(self, witness: FloatArray, i: int, fixed: Mapping[int, int]) -> FloatArray | None:
        """A witness that funds i and keeps every fixed decision, or None if none was found.

        Only i is added and only unfixed members ranked below it are dropped, so the fixed
        decisions hold by construction."""
        model, rules = self.model, self.model.rules
        x = witness[: model.n] > 0.5
        x[i] = True

        def removable(k: int) -> bool:
            if k <= i or not x[k] or k in fixed:
                return False
            for g, q in zip(self.groups, rules.quotas, strict=True):
                if not g[k]:
                    continue
                count = int(np.count_nonzero(x & g))
                if q.min_count is not None and count - 1 < q.min_count:
                    return False
                if q.min_amount is not None:
                    amount = float(self.request[x & g].sum()) * model.scale
                    if amount - self.request[k] * model.scale < q.min_amount - EPS:
                        return False
            return True

        def drop_last(mask: npt.NDArray[np.bool_]) -> bool:
            for k in np.flatnonzero(mask & x)[::-1]:
                if removable(int(k)):
                    x[k] = False
                    return True
            return False

        cap = rules.max_per_organisation
        if cap is not None:
            same = np.array([o == self.org[i] for o in self.org])
            while int(np.count_nonzero(x & same)) > cap:
                if not drop_last(same):
                    return None
        for g, q in zip(self.groups, rules.quotas, strict=True):
            if not g[i]:
                continue
            while q.max_count is not None and int(np.count_nonzero(x & g)) > q.max_count:
                if not drop_last(g):
                    return None
            while (
                q.max_amount is not None
                and float(self.request[x & g].sum()) * model.scale > q.max_amount + EPS
            ):
                if not drop_last(g):
                    return None
        everyone = np.ones(model.n, dtype=bool)
        while float(self.request[x].sum()) > self.budget + 1e-9:
            if not drop_last(everyone):
                return None
        if not self.feasible(x):
            return None
        out = np.zeros(model.n_vars)
        out[: model.n] = x
        return out


# --------------------------------------------------------------------------- explanations


def _explain(
    proposals: Sequence[Proposal],
    order: Sequence[int],
    chosen: Mapping[str, float],
    model: _Model,
    envelope: float,
    rules: Rules,
    f_in: frozenset[str],
    f_out: frozenset[str],
    base_set: set[str],
) -> tuple[Decision, ...]:
    funded = [p for p in proposals if p.id in chosen]
    org_count: dict[str, int] = defaultdict(int)
    for p in funded:
        org_count[p.organisation] += 1
    quota_state = []
    for q in rules.quotas:
        group = [p for p in funded if p.value(q.field) == q.value]
        quota_state.append((len(group), sum(chosen[p.id] for p in group)))
    leftover_main, leftover_cof = _leftovers(funded, chosen, envelope, rules)
    out: list[Decision] = []
    for rank, i in enumerate(order, start=1):
        p = proposals[i]
        base = p.id in base_set
        if p.id in chosen:
            reason = "forced_in" if p.id in f_in else "funded"
            out.append(Decision(p.id, rank, True, chosen[p.id], reason, baseline_selected=base))
            continue
        reason, detail, missing = "", "", None
        need = _floor(p, rules)
        if p.id in f_out:
            reason = "forced_out"
        elif rules.min_score is not None and p.score < rules.min_score:
            reason, detail = "below_min_score", f"{rules.min_score:g}"
        elif (
            rules.max_per_organisation is not None
            and org_count[p.organisation] >= rules.max_per_organisation
        ):
            reason, detail = "max_per_organisation", p.organisation
        else:
            for q, (count, amount) in zip(rules.quotas, quota_state, strict=True):
                if p.value(q.field) != q.value:
                    continue
                if q.max_count is not None and count >= q.max_count:
                    reason, detail = "quota", f"{q.label}:max_count"
                    break
                if q.max_amount is not None and amount + need > q.max_amount + EPS:
                    reason, detail = "quota", f"{q.label}:max_amount"
                    break
        if not reason:
            usable = leftover_main + sum(
                left
                for funder, left in zip(rules.cofunders, leftover_cof, strict=True)
                if funder.eligible(p)
            )
            missing = max(0.0, need - usable)
            if missing > EPS * max(1.0, need):
                reason, detail = "envelope_exhausted", f"{missing:.2f}"
            else:
                reason, missing = "not_chosen", 0.0
        out.append(
            Decision(p.id, rank, False, 0.0, reason, detail, missing, baseline_selected=base)
        )
    return tuple(out)


def _leftovers(
    funded: Sequence[Proposal], chosen: Mapping[str, float], envelope: float, rules: Rules
) -> tuple[float, list[float]]:
    """Money left: the fund's own share (co-funders used first where eligible) and each
    co-funder's, from a small LP that spends the main share as little as possible."""
    total = sum(chosen.values())
    if not rules.cofunders:
        return envelope - total, []
    main = envelope - sum(f.envelope for f in rules.cofunders)
    pairs = [
        (s, k)
        for s, funder in enumerate(rules.cofunders)
        for k, p in enumerate(funded)
        if funder.eligible(p)
    ]
    if not pairs:
        return main - total, [f.envelope for f in rules.cofunders]
    # maximise co-funder money used: sum f <= award per proposal, <= envelope per co-funder
    a_ub = np.zeros((len(funded) + len(rules.cofunders), len(pairs)))
    b_ub = np.zeros(len(funded) + len(rules.cofunders))
    for c, (s, k) in enumerate(pairs):
        a_ub[k, c] = 1.0
        a_ub[len(funded) + s, c] = 1.0
    for k, p in enumerate(funded):
        b_ub[k] = chosen[p.id]
    for s, funder in enumerate(rules.cofunders):
        b_ub[len(funded) + s] = funder.envelope
    res = linprog(-np.ones(len(pairs)), A_ub=a_ub, b_ub=b_ub, bounds=(0, None), method="highs")
    flows = res.x if res.status == 0 else np.zeros(len(pairs))
    spent = np.zeros(len(rules.cofunders))
    for c, (s, _) in enumerate(pairs):
        spent[s] += flows[c]
    left_cof = [float(f.envelope - spent[s]) for s, f in enumerate(rules.cofunders)]
    return main - (total - float(spent.sum())), left_cof


def _changes(
    proposals: Sequence[Proposal],
    decisions: Sequence[Decision],
    rules: Rules,
    base_set: set[str],
    chosen: Mapping[str, float],
) -> tuple[Change, ...]:
    by_id = {p.id: p for p in proposals}
    base_funded = [by_id[i] for i in base_set]
    unmet: list[Quota] = []
    for q in rules.quotas:
        group = [p for p in base_funded if p.value(q.field) == q.value]
        if (q.min_count is not None and len(group) < q.min_count) or (
            q.min_amount is not None and sum(p.amount for p in group) < q.min_amount - EPS
        ):
            unmet.append(q)
    dropped_rules: set[str] = set()
    added: list[Change] = []
    dropped: list[tuple[Decision, str, str]] = []
    for d in decisions:
        if d.selected and not d.baseline_selected:
            p = by_id[d.id]
            if d.reason == "forced_in":
                added.append(Change(d.id, d.rank, "added", "forced_in"))
                continue
            quota = next((q for q in unmet if p.value(q.field) == q.value), None)
            if quota is not None:
                added.append(Change(d.id, d.rank, "added", "quota", f"{quota.label}:min"))
            else:
                added.append(Change(d.id, d.rank, "added", "objective"))
        elif d.baseline_selected and not d.selected:
            if d.reason in ("forced_out", "below_min_score", "max_per_organisation", "quota"):
                dropped.append((d, d.reason, d.detail))
                dropped_rules.add(d.reason if not d.detail else f"{d.reason}:{d.detail}")
            else:
                dropped.append((d, "", ""))
    add_rules = sorted(
        {c.forced_by if not c.detail else f"{c.forced_by}:{c.detail}" for c in added}
        - {"objective"}
    )
    out: list[Change] = []
    for c in added:
        if c.forced_by == "objective" and dropped_rules:
            out.append(
                Change(c.id, c.rank, "added", "replacement", ";".join(sorted(dropped_rules)))
            )
        else:
            out.append(c)
    for d, reason, detail in dropped:
        if reason:
            out.append(Change(d.id, d.rank, "dropped", reason, detail))
        elif add_rules:
            out.append(Change(d.id, d.rank, "dropped", "displaced", ";".join(add_rules)))
        else:
            out.append(Change(d.id, d.rank, "dropped", "objective"))
    return tuple(sorted(out, key=lambda c: c.rank))


# --------------------------------------------------------------------------- infeasibility


def _diagnose(model: _Model, forced: Mapping[int, int], deadline: float) -> tuple[Diagnosis, ...]:
    """Elastic programme: add a slack to every rule, minimise the (normalised) total slack."""
    rows = model.rows
    soft = [k for k, r in enumerate(rows) if r.code not in ("link", "flow")]
    slack_cols: list[tuple[int, int]] = []  # (row, sign)
    for k in soft:
        if math.isfinite(model.lower[k]):
            slack_cols.append((k, +1))
        if math.isfinite(model.upper[k]):
            slack_cols.append((k, -1))
    forced_list = sorted(forced)
    n_vars = model.n_vars + len(slack_cols) + len(forced_list)
    extra = sp.lil_matrix((len(rows), len(slack_cols) + len(forced_list)))
    for c, (k, sign) in enumerate(slack_cols):
        extra[k, c] = float(sign)
    matrix = sp.hstack([model.matrix, extra.tocsr()]).tocsr()
    # forced_in become soft: x_i + s_i >= 1
    force_rows = sp.lil_matrix((len(forced_list), n_vars))
    for j, i in enumerate(forced_list):
        force_rows[j, i] = 1.0
        force_rows[j, model.n_vars + len(slack_cols) + j] = 1.0
    full = sp.vstack([matrix, force_rows.tocsr()]).tocsr()
    lower = np.concatenate([model.lower, np.ones(len(forced_list))])
    upper = np.concatenate([model.upper, np.full(len(forced_list), np.inf)])
    lb, ub = model.bounds({})
    lb = np.concatenate([lb, np.zeros(n_vars - model.n_vars)])
    ub = np.concatenate([ub, np.full(n_vars - model.n_vars, np.inf)])
    integrality = np.concatenate([model.integrality(), np.zeros(n_vars - model.n_vars)])
    cost = np.concatenate([np.zeros(model.n_vars), np.ones(n_vars - model.n_vars)])
    res = _milp(
        cost,
        integrality,
        (lb, ub),
        (full, lower, upper),
        max(1.0, deadline - time.perf_counter()),
        None,
    )
    if res.x is None:
        return (Diagnosis("unknown", "rules", 0.0, 0.0, 0.0),)
    x = np.asarray(res.x)
    activity = model.matrix @ x[: model.n_vars]
    out: list[Diagnosis] = []
    for c, (k, sign) in enumerate(slack_cols):
        value = float(x[model.n_vars + c])
        if value <= 1e-6:
            continue
        row = rows[k]
        unit = 1.0 if row.code in ("quota_count", "organisation") else model.scale
        limit = model.lower[k] if sign > 0 else model.upper[k]
        bound = "min" if sign > 0 else "max"
        code = {
            "quota_count": f"quota_{bound}_count",
            "quota_amount": f"quota_{bound}_amount",
        }.get(row.code, row.code)
        out.append(
            Diagnosis(
                code,
                row.rule,
                float(limit * unit),
                float(activity[k] * unit),
                float(value * unit),
            )
        )
    for j, i in enumerate(forced_list):
        if x[model.n_vars + len(slack_cols) + j] > 1e-6:
            out.append(Diagnosis("forced_in", model.cands[i].id, 1.0, 0.0, 1.0))
    return tuple(out) or (Diagnosis("unknown", "rules", 0.0, 0.0, 0.0),)


def _infeasible(
    proposals: Sequence[Proposal],
    rules: Rules,
    envelope: float,
    baseline: Baseline,
    rank_of: Mapping[str, int],
    diagnosis: tuple[Diagnosis, ...],
    started: float,
    solves: int,
) -> SelectionResult:
    decisions = tuple(
        Decision(
            p.id,
            rank_of[p.id],
            False,
            0.0,
            "infeasible",
            baseline_selected=p.id in baseline.selected,
        )
        for p in sorted(proposals, key=lambda p: rank_of[p.id])
    )
    return SelectionResult(
        status="infeasible",
        objective=rules.objective,
        objective_value=None,
        gap=None,
        envelope=envelope,
        total_amount=0.0,
        merit=0.0,
        decisions=decisions,
        baseline=baseline,
        changes=(),
        diagnosis=diagnosis,
        solves=solves,
        seconds=time.perf_counter() - started,
    )
