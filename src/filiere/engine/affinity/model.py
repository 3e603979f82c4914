"""Affinity between proposals and experts: lexical + keyword (+ optional embedding) scores.

Every (proposal, expert) pair gets a score in [0, 1]:

    score = (w_lex · lexical + w_kw · keywords + w_emb · embedding) / (sum of the weights used)

with weights learned on held-out data (``fusion.py``):

* lexical: cosine of sublinear TF-IDF vectors (stems, and bigrams at half weight; per-language
  analysis) between the proposal and the expert's profile; by default ("best") a blend of the
  whole profile as one document and the expert's best-matching items (an expert known for one
  work on the subject among unrelated ones is not diluted by them); the profile alone, the max,
  mean or mean of the best ``top_items`` items are variants; BM25 is a variant too;
* keywords: cosine of idf-weighted keyword sets (stems and whole phrases), used only when both
  sides have keywords, so that nobody is penalised for not having filled them in;
* embedding: cosine of multilingual sentence embeddings (optional extra), rescaled so that the
  similarity of unrelated texts (``embedding_floor``) maps to 0, aggregated like the lexical term
  (the profile is the normalised mean of the item vectors); it matches an English profile with a
  French proposal.

Optionally (``language_penalty`` < 1), a proposal whose language is not among the languages an
expert declared has its score multiplied by the penalty. Proposals are processed in blocks
(scipy.sparse products, float32), so memory stays bounded whatever the number of pairs, and
``top_k`` keeps only the K best experts per proposal (``argpartition``).
"""

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from filiere.engine.affinity import lexical
from filiere.engine.affinity.embeddings import (
    EmbeddingCache,
    EmbeddingsUnavailable,
    TextEncoder,
    load_encoder,
)
from filiere.engine.affinity.fusion import (
    LEARNED_LEXICAL,
    LEARNED_WITH_EMBEDDINGS,
    FusionWeights,
    Terms,
    calibration_scale,
    fuse,
    top_item_weights,
)
from filiere.engine.affinity.text import Analyzer, normalise_language

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
Scheme = Literal["tfidf", "bm25"]
Aggregation = Literal["best", "profile", "topk_mean", "max", "mean"]
AGGREGATIONS: tuple[Aggregation, ...] = ("best", "profile", "topk_mean", "max", "mean")
EmbeddingMode = Literal["off", "auto", "on"]
_LANGUAGE_ROWS = {"fr": 0, "en": 1, "nl": 2}
_CELLS_PER_BLOCK = 8_000_000  # float32 cells of one block's item-level scores (32 MB)


@dataclass(frozen=True)
class ExpertItem:
    """One element of an expert's profile: a past work, a bio, a list of skills..."""

    title: str
    text: str


@dataclass(frozen=True)
class Expert:
    id: str
    items: tuple[ExpertItem, ...]
    keywords: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposal:
    id: str
    title: str
    text: str
    keywords: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True)
class AffinityOptions:
    """How scores are computed; the defaults were chosen by measurement (docs/engine/affinity.md).

    scheme: "tfidf" (cosine of sublinear TF-IDF) or "bm25" (BM25 divided by its ceiling).
    aggregation over an expert's items: "best" (the profile as one document blended with the
    best ``top_items`` items, weighted 4 : 2 : 1), "profile" (all items concatenated into one
    document), "topk_mean" (mean of the best ``top_items``), "max" or "mean".
    embeddings: "off", "on" (error if the extra is missing) or "auto" (used when installed).
    keyword_weight, embedding_weight, best_share (share of the best items in the lexical term)
    and embedding_best_share: None takes the learned value (``fusion.LEARNED_LEXICAL``, or
    ``fusion.LEARNED_WITH_EMBEDDINGS`` when embeddings are used).
    """

    scheme: Scheme = "tfidf"
    aggregation: Aggregation = "best"
    top_items: int = 3
    bigram_weight: float = 0.5
    lexical_weight: float = 1.0
    keyword_weight: float | None = None
    embeddings: EmbeddingMode = "auto"
    embedding_weight: float | None = None
    best_share: float | None = None
    embedding_best_share: float | None = None
    embedding_floor: float = 0.3
    language_coverage: bool = True
    calibrate_embeddings: bool = True
    language_penalty: float = 1.0
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    block_size: int = 512

    def __post_init__(self) -> None:
        if self.bigram_weight < 0:
            raise ValueError("bigram_weight must be non-negative")
        if self.top_items < 1:
            raise ValueError("top_items must be at least 1")
        given = (self.keyword_weight, self.embedding_weight)
        if self.lexical_weight < 0 or any(w is not None and w < 0 for w in given):
            raise ValueError("weights must be non-negative")
        shares = (self.best_share, self.embedding_best_share)
        if any(s is not None and not 0.0 <= s <= 1.0 for s in shares):
            raise ValueError("best_share and embedding_best_share must be between 0 and 1")
        if self.lexical_weight == 0 and self.embeddings == "off":
            raise ValueError("the lexical weight can be 0 only with embeddings")
        if not 0.0 <= self.language_penalty <= 1.0:
            raise ValueError("language_penalty must be between 0 and 1")
        if not 0.0 <= self.embedding_floor < 1.0:
            raise ValueError("embedding_floor must be in [0, 1)")
        if self.block_size < 1:
            raise ValueError("block_size must be at least 1")

    def fusion_weights(self, with_embeddings: bool) -> FusionWeights:
        """The weights used: the learned ones, except those given explicitly."""
        learned = LEARNED_WITH_EMBEDDINGS if with_embeddings else LEARNED_LEXICAL
        return FusionWeights(
            lexical=self.lexical_weight,
            lexical_best=_given(self.best_share, learned.lexical_best),
            keywords=_given(self.keyword_weight, learned.keywords),
            embedding=_given(self.embedding_weight, learned.embedding) if with_embeddings else 0.0,
            embedding_best=_given(self.embedding_best_share, learned.embedding_best),
        )


def _given(value: float | None, learned: float) -> float:
    return learned if value is None else value


@dataclass(frozen=True)
class AffinityBlock:
    """Scores for a block of proposals, as parallel arrays of pairs (indices into the inputs)."""

    proposal_index: IntArray
    expert_index: IntArray
    scores: FloatArray


@dataclass
class _Segments:
    """Which item columns belong to which expert (items are stored expert by expert)."""

    starts: IntArray
    counts: IntArray
    padded: IntArray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))


def _item_text(item: ExpertItem) -> str:
    return f"{item.title}\n{item.text}" if item.title else item.text


def _proposal_text(proposal: Proposal) -> str:
    return f"{proposal.title}\n{proposal.text}" if proposal.title else proposal.text


class AffinityModel:
    """Fit the vocabulary and weights on the given proposals and experts, then score in blocks."""

    def __init__(
        self,
        proposals: Sequence[Proposal],
        experts: Sequence[Expert],
        options: AffinityOptions | None = None,
        *,
        encoder: TextEncoder | EmbeddingCache | None = None,
    ) -> None:
        self.options = options or AffinityOptions()
        self.proposals = list(proposals)
        self.experts = list(experts)
        self.notes: list[str] = []
        opts = self.options
        analyzer = Analyzer(bigrams=opts.bigram_weight > 0)

        # Texts, languages and terms.
        proposal_texts = [_proposal_text(p) for p in self.proposals]
        proposal_terms: list[list[str]] = []
        self.proposal_languages: list[str] = []
        for proposal, text in zip(self.proposals, proposal_texts, strict=True):
            terms, language = analyzer.terms(text, proposal.language)
            proposal_terms.append(terms)
            self.proposal_languages.append(language)
        item_texts: list[str] = []
        item_terms: list[list[str]] = []
        counts = np.zeros(len(self.experts), dtype=np.int64)
        expert_languages: list[str] = []
        coverage = np.zeros((len(self.experts), len(_LANGUAGE_ROWS)), dtype=np.float32)
        for row, expert in enumerate(self.experts):
            items = expert.items or (ExpertItem("", ""),)  # an empty profile scores 0
            counts[row] = len(items)
            seen: Counter[str] = Counter()
            for item in items:
                text = _item_text(item)
                terms, language = analyzer.terms(text)
                item_texts.append(text)
                item_terms.append(terms)
                seen[language] += len(terms)
            total_terms = sum(seen.values())
            for lang, n_terms in seen.items():
                coverage[row, _LANGUAGE_ROWS[lang]] = n_terms / total_terms if total_terms else 1.0
            declared = [normalise_language(code) for code in expert.languages]
            expert_languages.append(
                next((lang for lang in declared if lang), None) or seen.most_common(1)[0][0]
            )
        starts = (np.cumsum(counts) - counts).astype(np.int64)
        self._segments = _Segments(starts=starts, counts=counts)
        self._coverage_t = coverage.T.copy()  # language × expert: share of the profile's terms
        self._proposal_language_rows = np.array(
            [_LANGUAGE_ROWS[lang] for lang in self.proposal_languages], dtype=np.int64
        )
        self._embedding_scale = 1.0

        # Lexical vectors.
        vocabulary = lexical.Vocabulary()
        proposal_counts = vocabulary.counts(proposal_terms)
        item_counts = vocabulary.counts(item_terms)
        width = len(vocabulary)
        proposal_counts = lexical.widen(proposal_counts, width)
        item_counts = lexical.widen(item_counts, width)
        if opts.aggregation in ("profile", "best"):
            owner = np.repeat(np.arange(len(self.experts)), counts)
            merge = sp.csr_matrix(
                (np.ones(len(owner), dtype=np.float32), (owner, np.arange(len(owner)))),
                shape=(len(self.experts), len(owner)),
            )
            documents = (merge @ item_counts).tocsr()
        else:
            documents = item_counts
        df, n_docs = lexical.document_frequency(proposal_counts, documents)
        shared = df >= 2
        term_weight = np.ones(width)
        if opts.bigram_weight not in (0.0, 1.0):
            bigram_columns = [col for term, col in vocabulary.index.items() if " " in term]
            term_weight[bigram_columns] = opts.bigram_weight
        if opts.scheme == "tfidf":
            idf = lexical.smooth_idf(df, n_docs) * term_weight
            queries = lexical.tfidf(proposal_counts, idf, shared)
            docs = lexical.tfidf(documents, idf, shared)
        else:
            idf = lexical.bm25_idf(df, n_docs) * term_weight
            average = float(documents.sum()) / max(documents.shape[0], 1)
            queries = lexical.bm25_queries(proposal_counts, idf, shared, opts.bm25_k1)
            docs = lexical.bm25_documents(
                documents, shared, k1=opts.bm25_k1, b=opts.bm25_b, average_length=average
            )
        self._queries = queries
        self._documents_t = docs.T.tocsr()
        self._items_t: sp.csr_matrix | None = None
        if opts.aggregation == "best":
            # Items weighted with the profiles' idf, so that the profile part of the blend is
            # exactly the "profile" aggregation.
            if opts.scheme == "tfidf":
                item_docs = lexical.tfidf(item_counts, idf, shared)
            else:
                item_docs = lexical.bm25_documents(
                    item_counts, shared, k1=opts.bm25_k1, b=opts.bm25_b, average_length=average
                )
            self._items_t = item_docs.T.tocsr()
        self.vocabulary_size = width
        self.shared_terms = int(shared.sum())

        # Keyword vectors (binary × idf, L2-normalised), only where both sides have keywords.
        keyword_vocabulary = lexical.Vocabulary()
        proposal_kw = keyword_vocabulary.counts(
            [
                analyzer.keyword_terms(p.keywords, lang)
                for p, lang in zip(self.proposals, self.proposal_languages, strict=True)
            ]
        )
        expert_kw = keyword_vocabulary.counts(
            [
                analyzer.keyword_terms(e.keywords, lang)
                for e, lang in zip(self.experts, expert_languages, strict=True)
            ]
        )
        kw_width = len(keyword_vocabulary)
        proposal_kw = lexical.widen(proposal_kw, kw_width)
        expert_kw = lexical.widen(expert_kw, kw_width)
        kw_df, kw_docs = lexical.document_frequency(proposal_kw, expert_kw)
        kw_idf = lexical.smooth_idf(kw_df, kw_docs)
        everything = np.ones(kw_width, dtype=bool)
        self._proposal_kw = _binary_idf(proposal_kw, kw_idf, everything)
        self._expert_kw_t = _binary_idf(expert_kw, kw_idf, everything).T.tocsr()
        self._proposal_has_kw = np.diff(self._proposal_kw.indptr) > 0
        self._expert_has_kw = np.diff(expert_kw.indptr) > 0

        # Declared languages.
        self._language_ok = self._language_table(expert_languages)

        # Optional embeddings.
        self._proposal_emb: FloatArray | None = None
        self._item_emb: FloatArray | None = None  # profiles, or items (item aggregations)
        self._best_emb: FloatArray | None = None  # items, for the aggregation "best"
        self.embedding_model: str | None = None
        if opts.embeddings != "off" and opts.embedding_weight != 0:
            cache = self._embedding_cache(encoder)
            if cache is not None:
                self.embedding_model = cache.encoder.name
                self._proposal_emb = cache.encode(proposal_texts)
                item_vectors = cache.encode(item_texts)
                if opts.aggregation in ("profile", "best"):
                    sums = np.add.reduceat(item_vectors, starts, axis=0)
                    norms = np.linalg.norm(sums, axis=1, keepdims=True)
                    profile_vectors = (sums / np.maximum(norms, 1e-12)).astype(np.float32)
                    if opts.aggregation == "best":
                        self._best_emb = item_vectors
                    item_vectors = profile_vectors
                self._item_emb = item_vectors
        self.weights = opts.fusion_weights(self._item_emb is not None)
        if opts.aggregation in ("topk_mean", "best"):
            self._segments.padded = _padded_columns(starts, counts)
        if self._item_emb is not None and opts.calibrate_embeddings:
            self._embedding_scale = self._calibrate_embeddings()

    # -- set-up helpers -------------------------------------------------------------------------

    def _embedding_cache(
        self, encoder: TextEncoder | EmbeddingCache | None
    ) -> EmbeddingCache | None:
        if isinstance(encoder, EmbeddingCache):
            return encoder
        if encoder is not None:
            return EmbeddingCache(encoder)
        try:
            return EmbeddingCache(load_encoder())
        except EmbeddingsUnavailable as error:
            if self.options.embeddings == "on":
                raise
            self.notes.append(f"embeddings skipped: {error}")
            return None

    def _language_table(self, expert_languages: list[str]) -> npt.NDArray[np.bool_] | None:
        """proposal × expert: False where the expert declared languages without the proposal's."""
        if self.options.language_penalty == 1.0:
            return None
        declared = [
            {lang for lang in map(normalise_language, e.languages) if lang} for e in self.experts
        ]
        if not any(declared):
            return None
        codes = {"fr": 0, "en": 1, "nl": 2}
        speaks = np.ones((len(codes), len(self.experts)), dtype=bool)
        for col, langs in enumerate(declared):
            if langs:
                for lang, row in codes.items():
                    speaks[row, col] = lang in langs
        rows = np.array([codes[lang] for lang in self.proposal_languages], dtype=np.int64)
        return speaks[rows]

    # -- scoring --------------------------------------------------------------------------------

    @property
    def uses_embeddings(self) -> bool:
        return self._item_emb is not None

    def _aggregate(self, item_scores: FloatArray, how: Aggregation | None = None) -> FloatArray:
        """Expert scores from item-level scores (block × items → block × experts)."""
        how = how or self.options.aggregation
        seg = self._segments
        if how == "profile":
            return item_scores
        if how == "max":
            return np.maximum.reduceat(item_scores, seg.starts, axis=1)
        sums = np.add.reduceat(item_scores, seg.starts, axis=1)
        if how == "mean":
            return (sums / seg.counts).astype(np.float32)
        k = self.options.top_items
        padded = seg.padded
        if how == "topk_mean" and padded.shape[1] <= k:  # nobody has more than k items
            return (sums / seg.counts).astype(np.float32)
        extended = np.concatenate(
            [item_scores, np.zeros((item_scores.shape[0], 1), dtype=np.float32)], axis=1
        )
        gathered = extended[:, padded]  # block × experts × longest profile, padded with 0
        if gathered.shape[2] < k:
            missing = np.zeros((*gathered.shape[:2], k - gathered.shape[2]), dtype=np.float32)
            gathered = np.concatenate([gathered, missing], axis=2)
        top = -np.partition(-gathered, k - 1, axis=2)[:, :, :k]
        if how == "best":  # best first, weighted 4 : 2 : 1; missing items count 0
            ranked = -np.sort(-top, axis=2)
            weighted: FloatArray = (ranked @ top_item_weights(k)).astype(np.float32)
            return weighted
        best: FloatArray = (top.sum(axis=2) / np.minimum(seg.counts, k)).astype(np.float32)
        return best

    def block_rows(self) -> int:
        """Proposals per block, so that one block's item-level scores stay under ~32 MB."""
        columns = int(self._documents_t.shape[1])
        if self._items_t is not None:
            columns += int(self._items_t.shape[1])
        if self.options.aggregation in ("topk_mean", "best"):
            columns = max(columns, self._segments.padded.size)
        return max(1, min(self.options.block_size, _CELLS_PER_BLOCK // max(columns, 1)))

    def _lexical_block(self, start: int, stop: int) -> FloatArray:
        lex_items = (self._queries[start:stop] @ self._documents_t).toarray()
        how: Aggregation | None = "profile" if self.options.aggregation == "best" else None
        return self._aggregate(lex_items.astype(np.float32), how)

    def _lexical_best_block(self, start: int, stop: int) -> FloatArray | None:
        if self._items_t is None:
            return None
        lex_items = (self._queries[start:stop] @ self._items_t).toarray()
        return self._aggregate(lex_items.astype(np.float32), "best")

    def _rescaled_cosine(self, start: int, stop: int, vectors: FloatArray) -> FloatArray:
        assert self._proposal_emb is not None
        cosine = self._proposal_emb[start:stop] @ vectors.T
        floor = self.options.embedding_floor
        rescaled: FloatArray = np.clip((cosine - floor) / (1.0 - floor), 0.0, 1.0).astype(
            np.float32
        )
        return rescaled

    def _embedding_block(self, start: int, stop: int) -> FloatArray | None:
        if self._item_emb is None:
            return None
        how: Aggregation | None = "profile" if self.options.aggregation == "best" else None
        return self._aggregate(self._rescaled_cosine(start, stop, self._item_emb), how)

    def _embedding_best_block(self, start: int, stop: int) -> FloatArray | None:
        if self._best_emb is None:
            return None
        return self._aggregate(self._rescaled_cosine(start, stop, self._best_emb), "best")

    def _lexical_share(self, start: int, stop: int) -> FloatArray:
        """block × experts: share of each expert's profile written in the proposal's language."""
        share: FloatArray = self._coverage_t[self._proposal_language_rows[start:stop]]
        return share

    def terms(self, start: int, stop: int) -> Terms:
        """The raw terms of proposals start..stop × all experts, before weighting."""
        if self.weights.keywords == 0:
            keywords = np.zeros((stop - start, len(self.experts)), dtype=np.float32)
        else:
            keywords = (self._proposal_kw[start:stop] @ self._expert_kw_t).toarray()
        both = self._proposal_has_kw[start:stop, None] & self._expert_has_kw[None, :]
        # A term whose share is 0 is not computed (the item-level products are the costly part).
        return Terms(
            lexical=self._lexical_block(start, stop),
            lexical_best=(
                self._lexical_best_block(start, stop) if self.weights.lexical_best > 0 else None
            ),
            keywords=keywords.astype(np.float32),
            keywords_present=both,
            language_share=self._lexical_share(start, stop),
            embedding=self._embedding_block(start, stop),
            embedding_best=(
                self._embedding_best_block(start, stop) if self.weights.embedding_best > 0 else None
            ),
        )

    def calibration_rows(self) -> IntArray:
        """The proposals the embedding calibration looks at: up to 512, spread over the input."""
        n = len(self.proposals)
        return np.unique(np.linspace(0, n - 1, min(n, 512)).astype(np.int64))

    def _calibrate_embeddings(self) -> float:
        """Factor putting embedding scores on the lexical scale (``fusion.calibration_scale``)."""
        if not self.proposals or not self.experts:
            return 1.0
        sample = [self.terms(int(r), int(r) + 1) for r in self.calibration_rows()]
        return calibration_scale(stack_terms(sample), self.weights)

    @property
    def embedding_scale(self) -> float:
        return self._embedding_scale

    def score_block(self, start: int, stop: int) -> FloatArray:
        """Dense scores (proposals start..stop × all experts), float32 in [0, 1]."""
        opts = self.options
        if not self.experts:
            return np.zeros((stop - start, 0), dtype=np.float32)
        scores = fuse(
            self.terms(start, stop),
            self.weights,
            scale=self._embedding_scale,
            language_coverage=opts.language_coverage,
        )
        if self._language_ok is not None:
            scores = np.where(self._language_ok[start:stop], scores, scores * opts.language_penalty)
        clipped: FloatArray = np.clip(scores, 0.0, 1.0).astype(np.float32)
        return clipped

    def blocks(self, top_k: int | None = None) -> Iterator[AffinityBlock]:
        """Pairs block by block: all experts per proposal, or the best ``top_k`` by score."""
        n_experts = len(self.experts)
        if top_k is not None and top_k < 1:
            raise ValueError("top_k must be at least 1")
        rows = self.block_rows()
        for start in range(0, len(self.proposals), rows):
            stop = min(start + rows, len(self.proposals))
            scores = self.score_block(start, stop)
            local = np.arange(start, stop, dtype=np.int64)
            if n_experts == 0:
                continue
            if top_k is None or top_k >= n_experts:
                order = np.argsort(-scores, axis=1, kind="stable")
            else:
                best = np.argpartition(-scores, top_k - 1, axis=1)[:, :top_k]
                best.sort(axis=1)  # by expert index, so ties below break the same way each run
                picked = np.take_along_axis(scores, best, axis=1)
                order = np.take_along_axis(best, np.argsort(-picked, axis=1, kind="stable"), axis=1)
            width = order.shape[1]
            yield AffinityBlock(
                proposal_index=np.repeat(local, width),
                expert_index=order.reshape(-1).astype(np.int64),
                scores=np.take_along_axis(scores, order, axis=1).reshape(-1),
            )

    def pairs(self, top_k: int | None = None) -> Iterator[tuple[str, str, float]]:
        """(proposal id, expert id, score) for every kept pair, best experts first."""
        proposal_ids = [p.id for p in self.proposals]
        expert_ids = [e.id for e in self.experts]
        for block in self.blocks(top_k):
            for p, e, s in zip(
                block.proposal_index.tolist(),
                block.expert_index.tolist(),
                block.scores.tolist(),
                strict=True,
            ):
                yield proposal_ids[p], expert_ids[e], s

    def matrix(self) -> FloatArray:
        """The dense proposal × expert score matrix (for small inputs and evaluations)."""
        parts = [
            self.score_block(start, min(start + self.block_rows(), len(self.proposals)))
            for start in range(0, len(self.proposals), self.block_rows())
        ]
        if not parts:
            return np.zeros((0, len(self.experts)), dtype=np.float32)
        return np.vstack(parts)


def _binary_idf(
    counts: sp.csr_matrix, idf: npt.NDArray[np.float64], keep: npt.NDArray[np.bool_]
) -> sp.csr_matrix:
    binary = counts.copy()
    binary.data = np.ones_like(binary.data)
    weighted = binary.multiply(idf[None, :].astype(np.float32)).tocsr()
    return lexical.l2_normalise_rows(weighted)


def stack_terms(parts: Sequence[Terms]) -> Terms:
    """Terms of consecutive blocks as one block."""

    def stack(values: list[FloatArray | None]) -> FloatArray | None:
        return None if values[0] is None else np.vstack(values)  # type: ignore[arg-type]

    return Terms(
        lexical=np.vstack([t.lexical for t in parts]),
        lexical_best=stack([t.lexical_best for t in parts]),
        keywords=np.vstack([t.keywords for t in parts]),
        keywords_present=np.vstack([t.keywords_present for t in parts]),
        language_share=np.vstack([t.language_share for t in parts]),
        embedding=stack([t.embedding for t in parts]),
        embedding_best=stack([t.embedding_best for t in parts]),
    )


def _padded_columns(starts: IntArray, counts: IntArray) -> IntArray:
    """experts × longest profile: each expert's item columns, then the padding column (-1)."""
    longest = int(counts.max()) if len(counts) else 0
    offsets = np.arange(longest, dtype=np.int64)[None, :]
    columns = starts[:, None] + offsets
    return np.where(offsets < counts[:, None], columns, -1)


def compute_affinity(
    proposals: Sequence[Proposal],
    experts: Sequence[Expert],
    *,
    top_k: int | None = None,
    options: AffinityOptions | None = None,
    encoder: TextEncoder | EmbeddingCache | None = None,
) -> Iterator[tuple[str, str, float]]:
    """Score every (proposal, expert) pair, or keep the ``top_k`` best experts per proposal.

    Yields (proposal id, expert id, score in [0, 1]), proposal by proposal in input order and,
    within a proposal, best expert first.
    """
    model = AffinityModel(proposals, experts, options, encoder=encoder)
    return model.pairs(top_k)
