"""A small dated corpus for the date-filter tests: four articles on one subject (so every one
matches the question), three dated in different forms, one not."""

from __future__ import annotations

from pathlib import Path

ARTICLES = {
    "jan2024": "青训改革启动\n2024-01-15 来源：城市晚报\n省足协宣布启动青训改革，青少年球员每周训练四次。",
    "aug2024": "青训改革半年\n記者陳怡君／台北報導\n2024/8/11\n省足協表示青訓改革半年來，青少年球員訓練時間倍增。",
    "jan2025": "Youth football reform\nBy Jane Smith\nJanuary 16, 2025\n青训改革一年后，青少年球员人数增加了六成。",
    "undated": "青训改革观察\n青训改革让更多青少年球员走进球场，训练时间明显增加。",
}
QUESTION = "青训改革 青少年球员 训练"


def write_corpus(folder: Path) -> Path:
    """The articles as .txt files in `folder` (created); returns it."""
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder
