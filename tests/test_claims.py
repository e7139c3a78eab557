"""Claims: what a figure measures, whom it is about, when, and whether it fits the question."""

from __future__ import annotations

from assistant.claims import AskedFigure, Claim, Evidence, claims_in, names_in
from assistant.figures import years
from assistant.relevance import TermWeights, question_terms

WEIGHTS = TermWeights({}, documents=100)


def _asked(question: str) -> AskedFigure:
    return AskedFigure.of(question, question_terms(question), WEIGHTS)


def _answerable(asked: AskedFigure, evidence: list[Evidence]) -> bool:
    return asked.answered_by(asked.read(evidence))


def _claim(question: str, text: str, before: str = "") -> Claim:
    (claim,) = claims_in(Evidence(1, "a", text, before), _asked(question))
    return claim


def test_claims_measure_comes_from_the_figures_clause_before_its_neighbours() -> None:
    assert _claim("营收是多少亿美元？", "英伟达2025财年营收达到了1304.97亿美元,同比增长114%。").measures == {"revenue"}
    assert _claim("同比增长的百分比是多少？", "英伟达营收达到了1304.97亿美元,同比增长114%。").measures == {"change"}
    # a specific measure outranks a generic one beside it: a write-down is also called a loss
    assert _claim("损失是多少亿美元？", "英伟达计提了55亿美元损失。").measures == {"write-down"}


def test_claims_share_measures_what_an_earlier_clause_names() -> None:
    claim = _claim("占比是多少？", "这笔费用与库存准备金直接相关,约占中国区总营收的32%。")
    assert claim.measures == {"write-down"}
    assert _claim("占比是多少？", "中国区营收为171.08亿元,在总营收当中的占比为13.1%。").measures == {"revenue"}


def test_claims_subjects_are_the_nearest_names_of_each_kind() -> None:
    us, china = claims_in(Evidence(1, "a", "英伟达47%的营收来自美国,中国区贡献13%的营收。"), _asked("比例是多少？"))
    assert us.subjects["place"] == {"美国"} and china.subjects["place"] == {"中国"}
    assert china.subjects["company"] == {"英伟达"} and "company" not in china.own
    inherited = _claim("占比是多少？", "中国曾是英伟达第四大市场(2024年营收171亿美元,占全球17%)。")
    assert inherited.subjects["place"] == {"中国"} and not inherited.own


def test_names_in_prefers_model_numbers_to_families_and_skips_precisions() -> None:
    assert names_in("升腾 910 的算力")["model"] == {"昇腾"}
    assert names_in("升腾910c芯片")["model"] == {"910c"}
    assert "model" not in names_in("fp16算力148tflops,显存96gb")
    assert names_in("the u.s. and middle east markets")["place"] == {"美国", "中东"}
    assert "place" not in names_in("a bus to the campus")


def test_claims_year_is_the_sentences_or_else_the_last_named_before_it() -> None:
    assert years("2024年营收,2025财年营收") == [{"2024"}, {"2024", "2025"}]
    assert _claim("营收是多少？", "中国区营收为171.08亿美元。", before="英伟达2023年营收大增。").years == {"2023"}
    assert _claim("营收是多少？", "2022年中国区营收为71亿美元。", before="2023年营收大增。").years == {"2022"}


def test_asked_figure_fits_only_claims_about_what_was_asked() -> None:
    asked = _asked("2024年英伟达中国区营收是多少？")
    region = claims_in(Evidence(1, "a", "英伟达中国区2024自然年的营收高达171.08亿美元。"), asked)
    product = claims_in(Evidence(2, "b", "2024年英伟达光H20就卖了150亿美元。"), asked)  # narrower: one model
    us = claims_in(Evidence(3, "c", "2024年英伟达美国区营收达600亿美元。"), asked)
    other_year = claims_in(Evidence(4, "d", "2022年英伟达中国区营收71亿美元。"), asked)
    assert [asked.fits(c) for c in region + product + us + other_year] == [True, False, False, False]
    assert len(asked.fitting(asked.read([Evidence(1, "a", "英伟达中国区2024自然年的营收高达171.08亿美元。")]))) == 1


def test_claims_comparable_needs_unit_measure_subjects_and_year_to_agree() -> None:
    write_down = _claim("损失是多少亿美元？", "英伟达因H20计提了55亿美元。")
    inventory = _claim("损失是多少亿美元？", "列入“计减损失”的45亿美元库存。")
    yearly_loss = _claim("损失是多少亿美元？", "其年损失或达180亿美元。")
    assert write_down.comparable(inventory) and not write_down.comparable(yearly_loss)
    assert not _claim("是多少亿美元？", "华为计提了10亿美元。").comparable(write_down)


def test_asked_figure_answerable_needs_a_claim_that_could_answer() -> None:
    asked = _asked("英伟达2024年在中东地区的营收是多少？")
    assert not _answerable(asked, [Evidence(1, "a", "2024年英伟达中国区营收171亿美元。"),  # another place
                                 Evidence(2, "b", "英伟达2025财年营收达到了1304.97亿美元。")])  # no place
    assert _answerable(asked, [Evidence(1, "a", "2024年英伟达在中东的营收为20亿美元。")])
    # the measure is not required to answer: `暴增至` names no measure the lexicon knows
    growth = _asked("寒武纪一季度的营收增长到了多少亿？")
    assert _answerable(growth, [Evidence(1, "a", "寒武纪的营收从0.26亿暴增至11.11亿。")])
    assert _answerable(_asked("黄仁勋为什么访华？"), [])  # asks for no figure


def test_asked_figure_answerable_needs_the_line_item_it_names() -> None:
    """A question about R&D spending is not answered by a revenue figure of the same year."""
    asked = _asked("英伟达2024年的研发投入是多少亿美元？")
    assert not _answerable(asked, [Evidence(1, "a", "2024年英伟达中国区营收171亿美元。"),
                                 Evidence(2, "b", "英伟达2024年营收1305亿美元。")])
    assert _answerable(asked, [Evidence(1, "a", "英伟达2024年的研发投入达129亿美元。")])


def test_asked_figure_follow_up_asks_for_the_measure_of_its_last_sentence() -> None:
    follow_up = _asked("H20芯片的单价大约是多少？ 那它的性能是H100的多少？")
    assert follow_up.measures == {"performance"} and follow_up.subjects["model"] == {"h20", "h100"}
    price = _asked("H20的性能是H100的多少？ 那它的价格呢？")
    assert price.kinds == {"money"} and price.measures == {"price"}
