"""Publication dates through the CLI: `retrieve` and `ask` with --since/--until over a data dir
ingested by `assistant ingest` with embeddings from the local OpenAI-compatible stub."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.support.dated_corpus import QUESTION, write_corpus
from tests.support.stubs import openai_stub


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "articles")


@pytest.fixture
def cli_data(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A data dir ingested through the CLI, with embeddings from the local OpenAI-compatible stub."""
    with openai_stub() as (url, _):
        monkeypatch.setenv("ASSISTANT_EMBEDDING", "openai")
        monkeypatch.setenv("ASSISTANT_EMBEDDING_BASE_URL", url)
        monkeypatch.setenv("ASSISTANT_EMBEDDING_API_KEY", "test")
        data = str(tmp_path / "cli-data")
        result = CliRunner().invoke(app, ["--data-dir", data, "ingest", str(corpus)])
        assert result.exit_code == 0, result.output
        yield data


def test_date_cli_retrieve_since_until(cli_data: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--data-dir", cli_data, "retrieve", QUESTION, "--k", "10", "--json",
                                 "--since", "2024-01-01", "--until", "2024-12-31"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert {h["article_id"] for h in hits} == {"jan2024", "aug2024"}
    assert {h["published"] for h in hits} == {"2024-01-15", "2024-08-11"}
    text = runner.invoke(app, ["--data-dir", cli_data, "retrieve", QUESTION, "--k", "10", "--since", "2025-01-01"])
    assert text.exit_code == 0, text.output
    assert "— unknown outlet, 2025-01-16" in text.stdout and "jan2024" not in text.stdout


def test_date_cli_ask_since(cli_data: str) -> None:
    result = CliRunner().invoke(app, ["--data-dir", cli_data, "ask", QUESTION, "--json", "--until", "2024-02-01"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert {h["article_id"] for h in answer["retrieved"]} == {"jan2024"}
    assert all(c["published"] == "2024-01-15" for c in answer["citations"])


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2024-13-01"], "--since must be a date written YYYY-MM-DD"),
    (["--until", "last week"], "--until must be a date written YYYY-MM-DD"),
    (["--since", "2025-01-01", "--until", "2024-01-01"], "is before since"),
])
def test_date_cli_bad_dates_are_one_line(cli_data: str, args: list[str], message: str) -> None:
    for command in ("retrieve", "ask"):
        result = CliRunner().invoke(app, ["--data-dir", cli_data, command, QUESTION, *args])
        assert result.exit_code == 1 and result.stderr.count("\n") == 1 and message in result.stderr
