"""Per-language text analysis: tokens, language detection, stop words, Snowball stems, bigrams.

Texts in the cluster are French, English or Dutch and often mixed, so a text is analysed with
the stemmer of its own language (given, or detected from its stop words), the stop words of all
three languages are dropped (a French summary quoting an English title keeps no "the"), and
stems are folded to ASCII so that "cinéma" and "cinema" meet.
"""

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence

import Stemmer

from filiere.engine.affinity.stopwords import STOP_WORDS

LANGUAGES: tuple[str, ...] = ("fr", "en", "nl")
DEFAULT_LANGUAGE = "en"
_STEMMERS = {"fr": "french", "en": "english", "nl": "dutch"}
_ALIASES = {
    "fr": "fr", "fre": "fr", "fra": "fr", "french": "fr", "français": "fr", "francais": "fr",
    "en": "en", "eng": "en", "english": "en", "anglais": "en", "engels": "en",
    "nl": "nl", "dut": "nl", "nld": "nl", "dutch": "nl", "nederlands": "nl", "néerlandais": "nl",
    "flemish": "nl", "vlaams": "nl",
}  # fmt: skip
_TOKEN = re.compile(r"[^\W_]+")
ALL_STOP_WORDS: frozenset[str] = frozenset().union(*STOP_WORDS.values())


def normalise_language(code: str | None) -> str | None:
    """Map a language code or name ("fr", "fr-BE", "French", "nl_NL") to fr/en/nl, else None."""
    if not code:
        return None
    key = code.strip().lower().replace("_", "-")
    return _ALIASES.get(key) or _ALIASES.get(key.split("-")[0])


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens (letters and digits; apostrophes and hyphens split words)."""
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())


def detect_language(
    tokens: Sequence[str], candidates: Sequence[str] = LANGUAGES, default: str = DEFAULT_LANGUAGE
) -> str:
    """The candidate language whose stop words cover most tokens; `default` on a tie at zero.

    Function words make up about 40 % of running text in these three languages and their lists
    barely overlap, so a few dozen words are enough to tell them apart.
    """
    best, best_count = default, 0
    for language in candidates:
        stops = STOP_WORDS[language]
        count = sum(1 for token in tokens if token in stops)
        if count > best_count:
            best, best_count = language, count
    return best


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class Analyzer:
    """Turn a text into index terms: folded Snowball stems, optionally with adjacent bigrams."""

    def __init__(self, *, bigrams: bool = True, default_language: str = DEFAULT_LANGUAGE) -> None:
        self.bigrams = bigrams
        self.default_language = default_language
        self._stemmers = {lang: Stemmer.Stemmer(name) for lang, name in _STEMMERS.items()}
        self._cache: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}

    def language_of(self, text: str, hint: str | None = None) -> str:
        """The text's language: the hint when it names fr/en/nl, else detected."""
        return normalise_language(hint) or detect_language(
            tokenize(text), default=self.default_language
        )

    def stems(self, text: str, language: str | None = None) -> tuple[list[str], str]:
        """Content-word stems of `text` in order, and the language used to stem them."""
        tokens = tokenize(text)
        lang = normalise_language(language) or detect_language(
            tokens, default=self.default_language
        )
        content = [tok for tok in tokens if len(tok) > 1 and tok not in ALL_STOP_WORDS]
        cache = self._cache[lang]
        missing = list({tok for tok in content if tok not in cache})
        if missing:
            for token, stem in zip(missing, self._stemmers[lang].stemWords(missing), strict=True):
                cache[token] = _fold(stem)
        return [cache[tok] for tok in content], lang

    def terms(self, text: str, language: str | None = None) -> tuple[list[str], str]:
        """Index terms (stems, then bigrams "a b" when enabled) and the language used."""
        stems, lang = self.stems(text, language)
        if self.bigrams and len(stems) > 1:
            return stems + [f"{a} {b}" for a, b in itertools.pairwise(stems)], lang
        return stems, lang

    def keyword_terms(self, keywords: Iterable[str], language: str | None = None) -> list[str]:
        """Terms for a keyword list: each keyword's stems, plus the whole phrase as one term.

        "animation series" yields "anim", "seri" and "anim seri": a shared phrase counts more
        than a shared word, and a shared word still counts.
        """
        out: list[str] = []
        for keyword in keywords:
            stems, _ = self.stems(keyword, language)
            out.extend(stems)
            if len(stems) > 1:
                out.append(" ".join(stems))
        return out
