"""Credit lines of news articles in the three scripts: who wrote it, where it comes from, who
edited it, when it was published.

    作者 | 张力        作者丨文雨        文 | 市值观察,作者丨文雨      文／王小明
    来源：新华社        來源：中央社      2025-01-16 20:30 来源：星海体育网 作者：李明远
    記者陳怡君／台北報導    〔記者陳怡君／台北報導〕正文……    本报记者 王小明
    By Jane Smith       BY JANE SMITH AND JOHN DOE
    责任编辑：王芳      發布時間：2024/8/11 08:30

Labels are matched on the Simplified, lower-case form of a line, so one rule covers both
scripts; values are reported in the article's own characters. These are conventions of the
languages, not knowledge of particular outlets or people.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from assistant.text.dates import dateline_date, find_dates
from assistant.text.normalize import to_simplified

# label (Simplified, lower case) → role
_LABELS = {
    "作者": "author", "撰文": "author", "撰稿": "author", "采写": "author", "文/图": "author",
    "文、图": "author", "图文": "author", "文图": "author", "文": "text", "记者": "author",
    "出品": "producer", "来源": "outlet", "稿源": "outlet",
    "编辑": "editor", "责编": "editor", "责任编辑": "editor", "主编": "editor", "编审": "editor",
    "审核": "editor", "审校": "editor", "校对": "editor", "监制": "editor", "策划": "editor",
    "头图": "image", "题图": "image", "图": "image", "摄影": "image", "摄": "image", "视频": "image",
    "设计": "image", "排版": "image",
    "发布时间": "time", "发布日期": "time", "发表时间": "time", "更新时间": "time", "时间": "time",
    "日期": "time", "发布于": "time",
}
_LABEL = "|".join(re.escape(label) for label in sorted(_LABELS, key=len, reverse=True))
# A label opens the line or follows a separator, and is followed by one (`|`, `丨`, `:`, `/`).
_MARKER = re.compile(rf"(?:^|(?<=[\s,;|丨]))(?:本报|本台|本刊|本网)?({_LABEL})\s*[|丨:/]\s*")
# 记者 may stand without a separator: `记者陈怡君/台北报导`, `本报记者 王小明`.
_NAME = r"[\u4e00-\u9fff·]{2,4}?"
_NAMES = rf"{_NAME}(?:\s*[、,]\s*{_NAME}|\s+{_NAME})*"
_REPORTER_END = r"(?=\s*(?:/|$|报道|报导|摄|[)\]〕】]))"
_REPORTED = r"(?:\s*/\s*\S{1,8}?报[道导]|\s*报[道导]|\s*摄)?"  # `/台北报导`, `报道`, `摄`
_REPORTER = re.compile(rf"^(?:本报|本台|本刊|本网)?记者\s*({_NAMES}){_REPORTER_END}{_REPORTED}")
_BRACKETED_REPORTER = re.compile(
    rf"[(\[〔【]\s*(?:本报|本台|本刊|本网)?记者\s*({_NAMES}){_REPORTER_END}[^)\]〕】]{{0,12}}[)\]〕】]")
_LEADING_DATE = re.compile(r"^[\d\s年月日号:/.\-]+")
_TRIM = " \t,;|丨、"
# English: `By Jane Smith`, `BY JANE SMITH AND JOHN DOE`, `By Jane Smith, Staff Writer`.
_EN_NAME = r"[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*){1,3}"
_EN_NAMES = rf"{_EN_NAME}(?:(?:\s*,\s*{_EN_NAME})*,?\s+(?:and|AND|&)\s+{_EN_NAME})?"
_EN_BYLINE = re.compile(rf"^(?:By|BY|by)\s+({_EN_NAMES})\s*(?:[,|–—-]\s*(.{{0,40}}))?$")
MAX_CREDIT_CHARS = 100
TOP_LINES, BOTTOM_LINES = 8, 3


@dataclass(frozen=True)
class Credits:
    author: str | None = None
    outlet: str | None = None
    editor: str | None = None
    published: date | None = None


def _fold(line: str) -> tuple[str, str]:
    """(the line in NFKC, its Simplified lower-case form) — of equal length when possible, so a
    span found in the second reads the article's own characters from the first."""
    original = unicodedata.normalize("NFKC", line).strip()
    folded = to_simplified(original).lower()
    return (original if len(original) == len(folded) else folded), folded


def parse_credit_line(line: str) -> dict[str, str] | None:
    """{role: value} of a credit line (roles: author, text, producer, outlet, editor, image, time), or
    None when the line is article text."""
    original, folded = _fold(line)
    if not folded or len(folded) > MAX_CREDIT_CHARS:
        return None
    english = _EN_BYLINE.match(original)
    if english:
        return {"author": english.group(1).strip()}
    lead = _LEADING_DATE.match(folded)
    offset = lead.end() if lead and find_dates(folded[:lead.end()]) else 0
    reporter = _REPORTER.match(folded, offset)
    if reporter:
        found = {"author": original[reporter.start(1):reporter.end(1)]}
        rest = folded[reporter.end():].strip(_TRIM)
        if not rest:
            return found
        more = parse_credit_line(original[reporter.end():])
        return {**found, **more} if more else None
    markers = list(_MARKER.finditer(folded, offset))
    if not markers or markers[0].start() != offset:
        return None
    found = {}
    if offset:
        found["time"] = original[:offset].strip()
    for marker, following in zip(markers, [*markers[1:], None], strict=True):
        end = following.start() if following else len(folded)
        value = original[marker.end():end].strip(_TRIM)
        role = _LABELS[marker.group(1)]
        if role in ("author", "text") and to_simplified(value).startswith("记者"):
            value = value[2:].strip()
        if not value:
            continue
        found.setdefault(role, value)
    return found or None


def is_credit_line(line: str) -> bool:
    return parse_credit_line(line) is not None


def _is_name(line: str) -> bool:
    """A bare 2–4 character name (a co-author on the line after `作者 |張力`)."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", line.strip()))


def author_of(value: str | None) -> str | None:
    """A credited name from a metadata field (`作者：李明远`, `By Jane Smith`), or None when the
    field holds something else (a date, a label, a long phrase)."""
    if not value:
        return None
    text = " ".join(value.split())
    parsed = parse_credit_line(text)
    if parsed is not None:
        text = parsed.get("author") or parsed.get("text") or ""
    if not text or len(text) > 60 or re.search(r"\d|[:：]|https?:|@", text):
        return None
    return text


def read_credits(lines: list[str], today: date | None = None) -> Credits:
    """The credits of an article from its first and last lines (where bylines and datelines
    stand). `文` names the writer, unless the article also credits an author (`文 | 市值观察,
    作者丨文雨`): then it names the outlet."""
    kept = [line for line in lines if line.strip()]
    ends = kept[:TOP_LINES] + kept[TOP_LINES:][-BOTTOM_LINES:]
    roles: dict[str, str] = {}
    published: date | None = None
    for index, line in enumerate(ends):
        parsed = parse_credit_line(line) or _bracketed(line)
        if parsed is None:
            published = published or dateline_date(line, today)
            continue
        following = ends[index + 1] if index + 1 < len(ends) else ""
        if "author" in parsed and "author" not in roles and _is_name(following):
            parsed = {**parsed, "author": f"{parsed['author']}、{following.strip()}"}
        for role, value in parsed.items():
            roles.setdefault(role, value)
        if "time" in parsed:
            published = published or next((f.day for f in find_dates(parsed["time"], today)), None)
    author: str | None = roles.get("author") or roles.get("text")
    outlet_by_text = roles.get("text") if "author" in roles else None
    outlet = roles.get("producer") or outlet_by_text or roles.get("outlet")
    return Credits(author=author, outlet=outlet, editor=roles.get("editor"), published=published)


def _bracketed(line: str) -> dict[str, str] | None:
    """A reporter credit in brackets at the head of a paragraph: `〔記者陳怡君／台北報導〕…`."""
    original, folded = _fold(line[:60])
    match = _BRACKETED_REPORTER.search(folded)
    if not match or match.start() > 20:
        return None
    return {"author": original[match.start(1):match.end(1)]}
