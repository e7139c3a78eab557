"""The CI gate: the dev set (single questions and conversations) through `assistant eval run` with
the extractive answerer and with the passage-quoting fake LLM, held to `evals/gates.toml`.

A regression fails here with the gate table (metric, bound, value, FAILED) in the message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from tests.support.data import EVALS

runner = CliRunner()
DATASETS = [str(EVALS / "dev.jsonl"), str(EVALS / "dev_multiturn.jsonl")]


def _subset(tmp_path: Path, lines: list[str]) -> Path:
    """A small dataset of some dev lines, for tests of the runner rather than of quality."""
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return small


@pytest.mark.parametrize("llm", ["extractive", "fake"])
def test_eval_gates_hold_on_the_dev_set(seeded_settings: Settings, tmp_path: Path, llm: str) -> None:
    out = tmp_path / "results.json"
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", *DATASETS,
                                 "--llm", llm, "--gates", str(EVALS / "gates.toml"), "--out", str(out)])
    assert result.exit_code == 0, f"quality gates failed for --llm {llm}:\n{result.stdout}\n{result.stderr}"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["config"]["llm"] == llm and data["metrics"]["items"] >= 100
    assert "multi_turn" in data["by_kind"] and "conflict" in data["by_kind"]
    assert out.with_suffix(".md").is_file() and out.with_suffix(".html").is_file()
    assert "FAILED" not in result.stdout and "ok" in result.stdout


@pytest.mark.parametrize("llm", ["extractive", "fake"])
def test_eval_gates_hold_on_the_multidomain_dev_set(seeded_settings: Settings, tmp_path: Path, llm: str) -> None:
    """The dataset names its corpus: the run evaluates over a store of those articles alone
    (ingested by the run itself; the session fixture has already put it in the cache)."""
    out = tmp_path / "multidomain.json"
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run",
                                 str(EVALS / "multidomain_dev.jsonl"), "--llm", llm,
                                 "--gates", str(EVALS / "gates.toml"), "--out", str(out)])
    assert result.exit_code == 0, f"multidomain gates failed for --llm {llm}:\n{result.stdout}\n{result.stderr}"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["metrics"]["items"] >= 80 and "regional" in data["by_kind"]
    retrieved = {h["article_id"] for item in data["items"] for h in item["retrieved"]}
    assert retrieved and all(a.startswith("md") for a in retrieved)  # the seeds are not in this store
    assert "FAILED" not in result.stdout and "ok" in result.stdout


def test_eval_gates_hold_on_the_news2_dev_set(seeded_settings: Settings, tmp_path: Path) -> None:
    """The second multi-domain corpus (`evals/NEWS2.md`), gated under its own table."""
    out = tmp_path / "news2.json"
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run",
                                 str(EVALS / "news2_dev.jsonl"), "--llm", "extractive",
                                 "--gates", str(EVALS / "gates.toml"), "--out", str(out)])
    assert result.exit_code == 0, f"news2 gates failed:\n{result.stdout}\n{result.stderr}"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["metrics"]["items"] >= 90
    assert all(h["article_id"].startswith("n2_") for item in data["items"] for h in item["retrieved"])
    assert "FAILED" not in result.stdout and "ok" in result.stdout


def test_eval_run_fail_under_and_compare(seeded_settings: Settings, tmp_path: Path) -> None:
    lines = (EVALS / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    small = _subset(tmp_path, lines[:4] + lines[-2:])
    first = tmp_path / "first.json"
    ok = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", str(small),
                             "--out", str(first), "--fail-under", "retrieval_hit@3=0.5"])
    assert ok.exit_code == 0, ok.output
    failed = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", str(small),
                                 "--out", str(tmp_path / "second.json"), "--compare", str(first),
                                 "--fail-under", "answer_fact_recall=1.01"])
    assert failed.exit_code == 1
    assert "answer_fact_recall >= 1.01" in failed.stderr and failed.stderr.count("\n") == 1
    assert "previous" in failed.stdout and "change" in failed.stdout and "FAILED" in failed.stdout
    bad = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", str(small),
                              "--fail-under", "recall"])
    assert bad.exit_code == 1 and "metric=value" in bad.stderr


def test_eval_run_baselines_side_by_side(seeded_settings: Settings, tmp_path: Path) -> None:
    small = _subset(tmp_path, (EVALS / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:3])
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", str(small),
                                 "--baseline", "naive", "--baseline", "bm25", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["baselines"]) == {"naive", "bm25"}
    naive = json.loads(out.with_name("r.naive.json").read_text(encoding="utf-8"))
    assert naive["config"]["retrieval"] == "naive" and all(":naive:" in h["chunk_id"]
                                                            for i in naive["items"] for h in i["retrieved"])
    bm25 = json.loads(out.with_name("r.bm25.json").read_text(encoding="utf-8"))
    assert all(set(h["legs"]) == {"bm25"} for i in bm25["items"] for h in i["retrieved"])
    assert "naive" in result.stdout and "bm25" in result.stdout
    unknown = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", str(small),
                                  "--baseline", "magic", "--out", str(out)])
    assert unknown.exit_code == 1 and "unknown baseline" in unknown.stderr
