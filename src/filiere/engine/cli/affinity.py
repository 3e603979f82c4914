"""Score every (proposal, expert) pair from texts: lexical, keyword and optional embedding terms.

    python -m filiere.engine affinity --proposals P.jsonl --experts E.jsonl [--top-k K] --out A.csv

P.jsonl lines: {"id", "title", "text", "keywords"?: [..], "language"?}
E.jsonl lines: {"id", "items": [{"title", "text"}], "keywords"?: [..], "languages"?: [..]}
A.csv columns: proposal_id,expert_id,score (score in [0, 1]; best experts first per proposal).
"""

import argparse
import time
from collections.abc import Iterator
from typing import Any

from filiere.engine.affinity import (
    AGGREGATIONS,
    AffinityModel,
    AffinityOptions,
    EmbeddingCache,
    EmbeddingsUnavailable,
    Expert,
    ExpertItem,
    Proposal,
    load_encoder,
)
from filiere.engine.cli.errors import InputError
from filiere.engine.cli.io import read_jsonl, write_csv


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--proposals", required=True, metavar="P.jsonl")
    parser.add_argument("--experts", required=True, metavar="E.jsonl")
    parser.add_argument("--out", required=True, metavar="A.csv")
    parser.add_argument(
        "--top-k", type=int, default=None, metavar="K", help="keep the K best experts per proposal"
    )
    parser.add_argument(
        "--embeddings",
        choices=["auto", "on", "off"],
        default="auto",
        help="multilingual sentence embeddings: used when installed (auto), required, or not",
    )
    parser.add_argument(
        "--embedding-cache", metavar="FILE.npz", help="keep embeddings by text hash in this file"
    )
    parser.add_argument(
        "--scheme", choices=["tfidf", "bm25"], default="tfidf", help="lexical weighting"
    )
    parser.add_argument(
        "--aggregation",
        choices=AGGREGATIONS,
        default="best",
        help="how an expert's items are combined (best: the profile blended with its best items)",
    )
    parser.add_argument(
        "--language-penalty",
        type=float,
        default=1.0,
        metavar="F",
        help="multiply the score by F when the expert declared languages without the proposal's",
    )


def _text(
    path: str, line: int, value: dict[str, Any], field: str, *, required: bool, prefix: str = ""
) -> str:
    raw = value.get(field)
    field = prefix + field
    if raw is None:
        if required:
            raise InputError(path, "a value is required", line=line, field=field)
        return ""
    if not isinstance(raw, str):
        raise InputError(path, "must be a string", line=line, field=field)
    if required and not raw.strip():
        raise InputError(path, "must not be empty", line=line, field=field)
    return raw


def _strings(path: str, line: int, value: dict[str, Any], field: str) -> tuple[str, ...]:
    raw = value.get(field)
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise InputError(path, "must be a list of strings", line=line, field=field)
    return tuple(item.strip() for item in raw if item.strip())


def _identifier(path: str, line: int, value: dict[str, Any], seen: dict[str, int]) -> str:
    raw = value.get("id")
    if raw is None:
        raise InputError(path, "a value is required", line=line, field="id")
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise InputError(path, "must be a string or an integer", line=line, field="id")
    identifier = str(raw).strip()
    if not identifier:
        raise InputError(path, "must not be empty", line=line, field="id")
    if identifier in seen:
        raise InputError(
            path, f"duplicate id '{identifier}' (first on line {seen[identifier]})", line=line,
            field="id",
        )  # fmt: skip
    seen[identifier] = line
    return identifier


def read_proposals(path: str) -> list[Proposal]:
    proposals: list[Proposal] = []
    seen: dict[str, int] = {}
    for line, value in read_jsonl(path):
        identifier = _identifier(path, line, value, seen)
        language = value.get("language")
        if language is not None and not isinstance(language, str):
            raise InputError(path, "must be a string", line=line, field="language")
        proposals.append(
            Proposal(
                id=identifier,
                title=_text(path, line, value, "title", required=False),
                text=_text(path, line, value, "text", required=True),
                keywords=_strings(path, line, value, "keywords"),
                language=language or None,
            )
        )
    return proposals


def read_experts(path: str) -> list[Expert]:
    experts: list[Expert] = []
    seen: dict[str, int] = {}
    for line, value in read_jsonl(path):
        identifier = _identifier(path, line, value, seen)
        raw_items = value.get("items")
        if raw_items is None:
            raise InputError(path, "a list of items is required", line=line, field="items")
        if not isinstance(raw_items, list):
            raise InputError(path, "must be a list of objects", line=line, field="items")
        items = []
        for position, item in enumerate(raw_items):
            field = f"items[{position}]"
            if not isinstance(item, dict):
                raise InputError(path, "must be an object", line=line, field=field)
            title = _text(path, line, item, "title", required=False, prefix=f"{field}.")
            text = _text(path, line, item, "text", required=False, prefix=f"{field}.")
            if not (title.strip() or text.strip()):
                raise InputError(path, "needs a title or a text", line=line, field=f"{field}.text")
            items.append(ExpertItem(title=title, text=text))
        experts.append(
            Expert(
                id=identifier,
                items=tuple(items),
                keywords=_strings(path, line, value, "keywords"),
                languages=_strings(path, line, value, "languages"),
            )
        )
    return experts


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    proposals = read_proposals(args.proposals)
    experts = read_experts(args.experts)
    if args.top_k is not None and args.top_k < 1:
        raise InputError("--top-k", "must be at least 1")
    if not 0.0 <= args.language_penalty <= 1.0:
        raise InputError("--language-penalty", "must be between 0 and 1")
    options = AffinityOptions(
        scheme=args.scheme,
        aggregation=args.aggregation,
        embeddings=args.embeddings,
        language_penalty=args.language_penalty,
    )
    cache = None
    if args.embeddings != "off":
        try:
            cache = EmbeddingCache(load_encoder(), args.embedding_cache)
        except EmbeddingsUnavailable as error:
            if args.embeddings == "on":
                raise InputError("--embeddings", str(error)) from None
    model = AffinityModel(proposals, experts, options, encoder=cache)
    if cache is not None:
        cache.save()

    def rows() -> Iterator[tuple[str, str, str]]:
        for proposal_id, expert_id, score in model.pairs(args.top_k):
            yield proposal_id, expert_id, f"{score:.6f}"

    written = write_csv(args.out, ["proposal_id", "expert_id", "score"], rows())
    summary: dict[str, Any] = {
        "command": "affinity",
        "proposals": len(proposals),
        "experts": len(experts),
        "expert_items": sum(len(expert.items) for expert in experts),
        "pairs_written": written,
        "top_k": args.top_k,
        "scheme": options.scheme,
        "aggregation": options.aggregation,
        "embeddings": model.embedding_model,
        "seconds": round(time.perf_counter() - started, 3),
        "out": args.out,
    }
    if model.notes:
        summary["notes"] = model.notes
    return summary
