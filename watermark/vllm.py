"""Serve with vLLM: our green-list watermark as a vLLM v1 logits processor.

Start the engine with ``logits_processors=["watermark.vllm:VLLMWatermarkProcessor"]`` (offline
``LLM(...)``; the string, not the class: see the README) or the OpenAI server with
``--logits-processors watermark.vllm:VLLMWatermarkProcessor``. The keys are read
from the server's environment when the processor starts; requests choose among them by key id
only, so keys never travel in requests:

* ``GENAI_WATERMARK_KEYRING``: comma-separated key specs (key files from `watermark keygen`, or
  ``env:VAR``). Required: without it the engine refuses to start.
* ``GENAI_WATERMARK_CONFIG``: optional comma-separated WatermarkConfig JSON files. A config whose
  ``key_id`` is set applies to that key; at most one without a ``key_id`` applies to the others
  (default: ``WatermarkConfig()``). So each key id names one key *and* one config.
* ``GENAI_WATERMARK_DEFAULT``: what a request that names no key gets: a key id of the ring, or
  ``none`` (no watermark). Unset: the only key when the ring holds one key (a watermarking
  server watermarks everything), and with several keys a request must name one (HTTP 400).

A request picks a key with ``SamplingParams(extra_args={"watermark_key_id": KEY_ID})`` (over
the OpenAI server: ``"vllm_xargs": {"watermark_key_id": KEY_ID}``); an unknown id is refused at
admission. The green lists are the ones :class:`~watermark.processor.WatermarkLogitsProcessor`
makes for the same context (the mask comes from :mod:`watermark.prf`): the first generated
token is seeded by the prompt's last h tokens, exactly as in ``generate()``.

:class:`BatchWatermarker` holds the per-row state and the math and needs no vLLM; the vLLM
class is a thin adapter that feeds it vLLM's batch updates (removed, then added, then moved).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import torch

from . import fastpath
from .config import WatermarkConfig
from .errors import WatermarkError
from .keys import load_key
from .prf import PRF

ENV_KEYRING = "GENAI_WATERMARK_KEYRING"
ENV_CONFIG = "GENAI_WATERMARK_CONFIG"
ENV_DEFAULT = "GENAI_WATERMARK_DEFAULT"
ARG_KEY_ID = "watermark_key_id"
NO_WATERMARK = "none"
PLACEHOLDER = -1  # vLLM's not-yet-known token id (async scheduling); never a real token

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Entry:
    config: WatermarkConfig
    prf: PRF


class ServingKeyRing:
    """The keys and configs one server watermarks with, and the per-request choice among them."""

    def __init__(self, entries: Mapping[str, _Entry], default: str | None, must_choose: bool):
        self.entries = dict(entries)
        self.default = default  # key id, or None for "no watermark"
        self.must_choose = must_choose

    def __repr__(self) -> str:  # ids and configs are public; keys are never shown
        return f"ServingKeyRing(key_ids={list(self.entries)!r}, default={self.default!r})"

    @classmethod
    def from_specs(
        cls,
        keys: Sequence[Any],
        configs: Sequence[WatermarkConfig] = (),
        default: str | None = None,
    ) -> ServingKeyRing:
        """Build from key specs (see :func:`~watermark.keys.load_key`), configs and a default."""
        loaded = [load_key(k) for k in keys]
        if not loaded:
            raise WatermarkError(
                f"no watermark key given; set {ENV_KEYRING}=KEYFILE[,KEYFILE...] "
                "(make a key with `watermark keygen`)"
            )
        ids = [k.key_id for k in loaded]
        if len(set(ids)) != len(ids):
            raise WatermarkError(f"{ENV_KEYRING} names the same key twice")
        bound = {c.key_id: c for c in configs if c.key_id is not None}
        general = [c for c in configs if c.key_id is None]
        if len(general) > 1:
            raise WatermarkError(
                f"{ENV_CONFIG} holds {len(general)} configs without a key_id; "
                "at most one may apply to all keys"
            )
        if len(bound) != len(configs) - len(general):
            raise WatermarkError(f"{ENV_CONFIG} holds two configs for the same key_id")
        stray = sorted(set(bound) - set(ids))
        if stray:
            raise WatermarkError(
                f"{ENV_CONFIG} names key_id {stray[0]!r}, which is not in "
                f"{ENV_KEYRING}; add its key or drop the config"
            )
        base = general[0] if general else WatermarkConfig()
        entries = {}
        for k in loaded:
            cfg = bound.get(k.key_id) or base.bind(key=k)
            entries[k.key_id] = _Entry(cfg, cfg.prf(k))
        must_choose = False
        if default is None or default == "":
            default = ids[0] if len(ids) == 1 else None
            must_choose = len(ids) > 1
        elif default == NO_WATERMARK:
            default = None
        elif default not in entries:
            raise WatermarkError(
                f"{ENV_DEFAULT}={default!r} is neither a key_id of {ENV_KEYRING} "
                f"nor {NO_WATERMARK!r}"
            )
        return cls(entries, default, must_choose)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServingKeyRing:
        """Read ``GENAI_WATERMARK_KEYRING`` / ``_CONFIG`` / ``_DEFAULT`` (see the module doc)."""
        env = os.environ if environ is None else environ
        keys = [s.strip() for s in env.get(ENV_KEYRING, "").split(",") if s.strip()]
        configs = [
            WatermarkConfig.load(s.strip()) for s in env.get(ENV_CONFIG, "").split(",") if s.strip()
        ]
        return cls.from_specs(keys, configs, env.get(ENV_DEFAULT) or None)

    def choose(self, extra_args: Mapping[str, Any] | None) -> str | None:
        """The key id a request is watermarked with (None: no watermark); raises if refused."""
        if extra_args is not None and not isinstance(extra_args, Mapping):
            raise WatermarkError("extra_args must be a mapping")
        chosen = (extra_args or {}).get(ARG_KEY_ID)
        if chosen is None:
            if self.must_choose:
                raise WatermarkError(
                    f"this server watermarks with several keys; name one with extra_args "
                    f"{{{ARG_KEY_ID!r}: KEY_ID}} (one of {', '.join(self.entries)})"
                )
            return self.default
        if not isinstance(chosen, str) or chosen not in self.entries:
            raise WatermarkError(
                f"{ARG_KEY_ID}={str(chosen)[:40]!r} is not a key of this server "
                f"(it has {', '.join(self.entries)})"
            )
        return chosen


@dataclass
class _Row:
    key_id: str
    prompt_tail: list[int]  # the prompt's last h ids: the context of the first generated tokens
    output: list[int]  # vLLM's live list of generated ids (a reference: it grows in place)


class BatchWatermarker:
    """Per-row watermark state of a persistent batch, and the bias step over its logits.

    Rows are batch indices. ``add``/``remove``/``move`` follow vLLM's batch updates; ``apply``
    reads each row's context at sampling time (prompt tail + generated ids), so ids that async
    scheduling has not filled in yet (``-1``) are never read at ``update_state`` time. A row
    whose context still holds a placeholder at ``apply`` is left unbiased for that step (and
    counted in ``placeholder_steps``) rather than seeded wrongly.
    """

    def __init__(
        self, ring: ServingKeyRing, device: torch.device | str = "cpu", *, fused: bool | None = None
    ):
        self.ring = ring
        self.device = torch.device(device)
        self.fused = fastpath.AVAILABLE if fused is None else bool(fused and fastpath.AVAILABLE)
        self.rows: dict[int, _Row] = {}
        self.placeholder_steps = 0
        self._tables: dict = {}
        self._kernels: dict = {}

    # ---- batch bookkeeping ---------------------------------------------------------------------
    def add(
        self,
        index: int,
        extra_args: Mapping[str, Any] | None,
        prompt_ids: Sequence[int] | None,
        output_ids: list[int],
    ) -> str | None:
        """A request enters row ``index`` (replacing what was there); returns its key id."""
        key_id = self.ring.choose(extra_args)
        if key_id is None:
            self.rows.pop(index, None)
            return None
        h = self.ring.entries[key_id].config.context_width
        tail = list(prompt_ids[-h:]) if prompt_ids else []
        self.rows[index] = _Row(key_id, tail, output_ids)
        return key_id

    def remove(self, index: int) -> None:
        self.rows.pop(index, None)

    def move(self, src: int, dst: int, *, swap: bool) -> None:
        """``src`` -> ``dst`` (dst's old request gone), or exchange them when ``swap``."""
        a, b = self.rows.pop(src, None), self.rows.pop(dst, None)
        if a is not None:
            self.rows[dst] = a
        if swap and b is not None:
            self.rows[src] = b

    # ---- the bias step -------------------------------------------------------------------------
    def contexts(self, indices: Sequence[int]) -> tuple[list[int], list[list[int]]]:
        """(rows usable now, their contexts): the last h ids of prompt + output, oldest first."""
        ok, ctxs = [], []
        for i in indices:
            row = self.rows[i]
            h = self.ring.entries[row.key_id].config.context_width
            ctx = (row.prompt_tail + row.output[-h:])[-h:]
            if PLACEHOLDER in ctx:
                self.placeholder_steps += 1
                continue
            ok.append(i)
            ctxs.append(ctx)
        return ok, ctxs

    def apply(self, logits: torch.Tensor) -> torch.Tensor:
        """Bias every watermarked row of ``logits`` [num_rows, V] in place; returns it."""
        if not self.rows:
            return logits
        n = logits.shape[0]
        groups: dict[str, list[int]] = {}
        for i in sorted(self.rows):
            if i < n:
                groups.setdefault(self.rows[i].key_id, []).append(i)
        for key_id, indices in groups.items():
            indices, ctxs = self.contexts(indices)
            if indices:
                self._bias(logits, indices, ctxs, self.ring.entries[key_id])
        return logits

    def _bias(
        self, logits: torch.Tensor, indices: list[int], ctxs: list[list[int]], entry: _Entry
    ) -> None:
        cfg, prf = entry.config, entry.prf
        V = logits.shape[1]
        w = max(len(c) for c in ctxs)
        # Rows shorter than h (a prompt shorter than h) are left-padded with -1, which no real
        # token equals, so the shared mask code drops exactly the pads.
        ids = torch.tensor([[PLACEHOLDER] * (w - len(c)) + c for c in ctxs], dtype=torch.long)
        whole = len(indices) == logits.shape[0]
        sub = logits if whole else logits[torch.tensor(indices, device=logits.device)]
        if (
            self.fused
            and logits.device.type == "cpu"
            and logits.dtype == torch.float32
            and sub.is_contiguous()
        ):
            kern = self._kernels.get((id(prf), V))
            if kern is None:
                kern = self._kernels[(id(prf), V)] = fastpath.FusedBias(prf, V)
            arr = sub.numpy()
            kern(ids.numpy(), arr, arr, delta=cfg.delta, hard=cfg.hard, pad_token_id=PLACEHOLDER)
        else:
            ids = ids.to(logits.device)
            tk = (id(prf), V, logits.device)
            if tk not in self._tables:
                self._tables[tk] = prf.vocab_tables_torch(V, logits.device)
            green = prf.green_mask_torch(ids, V, PLACEHOLDER, self._tables[tk])  # shape [n, V]
            if cfg.hard:
                sub.masked_fill_(~green, float("-inf"))
            else:
                sub.add_(green.to(sub.dtype) * cfg.delta)
        if not whole:
            logits[torch.tensor(indices, device=logits.device)] = sub


# ---- the vLLM adapter (only where vLLM is installed) -----------------------------------------------
try:
    from vllm.v1.sample.logits_processor import BatchUpdate, MoveDirectionality
    from vllm.v1.sample.logits_processor import LogitsProcessor as _VllmLP
except ImportError:  # vLLM lives in its own environment (`make vllm-env`)
    _VllmLP = None

_ring_cache: ServingKeyRing | None = None


def _admission_ring() -> ServingKeyRing:
    global _ring_cache
    if _ring_cache is None:
        _ring_cache = ServingKeyRing.from_env()
    return _ring_cache


if _VllmLP is not None:

    class VLLMWatermarkProcessor(_VllmLP):
        """vLLM v1 logits processor: our watermark on the persistent batch (see module doc)."""

        @classmethod
        def validate_params(cls, sampling_params) -> None:
            """Refuse, at admission (HTTP 400), a request naming a key the server lacks."""
            try:
                _admission_ring().choose(sampling_params.extra_args)
            except WatermarkError as exc:
                raise ValueError(str(exc)) from None

        def __init__(self, vllm_config, device: torch.device, is_pin_memory: bool):
            self.core = BatchWatermarker(ServingKeyRing.from_env(), device)
            log.info("genai-provenance watermark on: %r", self.core.ring)

        def is_argmax_invariant(self) -> bool:
            return False  # the bias changes greedy picks too

        def needs_output_token_ids(self) -> bool:
            return True  # real last ids at apply(), not async placeholders (vLLM #52461)

        def update_state(self, batch_update: BatchUpdate | None) -> None:
            if batch_update is None:
                return
            for index in batch_update.removed:
                self.core.remove(index)
            for index, params, prompt_ids, output_ids in batch_update.added:
                try:
                    self.core.add(index, params.extra_args, prompt_ids, output_ids)
                except WatermarkError as exc:  # validate_params already refused these
                    self.core.remove(index)
                    log.error("request at row %d not watermarked: %s", index, exc)
            for src, dst, kind in batch_update.moved:
                self.core.move(src, dst, swap=kind == MoveDirectionality.SWAP)

        def apply(self, logits: torch.Tensor) -> torch.Tensor:
            return self.core.apply(logits)

else:

    def __getattr__(name: str):
        if name == "VLLMWatermarkProcessor":
            raise WatermarkError(
                "vLLM is not installed in this environment; use the vLLM "
                "environment (`make vllm-env`) or pip install "
                "'genai-provenance[vllm]'"
            )
        raise AttributeError(name)
