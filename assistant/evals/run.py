"""`assistant eval run`: every item (and every conversation turn) through retrieval and answering.

The results file follows the contract (`metrics`, `config`, `items`) and adds what a report
needs to be read on its own: metrics per `kind`, and per item its kind, facts, reference
answer, citation validity and the list of what failed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.answering.chain import AnswerEngine
from assistant.errors import InvalidInputError
from assistant.evals.dataset import Dataset, EvalItem, read_text
from assistant.evals.metrics import Outcome, Verdict, by_kind, judge, summarize
from assistant.models.embeddings import embedding_name
from assistant.types import Turn

Progress = Callable[[str], None]


def answer_all(engine: AnswerEngine, data: Dataset, progress: Progress | None = None) -> list[Outcome]:
    """Single items alone; conversation turns in order, each with the turns before it as history."""
    outcomes = [_timed(engine, item, [], progress) for item in data.items]
    for conversation in data.conversations:
        history: list[Turn] = []
        for item in conversation.items():
            outcome = _timed(engine, item, history, progress)
            outcomes.append(outcome)
            history += [Turn("user", item.question), Turn("assistant", outcome.answer.answer)]
    return outcomes


def _timed(engine: AnswerEngine, item: EvalItem, history: list[Turn], progress: Progress | None) -> Outcome:
    started = time.perf_counter()
    answer = engine.answer(item.question, history)
    outcome = Outcome(item, answer, time.perf_counter() - started)
    if progress:
        progress(item.id)
    return outcome


def run_eval(engine: AnswerEngine, data: Dataset, progress: Progress | None = None,
             label: str = "project") -> dict[str, Any]:
    outcomes = answer_all(engine, data, progress)
    verdicts = [judge(o, engine.k) for o in outcomes]
    return {"metrics": summarize(outcomes, verdicts, engine.k),
            "by_kind": by_kind(outcomes, verdicts, engine.k),
            "config": {"llm": engine.llm_name, "embedding": embedding_name(engine.retriever.embeddings),
                       "k": engine.k, "retrieval": label},
            "items": [_item_row(o, v) for o, v in zip(outcomes, verdicts, strict=True)]}


def _item_row(outcome: Outcome, verdict: Verdict) -> dict[str, Any]:
    item = outcome.item
    return {"id": item.id, **outcome.answer.contract_dict(), "kind": verdict.kind, "facts": item.facts,
            "sources": item.sources, "answerable": item.answerable, "expected": item.answer,
            "facts_in_answer": verdict.facts_in_answer, "valid_citations": verdict.valid_citations,
            "first_source_rank": verdict.retrieval.first_rank if verdict.retrieval else None,
            "conflict_covered": verdict.conflict_covered, "failures": verdict.failures,
            "seconds": round(outcome.seconds, 4)}


def write_results(results: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


def read_results(path: Path) -> dict[str, Any]:
    """A results file written earlier (for `--compare`)."""
    try:
        data = json.loads(read_text(path, "results file"))
    except json.JSONDecodeError as exc:
        raise InvalidInputError(f"{path}: not a results file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise InvalidInputError(f"{path}: not a results file: no metrics")
    return data
