"""The eval dataset format of the contract, fact matching, and retrieval metrics."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import InvalidInputError, NotFoundError
from assistant.textnorm import normalize_for_match


class EvalItem(BaseModel):
    """One line of an eval dataset (JSON Lines)."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    answerable: bool = True
    answer: str | None = None
    kind: str | None = None


def load_dataset(path: Path) -> list[EvalItem]:
    """Parse a JSONL dataset; a malformed line is reported with its number."""
    if not path.is_file():
        raise NotFoundError(f"dataset not found: {path}")
    items: list[EvalItem] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = EvalItem.model_validate(json.loads(line))
        except (json.JSONDecodeError, ValidationError) as exc:
            reason = str(exc).splitlines()[0]
            raise InvalidInputError(f"{path}:{number}: not a valid eval item: {reason}") from exc
        if item.id in seen:
            raise InvalidInputError(f"{path}:{number}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise InvalidInputError(f"{path}: the dataset has no items")
    return items


def fact_holds(fact: str, text: str) -> bool:
    """A fact holds when any of its `|` alternatives appears in the normalised text."""
    haystack = normalize_for_match(text)
    return any(normalize_for_match(alt) in haystack for alt in fact.split("|") if alt.strip())


def facts_found(facts: Iterable[str], text: str) -> list[bool]:
    return [fact_holds(fact, text) for fact in facts]


@dataclass
class RetrievalScore:
    """Ranks at which an item's facts first appear in a passage of one of its sources."""

    item_id: str
    first_rank: int | None
    fact_recall: dict[int, float] = field(default_factory=dict)


def score_retrieval(item: EvalItem, passages: Sequence[tuple[str, str]], cutoffs: Sequence[int] = (1, 3, 5)
                    ) -> RetrievalScore:
    """`passages`: ranked (article_id, text). A passage counts when it comes from a listed
    source (any article when none is listed) and holds at least one of the facts."""
    first: int | None = None
    for rank, (article_id, text) in enumerate(passages, start=1):
        from_source = not item.sources or article_id in item.sources
        if from_source and any(facts_found(item.facts, text)):
            first = rank
            break
    recall = {}
    for cutoff in cutoffs:
        joined = "\n".join(text for _, text in passages[:cutoff])
        found = facts_found(item.facts, joined)
        recall[cutoff] = sum(found) / len(found) if found else 0.0
    return RetrievalScore(item.id, first, recall)


def retrieval_metrics(scores: Sequence[RetrievalScore], cutoffs: Sequence[int] = (1, 3, 5)) -> dict[str, float]:
    n = len(scores) or 1
    metrics = {"mrr": sum(1.0 / s.first_rank for s in scores if s.first_rank) / n}
    for cutoff in cutoffs:
        metrics[f"hit@{cutoff}"] = sum(1 for s in scores if s.first_rank and s.first_rank <= cutoff) / n
        metrics[f"fact_recall@{cutoff}"] = sum(s.fact_recall.get(cutoff, 0.0) for s in scores) / n
    return metrics
