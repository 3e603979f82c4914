"""How the directory's texts and queries are written: lower case, accents folded."""

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and an accent.
_FOLDS = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_WORD = re.compile(r"\w+")


def normalise(text: str) -> str:
    """Lower case, accents folded, spaces collapsed: ``" Chloé  Lœuvre"`` → ``"chloe loeuvre"``."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_FOLDS))
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


def search_words(query: str, limit: int) -> list[str]:
    """The words of a query as the texts store them, each once, at most ``limit``."""
    return list(dict.fromkeys(_WORD.findall(normalise(query))))[:limit]
