"""Affinity between proposals and experts (issue 4, §1): which expert knows this project?

    from filiere.engine.affinity import Expert, ExpertItem, Proposal, compute_affinity

    for proposal_id, expert_id, score in compute_affinity(proposals, experts, top_k=20):
        ...

See ``model.py`` for the scoring and docs/engine/affinity.md for the measured choices.
"""

from filiere.engine.affinity.embeddings import (
    EmbeddingCache,
    EmbeddingsUnavailable,
    TextEncoder,
    embeddings_available,
    load_encoder,
)
from filiere.engine.affinity.evaluation import ndcg_at_k, ordering_loss
from filiere.engine.affinity.fusion import (
    LEARNED_LEXICAL,
    LEARNED_WITH_EMBEDDINGS,
    FusionWeights,
    Terms,
)
from filiere.engine.affinity.model import (
    AGGREGATIONS,
    AffinityBlock,
    AffinityModel,
    AffinityOptions,
    Expert,
    ExpertItem,
    Proposal,
    compute_affinity,
    stack_terms,
)
from filiere.engine.affinity.text import Analyzer, detect_language, tokenize

__all__ = [
    "AGGREGATIONS",
    "LEARNED_LEXICAL",
    "LEARNED_WITH_EMBEDDINGS",
    "AffinityBlock",
    "AffinityModel",
    "AffinityOptions",
    "Analyzer",
    "EmbeddingCache",
    "EmbeddingsUnavailable",
    "Expert",
    "ExpertItem",
    "FusionWeights",
    "Proposal",
    "Terms",
    "TextEncoder",
    "compute_affinity",
    "detect_language",
    "embeddings_available",
    "load_encoder",
    "ndcg_at_k",
    "ordering_loss",
    "stack_terms",
    "tokenize",
]
