"""Answers as Block Kit: the answer in mrkdwn with its `[n]` markers, then the cited sources.

Everything that comes from articles or users is escaped (`&`, `<`, `>`), so quoted text such as
`<!channel>`, `<@U123>` or `<http://x|y>` is shown, never executed as a mention or link.
"""

from __future__ import annotations

from typing import Any

from assistant.types import Answer

SECTION_LIMIT = 2900
QUOTE_CHARS = 90
MAX_SOURCES = 9


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer_blocks(answer: Answer, message_id: str | None) -> list[dict[str, Any]]:
    if answer.refused:
        blocks: list[dict[str, Any]] = [_section(f":information_source: {escape(answer.answer)}")]
    else:
        blocks = [_section(escape(answer.answer)[:SECTION_LIMIT])]
    sources = [f"*[{c.n}]* {escape(_clip(c.title, 80))} — {escape(c.outlet or 'unknown outlet')}"
               f"{', ' + escape(c.published) if c.published else ''}\n"
               f"> {escape(_clip(c.text, QUOTE_CHARS))}" for c in answer.citations[:MAX_SOURCES]]
    if sources:  # notices (e.g. an LLM failure) are already told in the answer's own words
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": t} for t in sources]})
    if message_id:
        blocks.append({"type": "actions", "block_id": "feedback", "elements": [
            _button("feedback_up", "👍", message_id), _button("feedback_down", "👎", message_id)]})
    return blocks


def fallback_text(answer: Answer) -> str:
    """The notification text (shown where blocks are not)."""
    return _clip(answer.answer, 300)


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _button(action_id: str, emoji: str, value: str) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "value": value,
            "text": {"type": "plain_text", "text": emoji, "emoji": True}}
