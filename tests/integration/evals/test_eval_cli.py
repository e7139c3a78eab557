"""`assistant ask` and `assistant eval run` through typer's CliRunner, and the extractive thresholds."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings
from tests.support.data import DEV_SET

runner = CliRunner()
ITEM_KEYS = {"question", "answer", "refused", "citations", "retrieved"}


def test_cli_ask_json_follows_contract(seeded_settings: Settings) -> None:
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "ask", "H20配备的HBM3e容量是多少？",
                                 "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert set(answer) >= ITEM_KEYS and "id" not in answer
    assert answer["refused"] is False and "96GB" in answer["answer"]
    for citation in answer["citations"]:
        assert {"n", "article_id", "chunk_id", "text"} <= set(citation)
        assert f"[{citation['n']}]" in answer["answer"]
    assert [r["rank"] for r in answer["retrieved"]] == list(range(1, len(answer["retrieved"]) + 1))


def test_cli_ask_plain_lists_sources(seeded_settings: Settings) -> None:
    refused = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "ask", "小米SU7汽车的售价是多少？"])
    assert refused.exit_code == 0 and "没有" in refused.stdout
    answered = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "ask", "H20的单价大约是多少？"])
    assert answered.exit_code == 0 and "[1]" in answered.stdout and "000_da357fa45bf7326d" in answered.stdout


def test_cli_eval_run_writes_contract_results(seeded_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", str(DEV_SET),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"metrics", "config", "items"} <= set(data)
    assert data["config"]["llm"] == "extractive" and data["config"]["k"] == 5
    assert all(ITEM_KEYS | {"id"} <= set(item) for item in data["items"])
    assert {"answer_fact_recall", "citation_validity", "latency_total_p95_s"} <= set(data["metrics"])
    assert "answer_fact_recall" in result.stdout  # the thresholds are gates: tests/integration/evals/test_eval_gates.py


def test_cli_eval_run_malformed_dataset_is_one_line(seeded_settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "q"}\n{not json\n', encoding="utf-8")
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:2" in result.stderr and result.stderr.count("\n") == 1
    missing = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "eval", "run", "nope.jsonl"])
    assert missing.exit_code == 1 and "dataset not found" in missing.stderr


def test_cli_ask_k_out_of_range_is_an_error(seeded_settings: Settings) -> None:
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "ask", "英伟达", "--k", "0"])
    assert result.exit_code == 1 and "between 1 and 50" in result.stderr
