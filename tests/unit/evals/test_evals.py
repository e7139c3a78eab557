"""The eval set checker, datasets with conversations, metrics, reports and gates (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import InvalidInputError
from assistant.evals.check import article_texts, check_dataset
from assistant.evals.dataset import Dataset, EvalItem, load_any, load_datasets
from assistant.evals.gates import Gate, check, load_gates, parse_fail_under, render
from assistant.evals.metrics import Outcome, by_kind, citation_valid, cited_segments, judge, summarize
from assistant.evals.report import Delta, compare, html, markdown
from assistant.types import Answer, Citation, Hit
from tests.support.data import EVALS, ROOT

A0 = "000_da357fa45bf7326d"


@pytest.fixture(scope="module")
def articles() -> dict[str, str]:
    return article_texts([ROOT / "seeds"])


def _hit(rank: int, text: str, article_id: str = A0) -> Hit:
    return Hit(rank, article_id, f"{article_id}:v:{rank:04d}", text, 1.0 / rank, "t", "o", None)


def _answer(text: str, hits: list[Hit], cited: list[int], refused: bool = False) -> Answer:
    return Answer("q", "q", text, refused, "Hans", [Citation.from_hit(n, hits[n - 1]) for n in cited], hits,
                  timings={"retrieve": 0.01, "generate": 0.002})


def test_evalcheck_accepts_the_dev_sets(articles: dict[str, str]) -> None:
    data = load_datasets([EVALS / "dev.jsonl", EVALS / "dev_multiturn.jsonl"])
    assert len(data.items) >= 80 and len(data.conversations) >= 8
    assert sum(not i.answerable for i in data.items) >= 12
    kinds = {i.kind for i in data.items}
    assert {"cross_script", "english", "paraphrase", "garbled", "multi_fact", "multi_article", "conflict",
            "unanswerable"} <= kinds
    assert {s for i in data.items for s in i.sources} == set(articles)  # every article covered
    assert check_dataset(data, articles) == []


def test_evalcheck_accepts_the_holdout_set_and_it_shares_no_question_with_dev(articles: dict[str, str]) -> None:
    holdout = load_datasets([EVALS / "holdout.jsonl"])
    assert check_dataset(holdout, articles) == []
    assert sum(not i.answerable for i in holdout.items) >= 8 and sum(i.kind == "conflict" for i in holdout.items) >= 4
    dev = load_datasets([EVALS / "dev.jsonl"])
    assert not {i.question for i in holdout.items} & {i.question for i in dev.items}


def test_evalcheck_rejects_malformed_items(articles: dict[str, str]) -> None:
    items = [
        EvalItem(id="a", question="q1", facts=["55亿"], sources=[A0], kind=None),
        EvalItem(id="b", question="q2", facts=["55亿"], sources=["999_missing"], kind="x"),
        EvalItem(id="c", question="q3", facts=["七千亿光年"], sources=[A0], kind="x"),
        EvalItem(id="d", question="q4", facts=["55亿"], sources=[], answerable=False, kind="unanswerable"),
        EvalItem(id="e", question="q5", facts=[], sources=[A0], kind="x"),
        EvalItem(id="f", question="q1", facts=["55亿"], sources=[A0], kind="x"),
    ]
    problems = {(p.item_id, p.message) for p in check_dataset(Dataset(items), articles)}
    assert ("a", "no kind") in problems
    assert ("b", "unknown source '999_missing'") in problems
    assert ("c", "fact '七千亿光年' appears in none of its sources") in problems
    assert ("d", "unanswerable but lists facts or sources") in problems
    assert ("e", "answerable but lists no facts") in problems
    assert ("f", "same question as a") in problems


def test_load_any_reads_conversations_and_reports_bad_lines(tmp_path: Path) -> None:
    data = load_any(EVALS / "dev_multiturn.jsonl")
    turns = data.conversations[0].items()
    assert [t.id for t in turns] == ["m01#1", "m01#2"] and turns[1].kind == "multi_turn"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "m", "turns": []}\n', encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"bad.jsonl:1: .*turns"):
        load_any(bad)
    bad.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="expected a JSON object"):
        load_any(bad)
    with pytest.raises(InvalidInputError, match="ids already used"):
        load_datasets([EVALS / "dev.jsonl", EVALS / "dev.jsonl"])


def test_evalmetrics_citation_valid_needs_retrieval_and_support() -> None:
    hits = [_hit(1, "英伟达计提了55亿美元损失。"), _hit(2, "黄仁勋穿了唐装。")]
    quoted = _answer("以下内容摘自相关文章：\n「英伟达计提了55亿美元损失。」[1]", hits, [1])
    assert citation_valid(quoted, quoted.citations[0])
    wrong = _answer("英伟达计提了55亿美元损失[2]。", hits, [2])
    assert not citation_valid(wrong, wrong.citations[0])
    unretrieved = _answer("英伟达计提了55亿美元损失[1]。", hits[1:], [])
    ghost = Citation.from_hit(1, _hit(9, "英伟达计提了55亿美元损失。"))
    assert not citation_valid(unretrieved, ghost)


def test_evalmetrics_cited_segments_run_from_marker_to_marker() -> None:
    text = "甲说了一件事[1]。乙说了另一件事[2]\n注意：各来源的数字不一致：[1] 称 55亿；[3] 称 45亿。"
    assert cited_segments(text, 1) == ["甲说了一件事[1]。乙说了另一件事", "注意：各来源的数字不一致：[1] 称 55亿；"]
    assert cited_segments(text, 3) == [" 称 55亿；[3] 称 45亿。"]
    assert cited_segments(text, 4) == []


def test_evalmetrics_judge_and_summarize_conflicts_refusals_and_kinds() -> None:
    hits = [_hit(1, "多篇报道：计提55亿美元。"), _hit(2, "虎嗅：价值45亿美元的库存。", "004_0192960aab3099c9")]
    conflict = EvalItem(id="c", question="q", facts=["55亿", "45亿"], sources=[A0], kind="conflict")
    both = _answer("计提55亿美元[1]。另说45亿美元[2]。", hits, [1, 2])
    one = _answer("计提55亿美元[1]。", hits, [1])
    unanswerable = EvalItem(id="u", question="q", answerable=False, kind="unanswerable")
    outcomes = [Outcome(conflict, both, 0.1), Outcome(conflict, one, 0.3), Outcome(unanswerable, one, 0.2)]
    verdicts = [judge(o, 5) for o in outcomes]
    assert verdicts[0].conflict_covered and not verdicts[0].failures
    assert verdicts[1].conflict_covered is False
    assert "does not cite both sides of the disagreement" in verdicts[1].failures
    assert verdicts[2].failures == ["answered an unanswerable question"]
    metrics = summarize(outcomes, verdicts, 5)
    assert metrics["conflict_coverage"] == 0.5 and metrics["refusal_rate_unanswerable"] == 0.0
    assert metrics["answer_fact_recall"] == 0.75 and metrics["citation_validity"] == 1.0
    assert metrics["retrieval_hit@1"] == 1.0 and metrics["latency_total_p50_s"] == 0.2
    assert set(by_kind(outcomes, verdicts, 5)) == {"conflict", "unanswerable"}


def _results(answer_text: str, passage: str) -> dict[str, object]:
    item = {"id": "x1", "kind": "english", "question": "<b>q</b>", "answer": answer_text, "refused": False,
            "facts": ["55亿"], "facts_in_answer": [False], "failures": ["facts missing from the answer: 55亿"],
            "citations": [{"n": 1, "article_id": A0, "chunk_id": "c", "text": passage}],
            "retrieved": [{"rank": 1, "article_id": A0, "chunk_id": "c", "text": passage, "score": 0.5}]}
    return {"metrics": {"answer_fact_recall": 0.5, "false_refusal_rate": 0.1}, "config": {"llm": "extractive"},
            "by_kind": {"english": {"items": 1.0, "answer_fact_recall": 0.5}}, "items": [item],
            "baselines": {"bm25": {"metrics": {"answer_fact_recall": 0.4}}}}


def test_evalreport_html_escapes_hostile_text() -> None:
    page = html(_results("<script>alert(1)</script>[1]", '<img src=x onerror="alert(2)">'))
    assert "<script>alert" not in page and "<img" not in page and "<b>q</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "onerror=&quot;alert(2)&quot;" in page
    assert page.startswith("<!DOCTYPE html>") and "<link" not in page and "src=" not in page.replace("src=x", "")


def test_evalreport_markdown_and_compare_flag_what_got_worse() -> None:
    results = _results("答[1]", "文")
    text = markdown(results, previous={"answer_fact_recall": 0.6, "false_refusal_rate": 0.05})
    assert "| metric | project | bm25 | previous | change |" in text
    assert "| answer_fact_recall | 0.5 | 0.4 | 0.6 | -0.1 ⚠ |" in text
    assert "## Per kind" in text and "**x1** (english)" in text
    deltas = {d.metric: d for d in compare({"false_refusal_rate": 0.1, "latency_p50_s": 0.2},
                                            {"false_refusal_rate": 0.05, "latency_p50_s": 0.1})}
    assert deltas["false_refusal_rate"].worse and not deltas["latency_p50_s"].worse
    assert Delta("answer_fact_recall", 0.5, 0.6).worse is False


def test_evalgate_loads_profiles_and_renders_failures(tmp_path: Path) -> None:
    gates = load_gates(EVALS / "gates.toml", "extractive")
    assert Gate("false_refusal_rate", 0.05, "max") in gates
    assert load_gates(EVALS / "gates.toml", "openai:gpt-4o") == []
    results = check({"retrieval_hit@3": 0.5, "false_refusal_rate": 0.01}, gates)
    table = render(results)
    assert "retrieval_hit@3" in table and "FAILED" in table and "missing" in table
    assert parse_fail_under("answer_fact_recall=0.8") == Gate("answer_fact_recall", 0.8)
    for spec in ("answer_fact_recall", "x=abc", "=0.5"):
        with pytest.raises(InvalidInputError, match="metric=value"):
            parse_fail_under(spec)
    broken = tmp_path / "gates.toml"
    broken.write_text('[extractive]\nanswer_fact_recall = 0.8\n', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="min = x"):
        load_gates(broken, "extractive")


def test_the_multidomain_sets_name_their_corpus_check_clean_and_share_no_question() -> None:
    """Issue 16's corpora nobody tuned on: ≥ 10 articles of ≥ 6 subjects, a dev set of ≥ 80
    questions with ≥ 16 unanswerable near-misses, and a held-out set of ≥ 40 that shares no
    question with it (matched in the contract's normalised form)."""
    from assistant.text.normalize import normalize_for_match

    corpus = EVALS / "corpora" / "multidomain"
    articles = article_texts([corpus])
    assert len(articles) >= 10
    dev = load_datasets([EVALS / "multidomain_dev.jsonl"])
    holdout = load_datasets([EVALS / "multidomain_holdout.jsonl"])
    for data in (dev, holdout):
        assert data.corpus == corpus.resolve()
        assert check_dataset(data, articles) == []
    assert len(dev) >= 80 and sum(not i.answerable for i in dev.items) >= 16
    assert len(holdout) >= 40
    kinds = {i.kind for i in dev.items}
    assert {"regional", "english_to_zh", "zh_to_english", "conflict", "unanswerable"} <= kinds
    normal = {normalize_for_match(i.question) for i in dev.items}
    assert not normal & {normalize_for_match(i.question) for i in holdout.items}
