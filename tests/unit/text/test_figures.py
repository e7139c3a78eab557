"""Figures in text: numbers with magnitude and unit, dates, their kinds, values, masking and years."""

from __future__ import annotations

import pytest

from assistant.text.figures import Figure, chinese_number, find_figures, mask_figures, same_value, years
from assistant.text.normalize import search_form


def figures(text: str) -> list[tuple[str, str, float | None]]:
    return [(f.text, f.kind, f.value) for f in find_figures(search_form(text))]


def one(text: str) -> Figure:
    (figure,) = find_figures(search_form(text))
    return figure


@pytest.mark.parametrize(("text", "kind", "value"), [
    ("英伟达计提了55亿美元损失", "money:usd", 55e8),
    ("另一笔费用为4500万美元", "money:usd", 45e6),  # one kind whatever the magnitude
    ("The club lost $5.5 billion", "money:usd", 55e8),
    ("门票收入500万英镑", "money:gbp", 5e6),
    ("本届选举投票率为71.9%", "percent", 71.9),
    ("投票率72.3％", "percent", 72.3),  # full-width percent sign
    ("turnout was 71.9 per cent", "percent", 71.9),
    ("现场观众8.2万人", "count:人", 82000),
    ("現場觀眾7.5萬人次", "count:人", 75000),  # Traditional script; 人次, 名, people: one unit
    ("去年交付3.2万辆", "count:辆", 32000),
    ("今年交付800辆", "count:辆", 800),
    ("watched by 82,000 people", "count:人", 82000),
    ("工厂有三十五名员工", "count:人", 35),  # Chinese numerals
    ("计提了五十五亿美元", "money:usd", 55e8),
    ("航程达到15000公里", "count:公里", 15000),
])
def test_find_figures_reads_kind_and_value(text: str, kind: str, value: float) -> None:
    figure = one(text)
    assert figure.kind == kind
    assert figure.value == pytest.approx(value)
    assert figure.numeric


def test_find_figures_spans_point_at_the_figure_in_the_normalised_text() -> None:
    text = search_form("决赛于3月5日举行，现场观众8.2万人，门票收入500万英镑。")
    found = find_figures(text)
    assert [text[f.start:f.end].strip() for f in found] == [f.text for f in found]
    assert [f.kind for f in found] == ["date", "count:人", "money:gbp"]  # in reading order


def test_find_figures_leaves_out_years_and_bare_numbers() -> None:
    assert figures("2024年营收大增") == []
    assert figures("在2023年，球队换了主帅") == []
    assert figures("第12轮比赛在周日进行") == []
    assert figures("Article 12 of the law") == []


@pytest.mark.parametrize(("text", "value"), [
    ("决赛于3月5日举行", 305),
    ("决赛于2024年3月6日举行", 20240306),
    ("決賽於2024年3月6日舉行", 20240306),
    ("the vote on 2024-03-06", 20240306),
    ("polls closed on 11 August 2024", 20240811),
    ("polls closed on August 11, 2024", 20240811),
    ("八月的销量：8月", 800),  # a month alone
])
def test_dates_are_figures(text: str, value: float) -> None:
    date = [f for f in find_figures(search_form(text)) if f.kind == "date"]
    assert len(date) == 1 and date[0].value == value


@pytest.mark.parametrize(("text", "value"), [
    ("三十五", 35), ("两千", 2000), ("十", 10), ("十二", 12), ("二十", 20), ("一百零五", 105), ("五", 5),
])
def test_chinese_number(text: str, value: float) -> None:
    assert chinese_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "三十五名", "12"])
def test_chinese_number_is_none_for_anything_else(text: str) -> None:
    assert chinese_number(text) is None


@pytest.mark.parametrize(("a", "b"), [
    ("营收为171.08亿美元", "营收达171亿美元"),  # rounding
    ("观众82,000 people", "观众82000 people"),
    ("决赛于3月5日举行", "决赛于2024年3月5日举行"),  # a date without its year matches one with it
    ("2024年3月的销量", "2024年3月5日的销量"),  # a month matches any of its days
    ("on 11 August 2024", "on August 11, 2024"),
    ("交付3.2万辆", "交付32000辆"),  # magnitudes applied
])
def test_same_value_up_to_rounding_and_form(a: str, b: str) -> None:
    assert same_value(one(a), one(b))


@pytest.mark.parametrize(("a", "b"), [
    ("现场观众8.2万人", "现场观众7.5万人"),
    ("投票率为71.9%", "投票率为72.3%"),  # one decimal each: 0.4 points apart is no rounding
    ("投票率为58%", "投票率为61%"),
    ("决赛于3月5日举行", "决赛于3月6日举行"),
    ("决赛于2024年3月5日举行", "决赛于2023年3月5日举行"),
    ("计提了55亿美元", "计提了45亿美元"),
])
def test_same_value_tells_different_figures_apart(a: str, b: str) -> None:
    assert not same_value(one(a), one(b))


def test_mask_figures_removes_every_figure_and_date() -> None:
    masked = mask_figures(search_form("英偉達計提了55億美元損失,約占營收的32%。"))
    assert not any(ch.isdigit() for ch in masked)
    assert masked.startswith("英伟达计提了 损失")
    first = mask_figures(search_form("决赛于3月5日举行，现场观众8.2万人。"))
    second = mask_figures(search_form("決賽於3月6日舉行，現場觀眾7.5萬人。"))
    assert first == second and "决赛" in first and "3" not in first
    assert mask_figures("no figures here") == "no figures here"


def test_years_of_a_text() -> None:
    assert years(search_form("2024年营收大增")) == {"2024"}
    assert years(search_form("2024年营收,2025财年营收")) == {"2024", "2025"}
    assert years(search_form("2025財年營收")) == {"2024", "2025"}  # a fiscal year may be either calendar year
    assert years("the election in 2023 was close") == {"2023"}
    assert years("h20 and rtx 4090") == set()


def test_years_do_not_read_a_count_as_a_year() -> None:
    """`2000辆` is a number of cars, not the year 2000 (find_figures reads it as a count)."""
    assert one("去年卖了2000辆车").kind == "count:辆"
    assert years(search_form("去年卖了2000辆车")) == set()
    assert years(search_form("票价为1999元")) == set()


def test_a_unit_that_begins_with_a_magnitude_is_the_unit() -> None:
    assert [(f.kind, f.value) for f in find_figures("1千瓦")] == [("count:千瓦", 1.0)]
    assert [(f.kind, f.value) for f in find_figures("95万瓩")] == [("count:千瓦", 950000.0)]
    assert [(f.kind, f.value) for f in find_figures("1.2万千瓦")] == [("count:千瓦", 12000.0)]
    assert [(f.kind, f.value) for f in find_figures("2.59万亿元")] == [("money:cny", 2.59e12)]


def test_quarters_and_half_years_name_their_months() -> None:
    from assistant.text.figures import months

    assert months("2025财年第二季度") == {4, 5, 6}
    assert months("q3 revenue") == {7, 8, 9}
    assert months("in the first quarter") == {1, 2, 3}
    assert months("2025年上半年") == set(range(1, 7))


def test_zhao_is_a_trillion_and_more_currencies_are_money() -> None:
    """`兆` counts 10^12 in Taiwan, Hong Kong and Japanese usage; `兆瓦` stays a unit."""
    (trillion,) = find_figures(search_form("訪日旅客全年消費額約8.1兆日圓"))
    assert trillion.kind == "money:jpy" and trillion.value == 8.1e12
    (power,) = find_figures(search_form("装机容量300兆瓦"))
    assert power.kind == "count:兆瓦" and power.value == 300
    assert [f.kind for f in find_figures(search_form("票价为15万印尼盾，约合人民币70元"))] == ["money:idr", "money:cny"]


def test_a_currency_named_before_the_number_is_the_one_of_its_yuan() -> None:
    kinds = [f.kind for f in find_figures(search_form("标准版售价人民币21.59万元（约新台币95万元）"))]
    assert kinds == ["money:cny", "money:twd"]
    assert [f.kind for f in find_figures("港币10元")] == ["money:hkd"]
    assert [f.kind for f in find_figures("票价为500元")] == ["money:cny"]


def test_english_units_of_time_weight_and_length_read_as_their_chinese_units() -> None:
    assert [f.kind for f in find_figures("it lasted six months and 3 weeks")] == ["count:个月", "count:周"]
    assert [f.kind for f in find_figures("1,935.3 grams over 400 metres")] == ["count:克", "count:米"]


def test_the_first_end_of_a_range_takes_the_unit_of_the_second() -> None:
    """`120亿-150亿美元` is money at both ends; `3万至5万辆` counts vehicles at both."""
    kinds = [(f.text, f.kind) for f in find_figures(search_form("卖了 120 亿 -150 亿美元"))]
    assert kinds == [("120 亿", "money:usd"), ("150 亿美元", "money:usd")]
    assert [f.kind for f in find_figures("预计3万至5万辆")] == ["count:辆", "count:辆"]
    assert [f.kind for f in find_figures("5亿和3亿美元")] == ["count", "money:usd"]  # two figures, no range


def test_an_approximate_count_keeps_its_measure_word() -> None:
    """`3400多名`, `100余家`, `3万多人`: about so many, counted in their measure word."""
    assert [(f.kind, f.value) for f in find_figures("研发团队有3400多名工程师")] == [("count:人", 3400.0)]
    assert [(f.kind, f.value) for f in find_figures("100余家企业")] == [("count:家", 100.0)]
    assert [(f.kind, f.value) for f in find_figures("3万多人")] == [("count:人", 30000.0)]
