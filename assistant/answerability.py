"""Whether the evidence can hold what a question asks for: a figure about a named thing.

Passage scores cannot tell "the articles discuss the B30" from "the articles give the B30's
price". When a question asks for a figure (a price, a count, a share, a spec) about named
models or products (`B30`, `910C`, `CloudMatrix`), some retrieved passage must name them all
and have a sentence with a figure of that kind; otherwise the honest answer is a refusal,
whatever the passages' scores. Runs before any LLM, so it holds for every backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet

from assistant.figures import figure_kinds, unit_kind
from assistant.lexical import LATIN_WORD
from assistant.textnorm import Script, normalize

_LETTER = re.compile(r"[a-z]")
_DIGIT = re.compile(r"\d")
MIN_NAME_CHARS = 3  # Latin words in a Chinese question shorter than this (`ai`) are not names


def named_things(question: str, script: Script) -> set[str]:
    """Model and product names in a question: Latin words with a digit (`h20`, `910c`, `nvl72`),
    and in a Chinese question any Latin word (`cloudmatrix`, `cuda`)."""
    return {w for w in LATIN_WORD.findall(normalize(question)) if _is_name(w, script)}


def _is_name(word: str, script: Script) -> bool:
    if not _LETTER.search(word):
        return False
    return bool(_DIGIT.search(word)) or (script != "Latn" and len(word) >= MIN_NAME_CHARS)


def holds_asked_figure(passages: Iterable[str], units: AbstractSet[str], names: set[str]) -> bool:
    """True when the question asks for no figure, or one passage names every thing the
    question names and holds a figure of an asked kind. The passage, not the sentence, must
    name them: articles say "the chip" once they named it."""
    if not units:
        return True
    kinds = {unit_kind(u) for u in units}
    for passage in passages:
        norm = normalize(passage)
        if names <= set(LATIN_WORD.findall(norm)) and figure_kinds(norm) & kinds:
            return True
    return False
