"""Whether a question joins several things or clauses (`A和B`, `A、B`, `A and B`, `A vs B`,
`…，…又…`, `…；…`): such a question is answered part by part, so a passage or a sentence need hold
the names of one part only. Language knowledge only: conjunctions, enumeration commas and clause
breaks, in Chinese and English. `又` alone is no join (`是不是又放行了`: "again"); after a clause
break the break already joins."""

from __future__ import annotations

import re

JOINED = re.compile(r"[和与及跟同、,，;；]|以及|\band\b|&|\bvs\b")


def joins(text: str) -> bool:
    """The text joins things or clauses (the question as asked or its search form)."""
    return bool(JOINED.search(text))
