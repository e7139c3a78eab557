"""The per-sentence signals the judge reads: names present or swapped, the answer type, what
the question asks of its names, the clause a figure belongs to. Language knowledge only (jieba's
name tags, clause punctuation, English time words); nothing about any collection's subject."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from assistant.answering.question import YEAR_ASKED, Asked, kind_fits
from assistant.answering.weights import TermWeights, contains
from assistant.text.conjunctions import joins
from assistant.text.figures import DATE, MONTH_NAMES, Figure, is_unit, year_spans, years
from assistant.text.normalize import detect_script, search_form
from assistant.text.segment import CJK_RUN, LATIN_WORD, Segmenter, Token, is_code, serial_names, serial_stem

_EN_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+)*")
_EN_TIME = re.compile(r"\b(?:19|20)\d{2}\b|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
                      r"today|tomorrow|last (?:week|month|year)|next (?:week|month|year))\b", re.IGNORECASE)
# a time word that places something in the calendar (`今年`, `上周`, `3月`, `年底`), not one that
# only orders events (`未来`, `目前`, `此前`, `当时`): language knowledge
_CALENDAR = re.compile(r"[今去明前后本上下]一?(?:个)?[年月周天日]|[昨今明前后]天|[年月][初底末]|年中|"
                       r"[上下]半年|季度|[上下]旬|上午|下午|中午|凌晨|晚间|傍晚|"
                       r"星期[一二三四五六日天]|周[一二三四五六日末]|春节|国庆|元旦|圣诞")
_DIGIT = re.compile(r"[0-9零〇一二两三四五六七八九十]")
_QUESTION_END = re.compile(r"[？?]")
_YEAR_WORD = re.compile(r"[今去明前后]年")
_ANSWER_KIND = {"person": "person", "place": "place", "organisation": "name"}
_KINDS = {"nr": "person", "nrfg": "person", "nrt": "person", "ns": "place", "nt": "name", "nz": "name"}


def absent(normalized: str, idf: dict[str, float], total: float, weights: TermWeights,
            names: frozenset[str]) -> float:
    """IDF share of the most informative question term (not a name) that the collection uses
    but the sentence does not: a near miss asks for something the articles do say, of
    something else. A term the collection never uses is a paraphrase's word, not counted here."""
    words = set(LATIN_WORD.findall(normalized))
    return max((v / total for t, v in idf.items()
                if t not in names and weights.known(t) and not contains(normalized, t, words)), default=0.0)


_LETTERS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[a-z]{2}")
_DATELINE_WORDS = re.compile(r"[年月日号時时分秒]|星期[一二三四五六日天]|周[一二三四五六日]|"
                             r"\b(?:am|pm|gmt|utc|edt|est|bst)\b")
# words that name a thing only to compare with it (language knowledge): a year so named
# (`低于2020年的74.9%`, or counted from: `自1996年…以来`, `up from 2019`) is not what a sentence is
# about, nor a model so named (`相比h100`) another thing it gives a figure of
_MONTH_NAMES = "(?:" + "|".join(MONTH_NAMES) + ")"
_COMPARING = r"比|较|相比|相较|不如|超过|\bthan|\bcompared (?:with|to)|\bversus|\bvs\.?"
_COMPARED_BEFORE = re.compile(rf"(?:自|从|低于|高于|同比|不及|少于|多于|\bfrom|{_COMPARING})\s?"
                              rf"(?:{_MONTH_NAMES}\s)?$")
_COMPARED_CODE = re.compile(rf"(?:相对|对比|{_COMPARING})\s?(?:于|起|the\s)?\s?([a-z0-9]*\d[a-z0-9]*)")
_COMPARED_AFTER = re.compile(r"^\s?(?:的水平|以前|之前|相比|同期)")


# a year in a `since …` clause (`since March 2020`, `its best result since the party was founded
# in 1988`, `自1988年建党以来`) is where a comparison starts, not the time of the report
_SINCE_CLAUSE = re.compile(r"\bsince\b[^,.;:!?，。；：]{0,40}$")
_SINCE_AFTER = re.compile(r"^[^，,。；;]{0,8}以来")


def stated_years(normalized: str) -> set[str]:
    """The years a text says something of: those it names only to compare with are left out."""
    stated: set[str] = set()
    for found, start, end in year_spans(normalized):
        if not (_COMPARED_BEFORE.search(normalized[max(0, start - 16):start])
                or _COMPARED_AFTER.search(normalized[end:end + 4])
                or _SINCE_CLAUSE.search(normalized[max(0, start - 48):start])
                or _SINCE_AFTER.search(normalized[end:end + 10])):
            stated |= found
    return stated


def lead_years(normalized: str) -> set[str]:
    """The years of a text's first sentence (or line) that states any: a report's own time."""
    for sentence in _SENTENCE_OR_LINE.split(normalized):
        found = stated_years(sentence)
        if found:
            return found
    return set()


_SENTENCE_OR_LINE = re.compile(r"[。！？!?\n]|\.\s")


_CLOCK = re.compile(r"\b\d{1,2}[:：]\d{2}\b")
_DATELINE_NAME = 4  # words (or twice as many Han characters) of an outlet or place beside a dateline's date and time


def wordless(normalized: str) -> bool:
    """A line of figures and punctuation only, or of a date and time (a dateline `2025-08-24
    09:10`, `2024年10月8日 19:45`), perhaps with its outlet or place (`Westminster Review, 5 July
    2024, 2:40 pm`): it says nothing of anything, in any language."""
    bare = _DATELINE_WORDS.sub(" ", normalized)
    if not _LETTERS.search(bare):
        return True
    if not (_CLOCK.search(normalized) and DATE.search(normalized)):
        return False
    rest = _DATELINE_WORDS.sub(" ", DATE.sub(" ", _CLOCK.sub(" ", normalized)))
    rest = re.sub(rf"\b{_MONTH_NAMES}\b|\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*day\b", " ", rest)
    latin = re.findall(r"[a-z]{2,}", rest)
    han = sum(map(len, CJK_RUN.findall(rest)))
    return len(latin) + han / 2 <= _DATELINE_NAME


def language(normalized: str) -> str:
    return "Latn" if detect_script(normalized) == "Latn" else "Hani"


def names_present(asked: Asked, context: str) -> bool:
    """The text holds the question's names, or at least half of them when the question joins
    several (`A和B分别…` is answered from two passages) or when those missing are words learned
    from the corpus (`营收`: as often a term as a name). A Chinese name cannot be checked in an English
    text, so only names that could appear in the text's script count."""
    latin = language(context) == "Latn"
    words = set(LATIN_WORD.findall(context))
    checkable = [n for n in asked.names if not latin or LATIN_WORD.fullmatch(n)]
    present = {name for name in checkable if contains(context, name, words)}
    if 2 * len(present) >= len(checkable) and (
            joins(asked.text) or not {n for n in checkable if n not in asked.learned} - present):
        return True
    # a question of two parts (`A的X是多少？B的Y呢？`) is answered part by part: a text that holds
    # every name of one part serves that part
    # (a conjunct that names nothing jieba tags is served by a text holding its subject)
    present |= {s for s in asked.subjects if contains(context, s, words)}
    groups = [{n for n in [*checkable, *asked.subjects] if n in part} for part in asked.parts]
    groups += [{n for n in checkable if n in sentence} for sentence in _QUESTION_END.split(asked.text)]
    return any(group and group <= present for group in groups)


def name_kinds(tokens: Sequence[Token]) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = {}
    for token in tokens:
        kind = _KINDS.get(token.tag)
        if kind and len(token.word) > 1:
            kinds.setdefault(kind, set()).add(token.word)
        elif token.tag == "eng" and any(ch.isdigit() for ch in token.word) and any(ch.isalpha() for ch in token.word):
            kinds.setdefault("code", set()).add(token.word)
    return kinds


def swapped(asked: Asked, normalized: str, tokens: Sequence[Token], cross: bool, segmenter: Segmenter) -> bool:
    """The sentence names another thing of a kind the question names in place of the question's:
    another model number (in any language: codes are written alike in every script), or, in the
    question's language, another name of the kind of one it lacks — when it holds none of the
    question's names, or holds some but not a name of that kind (`英伟达…h20` for `腾讯…h20`)."""
    if not asked.names:
        return False
    words = set(LATIN_WORD.findall(normalized))
    if code_swapped(asked, normalized, words):
        return True
    if cross:
        return False
    if serial_swapped(asked, normalized):
        return True
    held = {name for name in asked.names | asked.subjects if contains(normalized, name, words)}
    if not held:
        return _other_of_same_kind(asked, name_kinds(tokens), segmenter)
    # a question joining names (`A和B`) or in parts is answered part by part: a sentence about one
    # of them need not name the others
    if joins(asked.text) or asked.parts:
        return False
    lacking = frozenset(n for n in asked.names - held if n not in asked.learned and not LATIN_WORD.fullmatch(n))
    return bool(lacking) and _other_of_same_kind(asked, name_kinds(tokens), segmenter, names=lacking)


def codes(words: set[str] | frozenset[str]) -> set[str]:
    """The model numbers and codes among Latin words (`h20`, `910c`, `fp16`); a number with a
    unit (`96gb`, `4tb`) is a measurement, not a code."""
    return {w for w in words if is_code(w) and not is_unit(w.lstrip("0123456789.").strip())}


def code_swapped(asked: Asked, normalized: str, words: set[str]) -> bool:
    """A code the question names (`b30`) is missing and the text names another code instead
    (`h20`): a model number names exactly one thing, so a figure of another is not the answer
    even where the text shares the question's other names (`fp16`). A code named only to
    compare with (`相比h100`, `than the h100`) does not count."""
    asked_codes = codes(asked.names)
    if not asked_codes or asked_codes <= words:
        return False
    compared = {m.group(1) for m in _COMPARED_CODE.finditer(normalized)}
    return bool(codes(words) - asked_codes - compared)


def serial_swapped(asked: Asked, normalized: str) -> bool:
    """A numbered designation the question names (`嫦娥七号`) is missing and the text names
    another of the same series instead (`嫦娥五号`): like a model number, it names one thing."""
    asked_serials = {name: serial_stem(name) for name in asked.names}
    missing = {stem for name, stem in asked_serials.items() if stem and name not in normalized}
    return bool(missing) and any(serial_stem(other) in missing for other in serial_names(normalized)
                                 if other not in asked_serials)


def _other_of_same_kind(asked: Asked, kinds: dict[str, set[str]], segmenter: Segmenter,
                        names: frozenset[str] | None = None) -> bool:
    """The text names something of the kind of one of `names` (by default all the question's),
    that is none of the question's names (`中国` is one with `中国队`: a name inside another is
    the same thing)."""
    for kind, found in kinds.items():
        if kind == _ANSWER_KIND.get(asked.answer_type):
            continue  # `谁`: another person in the sentence is the answer, not a swap
        asked_of_kind = {n for n in (asked.names if names is None else names) if _kind_of(n, segmenter) == kind}
        others = {n for n in found if not any(same_thing(n, a) for a in asked.names)}
        if asked_of_kind and others:
            return True
    return False


def same_thing(name: str, other: str) -> bool:
    """Whether two names may name one thing: one inside the other (`比亚迪`, `比亚迪股份有限公司`),
    or two Chinese names that begin alike (`中国队`, `中国体育代表团`). Lenient on purpose: a
    name taken for another one refuses an answerable question."""
    if name in other or other in name:
        return True
    return len(name) >= 3 and len(other) >= 3 and name[:2] == other[:2] and not name[:2].isascii()


def _kind_of(name: str, segmenter: Segmenter) -> str:
    if LATIN_WORD.fullmatch(name):
        return "code"
    tags = [t.tag for t in segmenter.tagged(name)]
    return _KINDS.get(tags[0], "name") if len(tags) == 1 else "name"


def typed(asked: Asked, original: str, normalized: str, tokens: Sequence[Token], figures: Sequence[Figure],
           segmenter: Segmenter, cross: bool) -> bool:
    """Whether the sentence holds an answer of the kind the question asks for (across languages
    only the kind of figure can be checked: names and words are in the other language)."""
    kind = asked.answer_type
    if kind == "any":
        return True
    if kind == "quantity":
        # a question naming the kind of figure (`多少GB`, `几成`) needs one of that kind
        amounts = [f for f in figures if f.kind != "date" and kind_fits(asked.kinds, f.kind, cross)]
        if cross:
            return bool(amounts)
        return any(_clause_fits(asked, normalized, f.start, segmenter) for f in amounts)
    if kind == "time":
        if YEAR_ASKED in asked.kinds:  # `哪一年`, `what year`: a year, or a word naming one (`去年`)
            return bool(years(normalized) - asked.years) or any(
                t.tag == "t" and _YEAR_WORD.search(t.word) for t in tokens)
        return (any(f.kind == "date" for f in figures) or bool(years(normalized) - asked.years)
                or bool(_CALENDAR.search(normalized)) or any(t.tag == "t" and _DIGIT.search(t.word) for t in tokens)
                or bool(_EN_TIME.search(original)) or bool(DATE.search(normalized)))
    # person, place, organisation: a name the question does not already hold
    if language(normalized) == "Latn":
        return any(search_form(m.group(0)) not in asked.text for m in _EN_PROPER.finditer(original))
    # a place does not answer who (`北京` for `谁投了反对票`); jieba's other name tags do (people
    # and organisations are tagged loosely, each as the other)
    return any(t.is_name and t.word not in asked.names and len(t.word) > 1
               and not (kind == "person" and t.tag == "ns") for t in tokens)


_CLAUSE_BREAK = re.compile(r"[，,；;：:（）()]")
_DIGITS_OR_LATIN = re.compile(r"[0-9a-z.\-%]")
# a number with its unit or measure word (`12年`, `3个月`, `4万亿`): its characters count the number,
# they say nothing of what is asked (`年` of `12年后` is no evidence for `年薪`)
_COUNTED = re.compile(r"[0-9.]+\s*(?:个|多)?[年月日号时分秒周天万亿千百]+")


def _clause_fits(asked: Asked, normalized: str, at: int, segmenter: Segmenter) -> bool:
    """Whether the figure at `at` is about what the question names: from the nearest clause at
    or before it that names something (the figure's subject) to its own clause, no other thing
    of a kind the question names stands in place of the question's (an entity swap)."""
    bounds = [0] + [m.end() for m in _CLAUSE_BREAK.finditer(normalized)] + [len(normalized) + 1]
    clauses = [(bounds[i], bounds[i + 1] - 1) for i in range(len(bounds) - 1) if bounds[i] < bounds[i + 1]]
    index = next((i for i, (a, b) in enumerate(clauses) if a <= at <= b), len(clauses) - 1)
    subject = index
    while subject > 0 and not name_kinds(segmenter.tagged(normalized[clauses[subject][0]:clauses[subject][1]])):
        subject -= 1
    own = normalized[clauses[subject][0]:clauses[index][1]]
    if asked.names:
        words = set(LATIN_WORD.findall(own))
        if not any(contains(own, name, words) for name in asked.names) and _other_of_same_kind(
                asked, name_kinds(segmenter.tagged(own)), segmenter):
            return False
    return True


def focus_present(asked: Asked, normalized: str) -> set[str]:
    """The question's focus terms a sentence says something of (see `asks_of`). A character
    the sentence has only inside another of the question's terms is no evidence (the `天` of
    `今天` says nothing of `天气`)."""
    others = [t for t in asked.terms if t in normalized]
    found = set()
    for term in asked.focus:
        if term in normalized or any(term[i:i + 2] in normalized for i in range(len(term) - 1)):
            found.add(term)
        elif len(term) <= 2:
            rest = normalized
            for other in others:
                if other != term:
                    rest = rest.replace(other, " ")
            if set(term) & set(_DIGITS_OR_LATIN.sub("", _COUNTED.sub(" ", rest))):
                found.add(term)
    return found


def asks_of(asked: Asked, normalized: str) -> bool:
    """Whether a sentence says something of what the question asks (besides its names and
    years): one of the question's other terms, or for a short term a character of it
    (`单价` and `售价`), is in the sentence. A sentence about one company's deliveries does not
    say anything of its net profit."""
    return not asked.focus or bool(focus_present(asked, normalized))


def _is_agent(kind: str) -> bool:
    """Persons, organisations and codes; places are named in passing too often to say what a
    sentence is about (a clause about a final names its city and its teams' countries)."""
    return kind != "place"


class Subjects:
    """What the sentences of one passage are about (`off`): a sentence that names no person,
    organisation or code is about what the nearest clause before it names, found back through
    the passage and then the article title (`公司全年实现营业收入…` after another company's name).
    Each earlier sentence's clauses are read once, when a later sentence first needs them."""

    def __init__(self, asked: Asked, title: str, segmenter: Segmenter) -> None:
        self.asked = asked
        self.title = title
        self.segmenter = segmenter
        self.asked_kinds = {_kind_of(name, segmenter) for name in asked.names}
        self.checked = any(_is_agent(kind) for kind in self.asked_kinds)
        self._read = 0  # earlier sentences read so far
        self._nearest: float | None = None  # what the nearest naming clause read so far says
        self._of_title: float | None = None

    def off(self, normalized: str, tokens: Sequence[Token], earlier: Sequence[str]) -> float:
        """1 when the sentence (`tokens` its tags), after the passage's `earlier` sentences, names
        no person, organisation or code and the nearest clause before it that names one holds none
        of the question's names; the sentence's own names are for `swapped` and the clause checks."""
        if not self.checked or self._names_a_like(tokens) or _holds_a_name(self.asked, normalized):
            return 0.0
        answer_kind = _ANSWER_KIND.get(self.asked.answer_type)
        if answer_kind is not None and answer_kind != "place" and name_kinds(tokens).get(answer_kind):
            return 0.0  # asked who, a sentence naming a person names its own subject: the answer
        for text in reversed(earlier[self._read:]):  # the newest unread sentence that names something
            found = self._verdict(text)
            if found is not None:
                self._nearest = found
                break
        self._read = len(earlier)
        if self._nearest is not None:
            return self._nearest
        if self._of_title is None:
            self._of_title = self._verdict(self.title) or 0.0
        return self._of_title

    def _names_a_like(self, tokens: Sequence[Token]) -> bool:
        """Whether the sentence names an agent of a kind the question names (a person for a
        person): one of another kind (`上市公司` for `特斯拉`) leaves its subject to the passage."""
        return bool(_agents(tokens, self.asked_kinds))

    def _verdict(self, text: str) -> float | None:
        """0 when the last clause of `text` that names something holds a name of the question, 1
        when it names another person, organisation or code; None when no clause names one."""
        for clause in reversed(clauses(text)):
            if _holds_a_name(self.asked, clause):
                return 0.0
            others = {n for n in _agents(self.segmenter.tagged(clause), self.asked_kinds)
                      if not any(same_thing(n, a) for a in self.asked.names)}
            if others:
                return 1.0
        return None


def subject_off(asked: Asked, normalized: str, before: str, title: str, segmenter: Segmenter) -> float:
    """`Subjects.off` of one sentence, its passage's text `before` it given as one string."""
    return Subjects(asked, title, segmenter).off(normalized, segmenter.tagged(normalized), [before])


def _holds_a_name(asked: Asked, text: str) -> bool:
    words = set(LATIN_WORD.findall(text))
    return any(contains(text, name, words) for name in asked.names)


def _agents(tokens: Sequence[Token], kinds: Collection[str]) -> set[str]:
    """The persons, organisations and codes the tokens name, of the given kinds only."""
    return {n for kind, names in name_kinds(tokens).items() if _is_agent(kind) and kind in kinds for n in names}


def clauses(text: str) -> list[str]:
    """The clauses of a text: split at commas, semicolons, colons, brackets and sentence ends."""
    return [c for c in _CLAUSE_OR_SENTENCE.split(text) if c.strip()]


_CLAUSE_OR_SENTENCE = re.compile(r"[，,；;：:（）()。！？!?\n]")
