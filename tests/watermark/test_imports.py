"""The model-free paths stay light: no torch, transformers or numba unless generation needs them.

Each check runs a fresh interpreter (this test process has long imported torch) and reads its
``sys.modules`` at the end.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pydoc_data.topics import topics

import pytest

HEAVY = ("torch", "transformers", "numba")


def _loaded_after(code: str, cwd=None) -> dict:
    """Run ``code`` in a fresh interpreter; which HEAVY modules (and transformers' parts) it loaded."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    )
    r = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=cwd, timeout=120
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_import_watermark_is_light():
    assert _loaded_after("import watermark") == dict.fromkeys(HEAVY, False)


def test_detection_names_import_without_torch_transformers_numba():
    code = (
        "from watermark import WatermarkDetector, WatermarkConfig, WatermarkKey, KeyRing, "
        "WatermarkError, DetectionResult, load_key\n"
        "import watermark.detector, watermark.stats, watermark.prf, watermark.keys, "
        "watermark.config, watermark.highlight, watermark.cli"
    )
    assert _loaded_after(code) == dict.fromkeys(HEAVY, False)


def test_processor_name_still_resolves_lazily():
    loaded = _loaded_after(
        "import watermark\nassert watermark.WatermarkLogitsProcessor.__name__ "
        "== 'WatermarkLogitsProcessor'\nassert 'load_model' in dir(watermark)"
    )
    assert loaded["torch"] and loaded["transformers"]


def test_unknown_attribute_is_an_attribute_error():
    import watermark

    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        watermark.nope  # noqa: B018


_RUN_CLI = (
    "import sys\nfrom watermark.cli import detect_main\nsys.argv = ['detect_watermark'] + {args!r}\n"
    "try:\n    detect_main()\nexcept SystemExit as exc:\n    code = exc.code\n"
    "print('exit', code, file=sys.stderr)"
)


def test_detect_watermark_help_imports_no_torch_or_transformers():
    loaded = _loaded_after(_RUN_CLI.format(args=["--help"]))
    assert not loaded["torch"] and not loaded["transformers"] and not loaded["numba"]


def test_detecting_a_file_with_the_bundled_tokenizer_imports_no_torch(tmp_path, tokenizer):
    from watermark import WatermarkConfig, WatermarkKey

    key = WatermarkKey.generate()
    key.save(tmp_path / "k.key")
    WatermarkConfig().bind(key=key, tokenizer=tokenizer).save(tmp_path / "c.json")
    (tmp_path / "t.txt").write_text(topics["assert"][:1500], encoding="utf-8")
    loaded = _loaded_after(
        _RUN_CLI.format(args=["t.txt", "--key", "k.key", "--config", "c.json"]), cwd=tmp_path
    )
    assert not loaded["torch"] and not loaded["numba"]  # the tokenizer needs transformers only
