"""The answer object shared by the CLI, the API, Slack and the eval runner."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.retrieval import Hit
from assistant.textnorm import Script


@dataclass(frozen=True)
class Citation:
    n: int
    article_id: str
    chunk_id: str
    text: str
    title: str
    outlet: str | None
    published: str | None = None  # the article's publication date, YYYY-MM-DD

    @classmethod
    def from_hit(cls, n: int, hit: Hit) -> Citation:
        return cls(n, hit.article_id, hit.chunk_id, hit.text, hit.title, hit.outlet, hit.published)

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "article_id": self.article_id, "chunk_id": self.chunk_id, "text": self.text,
                "title": self.title, "outlet": self.outlet, "published": self.published}


@dataclass(frozen=True)
class Conflict:
    """Different figures for the same kind of quantity, from different articles."""

    unit: str
    values: dict[str, list[int]]  # figure → passage numbers that give it


@dataclass
class Answer:
    question: str
    standalone_question: str
    answer: str
    refused: bool
    language: Script
    citations: list[Citation] = field(default_factory=list)
    retrieved: list[Hit] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    invalid_citations: int = 0
    uncited: bool = False
    notices: list[str] = field(default_factory=list)
    backend: str = "extractive"
    relevance: float | None = None
    timings: dict[str, float] = field(default_factory=dict)

    def contract_dict(self) -> dict[str, Any]:
        """The contract's answer object (eval results item without `id`), plus diagnostics."""
        return {
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.as_dict() for c in self.citations],
            "retrieved": [h.contract_dict() for h in self.retrieved],
            "standalone_question": self.standalone_question,
            "language": self.language,
            "conflicts": [{"unit": c.unit, "values": c.values} for c in self.conflicts],
            "invalid_citations": self.invalid_citations,
            "uncited": self.uncited,
            "notices": self.notices,
            "backend": self.backend,
            "relevance": None if self.relevance is None else round(self.relevance, 4),
            "timings": {k: round(v, 4) for k, v in self.timings.items()},
        }
