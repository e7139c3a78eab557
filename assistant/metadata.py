"""Article metadata derived from the raw text: title, outlet, author, URL, script."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.cleaning import BYLINE, is_byline
from assistant.textnorm import Script, detect_script, normalize, to_simplified

_URL = re.compile(r"https?://[^\s\"'<>，。）)]+")
_OUTLET_IN_PARENS = re.compile(r"[（(]([^()（）]{2,12}(?:网|網|社|报|報|杂志|雜誌|日报|日報|新闻|新聞))[）)]\s*$")
_FROM_OUTLET = re.compile(r"本文(?:来自|來自)([^,，:：\s]{2,12}?)(?:[,，]|原文|$)")
_PLATFORM = re.compile(r"自媒体平台[“\"「]([^”\"」]{2,12})[”\"」]")
_COPYRIGHT_SITE = re.compile(r"©\s*\d{4}\s+((?:www\.)?[a-z0-9.-]+\.[a-z]{2,})", re.I)
_SENTENCE_END = re.compile(r"[。！？!?]")

TITLE_MAX_CHARS = 40


@dataclass(frozen=True)
class ArticleMeta:
    title: str
    outlet: str | None
    author: str | None
    url: str | None
    script: Script


def _bylines(lines: list[str]) -> dict[str, str]:
    """Credit lines as {role: value}; `文 | 市值观察,作者丨文雨` yields both roles."""
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        if not is_byline(line):
            continue
        for part in re.split(r"[,，;；]\s*", line):
            match = BYLINE.match(normalize(part))
            if not match:
                continue
            start = len(part) - len(match.group(2))
            value = part[start:].strip()
            role = match.group(1)
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if role == "作者" and re.fullmatch(r"[\u4e00-\u9fff]{2,4}", following):
                value = f"{value}、{following}"  # a co-author on the next line
            found.setdefault(role, value)
    return found


def _title(cleaned: str, hint: str | None) -> str:
    """The page's own heading when it has one, else the first line of the body.

    Cleaning keeps the `核心提示` summary as the body's first line, so it becomes the title.
    """
    if hint:
        return _shorten(hint)
    first = next((line for line in cleaned.splitlines() if line.strip()), "")
    return _shorten(first)


def _shorten(line: str) -> str:
    line = line.strip()
    if len(line) <= TITLE_MAX_CHARS:
        return line
    first = _SENTENCE_END.split(line, maxsplit=1)[0]
    return first if len(first) <= TITLE_MAX_CHARS else first[: TITLE_MAX_CHARS - 1] + "…"


def _outlet(text: str, credits: dict[str, str]) -> str | None:
    """Credited outlet, else `本文来自X`, a closing `(X网)`, the hosting platform, the © site."""
    for role in ("出品", "文", "来源"):
        if role in credits:
            return credits[role]
    lines = [line for line in text.splitlines() if line.strip()]
    tail = "\n".join(lines[-3:])
    searches = ((_FROM_OUTLET, text), (_OUTLET_IN_PARENS, tail), (_PLATFORM, text), (_COPYRIGHT_SITE, text))
    for pattern, haystack in searches:
        # match on the Simplified form, report the original characters (t2s keeps lengths)
        simplified = to_simplified(haystack)
        match = pattern.search(simplified)
        if match:
            start, end = match.span(1)
            same_length = len(simplified) == len(haystack)
            return (haystack[start:end] if same_length else match.group(1)).strip()
    return None


def extract_metadata(repaired: str, cleaned: str, title_hint: str | None = None,
                     url_hint: str | None = None) -> ArticleMeta:
    """Metadata from the repaired text (credits and footers still stand) and the cleaned body."""
    credits = _bylines(repaired.splitlines())
    url_match = _URL.search(repaired)
    return ArticleMeta(
        title=_title(cleaned, title_hint),
        outlet=_outlet(repaired, credits),
        author=credits.get("作者"),
        url=url_hint or (url_match.group(0) if url_match else None),
        script=detect_script(cleaned or repaired),
    )
