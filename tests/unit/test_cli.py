"""`assistant ingest` and the one-line errors through typer's CliRunner, with tmp data dirs (no model:
`assistant retrieve` over the real seed store is in tests/integration/test_cli.py)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def test_cli_ingest_is_idempotent_and_summarises(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a1.txt").write_text("英伟达发布了新芯片。华为发布了超节点。", encoding="utf-8")
    data = str(tmp_path / "data")
    first = runner.invoke(app, ["--data-dir", data, "ingest", str(articles)])
    assert first.exit_code == 0, first.output
    assert "1 articles (1 added" in first.stdout and "chunks written" in first.stdout
    second = runner.invoke(app, ["--data-dir", data, "ingest", str(articles)])
    assert "0 added, 0 updated, 1 unchanged" in second.stdout and "0 chunks written" in second.stdout


def test_cli_ingest_bad_file_names_it_and_exits_nonzero(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text("英伟达。", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["--data-dir", str(tmp_path / "d"), "ingest", str(tmp_path)])
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'empty.txt'}: file is empty" in result.stderr
    assert "1 added" in result.stdout


def test_cli_bad_setting_is_one_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ASSISTANT_LLM", "gpt5-magic")
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "retrieve", "x"])
    assert result.exit_code == 2 and "invalid setting" in result.stderr and result.stderr.count("\n") == 1
