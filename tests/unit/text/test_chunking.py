import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.ingest.cleaning import clean_text
from assistant.text.chunking import chunk_text, split_sentences
from assistant.text.tokens import count_tokens
from tests.support.data import SEEDS


def test_chunking_splits_at_chinese_sentence_ends() -> None:
    sentences = [s.text for s in split_sentences("第一句。第二句！第三句？“引号。”第四句；最后\n新行")]
    assert sentences == ["第一句。", "第二句！", "第三句？", "“引号。”", "第四句；", "最后", "新行"]


@pytest.mark.parametrize("seed", sorted(p.stem for p in SEEDS.glob("*.txt")))
def test_chunking_seed_respects_budget_and_sentences(seed: str) -> None:
    body = clean_text((SEEDS / f"{seed}.txt").read_text(encoding="utf-8"))
    chunks = chunk_text(body, max_tokens=160, overlap_tokens=40)
    sentences = [s.text for s in split_sentences(body)]
    assert len(chunks) > 3
    for chunk in chunks:
        assert chunk.tokens <= 160
        assert count_tokens(chunk.text) <= 160 + 4  # joins add at most a newline or two
    # every sentence is inside some chunk, whole (no sentence of the seeds exceeds the budget)
    joined = [c.text for c in chunks]
    for sentence in sentences:
        assert any(sentence in text for text in joined), sentence


def test_chunking_overlap_repeats_trailing_sentence() -> None:
    body = "".join(f"这是第{i}个句子，内容是关于英伟达的芯片出口。" for i in range(40))
    chunks = chunk_text(body, max_tokens=60, overlap_tokens=30)
    assert len(chunks) > 2
    for prev, nxt in itertools.pairwise(chunks):
        assert nxt.first_sentence <= prev.last_sentence  # overlap of at least one sentence
        assert nxt.first_sentence > prev.first_sentence  # always progresses


def test_chunking_splits_an_oversized_sentence() -> None:
    body = "很长的句子，" * 200 + "结束。"
    chunks = chunk_text(body, max_tokens=50, overlap_tokens=0)
    assert all(c.tokens <= 50 for c in chunks)
    assert "".join(c.text for c in chunks).replace("\n", "") == body


def test_chunking_zero_overlap_partitions_text() -> None:
    body = clean_text((SEEDS / "002_9b6c0dc71fbfa5b9.txt").read_text(encoding="utf-8"))
    chunks = chunk_text(body, max_tokens=120, overlap_tokens=0)
    assert "".join(c.text for c in chunks).replace("\n", "") == body.replace("\n", "")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_chunking_covers_every_sentence_in_order(text: str) -> None:
    chunks = chunk_text(text, max_tokens=40, overlap_tokens=10)
    sentences = split_sentences(text)
    if not sentences:
        assert chunks == [] or all(not c.text for c in chunks)
        return
    covered = [i for c in chunks for i in range(c.first_sentence, c.last_sentence + 1)]
    assert sorted(set(covered)) == list(range(max(covered) + 1))
    assert all(c.tokens <= 40 for c in chunks)


def test_english_sentences_in_one_chunk_stay_spaced() -> None:
    """`trials. In PURPOSE 1`, not `trials.In` (one BM25 token, one sentence to the judge)."""
    text = "It rests on two large trials. In PURPOSE 1, none of the participants acquired HIV. It was approved."
    (chunk,) = chunk_text(text, max_tokens=200, overlap_tokens=0)
    assert "trials. In PURPOSE 1" in chunk.text and "HIV. It was" in chunk.text
    (chinese,) = chunk_text("他出席了发布会。会上宣布了新产品。", max_tokens=200, overlap_tokens=0)
    assert chinese.text == "他出席了发布会。会上宣布了新产品。"
