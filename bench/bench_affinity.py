"""Affinity benchmark: 5,000 proposals × 1,000 experts × 10 items, lexical; embedding speed.

Also the issue's scale, 10,000 proposals × 5,000 experts (5 items each), top-50.

Texts come from the seeded topic generator of ``bench/affinity_eval.py`` (French, English and
Dutch, about 60 to 120 words each). Each measurement runs in a fresh spawned process so that its
peak memory (RSS high-water mark, interpreter included) is its own. With the embeddings extra
installed, the encoder's throughput is reported too (texts per second, on this machine's CPUs).
The quality figures (ordering loss and NDCG@5 of the former and the learned defaults, overall
and per language pair, on both evaluation sets) come from ``affinity_eval.compare`` and are
printed with the rest; ``python -m bench.affinity_eval`` prints them as the doc's tables.
"""

import random
import time
from typing import Any

from bench.affinity_eval import LANGS, NAMES, TOPICS, _text, compare
from bench.memory import measure_in_child
from filiere.engine.affinity import (
    AffinityModel,
    AffinityOptions,
    Expert,
    ExpertItem,
    Proposal,
    embeddings_available,
    load_encoder,
)


def generate(n_proposals: int, n_experts: int, items: int, seed: int = 11) -> tuple[list, list]:
    rng = random.Random(seed)
    proposals = []
    for p in range(n_proposals):
        topic, lang = rng.choice(NAMES), rng.choice(LANGS)
        proposals.append(
            Proposal(f"p{p}", rng.choice(TOPICS[topic][lang]), _text(rng, [topic], [1.0], lang, 8))
        )
    experts = []
    for e in range(n_experts):
        topics = rng.sample(NAMES, 2)
        lang = rng.choice(LANGS)
        profile = tuple(
            ExpertItem(rng.choice(TOPICS[topics[0]][lang]), _text(rng, topics, [0.7, 0.3], lang, 5))
            for _ in range(items)
        )
        experts.append(Expert(f"e{e}", profile, keywords=(rng.choice(TOPICS[topics[0]][lang]),)))
    return proposals, experts


def _lexical(n_proposals: int, n_experts: int, items: int, top_k: int | None) -> dict[str, Any]:
    proposals, experts = generate(n_proposals, n_experts, items)
    started = time.perf_counter()
    model = AffinityModel(proposals, experts, AffinityOptions(embeddings="off"))
    fitted = time.perf_counter()
    pairs = 0
    for block in model.blocks(top_k):
        pairs += len(block.scores)
    done = time.perf_counter()
    texts = n_proposals + n_experts * items
    return {
        "texts": texts,
        "pairs": pairs,
        "fit_seconds": round(fitted - started, 2),
        "score_seconds": round(done - fitted, 2),
        "seconds": round(done - started, 2),
        "texts_per_second": round(texts / (done - started)),
        "vocabulary": model.vocabulary_size,
        "shared_terms": model.shared_terms,
    }


def _embeddings(n_texts: int) -> dict[str, Any]:
    proposals, _ = generate(n_texts, 0, 0, seed=12)
    encoder = load_encoder()
    encoder.encode(["warm up"])
    started = time.perf_counter()
    encoder.encode([f"{p.title}\n{p.text}" for p in proposals])
    seconds = time.perf_counter() - started
    return {
        "model": encoder.name,
        "texts": n_texts,
        "seconds": round(seconds, 2),
        "texts_per_second": round(n_texts / seconds),
    }


def _figures(outcome: dict[str, Any]) -> dict[str, Any]:
    figures = {
        **outcome["result"],
        "cpu_seconds": round(outcome["cpu_seconds"], 2),
        "peak_rss_mb": round(outcome["peak_rss_mb"]),
    }
    # On a shared machine wall time depends on the neighbours; CPU time much less.
    figures["texts_per_cpu_second"] = round(figures["texts"] / max(outcome["cpu_seconds"], 1e-9))
    return figures


def run(quick: bool) -> dict[str, Any]:
    n_proposals, n_experts, items = (300, 100, 10) if quick else (5000, 1000, 10)
    size = {"proposals": n_proposals, "experts": n_experts, "items_per_expert": items}
    figures: dict[str, Any] = {"size": size, "target": "lexical ≤ 60 s (5,000 × 1,000 × 10)"}
    figures["lexical_top50"] = _figures(
        measure_in_child(_lexical, n_proposals, n_experts, items, 50)
    )
    figures["lexical_all_pairs"] = _figures(
        measure_in_child(_lexical, n_proposals, n_experts, items, None)
    )
    if not quick:
        figures["scale_10000x5000x5_top50"] = _figures(
            measure_in_child(_lexical, 10_000, 5_000, 5, 50)
        )
    if embeddings_available():
        figures["embeddings"] = _figures(measure_in_child(_embeddings, 50 if quick else 2000))
    else:
        figures["embeddings"] = "not installed (pip install 'filiere[embeddings]')"
    # Quality: before (profile, fixed weights) and after (best matches, learned weights).
    figures["quality"] = compare(quick=quick)
    return figures
