"""Soak test: a local `assistant serve` under mixed load for a bounded time.

    python benchmarks/soak.py [--seconds 60] [--workers 6] [--data-dir DIR] [--out benchmarks/results/soak.json]

Concurrent workers send plain chats, streaming chats (SSE) and OpenAI-compatible completions,
mixed with article uploads and deletes. Reports requests/s, latency percentiles per kind, the
error count (anything but 2xx, and 429 which the rate limiter may intend) and the server's
resident memory at start and end. The data dir is copied (or the seeds ingested into a fresh
one), so the soak never touches your store.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx
from common import ROOT, free_port, rss_mb, start_server
from rich.console import Console
from rich.table import Table

from assistant.evals.metrics import percentile

QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "evals" / "dev.jsonl").read_text("utf-8").splitlines()]


def prepare_data(source: Path | None, target: Path) -> None:
    if source and (source / "chroma").exists():
        shutil.copytree(source, target)
        return
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(target)}
    subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(ROOT / "seeds")], env=env, check=True,
                   cwd=ROOT)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.limited = 0

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            if status == 429:
                self.limited += 1
            elif not 200 <= status < 300:
                self.errors[f"{kind} {status}"] += 1


def one_request(client: httpx.Client, rng: random.Random, worker: int) -> tuple[str, int]:
    roll = rng.random()
    question = rng.choice(QUESTIONS)
    if roll < 0.4:
        return "chat", client.post("/v1/chat", json={"question": question}).status_code
    if roll < 0.6:
        with client.stream("POST", "/v1/chat", json={"question": question, "stream": True}) as response:
            body = "".join(response.iter_text())
            ok = response.status_code == 200 and "event: done" in body
            return "chat_stream", response.status_code if ok else 599
    if roll < 0.85:
        body = {"model": "assistant", "messages": [{"role": "user", "content": question}]}
        return "openai", client.post("/v1/chat/completions", json=body).status_code
    article_id = f"soak_{worker}_{rng.randrange(3)}"
    if roll < 0.95:
        text = f"测试文章{article_id}\n英伟达在成都的研发中心第{rng.randrange(1000)}次扩建。".encode()
        status = client.post("/v1/articles", files={"file": (f"{article_id}.txt", text, "text/plain")}).status_code
        return "upload", status
    status = client.delete(f"/v1/articles/{article_id}").status_code
    return "delete", 204 if status == 404 else status  # deleting an article not (yet) uploaded is fine


def worker_loop(base: str, stop: float, seed: int, recorder: Recorder) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, timeout=60) as client:
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                kind, status = one_request(client, rng, seed)
            except httpx.HTTPError as exc:
                kind, status = f"transport {type(exc).__name__}", 598
            recorder.record(kind, time.perf_counter() - started, status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--data-dir", type=Path, default=ROOT / ".assistant")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "soak.json")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="assistant-soak-") as tmp:
        data_dir = Path(tmp) / "data"
        prepare_data(args.data_dir, data_dir)
        port = free_port()
        server = start_server(data_dir, port)
        try:
            report = soak(f"http://127.0.0.1:{port}", server.pid, args.seconds, args.workers)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if report["errors"]:
        raise SystemExit(f"{sum(report['errors'].values())} unexpected errors")


def soak(base: str, pid: int, seconds: float, workers: int) -> dict[str, object]:
    recorder = Recorder()
    rss_start = rss_mb(pid)
    started = time.monotonic()
    stop = started + seconds
    threads = [threading.Thread(target=worker_loop, args=(base, stop, seed, recorder)) for seed in range(workers)]
    for thread in threads:
        thread.start()
    samples = sample_rss(pid, started, stop)
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    total = sum(len(v) for v in recorder.latency.values())
    return {"seconds": round(elapsed, 1), "workers": workers, "requests": total,
            "requests_per_s": round(total / elapsed, 2), "rate_limited": recorder.limited,
            "errors": dict(recorder.errors), "rss_mb_start": round(rss_start, 1), "rss_mb_end": round(rss_mb(pid), 1),
            "rss_mb_samples": samples, "rss_mb_per_min_second_half": growth(samples),
            "latency_ms": {kind: {"n": len(v), "p50": round(1000 * percentile(v, 0.5), 1),
                                  "p95": round(1000 * percentile(v, 0.95), 1),
                                  "p99": round(1000 * percentile(v, 0.99), 1)}
                           for kind, v in sorted(recorder.latency.items())}}


def sample_rss(pid: int, started: float, stop: float, every: float = 5.0) -> list[tuple[float, float]]:
    """(seconds since start, server RSS MB) every `every` seconds until `stop`."""
    samples = []
    while time.monotonic() < stop:
        samples.append((round(time.monotonic() - started, 1), round(rss_mb(pid), 1)))
        time.sleep(min(every, max(0.0, stop - time.monotonic())))
    return samples


def growth(samples: list[tuple[float, float]]) -> float:
    """MB per minute over the second half of the run (a plateau is ~0; a leak stays positive)."""
    half = samples[len(samples) // 2:]
    if len(half) < 2 or half[-1][0] == half[0][0]:
        return 0.0
    return round(60 * (half[-1][1] - half[0][1]) / (half[-1][0] - half[0][0]), 1)


def print_report(report: dict[str, object]) -> None:
    table = Table(title=f"soak: {report['requests']} requests in {report['seconds']} s "
                        f"({report['requests_per_s']} req/s, {report['workers']} workers)")
    for column in ("kind", "n", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(column, justify="right" if column != "kind" else "left")
    latency = report["latency_ms"]
    assert isinstance(latency, dict)
    for kind, row in latency.items():
        table.add_row(kind, str(row["n"]), str(row["p50"]), str(row["p95"]), str(row["p99"]))
    console = Console()
    console.print(table)
    console.print(f"errors: {report['errors'] or 0}  429s: {report['rate_limited']}  "
                  f"server RSS: {report['rss_mb_start']} MB → {report['rss_mb_end']} MB, "
                  f"{report['rss_mb_per_min_second_half']} MB/min over the second half")


if __name__ == "__main__":
    main()
