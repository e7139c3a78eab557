"""Chinese word segmentation (jieba) that learns a corpus's own words, and the plain token forms.

jieba ships its dictionary and works offline, but it does not know the names a collection is
about: it cuts `英伟达` into `英/伟达`. So a `Segmenter` can learn words from the corpus itself
(`discover_words`): character n-grams that are frequent, cohesive (their parts occur together
far more often than chance) and free at both ends (many different characters before and after
them). That is the classic new-word discovery of Chinese NLP; it needs no list of names.

Every module that needs terms of a text (BM25, answerability, conflicts, eval metrics) takes
them from here, so they agree on what a term is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import jieba
import jieba.posseg
import numpy as np

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
LATIN_WORD = re.compile(r"[a-z0-9]+(?:[.\-][a-z0-9]+)*")  # `h20`, `rtx`, `4090`, `3.5` (normalised text)
_WORDLIKE = re.compile(rf"[{_CJK}a-z0-9]")
LEARNED_TAG = "nz"  # a word learned from the corpus is tagged as a proper noun (jieba's `nz`)
_FUNCTION_TAGS = frozenset({"p", "c", "d", "r", "m", "q", "y", "e", "o", "f", "uj", "ul", "uz", "ug", "uv", "ud"})
NAME_TAGS = frozenset({"nr", "nrfg", "nrt", "ns", "nt", "nz"})  # person, place, organisation, other proper noun

# new-word discovery (`discover_words`)
MAX_WORD_CHARS = 6
MIN_WORD_COUNT = 3
MIN_COHESION = 8.0  # count(w)·N / (count(a)·count(b)) over the weakest split of w into a + b
MIN_FREEDOM = 0.9  # entropy (nats) of the characters seen before and after w, the lower of the two
MAX_DISCOVERY_CHARS = 3_000_000  # a sample this large finds a corpus's recurring words
# A character is a function word at the edge of a candidate when jieba tags it as one and uses it
# alone often (的 318k, 在 728k, 一 218k, 里 77k in jieba's counts), or uses it alone very often
# whatever its tag (是, 有, 说): 克 (6k, tagged m), 顿 (3k, q) or 特 (8k, d) end or start many
# transliterated names and do not count.
FUNCTION_CHAR_FREQ = 40_000
COMMON_CHAR_FREQ = 200_000


def bigram_tokens(normalized: str) -> list[str]:
    """Tokens of a normalised text: CJK character bigrams (a lone character stays a unigram)
    and Latin/number words (`h20`, `rtx`, `4090`)."""
    tokens: list[str] = []
    for run in CJK_RUN.findall(normalized):
        if len(run) == 1:
            tokens.append(run)
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    tokens.extend(LATIN_WORD.findall(normalized))
    return tokens


@dataclass(frozen=True)
class Token:
    word: str
    tag: str
    start: int

    @property
    def is_name(self) -> bool:
        return self.tag in NAME_TAGS


@cache
def _base() -> jieba.Tokenizer:
    """jieba's dictionary, loaded once per process (about 0.5 s); segmenters copy it."""
    import logging

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@cache
def _base_tags() -> dict[str, str]:
    """jieba's part-of-speech table, read once per process; segmenters copy it."""
    return dict(jieba.posseg.POSTokenizer(_base()).word_tag_tab)


class Segmenter:
    """jieba over normalised text, plus the words learned from a corpus (`learned`).

    The segmentation is a function of the text and the set of learned words only (they are
    added in a fixed order and the dictionary's total count stays jieba's), so an index that
    learned the same words in several steps cuts every text as one that learned them at once,
    and a learned word changes the cut of a text only where the text contains it."""

    def __init__(self, learned: Iterable[str] = ()) -> None:
        base = _base()
        self._tokenizer = jieba.Tokenizer()
        self._tokenizer.FREQ, self._tokenizer.total = dict(base.FREQ), base.total
        self._tokenizer.initialized = True
        tagger = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)  # skip re-reading the table
        tagger.tokenizer, tagger.word_tag_tab = self._tokenizer, dict(_base_tags())
        self._tagger = tagger
        self._lock = threading.Lock()  # jieba's tokenizers are not documented as thread-safe
        self.learned: frozenset[str] = frozenset()
        self.learn(learned)

    def learn(self, words: Iterable[str]) -> None:
        """Add corpus words: each is then cut as one word and tagged as a proper noun."""
        fresh = sorted({w for w in words if w and w not in self.learned}, key=lambda w: (len(w), w))
        with self._lock:
            total = self._tokenizer.total
            for word in fresh:
                self._tokenizer.add_word(word)
                self._tokenizer.suggest_freq(word, tune=True)
                self._tagger.word_tag_tab[word] = LEARNED_TAG
            self._tokenizer.total = total
        self.learned = self.learned | frozenset(fresh)

    def extended(self, words: Iterable[str]) -> Segmenter:
        """A new segmenter that knows this one's learned words and `words` (this one is unchanged)."""
        return Segmenter(self.learned | set(words))

    def could_be_word(self, candidate: str) -> bool:
        """Whether a recurring n-gram may be a word the dictionary lacks: it is unknown, no
        function character (`的`, `在`, `了`…) starts, ends or binds it, and the dictionary
        cannot cut it into longer words only (`中国市场` is 中国 + 市场, `英伟达` is 英 + 伟达)."""
        if self._tokenizer.FREQ.get(candidate):
            return False
        tags = self._tagger.word_tag_tab
        if any(tags.get(ch, "x")[:1] == "u" for ch in candidate):
            return False
        if self._is_function_char(candidate[0]) or self._is_function_char(candidate[-1]):
            return False
        with self._lock:
            parts = self._tokenizer.lcut(candidate, HMM=False)
        return any(len(p) == 1 for p in parts)

    def _is_function_char(self, char: str) -> bool:
        alone = self._tokenizer.FREQ.get(char, 0)
        return alone >= COMMON_CHAR_FREQ or (
            alone >= FUNCTION_CHAR_FREQ and self._tagger.word_tag_tab.get(char, "x") in _FUNCTION_TAGS)

    def words(self, normalized: str) -> list[str]:
        """Search-mode words (a long word also yields the dictionary words inside it), no
        punctuation or spaces: the lexical terms of a text."""
        with self._lock:
            pieces = list(self._tokenizer.cut_for_search(normalized, HMM=True))
        return [p for p in (p.strip() for p in pieces) if p and _WORDLIKE.search(p)]

    def tagged(self, normalized: str) -> list[Token]:
        """Words with their part-of-speech tags (`nr` person, `ns` place, `nt` organisation,
        `nz` other proper noun or learned word, `m` numeral, `t` time, `eng` Latin word…)."""
        with self._lock:
            pairs = [(p.word, p.flag) for p in self._tagger.cut(normalized, HMM=True)]
        tokens: list[Token] = []
        at = 0
        for word, tag in pairs:
            start = normalized.find(word, at)
            start = at if start < 0 else start
            at = start + len(word)
            if word.strip() and _WORDLIKE.search(word):
                tokens.append(Token(word, LEARNED_TAG if word in self.learned else tag, start))
        return tokens

    def names(self, normalized: str) -> set[str]:
        """Proper nouns of a text (people, places, organisations, learned corpus words) and
        Latin words that mix letters and digits (model numbers, codes: `h20`, `a350`)."""
        found = {t.word for t in self.tagged(normalized) if t.is_name and len(t.word) > 1}
        found |= {w for w in LATIN_WORD.findall(normalized) if is_code(w)}
        return found | serial_names(normalized)


# a Chinese designation with a number (`嫦娥六号`, `长征五号`, `神舟十八号`, `地铁1号`): the stem names a
# series, the number one member of it, as a model number does. The stem is two Han characters
# that are no date, ordinal or number word (`6月3号`, `第8号`, `核三厂2号机` are no designation)
_SERIAL = re.compile(rf"([{_CJK}]{{2}})([零〇一二两三四五六七八九十百千]+|\d+)号")
_NOT_A_STEM = re.compile(r"[年月日第是为在的于和与到至及、零〇一二两三四五六七八九十百千]")


def _stem(found: re.Match[str] | None) -> str | None:
    return found.group(1) if found and not _NOT_A_STEM.search(found.group(1)) else None


def serial_names(normalized: str) -> set[str]:
    """The numbered designations of a text (`嫦娥六号`), normalised: see `_SERIAL`."""
    return {m.group(0) for m in _SERIAL.finditer(normalized) if _stem(m)}


def serial_stem(name: str) -> str | None:
    """The series a numbered designation belongs to (`嫦娥` of `嫦娥六号`); None for other names."""
    return _stem(_SERIAL.fullmatch(name))


def is_code(word: str) -> bool:
    """A Latin word that mixes letters and digits: a model number or code (`h20`, `a350`)."""
    return any(c.isdigit() for c in word) and any(c.isalpha() for c in word)


@cache
def default_segmenter() -> Segmenter:
    """A segmenter with jieba's dictionary only (for text that belongs to no corpus)."""
    return Segmenter()


def discover_words(texts: Iterable[str], known: Segmenter | None = None,
                   min_count: int = MIN_WORD_COUNT) -> list[str]:
    """Words that recur in `texts` (normalised) and that jieba's dictionary does not know,
    most frequent first: frequent, cohesive and free character n-grams of 2–6 characters."""
    runs = _sample_runs(texts)
    counts, freedom = _ngram_counts(runs, min_count)
    total = sum(v for k, v in counts.items() if len(k) == 1) or 1
    segmenter = known or default_segmenter()
    found = [w for w, c in counts.items() if 2 <= len(w) <= MAX_WORD_CHARS and c >= min_count
             and _cohesion(w, counts, total) >= MIN_COHESION and freedom[w] >= MIN_FREEDOM
             and segmenter.could_be_word(w)]
    # a word inside a longer found word that (nearly) always occurs within it is a fragment
    kept = [w for w in found if not any(w != longer and w in longer and counts[longer] >= 0.8 * counts[w]
                                        for longer in found)]
    # a found word with a dictionary word stuck to it (`英伟达来说`) is a phrase, not a word
    words = set(kept)
    dictionary = segmenter._tokenizer.FREQ
    phrases = {w for w in kept if any((w[:i] in words and dictionary.get(w[i:]) and len(w) - i > 1)
                                      or (w[i:] in words and dictionary.get(w[:i]) and i > 1)
                                      for i in range(2, len(w) - 1))}
    return sorted(words - phrases, key=lambda w: (-counts[w], w))


def _sample_runs(texts: Iterable[str]) -> list[str]:
    runs: list[str] = []
    size = 0
    for text in texts:
        for run in CJK_RUN.findall(text):
            if len(run) > 1:
                runs.append(run)
                size += len(run)
        if size >= MAX_DISCOVERY_CHARS:
            break
    return runs


def _ngram_counts(runs: Sequence[str], min_count: int) -> tuple[dict[str, int], dict[str, float]]:
    """Counts of the characters and of the 2–6-grams that occur at least `min_count` times, and
    each such n-gram's freedom: the lower entropy (nats) of the characters seen before and after
    it (the ends of a run count as one more character).

    Vectorised (numpy): the n-grams of one length are numbered through their first n−1 characters,
    and only n-grams whose two (n−1)-grams are frequent are counted, as only they can be."""
    if not runs:
        return {}, {}
    text = "\x00" + "\x00".join(runs) + "\x00"  # runs between separators: no n-gram spans two
    codes, chars = np.unique(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), return_inverse=True)
    chars = chars.astype(np.int64)
    size, alphabet, boundary = len(chars), len(codes), 0  # the separator is the smallest code
    per_char = np.bincount(chars, minlength=alphabet)
    counts = {chr(int(code)): int(n) for code, n in zip(codes, per_char, strict=True) if code}
    freedom: dict[str, float] = {}
    previous = np.where((per_char[chars] >= min_count) & (chars != boundary), chars, -1)
    for n in range(2, MAX_WORD_CHARS + 1):
        starts = np.flatnonzero((previous[:-1] >= 0) & (previous[1:] >= 0))
        if not len(starts):
            break
        keys = previous[starts] * alphabet + chars[starts + n - 1]
        _, first, inverse, found = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
        frequent = found >= min_count
        ids = np.where(frequent, np.cumsum(frequent) - 1, -1)
        current = np.full(size, -1, dtype=np.int64)
        current[starts] = ids[inverse]
        at = np.flatnonzero(current >= 0)
        if not len(at):
            break
        before, after = chars[at - 1], chars[at + n]  # a separator at the ends of a run
        entropy = np.minimum(_entropies(current[at], before, alphabet), _entropies(current[at], after, alphabet))
        for position, count, free in zip(starts[first[frequent]].tolist(), found[frequent].tolist(), entropy.tolist(),
                                         strict=True):
            gram = text[position:position + n]
            counts[gram], freedom[gram] = count, free
        previous = current
    return counts, freedom


def _entropies(ids: np.ndarray, neighbours: np.ndarray, alphabet: int) -> np.ndarray:
    """Per id (0…max), the entropy of the neighbour characters seen with it."""
    pairs, seen = np.unique(ids * alphabet + neighbours, return_counts=True)
    owner = pairs // alphabet
    total = np.bincount(owner, weights=seen)
    share = seen / total[owner]
    return np.asarray(np.bincount(owner, weights=-share * np.log(share), minlength=len(total)))


def _cohesion(word: str, counts: Mapping[str, int], total: int) -> float:
    """How much more often the parts of `word` occur together than by chance (weakest split)."""
    joint = counts[word] / total
    return min(joint / ((counts[word[:i]] / total) * (counts[word[i:]] / total)) for i in range(1, len(word)))

