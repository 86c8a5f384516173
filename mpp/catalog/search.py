"""Normalising Indonesian search text so that common variants meet.

"ktp", "e-ktp" and "KTP-el" become the same word; affixed forms are stemmed with Sastrawi
("kelahiran" → "lahir"), so "akta lahir" finds "Akta Kelahiran".
"""

import re
import unicodedata
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# Written variants of the same thing, folded to one word before stemming.
VARIANTS: dict[str, str] = {
    "e-ktp": "ktp",
    "ektp": "ktp",
    "ktp-el": "ktp",
    "ktpel": "ktp",
    "ktp-elektronik": "ktp",
    "e-ktp-el": "ktp",
    # Written apart, the variants are still one card (a search for "ktp el" must not ask for
    # a separate word "el" that the index folded away).
    "e ktp el": "ktp",
    "e ktp": "ktp",
    "ktp el": "ktp",
    "ktp elektronik": "ktp",
    "kartu tanda penduduk elektronik": "ktp",
    "kartu tanda penduduk": "ktp",
    "kartu keluarga": "kk",
    "akte": "akta",
    "sim-a": "sim a",
    "sim-c": "sim c",
    "pbb-p2": "pbb",
    "bpjs-kes": "bpjs kesehatan",
    "bpjstk": "bpjs ketenagakerjaan",
}
# Words that say nothing on their own in a search.
STOPWORDS = frozenset({"dan", "atau", "di", "ke", "dari", "untuk", "yang", "the", "of", "for"})

_WORD = re.compile(r"[a-z0-9]+")
_HYPHENATED = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")
# Multi-word variants, longest first, matched as whole words only: a bare str.replace would
# turn "the ktp" into "thktp" through the phrase "e ktp".
_PHRASES = re.compile(
    r"(?<![a-z0-9])("
    + "|".join(
        re.escape(k) for k in sorted((k for k in VARIANTS if " " in k), key=len, reverse=True)
    )
    + r")(?![a-z0-9])"
)
# No Indonesian word is this long; stemming a longer one costs seconds and finds nothing.
MAX_STEMMED_LENGTH = 40


@lru_cache(maxsize=1)
def _stemmer():
    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=20000)
def _stem(word: str) -> str:
    if len(word) <= 3 or len(word) > MAX_STEMMED_LENGTH or word.isdigit():
        return word
    return _stemmer().stem(word) or word


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[_/.,;:()\[\]\"']", " ", text)
    text = re.sub(r"\s+", " ", text)
    text = _PHRASES.sub(lambda m: VARIANTS[m.group(0)], text)
    return _HYPHENATED.sub(lambda m: VARIANTS.get(m.group(0), m.group(0).replace("-", " ")), text)


def tokens(text: str) -> list[str]:
    """The normalised, stemmed words of a text, in order, without stop words."""
    words = []
    for word in _WORD.findall(_fold(text)):
        word = VARIANTS.get(word, word)
        for part in word.split():
            if part not in STOPWORDS:
                words.append(_stem(part))
    return words


def index_text(*parts: str) -> str:
    """The search_text stored on a service: unique normalised words framed by spaces."""
    seen = dict.fromkeys(token for part in parts for token in tokens(part or ""))
    return " " + " ".join(seen) + " "
