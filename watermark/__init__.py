"""Watermark LLM output while generating, and detect it later from the text alone.

Generation: ``WatermarkLogitsProcessor(config, key)`` in ``model.generate(logits_processor=...)``.
Detection: ``WatermarkDetector(tokenizer, config, key).detect(text)`` — no model needed.
transformers' own watermark (``generate(watermarking_config=...)``): ``hf_builtin_detector(tokenizer)``.

The names below are loaded on first use (PEP 562), so ``import watermark`` and the model-free
detection path (``WatermarkDetector``, ``WatermarkConfig``, ``WatermarkKey``) never import torch,
transformers or numba; only the processor, generation and model loading do.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# public name -> the submodule that defines it
_LAZY = {
    "DetectionResult": "detector",
    "HFBuiltinGreenLists": "hf_builtin",
    "hf_builtin_detector": "hf_builtin",
    "Span": "detector",
    "WatermarkDetector": "detector",
    "WatermarkConfig": "config",
    "WatermarkError": "errors",
    "KeyRing": "keys",
    "WatermarkKey": "keys",
    "load_key": "keys",
    "load_model": "models",
    "load_tokenizer": "models",
    "WatermarkLogitsProcessor": "processor",
}

__all__ = sorted(_LAZY)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time __getattr__ below does the work
    from .config import WatermarkConfig
    from .detector import DetectionResult, Span, WatermarkDetector
    from .errors import WatermarkError
    from .hf_builtin import HFBuiltinGreenLists, hf_builtin_detector
    from .keys import KeyRing, WatermarkKey, load_key
    from .models import load_model, load_tokenizer
    from .processor import WatermarkLogitsProcessor


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
