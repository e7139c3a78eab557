"""What flows through the answer chain (`Turnstate`), and the per-index article texts the
judge reads names in."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from assistant.answering.conflicts import Comparer
from assistant.answering.judge import Candidate, Verdict
from assistant.answering.question import Asked
from assistant.answering.weights import TermWeights
from assistant.retrieval.hybrid import Retrieval
from assistant.text.segment import Segmenter
from assistant.types import Conflict, Filters, Script, Turn


@dataclass
class Subquestion:
    """One of the questions a message asks (`subquestions.py`): retrieved for and judged on its own."""

    text: str
    vector: tuple[float, ...]  # its query vector
    asked: Asked | None = None
    verdict: Verdict | None = None


@dataclass
class Turnstate:
    """What flows through the chain."""

    question: str
    history: list[Turn]
    k: int
    filters: Filters | None
    script: Script = "Hans"
    standalone: str = ""
    retrieval: Retrieval | None = None
    asked: Asked | None = None
    weights: TermWeights | None = None
    segmenter: Segmenter | None = None
    candidates: list[Candidate] = field(default_factory=list)  # judged sentences, best first
    verdict: Verdict | None = None  # the offline judgement (extractive answerer only)
    subquestions: list[Subquestion] = field(default_factory=list)  # a message asking several questions
    relevance: float = 0.0
    refused: bool = False
    refused_by: str = ""  # "floor" (nothing usable retrieved) or "judge" (offline judgement)
    passages: int = 0  # how many hits went into the prompt
    raw_answer: str = ""
    backend: str = "extractive"
    notices: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def comparer(self) -> Comparer:
        assert self.asked is not None and self.weights is not None and self.segmenter is not None
        return Comparer(self.asked, self.weights, self.segmenter)


_ARTICLE_TEXTS: OrderedDict[tuple[int, str], dict[str, str]] = OrderedDict()
_ARTICLE_TEXTS_LOCK = threading.Lock()


def article_texts(index: Any) -> dict[str, str]:
    """Article id → the text of its chunks, for one published lexical index (built once per
    index: a name an article gives once holds in its later passages)."""
    key = (id(index), str(getattr(index, "fingerprint", "")))
    with _ARTICLE_TEXTS_LOCK:
        found = _ARTICLE_TEXTS.get(key)
    if found is not None:
        return found
    texts: dict[str, list[str]] = {}
    for chunk in getattr(index, "chunks", []):
        texts.setdefault(chunk.article_id, []).append(chunk.text)
    joined = {article: "\n".join(parts) for article, parts in texts.items()}
    with _ARTICLE_TEXTS_LOCK:
        _ARTICLE_TEXTS[key] = joined
        while len(_ARTICLE_TEXTS) > 4:
            _ARTICLE_TEXTS.popitem(last=False)
    return joined
