"""Sparse lexical vectors: vocabulary, term counts, TF-IDF and BM25 weighting (scipy.sparse).

Weights are float32 CSR matrices with one row per document. Terms seen in a single document are
kept while normalising (they make a long, off-topic text less similar) and then dropped, since
they can never be shared: that removes most bigrams and keeps the products small.
"""

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float32]


class Vocabulary:
    """Term → column index, grown as documents are counted."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self.index)

    def counts(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Term-count matrix (documents × vocabulary so far), growing the vocabulary."""
        index = self.index
        cols: list[int] = []
        lengths = np.zeros(len(docs), dtype=np.int64)
        for row, doc in enumerate(docs):
            lengths[row] = len(doc)
            for term in doc:
                col = index.get(term)
                if col is None:
                    col = index[term] = len(index)
                cols.append(col)
        rows = np.repeat(np.arange(len(docs), dtype=np.int32), lengths)
        data = np.ones(len(cols), dtype=np.float32)
        matrix = sp.csr_matrix(
            (data, (rows, np.asarray(cols, dtype=np.int32))), shape=(len(docs), len(index))
        )
        matrix.sum_duplicates()
        return matrix


def widen(matrix: sp.csr_matrix, columns: int) -> sp.csr_matrix:
    """The same matrix with `columns` columns (the vocabulary grew after it was counted)."""
    return sp.csr_matrix(
        (matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], columns)
    )


def document_frequency(*matrices: sp.csr_matrix) -> tuple[npt.NDArray[np.float64], int]:
    """How many documents (rows of all matrices) hold each term, and the number of documents."""
    df = np.zeros(matrices[0].shape[1], dtype=np.float64)
    total = 0
    for matrix in matrices:
        df += np.bincount(matrix.indices, minlength=matrix.shape[1])
        total += matrix.shape[0]
    return df, total


def smooth_idf(df: npt.NDArray[np.float64], n_docs: int) -> npt.NDArray[np.float64]:
    """ln((1 + N) / (1 + df)) + 1: never zero, so a term in every document still counts a bit."""
    return np.log((1.0 + n_docs) / (1.0 + df)) + 1.0


def bm25_idf(df: npt.NDArray[np.float64], n_docs: int) -> npt.NDArray[np.float64]:
    """Robertson–Spärck Jones idf with the +1 that keeps it positive."""
    return np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def _scale_columns(matrix: sp.csr_matrix, weights: npt.NDArray[np.float64]) -> sp.csr_matrix:
    out = matrix.copy()
    out.data = (out.data * weights[out.indices]).astype(np.float32)
    return out


def _scale_rows(matrix: sp.csr_matrix, factors: npt.NDArray[np.float64]) -> sp.csr_matrix:
    out = matrix.copy()
    out.data = (out.data * np.repeat(factors, np.diff(out.indptr))).astype(np.float32)
    return out


def _keep(matrix: sp.csr_matrix, shared: npt.NDArray[np.bool_]) -> sp.csr_matrix:
    """Drop the entries of terms that are not shared by two documents or more."""
    coo = matrix.tocoo()
    mask = shared[coo.col]
    out = sp.csr_matrix(
        (coo.data[mask], (coo.row[mask], coo.col[mask])), shape=matrix.shape, dtype=np.float32
    )
    out.sort_indices()
    return out


def tfidf(
    counts: sp.csr_matrix, idf: npt.NDArray[np.float64], shared: npt.NDArray[np.bool_]
) -> sp.csr_matrix:
    """Sublinear TF-IDF rows, L2-normalised (so a dot product is a cosine in [0, 1])."""
    weighted = counts.copy().astype(np.float64)
    weighted.data = 1.0 + np.log(weighted.data)
    weighted = _scale_columns(weighted, idf).astype(np.float64)
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return _keep(_scale_rows(weighted, inverse), shared)


def bm25_documents(
    counts: sp.csr_matrix,
    shared: npt.NDArray[np.bool_],
    *,
    k1: float,
    b: float,
    average_length: float,
) -> sp.csr_matrix:
    """BM25 term saturation of document rows: tf·(k1+1) / (tf + k1·(1 − b + b·len/avglen))."""
    lengths = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    norm = k1 * (1.0 - b + b * lengths / max(average_length, 1e-9))
    out = counts.copy().astype(np.float64)
    tf = out.data
    out.data = tf * (k1 + 1.0) / (tf + np.repeat(norm, np.diff(out.indptr)))
    return _keep(out.astype(np.float32), shared)


def bm25_queries(
    counts: sp.csr_matrix, idf: npt.NDArray[np.float64], shared: npt.NDArray[np.bool_], k1: float
) -> sp.csr_matrix:
    """Query rows (binary × idf) divided by the best score they could reach, Σ idf·(k1+1).

    With documents from ``bm25_documents`` a dot product is then a BM25 score in [0, 1].
    """
    binary = counts.copy().astype(np.float64)
    binary.data = np.ones_like(binary.data)
    weighted = _scale_columns(binary, idf).astype(np.float64)
    ceiling = np.asarray(weighted.sum(axis=1)).ravel() * (k1 + 1.0)
    inverse = np.divide(1.0, ceiling, out=np.zeros_like(ceiling), where=ceiling > 0)
    return _keep(_scale_rows(weighted, inverse), shared)


def l2_normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1), dtype=np.float64).ravel())
    inverse = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return _scale_rows(matrix, inverse)
