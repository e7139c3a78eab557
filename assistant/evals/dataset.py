"""The eval dataset format of the contract, fact matching, and retrieval metrics."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.errors import InvalidInputError, NotFoundError
from assistant.text.normalize import normalize_for_match


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
    corpus: str | None = None  # the articles it is about: a folder, relative to the dataset file


class EvalTurn(BaseModel):
    """One question of a conversation, with what its answer must hold."""

    model_config = ConfigDict(extra="allow")

    question: str = Field(min_length=1)
    facts: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    answerable: bool = True
    answer: str | None = None


class Conversation(BaseModel):
    """One line of a multi-turn dataset: later turns depend on earlier ones."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    turns: list[EvalTurn] = Field(min_length=1)
    kind: str | None = "multi_turn"
    corpus: str | None = None

    def items(self) -> list[EvalItem]:
        """Each turn as an item (`m01#2`), for scoring like any other item."""
        return [EvalItem(id=f"{self.id}#{n}", question=t.question, facts=t.facts, sources=t.sources,
                         answerable=t.answerable, answer=t.answer, kind=self.kind or "multi_turn")
                for n, t in enumerate(self.turns, start=1)]


@dataclass
class Dataset:
    """Single questions and conversations from one or more JSONL files."""

    items: list[EvalItem] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    corpus: Path | None = None  # the folder of articles every item is about (None: the configured store)

    def __len__(self) -> int:
        return len(self.items) + sum(len(c.turns) for c in self.conversations)

    def extend(self, other: Dataset, source: Path) -> None:
        known = {i.id for i in self.items} | {c.id for c in self.conversations}
        clash = known & ({i.id for i in other.items} | {c.id for c in other.conversations})
        if clash:
            raise InvalidInputError(f"{source}: ids already used by another dataset: {', '.join(sorted(clash))}")
        if len(self) and other.corpus != self.corpus:
            raise InvalidInputError(f"{source}: names the corpus {_shown(other.corpus)}, the datasets before it "
                                    f"{_shown(self.corpus)}: run datasets of different corpora separately")
        self.corpus = other.corpus
        self.items += other.items
        self.conversations += other.conversations


def _shown(corpus: Path | None) -> str:
    return str(corpus) if corpus else "none (the configured store)"


def read_text(path: Path, what: str) -> str:
    """An eval input file (dataset, results, gates) as text, with the errors the CLI reports."""
    if not path.is_file():
        raise NotFoundError(f"{what} not found: {path}")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"{path}: not UTF-8 text") from exc


def read_lines(path: Path) -> list[tuple[int, dict[str, object]]]:
    """(line number, object) for each non-blank line; a line that is not a JSON object is an error."""
    rows = []
    for number, line in enumerate(read_text(path, "dataset").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInputError(f"{path}:{number}: not a valid eval item: {exc}") from exc
        if not isinstance(row, dict):
            raise InvalidInputError(f"{path}:{number}: not a valid eval item: expected a JSON object")
        rows.append((number, row))
    return rows


def load_dataset(path: Path) -> list[EvalItem]:
    """Parse a JSONL dataset of single questions; a malformed line is reported with its number."""
    data = load_any(path)
    if data.conversations:
        raise InvalidInputError(f"{path}: holds conversations; expected single questions")
    return data.items


def load_any(path: Path) -> Dataset:
    """A dataset file of either kind: lines with `turns` are conversations, the others items."""
    data = Dataset()
    seen: set[str] = set()
    rows = read_lines(path)
    first = rows[0][0] if rows else 0
    corpora: Path | None = None
    for number, row in rows:
        try:
            if "turns" in row:
                conversation = Conversation.model_validate(row)
                data.conversations.append(conversation)
                item_id = conversation.id
            else:
                item = EvalItem.model_validate(row)
                data.items.append(item)
                item_id = item.id
        except ValidationError as exc:
            reason = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'item'}: {e['msg']}" for e in exc.errors())
            raise InvalidInputError(f"{path}:{number}: not a valid eval item: {reason}") from exc
        if item_id in seen:
            raise InvalidInputError(f"{path}:{number}: duplicate id {item_id!r}")
        seen.add(item_id)
        corpus = row.get("corpus")
        folder = (path.parent / str(corpus)).resolve() if corpus else None
        if number == first and corpora is None:
            corpora = folder
        elif folder != corpora:
            raise InvalidInputError(f"{path}:{number}: every item of a dataset must name the same corpus")
    if not len(data):
        raise InvalidInputError(f"{path}: the dataset has no items")
    if corpora is not None and not corpora.is_dir():
        raise NotFoundError(f"{path}: the corpus folder {corpora} does not exist")
    data.corpus = corpora
    return data


def load_datasets(paths: Sequence[Path]) -> Dataset:
    data = Dataset()
    for path in paths:
        data.extend(load_any(path), path)
    return data


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
