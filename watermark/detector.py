"""WatermarkDetector: text or token ids -> DetectionResult, with the tokenizer and the key only.

Each scored token is green with probability gamma under the null (text not made with this key),
independently once repeated (seed, token) pairs are dropped, so the green count is binomial and
the p-value is its exact tail (:mod:`watermark.stats`). Prompt tokens, special tokens and repeats
are not scored; they still serve as context, exactly as during generation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np

from .config import WatermarkConfig
from .errors import WatermarkError
from .keys import KeyRing
from .stats import binomial_sf, bonferroni, z_score

DEFAULT_THRESHOLD = 1e-4
DEFAULT_MIN_TOKENS = 16
DEFAULT_WINDOWS = (32, 64, 128, 256)
DEFAULT_KEEP_TOKENS = 100_000  # detect_stream: per-token detail kept for this many tokens
PIECE_CHARS = 256 * 1024  # detect_stream: characters tokenized at a time
SCAN_METHODS = ("hmm", "maxlr")  # detect_scan: HMM likelihood ratio (default), max-LR windows

WATERMARKED = "watermarked"
NOT_WATERMARKED = "not watermarked"
TOO_SHORT = "too short to decide"

# why a token was not scored (prompt tokens are context: they are not part of the result)
SKIP_SPECIAL, SKIP_REPEAT, SKIP_CONTEXT = "special", "repeated", "no context"


@dataclass
class Span:
    """A located watermarked stretch: token and character ranges and its corrected p-value."""

    token_start: int
    token_end: int  # exclusive
    char_start: int | None
    char_end: int | None
    num_scored: int
    num_green: int
    p_value: float  # corrected for every window searched (and every key)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class DetectionResult:
    """The verdict on one text, with everything needed to explain it.

    ``green`` holds one entry per token of the text: 1 green, 0 red, -1 not scored (see
    ``skip_reasons``). ``p_value`` is corrected for the number of keys tried (and of windows
    searched, for windowed detection); ``p_value_uncorrected`` is the best single test.
    """

    verdict: str
    is_watermarked: bool | None
    p_value: float
    p_value_uncorrected: float
    z_score: float
    num_tokens: int
    num_scored: int
    num_green: int
    green_fraction: float
    gamma: float
    threshold: float
    key_id: str | None
    keys_tried: int
    token_ids: np.ndarray
    green: np.ndarray
    skip_reasons: dict[int, str] = field(default_factory=dict)
    offsets: list[tuple[int, int]] | None = None
    text: str | None = None
    spans: list[Span] = field(default_factory=list)
    windows_searched: int = 1
    num_tokens_kept: int | None = None  # per-token fields cover only this many tokens (streamed)
    skip_counts: dict[str, int] | None = None  # per reason, over all tokens (when not all kept)

    def to_dict(self, *, tokens: bool = False) -> dict[str, Any]:
        """JSON-ready dict; ``tokens=True`` adds per-token ids, green mask and skip reasons."""
        d = {
            k: getattr(self, k)
            for k in (
                "verdict",
                "is_watermarked",
                "p_value",
                "p_value_uncorrected",
                "z_score",
                "num_tokens",
                "num_scored",
                "num_green",
                "green_fraction",
                "gamma",
                "threshold",
                "key_id",
                "keys_tried",
                "windows_searched",
            )
        }
        d["skipped"] = (
            dict(self.skip_counts) if self.skip_counts is not None else self._count_skipped()
        )
        d["spans"] = [s.to_dict() for s in self.spans]
        if tokens:
            d["token_ids"] = self.token_ids.tolist()
            d["green"] = self.green.tolist()
            d["skip_reasons"] = {str(i): r for i, r in sorted(self.skip_reasons.items())}
            if self.offsets is not None:
                d["offsets"] = [list(o) for o in self.offsets]
            if self.num_tokens_kept is not None:
                d["tokens_kept"] = self.num_tokens_kept
        return d

    def _count_skipped(self) -> dict[str, int]:
        skipped: dict[str, int] = {}
        for r in self.skip_reasons.values():
            skipped[r] = skipped.get(r, 0) + 1
        return skipped

    def head(self, max_tokens: int) -> DetectionResult:
        """A copy whose per-token fields (ids, green mask, offsets, text) cover at most the first
        ``max_tokens`` tokens; the verdict and counts still describe the whole text."""
        shown = self.token_ids.size
        if shown <= max_tokens:
            return self
        n = max(0, int(max_tokens))
        out = replace(
            self,
            token_ids=self.token_ids[:n],
            green=self.green[:n],
            skip_reasons={i: r for i, r in self.skip_reasons.items() if i < n},
            skip_counts=self.skip_counts if self.skip_counts is not None else self._count_skipped(),
            num_tokens_kept=n,
        )
        if self.offsets is not None:
            out.offsets = self.offsets[:n]
            if self.text is not None:
                out.text = self.text[: self.offsets[n - 1][1]] if n else ""
        return out


class _WindowSearch(NamedTuple):
    """Every window scored under one key (detect_spans); ``p_corr`` is corrected for the search."""

    key_id: str
    green: np.ndarray  # bool[N], per text token
    scored: np.ndarray  # bool[N]
    idx: np.ndarray  # text positions that were scored
    p: np.ndarray  # per window, uncorrected
    p_corr: np.ndarray  # per window, corrected for windows searched and keys tried
    starts: np.ndarray  # per window, in scored-token units
    ends: np.ndarray
    m_windows: int


@dataclass
class _Encoded:
    ids: np.ndarray  # prompt + text ids, shape [P + N]
    n_prompt: int
    offsets: list[tuple[int, int]] | None
    text: str | None


class WatermarkDetector:
    """Detect the watermark of ``config`` under one key or a key ring, without the model.

    threshold: p-value below which the verdict is "watermarked" (default 1e-4);
    min_tokens: fewer scored tokens than this gives "too short to decide";
    ignore_repeated: score each (seed, token) pair once (default on).
    """

    def __init__(
        self,
        tokenizer,
        config: WatermarkConfig,
        key_or_keys,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        min_tokens: int = DEFAULT_MIN_TOKENS,
        ignore_repeated: bool = True,
    ):
        if not isinstance(config, WatermarkConfig):
            raise WatermarkError(f"config must be a WatermarkConfig, got {type(config).__name__}")
        self._set_options(tokenizer, threshold, min_tokens, ignore_repeated)
        config.check_tokenizer(tokenizer)
        self.config = config
        self.ring = KeyRing.of(key_or_keys)
        if config.key_id is not None and config.key_id not in {k.key_id for k in self.ring}:
            raise WatermarkError(
                f"the config was made with key_id {config.key_id!r} and no key given matches "
                f"(given: {', '.join(k.key_id for k in self.ring)}); pass the key that generated the text"
            )
        self.prfs = [(k.key_id, config.prf(k)) for k in self.ring]
        self.gamma = config.effective_gamma
        self.min_context = 0  # text tokens before this index are context only (other green lists)

    def _set_options(self, tokenizer, threshold, min_tokens, ignore_repeated) -> None:
        if not 0.0 < threshold < 1.0:
            raise WatermarkError(f"threshold={threshold!r} must lie strictly between 0 and 1")
        if int(min_tokens) < 1:
            raise WatermarkError(f"min_tokens={min_tokens!r} must be >= 1")
        self.tokenizer = tokenizer
        self.threshold = float(threshold)
        self.min_tokens = int(min_tokens)
        self.ignore_repeated = bool(ignore_repeated)
        self.special_ids = np.array(
            sorted(set(getattr(tokenizer, "all_special_ids", []) or [])), dtype=np.int64
        )

    @classmethod
    def from_green_lists(
        cls,
        tokenizer,
        green_lists,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        min_tokens: int = DEFAULT_MIN_TOKENS,
        ignore_repeated: bool = True,
    ) -> WatermarkDetector:
        """A detector over another generator's green lists, e.g.
        :class:`watermark.hf_builtin.HFBuiltinGreenLists`: an object with ``gamma``,
        ``context_width``, ``min_context``, ``key_id`` and ``green_numpy(ids, lo) -> (green,
        seed)`` (seed -1 where a position has too little context to be scored). Scored with the
        same repeat removal, exact p-value and windowed search as our own watermark."""
        self = cls.__new__(cls)
        self._set_options(tokenizer, threshold, min_tokens, ignore_repeated)
        self.config = green_lists  # detect_stream reads its context_width
        self.ring = None
        self.prfs = [(green_lists.key_id, green_lists)]
        self.gamma = float(green_lists.gamma)
        self.min_context = int(green_lists.min_context)
        return self

    # ---- input handling ----------------------------------------------------------------------
    def _encode(self, item, prompt=None) -> _Encoded:
        if prompt is None:
            p_ids = np.zeros(0, dtype=np.int64)
        elif isinstance(prompt, str):
            p_ids = np.asarray(
                self.tokenizer(prompt, add_special_tokens=False)["input_ids"], dtype=np.int64
            )
        else:
            p_ids = _as_ids(prompt, "prompt")
        if isinstance(item, str):
            if not item.strip():
                raise WatermarkError("the text is empty; nothing to detect")
            enc = self.tokenizer(item, add_special_tokens=False, return_offsets_mapping=True)
            ids = np.asarray(enc["input_ids"], dtype=np.int64)
            offsets = [tuple(o) for o in enc["offset_mapping"]]
            text = item
        else:
            ids, offsets, text = _as_ids(item, "token ids"), None, None
            if ids.size == 0:
                raise WatermarkError("no token ids given; nothing to detect")
        return _Encoded(np.concatenate([p_ids, ids]), int(p_ids.size), offsets, text)

    # ---- public API ----------------------------------------------------------------------------
    def detect(self, text_or_ids, prompt=None) -> DetectionResult:
        """Score one text (str) or id sequence; ``prompt`` (str or ids) is context, not scored."""
        return self._detect_encoded([self._encode(text_or_ids, prompt)])[0]

    def detect_batch(
        self, items: Sequence, prompts: Sequence | None = None
    ) -> list[DetectionResult]:
        """Score many texts or id sequences in one vectorized pass (see :meth:`detect`)."""
        items = list(items)
        if prompts is not None and len(prompts) != len(items):
            raise WatermarkError(f"got {len(items)} items but {len(prompts)} prompts")
        if items and all(isinstance(x, str) for x in items) and prompts is None:
            encs = self._encode_texts(items)
        else:
            encs = [
                self._encode(x, None if prompts is None else prompts[i])
                for i, x in enumerate(items)
            ]
        return self._detect_encoded(encs)

    def detect_spans(
        self, text_or_ids, prompt=None, *, window_sizes: Iterable[int] = DEFAULT_WINDOWS
    ) -> DetectionResult:
        """Windowed detection: find watermarked stretches inside longer mixed text.

        Slides windows of each size (in scored tokens, stride a quarter window) over the text,
        plus the whole text; each window's exact p-value is multiplied by the number of windows
        searched (and keys tried), so the reported p-values stay valid after the search.
        Returns a DetectionResult whose ``spans`` hold the merged significant windows.
        """
        enc = self._encode(text_or_ids, prompt)
        best = None
        for key_id, prf in self.prfs:
            green, scored = self._score(enc, prf)
            idx = np.nonzero(scored)[0]  # token positions (in the text) that were scored
            g = green[idx].astype(np.int64)
            n = idx.size
            cum = np.concatenate([[0], np.cumsum(g)])
            starts_l, ends_l = [np.array([0])], [np.array([n])]
            for w in sorted({int(w) for w in window_sizes}):
                if w < self.min_tokens or w >= n:
                    continue
                st = np.arange(0, n - w + 1, max(1, w // 4))
                starts_l.append(st)
                ends_l.append(st + w)
            starts, ends = np.concatenate(starts_l), np.concatenate(ends_l)
            k = cum[ends] - cum[starts]
            m = ends - starts
            p = np.where(m >= self.min_tokens, binomial_sf(k, m, self.gamma), 1.0)
            m_windows = int(starts.size)
            p_corr = bonferroni(bonferroni(p, m_windows), len(self.prfs))
            cand = _WindowSearch(key_id, green, scored, idx, p, p_corr, starts, ends, m_windows)
            if best is None or cand.p_corr.min() < best.p_corr.min():
                best = cand
        res = self._result(enc, best.key_id, best.green, best.scored)
        i = int(np.argmin(best.p_corr))
        res.p_value, res.p_value_uncorrected = float(best.p_corr[i]), float(best.p[i])
        res.windows_searched = best.m_windows
        if res.verdict != TOO_SHORT:
            res.is_watermarked = res.p_value < self.threshold
            res.verdict = WATERMARKED if res.is_watermarked else NOT_WATERMARKED
        res.spans = self._merge_spans(
            enc,
            best.idx,
            np.concatenate([[0], np.cumsum(best.green[best.idx])]),
            best.starts,
            best.ends,
            best.p_corr,
        )
        return res

    def detect_scan(
        self,
        text_or_ids,
        prompt=None,
        *,
        min_len: int | None = None,
        max_spans: int = 3,
        method: str = "hmm",
    ) -> DetectionResult:
        """Span search with a calibrated p-value for "some span is watermarked".

        ``method="hmm"`` (default, :mod:`watermark.scan_hmm`): the hidden-Markov marginal
        likelihood ratio, which sums the evidence over every placement of one or more
        watermarked stretches; spans are the stretches whose posterior exceeds 1/2.
        ``method="maxlr"`` (:mod:`watermark.scan`): the maximum likelihood ratio over every
        window of at least ``min_len`` scored tokens (default 16); spans are the best disjoint
        windows. Both nulls are simulated and tabulated per n (valid, not a bound in the body);
        the p-value is multiplied by the number of keys tried. ``spans`` hold up to
        ``max_spans`` significant stretches, best first (none when nothing is significant);
        ``p_value_uncorrected`` is the best span's own binomial p.
        """
        from . import scan as scan_mod

        if method not in SCAN_METHODS:
            raise WatermarkError(
                f"method={method!r}: choose one of {', '.join(SCAN_METHODS)} for span search"
            )
        if method == "hmm" and min_len is not None:
            raise WatermarkError("min_len applies to method='maxlr' only (the HMM has no windows)")
        min_len = scan_mod.DEFAULT_MIN_LEN if min_len is None else int(min_len)
        if min_len < 1:
            raise WatermarkError(f"min_len={min_len!r} must be >= 1")
        enc = self._encode(text_or_ids, prompt)
        best = None
        for key_id, prf in self.prfs:
            green, scored = self._score(enc, prf)
            idx = np.nonzero(scored)[0]
            if method == "hmm":
                from .scan_hmm import hmm_scan

                sr = hmm_scan(green[idx], self.gamma, max_windows=max_spans)
            else:
                sr = scan_mod.scan(
                    green[idx],
                    self.gamma,
                    min_len=min_len,
                    max_windows=max_spans,
                    report_below=self.threshold / len(self.prfs),
                )
            if best is None or sr.p_value < best[0].p_value:
                best = (sr, key_id, green, scored, idx)
        sr, key_id, green, scored, idx = best
        res = self._result(enc, key_id, green, scored)
        res.windows_searched = getattr(sr, "windows_searched", 0)
        if sr.method != "too short":
            res.p_value = float(bonferroni(sr.p_value, len(self.prfs)))
            if sr.windows:
                w = sr.windows[0]
                res.p_value_uncorrected = float(
                    binomial_sf(w.num_green, w.end - w.start, self.gamma)
                )
        if res.verdict != TOO_SHORT and sr.method != "too short":
            res.is_watermarked = res.p_value < self.threshold
            res.verdict = WATERMARKED if res.is_watermarked else NOT_WATERMARKED
        elif sr.method == "too short":
            res.verdict, res.is_watermarked = TOO_SHORT, None
        res.spans = []
        for w in sr.windows:
            p = float(bonferroni(w.p_value, len(self.prfs)))
            if p >= self.threshold:
                continue
            t0, t1 = int(idx[w.start]), int(idx[w.end - 1]) + 1
            c0 = c1 = None
            if enc.offsets is not None:
                c0, c1 = enc.offsets[t0][0], enc.offsets[t1 - 1][1]
            res.spans.append(Span(t0, t1, c0, c1, w.end - w.start, w.num_green, p))
        return res

    def detect_stream(
        self,
        blocks: Iterable[str],
        *,
        keep_tokens: int = DEFAULT_KEEP_TOKENS,
        piece_chars: int = PIECE_CHARS,
    ) -> DetectionResult:
        """Score a long text given as consecutive blocks (e.g. read from a file) in bounded memory.

        The text is tokenized in pieces of about ``piece_chars`` characters, cut only where
        BPE pre-tokenization cannot join the two sides (before a space that follows a non-space,
        or after a line break before a non-space) and where the tokens confirm that boundary;
        each piece is scored with the previous h tokens as context and the (seed, token) pairs
        already seen, so the verdict, counts and p-value equal :meth:`detect` on the whole text.
        Per-token detail (ids, green mask, offsets, text) is kept for the first ``keep_tokens``
        tokens only (``num_tokens_kept`` says how many when that is fewer than all).
        """
        keep_tokens = max(0, int(keep_tokens))
        states = [_StreamState() for _ in self.prfs]
        h = self.config.context_width
        ctx = np.zeros(0, dtype=np.int64)
        total = 0
        kept_ids: list[np.ndarray] = []
        kept_offsets: list[np.ndarray] = []
        kept_special: list[np.ndarray] = []
        kept_text: list[str] = []
        for ids, offsets, piece in self._pieces(blocks, piece_chars):
            room = max(0, keep_tokens - total)
            special = self._special(ids)
            full = np.concatenate([ctx, ids])
            for (_, prf), st in zip(self.prfs, states):
                st.score(prf, full, ctx.size, special, self.ignore_repeated, room)
            if room:
                kept_ids.append(ids[:room])
                kept_offsets.append(offsets[:room])
                kept_special.append(special[:room])
                kept_text.append(piece)
            total += ids.size
            ctx = full[-h:]
        if total == 0:
            raise WatermarkError("the text is empty; nothing to detect")
        p = [float(binomial_sf(s.k, s.n, self.gamma)) if s.n else 1.0 for s in states]
        b = int(np.argmin(p))  # the first key wins ties, as in detect()
        st = states[b]
        ids = np.concatenate(kept_ids) if kept_ids else np.zeros(0, dtype=np.int64)
        offs = np.concatenate(kept_offsets) if kept_offsets else np.zeros((0, 2), dtype=np.int64)
        text = "".join(kept_text)
        if ids.size < total:  # the text of the kept tokens only
            text = text[: int(offs[-1, 1]) if offs.size else 0]
        enc = _Encoded(ids, 0, [(int(s), int(e)) for s, e in offs], text)
        mask = np.concatenate(st.kept) if st.kept else np.zeros(0, dtype=np.int8)
        special = np.concatenate(kept_special) if kept_special else np.zeros(0, dtype=bool)
        res = self._finish(enc, self.prfs[b][0], mask, special, st.n, st.k, p[b])
        res.num_tokens = total
        res.skip_counts = {
            r: c
            for r, c in (
                (SKIP_SPECIAL, st.n_special),
                (SKIP_REPEAT, st.n_repeat),
                (SKIP_CONTEXT, st.n_context),
            )
            if c
        }
        if ids.size < total:
            res.num_tokens_kept = int(ids.size)
        return res

    def _pieces(
        self, blocks: Iterable[str], piece_chars: int
    ) -> Iterator[tuple[np.ndarray, np.ndarray, str]]:
        """(ids, char offsets [n, 2] in the whole text, piece text) for consecutive pieces."""
        buf, base = "", 0
        for block in blocks:
            buf += block
            while len(buf) >= piece_chars + _CUT_MARGIN:
                # a piece of about piece_chars, else (no confirmed cut there) as much as is read
                got = self._cut(buf[: piece_chars + _CUT_MARGIN]) or self._cut(buf)
                if got is None:  # no safe cut yet: read on (the input's size limit bounds this)
                    break
                ids, offs, c = got
                yield ids, offs + base, buf[:c]
                buf, base = buf[c:], base + c
        if buf:
            ids, offs = self._tokenize(buf)
            yield ids, offs + base, buf

    def _tokenize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        enc = self.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
        ids = np.asarray(enc["input_ids"], dtype=np.int64)
        offs = np.asarray(enc["offset_mapping"], dtype=np.int64).reshape(-1, 2)
        return ids, offs

    def _cut(self, buf: str):
        """Tokens of ``buf`` before the last safe cut at least _CUT_MARGIN chars from its end,
        and that cut; None when there is no confirmed cut."""
        limit = len(buf) - _CUT_MARGIN
        cands = [m.start() for m in _CUT_AT.finditer(buf, max(1, limit - 8 * _CUT_MARGIN), limit)]
        if not cands:
            return None
        ids, offs = self._tokenize(buf)
        for c in reversed(cands[-8:]):
            j = int(np.searchsorted(offs[:, 0], c, side="left"))
            if 0 < j < ids.size and offs[j, 0] == c and offs[j - 1, 1] <= c:
                return ids[:j], offs[:j], c
        return None

    # ---- internals -----------------------------------------------------------------------------
    def _encode_texts(self, texts: list[str]) -> list[_Encoded]:
        for i, t in enumerate(texts):
            if not t.strip():
                raise WatermarkError(f"text #{i} is empty; nothing to detect")
        enc = self.tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
        return [
            _Encoded(np.asarray(ids, dtype=np.int64), 0, [tuple(o) for o in offs], t)
            for ids, offs, t in zip(enc["input_ids"], enc["offset_mapping"], texts)
        ]

    def _score(self, enc: _Encoded, prf) -> tuple[np.ndarray, np.ndarray]:
        """(green bool[N], scored bool[N]) over the text tokens of one encoded input."""
        green, scored, _ = self._score_flat(
            np.asarray(enc.ids), np.array([0]), np.array([enc.n_prompt]), prf
        )
        return green[enc.n_prompt :], scored[enc.n_prompt :]

    def _score_flat(self, ids, seg_starts, n_prompts, prf):
        """Vectorized scoring of several sequences laid end to end in ``ids``.

        seg_starts[s]: index of sequence s's first id; n_prompts[s]: its prompt length.
        Returns green bool[T], scored bool[T], seq int64[T] (sequence of each position).
        """
        T = ids.size
        seg_len = np.diff(np.append(seg_starts, T))
        seq = np.repeat(np.arange(seg_starts.size), seg_len)  # shape [T]
        lo = seg_starts[seq]  # first index of each position's sequence
        green, seed = prf.green_numpy(ids, lo=lo)
        scored = (np.arange(T) - lo) >= n_prompts[seq]
        if self.special_ids.size:
            scored &= ~np.isin(ids, self.special_ids)
        scored &= seed >= 0  # other green lists: too little context to score (ours: never)
        if self.ignore_repeated:
            scored &= _first_occurrence((seed << 32) | ids, seq, scored)
        return green, scored, seq

    def _result(self, enc: _Encoded, key_id, green, scored) -> DetectionResult:
        n = int(scored.sum())
        k = int((green & scored).sum())
        p = float(binomial_sf(k, n, self.gamma)) if n else 1.0
        text_ids = enc.ids[enc.n_prompt :]
        return self._finish(enc, key_id, _mask(green, scored), self._special(text_ids), n, k, p)

    def _special(self, ids: np.ndarray) -> np.ndarray:
        return np.isin(ids, self.special_ids) if self.special_ids.size else np.zeros(ids.size, bool)

    def _finish(self, enc, key_id, mask, special, n, k, p) -> DetectionResult:
        """Assemble one result; ``mask`` (1 green, 0 red, -1 unscored) and ``special`` cover
        the text tokens."""
        text_ids = enc.ids[enc.n_prompt :]
        no_ctx = self.min_context - enc.n_prompt  # the first text tokens only seed green lists
        skip = {
            i: (SKIP_SPECIAL if special[i] else SKIP_CONTEXT if i < no_ctx else SKIP_REPEAT)
            for i in np.flatnonzero(mask < 0).tolist()
        }
        p_corr = bonferroni(p, len(self.prfs))
        if n < self.min_tokens:
            verdict, flag = TOO_SHORT, None
        else:
            flag = p_corr < self.threshold
            verdict = WATERMARKED if flag else NOT_WATERMARKED
        return DetectionResult(
            verdict=verdict,
            is_watermarked=flag,
            p_value=float(p_corr),
            p_value_uncorrected=float(p),
            z_score=float(z_score(k, n, self.gamma)),
            num_tokens=int(text_ids.size),
            num_scored=n,
            num_green=k,
            green_fraction=(k / n if n else 0.0),
            gamma=self.gamma,
            threshold=self.threshold,
            key_id=key_id,
            keys_tried=len(self.prfs),
            token_ids=text_ids,
            green=mask,
            skip_reasons=skip,
            offsets=enc.offsets,
            text=enc.text,
        )

    def _detect_encoded(self, encs: list[_Encoded]) -> list[DetectionResult]:
        if not encs:
            return []
        lens = np.array([e.ids.size for e in encs], dtype=np.int64)
        seg_starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        n_prompts = np.array([e.n_prompt for e in encs], dtype=np.int64)
        ids = np.concatenate([e.ids for e in encs]) if len(encs) > 1 else encs[0].ids
        best = None
        special = self._special(ids)
        for key_id, prf in self.prfs:
            green, scored, seq = self._score_flat(ids, seg_starts, n_prompts, prf)
            mask = _mask(green, scored)
            n = np.bincount(seq, weights=scored, minlength=len(encs)).astype(np.int64)
            k = np.bincount(seq, weights=green & scored, minlength=len(encs)).astype(np.int64)
            p = np.where(n > 0, binomial_sf(k, n, self.gamma), 1.0)
            if best is None:
                best = [[key_id] * len(encs), [mask] * len(encs), n, k, p]
            else:
                better = p < best[4]
                for s in np.nonzero(better)[0]:
                    best[0][s], best[1][s] = key_id, mask
                best[2], best[3], best[4] = (
                    np.where(better, n, best[2]),
                    np.where(better, k, best[3]),
                    np.where(better, p, best[4]),
                )
        out = []
        for s, e in enumerate(encs):
            a, b = seg_starts[s] + e.n_prompt, seg_starts[s] + lens[s]
            out.append(
                self._finish(
                    e,
                    best[0][s],
                    best[1][s][a:b],
                    special[a:b],
                    int(best[2][s]),
                    int(best[3][s]),
                    float(best[4][s]),
                )
            )
        return out

    def _merge_spans(self, enc, idx, cum, starts, ends, p_corr) -> list[Span]:
        """Merge overlapping significant windows; ``cum`` is the running green count."""
        sig = np.nonzero(p_corr < self.threshold)[0]
        # the whole-text window (index 0) only counts as a span when nothing finer is found
        fine = sig[sig > 0]
        sig = fine if fine.size else sig
        spans: list[Span] = []
        for w in sig[np.argsort(starts[sig], kind="stable")]:
            s, e = int(starts[w]), int(ends[w])
            if spans and s <= spans[-1][1]:
                last = spans[-1]
                spans[-1] = [last[0], max(last[1], e), min(last[2], float(p_corr[w]))]
            else:
                spans.append([s, e, float(p_corr[w])])
        out = []
        for s, e, pv in spans:
            t0, t1 = int(idx[s]), int(idx[e - 1]) + 1
            c0 = c1 = None
            if enc.offsets is not None:
                c0, c1 = enc.offsets[t0][0], enc.offsets[t1 - 1][1]
            out.append(
                Span(t0, t1, c0, c1, num_scored=e - s, num_green=int(cum[e] - cum[s]), p_value=pv)
            )
        return out


def _mask(green: np.ndarray, scored: np.ndarray) -> np.ndarray:
    """Per-token state: 1 green, 0 red, -1 not scored."""
    return np.where(scored, green.astype(np.int8), np.int8(-1))


def _as_ids(x, what: str) -> np.ndarray:
    try:
        if hasattr(x, "detach"):
            x = x.detach().cpu().numpy()
        a = np.asarray(x)
    except Exception as exc:  # noqa: BLE001
        raise WatermarkError(f"{what} must be a sequence of integers ({exc})") from None
    if a.ndim == 2 and a.shape[0] == 1:
        a = a[0]
    if a.ndim != 1 or (a.size and not np.issubdtype(a.dtype, np.integer)):
        raise WatermarkError(
            f"{what} must be a 1-D sequence of integers, got shape {a.shape} of {a.dtype}"
        )
    if a.size and a.min() < 0:
        raise WatermarkError(f"{what} contain a negative id")
    return a.astype(np.int64)


# cut a long text before a space that follows a non-space, or after a line break before a
# non-space: no BPE pre-tokenizer pattern in use (GPT-2/SmolLM2, Llama 3, Qwen) spans such a point
_CUT_AT = re.compile(r"(?<=\S)(?= )|(?<=\n)(?=\S)")
_CUT_MARGIN = 1024  # chars after a cut that the tokenizer sees before the cut is taken


class _SeenKeys:
    """A set of int64 keys as a few sorted arrays (merged like a log-structured tree)."""

    def __init__(self) -> None:
        self.levels: list[np.ndarray] = []

    def contains(self, keys: np.ndarray) -> np.ndarray:
        out = np.zeros(keys.size, dtype=bool)
        for lv in self.levels:
            i = np.minimum(np.searchsorted(lv, keys), lv.size - 1)
            out |= lv[i] == keys
        return out

    def add(self, keys: np.ndarray) -> None:
        """Add keys that are new and distinct."""
        new = np.sort(keys)
        while self.levels and self.levels[-1].size <= 2 * new.size:
            new = np.sort(np.concatenate([self.levels.pop(), new]))
        if new.size:
            self.levels.append(new)


class _StreamState:
    """Running counts of one key over a streamed text."""

    def __init__(self) -> None:
        self.n = self.k = self.n_special = self.n_repeat = self.n_context = 0
        self.seen = _SeenKeys()
        self.kept: list[np.ndarray] = []

    def score(
        self,
        prf,
        full: np.ndarray,
        n_ctx: int,
        special: np.ndarray,
        ignore_repeated: bool,
        room: int,
    ) -> None:
        green, seed = prf.green_numpy(full)
        green, seed, ids = green[n_ctx:], seed[n_ctx:], full[n_ctx:]
        no_ctx = (seed < 0) & ~special  # other green lists: too little context (ours: never)
        self.n_context += int(no_ctx.sum())
        scored = ~special & ~no_ctx
        if ignore_repeated:
            keys = (seed << 32) | ids
            first = _first_occurrence(keys, np.zeros(ids.size, dtype=np.int64), scored)
            first[first] = ~self.seen.contains(keys[first])
            self.seen.add(keys[first])
            self.n_repeat += int((scored & ~first).sum())
            scored = first
        self.n_special += int(special.sum())
        self.n += int(scored.sum())
        self.k += int((green & scored).sum())
        if room:
            self.kept.append(_mask(green[:room], scored[:room]))


_SEQ_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: spreads sequence numbers


def _first_occurrence(keys: np.ndarray, seq: np.ndarray, active: np.ndarray) -> np.ndarray:
    """True where (seq, key) appears for the first time among active positions, else False.

    The sequence number is folded into the 64-bit key by a multiply-xor (a false merge of two
    different pairs has probability ~2**-64 per pair, and would only drop a token from
    scoring); one unstable sort groups equal keys, and the smallest position of each group is
    its first occurrence.
    """
    out = np.zeros(keys.size, dtype=bool)
    pos = np.nonzero(active)[0]
    if pos.size == 0:
        return out
    kk = keys[pos].view(np.uint64) ^ (seq[pos].astype(np.uint64) * _SEQ_MIX)
    order = np.argsort(kk)
    ks = kk[order]
    starts = np.flatnonzero(np.concatenate([[True], ks[1:] != ks[:-1]]))
    out[pos[np.minimum.reduceat(order, starts)]] = True
    return out
