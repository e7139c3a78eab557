"""Prompt texts and per-language phrases, loaded from files at start-up: `ASSISTANT_PROMPTS_DIR`,
else the copy a built wheel carries (`assistant/_prompts`, copied from `prompts/` by setup.py),
else the checkout's `prompts/` (an editable install)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from langchain_core.prompts import ChatPromptTemplate, PromptTemplate

from assistant.errors import ConfigError
from assistant.types import Script

PACKAGED_PROMPTS_DIR = Path(__file__).resolve().parents[1] / "_prompts"
CHECKOUT_PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"
REQUIRED_FILES = ("system.md", "answer.md", "condense.md", "phrases.json")


@dataclass(frozen=True)
class PromptSet:
    system: str
    answer: str
    condense: str
    phrases: dict[str, dict[str, str] | list[str]]

    def phrase(self, key: str, script: Script) -> str:
        table = self.phrases[key]
        if not isinstance(table, dict):
            raise ConfigError(f"phrase {key!r} is not a per-language table")
        return table.get(script) or table["Latn"]

    @property
    def refusal_markers(self) -> list[str]:
        markers = self.phrases.get("refusal_markers", [])
        return list(markers) if isinstance(markers, list) else []

    def answer_prompt(self) -> ChatPromptTemplate:
        return ChatPromptTemplate.from_messages([("system", self.system), ("human", self.answer)])

    def condense_prompt(self) -> PromptTemplate:
        return PromptTemplate.from_template(self.condense)


def default_prompts_dir() -> Path:
    """The wheel's packaged prompts, else the checkout's `prompts/`."""
    return PACKAGED_PROMPTS_DIR if PACKAGED_PROMPTS_DIR.is_dir() else CHECKOUT_PROMPTS_DIR


def load_prompts(directory: Path | None = None) -> PromptSet:
    folder = directory or default_prompts_dir()
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ConfigError(f"prompt files missing in {folder}: {', '.join(missing)}")
    try:
        phrases = json.loads((folder / "phrases.json").read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{folder / 'phrases.json'} is not valid JSON: {exc}") from exc
    for key in ("refusal", "quoting", "unanswered_part", "conflict", "conflict_item", "llm_unavailable",
                "language_name"):
        if set(phrases.get(key, {})) != {"Hans", "Hant", "Latn"}:
            raise ConfigError(f"phrases.json: {key!r} needs Hans, Hant and Latn entries")
    return PromptSet(
        system=(folder / "system.md").read_text(encoding="utf-8"),
        answer=(folder / "answer.md").read_text(encoding="utf-8"),
        condense=(folder / "condense.md").read_text(encoding="utf-8"),
        phrases=phrases,
    )
