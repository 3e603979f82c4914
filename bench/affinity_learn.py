"""Learn the fusion weights of affinity (``filiere.engine.affinity.fusion``) on held-out seeds.

    python -m bench.affinity_eval --learn

For each of the three evaluation families (set 1 in mixed languages, set 1 in English only,
set 2 of expert portfolios) the *training* seeds (1, 2, 3) are scored once into raw terms
(``AffinityModel.terms``: profile and best-items cosines, keywords, embeddings); a grid search
then combines them with ``fusion.fuse`` (the engine's own formula, calibration included) and
keeps the weights with the lowest objective, the mean of the pairwise ordering loss and of
1 − NDCG@5, averaged over families. The
chosen weights are then measured on the *test* seeds (7, 8, 9), which the search never saw;
they are written into ``fusion.py`` by hand (LEARNED_LEXICAL, LEARNED_WITH_EMBEDDINGS).
"""

import itertools
import time
from dataclasses import asdict, fields
from typing import Any

import numpy as np

from filiere.engine.affinity import (
    AffinityModel,
    AffinityOptions,
    EmbeddingCache,
    FusionWeights,
    Terms,
    ndcg_at_k,
    stack_terms,
)
from filiere.engine.affinity.fusion import calibration_scale, fuse

BEST_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
KEYWORD_WEIGHTS = (0.0, 0.25, 0.5, 1.0)
EMBEDDING_WEIGHTS = (0.25, 0.5, 0.75, 1.0, 2.0)


class PairLoss:
    """The pairwise ordering loss of one data set, with the truth's pair weights computed once."""

    def __init__(self, relevance: np.ndarray) -> None:
        self.by_proposal = self._weights(relevance)
        self.by_expert = self._weights(relevance.T)

    @staticmethod
    def _weights(relevance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        diff = relevance[:, :, None] - relevance[:, None, :]
        weight = np.where(diff > 0, diff, 0.0).astype(np.float32)
        totals = weight.sum(axis=(1, 2))
        return weight, totals

    @staticmethod
    def _loss(scores: np.ndarray, weights: tuple[np.ndarray, np.ndarray]) -> float:
        # wrong = 1 if s_a < s_b, 1/2 on a tie, 0 if right: (1 − sign(s_a − s_b)) / 2.
        weight, totals = weights
        s = scores.astype(np.float32)
        signs = np.sign(s[:, :, None] - s[:, None, :])
        agreement = np.einsum("ijk,ijk->i", weight, signs)
        rows = totals > 0
        per_row = 0.5 - 0.5 * agreement[rows] / totals[rows]
        return float(per_row.mean())

    def __call__(self, scores: np.ndarray) -> float:
        return (self._loss(scores, self.by_proposal) + self._loss(scores.T, self.by_expert)) / 2


def objective(prepared: "Prepared", scores: np.ndarray) -> tuple[float, float, float]:
    """(objective, ordering loss, NDCG@5): the mean of the loss and of 1 − NDCG@5, so that
    the weights serve the whole ranking (assignment) and its top (who is asked first)."""
    loss = prepared.loss(scores)
    ndcg = ndcg_at_k(scores, prepared.relevance, 5) or 0.0
    return (loss + 1.0 - ndcg) / 2, loss, ndcg


class Prepared:
    """One training data set scored into raw terms, ready for any weights."""

    def __init__(self, data: Any, with_embeddings: bool, cache: EmbeddingCache | None) -> None:
        # Non-zero shares and weights, so that every term is computed whatever the defaults.
        options = AffinityOptions(
            aggregation="best",
            embeddings="on" if with_embeddings else "off",
            keyword_weight=0.5,
            best_share=0.5,
            embedding_best_share=0.5,
        )
        model = AffinityModel(data.proposals, data.experts, options, encoder=cache)
        self.terms = model.terms(0, len(data.proposals))
        rows = model.calibration_rows()
        self.sample = stack_terms([_rows(self.terms, int(r)) for r in rows])
        self.relevance = np.asarray(data.relevance, dtype=np.float32)
        self.loss = PairLoss(self.relevance)
        self.with_embeddings = with_embeddings

    def scores(self, weights: FusionWeights) -> np.ndarray:
        scale = calibration_scale(self.sample, weights) if self.with_embeddings else 1.0
        return np.clip(fuse(self.terms, weights, scale=scale), 0.0, 1.0)


def _rows(terms: Terms, row: int) -> Terms:
    sliced = {
        f.name: None if getattr(terms, f.name) is None else getattr(terms, f.name)[row : row + 1]
        for f in fields(terms)
    }
    return Terms(**sliced)


def _grid(with_embeddings: bool) -> list[FusionWeights]:
    if not with_embeddings:
        return [
            FusionWeights(lexical_best=b, keywords=k, embedding=0.0)
            for b, k in itertools.product(BEST_SHARES, KEYWORD_WEIGHTS)
        ]
    return [
        FusionWeights(lexical_best=b, keywords=k, embedding=e, embedding_best=be)
        for b, k, e, be in itertools.product(
            BEST_SHARES, KEYWORD_WEIGHTS, EMBEDDING_WEIGHTS, BEST_SHARES
        )
    ]


def search(prepared: dict[str, list[Prepared]], with_embeddings: bool) -> list[dict[str, Any]]:
    """Every grid point's mean objective (families weighted equally), best first."""
    scored = []
    for weights in _grid(with_embeddings):
        per_family = {
            family: np.mean([objective(p, p.scores(weights)) for p in sets], axis=0)
            for family, sets in prepared.items()
        }
        mean = np.mean(list(per_family.values()), axis=0)
        scored.append(
            {
                "weights": asdict(weights),
                "objective": round(float(mean[0]), 4),
                "loss": round(float(mean[1]), 4),
                "ndcg5": round(float(mean[2]), 4),
                "by_family": {
                    k: {"loss": round(float(v[1]), 4), "ndcg5": round(float(v[2]), 4)}
                    for k, v in per_family.items()
                },
            }
        )
    return sorted(scored, key=lambda row: row["objective"])


def learn(
    *, with_embeddings: bool = True, quick: bool = False, cache: EmbeddingCache | None = None
) -> dict[str, Any]:
    """Grid search on the training seeds, then the chosen weights on the test seeds."""
    from bench.affinity_eval import FAMILIES, TEST_SEEDS, TRAIN_SEEDS, compare, family_sets

    report: dict[str, Any] = {"train_seeds": list(TRAIN_SEEDS), "test_seeds": list(TEST_SEEDS)}
    modes = [False, True] if with_embeddings and cache is not None else [False]
    for embedded in modes:
        started = time.perf_counter()
        prepared = {
            family: [Prepared(d, embedded, cache) for d in family_sets(family, TRAIN_SEEDS, quick)]
            for family in FAMILIES
        }
        ranking = search(prepared, embedded)
        best = FusionWeights(**ranking[0]["weights"])
        label = "with_embeddings" if embedded else "lexical"
        options = AffinityOptions(
            embeddings="on" if embedded else "off",
            aggregation="best",
            keyword_weight=best.keywords,
            embedding_weight=best.embedding if embedded else None,
            best_share=best.lexical_best,
            embedding_best_share=best.embedding_best,
        )
        test = compare({"learned": options}, with_embeddings=embedded, quick=quick)
        report[label] = {
            "learned": asdict(best),
            "train_objective": ranking[0]["objective"],
            "train_loss": ranking[0]["loss"],
            "train_ndcg5": ranking[0]["ndcg5"],
            "train_by_family": ranking[0]["by_family"],
            "runner_up": ranking[1:4],
            "grid_points": len(ranking),
            "test": {family: test[family]["learned"] for family in FAMILIES},
            "seconds": round(time.perf_counter() - started, 1),
        }
    if cache is not None:
        cache.save()
    return report
