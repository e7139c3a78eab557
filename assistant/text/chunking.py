"""Chinese-aware chunking: sentences packed up to a tiktoken budget, with a small overlap."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.tokens import count_tokens, get_encoding

# A sentence ends at 。！？； (and ASCII !?;), taking any closing quotes or brackets with it.
_SENTENCE = re.compile(r"[^。！？；!?;]*(?:[。！？；!?;]+[”’」』）)\"']*|$)")
# English sentences end at . ! ? followed by a space and a capital, digit or opening quote
# (`U.S. officials` is one sentence: the period there follows a single capital letter)
_LATIN_BREAK = re.compile(r"(?<=[a-z0-9)\"”’%][.!?])\s+(?=[A-Z0-9“\"(‘'])")
_LATIN_END = re.compile(r"[A-Za-z0-9)\"”’%.!?]$")
_LATIN_START = re.compile(r"[A-Za-z0-9“\"(‘']")
_CLAUSE = re.compile(r"[^，,、：:]*(?:[，,、：:]+|$)")


@dataclass(frozen=True)
class Sentence:
    text: str
    ends_paragraph: bool
    tokens: int


@dataclass(frozen=True)
class TextChunk:
    ordinal: int
    text: str
    tokens: int
    first_sentence: int
    last_sentence: int


def split_sentences(text: str) -> list[Sentence]:
    """Sentences in order; a line break always ends a sentence."""
    sentences: list[Sentence] = []
    for line in text.split("\n"):
        pieces = [p for m in _SENTENCE.finditer(line.strip()) if m.group(0).strip()
                  for p in _LATIN_BREAK.split(m.group(0)) if p.strip()]
        for index, piece in enumerate(pieces):
            sentences.append(Sentence(piece, index == len(pieces) - 1, count_tokens(piece)))
    return sentences


def _split_long(sentence: Sentence, budget: int) -> list[Sentence]:
    """Break a sentence longer than the budget at clause marks, then by tokens."""
    parts: list[Sentence] = []
    current = ""
    clauses = [m.group(0) for m in _CLAUSE.finditer(sentence.text) if m.group(0)]
    for clause in clauses:
        if current and count_tokens(current + clause) > budget:
            parts.append(Sentence(current, False, count_tokens(current)))
            current = ""
        current += clause
    if current:
        parts.append(Sentence(current, sentence.ends_paragraph, count_tokens(current)))
    result: list[Sentence] = []
    for part in parts:
        if part.tokens <= budget:
            result.append(part)
            continue
        pieces = _token_pieces(part.text, budget)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            result.append(Sentence(piece, part.ends_paragraph and last, count_tokens(piece)))
    return result


def _token_pieces(text: str, budget: int) -> list[str]:
    """`text` cut into runs of at most `budget` tokens, each ending on a whole character: a token
    can hold part of a character, and cutting inside it would turn the character into U+FFFD."""
    enc = get_encoding()
    pieces: list[str] = []
    tokens: list[bytes] = []
    for token in enc.encode(text, disallowed_special=()):
        tokens.append(enc.decode_single_token_bytes(token))
        if len(tokens) >= budget:
            cut = next((j for j in range(len(tokens), 0, -1) if _whole(b"".join(tokens[:j]))), len(tokens))
            pieces.append(b"".join(tokens[:cut]).decode("utf-8", errors="replace"))
            tokens = tokens[cut:]
    if tokens:
        pieces.append(b"".join(tokens).decode("utf-8", errors="replace"))
    return pieces


def _whole(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _join(sentences: list[Sentence]) -> str:
    """The sentences as one text: a paragraph's end is a line break; two Latin sentences are
    spaced (`trials. In PURPOSE 1`), Chinese ones are not (`。` ends them)."""
    out: list[str] = []
    previous: Sentence | None = None
    for sentence in sentences:
        if (previous is not None and not previous.ends_paragraph and _LATIN_END.search(previous.text)
                and _LATIN_START.match(sentence.text)):
            out.append(" ")
        out.append(sentence.text)
        out.append("\n" if sentence.ends_paragraph else "")
        previous = sentence
    return "".join(out).strip()


def chunk_text(text: str, max_tokens: int = 160, overlap_tokens: int = 40) -> list[TextChunk]:
    """Pack whole sentences into chunks of at most `max_tokens`; the next chunk repeats the
    trailing sentences of the previous one that fit in `overlap_tokens`."""
    sentences: list[Sentence] = []
    for sentence in split_sentences(text):
        sentences.extend(_split_long(sentence, max_tokens) if sentence.tokens > max_tokens else [sentence])
    chunks: list[TextChunk] = []
    start = 0
    while start < len(sentences):
        end, used = start, 0
        while end < len(sentences) and (end == start or used + sentences[end].tokens <= max_tokens):
            used += sentences[end].tokens
            end += 1
        body = sentences[start:end]
        chunks.append(TextChunk(len(chunks), _join(body), sum(s.tokens for s in body), start, end - 1))
        if end >= len(sentences):
            break
        start = _overlap_start(sentences, start, end, overlap_tokens)
    return chunks


def _overlap_start(sentences: list[Sentence], start: int, end: int, overlap_tokens: int) -> int:
    """Where the next chunk starts: back from `end` over sentences that fit the overlap."""
    back, used = end, 0
    while back - 1 > start and used + sentences[back - 1].tokens <= overlap_tokens:
        back -= 1
        used += sentences[back].tokens
    return back
