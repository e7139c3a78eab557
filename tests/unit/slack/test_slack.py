"""The Slack endpoint's absence without a signing secret, the rendering of answers into blocks, and
the `assistant slack` command's checks (events against a fake Slack: tests/integration/slack/test_slack.py)."""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.ingest.ingestor import Ingestor
from assistant.server import create_app
from assistant.slack.render import answer_blocks
from assistant.types import Answer, Citation
from tests.support.fakes import make_services


def test_slack_endpoint_absent_without_signing_secret(settings: Settings, seeded_fake: Ingestor) -> None:
    with TestClient(create_app(services=make_services(settings, seeded_fake))) as plain:
        assert plain.post("/slack/events", json={}).status_code == 404


def test_slack_render_makes_quoted_mentions_and_links_inert() -> None:
    citation = Citation(1, "a1", "a1:v:0001", "注意 <!channel> <@U123> <http://evil.example|点这里> & 更多", "标题<b>",
                        "网易")
    answer = Answer("q", "q", "根据报道 <!everyone> [1]", False, "Hans", citations=[citation])
    text = json.dumps(answer_blocks(answer, "msg_1"), ensure_ascii=False)
    for live in ("<!channel>", "<!everyone>", "<@U123>", "<http://evil.example|"):
        assert live not in text
    assert "&lt;!channel&gt;" in text and "&amp;" in text


def test_cli_slack_needs_socket_flag_and_app_token(tmp_path: Any) -> None:
    from typer.testing import CliRunner

    from assistant.cli import app

    runner = CliRunner()
    no_flag = runner.invoke(app, ["--data-dir", str(tmp_path), "slack"])
    assert no_flag.exit_code == 1 and "--socket" in no_flag.stderr
    no_token = runner.invoke(app, ["--data-dir", str(tmp_path), "slack", "--socket"])
    assert no_token.exit_code == 1 and "ASSISTANT_SLACK_APP_TOKEN" in no_token.stderr
    assert no_token.stderr.count("\n") == 1
