"""Quality gates: bounds on eval metrics, from one config file (`evals/gates.toml`) or the command line.

The gates file has one table per answerer (the run's `llm`: `extractive`, `fake`, …); each entry
bounds one metric from below (`min`) or above (`max`):

    [extractive]
    "retrieval_hit@3" = { min = 0.95 }
    false_refusal_rate = { max = 0.05 }

A dataset that names its corpus (`"corpus": "corpora/multidomain"`) is gated by the tables under
the corpus folder's name: `[multidomain.extractive]`.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from assistant.errors import InvalidInputError
from assistant.evals.dataset import read_text

Direction = Literal["min", "max"]


@dataclass(frozen=True)
class Gate:
    metric: str
    bound: float
    direction: Direction = "min"

    def passes(self, value: float | None) -> bool:
        if value is None:
            return False
        return value >= self.bound if self.direction == "min" else value <= self.bound

    def __str__(self) -> str:
        return f"{self.metric} {'>=' if self.direction == 'min' else '<='} {self.bound:g}"


@dataclass(frozen=True)
class GateResult:
    gate: Gate
    value: float | None

    @property
    def ok(self) -> bool:
        return self.gate.passes(self.value)


def profile_name(llm: str) -> str:
    """`openai:gpt-4o-mini` → `openai`."""
    return llm.split(":", 1)[0]


def load_gates(path: Path, profile: str, corpus: str | None = None) -> list[Gate]:
    """The gates for one answerer (`[extractive]`); for a dataset that names its corpus, those of
    that corpus (`[multidomain.extractive]`, by the corpus folder's name). An answerer or corpus
    without a table has no gates."""
    try:
        table = tomllib.loads(read_text(path, "gates file"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"{path}: not a valid gates file: {exc}") from exc
    if corpus is not None:
        table = table.get(corpus, {})
        if not isinstance(table, dict):
            raise InvalidInputError(f"{path}: [{corpus}] must be a table of answerers")
    section = table.get(profile_name(profile), {})
    gates = []
    for metric, spec in section.items():
        if isinstance(spec, dict) and all(isinstance(v, dict) for v in spec.values()) and spec:
            continue  # a nested table (another corpus's answerers), not a metric
        if not isinstance(spec, dict) or not spec.keys() & {"min", "max"}:
            raise InvalidInputError(f"{path}: [{profile}] {metric}: expected {{ min = x }} or {{ max = x }}")
        for direction in ("min", "max"):
            if direction in spec:
                gates.append(Gate(metric, _number(spec[direction], path, metric), direction))
    return gates


def _number(value: object, path: Path, metric: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{path}: {metric}: the bound must be a number")
    return float(value)


def parse_fail_under(spec: str) -> Gate:
    """`metric=value` from `--fail-under`: the metric must be at least `value`."""
    metric, sep, value = spec.partition("=")
    try:
        bound = float(value)
    except ValueError:
        bound = math.nan
    if not sep or not metric.strip() or math.isnan(bound):
        raise InvalidInputError(f"--fail-under expects metric=value, got {spec!r}")
    return Gate(metric.strip(), bound, "min")


def check(metrics: Mapping[str, float], gates: Sequence[Gate]) -> list[GateResult]:
    return [GateResult(gate, metrics.get(gate.metric)) for gate in gates]


def render(results: Sequence[GateResult]) -> str:
    """A plain-text table of every gate, failures marked, readable in a CI log."""
    rows = [("metric", "bound", "value", "status")]
    for r in results:
        bound = f"{'>=' if r.gate.direction == 'min' else '<='} {r.gate.bound:g}"
        value = "missing" if r.value is None else f"{r.value:g}"
        rows.append((r.gate.metric, bound, value, "ok" if r.ok else "FAILED"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)
