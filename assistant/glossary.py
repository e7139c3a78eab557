"""English → Chinese term bridging, so that English questions can be matched lexically
against Chinese articles (the relevance gate and the offline answerer's sentence choice).

The glossary is a packaged TSV of general news, finance and technology terms
(`assistant/data/glossary_en_zh.tsv`); multi-word terms are matched before single words.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_WORD = re.compile(r"[a-z0-9]+(?:[.\-'][a-z0-9]+)*")
MAX_PHRASE_WORDS = 3


@cache
def glossary() -> dict[str, str]:
    """English term (lower case) → `|`-separated Simplified Chinese alternatives."""
    text = resources.files("assistant").joinpath("data/glossary_en_zh.tsv").read_text(encoding="utf-8")
    entries: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, _, chinese = line.partition("\t")
        if chinese.strip():
            entries[english.strip().lower()] = chinese.strip()
    return entries


def english_words(text: str) -> list[str]:
    """Lower-case words, possessive `'s` removed (`Nvidia's` → `nvidia`)."""
    return [w.removesuffix("'s") for w in _WORD.findall(text.lower().replace("’", "'"))]


def bridge(text: str) -> tuple[list[str], list[str]]:
    """Split an English text into (Chinese term groups from the glossary, words it does not know).

    `April 16` becomes `4月16日`, so dates match the articles' form.
    """
    words = english_words(text)
    table = glossary()
    groups: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + size])
            if phrase in table:
                translated = table[phrase]
                if translated.endswith("月") and i + size < len(words) and words[i + size].isdigit():
                    groups.append(f"{translated}{words[i + size]}日")
                    size += 1
                else:
                    groups.append(translated)
                i += size
                break
        else:
            unknown.append(words[i])
            i += 1
    return groups, unknown
