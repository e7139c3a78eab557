"""The synthetic corpus of the scale benchmark: seeds kept, distractors new, vectors pooled."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from assistant.evals.synthetic import CorpusManifest, PrecomputedEmbeddings, generate, make_variant, seed_sentences
from assistant.retrieval.rerank import passage_sentences
from assistant.text.normalize import detect_script, normalize
from tests.support.data import SEEDS, NamedFakeEmbedding


def test_synthetic_generate_keeps_seeds_and_reaches_target(tmp_path: Path) -> None:
    manifest = generate(SEEDS, tmp_path / "corpus", 400)
    files = sorted((tmp_path / "corpus" / "articles").iterdir())
    for seed in SEEDS.iterdir():
        assert (tmp_path / "corpus" / "articles" / seed.name).read_bytes() == seed.read_bytes()
    synthetic = [f for f in files if f.name.startswith("syn-")]
    assert len(synthetic) == manifest.articles - 5 and manifest.chunks >= 400 > manifest.chunks - 40
    assert CorpusManifest.load(tmp_path / "corpus" / "manifest.json") == manifest
    again = generate(SEEDS, tmp_path / "again", 400)
    assert again == manifest  # deterministic
    originals = set(seed_sentences(SEEDS))
    assert not originals & set(manifest.variants)  # every distractor sentence differs from the seeds


def test_synthetic_variant_swaps_names_and_figures_keeps_script() -> None:
    rng = random.Random(3)
    sentence = "英偉達H20晶片在中國的營收佔比為13%，黃仁勳表示將在2025年減記55億美元。"
    swaps = {"英伟达": "高通", "h20": "QX90", "中国": "日本", "黄仁勋": "安蒙"}
    variant = make_variant(sentence, "小米和雷軍，在北京見面。", swaps, rng)
    assert not any(name in variant.upper() for name in ("英偉達", "黃仁勳", "H20", "中國"))
    assert not any(figure in variant for figure in ("13%", "55億", "2025"))
    assert detect_script(variant) == "Hant"


def test_synthetic_precomputed_embeddings_pool_synthetic_chunks(tmp_path: Path) -> None:
    manifest = generate(SEEDS, tmp_path / "corpus", 300)
    fake = NamedFakeEmbedding(size=16)
    pool = np.asarray(fake.embed_documents(manifest.variants), dtype=np.float32)
    embeddings = PrecomputedEmbeddings(manifest, pool, fake)
    synthetic_text = "".join(manifest.variants[:3])
    seed_text = "一段种子文章里的原文。还有第二句。"
    vectors = embeddings.embed_documents([synthetic_text, seed_text])
    expected = pool[:3].mean(axis=0)
    assert np.allclose(vectors[0], expected / np.linalg.norm(expected), atol=1e-6)
    sentences = np.asarray(fake.embed_documents(["一段种子文章里的原文。", "还有第二句。"]))
    assert np.allclose(vectors[1], sentences.mean(axis=0) / np.linalg.norm(sentences.mean(axis=0)), atol=1e-6)
    assert (embeddings.approximated, embeddings.embedded) == (2, 2)  # seed sentences embedded once each
    embeddings.embed_documents([seed_text])
    assert embeddings.embedded == 2
    assert embeddings.name == fake.name


def test_synthetic_precomputed_embeddings_give_the_sentence_vectors_they_hold(tmp_path: Path) -> None:
    manifest = generate(SEEDS, tmp_path / "corpus", 300)
    fake = NamedFakeEmbedding(size=16)
    pool = np.asarray(fake.embed_documents([normalize(v) for v in manifest.variants]), dtype=np.float32)
    embeddings = PrecomputedEmbeddings(manifest, pool, fake)
    embeddings.embed_documents(["一段种子文章里的原文。还有第二句。"])
    variant = passage_sentences(manifest.variants[0])[0]
    assert np.array_equal(embeddings.sentence_vector(normalize(manifest.variants[0])), pool[0])
    assert variant == normalize(manifest.variants[0])  # a variant is one sentence, as the reranker splits it
    seed = embeddings.sentence_vector("一段种子文章里的原文。")
    assert seed is not None and np.allclose(seed, fake.embed_documents(["一段种子文章里的原文。"])[0])
    assert embeddings.sentence_vector("从未见过的一句。") is None
