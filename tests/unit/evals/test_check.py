"""`assistant eval check`: every fact of the dev sets is in its sources (no model needed)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from tests.support.data import EVALS

runner = CliRunner()
DATASETS = [str(EVALS / "dev.jsonl"), str(EVALS / "dev_multiturn.jsonl")]


def test_eval_check_cli(tmp_path: Path) -> None:
    good = runner.invoke(app, ["eval", "check", *DATASETS, "--corpus", str(EVALS.parent / "seeds")])
    assert good.exit_code == 0 and "ok:" in good.stdout
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "z", "question": "q", "facts": ["不存在的事实"],
                               "sources": ["000_da357fa45bf7326d"], "kind": "x"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    result = runner.invoke(app, ["eval", "check", str(bad), "--corpus", str(EVALS.parent / "seeds")])
    assert result.exit_code == 1 and "appears in none of its sources" in result.stderr
