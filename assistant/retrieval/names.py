"""The question's names: a passage whose article never names what the question names is about
something else.

Embeddings read `英伟达因H20禁令计提了多少损失` and `超威因MI308禁令计提了多少损失` as nearly the same
text, and a collection with many reports of one kind (earnings, match reports, rate decisions)
holds many such look-alikes; BM25 tells them apart only as much as the name weighs among the
question's other words. Each fused candidate loses `weight` × the share of the question's names
that its article (any of its passages, or its title) never writes:
- the names jieba tags (people, places, organisations, words learned from the corpus) and
  model numbers (`h20`, `a350`), in the search form (Simplified, mainland usage);
- only names the passage's language could write: a Chinese name does not count against an
  English passage (the dense leg carries questions across languages), a code counts everywhere.

Language knowledge only (segmentation and scripts); nothing about what a collection is about.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.text.conjunctions import joins
from assistant.text.normalize import detect_script, search_form
from assistant.text.segment import LATIN_WORD, Segmenter, is_code
from assistant.types import Hit

# Chosen on the seed, multi-domain and news2 dev sets (neutral there) and the synthetic 10k
# corpus of look-alikes (see README, "Names")
NAME_WEIGHT = 0.02


@dataclass(frozen=True)
class Names:
    """The question's names: Han ones (checked in Han passages only) and codes (checked everywhere)."""

    han: frozenset[str]
    codes: frozenset[str]
    joined: bool = False  # only a passage holding none of them lacks them (`conjunctions.joins`)

    @classmethod
    def of(cls, question: str, segmenter: Segmenter) -> Names:
        form = search_form(question)
        found = segmenter.names(form)
        codes = frozenset(n for n in found if LATIN_WORD.fullmatch(n) and is_code(n))
        return cls(frozenset(n for n in found if not n.isascii()), codes, joins(form))

    @classmethod
    def none(cls) -> Names:
        return cls(frozenset(), frozenset())

    @property
    def count(self) -> int:
        return len(self.han) + len(self.codes)

    def missing(self, article_text: str, latin: bool, words: frozenset[str] | None = None) -> float:
        """The share of the names that a passage's language could write which its article (its
        search form, `article_text`; `words`, its Latin words, when known) lacks (for a joined
        question, 1 when it lacks them all, else 0); a Latin-script passage is checked for codes
        alone."""
        checkable = [*self.codes] if latin else [*self.codes, *self.han]
        if not checkable:
            return 0.0
        if words is None:
            words = frozenset(LATIN_WORD.findall(article_text)) if self.codes else frozenset()
        lacking = sum(1 for n in checkable if (n not in words if n in self.codes else n not in article_text))
        if self.joined:
            return float(lacking == len(checkable))
        return lacking / len(checkable)


def with_names(names: Names, hits: Sequence[Hit], article_text: Callable[[str], str],
               weight: float = NAME_WEIGHT, latin: Callable[[Hit], bool] | None = None) -> list[Hit]:
    """The hits rescored by `weight` × the share of the question's `names` each one's article
    lacks, best first (ties keep the order given); unchanged when the question names nothing.
    `latin` tells a Latin-script passage (default: its text's script; the retriever reads the
    index's script flags instead, 40 script detections cost ~5 ms)."""
    if not names.count or weight <= 0:
        return list(hits)
    is_latin = latin or (lambda h: detect_script(h.text) == "Latn")
    texts: dict[str, tuple[str, frozenset[str] | None]] = {}
    scored = []
    for i, h in enumerate(hits):
        if h.article_id not in texts:
            text = article_text(h.article_id)
            texts[h.article_id] = (text, frozenset(LATIN_WORD.findall(text)) if names.codes else None)
        in_latin = bool(names.han) and is_latin(h)  # codes are checked in either script
        text, words = texts[h.article_id]
        scored.append((h.score - weight * names.missing(text, in_latin, words), i, h))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [replace(h, rank=rank, score=score) for rank, (score, _, h) in enumerate(scored, start=1)]
