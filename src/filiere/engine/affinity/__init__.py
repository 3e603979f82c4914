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
from filiere.engine.affinity.model import (
    AffinityBlock,
    AffinityModel,
    AffinityOptions,
    Expert,
    ExpertItem,
    Proposal,
    compute_affinity,
)
from filiere.engine.affinity.text import Analyzer, detect_language, tokenize

__all__ = [
    "AffinityBlock",
    "AffinityModel",
    "AffinityOptions",
    "Analyzer",
    "EmbeddingCache",
    "EmbeddingsUnavailable",
    "Expert",
    "ExpertItem",
    "Proposal",
    "TextEncoder",
    "compute_affinity",
    "detect_language",
    "embeddings_available",
    "load_encoder",
    "tokenize",
]
