import pytest

from assistant.text.normalize import (
    detect_script,
    is_latin,
    normalize,
    normalize_for_match,
    search_form,
    to_traditional,
)


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


@pytest.mark.parametrize(("taiwan", "mainland"), [
    ("5奈米製程", "5纳米制程"), ("軟體", "软件"), ("記憶體", "内存"), ("網路", "网络"), ("計程車", "出租车"),
    ("伺服器", "服务器"), ("滑鼠", "鼠标"),
])
def test_textnorm_search_form_meets_regional_words(taiwan: str, mainland: str) -> None:
    assert search_form(taiwan) == search_form(mainland) == mainland
    assert search_form(search_form(taiwan)) == search_form(taiwan)
    assert normalize(taiwan) != mainland or taiwan == mainland  # the contract's form does not convert phrases


def test_textnorm_search_form_keeps_what_normalize_keeps() -> None:
    assert search_form("英偉達ＨＢＭ３ｅ  容量") == normalize("英偉達ＨＢＭ３ｅ  容量") == "英伟达hbm3e 容量"
    assert normalize_for_match("記憶體 16GB") == "记忆体16gb"  # fact matching unchanged


def test_textnorm_is_latin() -> None:
    assert is_latin("The Fed cut rates") and is_latin("2024-09-18")
    assert not is_latin("来那卡帕韦（lenacapavir）在美国的标价")


def test_quote_for_never_converts_a_quote_into_traditional() -> None:
    from assistant.text.normalize import quote_for as to_script

    taiwanese = "林郁婷以5:0擊敗波蘭選手，拿下拳擊金牌。"
    assert to_script(taiwanese, "Hant") == taiwanese  # s2t would turn 郁 into 鬱
    assert to_script("林郁婷拿下拳击金牌。", "Hant") == "林郁婷拿下拳击金牌。"
    assert to_script(taiwanese, "Hans") == "林郁婷以5:0击败波兰选手，拿下拳击金牌。"
    assert to_script("Gilead is based in Foster City.", "Hans") == "Gilead is based in Foster City."
