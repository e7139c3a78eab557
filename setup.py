"""Build hook: a wheel carries the repo's `prompts/` as package data (`assistant/_prompts`).

The prompt files live at the top of the repo (where people edit them); an editable install
reads them there, and a built wheel reads its own copy (see assistant/answering/prompts.py).
Everything else about the package is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PROMPTS = Path(__file__).resolve().parent / "prompts"


class BuildWithPrompts(build_py):
    def run(self) -> None:
        if not self.editable_mode:  # no module left over from an earlier build of other sources
            shutil.rmtree(Path(self.build_lib) / "assistant", ignore_errors=True)
        super().run()
        if not self.editable_mode:
            shutil.copytree(PROMPTS, Path(self.build_lib) / "assistant" / "_prompts", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithPrompts})
