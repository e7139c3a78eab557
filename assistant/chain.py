"""The answer chain: condense → retrieve → gate → generate (LLM or extractive) → cite.

Built as one LCEL `Runnable` from injected parts (retriever, chat model, prompts), so tests
pass LangChain's fake chat models and the CLI, API and Slack bot share the same behaviour.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda

from assistant.answer import Answer, Citation, Conflict
from assistant.answerability import holds_asked_figure, named_things
from assistant.citations import has_uncited_claims, neutralise, parse_citations
from assistant.claims import AskedFigure, Claim
from assistant.condense import Turn, fallback_condense, llm_condense
from assistant.conflicts import RELATIVE_ABOUTNESS, find_disagreements
from assistant.crosscheck import DEPTH, MAX_PASSAGES, anchors, claim_query, new_voices
from assistant.errors import AssistantError
from assistant.extractive import Candidate, ExtractiveAnswerer, claims_of
from assistant.prompts import PromptSet
from assistant.relevance import RelevanceGate, SentenceSimilarity, TermWeights, question_parts, question_terms
from assistant.retrieval import Filters, Hit, Retrieval, Searcher
from assistant.textnorm import Script, detect_script
from assistant.tokens import count_tokens, truncate_tokens

log = logging.getLogger(__name__)


@dataclass
class Turnstate:
    """What flows through the chain."""

    question: str
    history: list[Turn]
    k: int
    filters: Filters | None
    script: Script = "Hans"
    standalone: str = ""
    retrieval: Retrieval | None = None
    terms: set[str] = field(default_factory=set)
    parts: list[set[str]] = field(default_factory=list)  # terms of each thing the question asks
    asked: AskedFigure = field(default_factory=AskedFigure.nothing)  # the figure the question asks for
    weights: TermWeights | None = None
    candidates: list[Candidate] = field(default_factory=list)  # scored sentences, best first
    relevance: float = 0.0
    refused: bool = False
    passages: int = 0  # how many hits went into the prompt
    raw_answer: str = ""
    backend: str = "extractive"
    notices: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class AnswerEngine:
    def __init__(self, retriever: Searcher, prompts: PromptSet, llm: BaseChatModel | None = None,
                 gate: RelevanceGate | None = None, context_tokens: int = 3000, k: int = 5,
                 llm_name: str = "extractive", sentences: SentenceSimilarity | None = None,
                 cross_check: bool = True) -> None:
        self.retriever = retriever
        self.prompts = prompts
        self.llm = llm
        self.gate = gate or RelevanceGate()
        self.sentences = sentences  # calibrated per embedding model; None skips the sentence check
        self.context_tokens = context_tokens
        self.cross_check = cross_check  # search again for the figures an answer rests on
        self.k = k
        self.llm_name = llm_name if llm is not None else "extractive"
        self.extractive = ExtractiveAnswerer(prompts)
        self.generation: Runnable[dict[str, Any], str] | None = (
            prompts.answer_prompt() | llm | StrOutputParser() if llm is not None else None)
        self.chain = self.build_chain()

    # ------------------------------------------------------------------ the chain

    def build_chain(self) -> Runnable[Turnstate, Answer]:
        prepare = (RunnableLambda(self._condense) | RunnableLambda(self._retrieve) | RunnableLambda(self._gate)
                   | RunnableLambda(self._cross_check))
        generate = RunnableBranch(
            (lambda s: s.refused, RunnableLambda(self._refuse)),
            (lambda s: self.generation is None, RunnableLambda(self._extract)),
            RunnableLambda(self._generate),
        )
        return prepare | generate | RunnableLambda(self._finalize)

    def answer(self, question: str, history: Sequence[Turn] = (), k: int | None = None,
               filters: Filters | None = None) -> Answer:
        return self.chain.invoke(self._start(question, history, k, filters))

    def stream(self, question: str, history: Sequence[Turn] = (), k: int | None = None,
               filters: Filters | None = None) -> Iterator[str | Answer]:
        """Yields text deltas as the answer is produced, then the final Answer."""
        state = self._cross_check(self._gate(self._retrieve(self._condense(
            self._start(question, history, k, filters)))))
        if state.refused or self.generation is None:
            state = self._refuse(state) if state.refused else self._extract(state)
            yield state.raw_answer
            yield self._finalize(state)
            return
        started = time.perf_counter()
        pieces: list[str] = []
        try:
            for piece in self.generation.stream(self._prompt_input(state)):
                pieces.append(piece)
                yield piece
            state.raw_answer = "".join(pieces)
            state.backend = self.llm_name
        except Exception as exc:  # any upstream failure degrades to the offline answer
            self._degrade(state, exc)
            yield ("\n" if pieces else "") + state.raw_answer
        state.timings["generate"] = time.perf_counter() - started
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
        index = state.retrieval.index
        state.weights = TermWeights(index.document_frequency, index.size)
        state.terms = question_terms(state.standalone)
        state.asked = AskedFigure.of(state.standalone, state.terms, state.weights)
        state.parts = question_parts(state.standalone)
        state.timings["retrieve"] = time.perf_counter() - started
        return state

    def _gate(self, state: Turnstate) -> Turnstate:
        retrieval, weights = state.retrieval, state.weights
        assert retrieval is not None and weights is not None
        state.candidates = self.extractive.candidates(retrieval.hits, state.terms, weights, state.asked)
        best = max((c.score for c in state.candidates), default=0.0)
        if len(state.parts) > 1:  # a question asking two things is covered by two sentences
            best = max(best, weights.parts_coverage(state.parts, [c.normalized for c in state.candidates]))
        state.relevance = self.gate.score(best, retrieval.dense_z)
        best_sentence = None
        if self.sentences is not None and self.gate.wants_sentence(state.script, state.relevance):
            best_sentence = self.sentences.best(retrieval.query_vector,
                                                [c.evidence.text for c in state.candidates])
        state.refused = (not retrieval.hits
                         or self.gate.refuse(state.script, best, retrieval.dense_z, best_sentence)
                         or not self._holds_asked_figure(state, retrieval)
                         or not state.asked.answered_by(claims_of(state.candidates)))
        return state

    @staticmethod
    def _holds_asked_figure(state: Turnstate, retrieval: Retrieval) -> bool:
        return holds_asked_figure([h.text for h in retrieval.hits], state.asked.units,
                                  named_things(state.standalone, state.script))

    def _cross_check(self, state: Turnstate) -> Turnstate:
        """For a question asking for a figure, search again for the claims the answer rests
        on, and add the passages where other articles give their figure for the same thing
        (numbered after the top k), so that a disagreement is seen and both sides cited."""
        if state.refused or not state.asked.units or not self.cross_check:
            return state
        started = time.perf_counter()
        assert state.retrieval is not None and state.weights is not None
        known = state.asked.fitting(claims_of(state.candidates))
        added: list[Hit] = []
        for anchor in anchors(known, RELATIVE_ABOUTNESS):
            if len(added) >= MAX_PASSAGES:
                break
            for hit, voice in self._other_voices(state, anchor, known, added):
                added.append(hit)
                known.append(voice)
        if added:
            hits = state.retrieval.hits
            extra = [dataclasses.replace(h, rank=len(hits) + i, legs={"cross_check": h.rank})
                     for i, h in enumerate(added[:MAX_PASSAGES], start=1)]
            state.retrieval = dataclasses.replace(state.retrieval, hits=hits + extra)
            state.candidates = sorted(state.candidates + self._candidates(state, extra, len(hits) + 1),
                                      key=lambda c: -c.rank)
        state.timings["cross_check"] = time.perf_counter() - started
        return state

    def _other_voices(self, state: Turnstate, anchor: Claim, known: list[Claim],
                      added: list[Hit]) -> list[tuple[Hit, Claim]]:
        """Passages of a search for the anchor's claim that give other articles' figures for it."""
        assert state.retrieval is not None and state.weights is not None
        try:
            found = self.retriever.search(claim_query(anchor), DEPTH, state.filters).hits
        except AssistantError as exc:  # the answer stands without the cross-check
            log.warning("cross-check search failed: %s", exc)
            return []
        seen = {h.chunk_id for h in state.retrieval.hits + added}
        fresh = [h for h in found if h.chunk_id not in seen]
        claims = state.asked.fitting(claims_of(self._candidates(state, fresh, 1)))
        return [(fresh[v.evidence.n - 1], v) for v in new_voices(anchor, known, claims, RELATIVE_ABOUTNESS)]

    def _candidates(self, state: Turnstate, hits: list[Hit], first: int) -> list[Candidate]:
        assert state.weights is not None
        return self.extractive.candidates(hits, state.terms, state.weights, state.asked, first,
                                         state.candidates)

    def _refuse(self, state: Turnstate) -> Turnstate:
        state.raw_answer = self.prompts.phrase("refusal", state.script)
        state.backend = "gate"
        return state

    def _extract(self, state: Turnstate) -> Turnstate:
        started = time.perf_counter()
        assert state.retrieval is not None and state.weights is not None
        extract = self.extractive.answer(state.candidates, state.weights, state.script, state.asked, state.parts)
        state.raw_answer = extract.text
        state.conflicts = extract.conflicts
        state.passages = len(state.retrieval.hits)
        state.timings["generate"] = time.perf_counter() - started
        return state

    def _generate(self, state: Turnstate) -> Turnstate:
        started = time.perf_counter()
        assert self.generation is not None
        try:
            state.raw_answer = self.generation.invoke(self._prompt_input(state))
            state.backend = self.llm_name
        except Exception as exc:  # any upstream failure degrades to the offline answer
            self._degrade(state, exc)
        state.timings["generate"] = time.perf_counter() - started
        return state

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
        budget = self.context_tokens - count_tokens(state.question)
        blocks: list[str] = []
        for n, hit in enumerate(state.retrieval.hits, start=1):
            header = f"[{n}] {hit.title} — {hit.outlet or 'unknown outlet'} ({hit.article_id})"
            block = f"{header}\n{neutralise(hit.text)}"
            cost = count_tokens(block) + 2
            if cost > budget:
                if not blocks and budget > 50:  # always give the model at least the best passage
                    blocks.append(truncate_tokens(block, budget))
                break
            blocks.append(block)
            budget -= cost
        return "\n\n".join(blocks), len(blocks)

    def _prompt_input(self, state: Turnstate) -> dict[str, Any]:
        context, used = self.context(state)
        state.passages = used
        assert state.retrieval is not None and state.weights is not None
        shown = [c for c in state.candidates if c.evidence.n <= used]
        conflicts = [d.conflict() for d in find_disagreements(state.asked.fitting(claims_of(shown)))]
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

