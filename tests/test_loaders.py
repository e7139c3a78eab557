from pathlib import Path

import pytest

from assistant.errors import IngestError
from assistant.loaders import extract_html, load_file, strip_markdown


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
