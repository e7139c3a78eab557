"""How informative a term is, and whether a text holds it."""

from __future__ import annotations

from assistant.answering.weights import TermWeights, contains


def test_a_latin_term_stands_as_a_word() -> None:
    assert contains("the bus left", "bus") and not contains("the bus left", "us")
    assert contains("星河x1手机发布", "x1") and contains("运动会开幕", "运动会")


def test_a_name_of_letters_stands_in_a_model_number_built_on_it() -> None:
    """`cloudmatrix385` is a CloudMatrix; `h200` is not an H20, and a short stem is no name."""
    assert contains("正式推出cloudmatrix385超节点", "cloudmatrix")
    assert contains("the iphone15 went on sale", "iphone")
    assert not contains("the h200 ships", "h20")
    assert not contains("an mx5 roadster", "mx")
    assert not contains("cloudmatrixes are big", "cloudmatrix")


def test_coverage_counts_a_model_of_the_named_thing() -> None:
    weights = TermWeights({"cloudmatrix": 1, "超节": 2}, documents=10)
    assert weights.coverage(["cloudmatrix"], "推出cloudmatrix385超节点") == 1.0
