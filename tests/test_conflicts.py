"""Disagreeing figures: which figures are compared, and which differences are not disagreements."""

from __future__ import annotations

from assistant.conflicts import Evidence, expected_units, find_conflicts, unit_kind
from assistant.relevance import TermWeights, question_terms

WEIGHTS = TermWeights({}, documents=100)


def _conflicts(question: str, *evidence: tuple[int, str, str]) -> dict[str, dict[str, list[int]]]:
    found = find_conflicts([Evidence(*e) for e in evidence], question_terms(question), WEIGHTS,
                           expected_units(question))
    return {c.unit: c.values for c in found}


def test_expected_units_follow_the_question() -> None:
    assert expected_units("H20的算力相当于H100的几成？") == {"%"}
    assert "亿美元" in expected_units("英伟达计提的损失是多少？")
    assert expected_units("损失是55亿美元吗？") == {"亿美元"}
    assert expected_units("黄仁勋什么时候访华？") == set()


def test_find_conflicts_reports_each_article_side_with_its_passages() -> None:
    found = _conflicts("H20的算力是H100的多少？",
                       (1, "a", "H20算力不到H100的15%。"), (2, "b", "H20的性能仅为H100的30%。"),
                       (3, "b", "H20性能仅为H100的30%左右。"))
    assert found == {"%": {"15%": [1], "30%": [2]}}


def test_find_conflicts_ignores_rounding_and_one_article_alone() -> None:
    assert _conflicts("中国区营收是多少亿美元？", (1, "a", "中国区营收为171.08亿美元。"),
                      (2, "b", "中国区营收达171亿美元。")) == {}
    assert _conflicts("H20的算力是H100的多少？", (1, "a", "H20算力是H100的15%。"),
                      (2, "a", "H20算力是H100的30%。")) == {}


def test_find_conflicts_does_not_compare_figures_of_different_years() -> None:
    assert _conflicts("英伟达中国区营收是多少亿美元？", (1, "a", "2024 年英伟达中国区营收171亿美元。"),
                      (2, "b", "2025 年英伟达中国区营收160亿美元。")) == {}
    assert _conflicts("英伟达中国区营收是多少亿美元？", (1, "a", "2024年英伟达中国区营收171亿美元。"),
                      (2, "b", "2024 年英伟达中国区营收160亿美元。")) != {}


def test_expected_units_know_counts_prices_and_english() -> None:
    assert unit_kind_of("英伟达中国团队大约有多少名员工？") == {"count"}
    assert unit_kind_of("How many H20 chips did ByteDance buy in 2024?") == {"count"}
    assert unit_kind_of("华为昇腾910C的单价是多少？") == {"money"}
    assert unit_kind_of("What is the retail price of the B30 chip?") == {"money"}
    assert expected_units("How much lower is the purchase cost of the B30?") == {"%"}
    assert unit_kind_of("台积电2024年的营收是多少？") == {"money"}  # 台 of 台积电 is not a count


def unit_kind_of(question: str) -> set[str]:
    return {unit_kind(u) for u in expected_units(question)}
