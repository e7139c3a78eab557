"""`assistant eval run`: every dataset item through retrieval and answering; results and metrics."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.answer import Answer
from assistant.chain import AnswerEngine
from assistant.embeddings import embedding_name
from assistant.evalset import EvalItem, facts_found, retrieval_metrics, score_retrieval

Progress = Callable[[str], None]


def run_eval(engine: AnswerEngine, items: Sequence[EvalItem], progress: Progress | None = None) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    answers: list[tuple[EvalItem, Answer, float]] = []
    for item in items:
        started = time.perf_counter()
        answer = engine.answer(item.question)
        answers.append((item, answer, time.perf_counter() - started))
        results.append({"id": item.id, **answer.contract_dict()})
        if progress:
            progress(item.id)
    return {"metrics": metrics(answers),
            "config": {"llm": engine.llm_name, "embedding": embedding_name(engine.retriever.embeddings),
                       "k": engine.k},
            "items": results}


def metrics(answers: Sequence[tuple[EvalItem, Answer, float]]) -> dict[str, float]:
    answerable = [(i, a) for i, a, _ in answers if i.answerable]
    unanswerable = [(i, a) for i, a, _ in answers if not i.answerable]
    scores = [score_retrieval(i, [(h.article_id, h.text) for h in a.retrieved]) for i, a in answerable]
    found = [facts_found(i.facts, a.answer) for i, a in answerable if i.facts]
    fact_total = sum(len(f) for f in found) or 1
    cited = [a for _, a in answerable if not a.refused]
    out = {f"retrieval_{k}": v for k, v in retrieval_metrics(scores).items()}
    out.update({
        "items": float(len(answers)),
        "answer_fact_recall": sum(sum(f) for f in found) / fact_total,
        "answer_all_facts": sum(all(f) for f in found) / (len(found) or 1),
        "refusal_rate_unanswerable": sum(a.refused for _, a in unanswerable) / (len(unanswerable) or 1),
        "false_refusal_rate": sum(a.refused for _, a in answerable) / (len(answerable) or 1),
        "citation_rate": sum(bool(a.citations) for a in cited) / (len(cited) or 1),
        "citation_source_precision": _source_precision(answerable),
        "invalid_citations": float(sum(a.invalid_citations for _, a, _ in answers)),
        "latency_p50_s": sorted(t for *_, t in answers)[len(answers) // 2] if answers else 0.0,
    })
    return {k: round(v, 4) for k, v in out.items()}


def _source_precision(answerable: Sequence[tuple[EvalItem, Answer]]) -> float:
    """Share of citations that point into one of the item's source articles."""
    pairs = [(c.article_id in i.sources) for i, a in answerable if i.sources for c in a.citations]
    return sum(pairs) / (len(pairs) or 1)


def write_results(results: dict[str, Any], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
