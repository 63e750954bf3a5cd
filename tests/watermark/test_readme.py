"""The README's first example, run verbatim: a newcomer's first run must end with a clear verdict."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_example() -> str:
    """The python block between the readme-example markers of README.md."""
    text = README.read_text(encoding="utf-8")
    m = re.search(
        r"<!-- readme-example:start[^>]*-->\s*```python\n(.*?)```\s*<!-- readme-example:end -->",
        text,
        re.S,
    )
    assert m, "README.md lost its readme-example markers"
    return m.group(1)


def test_readme_example_applies_the_chat_template_and_asks_for_enough_tokens():
    code = readme_example()
    assert "apply_chat_template" in code and "add_generation_prompt=True" in code
    assert re.search(r"min_new_tokens=\d+", code)


@pytest.mark.slow
def test_readme_example_runs_verbatim_and_finds_the_watermark(tmp_path):
    r = subprocess.run(
        [sys.executable, "-c", readme_example()],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    *answer, verdict = r.stdout.strip().splitlines()
    assert verdict.startswith("watermarked "), r.stdout
    assert float(verdict.split()[1]) < 1e-4
    assert len(" ".join(answer).split()) >= 10  # the answer's first words came before the verdict
