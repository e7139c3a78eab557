"""Cross-checking a figure: anchors, the claim query, and which found passages add a voice."""

from __future__ import annotations

from assistant.answering.conflicts import Comparer, Voice, voices
from assistant.answering.crosscheck import anchors, claim_query, new_voices
from assistant.answering.judge import Candidate, Judge, Passage
from assistant.answering.question import Asked
from assistant.answering.weights import TermWeights
from assistant.text.segment import default_segmenter

WEIGHTS = TermWeights({}, documents=100)
SEGMENTER = default_segmenter()
JUDGE = Judge(sentences=None)
QUESTION = "决赛现场有多少观众？"
ASKED = Asked.of(QUESTION, SEGMENTER)
COMPARER = Comparer(ASKED, WEIGHTS, SEGMENTER)


def candidates(*evidence: tuple[int, str, str]) -> list[Candidate]:
    passages = [Passage(n, article, text) for n, article, text in evidence]
    return JUDGE.judge(JUDGE.candidates(passages, ASKED, WEIGHTS, SEGMENTER), ASKED, []).candidates


def spoken(*evidence: tuple[int, str, str]) -> list[Voice]:
    return voices(candidates(*evidence), COMPARER)


def test_anchors_are_the_voices_most_about_the_question_one_per_sentence() -> None:
    found = candidates((1, "a", "决赛现场观众8.2万人，其中客队球迷1.5万人。"),
                       (2, "b", "决赛现场观众7.5万人。"), (3, "c", "球场外另有2万人。"))
    chosen = anchors(found, COMPARER)
    assert [a.n for a in chosen] == [1, 2]  # two sentences; the first one's second figure is not another anchor
    assert chosen[0].figure.text == "8.2万人"
    assert [a.n for a in anchors(found, COMPARER, limit=1)] == [1]
    assert anchors([], COMPARER) == []


def test_anchors_only_for_figures_of_the_asked_kind() -> None:
    found = candidates((1, "a", "决赛于3月5日举行，现场观众8.2万人。"))
    assert [a.figure.kind for a in anchors(found, COMPARER)] == ["count:人"]
    when = Asked.of("决赛是哪一天举行的？", SEGMENTER)
    dated = JUDGE.candidates([Passage(1, "a", "决赛于3月5日举行，现场观众8.2万人。")], when, WEIGHTS, SEGMENTER)
    assert [a.figure.kind for a in anchors(dated, Comparer(when, WEIGHTS, SEGMENTER))] == ["date"]


def test_claim_query_masks_figures_in_normalised_text() -> None:
    (anchor,) = anchors(candidates((1, "a", "決賽現場觀眾8.2萬人，門票收入500萬英鎊。")), COMPARER)
    query = claim_query(anchor)
    assert not any(ch.isdigit() for ch in query)  # any value of any figure matches
    assert query.startswith("决赛现场观众")
    # another article's sentence with other values is the same query
    assert query == claim_query(anchors(candidates((1, "b", "决赛现场观众7.5万人，门票收入480万英镑。")),
                                        COMPARER)[0])


def test_new_voices_adds_comparable_figures_from_articles_not_heard_yet() -> None:
    known = spoken((1, "a", "2024年的决赛现场观众8.2万人。"))
    found = spoken((1, "a", "决赛现场观众共8.2万人。"),  # an article already heard
                   (2, "b", "2023年的决赛现场观众7万人。"),  # another year: not the same thing
                   (3, "c", "据统计，2024年的决赛现场观众7.5万人。"),
                   (4, "c", "2024年的决赛现场观众约7.5万人。"),  # the same article again
                   (5, "d", "2024年的决赛现场观众8.2万人左右。"))
    fresh = new_voices(known[0], known, found, COMPARER)
    assert [(v.n, v.figure.text) for v in fresh] == [(3, "7.5万人"), (5, "8.2万人")]
    assert new_voices(known[0], known, [], COMPARER) == []


def test_new_voices_skips_articles_that_already_spoke_on_the_anchor() -> None:
    known = spoken((1, "a", "决赛现场观众8.2万人。"), (2, "b", "决赛现场观众7.5万人。"))
    found = spoken((3, "b", "据报道，决赛现场观众7.5万人。"), (4, "c", "据报道，决赛现场观众7.8万人。"))
    assert [v.n for v in new_voices(known[0], known, found, COMPARER)] == [4]


def test_new_voices_leaves_out_figures_about_another_name() -> None:
    question = Asked.of("梅西在决赛中进了几个球？", SEGMENTER)
    comparer = Comparer(question, WEIGHTS, SEGMENTER)

    def heard(*evidence: tuple[int, str, str]) -> list[Voice]:
        passages = [Passage(n, article, text) for n, article, text in evidence]
        return voices(JUDGE.candidates(passages, question, WEIGHTS, SEGMENTER), comparer)

    known = heard((1, "a", "梅西在决赛中打进2球。"))
    found = heard((2, "b", "梅西在决赛中打进3球，姆巴佩在决赛中打进1球。"), (3, "c", "姆巴佩在决赛中打进3球。"))
    assert [(v.n, v.figure.text) for v in new_voices(known[0], known, found, comparer)] == [(2, "3球")]
