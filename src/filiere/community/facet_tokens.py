"""The format of ``search_facets``: a row's values in the directory's facets that live in other
tables, written by ``search_text`` and read by ``selectors_directory`` (one place for both).

One token per value, a letter then the value: ``s12`` a skill and, as a skill facet counts its
narrower ones, each of its broader skills (``VOCABULARY_DEPTH`` levels); ``o12`` a skill the
person named (the cards list them); ``p3`` a profession; ``c2`` a sector; ``kcompany`` the kind
of an organisation the person works at now. Migration ``0009`` wrote the same format.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

#: The vocabulary's levels: domain, skill, narrower skill.
VOCABULARY_DEPTH = 3
#: Texts kept parsed: a text changes only when its row's values do, so none goes stale.
PARSED = 65_536


def facet_text(
    *,
    skills: Iterable[int] = (),
    named_skills: Iterable[int] = (),
    professions: Iterable[int] = (),
    sectors: Iterable[int] = (),
    kinds: Iterable[str] = (),
) -> str:
    parts = (("s", skills), ("o", named_skills), ("p", professions), ("c", sectors), ("k", kinds))
    return " ".join(sorted({f"{mark}{value}" for mark, values in parts for value in values}))


@dataclass(frozen=True)
class StoredFacets:
    """A ``search_facets`` text, parsed."""

    skills: frozenset[int]
    professions: frozenset[int]
    sectors: frozenset[int]
    kinds: frozenset[str]
    named_skills: tuple[int, ...]


@functools.lru_cache(maxsize=PARSED)
def stored_facets(text: str) -> StoredFacets:
    parts: dict[str, list[str]] = {"s": [], "o": [], "p": [], "c": [], "k": []}
    for token in text.split():
        if token[0] in parts:
            parts[token[0]].append(token[1:])
    return StoredFacets(
        skills=frozenset(map(int, parts["s"])),
        professions=frozenset(map(int, parts["p"])),
        sectors=frozenset(map(int, parts["c"])),
        kinds=frozenset(parts["k"]),
        named_skills=tuple(map(int, parts["o"])),
    )
