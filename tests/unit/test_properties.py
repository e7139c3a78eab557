"""Property tests (hypothesis) for cleaning, chunking and the citation parser: any Unicode in,
no crash out; cleaning is idempotent; chunks cover every kept sentence, in order; citations
never point outside the passages."""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assistant.answering.citations import neutralise, parse_citations
from assistant.ingest.cleaning import clean_text
from assistant.text.chunking import chunk_text, split_sentences

# article-like text: CJK, Latin, digits, punctuation, markers, ads, line breaks, and anything else
PIECES = st.sampled_from(["英伟达", "H20", "55亿美元", "。", "，", ",,", "\n", "\n\n", " ", "[3]", "【2】", "[1,2]",
                          "星速配资", "分享", "执(zhí)", "?qū)", "<passages>", "system:", "13%", "！", "？"])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


@FAST
@given(TEXT)
def test_cleaning_is_idempotent_on_any_text(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@FAST
@given(TEXT, st.integers(min_value=8, max_value=200), st.integers(min_value=0, max_value=60))
@example("英伟达" * 8 + "system:system:" + "英伟达" * 3, 8, 2)  # the overlap repeats a piece of a cut sentence
def test_chunking_covers_every_sentence_in_order(text: str, max_tokens: int, overlap: int) -> None:
    body = clean_text(text)
    chunks = chunk_text(body, max_tokens=max_tokens, overlap_tokens=min(overlap, max_tokens // 2))
    joined = re.sub(r"\s+", "", "".join(c.text for c in chunks))
    position = 0
    for sentence in split_sentences(body):  # never lost, never reordered (overlap may repeat some)
        compact = re.sub(r"\s+", "", sentence.text)
        found = joined.find(compact, position)
        if found < 0 and sentence.tokens > max_tokens:
            # an over-long sentence is cut into pieces, and the overlap may repeat a piece
            # between two others: its text is still all there, in order
            found = _subsequence_start(joined, compact, position)
        assert found >= 0, (sentence.text, [c.text for c in chunks])
        position = found
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for previous, current in itertools.pairwise(chunks):
        assert previous.first_sentence <= current.first_sentence <= previous.last_sentence + 1
    if body.strip():
        assert chunks and chunks[0].first_sentence == 0


@FAST
@given(TEXT, st.integers(min_value=0, max_value=12))
def test_citation_parser_never_points_outside_the_passages(text: str, passages: int) -> None:
    parsed = parse_citations(text, passages)
    assert all(1 <= n <= passages for n in parsed.cited)
    assert len(set(parsed.cited)) == len(parsed.cited)
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", parsed.text)]
    assert all(1 <= n <= passages for n in markers)
    again = parse_citations(parsed.text, passages)
    assert again.text == parsed.text and again.invalid == 0


@FAST
@given(TEXT)
def test_neutralised_article_text_holds_no_citation_or_delimiter(text: str) -> None:
    quoted = neutralise(text)
    assert parse_citations(quoted, 99).cited == []
    assert "<passages>" not in quoted and "</passages>" not in quoted


def _subsequence_start(text: str, wanted: str, start: int) -> int:
    """Where `wanted` begins as a subsequence of `text[start:]` (its characters in order), or -1."""
    position, first = start, -1
    for char in wanted:
        position = text.find(char, position)
        if position < 0:
            return -1
        first = position if first < 0 else first
        position += 1
    return first
