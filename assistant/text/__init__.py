"""Text: normalisation and script conversion (OpenCC), jieba segmentation, figures and dates,
tokens, sentences and chunks.

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.text.chunking import chunk_text, split_sentences
from assistant.text.dates import find_dates, parse_day
from assistant.text.figures import Figure, find_figures, same_value
from assistant.text.normalize import (
    detect_script,
    normalize,
    normalize_for_match,
    quote_for,
    search_form,
    to_script,
    to_simplified,
    to_traditional,
)
from assistant.text.segment import Segmenter, default_segmenter, discover_words
from assistant.text.tokens import count_tokens, truncate_tokens

__all__ = [
    "Figure",
    "Segmenter",
    "chunk_text",
    "count_tokens",
    "default_segmenter",
    "detect_script",
    "discover_words",
    "find_dates",
    "find_figures",
    "normalize",
    "normalize_for_match",
    "parse_day",
    "quote_for",
    "same_value",
    "search_form",
    "split_sentences",
    "to_script",
    "to_simplified",
    "to_traditional",
    "truncate_tokens",
]
