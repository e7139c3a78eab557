"""What a question asks, read with language knowledge only: its answer type (from its question
word), its content terms, the names it mentions, and the years it is about.

- Answer type: `多少`/`几`/`how many` ask for a quantity, `谁`/`who` for a person, `哪里`/`where`
  for a place, `何时`/`什么时候`/`when` for a time, `哪家`/`which company` for an organisation;
  anything else (`什么`, `为什么`, `how`) asks for no particular type.
- Terms: jieba's words of the question (learned corpus words included), without question words,
  particles, pronouns and other function words (by part-of-speech tag) or English stop words.
- Names: the proper nouns jieba tags (people, places, organisations, learned corpus words) and
  codes that mix letters and digits (`h20`, `a350`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assistant.text.figures import Figure, find_figures, is_unit, months, years
from assistant.text.normalize import detect_script, search_form
from assistant.text.segment import CJK_RUN, LATIN_WORD, Segmenter, default_segmenter, is_code
from assistant.types import Script

AnswerType = Literal["quantity", "person", "place", "time", "organisation", "any"]

# question words → answer type, most specific first (normalised, Simplified text)
_ZH_TYPES: tuple[tuple[AnswerType, str], ...] = (
    ("time", r"什么时候|何时|哪一?天|哪一?年|哪个月|几月|几号|几点|什么时间|哪个时间|什么日子|多会儿|何年|何日|什么日期|哪一日"),
    ("organisation", r"哪一?家|哪个公司|哪间|什么公司|什么机构|哪个机构|哪个组织|什么组织|哪支(?:球队|队)|哪个(?:球队|俱乐部|政党|品牌|部门)"),
    ("place", r"哪里|哪儿|何处|何地|在哪|哪个(?:国家|城市|地区|省|州|地方|县|市)|哪座|哪国|哪些(?:国家|城市|地区)|什么地方"),
    ("person", r"谁|哪位|哪个人|什么人|哪名|哪些人"),
    ("quantity", r"多少|几(?!乎)|多大|多高|多长|多重|多远|多久|多快|百分之几|几成|比例|占比|比重|份额|增幅|涨幅|跌幅|多深|多宽"),
)
_EN_TYPES: tuple[tuple[AnswerType, str], ...] = (
    ("time", r"\bwhen\b|\bwhat (?:year|date|day|month|time)\b|\bwhich (?:year|date|day|month)\b|\bhow long ago\b"),
    ("organisation", r"\bwhich (?:company|firm|team|club|party|organi[sz]ation|agency|brand|group|bank|carmaker)\b"),
    ("place", r"\bwhere\b|\bwhich (?:country|city|region|state|province|place|town)\b|\bin what (?:country|city)\b"),
    ("person", r"\bwho\b|\bwhom\b|\bwhose\b|\bwhich (?:person|player|minister|official|coach|leader)\b"),
    ("quantity", r"\bhow (?:many|much|large|big|high|long|far|fast|old)\b|\b(?:price|cost|costs|priced|revenue|salary|"
                 r"turnout|population|percentage|attendance|capacity)\b|"
                 r"\bwhat (?:percentage|share|proportion|fraction|"
                 r"number|amount|price|rate)\b|\bwhat per ?cent\b"),
)
_ZH_TYPE_RE = tuple((kind, re.compile(pattern)) for kind, pattern in _ZH_TYPES)
_EN_TYPE_RE = tuple((kind, re.compile(pattern)) for kind, pattern in _EN_TYPES)
# question words and fillers that carry no content (language knowledge)
_ZH_QUESTION_WORDS = re.compile(
    r"多少|什么时候|什么|哪个|哪些|哪里|哪儿|哪家|哪位|哪一|哪|如何|怎么样|怎么|怎样|为什么|为何|是否|大约|大概|分别|有没有|"
    r"请问|何时|谁|吗|呢|吧|几|多大|多高|多长|多久|是不是|能否|可否|呀|啊")
_FUNCTION_TAGS = frozenset({"x", "w", "uj", "ul", "uz", "ug", "uv", "ud", "u", "p", "c", "r", "y", "e", "o", "zg"})
_LIGHT_WORDS = frozenset("是 有 在 的 了 和 与 及 对 被 把 将 为 于 到 从 给 让 说 要 会 能 可 也 都 又 还 就 才 所 以 而 并 或 之 其 该 此 这 那".split())
EN_STOP = frozenset("""
a an the of to in on for by with what which who whom whose when where why how is are was were be been being do does
did much many and or it its that this these those from about according say says said can could would will should has
have had not there their they them than then as at into over under reach reached offer offers give gives get got make
made one any some all also just only tell told me my our we you your his her he she if so up out per each other name
names called kind article articles report reported mention mentioned did does according passage passages
""".split())
_LAST_SENTENCE = re.compile(r"[^？?。！!]+[？?。！!]*\s*$")
_RESPECTIVELY = re.compile(r"分别|各(?=有|是|为|自|多少|几|占|达|获|拿|得)")
_CONJUNCTION = re.compile(r"和|与|及|跟|同|、|以及")
_PART_BREAK = re.compile(r"[，,；;]|另外|以及|并且|同时|\band\b")
MIN_PART_TERMS = 2  # a clause with fewer content terms is not a question of its own
HEAD_GAP = 2  # characters between a question word and the word it asks about (`多少名员工`)


@dataclass(frozen=True)
class Asked:
    """One question, analysed."""

    text: str  # normalised
    script: Script
    answer_type: AnswerType
    terms: tuple[str, ...]  # content terms, in order, no repeats
    names: frozenset[str]  # proper nouns and codes
    years: frozenset[str]
    parts: tuple[tuple[str, ...], ...] = field(default=())  # terms of each thing a two-part question asks
    focus: tuple[str, ...] = ()  # what it asks of its names: terms that are no name, year, number or question word
    kinds: frozenset[str] = frozenset()  # the kinds of figure it names (`多少GB`, `几成`, `what percentage`)
    months: frozenset[int] = frozenset()  # the months of the year it is about (`3月底`, `in November`)
    head: str = ""  # what it asks: the focus term at its question word (`投票率` in `投票率是多少`)
    learned: frozenset[str] = frozenset()  # its names that are words learned from the corpus (`营收`, `算力`)
    # where jieba took one character for a name (a surname, `蔚` of `蔚来`): that character and the
    # next, the word it could not place. Never required of a passage, only looked up (`stray_names`)
    stray: frozenset[str] = frozenset()
    # what each conjunct of a `分别` question is about, when it names its own (`小米` in
    # `比亚迪的研发投入和小米造车的首期研发投入分别…`): jieba may tag it as no name at all
    subjects: frozenset[str] = frozenset()
    respective: bool = False  # its parts are the conjuncts of a `分别`/`各` question
    part_texts: tuple[str, ...] = ()  # each part as asked (its clause; a conjunct with what all share)

    @property
    def latin(self) -> bool:
        return self.script == "Latn"

    @classmethod
    def of(cls, question: str, segmenter: Segmenter | None = None) -> Asked:
        seg = segmenter or default_segmenter()
        norm = search_form(question)
        script = detect_script(question)
        # a follow-up read together with its previous question asks what its last sentence asks
        last_match = _LAST_SENTENCE.search(norm)
        last = last_match.group(0) if last_match else norm
        answer_type = answer_type_of(last, script)
        if answer_type == "any":
            answer_type = answer_type_of(norm, script)
        terms = tuple(dict.fromkeys(content_terms(norm, script, seg)))
        names = frozenset(question_names(norm, script, seg))
        respective, respective_texts = respective_parts(last, script, seg, names)
        subjects = frozenset(conjunct_subjects(respective, names))
        clauses = [(c.strip(), tuple(dict.fromkeys(content_terms(c, script, seg)))) for c in _PART_BREAK.split(last)]
        clauses = [(c, p) for c, p in clauses if len(p) >= MIN_PART_TERMS]
        parts = respective or tuple(p for _, p in clauses)
        part_texts = respective_texts if respective else tuple(c for c, _ in clauses)
        found_years = frozenset(years(norm))
        focus = focus_terms(terms, names, found_years, seg)
        head = head_term(last, script, focus, seg)
        kinds = asked_kinds(last)
        if answer_type == "quantity" and not kinds and _MONEY_WORDS.search(last if script == "Latn" else head):
            kinds = frozenset({MONEY_ASKED})
        return cls(norm, script, answer_type, terms, names, found_years, parts if len(parts) > 1 else (),
                   focus, kinds, frozenset(months(norm)) if answer_type != "time" else frozenset(), head,
                   frozenset(n for n in names if n in seg.learned),
                   frozenset(stray_names(norm, script, seg) | english_acronyms(question, script)), subjects,
                   bool(respective), part_texts if len(parts) > 1 else ())


def respective_parts(last: str, script: Script, segmenter: Segmenter, names: frozenset[str]
                     ) -> tuple[tuple[tuple[str, ...], ...], tuple[str, ...]]:
    """The things a `分别`/`各` question asks of each of its conjuncts (`A和B分别是多少`,
    `A、B各有多少`): each conjunct's terms, with what follows `分别` (shared by all) and, for a
    bare conjunct (one term), the names and years of the others (`比亚迪2024年的营收和净利润分别…`
    asks of 比亚迪's 净利润 too); and each of them as a question of its own, for comparing
    sentences with it: the terms it borrows, the conjunct and what follows the word
    (`净利润是多少` → `比亚迪2024净利润是多少`). Chinese only; ((), ()) when the question is not of
    that form."""
    if script == "Latn":
        return (), ()
    found = _RESPECTIVELY.search(last)
    if found is None:
        return (), ()
    head, tail = last[:found.start()], last[found.end():]
    conjuncts = [c for c in _CONJUNCTION.split(head) if c.strip()]
    if len(conjuncts) < 2:
        return (), ()
    shared = content_terms(tail, script, segmenter)
    each = [list(dict.fromkeys(content_terms(c, script, segmenter))) for c in conjuncts]
    named = [t for terms in each for t in terms if t in names or any(ch.isdigit() for ch in t)]
    parts, texts = [], []
    for conjunct, terms in zip(conjuncts, each, strict=True):
        # a bare conjunct asks of the others' names (`…的营收和净利润`), unless it is a name itself
        # (`潘展乐和林郁婷分别…`: each asks of its own)
        bare = len(terms) < MIN_PART_TERMS and not (terms and terms[0] in names)
        extra = [t for t in named if t not in terms] if bare else []
        part = tuple(dict.fromkeys([*terms, *extra, *shared]))
        if len(part) >= MIN_PART_TERMS:
            parts.append(part)
            own = conjunct.strip()
            texts.append("".join(t for t in part if t not in own and t not in tail) + own + tail)
    return (tuple(parts), tuple(texts)) if len(parts) > 1 else ((), ())


def conjunct_subjects(parts: tuple[tuple[str, ...], ...], names: frozenset[str]) -> set[str]:
    """The subject of a conjunct of a `分别` question that names nothing jieba tags while another
    conjunct does (`比亚迪…和小米造车的…`, 小米 tagged a common noun): its first term, the thing
    it asks about beside the named one. A bare conjunct (`…营收和净利润`) borrows the others'
    names and so has none of its own."""
    if not any(n in part for part in parts for n in names):
        return set()
    found = set()
    for part in parts:
        first = part[0]
        if not any(n in part for n in names) and len(first) >= 2 and not any(ch.isdigit() for ch in first):
            found.add(first)
    return found


def answer_type_of(normalized: str, script: Script) -> AnswerType:
    table = _EN_TYPE_RE if script == "Latn" else _ZH_TYPE_RE
    for kind, pattern in table:
        if pattern.search(normalized):
            return kind
    return "any"


def content_terms(normalized: str, script: Script, segmenter: Segmenter) -> list[str]:
    """The words of a question that say what it is about."""
    if script == "Latn":
        return [w for w in LATIN_WORD.findall(normalized) if w not in EN_STOP and (len(w) > 2 or _has_digit(w))]
    stripped = _ZH_QUESTION_WORDS.sub(" ", normalized)
    terms: list[str] = []
    for token in segmenter.tagged(stripped):
        word = token.word
        if token.tag in _FUNCTION_TAGS or word in _LIGHT_WORDS or word in EN_STOP:
            continue
        if len(word) == 1 and not token.is_name and token.tag not in {"n", "m", "eng", "ns", "nr", "nt", "nz", "vn"}:
            continue
        terms.append(word)
    return terms


_TYPE_WORDS = re.compile("|".join(pattern for _, pattern in _ZH_TYPES))
_TIME_OR_NUMBER_TAGS = frozenset({"t", "m", "mq", "q", "tg"})


_ASKED_AMOUNT = re.compile(r"多少|几(?!乎)|\bhow many\b|\bhow much\b")
_ASKS_CHANGE = re.compile(r"增长|增幅|涨幅|跌幅|降幅|增加|下降|上涨|下跌|减少|涨了|跌了|"
                          r"\bgrow|\brose\b|\bfell\b|\bincrease|\bdecrease|\bdrop|\blower\b|\bhigher\b|\bcheaper\b|"
                          r"\bshrink|\bgain(?:ed)?\b")
# `增长到了多少`, `rose to`: the level reached, not the change
_ASKS_LEVEL = re.compile(r"(?:增长|增加|上涨|下跌|下降|减少|提高|提升|降低|涨|跌|增|降)了?(?:到|至)|"
                         r"\b(?:rose|fell|grew|increased|decreased|dropped|climbed|jumped|risen|fallen|grown)\s+to\b")
_ASKS_SHARE = re.compile(r"几成|百分之几|比例|占比|比重|份额|百分比|\bpercent(?:age)?\b|\bshare\b|\bproportion\b")


YEAR_ASKED = "time:year"
ANY_COUNT = "count:个"  # `几个`, `how many`: a count of anything (any measure word), not money or a share
_HOW_MANY = re.compile(r"\bhow many\b")
MONEY_ASKED = "money"  # an amount of money in any currency (`单价`, `售价`, `how much does it cost`)
# what is asked is an amount of money: a price, cost, fee, income or profit (language knowledge)
_MONEY_WORDS = re.compile(r"(?<!评)(?<!代)价(?!值观)|费|钱|薪|资金|金额|成本|收入|营收|利润|营业额|票房|市值|估值|预算|开支|支出|"
                          r"\b(?:price[sd]?|costs?|revenues?|salary|salaries|profits?|income|spend|spent|worth|budget|"
                          r"fees?|earn(?:ed|s)?)\b")


def kind_fits(kinds: frozenset[str], kind: str, cross: bool = False) -> bool:
    """Whether a figure of `kind` is of a kind a question asks for (`kinds`: `Asked.kinds`).
    `几个` asks for a count of anything, a price for money in any currency (or a bare amount,
    `120亿`); across languages only money, share or count is compared: measure words do not
    translate one to one."""
    if not kinds or kind in kinds or (ANY_COUNT in kinds and kind.startswith("count")):
        return True
    if MONEY_ASKED in kinds and (kind.startswith("money") or kind == "count"):
        return True
    return cross and kind.split(":", maxsplit=1)[0] in {k.split(":")[0] for k in kinds}


_ASKS_YEAR = re.compile(r"哪一?年|何年|几几年|\b(?:what|which) year\b|\bin what year\b")


# a question asking how long, heavy, far or tall asks for a figure in a unit of that dimension
# (language knowledge: the question words and the units of time, weight and length)
DURATION_KINDS = frozenset(f"count:{u}" for u in ("秒", "分钟", "小时", "天", "周", "个月", "年"))
WEIGHT_KINDS = frozenset(f"count:{u}" for u in ("毫克", "克", "公斤", "吨"))
LENGTH_KINDS = frozenset(f"count:{u}" for u in ("纳米", "毫米", "厘米", "米", "公里", "英里", "英寸"))
_ASKS_DIMENSION = (
    (re.compile(r"多久|多长时间|多少(?:个)?(?:小时|分钟|天|周|个月)|几(?:个)?(?:小时|分钟|天|周|个月)|"
                r"\bhow long\b(?! ago)|\bhow many (?:hours|minutes|days|weeks|months)\b"), DURATION_KINDS),
    (re.compile(r"多重|多少重|\bhow heavy\b|\bhow much did [^?]* weigh\b"), WEIGHT_KINDS),
    (re.compile(r"多远|多高|多深|多宽|多长(?!时间)|\bhow (?:far|tall|high|deep|wide)\b"), LENGTH_KINDS),
)


def asked_kinds(normalized: str) -> frozenset[str]:
    """The kinds of figure a question names: `多少GB` asks for `count:gb`, `多少亿美元` for
    `money:usd`, `几成`/`比例`/`what percentage` for `percent`, `哪一年`/`what year` for a year
    (`YEAR_ASKED`), `多久`/`how long` for a duration, `多重` for a weight, `多远`/`多高` for a length."""
    if _ASKS_YEAR.search(normalized):
        return frozenset({YEAR_ASKED})
    for pattern, kinds in _ASKS_DIMENSION:
        if pattern.search(normalized):
            named = frozenset(f.kind for f in _asked_figures(normalized) if f.kind in kinds)
            return named or kinds
    if _ASKS_CHANGE.search(normalized) and not _ASKS_LEVEL.search(normalized):
        return frozenset({"percent:change"}) | frozenset(f.kind for f in _asked_figures(normalized)
                                                         if f.kind.startswith("money"))
    if _ASKS_SHARE.search(normalized):
        return frozenset({"percent"})
    named = frozenset(f.kind for f in _asked_figures(normalized) if f.kind not in {"date", "count"})
    # English `how many` counts things (`how many chips`); `how much` and `多少` may ask for money
    return named or (frozenset({ANY_COUNT}) if _HOW_MANY.search(normalized) else frozenset())


def _asked_figures(normalized: str) -> list[Figure]:
    """The figures a question asks for: its `多少`/`几`/`how many` read as a number with what
    follows (`多少GB` → `1gb`). A figure the question gives (`充电5分钟能跑多远`) is not asked for."""
    asked = _ASKED_AMOUNT.sub("1", normalized)
    starts = set()
    shift = 0
    for m in _ASKED_AMOUNT.finditer(normalized):
        starts.add(m.start() - shift)
        shift += len(m.group(0)) - 1
    return [f for f in find_figures(asked) if f.start in starts]


def focus_terms(terms: tuple[str, ...], names: frozenset[str], found_years: frozenset[str],
                segmenter: Segmenter) -> tuple[str, ...]:
    """The terms that say what is asked of the question's names (`净利润`, `交付`): no name,
    year, number, time word or answer-type word (`比例`, `份额`)."""
    focus = []
    for term in terms:
        if term in names or term in found_years or len(term) < 2 or term[0].isdigit() or term.isascii():
            continue
        if _TYPE_WORDS.fullmatch(term):
            continue
        tags = {t.tag for t in segmenter.tagged(term)}
        if tags and tags <= _TIME_OR_NUMBER_TAGS:
            continue
        focus.append(term)
    return tuple(focus)


def head_term(last: str, script: Script, focus: tuple[str, ...], segmenter: Segmenter) -> str:
    """What the last sentence asks (Chinese only; "" otherwise): the noun or verb right after its
    question word (`什么名次`, `多少名员工`, `哪一年建成`), else the nearest one before it
    (`投票率是多少`, `交付了多少辆`)."""
    found = _ZH_QUESTION_WORDS.search(last) if script != "Latn" else None
    if found is None:
        return ""
    placed = sorted((last.find(term), term) for term in focus
                    if len(term) >= 2 and last.find(term) >= 0 and _content_tag(term, segmenter))
    after = [(at, term) for at, term in placed if found.end() <= at <= found.end() + HEAD_GAP]
    if after:
        return after[0][1]
    before = [(at, term) for at, term in placed if at + len(term) <= found.start()]
    return before[-1][1] if before else ""


def _content_tag(term: str, segmenter: Segmenter) -> bool:
    tags = [t.tag for t in segmenter.tagged(term)]
    return bool(tags) and tags[-1][:1] in {"n", "v"}


def question_names(normalized: str, script: Script, segmenter: Segmenter) -> set[str]:
    """The names a question mentions. In English, capitalisation is gone after normalising, so
    only codes (letters with digits) count as names, and words the corpus taught the segmenter.
    In a Chinese question a Latin word is a name too (`cuda`, `ultra`, `hiv`): brands, models
    and acronyms are what Chinese text writes in Latin letters; units (`gb`, `km`) are not."""
    if script == "Latn":
        return {w for w in LATIN_WORD.findall(normalized) if is_code(w)}
    found = {n for n in segmenter.names(_ZH_QUESTION_WORDS.sub(" ", normalized)) if n not in EN_STOP}
    found |= {w for w in LATIN_WORD.findall(normalized)
              if len(w) >= 2 and w.isalpha() and not is_unit(w) and w not in EN_STOP}
    return found


def stray_names(normalized: str, script: Script, segmenter: Segmenter) -> set[str]:
    """The words of a Chinese question that jieba could not place but took for a name: a
    one-character name token (a surname, a place's first character: `蔚/nr 来` for a company
    jieba does not know), with the Han character after it. A collection that never holds that
    pair has never mentioned the name."""
    if script == "Latn":
        return set()
    text = _ZH_QUESTION_WORDS.sub(" ", normalized)
    found = set()
    for token in segmenter.tagged(text):
        if token.is_name and len(token.word) == 1:
            after = text[token.start + 1:token.start + 2]
            found.add(token.word + after if after and CJK_RUN.match(after) else token.word)
    return found


_EN_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z]{2,6}(?![A-Za-z])")


def english_acronyms(question: str, script: Script) -> set[str]:
    """The acronyms an English question names (`DUP`, `FDA`), normalised. Never required of a
    passage, only looked up (`Asked.stray`): one the collection never holds has never been
    mentioned. Capitalised words are not taken: `African` is said as `Africa`, `British` as
    `Britain`, and a sentence's first word is capitalised whatever it is."""
    if script != "Latn":
        return set()
    return {search_form(m.group(0)) for m in _EN_ACRONYM.finditer(question)}


def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)
