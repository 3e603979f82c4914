"""Selection against brute force: every subset of a small instance is enumerated."""

import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.engine.selection import CoFunder, Proposal, Quota, Rules, select

GENRES = ("fiction", "documentary")
TERRITORIES = ("hdf", "wallonia")
REASONS = {
    "funded",
    "forced_in",
    "forced_out",
    "below_min_score",
    "max_per_organisation",
    "quota",
    "envelope_exhausted",
    "not_chosen",
}


@st.composite
def instances(draw: st.DrawFn):
    n = draw(st.integers(1, 7))
    proposals = [
        Proposal(
            id=f"P{i}",
            score=float(draw(st.integers(0, 40))) / 2,
            amount=float(draw(st.integers(1, 10)) * 1000),
            organisation=draw(st.sampled_from(("O1", "O2", "O3", "O4"))),
            attributes={
                "genre": draw(st.sampled_from(GENRES)),
                "territory": draw(st.sampled_from(TERRITORIES)),
            },
        )
        for i in range(n)
    ]
    envelope = float(draw(st.integers(0, 40)) * 1000)
    quotas = []
    for field, values in (("genre", GENRES), ("territory", TERRITORIES)):
        for value in values:
            if draw(st.booleans()):
                lo = draw(st.none() | st.integers(0, 2))
                hi = draw(st.none() | st.integers(0, 3))
                lo_amount = draw(st.none() | st.integers(0, 10).map(lambda k: k * 1000.0))
                hi_amount = draw(st.none() | st.integers(0, 20).map(lambda k: k * 1000.0))
                quotas.append(Quota(field, value, lo, hi, lo_amount, hi_amount))
    cofunders = ()
    if draw(st.booleans()):
        share = float(draw(st.integers(0, 10)) * 1000)
        if share <= envelope:
            cofunders = (CoFunder("Wallimage", share, "territory", frozenset({"wallonia"})),)
    rules = Rules(
        quotas=tuple(quotas),
        max_per_organisation=draw(st.none() | st.integers(1, 2)),
        min_score=draw(st.none() | st.integers(0, 15).map(float)),
        cofunders=cofunders,
        objective=draw(st.sampled_from(("merit", "merit_amount", "ranked"))),
    )
    ids = [p.id for p in proposals]
    forced_in = set(draw(st.lists(st.sampled_from(ids), max_size=1)))
    forced_out = set(draw(st.lists(st.sampled_from(ids), max_size=1))) - forced_in
    return proposals, envelope, rules, forced_in, forced_out


def feasible(subset, proposals, envelope, rules, forced_in, forced_out) -> bool:
    """The rules checked one by one, independently of the solver's model."""
    chosen = [p for p in proposals if p.id in subset]
    if not forced_in <= subset or subset & forced_out:
        return False
    total = sum(p.amount for p in chosen)
    if total > envelope + 1e-9:
        return False
    if rules.min_score is not None and any(
        p.score < rules.min_score and p.id not in forced_in for p in chosen
    ):
        return False
    if rules.max_per_organisation is not None and any(
        c > rules.max_per_organisation for c in Counter(p.organisation for p in chosen).values()
    ):
        return False
    for q in rules.quotas:
        group = [p for p in chosen if p.value(q.field) == q.value]
        count, amount = len(group), sum(p.amount for p in group)
        if (q.min_count is not None and count < q.min_count) or (
            q.max_count is not None and count > q.max_count
        ):
            return False
        if (q.min_amount is not None and amount < q.min_amount) or (
            q.max_amount is not None and amount > q.max_amount
        ):
            return False
    for funder in rules.cofunders:  # one co-funder: the rest of the envelope pays the others
        outside = sum(p.amount for p in chosen if not funder.eligible(p))
        if outside > envelope - funder.envelope + 1e-9:
            return False
    return True


def value(subset, proposals, objective) -> float:
    chosen = [p for p in proposals if p.id in subset]
    if objective == "merit":
        return sum(p.score for p in chosen)
    return sum(p.score * p.amount for p in chosen)


def ranked_key(subset, proposals):
    order = sorted(range(len(proposals)), key=lambda i: -proposals[i].score)
    return tuple(proposals[i].id in subset for i in order)


@settings(max_examples=200, deadline=None)
@given(instances())
def test_selection_matches_brute_force(case) -> None:
    proposals, envelope, rules, forced_in, forced_out = case
    ids = [p.id for p in proposals]
    subsets = [
        set(combo)
        for k in range(len(ids) + 1)
        for combo in itertools.combinations(ids, k)
        if feasible(set(combo), proposals, envelope, rules, forced_in, forced_out)
    ]
    result = select(proposals, envelope, rules, forced_in=forced_in, forced_out=forced_out)
    if not subsets:
        assert result.status == "infeasible"
        assert result.diagnosis
        return
    assert result.status == "optimal"
    chosen = set(result.selected_ids())
    assert feasible(chosen, proposals, envelope, rules, forced_in, forced_out)
    if rules.objective == "ranked":
        best = max(subsets, key=lambda s: ranked_key(s, proposals))
        assert chosen == best
    else:
        best_value = max(value(s, proposals, rules.objective) for s in subsets)
        assert value(chosen, proposals, rules.objective) == pytest.approx(best_value, abs=1e-6)
    # every proposal is explained, and the explanation is true
    by_id = {p.id: p for p in proposals}
    leftover = envelope - result.total_amount
    for decision in result.decisions:
        assert decision.reason in REASONS
        assert decision.selected == (decision.id in chosen)
        p = by_id[decision.id]
        if decision.selected:
            assert decision.amount == p.amount
            continue
        if decision.reason == "forced_out":
            assert p.id in forced_out
        elif decision.reason == "below_min_score":
            assert rules.min_score is not None and p.score < rules.min_score
        elif decision.reason == "max_per_organisation":
            funded_same = [q for q in chosen if by_id[q].organisation == p.organisation]
            assert len(funded_same) == rules.max_per_organisation
        elif decision.reason == "envelope_exhausted":
            assert decision.missing_amount is not None and decision.missing_amount > 0
            if not rules.cofunders:
                assert decision.missing_amount == pytest.approx(p.amount - leftover)
    # the ranked list with cut-off is the plain one
    assert result.baseline.total_amount <= envelope
    assert {c.id for c in result.changes} == {
        d.id for d in result.decisions if d.selected != d.baseline_selected
    }
