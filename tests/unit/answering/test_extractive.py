"""The extractive answerer's choice of sentences for a question of several parts: each part gets
the sentence of the report that answers it, told apart by what names that part alone, and a
headline that sums up every part does not stand in for the report's sentences."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.conflicts import Comparer
from assistant.answering.extractive import ExtractiveAnswerer, PartSimilarity, part_coverage
from assistant.answering.judge import Passage
from assistant.answering.prompts import load_prompts
from assistant.answering.question import Asked
from assistant.text.normalize import search_form
from tests.support.judging import JUDGE, SEGMENTER, corpus_weights

ANSWERER = ExtractiveAnswerer(load_prompts())
TEXTS = {
    "swim": ("张小海和李小燕夺金 东湖运动会落幕",
             "张小海和李小燕夺金 东湖运动会落幕。张小海在男子200米蝶泳决赛中夺得金牌。"),
    "box": ("李小燕夺冠", "东湖运动会拳击女子60公斤级决赛中，李小燕以5:0获胜夺得金牌。"),
}
WEIGHTS = corpus_weights([text for _, text in TEXTS.values()] + ["东湖运动会共有300名运动员参赛。"])


def answer(question: str) -> str:
    asked = Asked.of(question, SEGMENTER)
    passages = [Passage(n, key, text, title) for n, (key, (title, text)) in enumerate(TEXTS.items(), start=1)]
    verdict = JUDGE.judge(JUDGE.candidates(passages, asked, WEIGHTS, SEGMENTER), asked, [])
    return ANSWERER.answer(verdict.candidates, asked, WEIGHTS, Comparer(asked, WEIGHTS, SEGMENTER)).text


def test_each_named_part_is_answered_by_a_sentence_naming_it_not_by_the_headline() -> None:
    text = answer("张小海和李小燕分别在东湖运动会的哪个项目夺得金牌？")
    assert "200米蝶泳" in text and "60公斤级" in text


def test_a_candidate_knows_it_is_its_articles_headline() -> None:
    asked = Asked.of("李小燕夺得什么金牌？", SEGMENTER)
    title, text = TEXTS["swim"]
    found = JUDGE.candidates([Passage(1, "swim", text, title)], asked, WEIGHTS, SEGMENTER)
    assert [c.headline for c in found if "落幕" in c.text] == [True]
    assert not any(c.headline for c in found if "蝶泳" in c.text)


def test_a_part_is_not_covered_by_a_sentence_lacking_the_name_that_sets_it_apart() -> None:
    asked = Asked.of("张小海和李小燕分别在东湖运动会的哪个项目夺得金牌？", SEGMENTER)
    first, second = asked.parts
    sentence = "张小海在男子200米蝶泳决赛中夺得金牌。"
    assert part_coverage(first, sentence, asked, WEIGHTS) > 0
    assert part_coverage(second, sentence, asked, WEIGHTS) == 0.0


def test_asked_how_much_a_part_needs_a_figure_in_a_clause_of_its_own_terms() -> None:
    """`…的营收和净利润分别是多少`: a sentence that names the profit only to compare with it
    (`超过当年的净利润`) does not answer that part; one that gives it does."""
    asked = Asked.of("星河电子2024年的营收和净利润分别是多少？", SEGMENTER)
    _, profit = asked.parts
    weights = corpus_weights(["星河电子2024年研发投入为15亿元，超过当年的净利润。", "星河电子2024年净利润为12亿元。"])
    compared = search_form("星河电子2024年研发投入为15亿元，超过当年的净利润。")
    assert part_coverage(profit, compared, asked, weights) == 0.0
    assert part_coverage(profit, search_form("星河电子2024年净利润为12亿元。"), asked, weights) > 0


def test_a_quoted_headline_brings_its_articles_own_sentence() -> None:
    """The headline covers the question best (`运动员逾300人`), but the report's sentence holds
    the figure as reported: both are quoted."""
    title = "东湖运动会开幕 运动员逾300人"
    text = f"{title}。组委会介绍，本届共有312名选手报名参赛，人数创历届之最。"  # its words, not the question's
    asked = Asked.of("东湖运动会有多少运动员？", SEGMENTER)
    weights = corpus_weights([text, "另一篇文章说别的事情。"])
    verdict = JUDGE.judge(JUDGE.candidates([Passage(1, "games", text, title)], asked, weights, SEGMENTER), asked, [])
    assert verdict.candidates[0].headline
    chosen = ANSWERER.answer(verdict.candidates, asked, weights, Comparer(asked, weights, SEGMENTER)).text
    assert "逾300人" in chosen and "312名" in chosen


def test_a_title_ending_as_a_sentence_is_the_lead_not_a_headline() -> None:
    """An article without a title line gets its first sentence as title; that sentence is the
    report itself, and answers a part like any other."""
    asked = Asked.of("李小燕夺得什么金牌？", SEGMENTER)
    lead = "东湖运动会拳击女子60公斤级决赛中，李小燕以5:0获胜夺得金牌。"
    found = JUDGE.candidates([Passage(1, "box", lead, lead)], asked, WEIGHTS, SEGMENTER)
    assert [c.headline for c in found] == [False]


PARTS = {
    "gtc": "张小海曾在东湖运动会上展示多款机器人。",
    "suit": "张小海出席东湖运动会，以一身唐装示人。",
    "talk": "张小海在北京会谈时换上了整身西服。",
}
TWO_PART = "张小海在东湖运动会上穿了什么，在北京会谈时又穿了什么？"


def similar_by(table: dict[str, dict[str, float]]) -> PartSimilarity:
    """A part similarity from a table: part as asked → sentence key → cosine."""
    keys = {search_form(text): key for key, text in PARTS.items()}

    def similar(part: str, sentences: Sequence[str]) -> list[float]:
        return [table[part][keys[s]] for s in sentences]
    return similar


def two_part(similar: PartSimilarity | None) -> str:
    """The sentences quoted for TWO_PART when the answer so far quotes only the one on the
    second part (`西服`), each part then looked after."""
    asked = Asked.of(TWO_PART, SEGMENTER)
    passages = [Passage(n, key, text, "") for n, (key, text) in enumerate(PARTS.items(), start=1)]
    weights = corpus_weights(list(PARTS.values()))
    candidates = JUDGE.judge(JUDGE.candidates(passages, asked, weights, SEGMENTER), asked, []).candidates
    chosen = [c for c in candidates if "西服" in c.text]
    return " ".join(c.text for c in ANSWERER._with_every_part(chosen, candidates, asked, weights, similar))


def test_each_part_is_answered_by_the_sentence_closest_to_it_as_asked() -> None:
    """Coverage alone quotes the sentence sharing the part's words (`东湖运动会上`); the one
    clearly more similar to the part as asked answers it (`以一身唐装示人` for `穿了什么`)."""
    first, second = Asked.of(TWO_PART, SEGMENTER).part_texts
    assert "机器人" in two_part(None) and "唐装" not in two_part(None)
    table = {first: {"gtc": 0.88, "suit": 0.93, "talk": 0.85}, second: {"gtc": 0.80, "suit": 0.84, "talk": 0.92}}
    text = two_part(similar_by(table))
    assert "唐装" in text and "西服" in text and "机器人" not in text
    # closer by less than PART_SIMILAR: the best-covering sentence stays
    table[first] = {"gtc": 0.92, "suit": 0.93, "talk": 0.85}
    text = two_part(similar_by(table))
    assert "机器人" in text and "唐装" not in text and "西服" in text


def test_each_part_of_the_question_is_kept_as_asked() -> None:
    assert Asked.of(TWO_PART, SEGMENTER).part_texts == ("张小海在东湖运动会上穿了什么", "在北京会谈时又穿了什么?")
    # a `分别` conjunct as a question of its own, with the terms it borrows from the others
    assert Asked.of("星河电子2024年的营收和净利润分别是多少？", SEGMENTER).part_texts == (
        "星河电子2024年的营收是多少?", "星河电子2024净利润是多少?")
    assert Asked.of("李小燕夺得什么金牌？", SEGMENTER).part_texts == ()


def test_a_conflict_note_names_dates_as_dates_and_ends_in_its_script() -> None:
    from assistant.types import Conflict
    lines = ANSWERER._lines([], [Conflict("date", {"3月12日": [1], "4月": [2]})], "Hans")
    assert lines == ["注意：各来源给出的日期不一致：[1] 称 3月12日；[2] 称 4月。"]
    lines = ANSWERER._lines([], [Conflict("count:人", {"8.2万人": [1], "7.5万人": [2]})], "Latn")
    assert lines == ["Note: the sources disagree on the figures: [1] says 8.2万人; [2] says 7.5万人."]
