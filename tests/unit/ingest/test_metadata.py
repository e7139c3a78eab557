from datetime import date
from pathlib import Path

import pytest

from assistant.ingest.documents import prepare_article
from assistant.ingest.loaders import load_file
from assistant.ingest.metadata import display_title, extract_metadata
from tests.support import html_pages
from tests.support.data import SEEDS

EXPECTED = {
    "000_da357fa45bf7326d": {"outlet": "網易號", "author": "張力、邢昀", "script": "Hant", "url": None,
                             # no dateline: the first complete date of the body
                             "published": "2025-04-02",
                             "title": "在今年黃仁勛第三次中國大陸行的同時,英偉達H20芯片對華出口的通道再次打開,"
                                      "但問題還沒有解決。"},
    "001_281899ef3b77ad6e": {"outlet": "www.trjyy.com", "author": None, "script": "Hans", "url": None,
                             "published": None, "title": "H20被禁之后,黄仁勋为何紧急访华?"},
    "002_9b6c0dc71fbfa5b9": {"outlet": "市值观察", "author": "文雨", "script": "Hans", "url": None,
                             "published": None, "title": "4 月 17 日,英伟达 CEO 黄仁勋时隔 3 个月再次紧急造访北京。"},
    "003_487fbec222c91da9": {"outlet": "財富中文網", "author": None, "script": "Hant", "url": None,
                             "published": None,  # the first line is a paragraph: its first sentence, whole
                             "title": "4月初,英偉達公司首席執行官黃仁勛出現在美國總統特朗普在佛羅里達州官邸舉行的"
                                      "晚宴上,外界一度將此解讀為H20芯片出口管制會暫緩的信號,"
                                      "但特朗普很快再次彰顯了他在限制中國科技方面的決心。"},
    "004_0192960aab3099c9": {"outlet": "虎嗅科技組", "author": "丸都山", "script": "Hant",
                             "url": "https://www.huxiu.com/article/4586475.html?f=wyxwapp", "published": None,
                             "title": "7月16日,黃仁勛在北京出席了“鏈博會”,罕見地以一身唐裝示人,"
                                      "并首次嘗試使用中文演講。"},
}


@pytest.mark.parametrize("seed", sorted(EXPECTED))
def test_metadata_seed(seed: str) -> None:
    record = prepare_article(load_file(SEEDS / f"{seed}.txt"), 160, 40).record
    expected = EXPECTED[seed]
    assert record.article_id == seed
    assert record.outlet == expected["outlet"]
    assert record.author == expected["author"]
    assert record.script == expected["script"]
    assert record.url == expected["url"]
    assert record.title == expected["title"]  # whole: shortened only where it is displayed
    assert record.published == expected["published"]
    assert len(record.content_hash) == 64


def test_metadata_html_title_and_url(tmp_path: Path) -> None:
    page = tmp_path / "a1.html"
    page.write_text('<html><head><title>站点 - 标题</title><link rel="canonical" href="https://ex.com/a1">'
                    '</head><body><nav>首页 | 科技</nav><article><h1>英伟达的新芯片</h1>'
                    "<p>英伟达发布了新芯片。</p></article></body></html>", encoding="utf-8")
    record = prepare_article(load_file(page), 160, 40).record
    assert record.title == "英伟达的新芯片"
    assert record.url == "https://ex.com/a1"


# --------------------------------------------------------------------------- news pages and bylines


@pytest.mark.parametrize(("script", "expected"), [
    ("simplified", ("青训改革见成效：省青年队两年内输送十二名职业球员", "星海体育网", "李明远", "2025-01-16",
                    "https://sports.example.cn/2025/01/16/youth-football.html", "Hans")),
    ("traditional", ("地方選舉投票率創新高 年輕選民成關鍵", "島嶼日報", "陳怡君", "2024-08-11", None, "Hant")),
    ("english", ("Booster uptake rises among older adults after clinic hours are extended", "The Daily Ledger",
                 "Jane Smith", "2024-08-11", None, "Latn")),
])
def test_metadata_html_news_page(tmp_path: Path, script: str, expected: tuple[str | None, ...]) -> None:
    path = tmp_path / f"{script}.html"
    path.write_text(html_pages.PAGES[script], encoding="utf-8")
    article = prepare_article(load_file(path), 160, 40)
    record = article.record
    assert (record.title, record.outlet, record.author, record.published, record.url, record.script) == expected
    for credit in ("责任编辑", "記者陳怡君", "By Jane Smith", "来源："):
        assert credit not in article.body  # credits are metadata, not passages


TEXT_ARTICLES = {
    # Simplified: byline with source, author and time on one line; the editor is not the author
    "s1": ("社区卫生服务中心延长疫苗接种时间\n2025-01-16 08:30 来源：城市晚报 作者：周敏\n"
           "市卫健委表示，全市社区卫生服务中心从下周起将疫苗接种时间延长至晚上八点。\n责任编辑：王芳",
           ("城市晚报", "周敏", "2025-01-16")),
    # Simplified: `记者 …` and a text date in the lede
    "s2": ("记者 刘洋\n2025年1月16日，市足协公布了新赛季的赛程安排，首轮比赛将于三月初开打。\n"
           "据介绍，本赛季共有十六支球队参赛。", (None, "刘洋", "2025-01-16")),
    # Traditional: `來源：`, `文／`, a date written with slashes
    "t1": ("縣市長選舉投票率創新高\n文／林志明\n來源：島嶼日報\n2024/8/11\n"
           "中央選舉委員會公布的統計顯示，本次選舉的投票率創下歷屆新高。", ("島嶼日報", "林志明", "2024-08-11")),
    # Traditional: `記者 …／台北報導` in brackets at the head of the first paragraph
    "t2": ("〔記者陳怡君／台北報導〕中央選舉委員會昨天公布，本次地方選舉投票率達七成。\n"
           "選委會於民國113年8月11日完成計票。", (None, "陳怡君", "2024-08-11")),
    # English: `By …`, a dateline written `11 August 2024`
    "e1": ("Clinics extend evening hours\nBy Jane Smith\n11 August 2024\n"
           "Vaccination clinics that stayed open until 9 p.m. recorded a rise in booster doses.",
           (None, "Jane Smith", "2024-08-11")),
    # English: no dateline, the first date of the text (`August 11, 2024`)
    "e2": ("The league confirmed on August 11, 2024 that the season would start a week later. "
           "A statement on September 2, 2024 gave the new fixtures.", (None, None, "2024-08-11")),
}


@pytest.mark.parametrize("name", sorted(TEXT_ARTICLES))
def test_metadata_text_bylines_and_dates(tmp_path: Path, name: str) -> None:
    text, expected = TEXT_ARTICLES[name]
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    record = prepare_article(load_file(path), 160, 40).record
    assert (record.outlet, record.author, record.published) == expected


def test_metadata_prefers_page_metadata_then_dateline_then_text() -> None:
    body = "正文提到2023年5月4日的一次会议。"
    with_hint = extract_metadata("标题\n2024-08-11\n" + body, body, published_hint="2025-01-16")
    assert with_hint.published == date(2025, 1, 16)
    assert extract_metadata("标题\n2024-08-11\n" + body, body).published == date(2024, 8, 11)
    assert extract_metadata("标题\n" + body, body,
                            url_hint="https://ex.com/2024/06/01/a.html").published == date(2024, 6, 1)
    assert extract_metadata("标题\n" + body, body).published == date(2023, 5, 4)
    assert extract_metadata("标题\n正文没有日期。", "正文没有日期。").published is None


def test_metadata_long_title_is_stored_whole_and_shortened_for_display(tmp_path: Path) -> None:
    headline = "省足协公布青训改革两年成果：十二名球员进入职业俱乐部，五人已在顶级联赛登场，注册人数增长六成"
    path = tmp_path / "long.md"
    path.write_text(f"# {headline}\n\n省足协公布了青训改革的成果。", encoding="utf-8")
    record = prepare_article(load_file(path), 160, 40).record
    assert record.title == headline and len(headline) > 40
    shown = display_title(record.title, 30)
    assert len(shown) == 30 and shown.endswith("…") and headline.startswith(shown[:-1])
    assert display_title("短标题") == "短标题"
