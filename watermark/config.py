"""WatermarkConfig: the public half of a watermark — everything a detector needs but the key.

It round-trips through JSON and never holds the secret; it names the key by its ``key_id`` and
the tokenizer by a fingerprint so a detector can refuse a mismatched pairing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import WatermarkError
from .prf import PRF, SCHEME_VERSION, SCHEMES, green_threshold


@dataclass(frozen=True)
class WatermarkConfig:
    """Public watermark parameters.

    gamma: green fraction of the vocabulary; delta: logit bias added to green tokens;
    context_width: h, how many previous tokens seed the green list; scheme: ``lefthash`` or
    ``selfhash``; hard: forbid red tokens outright instead of biasing.
    """

    gamma: float = 0.25
    delta: float = 2.0
    context_width: int = 1
    scheme: str = "lefthash"
    scheme_version: int = SCHEME_VERSION
    hard: bool = False
    key_id: str | None = None
    tokenizer_fingerprint: str | None = None
    vocab_size: int | None = None

    def __post_init__(self) -> None:
        if (
            isinstance(self.gamma, bool)
            or not isinstance(self.gamma, (int, float))
            or not 0.0 < self.gamma < 1.0
        ):
            raise WatermarkError(
                f"gamma={self.gamma!r} must lie strictly between 0 and 1 (0.25 is usual)"
            )
        if (
            isinstance(self.delta, bool)
            or not isinstance(self.delta, (int, float))
            or not self.delta >= 0.0
        ):
            raise WatermarkError(f"delta={self.delta!r} must be a number >= 0 (2.0 is usual)")
        if (
            isinstance(self.context_width, bool)
            or not isinstance(self.context_width, int)
            or self.context_width < 1
        ):
            raise WatermarkError(f"context_width={self.context_width!r} must be an integer >= 1")
        if self.scheme not in SCHEMES:
            raise WatermarkError(
                f"scheme={self.scheme!r} is not known; use one of {', '.join(SCHEMES)}"
            )
        if self.scheme_version != SCHEME_VERSION:
            raise WatermarkError(
                f"scheme_version={self.scheme_version!r} is not supported "
                f"(this release knows {SCHEME_VERSION}); upgrade genai-provenance"
            )

    @property
    def effective_gamma(self) -> float:
        """The exact null probability of green, as the detector uses it."""
        return green_threshold(self.gamma) / 2.0**32

    def prf(self, key) -> PRF:
        """The keyed PRF for this config and a :class:`~watermark.keys.WatermarkKey`."""
        return PRF.from_secret(
            key.secret,
            gamma=self.gamma,
            context_width=self.context_width,
            scheme=self.scheme,
            scheme_version=self.scheme_version,
        )

    def check_key(self, key) -> None:
        """Raise if this config names another key than ``key`` (a :class:`WatermarkKey`)."""
        if self.key_id is not None and self.key_id != key.key_id:
            raise WatermarkError(
                f"the config names key_id {self.key_id!r} but the key given is "
                f"{key.key_id!r}; pass the matching key"
            )

    def bind(self, *, key=None, tokenizer=None) -> WatermarkConfig:
        """A copy that records the key's id and the tokenizer's fingerprint and vocab size."""
        out = self
        if key is not None:
            out = replace(out, key_id=key.key_id)
        if tokenizer is not None:
            out = replace(
                out,
                tokenizer_fingerprint=tokenizer_fingerprint(tokenizer),
                vocab_size=len(tokenizer),
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WatermarkConfig:
        if not isinstance(data, dict):
            raise WatermarkError("a watermark config must be a JSON object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise WatermarkError(f"unknown watermark config field(s): {', '.join(unknown)}")
        return cls(**data)

    @classmethod
    def from_json(cls, text: str, *, source: str = "watermark config") -> WatermarkConfig:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise WatermarkError(
                f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}"
            ) from None
        return cls.from_dict(data)

    def save(self, path: str | os.PathLike) -> Path:
        p = Path(path)
        p.write_text(self.to_json() + "\n", encoding="utf-8")
        return p

    @classmethod
    def load(cls, path: str | os.PathLike) -> WatermarkConfig:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise WatermarkError(f"config file {str(p)!r} does not exist") from None
        except (UnicodeDecodeError, OSError) as exc:
            raise WatermarkError(
                f"config file {str(p)!r} cannot be read ({exc.__class__.__name__})"
            ) from None
        return cls.from_json(text, source=f"config file {str(p)!r}")

    def check_tokenizer(self, tokenizer) -> None:
        """Raise if this config was made for another tokenizer (vocab size or fingerprint)."""
        if self.vocab_size is not None and self.vocab_size != len(tokenizer):
            raise WatermarkError(
                f"the config was made for a tokenizer with {self.vocab_size} tokens, this one has "
                f"{len(tokenizer)}; detect with the tokenizer that generated the text"
            )
        if (
            self.tokenizer_fingerprint is not None
            and self.tokenizer_fingerprint != tokenizer_fingerprint(tokenizer)
        ):
            raise WatermarkError(
                "the config's tokenizer fingerprint does not match this tokenizer; "
                "detect with the tokenizer that generated the text"
            )


def tokenizer_fingerprint(tokenizer) -> str:
    """16 hex chars over the tokenizer's (token, id) table: same vocabulary, same fingerprint."""
    cached = getattr(tokenizer, "_genai_provenance_fp", None)
    if cached:
        return cached
    vocab = tokenizer.get_vocab()
    h = hashlib.sha256()
    for tok, idx in sorted(vocab.items(), key=lambda kv: kv[1]):
        h.update(f"{idx}\t{tok}\n".encode("utf-8", "surrogatepass"))
    fp = h.hexdigest()[:16]
    try:
        tokenizer._genai_provenance_fp = fp
    except Exception:  # noqa: BLE001 - some tokenizers forbid new attributes; just don't cache
        pass
    return fp
