"""The question's names (`retrieval.names`): a fused candidate whose article never writes them
is about something else and moves down."""

from __future__ import annotations

from assistant.retrieval.names import Names, with_names
from assistant.text.segment import Segmenter
from assistant.types import Hit


def hit(n: int, article: str, text: str, score: float) -> Hit:
    return Hit(n, article, f"{article}:c{n}", text, score, "", None, None)


def test_a_questions_names_are_its_tagged_names_and_codes() -> None:
    names = Names.of("腾讯2024年采购了多少X9芯片？", Segmenter())
    assert names.han == {"腾讯"} and names.codes == {"x9"} and not names.joined
    assert Names.of("How many X9 chips were shipped?", Segmenter()).codes == {"x9"}
    assert Names.of("腾讯和搜狐分别采购了多少X9芯片？", Segmenter()).joined


def test_the_share_an_article_lacks_counts_only_names_its_language_could_write() -> None:
    names = Names.of("腾讯2024年采购了多少X9芯片？", Segmenter())
    assert names.missing("2024年搜狐采购了3万枚x9芯片", latin=False) == 0.5
    assert names.missing("腾讯采购了3万枚x9芯片", latin=False) == 0.0
    assert names.missing("sohu bought 30,000 x9 chips", latin=True) == 0.0  # a Chinese name is not checked in English
    assert names.missing("sohu bought 30,000 t500 chips", latin=True) == 1.0


def test_a_joined_question_lacks_its_names_only_where_an_article_holds_none() -> None:
    names = Names.of("腾讯和搜狐分别采购了多少X9芯片？", Segmenter())
    assert names.missing("搜狐采购了3万枚x9芯片", latin=False) == 0.0
    assert names.missing("百度采购了3万枚t500芯片", latin=False) == 1.0


def test_candidates_whose_article_lacks_the_names_move_down() -> None:
    articles = {"a": "搜狐采购了3万枚x9芯片", "b": "腾讯的年报\n腾讯采购了1万枚x9芯片"}
    hits = [hit(1, "a", "搜狐采购了3万枚X9芯片", 0.050), hit(2, "b", "采购了1万枚X9芯片", 0.045)]
    ranked = with_names(Names.of("腾讯采购了多少X9芯片？", Segmenter()), hits, articles.__getitem__, weight=0.02)
    assert [h.article_id for h in ranked] == ["b", "a"] and [h.rank for h in ranked] == [1, 2]
    assert with_names(Names.none(), hits, articles.__getitem__) == hits
