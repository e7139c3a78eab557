from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import InvalidInputError
from assistant.text.dates import dateline_date, find_dates, first_date, parse_day
from assistant.types import day_number, from_iso

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("2025年1月16日，省足协公布了数据。", date(2025, 1, 16)),
    ("2025 年 1 月 16 日讯 省足协公布了数据。", date(2025, 1, 16)),
    ("２０２５年１月１６日", date(2025, 1, 16)),  # full-width digits
    ("更新于 2024-08-11 08:30", date(2024, 8, 11)),
    ("2024-08-11T08:30:00+08:00", date(2024, 8, 11)),
    ("發布時間：2024/8/11", date(2024, 8, 11)),
    ("2024.08.11 报道", date(2024, 8, 11)),
    ("Figures released on 11 August 2024 show a rise.", date(2024, 8, 11)),
    ("Published August 11, 2024.", date(2024, 8, 11)),
    ("on Aug. 11, 2024 the clinics", date(2024, 8, 11)),
    ("Sept 3rd, 2024", date(2024, 9, 3)),
    ("民國113年8月11日", date(2024, 8, 11)),
])
def test_dates_written_forms(text: str, expected: date) -> None:
    assert first_date(text, TODAY) == expected


@pytest.mark.parametrize("text", [
    "4月17日，他再次访问北京。",  # no year
    "2025年4月，出口通道再次打开。",  # no day
    "版本 1.2.3 与 3.14.2024",  # not dates
    "2024-13-01 与 2023-02-30",  # impossible days
    "编号20240811的文件",  # a number, not a written date
    "2030年1月1日起实施",  # after today: not a publication date
])
def test_dates_incomplete_or_invalid_are_not_dates(text: str) -> None:
    assert find_dates(text, TODAY) == []


def test_dates_are_found_in_reading_order() -> None:
    found = find_dates("August 11, 2024 and later 2025年1月16日 then 2023-05-04", TODAY)
    assert [f.day for f in found] == [date(2024, 8, 11), date(2025, 1, 16), date(2023, 5, 4)]


@pytest.mark.parametrize(("line", "expected"), [
    ("August 11, 2024", date(2024, 8, 11)),
    ("2024年8月11日 星期日 10:30", date(2024, 8, 11)),
    ("Published on August 11, 2024 at 10:30 am", date(2024, 8, 11)),
    ("北京时间2025年1月16日", date(2025, 1, 16)),
    ("2025年1月16日，国务院召开常务会议，研究部署促进消费的措施", None),  # a sentence, not a dateline
    ("The authority extended opening hours on 11 August 2024.", None),
])
def test_dates_dateline_is_a_line_that_is_only_a_date(line: str, expected: date | None) -> None:
    assert dateline_date(line, TODAY) == expected


def test_dates_stored_forms() -> None:
    assert day_number(date(2025, 1, 16)) == 20250116
    assert day_number(date(2024, 12, 31)) < day_number(date(2025, 1, 1))
    assert from_iso("2025-01-16T20:30:00+08:00") == date(2025, 1, 16)
    assert from_iso("not a date") is None and from_iso(None) is None


@pytest.mark.parametrize("bad", ["2024-13-01", "2024/01/01", "yesterday", "2024-1-1", ""])
def test_dates_parse_day_names_the_field(bad: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        parse_day(bad, "since")
    assert info.value.field == "since" and "YYYY-MM-DD" in str(info.value)
    assert parse_day(" 2024-01-01 ", "since") == date(2024, 1, 1)
