"""Disagreeing figures: which figures are compared, and which differences are not disagreements."""

from __future__ import annotations

from assistant.claims import AskedFigure, Evidence
from assistant.conflicts import find_conflicts
from assistant.figures import expected_units, unit_kind
from assistant.relevance import TermWeights, question_terms

WEIGHTS = TermWeights({}, documents=100)


def _conflicts(question: str, *evidence: tuple[int, str, str]) -> dict[str, dict[str, list[int]]]:
    asked = AskedFigure.of(question, question_terms(question), WEIGHTS)
    return {c.unit: c.values for c in find_conflicts([Evidence(*e) for e in evidence], asked)}


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
                      (2, "b", "2023 年英伟达中国区营收160亿美元。")) == {}
    assert _conflicts("英伟达中国区营收是多少亿美元？", (1, "a", "2024年英伟达中国区营收171亿美元。"),
                      (2, "b", "2024 年英伟达中国区营收160亿美元。")) != {}
    # a fiscal year spans two calendar years: FY2025 may be calendar 2024
    assert _conflicts("英伟达中国区营收是多少亿美元？", (1, "a", "2025财年英伟达中国区营收171亿美元。"),
                      (2, "b", "2024年英伟达中国区营收160亿美元。")) != {}


def test_find_conflicts_does_not_compare_different_measures() -> None:
    """A write-down is not a sales figure, nor a yearly loss (the seeds' 55 vs 160 and 180 億)."""
    question = "英伟达因H20禁令计提的损失是多少亿美元？"
    write_down = (1, "a", "禁令直接导致英伟达计提了55亿美元损失,这笔费用与H20芯片库存相关。")
    assert _conflicts(question, write_down, (2, "b", "仅第一季度英伟达就向中国销售了价值160亿美元的H20。")) == {}
    assert _conflicts(question, write_down, (2, "b", "若禁令持续,英伟达的年损失或达180亿美元。")) == {}
    inventory = (3, "c", "那些已经被英伟达在财报中列入“计减损失”的价值45亿美元的库存积压,正被清点。")
    assert _conflicts(question, write_down, inventory) == {"亿美元": {"55亿美元": [1], "45亿美元": [3]}}


def test_find_conflicts_does_not_compare_different_places_or_models() -> None:
    """China's share is not the US's; the Ascend 910's FP16 is not the H20's."""
    share = _conflicts("中国市场占英伟达营收的比例是多少？",
                       (1, "a", "英伟达47%的营收来自美国,中国区贡献13%的营收。"),
                       (2, "b", "中国曾是英伟达第四大市场(2024年营收171亿美元,占全球17%)。"),
                       (3, "c", "英伟达美国区营收占比为47%。"))
    assert share == {"%": {"13%": [1], "17%": [2]}}
    assert _conflicts("昇腾910的FP16算力是多少？", (1, "a", "2019年,昇腾 910 的半精度(FP16)算力达到256TFLOPS。"),
                      (2, "b", "英伟达设计出H20,FP16算力148TFLOPS。")) == {}


def test_find_conflicts_reads_a_share_as_a_share_of_what_came_before() -> None:
    """`这笔费用…约占中国区营收的32%` is the write-down's share, not China's share of revenue."""
    assert _conflicts("中国市场占英伟达营收的比例是多少？",
                      (1, "a", "英伟达计提了55亿美元,这笔费用与库存准备金相关,约占2024年中国区总营收的32%。"),
                      (2, "b", "2024年中国区贡献13%的营收。")) == {}


def test_expected_units_know_counts_prices_and_english() -> None:
    assert unit_kind_of("英伟达中国团队大约有多少名员工？") == {"count"}
    assert unit_kind_of("How many H20 chips did ByteDance buy in 2024?") == {"count"}
    assert unit_kind_of("华为昇腾910C的单价是多少？") == {"money"}
    assert unit_kind_of("What is the retail price of the B30 chip?") == {"money"}
    assert expected_units("How much lower is the purchase cost of the B30?") == {"%"}
    assert unit_kind_of("台积电2024年的营收是多少？") == {"money"}  # 台 of 台积电 is not a count


def unit_kind_of(question: str) -> set[str]:
    return {unit_kind(u) for u in expected_units(question)}
