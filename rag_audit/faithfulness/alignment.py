"""Token-level alignment (BERTScore-style) beside the sentence embedding.

`TokenEncoder` runs MiniLM once per text and keeps both views: the sentence vector (mean pooling
+ L2 norm, as sentence-transformers computes it) and the L2-normalised contextual token vectors
with their character offsets. `align` greedily matches each token of an answer sentence to its most
similar token of an evidence piece and weighs the matches by IDF, so that rare words (names,
figures, terms) count and "the", "of" barely do.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["ALIGN_THRESHOLD", "Alignment", "Encoded", "TokenEncoder", "align", "token_weights"]

# A sentence token whose best match in the evidence is below this cosine counts as unaligned.
ALIGN_THRESHOLD = 0.55


@dataclass(frozen=True)
class Encoded:
    """One text encoded: sentence vector [384], token vectors [T, 384] (special tokens dropped),
    token ids [T] and character offsets [T, 2] into the text."""

    vector: np.ndarray
    tokens: np.ndarray
    ids: np.ndarray
    offsets: np.ndarray


class TokenEncoder:
    """MiniLM (a loaded SentenceTransformer) giving sentence and token vectors in one pass."""

    def __init__(self, st_model, max_length: int = 128, batch_size: int = 8) -> None:
        self._st = st_model
        self.tokenizer = st_model[0].tokenizer
        self.model = st_model[0].auto_model
        self.max_length = int(max_length)
        self.batch_size = int(batch_size)
        self.special = set(self.tokenizer.all_special_ids)
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> list[Encoded]:
        """Encode `texts` in length-sorted batches (deterministic, CPU, inference mode)."""
        import torch

        order = sorted(range(len(texts)), key=lambda i: (len(texts[i]), i))
        out: list[Encoded | None] = [None] * len(texts)
        with self._lock, torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                enc = self.tokenizer(
                    [texts[i] for i in idx],
                    padding=True,
                    truncation=True,
                    max_length=self.max_length,
                    return_offsets_mapping=True,
                    return_tensors="pt",
                )
                offsets = enc.pop("offset_mapping").numpy()
                hidden = self.model(**enc).last_hidden_state  # [B, T, 384]
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, dim=-1).numpy().astype(np.float32)
                toks = torch.nn.functional.normalize(hidden, dim=-1).numpy().astype(np.float32)
                ids = enc["input_ids"].numpy()
                am = enc["attention_mask"].numpy()
                for k, i in enumerate(idx):
                    keep = [
                        t
                        for t in range(ids.shape[1])
                        if am[k, t] and int(ids[k, t]) not in self.special
                    ]
                    out[i] = Encoded(
                        pooled[k],
                        toks[k, keep],
                        ids[k, keep].astype(np.int64),
                        offsets[k, keep].astype(np.int64),
                    )
        return out  # type: ignore[return-value]


def token_weights(ids: np.ndarray, idf: Mapping[int, float], default: float) -> np.ndarray:
    """IDF weight per token id (`default` for ids the table has not seen)."""
    return np.array([idf.get(int(t), default) for t in ids], dtype=np.float64)


@dataclass(frozen=True)
class Alignment:
    """How well a sentence's tokens are found in an evidence text (IDF-weighted)."""

    precision: float  # weighted mean over sentence tokens of their best cosine in the evidence
    recall: float  # weighted mean over evidence tokens of their best cosine in the sentence
    worst: float  # lowest best-cosine among the sentence's weighty tokens (idf >= median)
    unaligned: float  # share of the sentence's IDF weight whose best cosine < ALIGN_THRESHOLD
    unaligned_heavy: int  # how many weighty sentence tokens have best cosine < ALIGN_THRESHOLD
    match: np.ndarray  # [T_sentence] index of the best evidence token
    best: np.ndarray  # [T_sentence] cosine of that match


def align(
    sent: Encoded, evid_tokens: np.ndarray, w_sent: np.ndarray, w_evid: np.ndarray
) -> Alignment:
    """Greedy (max) matching of sentence tokens to evidence tokens, BERTScore-style."""
    if len(sent.tokens) == 0 or len(evid_tokens) == 0:
        n = len(sent.tokens)
        return Alignment(0.0, 0.0, 0.0, 1.0, n, np.zeros(n, dtype=np.int64), np.zeros(n))
    sims = sent.tokens @ evid_tokens.T  # [Ts, Te], float32 (a cosine needs no more)
    best_s = sims.max(axis=1)
    best_e = sims.max(axis=0)
    ws = w_sent / max(w_sent.sum(), 1e-9)
    we = w_evid / max(w_evid.sum(), 1e-9)
    heavy = w_sent >= np.median(w_sent)
    return Alignment(
        precision=float((ws * best_s).sum()),
        recall=float((we * best_e).sum()),
        worst=float(best_s[heavy].min()) if heavy.any() else float(best_s.min()),
        unaligned=float(ws[best_s < ALIGN_THRESHOLD].sum()),
        unaligned_heavy=int((heavy & (best_s < ALIGN_THRESHOLD)).sum()),
        match=sims.argmax(axis=1),
        best=best_s,
    )


def idf_table(token_id_lists: Sequence[Sequence[int]]) -> tuple[dict[int, float], float]:
    """IDF per token id over documents (sets of ids): log((N + 1) / (df + 1)); unseen ids get
    log(N + 1). Used by the calibration script to build the committed table."""
    n = len(token_id_lists)
    df: dict[int, int] = {}
    for ids in token_id_lists:
        for t in set(int(x) for x in ids):
            df[t] = df.get(t, 0) + 1
    return {t: math.log((n + 1) / (c + 1)) for t, c in df.items()}, math.log(n + 1)
