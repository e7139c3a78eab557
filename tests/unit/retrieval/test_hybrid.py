from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.errors import EmptyStoreError, InvalidInputError
from assistant.factory import build_store
from assistant.ingest.ingestor import Ingestor
from assistant.retrieval.hybrid import LEG_WEIGHTS, HybridRetriever
from assistant.retrieval.lexical import bigram_tokens
from assistant.storage.chunks import ChunkStore
from assistant.text.normalize import is_latin
from assistant.types import Filters
from tests.support.data import NamedFakeEmbedding


@pytest.fixture
def ingested(fake_ingestor: Ingestor, seeds_dir: Path) -> Ingestor:
    fake_ingestor.ingest_paths([seeds_dir])
    return fake_ingestor


def test_retrieval_bigram_tokens_mix_cjk_and_words() -> None:
    assert bigram_tokens("h20算力不到h100的15%") == ["算力", "力不", "不到", "的", "h20", "h100", "15"]


@pytest.mark.parametrize(("question", "k", "message"), [
    ("", 5, "empty"), ("   \n ", 5, "empty"), ("问" * 2001, 5, "limit is 2000"),
    ("H20", 0, "between 1 and 50"), ("H20", 51, "between 1 and 50"),
])
def test_retrieval_rejects_bad_input(fake_retriever: HybridRetriever, question: str, k: int, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        fake_retriever.retrieve(question, k=k)


def test_retrieval_empty_store_is_clear_error(fake_retriever: HybridRetriever) -> None:
    with pytest.raises(EmptyStoreError, match="assistant ingest"):
        fake_retriever.retrieve("英伟达")


def test_retrieval_hits_carry_ids_scores_and_legs(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    hits = fake_retriever.retrieve("英偉達計提了多少億美元損失", k=5)
    assert [h.rank for h in hits] == [1, 2, 3, 4, 5]
    assert all(h.chunk_id.startswith(h.article_id + ":") for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(set(h.legs) == {"dense", "bm25"} for h in hits)
    lexical_best = next(h for h in hits if h.legs["bm25"] == 1)  # fake dense vectors are noise
    assert "计提" in lexical_best.text or "計提" in lexical_best.text  # found across scripts
    as_dict = hits[0].contract_dict()
    assert {"rank", "article_id", "chunk_id", "text", "score"} <= set(as_dict)


def test_retrieval_returns_original_text_not_normalised(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    hits = fake_retriever.retrieve("昇腾910C良品率", k=3, filters=Filters(article_ids=("003_487fbec222c91da9",)))
    assert hits and all(h.article_id == "003_487fbec222c91da9" for h in hits)
    assert any("昇騰" in h.text for h in hits)  # Traditional, as the article wrote it


def test_retrieval_filters_by_outlet(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    hits = fake_retriever.retrieve("华为", k=10, filters=Filters(outlets=("市值观察",)))
    assert hits and {h.outlet for h in hits} == {"市值观察"}


def test_retrieval_index_follows_store_changes(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    before = fake_retriever.lexical_index()
    ingested.store.delete_article("002_9b6c0dc71fbfa5b9")
    after = fake_retriever.lexical_index()
    assert after is not before
    assert all(c.article_id != "002_9b6c0dc71fbfa5b9" for c in after.chunks)
    assert all(h.article_id != "002_9b6c0dc71fbfa5b9" for h in fake_retriever.retrieve("星速配资 华为", k=20))


def test_reciprocal_rank_fusion_prefers_agreement_of_both_legs() -> None:
    from assistant.retrieval.hybrid import LEG_WEIGHTS, RRF_K, reciprocal_rank_fusion

    ranked = {"dense": ["look-alike", "seed", "other"], "bm25": ["seed", "other", "look-alike"]}
    fused = reciprocal_rank_fusion(ranked, LEG_WEIGHTS, RRF_K)
    assert fused["seed"] == LEG_WEIGHTS["dense"] / (RRF_K + 2) + LEG_WEIGHTS["bm25"] / (RRF_K + 1)
    assert max(fused, key=fused.__getitem__) == "seed"  # first for BM25, second for dense
    assert reciprocal_rank_fusion({}, LEG_WEIGHTS, RRF_K) == {}


class TopicEmbedding(Embeddings):
    """Vectors like a real multilingual model's: a part every text shares, one dimension per topic
    word, and a heavier one per script, so that any passage in the question's script beats a
    relevant one in the other script on raw similarity."""

    name = "fake:topic-and-script:6"
    TOPICS = (("美联储", "federal reserve"), ("足球", "football"), ("联赛", "league"))

    def _vector(self, text: str) -> list[float]:
        lowered = text.lower()
        vector = [2.0] + [1.0 if any(w in lowered for w in words) else 0.0 for words in self.TOPICS]
        vector += [0.0, 1.5] if is_latin(text) else [1.5, 0.0]
        norm = sum(x * x for x in vector) ** 0.5
        return [x / norm for x in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def write_articles(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def bilingual(settings: Settings, tmp_path: Path) -> tuple[ChunkStore, TopicEmbedding]:
    embeddings = TopicEmbedding()
    store = build_store(settings, embeddings)
    Ingestor(store, embeddings).ingest_paths([write_articles(tmp_path / "articles", {
        "zh_league": "足球联赛开幕\n足球联赛今天开幕，球迷挤满了看台。",
        "zh_transfer": "足球转会\n足球俱乐部签下了一名新前锋。",
        "zh_film": "电影票房\n这部电影的票房突破了五十亿元。",
        "zh_weather": "天气\n明天北京有小雨，气温下降。",
        "zh_market": "股市\n股市今天小幅收涨，成交额放大。",
        "en_fed": "Fed cuts rates\nThe Federal Reserve cut interest rates by half a point on Wednesday.",
        "en_season": "Season opens\nThe football season starts in August with twenty clubs.",
        "en_weather": "Weather\nLondon will be mild and dry this weekend.",
        "en_stocks": "Markets\nStocks closed higher after a quiet session.",
    })])
    return store, embeddings


def test_retrieval_ranks_dense_without_the_models_language_preference(
        bilingual: tuple[ChunkStore, TopicEmbedding]) -> None:
    store, embeddings = bilingual
    question = "美联储降息了多少？"
    fixed = HybridRetriever(store, embeddings, adaptive=False).search(question, k=8)
    assert [h.article_id[:3] for h in fixed.hits[:4]] == ["zh_"] * 4  # raw similarity: any Chinese passage first
    adaptive = HybridRetriever(store, embeddings).search(question, k=4)
    assert adaptive.hits[0].article_id == "en_fed"
    assert adaptive.hits[0].legs["dense"] == 1 and adaptive.weights["bm25"] == 0.0  # nothing to match in English
    assert adaptive.hits[0].dense_score == pytest.approx(next(h.dense_score for h in fixed.hits
                                                              if h.article_id == "en_fed"))  # still the cosine
    same_script = HybridRetriever(store, embeddings).search("足球联赛什么时候开幕？", k=4)
    assert same_script.hits[0].article_id == "zh_league"
    # en_season (football too) is among the dense leg's first passages, and BM25 cannot see it
    assert same_script.weights["bm25"] == 0.0


def test_retrieval_searches_each_script_by_the_shorter_list(bilingual: tuple[ChunkStore, TopicEmbedding]) -> None:
    from assistant.retrieval.fusion import script_restrictions

    store, embeddings = bilingual
    retriever = HybridRetriever(store, embeddings)
    english = ["en_fed", "en_season", "en_stocks", "en_weather"]
    restrictions = script_restrictions(retriever.lexical_index())  # 5 Chinese articles, 4 English
    assert len(restrictions) == 2
    assert {"article_id": {"$nin": english}} in restrictions and {"article_id": {"$in": english}} in restrictions
    hits = retriever.retrieve("美联储降息了多少？", k=9, filters=Filters(article_ids=("zh_market", "en_fed")))
    assert {h.article_id for h in hits} == {"zh_market", "en_fed"} and hits[0].article_id == "en_fed"


def test_retrieval_weighs_bm25_by_what_it_can_match(ingested: Ingestor, fake_retriever: HybridRetriever) -> None:
    chinese = fake_retriever.search("英伟达H20芯片的HBM3e容量是多少？", k=5)
    assert chinese.weights["bm25"] > 0.8
    english = fake_retriever.search("What is the memory capacity of the H20?", k=5)
    assert 0.0 < english.weights["bm25"] < 0.3  # only `h20` occurs in the Chinese articles
    assert english.weights["dense"] == LEG_WEIGHTS["dense"]
    fixed = HybridRetriever(ingested.store, fake_retriever.embeddings, adaptive=False)
    assert fixed.search("What is the memory capacity of the H20?", k=5).weights["bm25"] == LEG_WEIGHTS["bm25"]


def test_retrieval_meets_taiwan_usage_with_mainland_words(settings: Settings, tmp_path: Path) -> None:
    embeddings = NamedFakeEmbedding(size=64)
    store = build_store(settings, embeddings)
    Ingestor(store, embeddings).ingest_paths([write_articles(tmp_path / "articles", {
        "tw_review": "試駕心得\n這款車的晶片採用5奈米製程，車機軟體透過空中更新升級。",
        "cn_battery": "电池技术\n新车的电池采用了新的制造工艺，续航更长。",
    })])
    hits = HybridRetriever(store, embeddings).retrieve("芯片用的是几纳米工艺？软件怎么升级？", k=2)
    best = next(h for h in hits if h.legs["bm25"] == 1)  # fake dense vectors are noise
    assert best.article_id == "tw_review" and "奈米" in best.text  # found in mainland words, shown as written


def test_bm25_weight_follows_the_least_matchable_script_of_the_leading_passages(
        bilingual: tuple[ChunkStore, TopicEmbedding]) -> None:
    from assistant.retrieval.fusion import LEADING, bm25_weight

    store, embeddings = bilingual
    index = HybridRetriever(store, embeddings).lexical_index()
    first = {c.article_id: c.chunk_id for c in reversed(index.chunks)}  # each article's first chunk
    question = "足球联赛什么时候开幕？"
    chinese_only = bm25_weight(1.0, index, question, [first["zh_league"], first["zh_transfer"]])
    assert chinese_only > 0.5
    # an English passage among the dense leg's first ones: BM25 cannot see it, so it may not bury it
    assert bm25_weight(1.0, index, question, [first["zh_league"], first["en_season"]]) == 0.0
    # past the first LEADING passages the script of a passage no longer counts
    late = [first["zh_league"]] * LEADING + [first["en_season"]]
    assert bm25_weight(1.0, index, question, late) == chinese_only
    assert bm25_weight(1.0, index, question, []) == pytest.approx(min(1.0, 2 * index.coverage(question)))
