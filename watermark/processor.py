"""WatermarkLogitsProcessor: bias the model's logits toward a keyed green list while generating.

Plug it into ``model.generate(..., logits_processor=LogitsProcessorList([proc]))``. In this
transformers version a user-supplied processor runs *before* temperature, top-k and top-p (they
are appended after the user's list in ``GenerationMixin._get_logits_processor``), so the bias
acts on the model's raw logits and the truncation sees the watermarked distribution; with
temperature T the effective bias is delta / T. A test pins this down.
"""

from __future__ import annotations

import torch
from transformers import LogitsProcessor

from . import fastpath
from .config import WatermarkConfig
from .errors import WatermarkError
from .keys import KeyLike, load_key


class WatermarkLogitsProcessor(LogitsProcessor):
    """Add ``delta`` to green tokens (or set red ones to -inf with ``hard``) at every step.

    The green mask is a vectorized keyed hash over the whole [batch, vocab] score tensor on the
    scores' device; the vocab size is taken from the scores. ``pad_token_id`` lets left-padded
    batches work: leading pads never enter a context. On CPU with float32/float64 scores a fused
    numba kernel computes the identical result in one pass (``fused=False`` turns it off).
    """

    def __init__(
        self,
        config: WatermarkConfig,
        key: KeyLike,
        *,
        pad_token_id: int | None = None,
        fused: bool | None = None,
    ):
        if not isinstance(config, WatermarkConfig):
            raise WatermarkError(f"config must be a WatermarkConfig, got {type(config).__name__}")
        self.key = load_key(key)
        config.check_key(self.key)
        self.config = config.bind(key=self.key) if config.key_id is None else config
        self.prf = self.config.prf(self.key)
        self.pad_token_id = pad_token_id
        self.fused = fastpath.AVAILABLE if fused is None else bool(fused and fastpath.AVAILABLE)
        self._tables: dict = {}
        self._kernels: dict = {}

    def __repr__(self) -> str:
        c = self.config
        return (
            f"WatermarkLogitsProcessor(scheme={c.scheme!r}, gamma={c.gamma}, delta={c.delta}, "
            f"h={c.context_width}, hard={c.hard}, key_id={self.key.key_id!r})"
        )

    def green_mask(self, input_ids: torch.LongTensor, vocab_size: int) -> torch.Tensor:
        """The reference torch mask, bool tensor of shape [B, V] on the ids' device."""
        k = (vocab_size, input_ids.device)
        if k not in self._tables:
            self._tables[k] = self.prf.vocab_tables_torch(vocab_size, input_ids.device)
        return self.prf.green_mask_torch(input_ids, vocab_size, self.pad_token_id, self._tables[k])

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        # input_ids: shape [B, L]; scores: shape [B, V]
        B, V = scores.shape
        if (
            self.fused
            and scores.device.type == "cpu"
            and input_ids.device.type == "cpu"
            and scores.dtype in (torch.float32, torch.float64)
            and not scores.requires_grad
        ):
            kern = self._kernels.get(V)
            if kern is None:
                kern = self._kernels[V] = fastpath.FusedBias(self.prf, V)
            out = torch.empty_like(scores, memory_format=torch.contiguous_format)
            kern(
                input_ids.contiguous().numpy(),
                scores.contiguous().numpy(),
                out.numpy(),
                delta=self.config.delta,
                hard=self.config.hard,
                pad_token_id=self.pad_token_id,
            )
            return out
        green = self.green_mask(input_ids, V)  # shape [B, V]
        if self.config.hard:
            return scores.masked_fill(~green, float("-inf"))
        return scores + green.to(scores.dtype) * self.config.delta
