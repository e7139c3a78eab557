"""The passage-quoting fake LLM: it reads the real answer prompt, decides by the offline
judgement, and refuses the way a real model does: with the refusal sentence as its text."""

from __future__ import annotations

from langchain_core.messages import HumanMessage

from assistant.answering.fake_llm import PassageQuotingChatModel, answer, condense, passages
from assistant.answering.judge import Judge
from assistant.answering.prompts import PromptSet, load_prompts
from assistant.types import Script

PROMPTS = load_prompts()
JUDGE = Judge(sentences=None)
ELECTION = ("大选投票率创新高", "本届大选的投票率为71.9%，国民党的得票率为38%。民进党举行了造势晚会。")
FINAL = ("Wembley final", "The final at Wembley was attended by 82,000 people. Fans celebrated all night.")


def prompt(question: str, *articles: tuple[str, str], script: Script = "Hans", conflicts: str = "",
           prompts: PromptSet = PROMPTS) -> str:
    """The answer prompt as the chain renders it (system and human message, passages numbered)."""
    context = "\n\n".join(f"[{n}] {title} — 新闻网 (article{n})\n{body}"
                          for n, (title, body) in enumerate(articles, start=1))
    messages = prompts.answer_prompt().format_messages(
        context=context, conflicts=conflicts, question=question, language=prompts.phrase("language_name", script),
        refusal=prompts.phrase("refusal", script))
    return "\n".join(str(m.content) for m in messages)


def test_passages_are_read_from_the_prompt() -> None:
    found = passages(prompt("投票率是多少？", ELECTION, FINAL))
    assert [(p.n, p.title) for p in found] == [(1, "大选投票率创新高"), (2, "Wembley final")]
    assert found[0].text == ELECTION[1] and found[1].text == FINAL[1]


def test_an_answerable_question_is_quoted_with_its_citation() -> None:
    text = answer(prompt("本届大选的投票率是多少？", ELECTION), JUDGE)
    assert "71.9%" in text and "[1]" in text
    assert PROMPTS.phrase("refusal", "Hans") not in text


def test_an_entity_swap_is_refused_with_the_refusal_sentence() -> None:
    """The passage gives 国民党's share of the vote, not 民进党's."""
    text = answer(prompt("民进党的得票率是多少？", ELECTION), JUDGE)
    assert text == PROMPTS.phrase("refusal", "Hans")


def test_the_refusal_is_in_the_questions_language() -> None:
    hant = answer(prompt("民進黨的得票率是多少？", ELECTION, script="Hant"), JUDGE)
    assert hant == PROMPTS.phrase("refusal", "Hant")
    english = answer(prompt("Who won the election in 2020?", FINAL, script="Latn"), JUDGE)
    assert english == PROMPTS.phrase("refusal", "Latn")


def test_the_refusal_is_the_sentence_the_prompt_asks_for() -> None:
    """The fake repeats whatever refusal sentence the prompt gives, as a model would."""
    custom = PromptSet(PROMPTS.system, PROMPTS.answer, PROMPTS.condense,
                       {**PROMPTS.phrases, "refusal": {"Hans": "文章里找不到答案。", "Hant": "x", "Latn": "x"}})
    assert answer(prompt("民进党的得票率是多少？", ELECTION, prompts=custom), JUDGE) == "文章里找不到答案。"


def test_a_quantity_question_without_a_figure_is_refused() -> None:
    text = answer(prompt("造势晚会有多少人参加？", ELECTION), JUDGE)
    assert text == PROMPTS.phrase("refusal", "Hans")


def test_a_prompt_without_a_question_is_refused() -> None:
    assert answer("hello", JUDGE) == "The passages do not contain the answer."


def test_the_conflict_hint_is_reported() -> None:
    hint = "Note: the passages give different figures (71.9% in [1]; 72.3% in [2]). Report each side.\n\n"
    other = ("投票率统计", "中选会公布，本届大选的投票率为72.3%。")
    text = answer(prompt("本届大选的投票率是多少？", ELECTION, other, conflicts=hint), JUDGE)
    assert "The sources disagree: 71.9% in [1]; 72.3% in [2]." in text
    assert "[1]" in text.splitlines()[0]


def test_chat_model_answers_and_refuses_as_text() -> None:
    model = PassageQuotingChatModel(judge=JUDGE)
    reply = model.invoke([HumanMessage(prompt("本届大选的投票率是多少？", ELECTION))])
    assert "71.9%" in str(reply.content)
    refusal = model.invoke([HumanMessage(prompt("民进党的得票率是多少？", ELECTION))])
    assert refusal.content == PROMPTS.phrase("refusal", "Hans")


def test_condense_joins_the_previous_question_and_the_follow_up() -> None:
    text = PROMPTS.condense.format(history="user: 决赛在哪里举行？\nassistant: 温布利[1]", question="现场有多少观众？")
    assert condense(text) == "决赛在哪里举行？ 现场有多少观众？"
    model = PassageQuotingChatModel(judge=JUDGE)
    assert model.invoke([HumanMessage(text)]).content == "决赛在哪里举行？ 现场有多少观众？"


def test_a_name_no_passage_mentions_weighs_against_the_answer() -> None:
    """The fake reads term weights off the passages of its prompt, as a model would read them:
    a name none of them holds (`共和党`) is one they never mention."""
    from assistant.answering.fake_llm import passage_weights
    from assistant.answering.question import Asked
    from assistant.text.segment import default_segmenter

    found = passages(prompt("共和党的得票率是多少？", ELECTION))
    weights = passage_weights(found)
    assert weights.known("国民党") and not weights.known("共和党")
    segmenter = default_segmenter()
    asked = Asked.of("共和党的得票率是多少？", segmenter)
    unknown = JUDGE.candidates(found, asked, weights, segmenter)
    assert unknown and all(c.unknown_name == 1.0 for c in unknown)
    assert answer(prompt("共和党的得票率是多少？", ELECTION), JUDGE) == PROMPTS.phrase("refusal", "Hans")
    assert "38%" in answer(prompt("国民党的得票率是多少？", ELECTION), JUDGE)
