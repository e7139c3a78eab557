"""The lexical index on disk: one folder per store fingerprint, written atomically.

A process start loads the newest folder and catches up with the store from there (only the
articles that changed since are read), instead of re-reading and re-tokenising every chunk.
Saving happens on a background thread, so a request that changed the index does not wait for
the disk; the thread is not a daemon, so a CLI run finishes its save before it exits.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import asdict
from pathlib import Path

import numpy as np
from scipy import sparse as sp

from assistant.retrieval.lexical import LexicalIndex, Segment
from assistant.storage.chunks import StoredChunk

# 2: chunks carry their article's publication date; 3: search form (tw2sp), learned words, term kind, chunk scripts
FORMAT = 3
KEEP = 2  # folders kept: the newest plus one that a concurrent reader may still be loading


class LexicalCache:
    """Saves and loads `LexicalIndex`es under `folder` (e.g. `<data_dir>/cache/lexical/<collection>`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._pending: LexicalIndex | None = None
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def load(self) -> LexicalIndex | None:
        """The newest saved index, or None when there is none or it cannot be read."""
        for path in self._saved():
            try:
                return _read(path)
            except (OSError, ValueError, KeyError, TypeError):
                continue  # half-deleted or another format: an older one, or a rebuild
        return None

    def save_later(self, index: LexicalIndex) -> None:
        """Save on the background thread; a newer index replaces one still waiting."""
        with self._lock:
            self._pending = index
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._drain, name="lexical-cache", daemon=False)
                self._worker.start()

    def flush(self) -> None:
        """Wait for the background save (tests, shutdown)."""
        worker = self._worker
        if worker is not None:
            worker.join()

    def _drain(self) -> None:
        while True:
            with self._lock:
                index, self._pending = self._pending, None
            if index is None:
                return
            with contextlib.suppress(OSError):  # a cache: the next change or process start tries again
                self.save(index)

    def save(self, index: LexicalIndex) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / _name(index.fingerprint)
        if target.exists():
            return
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=self.folder))
        try:
            _write(index, staging)
            os.replace(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        for old in self._saved()[KEEP:]:
            shutil.rmtree(old, ignore_errors=True)

    def _saved(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        found = [p for p in self.folder.iterdir() if p.is_dir() and p.name.startswith("index-")]
        return sorted(found, key=lambda p: p.stat().st_mtime_ns, reverse=True)


def _name(fingerprint: str) -> str:
    return "index-" + "".join(ch if ch.isalnum() else "_" for ch in fingerprint)


def _write(index: LexicalIndex, folder: Path) -> None:
    arrays: dict[str, np.ndarray] = {"df": index.df_counts}
    for n, segment in enumerate(index.segments):
        arrays |= _matrix(f"tf{n}", segment.tf) | {f"lengths{n}": segment.lengths, f"latin{n}": segment.latin}
        if segment.sparse is not None:
            arrays |= _matrix(f"sparse{n}", segment.sparse)
    np.savez(folder / "arrays.npz", **arrays)  # type: ignore[arg-type]
    meta = {"format": FORMAT, "fingerprint": index.fingerprint, "versions": index.versions,
            "segments": len(index.segments), "vocab": sorted(index.vocab, key=index.vocab.__getitem__),
            "terms": index.terms_kind, "learned": sorted(index.segmenter.learned),
            "slots": [None if c is None else {**asdict(c), "sparse": None} for c in index.slots]}
    (folder / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def _matrix(name: str, matrix: sp.csc_matrix | sp.csr_matrix) -> dict[str, np.ndarray]:
    return {f"{name}_data": matrix.data, f"{name}_indices": matrix.indices, f"{name}_indptr": matrix.indptr,
            f"{name}_shape": np.asarray(matrix.shape)}


def _read(folder: Path) -> LexicalIndex:
    meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"lexical cache format {meta.get('format')} is not {FORMAT}")
    with np.load(folder / "arrays.npz") as arrays:
        segments = []
        for n in range(int(meta["segments"])):
            tf = sp.csc_matrix(_parts(arrays, f"tf{n}"), shape=tuple(arrays[f"tf{n}_shape"]))
            sparse = (sp.csr_matrix(_parts(arrays, f"sparse{n}"), shape=tuple(arrays[f"sparse{n}_shape"]))
                      if f"sparse{n}_data" in arrays else None)
            segments.append(Segment(tf, arrays[f"lengths{n}"], sparse, arrays[f"latin{n}"]))
        df = arrays["df"]
    slots = [None if c is None else StoredChunk(**c) for c in meta["slots"]]
    vocab = {token: i for i, token in enumerate(meta["vocab"])}
    return LexicalIndex.restored(segments, slots, vocab, df, meta["versions"], str(meta["fingerprint"]),
                                 terms=meta["terms"], learned=meta["learned"])


def _parts(arrays: np.lib.npyio.NpzFile, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return arrays[f"{name}_data"], arrays[f"{name}_indices"], arrays[f"{name}_indptr"]
