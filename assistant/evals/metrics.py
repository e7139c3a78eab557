"""Eval metrics: per-item verdicts, then retrieval, answer, citation, conflict and latency metrics.

Definitions (README, "Evals"):
- retrieval fact recall@n: share of an item's facts found in its top n passages; hit@n: a passage
  from one of the item's sources holding a fact is in the top n; MRR: 1/rank of the first such.
- answer fact recall: share of facts found in the answer text (contract normalisation).
- citation validity: a cited passage was retrieved and supports the sentence that cites it — it
  shares a figure with that sentence, or at least a quarter of the sentence's terms.
- citation coverage: answered (not refused) answerable items with at least one valid citation.
- false refusals before the model: answerable items refused by the relevance floor, before
  any answerer (LLM or extractive) ran.
- conflict coverage: conflict items whose answer gives every side and cites a passage for each.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.evals.dataset import (
    EvalItem,
    RetrievalScore,
    fact_holds,
    facts_found,
    retrieval_metrics,
    score_retrieval,
)
from assistant.retrieval.lexical import bigram_tokens
from assistant.text.normalize import normalize
from assistant.types import Answer, Citation

SUPPORT_SHARE = 0.25
_GROUP = re.compile(r"(?:\[\d+\])+")
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Outcome:
    """One answered item, with the wall time of the whole answer."""

    item: EvalItem
    answer: Answer
    seconds: float


@dataclass
class Verdict:
    """What held and what failed for one item."""

    item_id: str
    kind: str
    retrieval: RetrievalScore | None
    facts_in_answer: list[bool] = field(default_factory=list)
    valid_citations: list[bool] = field(default_factory=list)
    conflict_covered: bool | None = None
    failures: list[str] = field(default_factory=list)


def cited_segments(answer_text: str, n: int) -> list[str]:
    """The text each `[n]` marker vouches for: on its line, what runs from the previous marker
    to the next one (`「quote」[1]`, `sentence[1][2].`, `[1] says 15%; [2] says 30%`)."""
    segments = []
    for line in answer_text.splitlines():
        groups = list(_GROUP.finditer(line))
        for i, group in enumerate(groups):
            if f"[{n}]" in group.group(0):
                start = groups[i - 1].end() if i else 0
                end = groups[i + 1].start() if i + 1 < len(groups) else len(line)
                segments.append(line[start:end])
    return segments


def supports(passage: str, segment: str) -> bool:
    """Whether a passage holds text the cited sentence relies on (see module docstring)."""
    claim = normalize(_GROUP.sub(" ", segment))
    source = normalize(passage)
    figures = {f for f in _FIGURE.findall(claim) if len(f) > 1 or "." in f}
    if figures & set(_FIGURE.findall(source)):
        return True
    terms = set(bigram_tokens(claim))
    return bool(terms) and len(terms & set(bigram_tokens(source))) / len(terms) >= SUPPORT_SHARE


def citation_valid(answer: Answer, citation: Citation) -> bool:
    retrieved = {h.chunk_id for h in answer.retrieved}
    if citation.chunk_id not in retrieved:
        return False
    segments = cited_segments(answer.answer, citation.n) or [answer.answer]
    return any(supports(citation.text, segment) for segment in segments)


def conflict_covered(item: EvalItem, answer: Answer) -> bool:
    """Every side (fact) is in the answer and in one of the passages it cites."""
    if answer.refused:
        return False
    cited = "\n".join(c.text for c in answer.citations)
    return all(fact_holds(fact, answer.answer) and fact_holds(fact, cited) for fact in item.facts)


def judge(outcome: Outcome, k: int) -> Verdict:
    item, answer = outcome.item, outcome.answer
    kind = item.kind or "unknown"
    if not item.answerable:
        failures = [] if answer.refused else ["answered an unanswerable question"]
        return Verdict(item.id, kind, None, failures=failures)
    passages = [(h.article_id, h.text) for h in answer.retrieved]
    verdict = Verdict(item.id, kind, score_retrieval(item, passages, cutoffs(k)))
    verdict.facts_in_answer = facts_found(item.facts, answer.answer)
    verdict.valid_citations = [citation_valid(answer, c) for c in answer.citations]
    if kind == "conflict":
        verdict.conflict_covered = conflict_covered(item, answer)
    verdict.failures = _failures(item, answer, verdict, k)
    return verdict


def _failures(item: EvalItem, answer: Answer, verdict: Verdict, k: int) -> list[str]:
    failures = []
    if answer.refused:
        failures.append("refused an answerable question")
    if verdict.retrieval is not None and verdict.retrieval.first_rank is None:
        failures.append(f"no source passage with a fact in the top {k}")
    missing = [f for f, ok in zip(item.facts, verdict.facts_in_answer, strict=True) if not ok]
    if missing and not answer.refused:
        failures.append("facts missing from the answer: " + ", ".join(missing))
    bad = [c.n for c, ok in zip(answer.citations, verdict.valid_citations, strict=True) if not ok]
    if bad:
        failures.append("citations that do not support their sentence: " + ", ".join(f"[{n}]" for n in bad))
    if not answer.refused and not any(verdict.valid_citations):
        failures.append("no valid citation")
    if verdict.conflict_covered is False:
        failures.append("does not cite both sides of the disagreement")
    return failures


def cutoffs(k: int) -> tuple[int, ...]:
    return tuple(sorted({1, 3, k}))


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def summarize(outcomes: Sequence[Outcome], verdicts: Sequence[Verdict], k: int) -> dict[str, float]:
    """All metrics over a set of items (the whole run, or one kind)."""
    pairs = list(zip(outcomes, verdicts, strict=True))
    answerable = [(o, v) for o, v in pairs if o.item.answerable]
    unanswerable = [o for o, _ in pairs if not o.item.answerable]
    scores = [v.retrieval for _, v in answerable if v.retrieval is not None]
    answered = [(o, v) for o, v in answerable if not o.answer.refused]
    facts = [f for _, v in answerable for f in v.facts_in_answer]
    conflicts = [v.conflict_covered for _, v in answerable if v.conflict_covered is not None]
    out: dict[str, float] = {"items": float(len(pairs))}
    if scores:
        out.update({f"retrieval_{name}": v for name, v in retrieval_metrics(scores, cutoffs(k)).items()})
    if answerable:
        out["answer_fact_recall"] = _share(facts)
        out["answer_all_facts"] = _share([all(v.facts_in_answer) for _, v in answerable])
        out["false_refusal_rate"] = _share([o.answer.refused for o, _ in answerable])
        # refused before any answerer ran: nothing usable retrieved (the relevance floor)
        out["false_refusal_before_model_rate"] = _share([o.answer.refused and o.answer.backend == "gate"
                                                         for o, _ in answerable])
        out["citation_rate"] = _share([bool(o.answer.citations) for o, _ in answered])
        out["citation_validity"] = _share([ok for _, v in answered for ok in v.valid_citations])
        out["citation_coverage"] = _share([any(v.valid_citations) for _, v in answered])
        out["citation_source_precision"] = _share([c.article_id in o.item.sources for o, _ in answered
                                                   for c in o.answer.citations])
    if unanswerable:
        out["refusal_rate_unanswerable"] = _share([o.answer.refused for o in unanswerable])
    if conflicts:
        out["conflict_coverage"] = _share(conflicts)
    out["invalid_citations"] = float(sum(o.answer.invalid_citations for o, _ in pairs))
    out.update(latency(outcomes))
    return {name: round(value, 4) for name, value in out.items()}


def latency(outcomes: Sequence[Outcome]) -> dict[str, float]:
    """p50/p95 seconds of retrieval, generation (LLM or extractive) and the whole answer."""
    stages = {"retrieve": [o.answer.timings.get("retrieve", 0.0) for o in outcomes],
              "generate": [o.answer.timings.get("generate", 0.0) for o in outcomes if not o.answer.refused],
              "total": [o.seconds for o in outcomes]}
    out = {}
    for stage, values in stages.items():
        out[f"latency_{stage}_p50_s"] = percentile(values, 0.5)
        out[f"latency_{stage}_p95_s"] = percentile(values, 0.95)
    out["latency_p50_s"] = out["latency_total_p50_s"]
    return out


def by_kind(outcomes: Sequence[Outcome], verdicts: Sequence[Verdict], k: int) -> dict[str, dict[str, float]]:
    kinds = sorted({v.kind for v in verdicts})
    table = {}
    for kind in kinds:
        chosen = [(o, v) for o, v in zip(outcomes, verdicts, strict=True) if v.kind == kind]
        table[kind] = summarize([o for o, _ in chosen], [v for _, v in chosen], k)
    return table
