"""The answer chain: condense → retrieve → gate → generate (LLM or extractive) → cite.

Built as one LCEL `Runnable` from injected parts (retriever, chat model, prompts), so tests
pass LangChain's fake chat models and the CLI, API and Slack bot share the same behaviour.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answering.citations import has_uncited_claims, parse_citations
from assistant.answering.condense import fallback_condense, llm_condense
from assistant.answering.conflicts import Comparer, find_disagreements, voices
from assistant.answering.context import numbered_passages
from assistant.answering.crosscheck import DEPTH, MAX_PASSAGES, anchors, claim_query, new_voices
from assistant.answering.extractive import Extract, ExtractiveAnswerer, PartSimilarity
from assistant.answering.judge import UNRANKED, Candidate, Judge, Passage, Verdict
from assistant.answering.prompts import PromptSet
from assistant.answering.question import Asked
from assistant.answering.state import Subquestion, Turnstate, article_texts
from assistant.answering.subquestions import split_questions
from assistant.answering.weights import TermWeights
from assistant.errors import AssistantError
from assistant.retrieval.hybrid import Searcher
from assistant.text.normalize import detect_script
from assistant.text.segment import default_segmenter
from assistant.text.tokens import count_tokens
from assistant.types import Answer, Citation, Filters, Hit, Turn

log = logging.getLogger(__name__)

SUBQUESTION_DEPTH = 3  # passages searched for each question of a message that asks several


class AnswerEngine:
    """The answer chain. Before any model, only "nothing usable was retrieved" refuses: no
    hits, or no hit whose dense similarity reaches `relevance_floor` (calibrated per embedding
    model; None = no floor). With an LLM the model decides whether the passages answer; the
    extractive answerer decides by the offline judgement (`judge.py`)."""

    def __init__(self, retriever: Searcher, prompts: PromptSet, llm: BaseChatModel | None = None,
                 judge: Judge | None = None, context_tokens: int = 3000, k: int = 5,
                 llm_name: str = "extractive", relevance_floor: float | None = None,
                 cross_check: bool = True) -> None:
        self.retriever = retriever
        self.prompts = prompts
        self.llm = llm
        self.judge = judge or Judge()
        self.relevance_floor = relevance_floor
        self.context_tokens = context_tokens
        self.cross_check = cross_check  # search again for the figures an answer rests on
        self.k = k
        self.llm_name = llm_name if llm is not None else "extractive"
        self.extractive = ExtractiveAnswerer(prompts)
        self.generation: Runnable[dict[str, Any], str] | None = (
            prompts.answer_prompt() | llm | StrOutputParser() if llm is not None else None)
        self.prepare: Runnable[Turnstate, Turnstate] = (
            RunnableLambda(self._condense) | RunnableLambda(self._retrieve) | RunnableLambda(self._floor)
            | RunnableLambda(self._judge) | RunnableLambda(self._cross_check))
        self.chain = self.build_chain()

    # ------------------------------------------------------------------ the chain

    def build_chain(self) -> Runnable[Turnstate, Answer]:
        return self.prepare | RunnableLambda(self._respond_whole) | RunnableLambda(self._finalize)

    def answer(self, question: str, history: Sequence[Turn] = (), k: int | None = None,
               filters: Filters | None = None) -> Answer:
        return self.chain.invoke(self._start(question, history, k, filters))

    def stream(self, question: str, history: Sequence[Turn] = (), k: int | None = None,
               filters: Filters | None = None) -> Iterator[str | Answer]:
        """Yields text deltas as the answer is produced, then the final Answer: the chain's own
        steps (`prepare`, `_respond`, `_finalize`), with the model's output streamed."""
        state = self.prepare.invoke(self._start(question, history, k, filters))
        yield from self._respond(state, streaming=True)
        yield self._finalize(state)

    # ------------------------------------------------------------------ steps

    def _start(self, question: str, history: Sequence[Turn], k: int | None, filters: Filters | None) -> Turnstate:
        return Turnstate(question, list(history), self.k if k is None else k, filters)

    def _condense(self, state: Turnstate) -> Turnstate:
        started = time.perf_counter()
        state.script = detect_script(state.question)
        state.standalone = state.question
        if state.history:
            state.standalone = fallback_condense(state.question, state.history)
            if self.llm is not None:
                try:
                    state.standalone = llm_condense(self.llm, self.prompts, state.question, state.history)
                except Exception as exc:
                    log.warning("condense failed, using the offline rewrite: %s", exc)
        state.timings["condense"] = time.perf_counter() - started
        return state

    def _retrieve(self, state: Turnstate) -> Turnstate:
        started = time.perf_counter()
        state.retrieval = self.retriever.search(state.standalone, state.k, state.filters)
        # the answer names what degraded by its code (`rerank_unavailable`); the detail, which may
        # name a server, stays in the log and in `Retrieval.notices`
        state.notices.extend(n.split(" ", 1)[0] for n in state.retrieval.notices)
        index = state.retrieval.index
        state.segmenter = getattr(index, "segmenter", None) or default_segmenter()
        state.weights = TermWeights(index.document_frequency, index.size, getattr(index, "idf", None))
        state.asked = Asked.of(state.standalone, state.segmenter)
        state.candidates = self._candidates(state, state.retrieval.hits, 1)
        if state.standalone == state.question:  # a condensed follow-up is one question
            self._retrieve_each(state)
        state.timings["retrieve"] = time.perf_counter() - started
        return state

    def _retrieve_each(self, state: Turnstate) -> None:
        """A message asking several questions: each is searched for on its own too, and its best
        passages join the evidence (numbered after the message's own), for answers that sit in
        different articles."""
        assert state.retrieval is not None and state.segmenter is not None
        questions = split_questions(state.standalone, state.segmenter)
        seen = {h.chunk_id for h in state.retrieval.hits}
        added: list[Hit] = []
        for question in questions:
            vector = state.retrieval.query_vector
            try:
                found = self.retriever.search(question, SUBQUESTION_DEPTH, state.filters)
            except AssistantError as exc:  # answered from the message's own passages
                log.warning("search for a sub-question failed: %s", exc)
            else:
                vector = found.query_vector
                fresh = [h for h in found.hits if h.chunk_id not in seen]
                seen.update(h.chunk_id for h in fresh)
                added.extend(fresh)
            state.subquestions.append(Subquestion(question, vector))
        self._add_evidence(state, added, "subquestion")

    def _floor(self, state: Turnstate) -> Turnstate:
        """Refuse only when nothing usable was retrieved."""
        assert state.retrieval is not None
        hits = state.retrieval.hits
        dense = [h.dense_score for h in hits if h.dense_score is not None]
        state.relevance = max(dense, default=0.0)
        if not hits or (self.relevance_floor is not None and state.relevance < self.relevance_floor):
            state.refused, state.refused_by = True, "floor"
        return state

    def _judge(self, state: Turnstate) -> Turnstate:
        """The offline judgement, for the extractive answerer (an LLM decides for itself)."""
        if state.refused or self.generation is not None:
            return state
        started = time.perf_counter()
        assert state.retrieval is not None and state.asked is not None
        if state.subquestions:
            state.verdict = self._judge_each(state)
        else:
            state.verdict = self.judge.judge(state.candidates, state.asked, state.retrieval.query_vector)
            state.candidates = state.verdict.candidates
        if not state.verdict.answerable:
            state.refused, state.refused_by = True, "judge"
        state.timings["judge"] = time.perf_counter() - started
        return state

    def _judge_each(self, state: Turnstate) -> Verdict:
        """Each sub-question judged on every passage; the message is answerable when one of
        them is (the verdict returned is the best-supported one's)."""
        assert state.retrieval is not None and state.weights is not None and state.segmenter is not None
        passages = self._passages(state, state.retrieval.hits, 1)
        for sub in state.subquestions:
            sub.asked = Asked.of(sub.text, state.segmenter)
            candidates = self.judge.candidates(passages, sub.asked, state.weights, state.segmenter)
            sub.verdict = self.judge.judge(candidates, sub.asked, sub.vector)
        verdicts = [sub.verdict for sub in state.subquestions if sub.verdict is not None]
        return max(verdicts, key=lambda v: (v.answerable, v.support))

    def _cross_check(self, state: Turnstate) -> Turnstate:
        """For a question asking for a figure or a date, search again for the sentences the
        answer rests on, and add the passages where other articles give their figure for the
        same thing (numbered after the top k), so that a disagreement is seen and both sides cited."""
        assert state.asked is not None
        if (state.refused or not self.cross_check or state.subquestions
                or state.asked.answer_type not in {"quantity", "time"}):
            return state
        started = time.perf_counter()
        assert state.retrieval is not None
        comparer = state.comparer
        known = voices(state.candidates, comparer)
        added: list[Hit] = []
        for anchor in anchors(state.candidates, comparer):
            if len(added) >= MAX_PASSAGES:
                break
            try:
                found = self.retriever.search(claim_query(anchor), DEPTH, state.filters).hits
            except AssistantError as exc:  # the answer stands without the cross-check
                log.warning("cross-check search failed: %s", exc)
                continue
            seen = {h.chunk_id for h in state.retrieval.hits + added}
            fresh = [h for h in found if h.chunk_id not in seen]
            fresh_candidates = self._candidates(state, fresh, 1)
            for voice in new_voices(anchor, known, voices(fresh_candidates, comparer), comparer):
                if len(added) >= MAX_PASSAGES:
                    break
                added.append(fresh[voice.n - 1])
                known.append(voice)
        self._add_evidence(state, added, "cross_check")
        state.timings["cross_check"] = time.perf_counter() - started
        return state

    def _add_evidence(self, state: Turnstate, added: Sequence[Hit], leg: str) -> None:
        """Hits found by a second search join the evidence, numbered after the others, and their
        sentences are judged like the rest."""
        if not added:
            return
        assert state.retrieval is not None
        hits = state.retrieval.hits
        extra = [dataclasses.replace(h, rank=len(hits) + i, legs={leg: h.rank}) for i, h in enumerate(added, start=1)]
        state.retrieval = dataclasses.replace(state.retrieval, hits=hits + extra)
        more = self._candidates(state, extra, len(hits) + 1)
        if state.verdict is not None:  # judged like the rest, after them
            more = self.judge.with_similarity(more, state.retrieval.query_vector)
        state.candidates = state.candidates + more

    def _candidates(self, state: Turnstate, hits: Sequence[Hit], first: int) -> list[Candidate]:
        assert state.asked is not None and state.weights is not None and state.segmenter is not None
        return self.judge.candidates(self._passages(state, hits, first), state.asked, state.weights,
                                     state.segmenter, state.candidates)

    @staticmethod
    def _passages(state: Turnstate, hits: Sequence[Hit], first: int) -> list[Passage]:
        assert state.retrieval is not None
        articles = article_texts(state.retrieval.index)
        return [Passage(n, h.article_id, h.text, h.title, articles.get(h.article_id, ""), dense_rank_of(h))
                for n, h in enumerate(hits, start=first)]

    def _refuse(self, state: Turnstate) -> Turnstate:
        state.raw_answer = self.prompts.phrase("refusal", state.script)
        state.backend = "gate" if state.refused_by == "floor" else "extractive"
        return state

    def _extract(self, state: Turnstate) -> Turnstate:
        started = time.perf_counter()
        assert state.retrieval is not None and state.weights is not None and state.asked is not None
        if state.subquestions:
            self._extract_each(state)
        else:
            candidates = state.candidates
            if state.verdict is None:  # the LLM failed: judge now, but answer what can be answered
                candidates = self.judge.judge(candidates, state.asked, state.retrieval.query_vector).candidates
            extract = self.extractive.answer(candidates, state.asked, state.weights, state.comparer,
                                             self._part_similarity())
            if not extract.chosen:
                state.raw_answer = self.prompts.phrase("refusal", state.script)
                state.refused, state.refused_by = True, "judge"
            else:
                state.raw_answer = extract.text
                state.conflicts = extract.conflicts
        state.passages = len(state.retrieval.hits)
        state.timings["generate"] = time.perf_counter() - started
        return state

    def _part_similarity(self) -> PartSimilarity | None:
        """Sentence similarity to a part of a question as asked (its own query vector), where
        the judge has sentence vectors."""
        sentences = self.judge.sentences
        if sentences is None:
            return None
        vectors: dict[str, list[float]] = {}

        def similar(part: str, normalized: Sequence[str]) -> list[float]:
            if part not in vectors:
                vectors[part] = sentences.embeddings.embed_query(part)
            return sentences.similarities(vectors[part], normalized)
        return similar

    def _extract_each(self, state: Turnstate) -> None:
        """The offline answer to a message of several questions: each answerable one quoted in
        turn, and each the passages do not answer named as such."""
        assert state.weights is not None and state.segmenter is not None
        if any(sub.verdict is None for sub in state.subquestions):  # the LLM failed: judge now
            self._judge_each(state)
        answers: list[tuple[str, Extract | None]] = []
        for sub in state.subquestions:
            assert sub.asked is not None and sub.verdict is not None
            extract = None
            if sub.verdict.answerable:
                extract = self.extractive.answer(sub.verdict.candidates, sub.asked, state.weights,
                                                 Comparer(sub.asked, state.weights, state.segmenter),
                                                 self._part_similarity())
            answers.append((sub.text, extract if extract and extract.chosen else None))
        if all(extract is None for _, extract in answers):
            state.raw_answer = self.prompts.phrase("refusal", state.script)
            state.refused, state.refused_by = True, "judge"
            return
        state.raw_answer = self.extractive.render_each(answers, state.script)
        state.conflicts = [c for _, extract in answers if extract for c in extract.conflicts]

    def _respond_whole(self, state: Turnstate) -> Turnstate:
        for _ in self._respond(state, streaming=False):
            pass
        return state

    def _respond(self, state: Turnstate, streaming: bool) -> Iterator[str]:
        """The one answering step, for `answer()` and `stream()` alike: the refusal, the extractive
        answer, or the model's (streamed piece by piece, or whole); yields the text as produced.
        Any failure of the model degrades to the offline answer."""
        if state.refused:
            self._refuse(state)
            yield state.raw_answer
            return
        if self.generation is None:
            self._extract(state)
            yield state.raw_answer
            return
        started = time.perf_counter()
        pieces: list[str] = []
        failed = False
        try:
            inputs = self._prompt_input(state)
            if streaming:
                for piece in self.generation.stream(inputs):
                    pieces.append(piece)
                    yield piece
                state.raw_answer = "".join(pieces)
            else:
                state.raw_answer = self.generation.invoke(inputs)
            state.backend = self.llm_name
        except Exception as exc:  # any upstream failure degrades to the offline answer
            self._degrade(state, exc)
            failed = True
        state.timings["generate"] = time.perf_counter() - started
        if failed:
            yield ("\n" if pieces else "") + state.raw_answer
        elif not streaming:
            yield state.raw_answer

    def _degrade(self, state: Turnstate, exc: BaseException) -> None:
        log.warning("LLM failed (%s: %s); answering offline", type(exc).__name__, exc)
        self._extract(state)
        notice = self.prompts.phrase("llm_unavailable", state.script)
        state.raw_answer = f"{notice}\n{state.raw_answer}"
        state.notices.append(f"llm_error: {type(exc).__name__}")
        state.backend = "extractive-fallback"

    # ------------------------------------------------------------------ prompt

    def context(self, state: Turnstate) -> tuple[str, int]:
        """Numbered passages within the token budget; returns (text, passages used)."""
        assert state.retrieval is not None
        return numbered_passages(state.retrieval.hits, self.context_tokens - count_tokens(state.question))

    def _prompt_input(self, state: Turnstate) -> dict[str, Any]:
        context, used = self.context(state)
        state.passages = used
        shown = [c for c in state.candidates if c.n <= used]
        conflicts = [d.conflict() for d in find_disagreements(shown, state.comparer)]
        hint = ""
        if conflicts:
            parts = ["; ".join(f"{value} in {''.join(f'[{n}]' for n in ns)}" for value, ns in c.values.items())
                     for c in conflicts]
            hint = "Note: the passages give different figures (" + " | ".join(parts) + "). Report each side.\n\n"
        return {"context": context, "conflicts": hint, "question": state.question,
                "language": self.prompts.phrase("language_name", state.script),
                "refusal": self.prompts.phrase("refusal", state.script)}

    # ------------------------------------------------------------------ output

    def _finalize(self, state: Turnstate) -> Answer:
        assert state.retrieval is not None
        hits = state.retrieval.hits
        usable = state.passages or len(hits)
        parsed = parse_citations(state.raw_answer, usable)
        refused = state.refused or (not parsed.cited and self._says_refusal(parsed.text))
        citations = [Citation.from_hit(n, hits[n - 1]) for n in parsed.cited]
        return Answer(
            question=state.question, standalone_question=state.standalone, answer=parsed.text, refused=refused,
            language=state.script, citations=[] if refused else citations, retrieved=list(hits),
            conflicts=state.conflicts, invalid_citations=parsed.invalid,
            uncited=not refused and has_uncited_claims(parsed), notices=state.notices, backend=state.backend,
            relevance=state.relevance, timings=state.timings)

    def _says_refusal(self, text: str) -> bool:
        return any(marker.lower() in text.lower() for marker in self.prompts.refusal_markers)


def dense_rank_of(hit: Hit) -> int | None:
    """The hit's rank in the dense leg: `UNRANKED` when the leg ran and did not find it, None
    when the retriever reports no legs (a stub)."""
    if "dense" not in hit.legs:
        return None
    rank = hit.legs["dense"]
    return rank if rank is not None else UNRANKED
