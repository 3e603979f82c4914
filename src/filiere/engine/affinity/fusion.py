"""How the lexical, keyword and embedding terms of a pair make one score, and the learned weights.

    score = (w_lex · s · lexical + w_kw · keywords + w_emb · c · embedding)
            / (w_lex · s + w_kw · [both have keywords] + w_emb)

    lexical   = (1 − b_lex) · profile cosine + b_lex · best-items cosine
    embedding = (1 − b_emb) · profile cosine + b_emb · best-items cosine

where s is the share of the expert's profile written in the proposal's language (with
embeddings only), c the calibration factor of the embedding scale, and the best-items cosine the
item scores of the expert's best ``top_items`` items weighted 4 : 2 : 1 (halving; an expert with
fewer items counts the missing ones as 0). The b shares apply with the aggregation "best"; with
the other aggregations the lexical and embedding terms are that aggregation.

The defaults below were learned on held-out data: a grid search minimising the mean of the
pairwise ordering loss and of 1 − NDCG@5 on the *training* seeds (1 to 3) of both evaluation
sets (bench/affinity_eval.py and bench/affinity_portfolio.py), checked on their test seeds (7 to
9). Re-derive them with ``python -m bench.affinity_eval --learn`` (figures in
docs/engine/affinity.md).
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FusionWeights:
    """Weights of the terms (w_lex is the reference, 1) and the shares given to the best items."""

    lexical: float = 1.0
    lexical_best: float = 0.0
    keywords: float = 0.5
    embedding: float = 1.0
    embedding_best: float = 0.0


# Learned with `python -m bench.affinity_eval --learn` (see the module docstring; the search's
# figures are in bench/results/affinity_fusion.json). With embeddings the objective is flat for
# embedding weights 0.5 to 0.75 (within 0.0002): lexical evidence leads within a language, and
# across languages the language share leaves the embeddings alone whatever their weight.
LEARNED_LEXICAL = FusionWeights(lexical=1.0, lexical_best=0.25, keywords=0.25, embedding=0.0)
LEARNED_WITH_EMBEDDINGS = FusionWeights(
    lexical=1.0, lexical_best=0.0, keywords=0.25, embedding=0.75, embedding_best=0.5
)


@dataclass(frozen=True)
class Terms:
    """The raw terms of a block of pairs (block × experts), before they are weighted."""

    lexical: FloatArray  # profile cosine (or the chosen item aggregation)
    lexical_best: FloatArray | None  # best-items cosine (aggregation "best")
    keywords: FloatArray
    keywords_present: BoolArray  # both sides gave keywords
    language_share: FloatArray  # share of the profile in the proposal's language
    embedding: FloatArray | None = None
    embedding_best: FloatArray | None = None


def _blend(whole: FloatArray, best: FloatArray | None, share: float) -> FloatArray:
    if best is None or share == 0.0:
        return whole
    blended: FloatArray = ((1.0 - share) * whole + share * best).astype(np.float32)
    return blended


def lexical_term(terms: Terms, weights: FusionWeights) -> FloatArray:
    return _blend(terms.lexical, terms.lexical_best, weights.lexical_best)


def embedding_term(terms: Terms, weights: FusionWeights) -> FloatArray | None:
    if terms.embedding is None:
        return None
    return _blend(terms.embedding, terms.embedding_best, weights.embedding_best)


def fuse(
    terms: Terms, weights: FusionWeights, *, scale: float = 1.0, language_coverage: bool = True
) -> FloatArray:
    """The weighted mean of the terms present, in [0, 1] when the terms are."""
    lexical = lexical_term(terms, weights)
    embedding = embedding_term(terms, weights)
    lexical_weight: FloatArray | float = weights.lexical
    if embedding is not None and language_coverage:
        # Lexical evidence only exists between texts in the same language: across languages
        # the embeddings speak alone instead of being diluted by a structural zero.
        lexical_weight = weights.lexical * terms.language_share
    total = (lexical_weight * lexical).astype(np.float32)
    weight = np.broadcast_to(np.asarray(lexical_weight, dtype=np.float32), total.shape).astype(
        np.float32
    )
    if weights.keywords > 0:
        total += weights.keywords * terms.keywords
        weight = weight + weights.keywords * terms.keywords_present.astype(np.float32)
    if embedding is not None and weights.embedding > 0:
        total += weights.embedding * np.minimum(embedding * scale, 1.0)
        weight = weight + weights.embedding
    fused: FloatArray = np.divide(total, weight, out=np.zeros_like(total), where=weight > 0)
    return fused


def calibration_scale(terms: Terms, weights: FusionWeights) -> float:
    """Factor putting embedding scores on the lexical scale (matched 95th percentiles).

    Measured on pairs written in the same language (share ≥ 0.5), where the lexical score is
    meaningful, so that a cross-language pair scored by embeddings alone is comparable with a
    same-language pair.
    """
    embedding = embedding_term(terms, weights)
    if embedding is None:
        return 1.0
    same = terms.language_share >= 0.5
    if not same.any():
        return 1.0
    lex_top = float(np.quantile(lexical_term(terms, weights)[same], 0.95))
    emb_top = float(np.quantile(embedding[same], 0.95))
    if lex_top <= 0.0 or emb_top <= 0.0:
        return 1.0
    return lex_top / emb_top


def top_item_weights(k: int) -> FloatArray:
    """Weights of an expert's best k items: halving (4 : 2 : 1 for k = 3), summing to 1."""
    raw = 0.5 ** np.arange(k, dtype=np.float64)
    weights: FloatArray = (raw / raw.sum()).astype(np.float32)
    return weights
