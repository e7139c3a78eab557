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


def test_a_line_of_figures_only_is_no_candidate() -> None:
    """A dateline says nothing of anything: it is neither an answer nor an English sentence."""
    assert signals.wordless(search_form("2025-08-24 09:10"))
    assert signals.wordless(search_form("2024年10月8日 19:45"))
    assert signals.wordless(search_form("2025年3月1日（星期六）10:00"))
    assert not signals.wordless(search_form("3月1日开幕"))
    assert not signals.wordless(search_form("Opened on 1 March"))
    _, candidates = judged("蓝海汽车什么时候发布年报？", "2025-08-24 09:10\n蓝海汽车于3月24日发布2024年年报。")
    assert [c.text for c in candidates if "09:10" in c.text] == []


def test_a_time_question_needs_a_time_that_places_it() -> None:
    """`未来`/`目前` order events but place nothing in the calendar; `去年`, `3月` do. A question
    asking which year needs a year."""
    def typed(question: str, sentence: str) -> bool:
        asked = Asked.of(question, SEGMENTER)
        key = search_form(sentence)
        return signals.typed(asked, sentence, key, SEGMENTER.tagged(key), [], SEGMENTER, False)

    assert not typed("蓝海汽车什么时候发布新车？", "蓝海汽车未来将发布新车")
    assert typed("蓝海汽车什么时候发布新车？", "蓝海汽车去年发布新车")
    assert typed("蓝海汽车什么时候发布新车？", "蓝海汽车上周五发布新车")
    assert not typed("星河电子是哪一年成立的？", "星河电子今日举行成立仪式")
    assert typed("星河电子是哪一年成立的？", "星河电子成立于1998年")


def test_names_that_may_be_one_thing() -> None:
    assert signals.same_thing("比亚迪", "比亚迪股份有限公司")
    assert signals.same_thing("中国队", "中国体育代表团")
    assert not signals.same_thing("蓝海汽车", "星河电子")
    assert not signals.same_thing("h20", "h100")


def test_each_question_of_a_two_question_message_is_checked_for_its_own_names() -> None:
    asked = Asked.of("蓝海汽车的净利润是多少？星河电子的营收是多少？", SEGMENTER)
    assert signals.names_present(asked, search_form("星河电子全年营收12亿元"))
    assert not signals.names_present(asked, search_form("白山科技全年营收12亿元"))


def test_a_year_named_only_to_compare_with_is_not_what_a_sentence_is_about() -> None:
    assert signals.stated_years(search_form("本次選舉投票率為71.86%，低於2020年的74.9%。")) == set()
    assert signals.stated_years(search_form("上证指数大涨8.06%，创2008年以来最大单日涨幅")) == set()
    assert signals.stated_years(search_form("Turnout was 71.9%, down from 2020")) == set()
    assert signals.stated_years(search_form("2024年投票率为71.86%")) == {"2024"}


def test_the_person_a_who_question_asks_for_is_no_swap() -> None:
    segmenter = Segmenter(["星河电子"])
    asked = Asked.of("星河电子的创始人是谁？", segmenter)
    key = search_form("星河电子由张伟创立")
    assert not signals.swapped(asked, key, segmenter.tagged(key), False, segmenter)
    who = Asked.of("张伟创立了哪家公司？", segmenter)
    assert "张伟" in who.names
    other = search_form("李明创立了星河电子")
    assert signals.swapped(who, other, segmenter.tagged(other), False, segmenter)


def test_a_figure_of_another_model_number_is_a_swap() -> None:
    """`b30` asked, `h20` given: a swap although the sentence shares `fp16` with the question;
    a model named only to compare with (`相比h100`) is none."""
    segmenter = Segmenter()
    asked = Asked.of("B30芯片的FP16算力是多少？", segmenter)
    key = search_form("设计出H20,这款芯片FP16算力148TFLOPS")
    assert signals.swapped(asked, key, segmenter.tagged(key), False, segmenter)
    asked = Asked.of("H20配备的HBM3e容量是多少？", segmenter)
    key = search_form("该加速卡相比H100在性能上有所降低,但其配备的HBM3e容量达到了96GB")
    assert not signals.swapped(asked, key, segmenter.tagged(key), False, segmenter)
    assert signals.codes(frozenset({"h20", "96gb", "4tb", "910c"})) == {"h20", "910c"}


def test_another_member_of_a_numbered_series_is_a_swap() -> None:
    """`神舟二十号` asked, `神舟十八号` given: the numbered designation names one thing, so a
    sentence about another of its series does not answer; one naming both is no swap."""
    segmenter = Segmenter()
    asked = Asked.of("神舟二十号计划哪天返回？", segmenter)
    assert "神舟二十号" in asked.names
    other = search_form("神舟十八号于4月30日返回东风着陆场。")
    assert signals.swapped(asked, other, segmenter.tagged(other), False, segmenter)
    both = search_form("神舟二十号将接替神舟十八号，计划10月返回。")
    assert not signals.swapped(asked, both, segmenter.tagged(both), False, segmenter)


def test_every_name_of_a_question_must_be_there_unless_it_joins_several() -> None:
    """`中国队在东京奥运会…`: a text on Paris that names 中国队 but not 东京 does not hold the
    question's names; `A和B分别…` may be answered from a text holding one of them."""
    segmenter = Segmenter()
    asked = Asked.of("中国队在东京奥运会上获得了多少枚金牌？", segmenter)
    assert {"中国队", "东京"} <= asked.names
    assert not signals.names_present(asked, search_form("中国队在巴黎奥运会上获得40枚金牌"))
    assert signals.names_present(asked, search_form("中国队在东京奥运会上获得38枚金牌"))
    joined = Asked.of("潘展乐和林郁婷分别获得了什么项目的金牌？", segmenter)
    assert signals.names_present(joined, search_form("潘展乐在男子100米自由泳决赛中夺冠"))


def test_an_agent_of_another_kind_leaves_the_subject_to_the_passage() -> None:
    """`上市公司` (an organisation word) says nothing of which person or company a figure is
    of when the question names a person: the sentence is about what its passage named last."""
    segmenter = Segmenter(["蓝海汽车"])
    asked = Asked.of("张伟的净利润是多少？", segmenter)
    sentence = search_form("归属于上市公司股东的净利润402.54亿元")
    subjects = signals.Subjects(asked, "", segmenter)
    assert subjects.off(sentence, segmenter.tagged(sentence), [search_form("李明发布2024年年报。")]) == 1.0
    subjects = signals.Subjects(asked, "", segmenter)
    assert subjects.off(sentence, segmenter.tagged(sentence), [search_form("张伟发布2024年年报。")]) == 0.0


def test_a_character_of_a_counted_number_is_no_evidence_of_what_is_asked() -> None:
    """`单价` is said by `售价` (a character shared), but the `年` of `12年后` counts years: it
    says nothing of `年薪`."""
    from assistant.answering.signals import asks_of

    salary = Asked.of("星河电子董事长王明的年薪是多少？", SEGMENTER)
    assert not asks_of(salary, search_form("12年后，王明带领星河电子冲破4万亿元市值大关。"))
    assert asks_of(salary, search_form("王明去年的薪酬为3400万元。"))
    price = Asked.of("这款芯片的单价是多少？", SEGMENTER)
    assert asks_of(price, search_form("该芯片售价约1.2万美元。"))


def test_a_dateline_with_its_outlet_says_nothing() -> None:
    assert signals.wordless(search_form("Westminster Review, 5 July 2024, 2:40 pm"))
    assert signals.wordless(search_form("2024年10月8日 19:45"))
    assert not signals.wordless(search_form("The meeting ended at 2:40 pm on 5 July 2024."))
    assert not signals.wordless(search_form("新华社北京7月15日电 19:30 记者报道"))


def test_a_name_of_another_kind_than_the_questions_is_no_other_subject() -> None:
    """Asked of a probe (a numbered designation), a sentence after one that names a person
    (`艾特肯` of a basin, as jieba tags it) is still about the probe: only a name of a kind the
    question names (another probe, another company) takes the subject over."""
    sentence = "在约48小时的月面工作中，探测器通过钻具采集样品。"
    before = "着陆器成功着陆在月球背面南极—艾特肯盆地的预选着陆区。"
    assert subject("嫦娥六号在月面工作了多长时间？", sentence, before=before) == 0.0
    assert subject("星河电子的净利润是多少？", "公司全年实现净利润2亿元。", before="蓝海汽车发布年报。") == 1.0


def test_a_sentence_holding_one_name_but_another_thing_in_place_of_the_other_is_a_swap() -> None:
    """`腾讯…x9` asked; `搜狐…x9` holds the model but names another company where the question
    names 腾讯 (both tagged `nz` by jieba): a swap. One holding both names, or a question joining
    its names, is none."""
    segmenter = Segmenter()
    asked = Asked.of("腾讯2024年采购了多少X9芯片？", segmenter)
    assert {"腾讯", "x9"} <= asked.names
    other = search_form("2024年搜狐卖出了120亿美元的X9芯片。")
    assert signals.swapped(asked, other, segmenter.tagged(other), False, segmenter)
    both = search_form("2024年腾讯从搜狐采购了3万枚X9芯片。")
    assert not signals.swapped(asked, both, segmenter.tagged(both), False, segmenter)
    joined = Asked.of("腾讯和搜狐分别采购了多少X9芯片？", segmenter)
    assert not signals.swapped(joined, other, segmenter.tagged(other), False, segmenter)
    # a name learned from the corpus may be a term (`营收`): its absence is no swap
    learned = Segmenter(["腾讯"])
    asked = Asked.of("腾讯2024年采购了多少X9芯片？", learned)
    assert not signals.swapped(asked, other, learned.tagged(other), False, learned)


def test_another_model_number_is_a_swap_across_languages_too() -> None:
    """Codes are written alike in every script: an English question on `x9` is not answered by
    a Chinese sentence on `t500` and `t700`; one comparing with another code is still fine."""
    segmenter = Segmenter()
    asked = Asked.of("How many X9 chips were shipped in 2024?", segmenter)
    other = search_form("2025年计划量产10万块T500和30万块T700芯片。")
    assert signals.swapped(asked, other, segmenter.tagged(other), True, segmenter)
    held = search_form("2024年X9出货约3万块，相比T500多一倍。")
    assert not signals.swapped(asked, held, segmenter.tagged(held), True, segmenter)
