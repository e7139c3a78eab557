"""Child process for the SIGKILL test: re-ingests the seeds forever, alternating chunk sizes so
that every pass rewrites every article (new chunks, commit, removal of the old version).

    python -m tests.support.ingest_child DATA_DIR
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from assistant.config import load_settings
from assistant.factory import build_store
from assistant.ingest.ingestor import Ingestor
from tests.support.data import SEEDS, NamedFakeEmbedding


def main() -> None:
    settings = load_settings(data_dir=Path(sys.argv[1]))
    embeddings = NamedFakeEmbedding(size=64)
    store = build_store(settings, embeddings)
    for n in itertools.count():
        Ingestor(store, embeddings, chunk_tokens=80 if n % 2 else 160, overlap_tokens=20).ingest_paths([SEEDS])
        print(f"pass {n}", flush=True)


if __name__ == "__main__":
    main()
