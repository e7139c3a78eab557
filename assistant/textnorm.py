"""Script-aware text normalisation: Traditional/Simplified conversion, NFKC, script detection."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["Hans", "Hant", "Latn"]

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


def normalize_for_match(text: str) -> str:
    """The eval contract's matching form: `normalize` with all white space removed."""
    return _WHITESPACE.sub("", normalize(text))


def cjk_count(text: str) -> int:
    return len(_CJK.findall(text))


def detect_script(text: str) -> Script:
    """Hans, Hant, or Latn (no meaningful Chinese content)."""
    cjk = cjk_count(text)
    letters = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    if cjk == 0 or letters > 3 * cjk:
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
