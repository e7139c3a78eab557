"""`assistant eval check`: reject eval items that cannot be right, before they skew a metric.

An item is malformed when a required field is missing or empty, when it names a source article
that does not exist, when one of its facts appears in none of its sources (after the contract's
normalisation), or when an unanswerable item still lists facts or sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.evals.dataset import Dataset, EvalItem
from assistant.ingest.documents import prepare_article
from assistant.ingest.ingestor import discover
from assistant.ingest.loaders import load_file
from assistant.text.normalize import normalize_for_match


@dataclass(frozen=True)
class Problem:
    item_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.item_id}: {self.message}"


def article_texts(paths: Sequence[Path]) -> dict[str, str]:
    """Article id → cleaned body in the matching form, for the articles under `paths`."""
    files, _skipped = discover(paths)
    return {article.record.article_id: normalize_for_match(article.body)
            for article in (prepare_article(load_file(path), 400, 0) for path in files)}


def check_item(item: EvalItem, articles: Mapping[str, str]) -> list[Problem]:
    problems = []

    def problem(message: str) -> None:
        problems.append(Problem(item.id, message))

    if not item.kind:
        problem("no kind")
    if item.answerable:
        if not item.facts:
            problem("answerable but lists no facts")
        if not item.sources:
            problem("answerable but lists no sources")
    elif item.facts or item.sources:
        problem("unanswerable but lists facts or sources")
    unknown = [s for s in item.sources if s not in articles]
    for source in unknown:
        problem(f"unknown source {source!r}")
    texts = [articles[s] for s in item.sources if s in articles]
    for fact in item.facts:
        alternatives = [normalize_for_match(a) for a in fact.split("|") if a.strip()]
        if not alternatives:
            problem(f"empty fact {fact!r}")
        elif texts and not any(alt in text for alt in alternatives for text in texts):
            problem(f"fact {fact!r} appears in none of its sources")
    return problems


def check_dataset(data: Dataset, articles: Mapping[str, str]) -> list[Problem]:
    """Every problem of every item and conversation turn."""
    problems = [p for item in data.items for p in check_item(item, articles)]
    for conversation in data.conversations:
        turns = conversation.items()
        problems += [p for item in turns for p in check_item(item, articles)]
        if turns and not turns[0].answerable:
            problems.append(Problem(conversation.id, "the first turn must be answerable"))
    seen: dict[str, str] = {}
    for item in data.items:
        key = normalize_for_match(item.question)
        if key in seen:
            problems.append(Problem(item.id, f"same question as {seen[key]}"))
        seen.setdefault(key, item.id)
    return problems
