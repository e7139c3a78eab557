"""Remote embeddings at scale: ingestion through an OpenAI-compatible `/v1/embeddings` endpoint.

    python benchmarks/remote_embeddings.py [--chunks 5000] [--latency-ms 30] [--fail-every 25]
                                           [--out benchmarks/results/remote_embeddings.json]

The endpoint is the tests' local stub (deterministic vectors, a fixed delay per request to stand
in for the network and a GPU server, every n-th request failing with a 500). The same synthetic
corpus is ingested three ways: one request per article (no grouping, no concurrency), articles
grouped into full batches, and full batches with 4 requests in flight. Reports chunks/s, requests
and retries, and checks that no chunk was lost.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(ROOT))
from assistant.config import load_settings
from assistant.evals.synthetic import generate
from assistant.factory import build_embeddings, build_store
from assistant.ingest.ingestor import Ingestor
from tests.support.stubs import StubState, openai_stub

MODES = {"per article": (1, 1), "grouped batches": (256, 1), "grouped, 4 in flight": (256, 4)}


def run_mode(corpus: Path, data: Path, group: int, concurrency: int, latency: float, fail_every: int
             ) -> dict[str, Any]:
    with openai_stub(StubState(delay=latency, fail_every=fail_every, dim=384)) as (url, state):
        settings = load_settings(data_dir=data, embedding="openai", embedding_base_url=url, embedding_batch_size=64,
                                 embedding_concurrency=concurrency, embedding_max_retries=5)
        embeddings = build_embeddings(settings)
        ingestor = Ingestor(build_store(settings, embeddings), embeddings, group_chunks=group)
        started = time.perf_counter()
        report = ingestor.ingest_paths([corpus / "articles"])
        seconds = time.perf_counter() - started
        stored = int(ingestor.store.chunks.count())
    return {"group_chunks": group, "concurrency": concurrency, "chunks": report.chunks_written, "stored": stored,
            "failed_articles": len(report.failed), "seconds": seconds, "chunks_per_s": report.chunks_written / seconds,
            "requests": len(state.requests)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", type=int, default=5000)
    parser.add_argument("--latency-ms", type=float, default=30.0)
    parser.add_argument("--fail-every", type=int, default=25)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "remote_embeddings.json")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="assistant-remote-") as tmp:
        manifest = generate(ROOT / "seeds", Path(tmp) / "corpus", args.chunks)
        for name, (group, concurrency) in MODES.items():
            results[name] = run_mode(Path(tmp) / "corpus", Path(tmp) / name.replace(" ", "_").replace(",", ""),
                                     group, concurrency, args.latency_ms / 1000, args.fail_every)
    report = {"corpus_chunks": manifest.chunks, "latency_ms": args.latency_ms, "fail_every": args.fail_every,
              "modes": results}
    table = Table(title=f"remote embeddings: {manifest.chunks} chunks, {args.latency_ms:.0f} ms per request, "
                        f"every {args.fail_every}th request fails")
    for column in ("mode", "chunks/s", "requests", "stored", "failed articles"):
        table.add_column(column, justify="left" if column == "mode" else "right")
    for name, row in results.items():
        table.add_row(name, f"{row['chunks_per_s']:.0f}", str(row["requests"]), str(row["stored"]),
                      str(row["failed_articles"]))
    Console().print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if any(row["stored"] != manifest.chunks or row["failed_articles"] for row in results.values()):
        raise SystemExit("chunks were lost")


if __name__ == "__main__":
    main()
