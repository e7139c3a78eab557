"""Fusion tuning at scale: the dense weight and RRF k of the hybrid retriever against look-alikes.

    python benchmarks/fusion.py DATA_DIR [DATA_DIR ...] [--ef-search 512] [--depth 40]
                                [--out benchmarks/results/fusion.json]

Each DATA_DIR is a store built by `benchmarks/scale.py` (`--work DIR` → `DIR/data-<size>`) or by
`assistant ingest`. The dense and BM25 legs are computed once per answerable dev question (top
`--depth` each); every (dense weight, RRF k) pair is then fused offline with the retriever's own
`reciprocal_rank_fusion` and scored on MRR, hit@3 and fact recall@3. Prints one table per store
and marks the project's defaults.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from common import ROOT
from rich.console import Console
from rich.table import Table

DENSE_WEIGHTS = (0.3, 0.5, 0.7, 1.0, 1.4)
RRF_KS = (10, 30, 60, 120)


def legs(data: Path, ef_search: int | None, depth: int) -> tuple[list[Any], list[dict[str, list[str]]], Any]:
    """The answerable dev items, each one's ranked ids per leg, and the lexical index."""
    from assistant.config import load_settings
    from assistant.evalset import load_dataset
    from assistant.factory import build_retriever
    from assistant.lexical import top_indices
    from assistant.textnorm import normalize

    overrides = {} if ef_search is None else {"hnsw_ef_search": ef_search}
    retriever = build_retriever(load_settings(data_dir=data, **overrides))
    index = retriever.lexical_index()
    items = [item for item in load_dataset(ROOT / "evals" / "dev.jsonl") if item.answerable]
    ranked = []
    for item in items:
        query = normalize(item.question)
        dense = retriever.store.dense_search(retriever.embeddings.embed_query(query), depth)
        bm25 = top_indices(index.bm25_scores(query), depth)
        ranked.append({"dense": [cid for cid, _ in dense],
                       "bm25": [index.chunk_at(i).chunk_id for i in bm25]})
    return items, ranked, index


def sweep(items: list[Any], ranked: list[dict[str, list[str]]], index: Any) -> list[dict[str, Any]]:
    from assistant.evalset import retrieval_metrics, score_retrieval
    from assistant.retrieval import reciprocal_rank_fusion

    rows: list[dict[str, Any]] = []
    for dense_weight, rrf_k in itertools.product(DENSE_WEIGHTS, RRF_KS):
        scores = []
        for item, legs_of in zip(items, ranked, strict=True):
            fused = reciprocal_rank_fusion(legs_of, {"dense": dense_weight, "bm25": 1.0}, rrf_k)
            scores.append(score_retrieval(item, passages(index, fused)))
        rows.append({"dense_weight": dense_weight, "rrf_k": rrf_k, **retrieval_metrics(scores)})
    for leg in ("dense", "bm25"):
        scores = [score_retrieval(item, passages(index, legs_of[leg]))
                  for item, legs_of in zip(items, ranked, strict=True)]
        rows.append({"dense_weight": leg, "rrf_k": "-", **retrieval_metrics(scores)})
    return rows


def passages(index: Any, ids: Iterable[str], k: int = 10) -> list[tuple[str, str]]:
    """(article id, text) of the first k ids that the index holds, in order."""
    chunks = [index.chunk_at(index.position[cid]) for cid in ids if cid in index.position]
    return [(chunk.article_id, chunk.text) for chunk in chunks[:k]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, nargs="+")
    parser.add_argument("--ef-search", type=int, default=None, help="default: ASSISTANT_HNSW_EF_SEARCH or 512")
    parser.add_argument("--depth", type=int, default=40, help="candidates per leg (the retriever uses 40)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fusion.json")
    args = parser.parse_args()
    from assistant.retrieval import LEG_WEIGHTS, RRF_K

    console = Console()
    results = {}
    for data in args.data:
        items, ranked, index = legs(data, args.ef_search, args.depth)
        rows = sweep(items, ranked, index)
        results[str(data)] = {"chunks": index.size, "rows": rows}
        table = Table(title=f"{data} ({index.size:,} chunks, {len(items)} questions)")
        for column in ("dense weight", "RRF k", "MRR", "hit@3", "fact@3"):
            table.add_column(column, justify="right")
        for row in rows:
            mark = " *" if (row["dense_weight"], row["rrf_k"]) == (LEG_WEIGHTS["dense"], RRF_K) else ""
            table.add_row(f"{row['dense_weight']}{mark}", str(row["rrf_k"]), f"{row['mrr']:.3f}",
                          f"{row['hit@3']:.3f}", f"{row['fact_recall@3']:.3f}")
        console.print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
