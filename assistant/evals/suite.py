"""One eval run as the CLI performs it: the project and any baselines over the same dataset,
results and reports written, an earlier run compared, gates checked."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.errors import IngestError, InvalidInputError
from assistant.evals.dataset import Dataset
from assistant.evals.gates import Gate, GateResult, check, load_gates
from assistant.evals.run import Progress, read_results, run_eval, write_results


@dataclass
class SuiteRequest:
    data: Dataset
    out: Path
    baselines: Sequence[str] = ()
    corpus: Sequence[Path] = (Path("seeds"),)
    compare: Path | None = None
    gates_file: Path | None = None
    fail_under: Sequence[Gate] = ()


@dataclass
class SuiteResult:
    results: dict[str, Any]
    previous: dict[str, float] | None
    gates: list[GateResult] = field(default_factory=list)
    reports: tuple[Path, ...] = ()

    @property
    def failed_gates(self) -> list[GateResult]:
        return [g for g in self.gates if not g.ok]


def run_suite(settings: Settings, request: SuiteRequest, progress: Progress | None = None) -> SuiteResult:
    from assistant.evals.report import write_reports
    from assistant.factory import build_engine

    previous = read_results(request.compare)["metrics"] if request.compare else None
    if request.data.corpus is not None:  # the dataset names its articles: evaluate over a store of them alone
        settings = corpus_settings(settings, request.data.corpus)
        request.corpus = (request.data.corpus,)
    gates = list(request.fail_under)
    if request.gates_file:
        corpus = request.data.corpus.name if request.data.corpus is not None else None
        gates += load_gates(request.gates_file, settings.llm, corpus)
    engine = build_engine(settings)
    results = run_eval(engine, request.data, progress)
    if request.baselines:
        results["baselines"] = {}
    for name in request.baselines:
        baseline = run_baseline(settings, name, request, engine.retriever.embeddings, progress)
        results["baselines"][name] = {k: baseline[k] for k in ("metrics", "by_kind", "config")}
        write_results(baseline, request.out.with_name(f"{request.out.stem}.{name}.json"))
    write_results(results, request.out)
    reports = write_reports(results, request.out, previous)
    return SuiteResult(results, previous, check(results["metrics"], gates), (request.out, *reports))


def corpus_settings(settings: Settings, corpus: Path) -> Settings:
    """Settings over a scratch store holding just `corpus`, ingested (or brought up to date:
    ingestion is idempotent) under the data dir, so that any dataset evaluates from a clean checkout."""
    from assistant.factory import build_ingestor

    digest = hashlib.sha256(str(corpus.resolve()).encode()).hexdigest()[:10]
    scratch = settings.cache_dir / "eval-corpora" / f"{corpus.name}-{digest}"
    scoped = settings.model_copy(update={"data_dir": scratch, "chroma_url": None, "conversations_db": None})
    report = build_ingestor(scoped).ingest_paths([corpus], prune=True)
    if report.failed:
        source, reason = report.failed[0]
        raise IngestError(source, f"the eval corpus {corpus} did not ingest: {reason}")
    return scoped


def run_baseline(settings: Settings, name: str, request: SuiteRequest, embeddings: Embeddings,
                 progress: Progress | None) -> dict[str, Any]:
    from assistant.evals.baselines import BM25Only, NaiveRAG
    from assistant.factory import build_engine, build_retriever

    if name == "bm25":
        return run_eval(build_engine(settings, retriever=BM25Only(build_retriever(settings))), request.data,
                        progress, label="bm25")
    if name == "naive":
        with tempfile.TemporaryDirectory(prefix="assistant-naive-") as workdir:
            naive = NaiveRAG(request.corpus, embeddings, Path(workdir))
            return run_eval(build_engine(settings, retriever=naive), request.data, progress, label="naive")
    raise InvalidInputError(f"unknown baseline {name!r}: choose naive or bm25")
