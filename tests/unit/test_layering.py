"""The import rule (README, "Architecture"): stages import only the stages below them, the
shared types import nothing of the project, and the interfaces never import each other.

Every `import` counts, at the top of a module or inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "assistant"

#: a unit may import the units of lower layers, and itself; the foundation (errors, config, the
#: shared types) imports nothing of the project but the errors
LAYERS: dict[str, int] = {
    "errors": 0, "config": 0, "types": 0,
    "text": 1,
    "storage": 2, "models": 2,
    "ingest": 3, "retrieval": 3,
    "answering": 4,
    "serving": 5,
    "factory": 6,
    "evals": 7,
    "api": 8, "slack": 8,
    "server": 9,  # where the interfaces meet: the API with the Slack endpoint, served
    "cli": 10,
}
INTERFACES = {"api", "slack", "cli"}
#: the foundation's own exceptions: a bad setting or a reversed date range is a domain error
ALLOWED = {("config", "errors"), ("types", "errors")}


def unit_of(module: str) -> str:
    parts = module.split(".")
    assert parts[0] == "assistant"
    return parts[1] if len(parts) > 1 else "__init__"


def imports(path: Path) -> list[tuple[int, str]]:
    module = "assistant." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.append((node.lineno, target))
    return [(line, name) for line, name in found if name == "assistant" or name.startswith("assistant.")]


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_unit_has_a_layer() -> None:
    units = {unit_of("assistant." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)) for p in modules()}
    assert units - {"__init__"} <= set(LAYERS), f"give these a layer: {sorted(units - set(LAYERS) - {'__init__'})}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path) -> None:
    source = unit_of("assistant." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
    if source == "__init__":
        return
    wrong = []
    for line, target in imports(path):
        unit = unit_of(target)
        if unit == "__init__":  # `from assistant import __version__`
            continue
        if unit == source or (source, unit) in ALLOWED:
            continue
        if LAYERS[unit] >= LAYERS[source]:
            wrong.append(f"line {line}: {source} (layer {LAYERS[source]}) imports {target} (layer {LAYERS[unit]})")
    assert not wrong, "\n".join(wrong)


def test_interfaces_never_import_each_other() -> None:
    wrong = []
    for path in modules():
        source = unit_of("assistant." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts))
        if source in INTERFACES:
            wrong += [f"{path.name}:{line} imports {target}" for line, target in imports(path)
                      if unit_of(target) in INTERFACES - {source}]
    assert not wrong, "\n".join(wrong)


def test_the_shared_types_import_nothing_of_the_project_but_its_errors() -> None:
    assert [target for _, target in imports(PACKAGE / "types.py")] == ["assistant.errors"]
    assert imports(PACKAGE / "errors.py") == []


def test_the_checker_sees_imports_inside_functions() -> None:
    # server.py imports the factory only inside create_app and socket_mode_handler
    assert "assistant.factory" in [target for _, target in imports(PACKAGE / "server.py")]
