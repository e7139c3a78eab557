"""Script-aware text normalisation: Traditional/Simplified conversion, NFKC, script detection."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import opencc

from assistant.types import Script

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WHITESPACE = re.compile(r"\s+")
_lock = threading.Lock()


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _convert(config: str, text: str) -> str:
    with _lock:  # OpenCC converters are not documented as thread-safe
        return str(_converter(config).convert(text))


def to_simplified(text: str) -> str:
    return _convert("t2s", text)


def to_traditional(text: str) -> str:
    return _convert("s2t", text)


def normalize(text: str) -> str:
    """The search form of a text: NFKC, Traditional → Simplified, lower case, spaces folded."""
    folded = unicodedata.normalize("NFKC", text)
    return _WHITESPACE.sub(" ", to_simplified(folded).lower()).strip()


def search_form(text: str) -> str:
    """The form the lexical index and queries are matched in: `normalize`, with Taiwan and Hong
    Kong usage brought to mainland words (`奈米` → `纳米`, `軟體` → `软件`, `記憶體` → `内存`,
    `計程車` → `出租车`). OpenCC's phrase-level `tw2sp` runs on the Traditional form of every text,
    Simplified ones included, so that both sides of a match go through the same mapping (it also
    folds a few mainland synonyms, e.g. `核心` into `内核`: harmless for matching, and never shown)."""
    folded = unicodedata.normalize("NFKC", text)
    mainland = _convert("tw2sp", _convert("s2t", folded))
    return _WHITESPACE.sub(" ", mainland.lower()).strip()


def normalize_for_match(text: str) -> str:
    """The eval contract's matching form: `normalize` with all white space removed."""
    return _WHITESPACE.sub("", normalize(text))


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def is_latin(text: str) -> bool:
    """Whether a text is Latin-script (no meaningful Chinese content): `detect_script`'s Latn."""
    cjk = cjk_count(text)
    return cjk == 0 or sum(1 for ch in text if ch.isascii() and ch.isalpha()) > 3 * cjk


def detect_script(text: str) -> Script:
    """Hans, Hant, or Latn (no meaningful Chinese content)."""
    if is_latin(text):
        return "Latn"
    han = "".join(_CJK.findall(text))
    traditional_only = sum(a != b for a, b in zip(han, to_simplified(han), strict=False))
    simplified_only = sum(a != b for a, b in zip(han, to_traditional(han), strict=False))
    return "Hant" if traditional_only > simplified_only else "Hans"


def to_script(text: str, script: Script) -> str:
    """Convert Chinese text into the given script (Latin text is left alone)."""
    if script == "Hant":
        return to_traditional(text)
    if script == "Hans":
        return to_simplified(text)
    return text


def quote_for(text: str, script: Script) -> str:
    """A quote for a reader of `script`: Traditional text becomes Simplified for a Simplified
    reader; anything else stays as written. Simplified → Traditional is one-to-many and OpenCC
    guesses (it turns the 郁 of a Taiwanese name into 鬱, even in text that is Traditional
    already), so a quote is never converted that way."""
    if script == "Hans" and detect_script(text) == "Hant":
        return to_simplified(text)
    return text
