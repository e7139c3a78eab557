"""A message that asks several questions at once (`嫦娥六号是哪天发射的？雅万高铁是哪天启用的？`,
`Who became prime minister, and who took over the farm ministry?`) is answered question by
question: each is retrieved for and judged on its own, since its answer may sit in another
article than the others' and a sentence answering one does not answer the rest.

Language knowledge only: sentence ends, question words and the marks of a follow-up. A
question that leans on the one before it (`同比增长了多少？`, `特斯拉的呢？`, `what about its
profit?`) is not split off: it is a part of that question (`Asked.parts`), not one of its own.
"""

from __future__ import annotations

import re

from assistant.answering.condense import looks_like_follow_up
from assistant.answering.question import MIN_PART_TERMS, content_terms
from assistant.text.normalize import detect_script, search_form
from assistant.text.segment import Segmenter

MAX_QUESTIONS = 4  # more question marks than this in one message: read as one question

# a question word that makes a sentence a question of its own (the particles `呢`/`吧` do not:
# `特斯拉的呢？` asks again what the sentence before asked); language knowledge
_ZH_ASKING = re.compile(r"多少|几(?!乎)|什么|哪|谁|何时|何地|何处|为什么|为何|如何|怎么|怎样|是否|有没有|是不是|吗|"
                        r"多[大高长重远久快深宽]")
_EN_ASKING = re.compile(r"^\s*(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|can|could|"
                        r"will|would|has|have|had|should)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"[^？?]+[？?]")
# `…, and who…?`: an English sentence that joins two questions
_EN_JOINED = re.compile(r",?\s+and\s+(?=(?:who|whom|whose|what|which|when|where|why|how)\b)", re.IGNORECASE)


def split_questions(message: str, segmenter: Segmenter) -> list[str]:
    """The questions a message asks, each as written, when it asks more than one of its own;
    [] otherwise (one question, or later ones that are follow-ups of the first)."""
    text = message.strip()
    pieces = [m.group(0).strip() for m in _SENTENCE.finditer(text)]
    rest = _SENTENCE.sub("", text).strip()
    if rest:
        pieces.append(rest)
    if detect_script(text) == "Latn":
        pieces = [p.strip() for piece in pieces for p in _EN_JOINED.split(piece) if p.strip()]
    if not 2 <= len(pieces) <= MAX_QUESTIONS:
        return []
    if not all(_stands_alone(p, segmenter) for p in pieces):
        return []
    return pieces


def _stands_alone(piece: str, segmenter: Segmenter) -> bool:
    script = detect_script(piece)
    asking = _EN_ASKING if script == "Latn" else _ZH_ASKING
    if not asking.search(piece) or looks_like_follow_up(piece):
        return False
    return len(set(content_terms(search_form(piece), script, segmenter))) >= MIN_PART_TERMS
