"""Lexical legs of hybrid retrieval: BM25 over the words and character bigrams of the search
form, and learned-sparse dot products.

The index is a list of immutable segments (sparse term-frequency matrices, Lucene style): a
change to the store appends a segment for the new chunks and marks removed chunks dead, so
an upload at 100k chunks costs the upload, not a rebuild. Segments merge when there are many
or many dead rows. The index persists to disk (`LexicalCache`) so that a process start loads
it instead of re-reading and re-tokenising every chunk.

Terms: chunks and queries are matched in their search form (`textnorm.search_form`: Simplified,
mainland usage), as character bigrams plus the words of a `Segmenter` that has learned the
corpus's own words (`segment.discover_words`) — see `TERMS` for what measured best.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import numpy as np

from assistant.retrieval.postings import (
    TERMS,
    DocumentFrequency,
    Segment,
    Terms,
    bm25,
    column_meets,
    index_terms,
    merged_segment,
    rows_with_all,
    segment_of,
    sparse_dot,
    top_indices,
)
from assistant.storage.chunks import StoredChunk
from assistant.text.normalize import search_form
from assistant.text.segment import LATIN_WORD, Segmenter, bigram_tokens, discover_words
from assistant.types import SparseVector

__all__ = ["LATIN_WORD", "TERMS", "DocumentFrequency", "LexicalIndex", "Segment", "bigram_tokens", "index_terms",
           "top_indices"]

MAX_SEGMENTS = 8
ARTICLE_TEXTS = 4096  # article texts kept by `article_text` (the names stage reads a few dozen per query)
MAX_DEAD_SHARE = 0.25
Fetch = Callable[[Sequence[str]], Sequence[StoredChunk]]  # article ids → their committed chunks


class LexicalIndex:
    """BM25 and optional sparse-vector scoring over the store's visible chunks.

    Chunks are indexed in their search form (`search_form` of their text; the slots keep it as
    `search_text`), queries too. With `learn`, every batch of chunks added teaches the index's
    `segmenter` the words it finds in them (`discover_words`); older chunks that contain a newly
    learned word are re-tokenised with it, so the index always equals one built at once with the
    same learned words."""

    def __init__(self, chunks: Sequence[StoredChunk] = (), fingerprint: str = "",
                 versions: Mapping[str, str] | None = None, *, terms: Terms = TERMS,
                 segmenter: Segmenter | None = None, learn: bool = True) -> None:
        self.fingerprint = fingerprint
        self.versions = dict(versions or {})  # article id → committed version the index holds
        self.terms_kind: Terms = terms
        self.segmenter = segmenter or Segmenter()  # read-only: a change makes a new one
        self.learn = learn
        self.vocab: dict[str, int] = {}
        self.slots: list[StoredChunk | None] = []  # global positions; None = dead
        self.position: dict[str, int] = {}
        self.segments: list[Segment] = []
        self._df = np.zeros(0, dtype=np.int64)
        self._live_length = 0.0
        self._live: np.ndarray | None = None
        self._frequencies: dict[str, int] = {}
        self._latin: np.ndarray | None = None
        self._groups: dict[bool, list[str]] | None = None
        self._articles: dict[str, list[int]] | None = None
        self._article_texts: OrderedDict[str, str] = OrderedDict()  # the last ARTICLE_TEXTS read
        self.add(chunks)

    # ------------------------------------------------------------------ reading

    @property
    def chunks(self) -> list[StoredChunk]:
        """The live chunks, in position order."""
        return [c for c in self.slots if c is not None]

    @property
    def size(self) -> int:
        return len(self.position)

    @property
    def document_frequency(self) -> DocumentFrequency:
        return DocumentFrequency(self.vocab, self._df, self.frequency)

    @property
    def has_sparse(self) -> bool:
        return bool(self.segments) and all(s.sparse is not None for s in self.segments)

    @property
    def df_counts(self) -> np.ndarray:
        return self._df

    @classmethod
    def restored(cls, segments: Sequence[Segment], slots: Sequence[StoredChunk | None], vocab: dict[str, int],
                 df: np.ndarray, versions: Mapping[str, str], fingerprint: str, *, terms: Terms = TERMS,
                 learned: Iterable[str] = ()) -> LexicalIndex:
        """An index from its saved parts (`LexicalCache`)."""
        index = cls(fingerprint=fingerprint, versions=versions, terms=terms, segmenter=Segmenter(learned))
        index.vocab, index.segments, index.slots, index._df = vocab, list(segments), list(slots), df
        index.position = {c.chunk_id: i for i, c in enumerate(index.slots) if c is not None}
        lengths = np.concatenate([s.lengths for s in segments]) if segments else np.zeros(0, np.float32)
        index._live_length = float(lengths[index.live_mask()].sum())
        return index

    def chunk_at(self, position: int) -> StoredChunk:
        chunk = self.slots[position]
        if chunk is None:
            raise KeyError(position)
        return chunk

    def live_mask(self) -> np.ndarray:
        """True at live positions (cached: a published index does not change)."""
        if self._live is None or len(self._live) != len(self.slots):
            self._live = np.array([c is not None for c in self.slots], dtype=bool)
        return self._live

    def latin_mask(self) -> np.ndarray:
        """True at live positions of Latin-script chunks (cached like `live_mask`)."""
        if self._latin is None or len(self._latin) != len(self.slots):
            flags = np.concatenate([s.latin for s in self.segments]) if self.segments else np.zeros(0, bool)
            self._latin = flags & self.live_mask()
        return self._latin

    def article_groups(self) -> dict[bool, list[str]]:
        """Article ids by script (True: Latin-script articles), each article by most of its chunks."""
        if self._groups is None:
            votes: dict[str, int] = {}
            latin = self.latin_mask()
            for position, chunk in enumerate(self.slots):
                if chunk is not None:
                    votes[chunk.article_id] = votes.get(chunk.article_id, 0) + (1 if latin[position] else -1)
            groups: dict[bool, list[str]] = {}
            for article_id, vote in votes.items():
                groups.setdefault(vote > 0, []).append(article_id)
            self._groups = {g: sorted(ids) for g, ids in groups.items()}
        return self._groups

    def article_text(self, article_id: str) -> str:
        """The search form of an article's live chunks and its title, for what it names anywhere
        (a name given once in an article holds in all its passages)."""
        if self._articles is None:
            articles: dict[str, list[int]] = {}
            for position, chunk in enumerate(self.slots):
                if chunk is not None:
                    articles.setdefault(chunk.article_id, []).append(position)
            self._articles = articles
            self._article_texts = OrderedDict()
        found = self._article_texts.get(article_id)
        if found is None:
            chunks = [self.slots[p] for p in self._articles.get(article_id, [])]
            texts = [c.search_text for c in chunks if c is not None]
            title = next((c.title for c in chunks if c is not None and c.title), "")
            found = "\n".join([search_form(title), *texts]) if title else "\n".join(texts)
            self._article_texts[article_id] = found
            while len(self._article_texts) > ARTICLE_TEXTS:
                self._article_texts.popitem(last=False)
        return found

    def coverage(self, text: str, latin: bool | None = None) -> float:
        """How much of a text (a question) the index can match at all: the IDF-weighted share of
        its terms that occur in some live chunk (of that script only, when `latin` is given).
        A term that occurs nowhere weighs as the rarest."""
        n = self.size
        if not n:
            return 0.0
        where = None if latin is None else (self.latin_mask() if latin else self.live_mask() & ~self.latin_mask())
        total = held = 0.0
        for term in self.terms(text):
            column = self.vocab.get(term)
            df = int(self._df[column]) if column is not None else 0
            weight = math.log1p((n - df + 0.5) / (df + 0.5))
            total += weight
            if df and (where is None or column_meets(self._spans(), column, where)):  # type: ignore[arg-type]
                held += weight
        return held / total if total else 0.0

    def terms(self, text: str) -> list[str]:
        """The index's terms of a text in any script (brought to the search form first)."""
        return index_terms(search_form(text), self.segmenter, self.terms_kind)

    def frequency(self, term: str) -> int:
        """How many live chunks hold `term` (any script): its count when it is a token of the
        index, else the chunks that hold every token of it (a word, where the index counts its
        bigrams; an upper bound on the chunks holding the word as written)."""
        form = search_form(term)
        cached = self._frequencies.get(form)
        if cached is not None:
            return cached
        column = self.vocab.get(form)
        if column is not None:
            found = int(self._df[column])
        else:
            columns = sorted({self.vocab.get(t, -1) for t in self.terms(form)})
            found = 0 if not columns or -1 in columns else rows_with_all(self._spans(), self.live_mask(), columns)
        self._frequencies[form] = found
        return found

    def idf(self, term: str) -> float:
        """`log(1 + N / (1 + df))` of a term (any script, a token of the index or not)."""
        return math.log(1 + self.size / (1 + self.frequency(term)))

    def bm25_scores(self, query: str) -> np.ndarray:
        """A score per position (dead positions score 0); `query` in any script."""
        columns = [self.vocab[t] for t in self.terms(query) if t in self.vocab]
        if not columns or not self.size:
            return np.zeros(len(self.slots), dtype=np.float32)
        scores = bm25(self._spans(), columns, self._df, self.size, self._live_length / self.size, len(self.slots))
        scores[~self.live_mask()] = 0.0
        return scores

    def sparse_scores(self, query: SparseVector) -> np.ndarray:
        if not self.has_sparse:
            return np.zeros(len(self.slots), dtype=np.float32)
        scores = sparse_dot(self._spans(), query, len(self.slots))
        scores[~self.live_mask()] = 0.0
        return scores

    # ------------------------------------------------------------------ changes

    def add(self, chunks: Sequence[StoredChunk]) -> None:
        """Append one segment holding `chunks` (ids already in the index are replaced)."""
        self.remove([c.chunk_id for c in chunks if c.chunk_id in self.position])
        if not chunks:
            return
        batch = [_in_search_form(c) for c in chunks]
        if self.learn:
            batch = self._learn_from(batch)
        self._append(segment_of(batch, self.vocab, self.segmenter, self.terms_kind), batch)

    def remove(self, chunk_ids: Sequence[str]) -> None:
        """Mark chunks dead; their statistics leave the index at once."""
        positions = sorted(p for p in (self.position.pop(cid, None) for cid in chunk_ids) if p is not None)
        for offset, segment in self._spans():
            rows = [p - offset for p in positions if offset <= p < offset + segment.size]
            if rows:
                dead = segment.tf[rows]
                np.subtract.at(self._df, dead.nonzero()[1], 1)
                self._live_length -= float(segment.lengths[rows].sum())
        for position in positions:
            self.slots[position] = None
        self._live = self._latin = self._groups = self._articles = None
        self._frequencies = {}
        if self._needs_merge():
            self.merge()

    def updated(self, versions: Mapping[str, str], fetch: Fetch, fingerprint: str) -> LexicalIndex:
        """A copy brought to the store's committed `versions`, reading only the changed articles
        (readers of this index are never disturbed)."""
        stale = {aid for aid, version in self.versions.items() if versions.get(aid) != version}
        fresh = [aid for aid, version in versions.items() if self.versions.get(aid) != version]
        index = self.copy()
        index.remove([c.chunk_id for c in self.chunks if c.article_id in stale])
        index.add(fetch(fresh))
        index.versions = dict(versions)
        index.fingerprint = fingerprint
        return index

    def copy(self) -> LexicalIndex:
        """Shares the immutable segments (and the segmenter); copies what changes."""
        index = copy.copy(self)
        index.vocab, index.slots, index.position = dict(self.vocab), list(self.slots), dict(self.position)
        index.segments, index.versions, index._df = list(self.segments), dict(self.versions), self._df.copy()
        index._live = index._latin = index._groups = index._articles = None
        index._frequencies = {}
        return index

    def merge(self) -> None:
        """Rewrite every segment's live rows into one segment."""
        chunks = self.chunks
        merged = merged_segment(self._spans(), self.live_mask(), len(self.vocab))
        self.segments, self.slots, self.position = [], [], {}
        self._append(merged, chunks, count=False)

    # ------------------------------------------------------------------ internals

    def _learn_from(self, batch: list[StoredChunk]) -> list[StoredChunk]:
        """Teach the segmenter the batch's new words; returns the batch plus the older chunks
        that hold one of them (removed here, to be re-tokenised with the batch)."""
        fresh = discover_words([c.search_text for c in batch], self.segmenter)
        if not fresh:
            return batch
        self.segmenter = self.segmenter.extended(fresh)
        if self.terms_kind == "bigrams":
            return batch
        pattern = re.compile("|".join(map(re.escape, sorted(fresh, key=len, reverse=True))))
        touched = [c for c in self.chunks if pattern.search(c.search_text)]
        if not touched:
            return batch
        self.remove([c.chunk_id for c in touched])
        return touched + batch

    def _spans(self) -> Iterator[tuple[int, Segment]]:
        """(first global position, segment) of each segment, in order."""
        offset = 0
        for segment in self.segments:
            yield offset, segment
            offset += segment.size

    def _append(self, segment: Segment, chunks: Sequence[StoredChunk], count: bool = True) -> None:
        start = len(self.slots)
        self.segments.append(segment)
        self.slots.extend(chunks)
        self.position.update({c.chunk_id: start + i for i, c in enumerate(chunks)})
        self._frequencies = {}
        self._live = self._latin = self._groups = self._articles = None
        if len(self._df) < len(self.vocab):
            self._df = np.concatenate([self._df, np.zeros(len(self.vocab) - len(self._df), dtype=np.int64)])
        if count:
            present = np.diff(segment.tf.indptr)
            self._df[: len(present)] += present
            self._live_length += float(segment.lengths.sum())
        if len(self.segments) > MAX_SEGMENTS:
            self.merge()

    def _needs_merge(self) -> bool:
        dead = len(self.slots) - self.size
        return dead > 0 and dead > MAX_DEAD_SHARE * len(self.slots)


def _in_search_form(chunk: StoredChunk) -> StoredChunk:
    form = search_form(chunk.text)
    return chunk if form == chunk.search_text else dataclasses.replace(chunk, search_text=form)


