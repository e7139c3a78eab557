"""Calendar dates as news articles write them (`2025年1月16日`, `2024-08-11 08:30`, `2024/8/11`,
`11 August 2024`, `August 11, 2024`), and a day's two stored forms: ISO text for display and an
integer (`20250116`) that Chroma can compare in `$gte`/`$lte` filters.

Only complete dates count: `4月17日` or `2025年4月` name no day of a known year.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from assistant.errors import InvalidInputError

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"

# Each pattern names its parts; matched on the NFKC, lower-case form of the text.
_PATTERNS = [re.compile(p) for p in (
    r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]",
    r"(?:民国|民國)\s*(?P<roc>\d{1,3})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]",
    r"(?<![\d.])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d/-]|\.\d)",
    rf"(?<![\w])(?P<d>\d{{1,2}}){_ORDINAL}\s+(?P<mon>{_MONTH})\.?,?\s+(?P<y>\d{{4}})(?!\d)",
    rf"(?<![\w])(?P<mon>{_MONTH})\.?\s+(?P<d>\d{{1,2}}){_ORDINAL},?\s+(?P<y>\d{{4}})(?!\d)",
)]
_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?")
_WEEKDAY = re.compile(r"(?:星期|周|週|禮拜|礼拜)[一二三四五六日天]|(?:mon|tues|wednes|thurs|fri|satur|sun)day")
_CJK = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[a-z]+")
_SENTENCE_END = re.compile(r"[。！？.!?][”\"』」)）]*$")
EARLIEST = date(1900, 1, 1)
DATELINE_MAX_CHARS = 60


@dataclass(frozen=True)
class FoundDate:
    day: date
    start: int  # span in the NFKC, lower-case form of the text
    end: int


def fold(text: str) -> str:
    """The form dates are matched on (full-width digits and punctuation become ASCII)."""
    return unicodedata.normalize("NFKC", text).lower()


def find_dates(text: str, today: date | None = None) -> list[FoundDate]:
    """Every complete, valid date in `text` (none after `today`), in reading order."""
    folded = fold(text)
    latest = today or date.today()
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(folded):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            day = _day(match.groupdict())
            if day is not None and EARLIEST <= day <= latest:
                found.append(FoundDate(day, match.start(), match.end()))
                taken.append(match.span())
    return sorted(found, key=lambda f: f.start)


def first_date(text: str, today: date | None = None) -> date | None:
    dates = find_dates(text, today)
    return dates[0].day if dates else None


def dateline_date(line: str, today: date | None = None) -> date | None:
    """The date of a line that is no more than a date (with a time, a weekday, a label such as
    `发布时间` or `Published`): a dateline, not a sentence that mentions a date."""
    folded = fold(line).strip()
    if len(folded) > DATELINE_MAX_CHARS or _SENTENCE_END.search(folded):
        return None
    dates = find_dates(folded, today)
    if not dates:
        return None
    rest = folded
    for found in reversed(dates):
        rest = rest[:found.start] + " " + rest[found.end:]
    rest = _WEEKDAY.sub(" ", _TIME.sub(" ", rest))
    if len(_CJK.findall(rest)) > 8 or len(_WORD.findall(rest)) > 4:
        return None
    return dates[0].day


def _day(parts: dict[str, str | None]) -> date | None:
    try:
        year = int(str(parts["roc"])) + 1911 if parts.get("roc") else int(str(parts["y"]))
        month = _MONTHS[str(parts["mon"])] if parts.get("mon") else int(str(parts["m"]))
        return date(year, month, int(str(parts["d"])))
    except (ValueError, KeyError):
        return None


# --------------------------------------------------------------------------- stored forms

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: str, field: str) -> date:
    """A filter bound given by a user (`2024-01-01`); InvalidInputError naming `field` otherwise."""
    value = text.strip()
    if _ISO_DAY.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInputError(f"{field} must be a date written YYYY-MM-DD, not {text!r}", field=field)
