"""The question's literals (`retrieval.literals`): its years and numbers, which a passage about
it states too; a fused candidate lacking them moves down."""

from __future__ import annotations

from assistant.retrieval.literals import Literals, with_literals
from assistant.types import Hit


def hit(n: int, text: str, score: float, title: str = "", published: str | None = None) -> Hit:
    return Hit(n, f"a{n}", f"a{n}:c", text, score, title, None, None, published=published)


def test_a_questions_literals_are_its_years_and_other_numbers_not_its_months() -> None:
    literals = Literals.of("字节跳动2025年计划采购多少AI芯片？")
    assert literals.years == {"2025"} and literals.numbers == frozenset()
    assert Literals.of("英伟达CUDA 11.6的用户许可协议增加了什么条款？").numbers == {"11.6"}
    assert Literals.of("美国8月份的失业率是多少？").count == 0  # `8月` is August in an English passage
    # each passage of a two-question message answers one part: no literals
    assert Literals.of("小米SU7 Max的零百加速是多少？比亚迪充电5分钟能跑多远？").count == 0


def test_a_passage_lacks_a_year_only_when_it_states_other_years() -> None:
    literals = Literals.of("字节跳动2025年计划采购多少AI芯片？")
    assert literals.missing("字节跳动2022年计划采购约610亿元AI芯片") == 1.0
    assert literals.missing("字节跳动2025年计划采购约400亿元AI芯片") == 0.0
    assert literals.missing("字节跳动计划采购约400亿元AI芯片") == 0.0  # names no year: may be about any
    assert literals.missing("去年采购了300亿元", published="2025-04-02") == 0.0  # the article's own year


def test_numbers_are_read_across_scripts() -> None:
    assert Literals.of("By how much did the stock fall on April 16?").missing("4月16日，英伟达股价暴跌近7%") == 0.0
    assert Literals.of("英伟达2025财年营收是多少？").missing("Nvidia's revenue in fiscal 2025 was $130.5bn") == 0.0


def test_candidates_lacking_the_literals_move_down_and_ties_keep_the_fused_order() -> None:
    hits = [hit(1, "CUDA 21.1更新版本的最终用户许可协议加入了一个条款", 0.050),
            hit(2, "CUDA 11.9更新版本的最终用户许可协议加入了一个条款", 0.049),
            hit(3, "CUDA 11.6更新版本的最终用户许可协议加入了一个条款：不得逆向工程", 0.030)]
    ranked = with_literals(Literals.of("英伟达CUDA 11.6的用户许可协议增加了什么条款？"), hits, weight=0.04)
    assert [h.article_id for h in ranked] == ["a3", "a1", "a2"] and [h.rank for h in ranked] == [1, 2, 3]
    assert with_literals(Literals.of("用户许可协议增加了什么条款？"), hits) == hits  # no literals: unchanged
    unweighted = with_literals(Literals.of("CUDA 11.6的条款？"), hits, weight=0.0)
    assert [h.article_id for h in unweighted] == ["a1", "a2", "a3"]
