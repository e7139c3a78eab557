"""The segmented BM25 index: scores, incremental updates, merges, the disk cache, and how the
retriever uses both."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.ingest.documents import prepare_article
from assistant.ingest.ingestor import Ingestor, discover
from assistant.ingest.loaders import load_file
from assistant.retrieval.hybrid import HybridRetriever
from assistant.retrieval.lexical import LexicalIndex, bigram_tokens, index_terms
from assistant.retrieval.lexical_cache import LexicalCache
from assistant.storage.chunks import ChunkStore, StoredChunk
from assistant.text.normalize import normalize
from assistant.text.segment import Segmenter
from tests.support.data import SEEDS, NamedFakeEmbedding

QUERIES = ["英伟达H20减值多少", "中國市場佔營收比例", "黄仁勋访华 北京 h20", "寒武纪营收"]


def chunk(chunk_id: str, text: str, article_id: str = "a") -> StoredChunk:
    return StoredChunk(chunk_id, article_id, 0, text, normalize(text), "t", None)


@pytest.fixture(scope="module")
def seed_chunks() -> list[StoredChunk]:
    chunks = []
    for path in discover([SEEDS])[0]:
        article = prepare_article(load_file(path), 160, 40)
        chunks += [StoredChunk(c.chunk_id, c.article_id, c.ordinal, c.text, c.search_text, article.record.title,
                               None) for c in article.chunks]
    return chunks


def by_id(index: LexicalIndex, query: str) -> dict[str, float]:
    scores = index.bm25_scores(normalize(query))
    return {c.chunk_id: round(float(scores[index.position[c.chunk_id]]), 5) for c in index.chunks}


def rebuilt(index: LexicalIndex, chunks: Sequence[StoredChunk]) -> LexicalIndex:
    """`chunks` indexed at once with the words `index` has learned."""
    return LexicalIndex(chunks, terms=index.terms_kind, segmenter=Segmenter(index.segmenter.learned), learn=False)


@pytest.mark.parametrize("terms", ["bigrams", "words", "both"])
def test_lexical_bm25_is_lucene_formula(terms: str) -> None:
    docs = ["英伟达芯片", "英伟达", "华为手机芯片芯片"]
    index = LexicalIndex([chunk(str(i), d) for i, d in enumerate(docs)], terms=terms)  # type: ignore[arg-type]
    tokens = [index_terms(d, index.segmenter, terms) for d in docs]  # type: ignore[arg-type]
    avg = sum(map(len, tokens)) / 3
    expected = []
    for doc in tokens:
        score = 0.0
        for term in ("芯片", "英伟"):
            df = sum(term in t for t in tokens)
            tf = doc.count(term)
            idf = math.log(1 + (3 - df + 0.5) / (df + 0.5))
            score += idf * tf / (tf + 1.2 * (1 - 0.75 + 0.75 * len(doc) / avg))
        expected.append(score)
    assert index.bm25_scores("英伟芯片").tolist() == pytest.approx(expected, rel=1e-5)


def test_lexical_terms_are_bigrams_and_longer_words() -> None:
    index = LexicalIndex(terms="both")
    assert bigram_tokens("h20算力不到h100的15%") == ["算力", "力不", "不到", "的", "h20", "h100", "15"]
    assert index.terms("英偉達的人工智能芯片") == [*bigram_tokens("英伟达的人工智能芯片"), "人工智能"]


def test_lexical_update_reads_only_changed_articles_and_equals_rebuild(seed_chunks: list[StoredChunk]) -> None:
    articles = sorted({c.article_id for c in seed_chunks})
    index = LexicalIndex(seed_chunks, "v1", {a: "1" for a in articles})
    renamed = [StoredChunk(c.chunk_id + "-v2", c.article_id, c.ordinal, c.text, c.search_text, c.title, None)
               for c in seed_chunks if c.article_id == articles[1]]
    fetched: list[Sequence[str]] = []

    def fetch(article_ids: Sequence[str]) -> list[StoredChunk]:
        fetched.append(list(article_ids))
        return [c for c in renamed if c.article_id in article_ids]

    versions = {a: "1" for a in articles if a != articles[0]} | {articles[1]: "2"}  # drop one, change one
    updated = index.updated(versions, fetch, "v2")
    assert fetched == [[articles[1]]]
    final = [c for c in seed_chunks if c.article_id not in articles[:2]] + renamed
    assert updated.size == len(final)
    fresh = rebuilt(updated, final)
    for query in QUERIES:
        assert by_id(updated, query) == by_id(fresh, query)
    assert dict(updated.document_frequency) == dict(fresh.document_frequency)
    assert index.size == len(seed_chunks) and index.fingerprint == "v1"  # readers of the old index unaffected


def test_lexical_merge_after_many_changes_keeps_scores(seed_chunks: list[StoredChunk]) -> None:
    index = LexicalIndex(seed_chunks[:10])
    for start in range(10, len(seed_chunks), 9):  # many small segments, then churn
        index.add(seed_chunks[start:start + 9])
    for _ in range(3):
        index.remove([c.chunk_id for c in seed_chunks[:40]])
        index.add(seed_chunks[:40])
    assert len(index.segments) <= 8 and len(index.slots) < 2 * len(seed_chunks)
    fresh = rebuilt(index, seed_chunks)
    for query in QUERIES:
        assert by_id(index, query) == by_id(fresh, query)
    assert dict(index.document_frequency) == dict(fresh.document_frequency)


def test_lexicalcache_round_trip_keeps_everything(tmp_path: Path, seed_chunks: list[StoredChunk]) -> None:
    index = LexicalIndex(seed_chunks[:50], "gen:5", {"a": "1"})
    index.add(seed_chunks[50:])
    index.remove([seed_chunks[3].chunk_id])
    cache = LexicalCache(tmp_path / "lexical")
    cache.save_later(index)
    cache.flush()
    loaded = cache.load()
    assert loaded is not None
    assert (loaded.fingerprint, loaded.versions, loaded.size) == ("gen:5", {"a": "1"}, len(seed_chunks) - 1)
    for query in QUERIES:
        assert by_id(loaded, query) == by_id(index, query)
    assert loaded.chunks == index.chunks
    assert "英伟达" in loaded.segmenter.learned and loaded.segmenter.learned == index.segmenter.learned
    assert loaded.terms_kind == index.terms_kind and loaded.terms("英伟达的显卡") == index.terms("英伟达的显卡")
    assert (loaded.latin_mask() == index.latin_mask()).all()


@pytest.mark.parametrize("terms", ["bigrams", "both"])
def test_lexical_learns_the_corpus_words_and_keeps_older_chunks_matching(terms: str) -> None:
    old = [chunk("old", "卡洛维奇上个赛季还在替补席上。", "a"), chunk("other", "门将扑出了点球。", "a")]
    index = LexicalIndex(old, terms=terms)  # type: ignore[arg-type]
    assert "卡洛维奇" not in index.segmenter.learned and "卡洛维奇" not in index.vocab
    new = [chunk(f"n{i}", text, "b") for i, text in enumerate([
        "前锋卡洛维奇打进制胜球。", "主教练表示卡洛维奇的跑位很好。", "球迷高喊卡洛维奇的名字。",
        "俱乐部与卡洛维奇商谈续约。"])]
    index.add(new)
    assert "卡洛维奇" in index.segmenter.learned
    assert ("卡洛维奇" in index.vocab) == (terms == "both")
    assert index.frequency("卡洛维奇") == 5  # with words: the older chunk was re-tokenised with it
    fresh = LexicalIndex(old + new, terms=terms, segmenter=Segmenter(index.segmenter.learned),  # type: ignore[arg-type]
                         learn=False)
    assert by_id(index, "卡洛维奇进球") == by_id(fresh, "卡洛维奇进球")
    assert dict(index.document_frequency) == dict(fresh.document_frequency)


def test_lexical_frequency_and_idf_of_words_over_bigrams() -> None:
    texts = ["英伟达发布新芯片", "英伟达股价上涨", "伟达光电成立", "华为发布手机"]
    index = LexicalIndex([chunk(str(i), t) for i, t in enumerate(texts)], terms="bigrams", learn=False)
    assert "英伟达" not in index.vocab
    assert index.frequency("英伟达") == 2 and index.frequency("英偉達") == 2  # its bigrams, together
    assert index.frequency("伟达") == 3 and index.frequency("苹果") == 0
    assert index.idf("英伟达") == pytest.approx(math.log(1 + 4 / 3))
    assert index.idf("华为") > index.idf("伟达")
    df = index.document_frequency
    assert df["英伟达"] == 2 and df.get("苹果", 0) == 0 and "苹果" not in df
    assert set(df) == {t for t in index.vocab if index.frequency(t)}


def test_lexical_search_form_meets_regional_words() -> None:
    index = LexicalIndex([chunk("tw", "這款晶片採用5奈米製程，軟體可以空中更新。", "tw"),
                          chunk("cn", "新车的电池包采用了新的工艺。", "cn")])
    scores = by_id(index, "5纳米工艺的芯片")
    assert scores["tw"] > scores["cn"]
    assert by_id(index, "软件")["tw"] > 0 and by_id(index, "软件")["cn"] == 0
    assert index.chunk_at(index.position["tw"]).text.startswith("這款晶片")  # shown as written


def test_lexical_coverage_by_script() -> None:
    index = LexicalIndex([chunk("zh", "美国联邦储备委员会宣布降息。", "zh"),
                          chunk("en", "The Federal Reserve cut interest rates by half a point.", "en")])
    assert index.article_groups() == {False: ["zh"], True: ["en"]}
    assert index.coverage("federal reserve rates") == pytest.approx(1.0)
    assert index.coverage("federal reserve rates", latin=False) == 0.0
    assert index.coverage("federal reserve rates", latin=True) == pytest.approx(1.0)
    assert 0.0 < index.coverage("美国降息了吗 rates") < 1.0
    assert index.coverage("完全无关的问题") < 0.5


def test_lexicalcache_unreadable_folder_means_rebuild(tmp_path: Path, seed_chunks: list[StoredChunk]) -> None:
    cache = LexicalCache(tmp_path / "lexical")
    cache.save(LexicalIndex(seed_chunks, "old"))
    broken = tmp_path / "lexical" / "index-new"
    broken.mkdir()
    (broken / "index.json").write_text("{not json", encoding="utf-8")
    loaded = cache.load()  # the newest is broken: the older one still loads
    assert loaded is not None and loaded.fingerprint == "old"
    (tmp_path / "lexical" / "index-old" / "arrays.npz").write_bytes(b"garbage")
    assert cache.load() is None


class CountingStore(ChunkStore):
    """The real store, counting the whole-store reads a retriever makes."""

    reads: list[Sequence[str] | None]

    def committed_chunks(self, article_ids: Sequence[str] | None = None) -> list[StoredChunk]:
        self.reads.append(None if article_ids is None else list(article_ids))
        return super().committed_chunks(article_ids)


def counting_store(store: ChunkStore) -> CountingStore:
    counting = CountingStore(store.client, store.name, store.embedding_name)
    counting.reads = []
    return counting


def test_retriever_starts_from_cache_and_catches_up_per_article(
        seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding, tmp_path: Path) -> None:
    cache_dir = tmp_path / "lexical"
    first = HybridRetriever(seeded_fake.store, fake_embeddings, cache=LexicalCache(cache_dir))
    expected = first.retrieve("英伟达H20减值多少", k=5)
    assert first.cache is not None
    first.cache.flush()

    store = counting_store(seeded_fake.store)
    restarted = HybridRetriever(store, fake_embeddings, cache=LexicalCache(cache_dir))
    assert restarted.retrieve("英伟达H20减值多少", k=5) == expected
    assert store.reads == []  # nothing re-read: the cache matched the store

    extra = tmp_path / "extra.txt"
    extra.write_text("新文章\n英伟达在成都新建研发中心，投资十亿元。", encoding="utf-8")
    seeded_fake.ingest_paths([extra])  # another writer commits an article
    hits = restarted.retrieve("成都研发中心", k=5)
    assert store.reads == [["extra"]]
    assert next(h for h in hits if h.legs["bm25"] == 1).article_id == "extra"  # fake dense vectors are noise


def test_store_fingerprint_sees_commits_of_another_client(fake_store: ChunkStore, seeded_fake: Ingestor) -> None:
    other = ChunkStore(fake_store.client, fake_store.name, fake_store.embedding_name)
    before = other.fingerprint()
    seeded_fake.store.delete_article(sorted(seeded_fake.store.versions())[0])
    assert other.fingerprint() != before


def test_store_dense_search_returns_what_it_holds_when_asked_for_more(
        fake_store: ChunkStore, seeded_fake: Ingestor, fake_embeddings: NamedFakeEmbedding) -> None:
    """More wanted than stored: every visible chunk, best first; an empty store: nothing."""
    vector = fake_embeddings.embed_query("英伟达")
    total = len(fake_store.committed_chunks())
    hits = fake_store.dense_search(vector, total * 3)
    assert len(hits) == total and [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    for article_id in sorted(fake_store.versions()):
        fake_store.delete_article(article_id)
    assert fake_store.dense_search(vector, 5) == []


def test_store_ef_search_follows_settings(fake_store: ChunkStore) -> None:
    ChunkStore(fake_store.client, fake_store.name, fake_store.embedding_name, ef_search=300)
    configuration = fake_store.client.get_collection(fake_store.name).configuration
    assert configuration["hnsw"]["ef_search"] == 300


def test_top_indices_orders_ties_by_position() -> None:
    from assistant.retrieval.lexical import top_indices

    scores = np.array([0.0, 2.0, 1.0, 2.0, 1.0, 1.0, 3.0], dtype=np.float32)
    assert top_indices(scores, 4) == [6, 1, 3, 2]
    assert top_indices(scores, 10) == [6, 1, 3, 2, 4, 5]
    assert top_indices(scores, 3, scores < 2.5) == [1, 3, 2]


def test_lexical_article_text_is_the_search_form_of_its_live_chunks_and_title() -> None:
    index = LexicalIndex([chunk("a:1", "騰訊的年報", "a"), chunk("a:2", "採購了1萬枚晶片", "a"),
                          chunk("b:1", "别的", "b")])
    text = index.article_text("a")
    assert "腾讯" in text and "芯片" in text and "别的" not in text and text.startswith("t")
    index.remove(["a:2"])
    assert "芯片" not in index.article_text("a") and index.article_text("unknown") == ""
