"""The built wheel carries the whole package and its prompts, and reads them from itself.

(`.ci/wheel-check` goes further: it installs the wheel into a fresh venv and runs `assistant
ingest` and `assistant ask` from outside the repo.)"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    (built,) = out.glob("assistant-*.whl")
    return built


def test_the_wheel_holds_every_module_and_the_prompts(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "assistant").rglob("*.py")
               if "__pycache__" not in p.parts}
    assert modules <= names
    prompts = {f"assistant/_prompts/{p.name}" for p in (ROOT / "prompts").iterdir() if p.is_file()}
    assert prompts and prompts <= names
    assert not any(n.startswith(("tests/", "evals/", "seeds/", "benchmarks/")) for n in names)


def test_the_unpacked_wheel_reads_its_own_prompts(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = ("from assistant.answering.prompts import default_prompts_dir, load_prompts;"
             "print(default_prompts_dir()); print(load_prompts().phrase('refusal', 'Latn'))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env={"PYTHONPATH": str(site)},
                            capture_output=True, text=True, timeout=120, check=True)
    folder, refusal = result.stdout.splitlines()[:2]
    assert Path(folder) == site / "assistant" / "_prompts"
    assert refusal == load_refusal()


def load_refusal() -> str:
    import json

    return str(json.loads((ROOT / "prompts" / "phrases.json").read_text(encoding="utf-8"))["refusal"]["Latn"])
