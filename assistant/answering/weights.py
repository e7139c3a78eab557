"""How informative a term is in one collection (IDF), and how much of a question a text covers."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assistant.text.segment import LATIN_WORD, bigram_tokens

_LATIN_TERM = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")
_MODEL_BASE = 4  # letters a name needs before a model number built on it counts as naming it


@dataclass(frozen=True)
class TermWeights:
    """IDF of terms over the indexed chunks. A term the index does not hold as a token (a
    word, when the index counts character bigrams) gets the IDF of its rarest bigram."""

    document_frequency: Mapping[str, int]
    documents: int
    lookup: Callable[[str], float | None] | None = field(default=None, compare=False)

    @classmethod
    def uniform(cls) -> TermWeights:
        return cls({}, 1)

    def idf(self, term: str) -> float:
        if self.lookup is not None:
            found = self.lookup(term)
            if found is not None:
                return found
        tokens = bigram_tokens(term) or [term]
        frequency = min((self.document_frequency.get(t, 0) for t in tokens), default=0)
        return math.log(1 + self.documents / (1 + frequency))

    def known(self, term: str) -> bool:
        """Whether the collection holds the term at all (for a word: each of its bigrams)."""
        if not self.documents or not self.document_frequency:
            return True  # no statistics (a prompt's passages alone): assume it may
        tokens = bigram_tokens(term) or [term]
        return all(self.document_frequency.get(t, 0) > 0 for t in tokens)

    def coverage(self, terms: Iterable[str], normalized_text: str) -> float:
        """The IDF-weighted share of `terms` that the text contains."""
        terms = list(terms)
        total = sum(self.idf(t) for t in terms)
        if not total:
            return 0.0
        words = set(LATIN_WORD.findall(normalized_text))
        return sum(self.idf(t) for t in terms if contains(normalized_text, t, words)) / total

    def parts_coverage(self, parts: Sequence[Sequence[str]], texts: Sequence[str]) -> float:
        """Mean over a question's parts of the best coverage of that part by one text."""
        if not parts or not texts:
            return 0.0
        return sum(max(self.coverage(p, t) for t in texts) for p in parts) / len(parts)


def contains(normalized_text: str, term: str, latin_words: set[str] | None = None) -> bool:
    """A Latin term must stand as a word (`us` is not in `bus`); a Chinese one as a substring.
    A name of letters alone also stands in a model number built on it (`cloudmatrix` in
    `cloudmatrix385`, `iphone` in `iphone15`): the model is one of that name. A code with digits
    does not (`h20` is not in `h200`)."""
    if _LATIN_TERM.fullmatch(term):
        words = latin_words if latin_words is not None else set(LATIN_WORD.findall(normalized_text))
        if term in words:
            return True
        return len(term) >= _MODEL_BASE and term.isalpha() and any(
            w.startswith(term) and w[len(term)].isdigit() for w in words if len(w) > len(term))
    return term in normalized_text
