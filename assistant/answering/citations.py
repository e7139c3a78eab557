"""Citation markers in model output: parse `[1]`, `[1][2]`, `[1,2]`, `【1】`; drop invalid ones."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARKER = re.compile(r"[\[【［]\s*(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*[\]】］]")
_CLAIM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{6,}")


@dataclass
class ParsedCitations:
    text: str  # markers rewritten as [n][m]; invalid ones removed
    cited: list[int] = field(default_factory=list)  # valid passage numbers in order of first use
    invalid: int = 0  # markers that pointed at no passage


def parse_citations(text: str, passage_count: int) -> ParsedCitations:
    """Normalise citation markers; keep those within 1..passage_count."""
    result = ParsedCitations(text="")

    def rewrite(match: re.Match[str]) -> str:
        numbers = [int(n) for n in re.split(r"\s*[,，、]\s*", match.group(1))]
        kept = []
        for number in numbers:
            if 1 <= number <= passage_count:
                kept.append(number)
                if number not in result.cited:
                    result.cited.append(number)
            else:
                result.invalid += 1
        return "".join(f"[{n}]" for n in kept)

    result.text = re.sub(r"[ \t]+([。，！？.,!?])", r"\1", _MARKER.sub(rewrite, text)).strip()
    return result


def has_uncited_claims(parsed: ParsedCitations) -> bool:
    """An answer that states something (a run of words) yet cites no valid passage."""
    return not parsed.cited and bool(_CLAIM.search(parsed.text))


_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "［": "〔", "］": "〕"})


_ROLE_LINE = re.compile(
    r"^(\s*)(?=(?:system|assistant|user|human|developer|instruction|系统|助手|用户)\s*[:：]|question\s*\(|note\s*:)",
    re.IGNORECASE | re.MULTILINE)
_DELIMITER = re.compile(r"</?\s*passages\s*>", re.IGNORECASE)


def neutralise(text: str) -> str:
    """Quoted article text must not imitate the prompt's structure: citation brackets become
    〔 〕 (never parsed as markers), passage delimiters are defused, chat special tokens broken
    up, and lines that pose as a role or as the prompt's own lines (`system:`, `Question (…):`)
    are marked as quoted with `» `."""
    text = text.translate(_BRACKETS).replace("<|", "‹|").replace("|>", "|›")
    text = _DELIMITER.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)
    return _ROLE_LINE.sub(r"\1» ", text)
