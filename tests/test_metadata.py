from pathlib import Path

import pytest

from assistant.documents import prepare_article
from assistant.loaders import load_file

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

EXPECTED = {
    "000_da357fa45bf7326d": {"outlet": "網易號", "author": "張力、邢昀", "script": "Hant", "url": None,
                             "title_starts": "在今年黃仁勛第三次中國大陸行的同時"},
    "001_281899ef3b77ad6e": {"outlet": "www.trjyy.com", "author": None, "script": "Hans", "url": None,
                             "title_starts": "H20被禁之后,黄仁勋为何紧急访华?"},
    "002_9b6c0dc71fbfa5b9": {"outlet": "市值观察", "author": "文雨", "script": "Hans", "url": None,
                             "title_starts": "4 月 17 日,英伟达 CEO 黄仁勋"},
    "003_487fbec222c91da9": {"outlet": "財富中文網", "author": None, "script": "Hant", "url": None,
                             "title_starts": "4月初,英偉達公司首席執行官黃仁勛"},
    "004_0192960aab3099c9": {"outlet": "虎嗅科技組", "author": "丸都山", "script": "Hant",
                             "url": "https://www.huxiu.com/article/4586475.html?f=wyxwapp",
                             "title_starts": "7月16日,黃仁勛在北京出席了"},
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
    assert record.title.startswith(str(expected["title_starts"]))
    assert len(record.title) <= 41
    assert len(record.content_hash) == 64


def test_metadata_html_title_and_url(tmp_path: Path) -> None:
    page = tmp_path / "a1.html"
    page.write_text('<html><head><title>站点 - 标题</title><link rel="canonical" href="https://ex.com/a1">'
                    '</head><body><nav>首页 | 科技</nav><article><h1>英伟达的新芯片</h1>'
                    "<p>英伟达发布了新芯片。</p></article></body></html>", encoding="utf-8")
    record = prepare_article(load_file(page), 160, 40).record
    assert record.title == "英伟达的新芯片"
    assert record.url == "https://ex.com/a1"
