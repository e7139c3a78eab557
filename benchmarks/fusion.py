"""Fusion tuning: dense weight, RRF k and BM25's per-question coverage scale, on stored corpora.

    python benchmarks/fusion.py DATA_DIR [DATA_DIR ...] [--dataset evals/dev.jsonl] [--ef-search 512]
                                [--depth 40] [--top 12] [--out benchmarks/results/fusion.json]

Each DATA_DIR is a store built by `benchmarks/scale.py` (`--work DIR` → `DIR/data-<size>`) or by
`assistant ingest` (e.g. of `evals/corpora/multidomain` for `--dataset evals/multidomain_dev.jsonl`).
The retriever's legs are computed once per answerable question, as `HybridRetriever.legs` computes
them: the dense leg with and without the language-debiased ranking (`assistant.fusion`), BM25, and
the question's matchable share. Every (dense ranking, dense weight, RRF k, coverage scale) is then
fused offline with the retriever's own `reciprocal_rank_fusion` and scored on MRR, hit@3, fact
recall@3 and hit@3 of the cross-lingual and regional kinds. Scale `fixed` is BM25 at its full
weight for every question (the fusion before the per-question weights). Prints the best rows per
store and marks the project's defaults. Never run it on the held-out sets.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from common import ROOT
from rich.console import Console
from rich.table import Table

DENSE_WEIGHTS = (0.3, 0.5, 0.7, 1.0)
RRF_KS = (10, 30, 60)
SCALES: tuple[float | str, ...] = ("fixed", 1.0, 1.5, 2.0, 3.0, 4.0)
KINDS = ("english_to_zh", "zh_to_english", "regional")


def legs(data: Path, dataset: Path, ef_search: int | None, depth: int) -> tuple[list[Any], list[dict[str, Any]], Any]:
    """The answerable items, each one's legs (`debiased` and `raw` dense, `bm25`, `share`), and
    the lexical index."""
    from assistant.config import load_settings
    from assistant.evals.dataset import load_dataset
    from assistant.factory import build_retriever
    from assistant.retrieval.fusion import LEADING, matchable_share
    from assistant.types import Filters

    overrides = {} if ef_search is None else {"hnsw_ef_search": ef_search}
    retriever = build_retriever(load_settings(data_dir=data, **overrides))
    retriever.candidates = depth
    index = retriever.lexical_index()
    items = [item for item in load_dataset(dataset) if item.answerable]
    found = []
    for item in items:
        adaptive = retriever.legs(item.question, Filters(), index)
        raw = retriever.store.dense_search(adaptive.vector, depth)
        found.append({"debiased": adaptive.ranked["dense"], "raw": [cid for cid, _ in raw],
                      "bm25": adaptive.ranked["bm25"],
                      "share": matchable_share(index, item.question, adaptive.ranked["dense"][:LEADING])})
    return items, found, index


def sweep(items: list[Any], found: list[dict[str, Any]], index: Any) -> list[dict[str, Any]]:
    from assistant.evals.dataset import retrieval_metrics, score_retrieval
    from assistant.retrieval.hybrid import reciprocal_rank_fusion

    rows: list[dict[str, Any]] = []
    for dense, dense_weight, rrf_k, scale in itertools.product(("debiased", "raw"), DENSE_WEIGHTS, RRF_KS, SCALES):
        scores = []
        for item, of in zip(items, found, strict=True):
            bm25 = 1.0 if scale == "fixed" else min(1.0, float(scale) * of["share"])
            fused = reciprocal_rank_fusion({"dense": of[dense], "bm25": of["bm25"]},
                                           {"dense": dense_weight, "bm25": bm25}, rrf_k)
            scores.append(score_retrieval(item, passages(index, fused)))
        rows.append({"dense": dense, "dense_weight": dense_weight, "rrf_k": rrf_k, "scale": scale,
                     **retrieval_metrics(scores), **per_kind(items, scores)})
    for leg in ("debiased", "raw", "bm25"):
        scores = [score_retrieval(item, passages(index, of[leg])) for item, of in zip(items, found, strict=True)]
        rows.append({"dense": leg, "dense_weight": "-", "rrf_k": "-", "scale": "alone",
                     **retrieval_metrics(scores), **per_kind(items, scores)})
    return rows


def per_kind(items: list[Any], scores: list[Any]) -> dict[str, float]:
    hits: dict[str, list[bool]] = defaultdict(list)
    for item, score in zip(items, scores, strict=True):
        hits[item.kind or "-"].append(bool(score.first_rank and score.first_rank <= 3))
    return {f"hit@3 {kind}": sum(hits[kind]) / len(hits[kind]) for kind in KINDS if hits.get(kind)}


def passages(index: Any, ids: Iterable[str], k: int = 10) -> list[tuple[str, str]]:
    """(article id, text) of the first k ids that the index holds, in order."""
    chunks = [index.chunk_at(index.position[cid]) for cid in ids if cid in index.position]
    return [(chunk.article_id, chunk.text) for chunk in chunks[:k]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, nargs="+")
    parser.add_argument("--dataset", type=Path, default=ROOT / "evals" / "dev.jsonl")
    parser.add_argument("--ef-search", type=int, default=None, help="default: ASSISTANT_HNSW_EF_SEARCH or 512")
    parser.add_argument("--depth", type=int, default=40, help="candidates per leg (the retriever uses 40)")
    parser.add_argument("--top", type=int, default=12, help="rows printed per store, best MRR first")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fusion.json")
    args = parser.parse_args()
    from assistant.retrieval.fusion import COVERAGE_SCALE
    from assistant.retrieval.hybrid import LEG_WEIGHTS, RRF_K

    default = ("debiased", LEG_WEIGHTS["dense"], RRF_K, COVERAGE_SCALE)
    console = Console()
    results = {}
    for data in args.data:
        items, found, index = legs(data, args.dataset, args.ef_search, args.depth)
        rows = sweep(items, found, index)
        results[str(data)] = {"chunks": index.size, "dataset": str(args.dataset), "rows": rows}
        kinds = [k for k in rows[0] if k.startswith("hit@3 ")]
        table = Table(title=f"{data} ({index.size:,} chunks, {len(items)} questions of {args.dataset.name})")
        for column in ("dense", "dense weight", "RRF k", "BM25 scale", "MRR", "hit@3", "fact@3", *kinds):
            table.add_column(column, justify="right")
        ranked = sorted(rows[:-3], key=lambda r: (-r["mrr"], -r["hit@3"]))
        shown = ranked[:args.top] + [r for r in ranked[args.top:] if _key(r) == default] + rows[-3:]
        for row in shown:
            mark = " *" if _key(row) == default else ""
            table.add_row(f"{row['dense']}{mark}", str(row["dense_weight"]), str(row["rrf_k"]), str(row["scale"]),
                          f"{row['mrr']:.3f}", f"{row['hit@3']:.3f}", f"{row['fact_recall@3']:.3f}",
                          *(f"{row[k]:.2f}" for k in kinds))
        console.print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return row["dense"], row["dense_weight"], row["rrf_k"], row["scale"]


if __name__ == "__main__":
    main()
