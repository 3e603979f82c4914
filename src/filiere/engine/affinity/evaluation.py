"""Quality measures for affinity scores against a graded truth (proposals × experts).

* ``ordering_loss``: over pairs of columns with different true relevance in the same row, the
  share put in the wrong order (a tie counts half), weighted by the difference in relevance;
  0 is perfect, 0.5 is chance. Averaged over the rows that have such pairs.
* ``ndcg_at_k``: normalised discounted cumulative gain of each row's best ``k`` columns, with
  linear gains (the relevance itself) and discounts 1 / log2(rank + 1); tied scores share the mean
  discount of the ranks they span (the expectation over random tie-breaking), so a constant score
  is not rewarded for the order of the input. Averaged over rows with some relevance.

Both take an optional row mask of columns (e.g. only the experts writing in one language), so
the same functions give the figures overall and per language pair.
"""

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.floating]
Mask = npt.NDArray[np.bool_]


def row_ordering_loss(scores: npt.ArrayLike, relevance: npt.ArrayLike) -> float | None:
    """Weighted pairwise ordering loss of one row; None when every relevance is equal."""
    s = np.asarray(scores, dtype=np.float64)
    r = np.asarray(relevance, dtype=np.float64)
    diff_r = r[:, None] - r[None, :]
    above = diff_r > 0
    if not above.any():
        return None
    diff_s = (s[:, None] - s[None, :])[above]
    weight = diff_r[above]
    wrong = (diff_s < 0) + 0.5 * (diff_s == 0)
    return float((weight * wrong).sum() / weight.sum())


def row_ndcg(scores: npt.ArrayLike, relevance: npt.ArrayLike, k: int = 5) -> float | None:
    """NDCG@k of one row (ties share their ranks' mean discount); None when nothing is relevant."""
    s = np.asarray(scores, dtype=np.float64)
    r = np.asarray(relevance, dtype=np.float64)
    n = len(s)
    if n == 0 or k < 1:
        return None
    discount = np.zeros(n)
    depth = min(k, n)
    discount[:depth] = 1.0 / np.log2(np.arange(2, depth + 2))
    ideal = float(np.sort(r)[::-1] @ discount)
    if ideal <= 0.0:
        return None
    order = np.argsort(-s, kind="stable")
    ranked = s[order]
    gained = 0.0
    start = 0
    while start < n and start < depth:
        stop = start + 1
        while stop < n and ranked[stop] == ranked[start]:
            stop += 1
        shared = float(discount[start:stop].mean())  # a tie group spreads over its ranks
        gained += shared * float(r[order[start:stop]].sum())
        start = stop
    return gained / ideal


def _rows(
    scores: Matrix, relevance: Matrix, columns: Mask | None, rows: Mask | None
) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
    picked = []
    for i in range(scores.shape[0]):
        if rows is not None and not rows[i]:
            continue
        keep = slice(None) if columns is None else columns
        picked.append(
            (
                np.asarray(scores[i, keep], dtype=np.float64),
                np.asarray(relevance[i, keep], dtype=np.float64),
            )
        )
    return picked


def ordering_loss(
    scores: Matrix, relevance: Matrix, *, columns: Mask | None = None, rows: Mask | None = None
) -> float | None:
    """Mean row ordering loss (rows and columns optionally restricted); None if no row counts."""
    values = [
        v
        for s, r in _rows(scores, relevance, columns, rows)
        if (v := row_ordering_loss(s, r)) is not None
    ]
    return float(np.mean(values)) if values else None


def ndcg_at_k(
    scores: Matrix,
    relevance: Matrix,
    k: int = 5,
    *,
    columns: Mask | None = None,
    rows: Mask | None = None,
) -> float | None:
    """Mean row NDCG@k (rows and columns optionally restricted); None if no row counts."""
    values = [
        v
        for s, r in _rows(scores, relevance, columns, rows)
        if (v := row_ndcg(s, r, k)) is not None
    ]
    return float(np.mean(values)) if values else None
