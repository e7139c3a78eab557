from __future__ import annotations

from datetime import date

import pytest

from assistant.ingest.cleaning import clean_text
from assistant.ingest.credits import Credits, author_of, parse_credit_line, read_credits

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(("line", "expected"), [
    # Simplified
    ("作者 | 张力", {"author": "张力"}),
    ("作者丨文雨", {"author": "文雨"}),
    ("来源：新华社", {"outlet": "新华社"}),
    ("记者 王小明、李四/北京报道", {"author": "王小明、李四"}),
    ("本报记者 王小明", {"author": "王小明"}),
    ("记者张三报道", {"author": "张三"}),
    ("文 | 王小明", {"text": "王小明"}),
    ("文/记者 王小明", {"text": "王小明"}),
    ("责任编辑：王芳", {"editor": "王芳"}),
    ("2025-01-16 20:30 来源：星海体育网 作者：李明远",
     {"time": "2025-01-16 20:30", "outlet": "星海体育网", "author": "李明远"}),
    # Traditional
    ("來源：中央社", {"outlet": "中央社"}),
    ("記者陳怡君／台北報導", {"author": "陳怡君"}),
    ("文／王小明", {"text": "王小明"}),
    ("發布時間：2024/8/11 08:30", {"time": "2024/8/11 08:30"}),
    ("作者 |張力", {"author": "張力"}),
    # English
    ("By Jane Smith", {"author": "Jane Smith"}),
    ("BY JANE SMITH AND JOHN DOE", {"author": "JANE SMITH AND JOHN DOE"}),
    ("By Jane Smith, Staff Writer", {"author": "Jane Smith"}),
    ("By Jane Smith, John Doe and Ann Lee", {"author": "Jane Smith, John Doe and Ann Lee"}),
])
def test_credits_lines_in_each_script(line: str, expected: dict[str, str]) -> None:
    assert parse_credit_line(line) == expected


@pytest.mark.parametrize("line", [
    "记者从国家统计局获悉，今年前三季度……",  # "the reporter learned": no name follows
    "记者注意到，投票所前大排长龙。",
    "数据来源：国家统计局",  # a chart's source inside the article
    "文章来源于网络",
    "By the end of the year, prices had risen.",
    "By Monday, Smith said, the clinics would open.",
    "英伟达2025財年地區營收明細,來源于財報",
    "〔記者陳怡君／台北報導〕中央選舉委員會昨天公布的統計顯示……",  # article text after the credit
])
def test_credits_article_text_is_not_a_credit_line(line: str) -> None:
    assert parse_credit_line(line) is None


def test_credits_read_the_article_head() -> None:
    simplified = ["青训改革见成效", "2025-01-16 20:30 来源：星海体育网 作者：李明远", "省足协公布的数据显示……",
                  "责任编辑：王芳"]
    assert read_credits(simplified, TODAY) == Credits("李明远", "星海体育网", "王芳", date(2025, 1, 16))
    traditional = ["地方選舉投票率創新高", "〔記者陳怡君／台北報導〕中央選舉委員會昨天公布的統計顯示……"]
    assert read_credits(traditional, TODAY) == Credits(author="陳怡君")
    english = ["Booster uptake rises", "By Jane Smith", "August 11, 2024", "Clinics that stayed open…"]
    assert read_credits(english, TODAY) == Credits(author="Jane Smith", published=date(2024, 8, 11))


def test_credits_text_names_the_writer_unless_an_author_is_credited() -> None:
    assert read_credits(["文 | 王小明", "正文。"]) == Credits(author="王小明")
    both = read_credits(["文 | 市值观察,作者丨文雨", "正文。"])
    assert (both.author, both.outlet) == ("文雨", "市值观察")
    produced = read_credits(["出品 | 虎嗅科技組", "作者 | 丸都山", "來源：網易", "正文。"])
    assert (produced.author, produced.outlet) == ("丸都山", "虎嗅科技組")


def test_credits_editor_is_never_the_author() -> None:
    credits = read_credits(["标题", "责任编辑：王芳", "正文。"])
    assert credits.author is None and credits.editor == "王芳"


def test_credits_co_author_on_the_next_line() -> None:
    assert read_credits(["作者 |張力", "邢昀", "黃仁勛最近很忙。"]).author == "張力、邢昀"


def test_credits_lines_leave_the_body() -> None:
    text = ("标题\n2025-01-16 20:30 来源：星海体育网 作者：李明远\n記者陳怡君／台北報導\nBy Jane Smith\n"
            "省足协公布的数据显示，注册球员人数增加了。\n〔記者陳怡君／台北報導〕投票率創新高。\n责任编辑：王芳")
    body = "标题\n省足协公布的数据显示，注册球员人数增加了。\n〔記者陳怡君／台北報導〕投票率創新高。"
    assert clean_text(text) == body


@pytest.mark.parametrize(("value", "expected"), [
    ("作者：李明远", "李明远"), ("By Jane Smith", "Jane Smith"), ("Jane Smith", "Jane Smith"),
    ("發布時間：; 8", None), ("https://example.com/people/jane", None), ("", None), (None, None),
])
def test_credits_author_from_a_metadata_field(value: str | None, expected: str | None) -> None:
    assert author_of(value) == expected
