"""`assistant serve` as a real process over the seeded store."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx

from assistant.config import Settings
from tests.support.fakes import free_port


def test_cli_serve_answers_over_http(seeded_settings: Settings) -> None:
    port = free_port()
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(seeded_settings.data_dir)}
    process = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port),
                                "--log-level", "warning"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not become ready"
            time.sleep(0.2)
        body = httpx.post(f"{base}/v1/chat", json={"question": "英伟达因H20计提了多少损失？"}, timeout=60).json()
        assert not body["refused"] and "55" in body["answer"] and body["citations"]
    finally:
        process.terminate()
        process.wait(timeout=20)
