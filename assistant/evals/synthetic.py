"""A synthetic news corpus for scale benchmarks, made from the seed articles' sentences.

Every synthetic article is a new id (`syn-000042`) whose sentences are seed sentences with the
companies, products, people and places swapped for others (a sentence that names none is
attributed to another company), one clause recombined from another sentence, and every figure
changed. So the distractors read like the seeds and share their vocabulary,
but they do not repeat the seeds' facts: the dev questions keep their answers, which stay in the
five seed articles that are copied into the corpus unchanged.

Sentences come from a fixed pool of variants (`variants_per_sentence` per seed sentence), so a
benchmark can embed the pool once and give each synthetic chunk the mean of its sentences'
vectors (`PrecomputedEmbeddings`) instead of running the model over 100k chunks.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.ingest.cleaning import clean_text
from assistant.ingest.documents import prepare_article
from assistant.ingest.ingestor import discover
from assistant.ingest.loaders import load_bytes, load_file
from assistant.text.chunking import split_sentences
from assistant.text.normalize import detect_script, normalize, to_script, to_simplified

# Seed names (Simplified, after `normalize`) → stand-ins; one stand-in per article and name.
SWAPS: dict[str, tuple[str, ...]] = {
    "英伟达": ("超威", "英特尔", "高通", "博通", "美光", "联发科", "三星电子", "迈威尔"),
    "黄仁勋": ("苏姿丰", "陈立武", "安蒙", "陈福阳", "梅赫罗特拉", "蔡力行", "全永铉", "墨菲"),
    "H20": ("MI308", "Gaudi3", "QX90", "TP500", "NX8", "D7", "HBM4E", "M9"),
    "H100": ("MI300X", "Gaudi2", "QX100", "TP900", "NX10", "D9", "HBM3", "M10"),
    "中国": ("印度", "日本", "韩国", "欧洲", "中东", "东南亚", "巴西", "墨西哥"),
    "美国": ("德国", "法国", "英国", "加拿大", "澳大利亚", "荷兰", "瑞士", "以色列"),
    "小米": ("联想", "荣耀", "传音", "中兴", "海信", "格力", "比亚迪", "吉利"),
    "雷军": ("杨元庆", "赵明", "竺兆江", "徐子阳", "贾少谦", "董明珠", "王传福", "李书福"),
    "寒武纪": ("摩尔线程", "壁仞", "燧原", "沐曦", "天数智芯", "昆仑芯", "海光", "瀚博"),
    "特朗普": ("拜登", "马克龙", "朔尔茨", "苏纳克", "莫迪", "岸田", "尹锡悦", "卢拉"),
    "华为": ("中芯", "长江存储", "紫光", "龙芯", "兆芯", "飞腾", "申威", "平头哥"),
    "DeepSeek": ("Kimi", "MiniMax", "智谱", "百川", "零一万物", "阶跃", "面壁", "书生"),
}
_NUMBER = re.compile(r"(?<![A-Za-z0-9.])\d+(?:\.\d+)?(?![A-Za-z])")
_CLAUSE_SPLIT = re.compile(r"(?<=[，,])")
SYNTHETIC_PREFIX = "syn-"


@dataclass(frozen=True)
class Variant:
    """One sentence of the pool, in its seed's script."""

    index: int
    text: str


def seed_sentences(seeds: Path) -> list[str]:
    """The cleaned sentences of every seed article, in order."""
    sentences: list[str] = []
    for path in discover([seeds])[0]:
        sentences.extend(s.text.strip() for s in split_sentences(clean_text(load_file(path).text)) if s.text.strip())
    return sentences


def _perturb_number(match: re.Match[str], rng: random.Random) -> str:
    text = match.group(0)
    decimals = len(text.split(".")[1]) if "." in text else 0
    value = float(text)
    if decimals == 0 and 1990 <= value <= 2035:  # a year
        return str(int(value) + rng.choice((-3, -2, -1, 1, 2)))
    new = value * rng.uniform(0.35, 2.8)
    if decimals == 0:
        return str(max(1, round(new)) if round(new) != value else round(new) + 1)
    return f"{new:.{decimals}f}"


def make_variant(sentence: str, other: str, swaps: dict[str, str], rng: random.Random) -> str:
    """The seed sentence with names swapped, one clause taken from `other`, and new figures."""
    script = detect_script(sentence)
    clauses = [c for c in _CLAUSE_SPLIT.split(to_simplified(sentence)) if c]
    donors = [c for c in _CLAUSE_SPLIT.split(to_simplified(other)) if c]
    if len(clauses) > 1 and donors:
        slot = rng.randrange(len(clauses) - 1)
        donor = rng.choice(donors).rstrip("。！？；!?;，,")
        clauses[slot] = donor + clauses[slot][-1] if donor else clauses[slot]
    text = "".join(clauses)
    swapped = 0
    for name, stand_in in swaps.items():
        text, count = re.subn(re.escape(name), stand_in, text, flags=re.IGNORECASE)
        swapped += count
    if not swapped:  # a sentence that names no one is attributed to someone else
        text = f"{swaps.get('英伟达', '另一家公司')}表示，{text}"
    text = _NUMBER.sub(lambda m: _perturb_number(m, rng), text)
    return to_script(text, script)


def variant_pool(sentences: Sequence[str], per_sentence: int, rng: random.Random) -> list[Variant]:
    """`per_sentence` variants of each seed sentence; a variant that came out unchanged (nothing
    to swap or recombine) is left out, so no distractor repeats a seed sentence."""
    pool: list[Variant] = []
    originals = set(sentences)
    for sentence in sentences:
        for _ in range(per_sentence):
            swaps = {name: rng.choice(options) for name, options in SWAPS.items()}
            text = make_variant(sentence, rng.choice(sentences), swaps, rng)
            if text not in originals:
                pool.append(Variant(len(pool), text))
    return pool


@dataclass(frozen=True)
class SyntheticArticle:
    article_id: str
    title: str
    paragraphs: list[list[int]]  # variant indices

    def markdown(self, pool: Sequence[Variant]) -> str:
        body = "\n\n".join("".join(pool[i].text for i in paragraph) for paragraph in self.paragraphs)
        return f"# {self.title}\n\n{body}\n"


def synthetic_articles(pool: Sequence[Variant], rng: random.Random) -> Iterator[SyntheticArticle]:
    """An endless stream of articles of 6–24 pool sentences in paragraphs of 1–4."""
    number = 0
    while True:
        sentences = [rng.randrange(len(pool)) for _ in range(rng.randint(6, 24))]
        paragraphs: list[list[int]] = []
        while sentences:
            take = rng.randint(1, 4)
            paragraphs.append(sentences[:take])
            sentences = sentences[take:]
        title = pool[paragraphs[0][0]].text.rstrip("。！？；!?;")[:40]
        yield SyntheticArticle(f"{SYNTHETIC_PREFIX}{number:06d}", title, paragraphs)
        number += 1


@dataclass
class CorpusManifest:
    """What `generate` wrote: enough to rebuild the chunk vectors without re-reading files."""

    chunks: int
    seed_chunks: int
    articles: int
    variants: list[str]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> CorpusManifest:
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def generate(seeds: Path, out: Path, target_chunks: int, chunk_tokens: int = 160, overlap_tokens: int = 40,
             variants_per_sentence: int = 8, seed: int = 7) -> CorpusManifest:
    """Write the seeds plus synthetic articles to `out` until the corpus holds `target_chunks` chunks."""
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "articles").mkdir(parents=True)
    total = 0
    seed_files = discover([seeds])[0]
    for path in seed_files:
        shutil.copy2(path, out / "articles" / path.name)
        total += len(prepare_article(load_file(path), chunk_tokens, overlap_tokens).chunks)
    seed_chunks = total
    pool = variant_pool(seed_sentences(seeds), variants_per_sentence, rng)
    written = 0
    for article in synthetic_articles(pool, rng):
        if total >= target_chunks:
            break
        text = article.markdown(pool)
        raw = load_bytes(article.article_id, text.encode("utf-8"), ".md", article.article_id)
        total += len(prepare_article(raw, chunk_tokens, overlap_tokens).chunks)
        (out / "articles" / f"{article.article_id}.md").write_text(text, encoding="utf-8")
        written += 1
    manifest = CorpusManifest(total, seed_chunks, written + len(seed_files), [v.text for v in pool])
    manifest.save(out / "manifest.json")
    return manifest


class PrecomputedEmbeddings(Embeddings):
    """Chunk vectors without running the model over every chunk: the normalised mean of the
    vectors of the sentences a chunk holds. Pool sentences come precomputed; any other sentence
    (the seeds') is embedded once by the real model and cached. Every chunk, seed or synthetic,
    gets the same kind of vector, so the benchmark compares like with like (pooled vectors sit
    closer to the centroid than whole-chunk vectors, which would favour one kind over the other).
    Queries go to the real model."""

    def __init__(self, manifest: CorpusManifest, variant_vectors: np.ndarray, fallback: Embeddings) -> None:
        self.fallback = fallback
        self.name = str(getattr(fallback, "name", "precomputed"))
        self._vectors = variant_vectors
        self._index = {_key(text): i for i, text in enumerate(manifest.variants)}
        self._extra: dict[str, np.ndarray] = {}
        self.approximated = 0
        self.embedded = 0  # sentences the model embedded
        self.model_seconds = 0.0  # time spent in the real model (not storage cost)

    def _sentence_vectors(self, text: str) -> np.ndarray:
        keys = [_key(s.text) for s in split_sentences(text)] or [_key(text)]
        missing = [k for k in dict.fromkeys(keys) if k not in self._index and k not in self._extra]
        if missing:
            started = time.perf_counter()
            for key, vector in zip(missing, self.fallback.embed_documents(missing), strict=True):
                self._extra[key] = np.asarray(vector, dtype=np.float32)
            self.model_seconds += time.perf_counter() - started
            self.embedded += len(missing)
        return np.stack([self._vectors[self._index[k]] if k in self._index else self._extra[k] for k in keys])

    def sentence_vector(self, sentence: str) -> np.ndarray | None:
        """The model's vector of `sentence` (a normalised sentence) when it is a pool sentence or
        one embedded here already; else None."""
        if sentence != _key(sentence):
            return None
        if sentence in self._index:
            return np.asarray(self._vectors[self._index[sentence]], dtype=np.float32)
        return self._extra.get(sentence)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            mean = self._sentence_vectors(text).mean(axis=0)
            vectors.append([float(x) for x in mean / np.linalg.norm(mean)])
        self.approximated += len(texts)
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.fallback.embed_query(text)


def _key(sentence: str) -> str:
    return normalize(sentence).strip()


def embed_pool(manifest: CorpusManifest, embeddings: Embeddings, folder: Path) -> np.ndarray:
    """The pool's sentence vectors, cached in `folder` under a digest of the pool's texts."""
    digest = hashlib.sha256("\n".join(manifest.variants).encode("utf-8")).hexdigest()[:16]
    cache = folder / f"pool-{digest}.npy"
    if cache.exists():
        vectors: np.ndarray = np.load(cache)
        return vectors
    vectors = np.asarray(embeddings.embed_documents([normalize(t) for t in manifest.variants]), dtype=np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors
