"""Cleaning of scraped article text: drop site boilerplate, repair what can be repaired.

Patterns are matched against the Simplified-normalised form of a line, so one
rule covers both scripts. Cleaning never rewrites a sentence it does not
understand: garbled bytes that cannot be mapped back stay as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from assistant.ingest.credits import is_credit_line
from assistant.text.normalize import normalize

# Whole lines that are site furniture, not article text (matched on normalised lines).
_DROP_LINE = [re.compile(p) for p in (
    r"^特别声明[:：]",
    r"^notice[:：]",
    r"^本文由网络整理",
    r"版权归.{0,6}所有|版权所有",
    r"^(分享|评论|收藏|点赞|转发|举报|打印|关闭|返回顶部|主题颜色|扫码用手机访问|观看记录|相关阅读|热门推荐)$",
    r"^(分享到?|转发到|share(?: this(?: article)?| on)?)\s*[:：]\s*\S.{0,40}$",  # a row of share buttons
    r"^共\s*\d*\s*条评论$",
    r"^(橘|绿|蓝|粉|红|金|黑|白|紫|灰|橙|黄)色$",
    r"^©|^\(c\)\s|e-mail[:：]|^email[:：]",
    r"^\S{0,10}配资提示[:：]",
    r"文章来自网络[，,]?\s*不代表本站观点",
    r"^本文来自.{0,30}原文链接",
    r"^[「『\[【]?核心提示[」』\]】]?$",
    # advertising: a line labelled as an ad, or the label alone
    r"^[【〔\[(（<]\s*(?:广告|推广|赞助|advertisement|sponsored|ad)\s*[】〕\])）>]",
    r"^(?:广告|推广|advertisement|sponsored(?: content)?)$",
    # disclaimers and reprint notices
    r"^(?:免责声明|免责条款|风险提示|disclaimer)\s*[:：]",
    r"^声明\s*[:：]\s*本(?:文|站|平台)",
    r"^※",
    r"未经(?:授权|许可|同意)[^。]{0,12}(?:转载|使用|复制)|转载请注明|经授权转载|不代表本(?:站|平台|网)(?:的)?(?:立场|观点)",
    r"\ball rights reserved\b",
)]

# A heading over a list of links to other articles (`相关阅读`, `延伸閱讀`, `Related reading:`):
# it and the headline-like lines under it are not the article (language knowledge of news pages)
_RELATED_HEADING = re.compile(
    r"^(?:相关阅读|延伸阅读|相关新闻|相关报道|相关文章|看更多相关新闻|更多相关新闻|推荐阅读|热门推荐|猜你喜欢|热门文章|"
    r"related(?: reading| articles?| stories| news| coverage| content)?|read more|more (?:on this|stories|news)|"
    r"you (?:may|might) also like|recommended(?: reading| for you)?)\s*[:：]?$")
_RELATED_ITEM_CHARS = 48  # a linked headline: short (in characters, or words of English), and no sentence
_RELATED_ITEM_WORDS = 14
_SENTENCE_END = re.compile(r"[。！？!?]|\.(?:\s|$)")

_BULLETS = " \t\u3000\xa0•·●◆■□▪►-*"
_LIST_MARKS = _BULLETS.strip() + "▶→・‧–—"  # what begins an item of a list of links

# Pinyin annotations left by a converter, e.g. `執(zhí)`: a Han character followed by
# a parenthesised syllable that carries a tone mark.
_PINYIN_ANNOTATION = re.compile(
    r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"
)

_PUNCT_REPAIRS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"[,，]{2,}"), lambda m: m.group(0)[0]),
    (re.compile(r"[,，]\s*(?=[。！？；、：!?;])"), ""),
    (re.compile(r"(?<=[。！？])[,，]"), ""),
]

# An ad token injected into sentences: two Han characters + 配资 followed by a comma,
# counted as an ad only when it recurs (a real word would not be pasted in repeatedly).
_AD_TOKEN = re.compile(r"[\u4e00-\u9fff]{2}配资(?=[,，。\s]|$)")


def ad_tokens(text: str) -> set[str]:
    """Tokens injected by ad networks: any `XX配资` that recurs in one article."""
    counts = Counter(_AD_TOKEN.findall(text))
    return {tok for tok, n in counts.items() if n >= 2}


def is_boilerplate_line(line: str) -> bool:
    norm = normalize(line.strip(_BULLETS))
    if not norm:
        return True
    if len(norm) <= 2 and not re.search(r"[\u4e00-\u9fff]{2}|\d", norm):
        return True  # stray bullets, widget glyphs
    return any(p.search(norm) for p in _DROP_LINE)


def is_byline(line: str) -> bool:
    """A credit line (`作者 | …`, `来源：…`, `記者…／台北報導`, `By …`, `责任编辑：…`): its content
    goes into metadata (`credits.py`), not into the body."""
    return is_credit_line(line)


def _is_coauthor(line: str) -> bool:
    """A bare 2–4 character name on the line after a byline (`作者 |張力` / `邢昀`)."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", line.strip()))


def repair_line(line: str, ads: set[str]) -> str:
    for token in ads:
        line = line.replace(token, "")
    line = _PINYIN_ANNOTATION.sub("", line)
    for pattern, replacement in _PUNCT_REPAIRS:
        line = pattern.sub(replacement, line)
    return re.sub(r"[ \t\u3000\xa0]{2,}", " ", line).strip()


def repair_text(text: str) -> str:
    """Every line kept, but with ad tokens removed and converter garble repaired."""
    ads = ad_tokens(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(repair_line(line, ads) for line in lines)


def is_related_heading(line: str) -> bool:
    return bool(_RELATED_HEADING.match(normalize(line.strip(_BULLETS))))


def is_related_item(line: str) -> bool:
    """A line of a related-links list: a bulleted line, or a short one that ends no sentence."""
    norm = normalize(line.strip())
    if not norm:
        return True
    if norm[0] in _LIST_MARKS:
        return len(norm) <= 2 * _RELATED_ITEM_CHARS
    short = len(norm.split()) <= _RELATED_ITEM_WORDS if norm.isascii() else len(norm) <= _RELATED_ITEM_CHARS
    return short and not _SENTENCE_END.search(norm)


def clean_text(text: str) -> str:
    """The readable body of an article: boilerplate lines dropped, ads removed, garble repaired."""
    kept: list[str] = []
    after_byline = False
    in_related = False
    for line in repair_text(text).split("\n"):
        if is_related_heading(line):
            in_related = True
            continue
        if in_related and is_related_item(line):
            continue
        in_related = False
        if is_byline(line):
            after_byline = True
            continue
        if after_byline and _is_coauthor(line):
            continue
        after_byline = False
        if is_boilerplate_line(line):
            continue
        if line and (not kept or kept[-1] != line):  # scraped pages often repeat the headline
            kept.append(line)
    return "\n".join(kept)
