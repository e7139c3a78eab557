"""The passages an LLM reads: numbered `[n] title — outlet (id)` blocks within a token budget,
their text neutralised so that it cannot fake a citation marker."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.citations import neutralise
from assistant.text.tokens import count_tokens, truncate_tokens
from assistant.types import Hit

MIN_TRUNCATED = 50  # tokens: below this, the best passage is not worth cutting down to fit


def numbered_passages(hits: Sequence[Hit], budget: int) -> tuple[str, int]:
    """As many of `hits` as fit in `budget` tokens, numbered from 1; returns (text, passages
    used). The best passage is always given, cut to the budget when it alone is too long."""
    blocks: list[str] = []
    for n, hit in enumerate(hits, start=1):
        header = f"[{n}] {hit.title} — {hit.outlet or 'unknown outlet'} ({hit.article_id})"
        block = f"{header}\n{neutralise(hit.text)}"
        cost = count_tokens(block) + 2
        if cost > budget:
            if not blocks and budget > MIN_TRUNCATED:
                blocks.append(truncate_tokens(block, budget))
            break
        blocks.append(block)
        budget -= cost
    return "\n\n".join(blocks), len(blocks)
