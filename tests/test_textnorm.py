import pytest

from assistant.textnorm import detect_script, normalize, normalize_for_match, to_traditional


def test_textnorm_normalize_converts_traditional_and_nfkc() -> None:
    assert normalize("英偉達ＨＢＭ３ｅ  容量") == "英伟达hbm3e 容量"


def test_textnorm_match_form_drops_all_whitespace() -> None:
    assert normalize_for_match("4 月 17 日 55億") == "4月17日55亿"


@pytest.mark.parametrize(("text", "script"), [
    ("英偉達計提了55億美元損失", "Hant"),
    ("英伟达计提了55亿美元损失", "Hans"),
    ("What did Nvidia write down?", "Latn"),
    ("How big is the H20's HBM3e 容量?", "Latn"),
])
def test_textnorm_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_textnorm_seed_scripts(seeds_dir) -> None:  # type: ignore[no-untyped-def]
    scripts = {p.stem[:3]: detect_script(p.read_text(encoding="utf-8")) for p in seeds_dir.glob("*.txt")}
    assert scripts == {"000": "Hant", "001": "Hans", "002": "Hans", "003": "Hant", "004": "Hant"}


def test_textnorm_to_traditional() -> None:
    assert to_traditional("英伟达计提") == "英偉達計提"
