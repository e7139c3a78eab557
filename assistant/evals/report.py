"""Eval reports: metric deltas against an earlier run, a Markdown summary and one HTML file.

The HTML report is self-contained (inline CSS, no script, no external asset) so it opens
from a CI artifact without the package. Every piece of article, question or answer text is
escaped: a passage holding `<script>` or `onerror=` shows as text and never runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

LOWER_IS_BETTER = ("false_refusal_rate", "invalid_citations", "latency_")
KIND_COLUMNS = ("items", "retrieval_hit@3", "retrieval_fact_recall@3", "retrieval_mrr", "answer_fact_recall",
                "citation_validity", "refusal_rate_unanswerable", "false_refusal_rate", "conflict_coverage")


@dataclass(frozen=True)
class Delta:
    metric: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else round(self.after - self.before, 4)

    @property
    def worse(self) -> bool:
        change = self.change
        if not change or self.metric.startswith("latency_") or self.metric == "items":
            return False
        lower_better = self.metric.startswith(LOWER_IS_BETTER)
        return change > 0 if lower_better else change < 0


def compare(current: Mapping[str, float], previous: Mapping[str, float]) -> list[Delta]:
    names = list(current) + [m for m in previous if m not in current]
    return [Delta(m, previous.get(m), current.get(m)) for m in names]


def fmt(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def metric_columns(results: Mapping[str, Any]) -> list[tuple[str, Mapping[str, float]]]:
    """(name, metrics) of the project run, then of each baseline run with it."""
    columns = [("project", results["metrics"])]
    for name, baseline in (results.get("baselines") or {}).items():
        columns.append((name, baseline["metrics"]))
    return columns


# ---------------------------------------------------------------- Markdown

def markdown(results: Mapping[str, Any], previous: Mapping[str, float] | None = None) -> str:
    config = results.get("config", {})
    lines = [f"# Eval report — {config.get('llm', '?')} / {config.get('embedding', '?')}, k={config.get('k', '?')}",
             ""]
    columns = metric_columns(results)
    header = ["metric"] + [name for name, _ in columns] + (["previous", "change"] if previous else [])
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for metric in results["metrics"]:
        row = [metric] + [fmt(values.get(metric)) for _, values in columns]
        if previous is not None:
            delta = Delta(metric, previous.get(metric), results["metrics"].get(metric))
            row += [fmt(delta.before), (fmt(delta.change) + (" ⚠" if delta.worse else "")) if delta.change else ""]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "## Per kind", ""]
    lines += ["| kind | " + " | ".join(KIND_COLUMNS) + " |", "|" + "---|" * (len(KIND_COLUMNS) + 1)]
    for kind, values in results.get("by_kind", {}).items():
        lines.append(f"| {kind} | " + " | ".join(fmt(values.get(c)) for c in KIND_COLUMNS) + " |")
    failed = [item for item in results["items"] if item.get("failures")]
    lines += ["", f"## Items with failures ({len(failed)} of {len(results['items'])})", ""]
    for item in failed:
        question = item["question"].replace("|", "\\|")
        lines.append(f"- **{item['id']}** ({item.get('kind', '?')}) {question} — " + "; ".join(item["failures"]))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;
vertical-align:top}th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.fail{background:#fff1f0}.ok{background:#f4fbf4}.worse{color:#b00020;font-weight:bold}
details{margin:.2rem 0}summary{cursor:pointer}.passage{white-space:pre-wrap;font-size:.9em;color:#444}
.tag{display:inline-block;background:#b00020;color:#fff;border-radius:3px;padding:0 .3rem;margin:.1rem;
font-size:.85em}.answer{white-space:pre-wrap}
"""


def _cell(value: object, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<td{attr}>{escape(fmt(value))}</td>"


def _metrics_table(results: Mapping[str, Any], previous: Mapping[str, float] | None) -> str:
    columns = metric_columns(results)
    head = "".join(f"<th>{escape(name)}</th>" for name, _ in columns)
    if previous is not None:
        head += "<th>previous</th><th>change</th>"
    rows = []
    for metric in results["metrics"]:
        cells = "".join(_cell(values.get(metric), "num") for _, values in columns)
        if previous is not None:
            delta = Delta(metric, previous.get(metric), results["metrics"].get(metric))
            cells += _cell(delta.before, "num") + _cell(delta.change, "num worse" if delta.worse else "num")
        rows.append(f"<tr><th>{escape(metric)}</th>{cells}</tr>")
    return f"<table><tr><th>metric</th>{head}</tr>{''.join(rows)}</table>"


def _kind_table(results: Mapping[str, Any]) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in KIND_COLUMNS)
    rows = "".join(f"<tr><th>{escape(kind)}</th>" + "".join(_cell(values.get(c), "num") for c in KIND_COLUMNS)
                   + "</tr>" for kind, values in results.get("by_kind", {}).items())
    return f"<table><tr><th>kind</th>{head}</tr>{rows}</table>"


def _item_row(item: Mapping[str, Any]) -> str:
    failures = "".join(f'<span class="tag">{escape(f)}</span>' for f in item.get("failures", []))
    citations = "".join(
        f"<details><summary>[{escape(str(c['n']))}] {escape(c['article_id'])}"
        f"{escape(', ' + str(c['published'])) if c.get('published') else ''}</summary>"
        f"<div class=\"passage\">{escape(c['text'])}</div></details>" for c in item.get("citations", []))
    retrieved = "".join(
        f"<details><summary>#{escape(str(h['rank']))} {escape(h['article_id'])} "
        f"({escape(fmt(h.get('score')))})</summary><div class=\"passage\">{escape(h['text'])}</div></details>"
        for h in item.get("retrieved", []))
    facts = ", ".join(f"{'✓' if ok else '✗'} {f}" for f, ok in zip(item.get("facts", []),
                                                                   item.get("facts_in_answer", []), strict=False))
    status = "fail" if item.get("failures") else "ok"
    return (f'<tr class="{status}"><td>{escape(item["id"])}<br><small>{escape(str(item.get("kind", "")))}</small>'
            f"</td><td>{escape(item['question'])}</td><td><div class=\"answer\">{escape(item['answer'])}</div>"
            f"<small>{escape(facts)}</small></td><td>{citations}</td><td>{retrieved}</td><td>{failures}</td></tr>")


def html(results: Mapping[str, Any], previous: Mapping[str, float] | None = None) -> str:
    config = results.get("config", {})
    title = f"Eval report — {config.get('llm', '?')} / {config.get('embedding', '?')}, k={config.get('k', '?')}"
    items = "".join(_item_row(item) for item in results["items"])
    return ("<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
            f"<h1>{escape(title)}</h1><h2>Metrics</h2>{_metrics_table(results, previous)}"
            f"<h2>Per kind</h2>{_kind_table(results)}<h2>Items</h2>"
            "<table><tr><th>id</th><th>question</th><th>answer</th><th>citations</th><th>retrieved</th>"
            f"<th>failed</th></tr>{items}</table></body></html>\n")


def write_reports(results: Mapping[str, Any], out: Path, previous: Mapping[str, float] | None = None
                  ) -> tuple[Path, Path]:
    """`<out>.md` and `<out>.html` next to the results file."""
    md, page = out.with_suffix(".md"), out.with_suffix(".html")
    md.write_text(markdown(results, previous), encoding="utf-8")
    page.write_text(html(results, previous), encoding="utf-8")
    return md, page
