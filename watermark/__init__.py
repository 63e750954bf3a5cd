"""Watermark LLM output while generating, and detect it later from the text alone.

Generation: ``WatermarkLogitsProcessor(config, key)`` in ``model.generate(logits_processor=...)``.
Detection: ``WatermarkDetector(tokenizer, config, key).detect(text)`` — no model needed.
"""

from .config import WatermarkConfig
from .detector import DetectionResult, Span, WatermarkDetector
from .errors import WatermarkError
from .keys import KeyRing, WatermarkKey, load_key
from .models import load_model, load_tokenizer
from .processor import WatermarkLogitsProcessor

__all__ = [
    "DetectionResult", "KeyRing", "Span", "WatermarkConfig", "WatermarkDetector", "WatermarkError",
    "WatermarkKey", "WatermarkLogitsProcessor", "load_key", "load_model", "load_tokenizer",
]
