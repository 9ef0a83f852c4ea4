"""What each unit type is about: domain words, written from how regencies divide their work.

The classifier gets one extra feature per unit type, "the text uses words of this type",
so a complaint that uses a word no training example had ("makadam", "IKD", "AK1") still
lands near the right unit. Terms are in normalised spelling (`wadul.routing.normalise`).
Terms of 5+ letters match inside words ("aspal" in "diaspal"); shorter ones match whole
words only. The terms live in `seed/lexicon.csv` (one `label,term` row each), data rather
than code. This is soft evidence for the model; operators' hard rules live in `RoutingRule`.
"""

from __future__ import annotations

import csv
import re
from functools import cached_property
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

LEXICON_CSV = Path(__file__).resolve().parent / "seed" / "lexicon.csv"


def load_lexicon(path: Path = LEXICON_CSV) -> dict[str, tuple[str, ...]]:
    """Unit type → its terms, in file order (one `label,term` row per term)."""
    lexicon: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            term = row["term"].strip()
            if term:
                lexicon.setdefault(row["label"].strip(), []).append(term)
    return {label: tuple(terms) for label, terms in lexicon.items()}


LEXICON: dict[str, tuple[str, ...]] = load_lexicon()


_WORD_CACHE_SIZE = 200_000


class LexiconFeatures(TransformerMixin, BaseEstimator):
    """One column per unit type: how many of its words the text uses (log-scaled)."""

    def __init__(self, lexicon: dict[str, tuple[str, ...]] | None = None):
        self.lexicon = lexicon

    def fit(self, texts, labels=None):
        self.labels_ = sorted((self.lexicon or LEXICON).keys())
        return self

    @cached_property
    def _compiled(self) -> tuple[list, list, re.Pattern[str] | None]:
        """Per label: a pattern of its one-word terms (applied to single words) and one of its
        phrases (applied to the text), plus one pattern of every phrase as a cheap pre-check."""
        lexicon = self.lexicon or LEXICON
        words, phrases, every_phrase = [], [], []
        for label in self.labels_:
            one, many = [], []
            for term in lexicon[label]:
                escaped = re.escape(term)
                part = escaped if len(term) >= 5 else rf"\b{escaped}\b"
                (many if " " in term else one).append(part)
            words.append(re.compile("|".join(one)) if one else None)
            phrases.append(re.compile("|".join(many)) if many else None)
            every_phrase += many
        return words, phrases, re.compile("|".join(every_phrase)) if every_phrase else None

    def _word_hits(self, word: str) -> tuple[tuple[int, int], ...]:
        # Texts arrive normalised (lower-case words of letters and digits, one space apart),
        # so one-word terms can be matched word by word, and words repeat across texts: a
        # cache turns 36 regex scans per text into dictionary look-ups (50,000 training texts:
        # 13 s → under 1 s).
        cache = self.__dict__.setdefault("_word_cache", {})
        hits = cache.get(word)
        if hits is None:
            words = self._compiled[0]
            hits = tuple(
                (j, n)
                for j, pattern in enumerate(words)
                if pattern is not None and (n := len(pattern.findall(word)))
            )
            if len(cache) >= _WORD_CACHE_SIZE:
                cache.clear()
            cache[word] = hits
        return hits

    def counts(self, text: str) -> dict[int, int]:
        """Label column → number of its terms in one normalised text."""
        found: dict[int, int] = {}
        for word in text.split():
            for j, n in self._word_hits(word):
                found[j] = found.get(j, 0) + n
        _, phrases, every_phrase = self._compiled
        if every_phrase is not None and every_phrase.search(text):
            for j, pattern in enumerate(phrases):
                if pattern is not None and (n := len(pattern.findall(text))):
                    found[j] = found.get(j, 0) + n
        return found

    def transform(self, texts):
        rows, cols, values = [], [], []
        for i, text in enumerate(texts):
            for j, hits in self.counts(text).items():
                rows.append(i)
                cols.append(j)
                values.append(np.log1p(hits))
        return sparse.csr_matrix(
            (values, (rows, cols)), shape=(len(texts), len(self.labels_)), dtype=np.float32
        )

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"lexicon:{label}" for label in self.labels_], dtype=object)

    def __getstate__(self):
        state = self.__dict__.copy()
        # Compiled lazily again after unpickling; the word cache is rebuilt as texts come.
        state.pop("_compiled", None)
        state.pop("_word_cache", None)
        return state
