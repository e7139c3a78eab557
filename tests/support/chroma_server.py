"""A real Chroma server from the installed package (`chroma run`) on 127.0.0.1, for server-mode tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.fakes import free_port


class ChromaServer:
    """Starts, stops and restarts `chroma run --path DIR --host 127.0.0.1 --port N` (same port)."""

    def __init__(self, path: Path) -> None:
        found = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
        if found is None:
            raise RuntimeError("the `chroma` command of the chromadb package is not installed")
        self.command = [found, "run", "--path", str(path), "--host", "127.0.0.1"]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = path.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> None:
        with self.log.open("ab") as log:
            self.process = subprocess.Popen([*self.command, "--port", str(self.port)], stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("chroma run did not answer its heartbeat in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
