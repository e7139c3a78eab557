"""Sources that disagree: figures of one kind, from different articles, in sentences that say the
same thing about the same names, with different values (general signals only)."""

from __future__ import annotations

from assistant.answering.conflicts import RELATIVE_ABOUTNESS, Comparer, find_disagreements, voices
from assistant.answering.judge import Candidate, Judge, Passage
from assistant.answering.question import Asked
from assistant.answering.weights import TermWeights
from assistant.text.segment import default_segmenter
from assistant.types import Conflict

WEIGHTS = TermWeights({}, documents=100)
SEGMENTER = default_segmenter()
JUDGE = Judge(sentences=None)

Evidence = tuple[int, str, str]  # passage number, article id, passage text


def judged(question: str, *evidence: Evidence) -> tuple[list[Candidate], Comparer]:
    asked = Asked.of(question, SEGMENTER)
    passages = [Passage(n, article, text) for n, article, text in evidence]
    candidates = JUDGE.judge(JUDGE.candidates(passages, asked, WEIGHTS, SEGMENTER), asked, []).candidates
    return candidates, Comparer(asked, WEIGHTS, SEGMENTER)


def disagreements(question: str, *evidence: Evidence) -> dict[str, dict[str, list[int]]]:
    """kind → figure → the passages that give it."""
    candidates, comparer = judged(question, *evidence)
    return {c.unit: c.values for c in (d.conflict() for d in find_disagreements(candidates, comparer))}


ATTENDANCE = "决赛现场有多少观众？"


def test_two_articles_giving_different_attendance_disagree() -> None:
    found = disagreements(ATTENDANCE, (1, "a", "决赛在温布利球场举行，现场观众8.2万人。"),
                          (2, "b", "决赛在温布利球场举行，现场观众7.5万人。"))
    assert found == {"count:人": {"8.2万人": [1], "7.5万人": [2]}}


def test_one_article_alone_never_disagrees_with_itself() -> None:
    assert disagreements(ATTENDANCE, (1, "a", "决赛在温布利球场举行，现场观众8.2万人。"),
                         (2, "a", "决赛在温布利球场举行，现场观众7.5万人。")) == {}


def test_rounding_is_no_disagreement() -> None:
    assert disagreements("中国区营收是多少亿美元？", (1, "a", "中国区营收为171.08亿美元。"),
                         (2, "b", "中国区营收达171亿美元。")) == {}
    assert disagreements(ATTENDANCE, (1, "a", "决赛现场观众8.2万人。"), (2, "b", "决赛现场观众82000人。")) == {}


def test_election_turnout_of_two_articles_disagrees() -> None:
    found = disagreements("本届大选的投票率是多少？", (1, "a", "本届大选的投票率为71.9%。"),
                          (2, "b", "中选会公布，本届大选的投票率为72.3%。"))
    assert found == {"percent": {"71.9%": [1], "72.3%": [2]}}


def test_dates_count_as_figures() -> None:
    found = disagreements("决赛是哪一天举行的？", (1, "a", "决赛于3月5日在温布利球场举行。"),
                          (2, "b", "决赛于3月6日在温布利球场举行。"))
    assert found == {"date": {"3月5日": [1], "3月6日": [2]}}
    # the same day, with and without its year, is one date
    assert disagreements("决赛是哪一天举行的？", (1, "a", "决赛于2024年3月5日在温布利球场举行。"),
                         (2, "b", "决赛于3月5日在温布利球场举行。")) == {}


def test_a_question_compares_only_the_kind_it_asks_for() -> None:
    """A "how many" question leaves dates alone; a "when" question leaves counts alone; a
    "who" question compares nothing."""
    a = (1, "a", "决赛于3月5日在温布利球场举行，现场观众8.2万人。")
    b = (2, "b", "决赛于3月6日在温布利球场举行，现场观众7.5万人。")
    assert set(disagreements(ATTENDANCE, a, b)) == {"count:人"}
    assert set(disagreements("决赛是哪一天举行的？", a, b)) == {"date"}
    assert disagreements("谁赢得了决赛？", a, b) == {}


def test_an_english_pair_disagrees() -> None:
    found = disagreements("How many people attended the final?",
                          (1, "a", "The final at Wembley was attended by 82,000 people."),
                          (2, "b", "The final at Wembley was attended by 75,000 people."))
    assert found == {"count:人": {"82,000 people": [1], "75,000 people": [2]}}


def test_traditional_and_simplified_articles_are_compared() -> None:
    found = disagreements("決賽現場有多少觀眾？", (1, "a", "決賽在溫布利球場舉行，現場觀眾8.2萬人。"),
                          (2, "b", "决赛在温布利球场举行，现场观众7.5万人。"))
    assert found == {"count:人": {"8.2万人": [1], "7.5万人": [2]}}


def test_figures_of_different_years_are_not_compared() -> None:
    question = "中国区营收是多少亿美元？"
    assert disagreements(question, (1, "a", "2024年中国区营收为171亿美元。"),
                         (2, "b", "2023年中国区营收为160亿美元。")) == {}
    assert disagreements(question, (1, "a", "2024年中国区营收为171亿美元。"),
                         (2, "b", "2024年中国区营收为160亿美元。")) != {}
    # a fiscal year spans two calendar years: FY2025 may be calendar 2024
    assert disagreements(question, (1, "a", "2025财年中国区营收为171亿美元。"),
                         (2, "b", "2024年中国区营收为160亿美元。")) != {}


def test_a_sentence_without_a_year_takes_the_last_year_named_before_it() -> None:
    assert disagreements(ATTENDANCE, (1, "a", "2024年的决赛在温布利举行。决赛现场观众8.2万人。"),
                         (2, "b", "2023年的决赛在温布利举行。决赛现场观众7.5万人。")) == {}
    assert disagreements(ATTENDANCE, (1, "a", "2024年的决赛在温布利举行。决赛现场观众8.2万人。"),
                         (2, "b", "2024年的决赛在温布利举行。决赛现场观众7.5万人。")) != {}


def test_figures_about_different_names_in_the_clause_are_not_compared() -> None:
    assert disagreements("在决赛中进了几个球？", (1, "a", "梅西在决赛中打进2球。"),
                         (2, "b", "姆巴佩在决赛中打进3球。")) == {}
    assert disagreements("梅西在决赛中进了几个球？", (1, "a", "梅西在决赛中打进2球。"),
                         (2, "b", "梅西在决赛中打进3球。")) == {"count:球": {"2球": [1], "3球": [2]}}
    assert disagreements("投票率是多少？", (1, "a", "北京的投票率为58%。"), (2, "b", "上海的投票率为65%。")) == {}
    assert disagreements("北京的投票率是多少？", (1, "a", "北京的投票率为58%。"),
                         (2, "b", "北京的投票率为61%。")) == {"percent": {"58%": [1], "61%": [2]}}


def test_figures_of_different_kinds_are_not_compared() -> None:
    """Pounds are not dollars, and people are not matches."""
    assert disagreements("决赛的门票收入是多少？", (1, "a", "决赛的门票收入为500万英镑。"),
                         (2, "b", "决赛的门票收入为600万美元。")) == {}
    assert disagreements("球队本赛季踢了多少场？", (1, "a", "球队本赛季主场观众共80万人。"),
                         (2, "b", "球队本赛季主场共踢了19场。")) == {}


def test_figures_of_different_measures_are_not_compared() -> None:
    """A club's revenue is not its wage bill, although both are pounds in nearly the same words."""
    assert disagreements("球队本赛季的营收是多少？", (1, "a", "球队本赛季的营收为5亿英镑。"),
                         (2, "b", "球队本赛季的工资支出为3亿英镑。")) == {}
    assert disagreements("球队本赛季的营收是多少？", (1, "a", "球队本赛季的营收为5亿英镑。"),
                         (2, "b", "球队本赛季的营收为4.2亿英镑。")) != {}  # 4.6 would round to 5


def test_each_article_speaks_once_and_sides_collect_their_passages() -> None:
    found = disagreements(ATTENDANCE, (1, "a", "决赛现场观众8.2万人。"), (2, "b", "决赛现场观众7.5万人。"),
                          (3, "c", "据报道，决赛现场观众8.2万人。"), (4, "b", "据统计，决赛现场观众7.6万人。"))
    assert found == {"count:人": {"8.2万人": [1, 3], "7.5万人": [2]}}


def test_a_disagreement_is_a_conflict_of_one_kind() -> None:
    candidates, comparer = judged(ATTENDANCE, (1, "a", "决赛现场观众8.2万人。"), (2, "b", "决赛现场观众7.5万人。"))
    (disagreement,) = find_disagreements(candidates, comparer)
    assert disagreement.kind == "count:人"
    assert {figure: [v.n for v in side] for figure, side in disagreement.sides.items()} == {
        "8.2万人": [1], "7.5万人": [2]}
    assert disagreement.conflict() == Conflict("count:人", {"8.2万人": [1], "7.5万人": [2]})


def test_voices_are_figures_of_the_asked_kind_in_sentences_about_the_question() -> None:
    candidates, comparer = judged(ATTENDANCE, (1, "a", "决赛现场观众8.2万人。"),
                                  (2, "b", "附近酒店的入住人数为3万人。"),  # barely about the question
                                  (3, "c", "决赛于3月5日举行，现场观众7.5万人。"))
    found = voices(candidates, comparer)
    assert {(v.n, v.figure.text) for v in found} == {(1, "8.2万人"), (3, "7.5万人")}  # no date: a count is asked
    assert voices([], comparer) == []


def test_passages_about_another_name_are_no_voices() -> None:
    """A sentence whose passage lacks the question's name (or swaps it) does not speak."""
    candidates, comparer = judged("北京的投票率是多少？", (1, "a", "北京的投票率为58%。"),
                                  (2, "b", "上海的投票率为61%。"), (3, "c", "本次投票率为60%。"))
    assert [v.n for v in voices(candidates, comparer)] == [1]
    assert find_disagreements(candidates, comparer) == []


def test_comparer_context_is_the_overlap_of_the_masked_sentences() -> None:
    candidates, comparer = judged(ATTENDANCE, (1, "a", "决赛现场观众8.2万人。"), (2, "b", "决赛现场观众7.5万人。"),
                                  (3, "c", "决赛现场的天气晴朗，气温20度。"))
    first, second, third = (next(c for c in candidates if c.n == n) for n in (1, 2, 3))
    assert comparer.context(first, second) == 1.0  # the same words once the figures are masked
    assert comparer.context(first, third) < comparer.context(first, second)


def test_articles_that_each_state_the_others_figure_do_not_disagree() -> None:
    """Both give the venue's 8.2万 and one names the old stadium's 7.5万 too: the 7.5万 is of
    something else, not another count of the final's attendance."""
    found = disagreements(ATTENDANCE, (1, "a", "决赛现场观众8.2万人。"),
                          (2, "b", "决赛现场观众8.2万人，旧球场决赛现场观众7.5万人。"))
    assert found == {}


def test_a_disagreement_is_about_a_figure_the_answer_gives() -> None:
    """Only figures of the sentence most about the question anchor a disagreement: two reports
    of another year's final that differ from each other are no note on this answer."""
    found = disagreements(ATTENDANCE, (1, "a", "2024年决赛现场观众8.2万人。"), (2, "b", "2024年决赛现场观众8.2万人。"),
                          (3, "c", "2020年决赛现场观众7万人。"), (4, "d", "据统计，2020年决赛现场观众6万人。"))
    assert found == {}


def test_a_fiscal_year_named_before_a_figure_is_either_calendar_year() -> None:
    """A passage that named `2025财年` before the share is about 2024 as much as 2025, so a 2024
    figure of another article can disagree with it."""
    candidates, comparer = judged("星河电子的营收是多少？",
                                  (1, "a", "星河电子2025财年营收为1304.97亿元。其中，海外营收为171.08亿元。"))
    overseas = next(c for c in candidates if "171.08" in c.text)
    assert comparer._years(overseas) == {"2024", "2025"}


def test_dates_of_one_event_told_in_other_words_disagree() -> None:
    """`发布` in one article, `推出` in the other: two dates of one launch, the rest alike, and
    the question asks of the launch (its focus word is in one of them)."""
    found = disagreements("星河X1手机是什么时候发布的？",
                          (1, "a", "星河电子在3月12日正式发布了星河X1手机。"),
                          (2, "b", "星河电子今年4月在开发者大会上正式推出了星河X1手机。"))
    assert found == {"date": {"3月12日": [1], "4月": [2]}}


def test_figures_of_other_kinds_told_in_other_words_are_not_compared() -> None:
    """Only dates of one event may be named in other words: an amount asked of revenue is not
    one asked of the wage bill, however alike the rest."""
    assert disagreements("球队本赛季的营收和工资支出是多少？", (1, "a", "球队本赛季的营收为5亿英镑。"),
                         (2, "b", "球队本赛季的营收和工资支出为3亿英镑。")) == {}


def test_a_voice_is_about_the_question_as_much_as_the_anchor_it_answers() -> None:
    """The best sentence names everything asked; another article gives the same figure in fewer
    of the question's words, and a third, alike to that one, in fewer still (below RELATIVE_ABOUTNESS
    of the best sentence): it speaks against the anchor it is alike to all the same."""
    question = "湖人队因工资帽违规被联盟罚了多少罚款？"
    evidence = ((1, "a", "联盟认定湖人队工资帽违规，湖人队因违规被罚了300万元罚款，并被扣除6个积分。"),
                (2, "b", "湖人队将面临约300万元的罚款。"),
                (3, "c", "湖人队的处罚昨日公布。据知情人士透露，那笔已被列入账目的罚款实际只有200万元。"))
    candidates, _ = judged(question, *evidence)
    best = max(c.coverage for c in candidates)
    assert next(c for c in candidates if c.n == 3 and c.figures).coverage < RELATIVE_ABOUTNESS * best
    assert disagreements(question, *evidence) == {"money:cny": {"300万元": [2], "200万元": [3]}}
