"""Cross-checking a figure: anchors, the claim query, and which found passages add a voice."""

from __future__ import annotations

from assistant.claims import AskedFigure, Claim, Evidence
from assistant.crosscheck import anchors, claim_query, new_voices
from assistant.relevance import TermWeights, question_terms

WEIGHTS = TermWeights({}, documents=100)
QUESTION = "英伟达因H20禁令计提的损失是多少亿美元？"
ASKED = AskedFigure.of(QUESTION, question_terms(QUESTION), WEIGHTS)


def _claims(*evidence: tuple[int, str, str]) -> list[Claim]:
    return ASKED.fitting(ASKED.read(Evidence(*e) for e in evidence))


def test_anchors_are_the_claims_most_about_the_question_one_per_sentence() -> None:
    claims = _claims((1, "a", "H20禁令导致英伟达计提了55亿美元损失,另计提了5亿美元。"),
                     (2, "b", "英伟达计提了55亿美元损失。"), (3, "c", "计提了1亿美元。"))
    chosen = anchors(claims, relative=0.5)
    assert [c.evidence.n for c in chosen] == [1, 2]
    assert anchors([], relative=0.5) == []


def test_claim_query_masks_figures_in_normalised_text() -> None:
    claim = _claims((1, "a", "英偉達計提了55億美元損失,約占營收的32%。"))[0]
    query = claim_query(claim)
    assert "55" not in query and "32" not in query  # any value of any figure matches
    assert query.startswith("英伟达计提了 损失")


def test_new_voices_adds_comparable_claims_from_articles_not_heard_yet() -> None:
    known = _claims((1, "a", "H20禁令导致英伟达计提了55亿美元损失。"))
    found = _claims((1, "a", "英伟达计提了55亿美元损失。"),  # an article already heard
                    (2, "b", "英伟达的年损失或达180亿美元。"),  # a yearly loss, not the write-down
                    (3, "c", "英伟达在财报中列入“计减损失”的45亿美元H20库存。"),
                    (4, "c", "英伟达计减损失45亿美元。"))  # the same article again
    voices = new_voices(known[0], known, found, relative=0.3)
    assert [(v.evidence.n, v.figure) for v in voices] == [(3, "45亿美元")]
