"""The inherited subject (`signals.subject_off`): a sentence that names nothing is about what its
passage (or its article's title) last named; on a small corpus of other subjects than the seeds."""

from __future__ import annotations

from assistant.answering import signals
from assistant.answering.judge import Params
from assistant.answering.question import Asked
from assistant.text.normalize import search_form
from assistant.text.segment import Segmenter
from tests.support.judging import candidate, judged

SEGMENTER = Segmenter(["星河电子", "蓝海汽车"])
REPORT = "蓝海汽车发布2024年年报。报告显示，公司全年实现营业收入30亿元，净利润为2亿元。"


def subject(question: str, sentence: str, before: str = "", title: str = "") -> float:
    asked = Asked.of(question, SEGMENTER)
    return signals.subject_off(asked, search_form(sentence), search_form(before), search_form(title), SEGMENTER)


def test_a_sentence_naming_nothing_is_about_what_its_passage_named_last() -> None:
    sentence = "报告显示，公司全年实现营业收入30亿元，净利润为2亿元。"
    assert subject("星河电子2024年的净利润是多少？", sentence, before="蓝海汽车发布2024年年报。") == 1.0
    assert subject("蓝海汽车2024年的净利润是多少？", sentence, before="蓝海汽车发布2024年年报。") == 0.0


def test_the_title_names_the_subject_when_the_passage_does_not() -> None:
    sentence = "公司全年实现营业收入30亿元。"
    assert subject("星河电子的营业收入是多少？", sentence, title="蓝海汽车年报：营收30亿元") == 1.0
    assert subject("蓝海汽车的营业收入是多少？", sentence, title="蓝海汽车年报：营收30亿元") == 0.0
    assert subject("星河电子的营业收入是多少？", sentence) == 0.0  # nothing named anywhere: no evidence


def test_a_sentence_that_names_things_is_left_to_the_swap_and_clause_checks() -> None:
    assert subject("星河电子的净利润是多少？", "蓝海汽车的净利润为2亿元。", before="星河电子发布年报。") == 0.0
    assert subject("星河电子的净利润是多少？", "星河电子的净利润为12亿元。", before="蓝海汽车发布年报。") == 0.0


def test_a_place_does_not_stand_for_a_company() -> None:
    """A clause that names only a city says nothing of which company a figure belongs to."""
    sentence = "公司全年实现营业收入30亿元。"
    assert subject("星河电子的营业收入是多少？", sentence, before="发布会在杭州举行。") == 0.0
    assert subject("星河电子的营业收入是多少？", sentence, before="蓝海汽车在杭州发布年报。") == 1.0


def test_the_judge_weighs_it_and_the_right_company_still_answers() -> None:
    verdict, candidates = judged("星河电子2024年的净利润是多少？", REPORT)
    profit = candidate(candidates, "净利润为2亿元")
    assert profit.subject_off == 1.0
    assert Params().support(profit) < Params(subject_weight=0.0).support(profit)
    right, found = judged("蓝海汽车2024年的净利润是多少？", REPORT)
    assert candidate(found, "净利润为2亿元").subject_off == 0.0 and right.answerable
    assert verdict.support < right.support
