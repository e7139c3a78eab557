"""A question asking for a figure about named things needs evidence holding such a figure."""

from __future__ import annotations

from assistant.answerability import holds_asked_figure, named_things
from assistant.figures import expected_units, unit_kind


def test_named_things_are_model_names_and_latin_words_in_chinese() -> None:
    assert named_things("CloudMatrix 384超节点的售价是多少？", "Hans") == {"cloudmatrix"}
    assert named_things("華為昇騰910C的單價是多少？", "Hant") == {"910c"}
    assert named_things("How many H20 chips did ByteDance buy in 2024?", "Latn") == {"h20"}
    assert named_things("字节跳动2025年计划采购多少AI芯片？", "Hans") == set()  # `ai` is too short, 2025 has no letter


def test_holds_asked_figure_refuses_a_price_the_passages_do_not_give() -> None:
    passages = ["昇腾910C的良品率已提高至40%。", "H20的单价在1.2万美元。"]
    units = expected_units("华为昇腾910C的单价是多少？")
    assert not holds_asked_figure(passages, units, {"910c"})  # 910C has a share, H20 has the price
    assert holds_asked_figure(passages, units, {"h20"})


def test_holds_asked_figure_reads_names_across_the_passage() -> None:
    passage = "H20是英伟达推出的一款AI加速卡。该加速卡配备的HBM3e容量达到了96GB。"
    assert holds_asked_figure([passage], expected_units("H20配备的HBM3e容量是多少？"), {"h20", "hbm3e"})


def test_holds_asked_figure_matches_units_of_any_magnitude() -> None:
    units = expected_units("华为计划2025年量产多少块910C芯片？")
    assert unit_kind("万块") == unit_kind("块") == "count"
    assert holds_asked_figure(["2025 年,华为计划量产 10 万块 910C 芯片。"], units, {"910c"})
    assert holds_asked_figure(["没有数字的句子。"], set(), {"910c"})  # no figure asked: nothing to check


def test_holds_asked_figure_reads_chinese_numerals() -> None:
    units = expected_units("英伟达成都研发中心投资了多少？")
    assert holds_asked_figure(["英伟达成都研发中心投资二十亿元。"], units, set())
    assert {unit_kind(u) for u in expected_units("一家公司有多少名员工？")} == {"count"}
