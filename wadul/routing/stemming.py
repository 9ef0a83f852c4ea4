"""Indonesian stems for the classifier: one feature for "diperbaiki", "perbaikan", "memperbaiki".

Indonesian builds words with prefixes and suffixes (me-, ber-, di-, pe-, ke-…-an, -kan, -nya),
so the same matter is written with many surface forms and a word feature learnt from one of
them says nothing about the others. The classifier therefore also sees the stems of the words
(Sastrawi: the Nazief–Adriani/ECS stemmer with its Indonesian root dictionary), beside the
words themselves. Sastrawi is slow on words it does not know (~0.1 ms), so stems are
cached per word for the life of the process.
"""

from __future__ import annotations

from functools import cache, lru_cache

from Sastrawi.Dictionary.ArrayDictionary import ArrayDictionary
from Sastrawi.Stemmer.Stemmer import Stemmer
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

# Distinct words seen by one process: the seed corpus has ~4,300, 50,000 generated texts
# with typos ~13,000; the bound only keeps a long-running worker's memory flat.
STEM_CACHE_SIZE = 200_000


@cache
def _stemmer() -> Stemmer:
    # The bare stemmer: our texts are already normalised (lower-case words of letters and
    # digits, see normalise.py), so Sastrawi's own text normaliser and its unbounded result
    # cache (CachedStemmer) are not needed.
    stemmer = Stemmer(ArrayDictionary(StemmerFactory().get_words()))
    # Sastrawi compiles its affix rules' patterns on first use (~7 ms in all): pay that here,
    # once per process, rather than inside the first message with an unknown word.
    for word in ("nyuwun", "pengendikan", "diperkirakan", "berkeliaran", "terpelanting"):
        stemmer.stem_word(word)
    return stemmer


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """The root of one normalised word ("perbaikan" → "baik"); the word itself if none."""
    return _stemmer().stem_word(word) or word


class StemAnalyzer:
    """Analyzer for a `TfidfVectorizer`: the stems of a normalised text's words.

    Unigrams only: most words are their own stem, so stem pairs would repeat the word pairs
    the word vectorizer already has (and cost training time). A module-level class, not a
    closure, so fitted pipelines can be pickled and stored.
    """

    def __call__(self, text: str) -> list[str]:
        return [stem(word) for word in text.split()]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StemAnalyzer)

    def __hash__(self) -> int:
        return hash(StemAnalyzer)

    def __repr__(self) -> str:
        return "StemAnalyzer()"
