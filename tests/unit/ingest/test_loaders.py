import socket
from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.ingest.loaders import MIN_MAIN_TEXT_CHARS, extract_html, load_bytes, load_file, strip_markdown
from tests.support import html_pages


def test_loaders_txt_keeps_text_and_hash(seeds_dir: Path) -> None:
    doc = load_file(seeds_dir / "001_281899ef3b77ad6e.txt")
    assert doc.article_id == "001_281899ef3b77ad6e"
    assert "黄仁勋" in doc.text and len(doc.content_hash) == 64


def test_loaders_html_drops_scripts_and_navigation() -> None:
    page = extract_html("<html><head><style>p{}</style><script>var ad=1;</script></head><body>"
                        "<nav>首页 新闻</nav><div class='share'><button>分享</button></div>"
                        "<article><h1>标题</h1><p>第一段<b>加粗</b>内容。</p><p>第二段。</p></article>"
                        "<footer>版权所有</footer></body></html>")
    assert page.text == "标题\n第一段加粗内容。\n第二段。"
    assert page.title == "标题"


def test_loaders_html_without_article_uses_body() -> None:
    page = extract_html("<body><div>正文一。</div><div>正文二。</div><script>x()</script></body>")
    assert page.text == "正文一。\n正文二。"


def test_loaders_markdown_strips_syntax() -> None:
    text, title = strip_markdown("# 英伟达\n\n**H20** 的[价格](http://x)是 *1.2万美元*。\n- 列表项\n![图](a.png)")
    assert title == "英伟达"
    assert "H20 的价格是 1.2万美元。" in text and "列表项" in text and "a.png" not in text


def test_loaders_gbk_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("英伟达计提了五十五亿美元的损失，这是中国市场的重大变化。".encode("gb18030"))
    assert "计提" in load_file(path).text


@pytest.mark.parametrize(("name", "content", "message"), [
    ("a.pdf", b"%PDF-1.4", "unsupported file type"),
    ("b.txt", b"", "empty"),
    ("c.txt", b"\x00\x01\x02binary", "binary"),
    ("bad name!.txt", "正文。".encode(), "valid article id"),
])
def test_loaders_bad_files_name_the_file(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError) as info:
        load_file(path)
    assert name in str(info.value) and message in str(info.value)


# --------------------------------------------------------------------------- realistic pages (trafilatura)

FURNITURE = {
    "simplified": ["Cookie", "同意并关闭", "首页", "分享到", "相关阅读", "省队冬训名单公布", "版权所有", "隐私政策",
                   "window.dataLayer"],
    "traditional": ["Cookie", "我同意", "首頁", "熱門新聞", "颱風假", "延伸閱讀", "版權所有", "service@example.tw"],
    "english": ["cookies", "Accept all", "Share this article", "Sign up for our newsletter", "Related stories",
                "Flu season arrives early", "All rights reserved", "Privacy"],
}
ARTICLE = {
    "simplified": ["青训改革见成效", "省青年队已向职业俱乐部输送了十二名球员", "突破两万五千人。"],
    "traditional": ["地方選舉投票率創新高", "投票率達到百分之七十一點二", "在下次選舉前完成改善。"],
    "english": ["Booster uptake rises", "recorded a 23 percent rise", "the effect on hospital admissions."],
}


@pytest.mark.parametrize("script", sorted(ARTICLE))
def test_loaders_html_page_main_text_without_furniture(script: str) -> None:
    page = extract_html(html_pages.PAGES[script])
    for text in ARTICLE[script]:
        assert text in page.text
    for text in FURNITURE[script]:
        assert text in html_pages.PAGES[script], f"fixture error: {text!r}"
        assert text not in page.text, f"{text!r} is page furniture"
    assert len(page.text) >= MIN_MAIN_TEXT_CHARS  # trafilatura's text, not the fallback's


@pytest.mark.parametrize(("script", "title", "author", "outlet", "published"), [
    ("simplified", "青训改革见成效：省青年队两年内输送十二名职业球员", "李明远", "星海体育网", "2025-01-16"),
    ("traditional", "地方選舉投票率創新高 年輕選民成關鍵", None, "島嶼日報", "2024-08-11"),
    ("english", "Booster uptake rises among older adults after clinic hours are extended", "Jane Smith",
     "The Daily Ledger", "2024-08-11"),
])
def test_loaders_html_page_metadata(script: str, title: str, author: str | None, outlet: str,
                                    published: str) -> None:
    page = extract_html(html_pages.PAGES[script])
    # the Traditional page names its reporter only in the text (`記者陳怡君／台北報導`): metadata reads it
    assert (page.title, page.author, page.outlet, page.published) == (title, author, outlet, published)


def test_loaders_html_date_of_a_related_story_is_not_the_articles() -> None:
    page = html_pages.PAGES["simplified"]
    for tag in ('<meta property="article:published_time" content="2025-01-16T20:30:00+08:00">',
                '<link rel="canonical" href="https://sports.example.cn/2025/01/16/youth-football.html">',
                '<span class="time">2025-01-16 20:30</span>'):
        assert tag in page
        page = page.replace(tag, "")
    assert "2024-12-30" in page  # the related stories' dates are still on the page
    assert extract_html(page).published is None


def test_loaders_html_never_opens_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[object] = []

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            opened.append(args)
            raise OSError("no network in this test")

    monkeypatch.setattr(socket, "socket", NoSocket)
    for page in html_pages.PAGES.values():  # canonical URLs and og:site_name are only read, never fetched
        assert extract_html(page).published
    assert opened == []


def test_loaders_html_page_through_load_bytes_carries_hints() -> None:
    doc = load_bytes("p1", html_pages.PAGES["english"].encode(), ".html", source="upload:p1.html")
    assert (doc.title_hint, doc.author_hint, doc.outlet_hint, doc.published_hint) == (
        "Booster uptake rises among older adults after clinic hours are extended", "Jane Smith",
        "The Daily Ledger", "2024-08-11")
