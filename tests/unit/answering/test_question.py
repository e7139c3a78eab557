"""What a question asks: answer type from its question word, content terms, names, years, parts."""

from __future__ import annotations

import pytest

from assistant.answering.question import (
    ANY_COUNT,
    DURATION_KINDS,
    LENGTH_KINDS,
    WEIGHT_KINDS,
    Asked,
    answer_type_of,
    kind_fits,
)
from assistant.text.segment import Segmenter, default_segmenter


def asked(question: str, segmenter: Segmenter | None = None) -> Asked:
    return Asked.of(question, segmenter or default_segmenter())


@pytest.mark.parametrize(("question", "kind"), [
    # quantity
    ("决赛现场有多少名观众？", "quantity"),
    ("決賽現場有多少名觀眾？", "quantity"),
    ("How many people attended the final?", "quantity"),
    ("这次选举的投票率是多少？", "quantity"),
    ("What percentage of voters turned out?", "quantity"),
    ("國民黨在這次選舉拿下幾席？", "quantity"),
    ("How much did the club pay for the striker?", "quantity"),
    # person
    ("谁执导了这部电影？", "person"),
    ("這部電影由誰執導？", "person"),
    ("Who directed the film?", "person"),
    ("哪位球员打进了制胜球？", "person"),
    # place
    ("决赛在哪里举行？", "place"),
    ("決賽在哪裡舉行？", "place"),
    ("Where was the final held?", "place"),
    ("新工厂建在哪个城市？", "place"),
    # time
    ("大选什么时候举行？", "time"),
    ("選舉何時舉行？", "time"),
    ("When was the election held?", "time"),
    ("疫苗哪一年获批上市？", "time"),
    ("What year did the plant open?", "time"),
    # organisation
    ("哪家公司收购了这家工厂？", "organisation"),
    ("哪家公司收購了這家工廠？", "organisation"),
    ("Which company bought the plant?", "organisation"),
    ("哪支球队赢得了冠军？", "organisation"),
    # no particular type
    ("为什么股价下跌？", "any"),
    ("為什麼股價下跌？", "any"),
    ("Why did the shares fall?", "any"),
    ("这部电影讲了什么故事？", "any"),
    ("几乎所有观众都满意吗？", "any"),  # 几乎 is "almost", not 几 "how many"
])
def test_answer_type_follows_the_question_word(question: str, kind: str) -> None:
    assert asked(question).answer_type == kind


def test_answer_type_of_reads_the_table_of_the_script() -> None:
    assert answer_type_of("谁是主帅", "Hans") == "person"
    assert answer_type_of("who is the coach", "Latn") == "person"
    assert answer_type_of("who is the coach", "Hans") == "any"  # the Chinese table has no English words


def test_scripts_are_detected() -> None:
    assert asked("决赛在哪里举行？").script == "Hans"
    assert asked("決賽在哪裡舉行？").script == "Hant"
    assert asked("Where was the final held?").script == "Latn" and asked("Where was the final held?").latin
    assert not asked("决赛在哪里举行？").latin


@pytest.mark.parametrize(("question", "dropped"), [
    ("决赛现场大约有多少观众？", {"多少", "大约", "有"}),
    ("决赛在哪里举行？", {"哪里", "在"}),
    ("谁执导了这部电影？", {"谁", "这部", "了"}),
    ("哪家公司收购了这家工厂？", {"哪家", "这家", "了"}),
    ("大选什么时候举行？", {"什么时候", "什么", "时候"}),
    ("請問決賽在哪裡舉行呢？", {"请问", "哪里", "呢"}),
])
def test_question_words_and_fillers_are_not_terms(question: str, dropped: set[str]) -> None:
    terms = asked(question).terms
    assert terms and not dropped & set(terms)


def test_content_terms_keep_what_the_question_is_about() -> None:
    assert {"决赛", "观众"} <= set(asked("决赛现场大约有多少观众？").terms)
    assert {"选举", "投票率"} <= set(asked("这次选举的投票率是多少？").terms)
    hant = asked("決賽在哪裡舉行？").terms
    assert hant == asked("决赛在哪里举行？").terms  # terms are in the search form: Traditional reads as Simplified
    english = asked("How many people attended the final?").terms
    assert english == ("people", "attended", "final")  # English stop words and question words go
    assert len(set(english)) == len(english)


def test_terms_have_no_repeats_and_keep_their_order() -> None:
    terms = asked("决赛的观众和决赛的门票收入分别是多少？").terms
    assert len(terms) == len(set(terms))
    assert terms.index("决赛") < terms.index("观众")


def test_names_are_proper_nouns_and_codes() -> None:
    assert "梅西" in asked("梅西在决赛中进了几个球？").names
    assert "国民党" in asked("國民黨在這次選舉拿下幾席？").names
    assert "a350" in asked("A350的航程是多少公里？").names
    assert asked("What is the range of the A350?").names == {"a350"}  # English: codes only
    assert asked("How many people attended the final?").names == frozenset()
    assert asked("决赛在哪里举行？").names == frozenset()


def test_names_include_the_words_a_corpus_taught_the_segmenter() -> None:
    """jieba does not know a collection's names; the index teaches them (`discover_words`)."""
    plain = asked("星河电子的净利润是多少？")
    assert "星河电子" not in plain.names
    learned = asked("星河电子的净利润是多少？", Segmenter(["星河电子"]))
    assert "星河电子" in learned.names and "星河电子" in learned.terms


def test_years_of_the_question() -> None:
    assert asked("比亚迪2024年卖了多少辆车？").years == {"2024"}
    assert asked("2025财年营收是多少？").years == {"2024", "2025"}
    assert asked("How many votes did the party win in 2020?").years == {"2020"}
    assert asked("决赛在哪里举行？").years == frozenset()


def test_two_part_question_has_a_part_for_each_thing_it_asks() -> None:
    two = asked("决赛的现场观众有多少，门票收入又是多少？")
    assert len(two.parts) == 2
    assert "观众" in two.parts[0] and "门票" in " ".join(two.parts[1])
    english = asked("How many people watched the final and how much did the tickets cost?")
    assert len(english.parts) == 2
    assert "people" in english.parts[0] and "tickets" in english.parts[1]


def test_one_part_question_has_no_parts() -> None:
    assert asked("决赛现场大约有多少观众？").parts == ()
    assert asked("How many people attended the final?").parts == ()
    # a clause with fewer than two content terms is not a question of its own
    assert asked("决赛现场观众有多少，对吗？").parts == ()


def test_follow_up_asks_what_its_last_sentence_asks() -> None:
    """A follow-up read with its previous question: the type and parts come from the last sentence."""
    follow_up = asked("决赛在哪里举行？ 那现场有多少观众？")
    assert follow_up.answer_type == "quantity"
    assert {"决赛", "观众"} <= set(follow_up.terms)  # the terms of both sentences
    assert follow_up.parts == ()
    assert asked("现场有多少观众？ 那决赛在哪里举行？").answer_type == "place"


def test_latin_words_in_a_chinese_question_are_names_but_units_are_not() -> None:
    asked = Asked.of("星河X9 Ultra的显存容量是多少GB？")
    assert "ultra" in asked.names and "gb" not in asked.names


def test_a_question_asking_which_year() -> None:
    from assistant.answering.question import YEAR_ASKED

    assert YEAR_ASKED in Asked.of("香港大球场是哪一年建成的？").kinds
    assert YEAR_ASKED in Asked.of("In what year was the stadium built?").kinds
    assert YEAR_ASKED not in Asked.of("香港大球场是什么时候建成的？").kinds


def test_a_price_asks_for_money() -> None:
    from assistant.answering.question import MONEY_ASKED, kind_fits

    for question in ("星河X9的单价是多少？", "体育园主场馆的造价是多少？", "What is the retail price of the X9?"):
        assert Asked.of(question).kinds == frozenset({MONEY_ASKED}), question
    assert MONEY_ASKED not in Asked.of("这家公司怎么评价这款芯片？").kinds
    assert MONEY_ASKED not in Asked.of("星河电子有多少名员工？").kinds
    assert Asked.of("How much lower is the purchase cost of X9 than X8?").kinds == frozenset({"percent:change"})
    kinds = frozenset({MONEY_ASKED})
    assert kind_fits(kinds, "money:usd") and kind_fits(kinds, "money:cny") and kind_fits(kinds, "count")
    assert not kind_fits(kinds, "percent") and not kind_fits(kinds, "count:颗")


def test_a_change_to_a_level_asks_for_the_level() -> None:
    assert "percent:change" in Asked.of("星河电子一季度的营收增长了多少？").kinds
    assert "percent:change" not in Asked.of("星河电子一季度的营收增长到了多少？").kinds
    assert "percent:change" not in Asked.of("What did revenue rise to in the first quarter?").kinds


def test_a_respectively_question_asks_each_conjunct() -> None:
    """`A和B分别…`/`A、B各有…`: one part per conjunct, with what follows shared, and a bare
    conjunct (`净利润`) asked of the others' names and years."""
    parts = Asked.of("星河电子2024年的营业收入和净利润分别是多少？", Segmenter(["星河电子"])).parts
    assert len(parts) == 2 and "净利润" in parts[1] and {"星河电子", "2024"} <= set(parts[1])
    parts = Asked.of("体育园的室内体育馆和公众运动场各有多少个座位？").parts
    assert len(parts) == 2 and all("座位" in part for part in parts)
    assert Asked.of("星河电子2024年的净利润是多少？").parts == ()


def test_a_figure_the_question_gives_is_not_the_kind_it_asks_for() -> None:
    # `多远` asks for a length: the `5分钟` it gives is no kind it asks for
    assert Asked.of("星河X9的零百加速是多少？蓝海平台充电5分钟能跑多远？").kinds == LENGTH_KINDS
    assert Asked.of("星河X9的零百加速是多少？").kinds == frozenset()
    assert Asked.of("星河X9的显存容量是多少GB？").kinds == frozenset({"count:gb"})
    assert Asked.of("How many GB of memory does the X9 have?").kinds == frozenset({"count:gb"})


def test_stray_names_are_one_character_name_tokens_with_the_character_after() -> None:
    """jieba reads an unknown company's first character as a surname (`蔚/nr 来`): the pair is
    kept to look up; whole names give none, an English question its acronyms (`NIO`)."""
    assert Asked.of("蔚来2024年的营业收入是多少？").stray == frozenset({"蔚来"})
    assert Asked.of("比亚迪2024年的营业收入是多少？").stray == frozenset()
    assert Asked.of("What was NIO's revenue in 2024?").stray == frozenset({"nio"})
    assert Asked.of("What was Tesla's revenue in 2024?").stray == frozenset()


def test_a_name_conjunct_asks_of_its_own_name_only() -> None:
    """`A和B分别…` with A and B names: each part holds its own name, not the other's."""
    first, second = Asked.of("潘展乐和林郁婷分别在巴黎奥运会的哪个项目夺得金牌？").parts
    assert "潘展乐" in first and "林郁婷" not in first
    assert "林郁婷" in second and "潘展乐" not in second


def test_a_conjunct_naming_nothing_jieba_tags_has_its_first_term_as_subject() -> None:
    """小米 is a common noun to jieba: beside the named 比亚迪 it is what the second part is about.
    A bare conjunct (`…的营业收入和净利润`) borrows the other's name and has no subject."""
    assert Asked.of("比亚迪2024年的研发投入和小米造车的首期研发投入分别是多少？").subjects == frozenset({"小米"})
    assert Asked.of("比亚迪2024年的营业收入和净利润分别是多少？").subjects == frozenset()


def test_how_long_heavy_or_far_asks_for_a_figure_in_a_unit_of_that_dimension() -> None:
    assert Asked.of("探测器在月面工作了多长时间？").kinds == DURATION_KINDS
    assert Asked.of("How long did the strike last?").kinds == DURATION_KINDS
    assert Asked.of("罢工持续了多少小时？").kinds == frozenset({"count:小时"})
    assert Asked.of("带回的样品有多重？").kinds == WEIGHT_KINDS
    assert Asked.of("这座桥有多长？").kinds == LENGTH_KINDS
    assert Asked.of("How long ago did it open?").kinds == frozenset()


def test_english_how_many_asks_for_a_count_not_money() -> None:
    """`how many chips` counts things, in any measure word; `how much` and `多少` may be money."""
    kinds = Asked.of("How many chips did the company buy in 2024?").kinds
    assert kinds == frozenset({ANY_COUNT})
    assert kind_fits(kinds, "count:枚", cross=True) and kind_fits(kinds, "count")
    assert not kind_fits(kinds, "money:usd", cross=True) and not kind_fits(kinds, "percent", cross=True)
    assert Asked.of("How many hours does the battery last?").kinds != frozenset({ANY_COUNT})
    assert ANY_COUNT not in Asked.of("How much did the company spend?").kinds
    assert ANY_COUNT not in Asked.of("星河电子花了多少钱？").kinds
