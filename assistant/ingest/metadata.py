"""Article metadata: title, outlet, author, URL, publication date, script.

Each field comes from the best source that has it:

- title: the page's own headline (HTML, Markdown heading), else the body's first line, or its
  first sentence when the line is a paragraph. Stored whole; `display_title` shortens it where
  it is shown.
- outlet: a credit (`出品 | …`, `文 | …` beside an author credit, `来源：…`), else the page's
  site name, `本文来自X`, a closing `(X网)`, the hosting platform, the © site, the URL's host.
- author: the page's metadata, else a byline (`作者 | …`, `記者…／台北報導`, `By …`).
- published: the page's metadata (htmldate), else a dateline or credit date among the first and
  last lines, else a date in the article's URL, else the first complete date in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlparse

from assistant.ingest.credits import read_credits
from assistant.text.dates import find_dates, first_date
from assistant.text.normalize import detect_script, to_simplified
from assistant.types import Script, from_iso

_URL = re.compile(r"https?://[^\s\"'<>，。）)]+")
_URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:[/-](\d{1,2})[/-](\d{1,2})|(\d{2})(\d{2}))(?!\d)")
_OUTLET_IN_PARENS = re.compile(r"[（(]([^()（）]{2,12}(?:网|網|社|报|報|杂志|雜誌|日报|日報|新闻|新聞))[）)]\s*$")
_FROM_OUTLET = re.compile(r"本文(?:来自|來自)([^,，:：\s]{2,12}?)(?:[,，]|原文|$)")
_PLATFORM = re.compile(r"自媒体平台[“\"「]([^”\"」]{2,12})[”\"」]")
_COPYRIGHT_SITE = re.compile(r"©\s*\d{4}\s+((?:www\.)?[a-z0-9.-]+\.[a-z]{2,})", re.I)
_SENTENCE = re.compile(r".+?(?:[。！？!?]+[”\"』」）)]*|[.](?=\s+[A-Z\"“])|$)", re.S)
_CLAUSE_END = re.compile(r"[,，;；、:：]")

TITLE_MAX_CHARS = 200  # a derived title (a lede sentence, not a headline) is cut at a clause here
DISPLAY_TITLE_CHARS = 60


@dataclass(frozen=True)
class ArticleMeta:
    title: str
    outlet: str | None
    author: str | None
    url: str | None
    script: Script
    published: date | None = None


def _title(cleaned: str, hint: str | None) -> str:
    """The page's own heading when it has one, else the first line of the body, or that line's
    first sentence when the line holds several (a lede, not a headline).

    Cleaning keeps the `核心提示` summary as the body's first line, so it becomes the title.
    """
    if hint and hint.strip():
        return " ".join(hint.split())
    first = next((line.strip() for line in cleaned.splitlines() if line.strip()), "")
    sentence = first_sentence(first)
    if len(sentence) <= TITLE_MAX_CHARS:
        return sentence
    cut = sentence[:TITLE_MAX_CHARS]
    clause = max((m.start() for m in _CLAUSE_END.finditer(cut)), default=0)
    return (cut[:clause] if clause > TITLE_MAX_CHARS // 2 else cut[:-1]) + "…"


def first_sentence(text: str) -> str:
    match = _SENTENCE.match(text.strip())
    return match.group(0).strip() if match else text.strip()


def display_title(title: str, limit: int = DISPLAY_TITLE_CHARS) -> str:
    """A stored title shortened for a one-line display: its first sentence, or cut with `…`."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    sentence = first_sentence(title)
    return sentence if len(sentence) <= limit else title[: limit - 1].rstrip() + "…"


def _outlet_in_text(text: str) -> str | None:
    """`本文来自X`, a closing `(X网)`, the hosting platform, the © site."""
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


def _host(url: str | None) -> str | None:
    host = urlparse(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def url_date(url: str | None, today: date | None = None) -> date | None:
    """A date in a URL's path (`/2025/01/16/…`, `/20250116/…`, `2025-01-16`)."""
    if not url:
        return None
    for match in _URL_DATE.finditer(urlparse(url).path):
        year, month, day = match.group(1), match.group(2) or match.group(4), match.group(3) or match.group(5)
        found = find_dates(f"{year}-{int(month)}-{int(day)}", today)
        if found:
            return found[0].day
    return None


def extract_metadata(repaired: str, cleaned: str, title_hint: str | None = None,
                     url_hint: str | None = None, *, author_hint: str | None = None,
                     outlet_hint: str | None = None, published_hint: str | None = None,
                     today: date | None = None) -> ArticleMeta:
    """Metadata from the repaired text (credits and footers still stand), the cleaned body and
    what the page's own metadata said (the hints)."""
    credits = read_credits(repaired.splitlines(), today)
    url_match = _URL.search(repaired)
    url = url_hint or (url_match.group(0) if url_match else None)
    published = (from_iso(published_hint) or credits.published or url_date(url, today)
                 or first_date(cleaned, today))
    return ArticleMeta(
        title=_title(cleaned, title_hint),
        outlet=credits.outlet or outlet_hint or _outlet_in_text(repaired) or _host(url),
        author=author_hint or credits.author,
        url=url,
        script=detect_script(cleaned or repaired),
        published=published,
    )
