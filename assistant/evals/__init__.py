"""Evals: eval datasets, runs, metrics, gates, reports, baselines and synthetic corpora.

The names below are the stage's public surface. Modules of the project import from the
defining module instead, which keeps the imports acyclic (tests/unit/test_layering.py)."""

from assistant.evals.baselines import BM25Only, NaiveRAG
from assistant.evals.dataset import Dataset, EvalItem, load_datasets
from assistant.evals.gates import Gate, load_gates
from assistant.evals.run import run_eval
from assistant.evals.suite import SuiteRequest, corpus_settings, run_suite

__all__ = [
    "BM25Only",
    "Dataset",
    "EvalItem",
    "Gate",
    "NaiveRAG",
    "SuiteRequest",
    "corpus_settings",
    "load_datasets",
    "load_gates",
    "run_eval",
    "run_suite",
]
