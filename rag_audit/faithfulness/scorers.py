"""The scorers: `EmbeddingScorer` (MiniLM + lexical evidence, the default until algorithm 2; kept
for comparison and for logs scored by it) and `NLIScorer` (any local cross-encoder NLI model),
sharing one frame (`_ScorerBase`); `get_default_scorer()` gives the default, `AlignedScorer`
(module `aligned`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .calibration import (
    DEFAULT_THRESHOLD,
    NUMBER_CAP,
    check_threshold,
    check_weights,
    combine,
)
from .errors import FaithfulnessError
from .evidence import Lexical, lexical, rank_pieces, sentence_features
from .models import (
    check_model_dir,
    config_hash,
    default_model_dir,
    model_identity,
    torch_deterministic,
)
from .results import ROUND, FaithfulnessResult, SentenceSupport, aggregate
from .text import MAX_PIECE_WORDS, ChunkLike, Prepared, prepare

if TYPE_CHECKING:
    from .aligned import AlignedScorer

__all__ = ["ALGO_VERSION", "DEFAULT_BATCH_SIZE", "DEFAULT_CANDIDATES", "EmbeddingScorer",
           "NLIScorer", "get_default_scorer"]  # fmt: skip

# The algorithm version of these two scorers (the default AlignedScorer is aligned.ALGO_VERSION).
ALGO_VERSION = "1"
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
_MAX_SEQ_LENGTH = 128


class _ScorerBase:
    name: str
    version: str
    threshold: float
    method: str

    def _no_chunks(self, prep: Prepared) -> FaithfulnessResult:
        out = []
        for s, st in zip(prep.sentences, prep.sentence_terms):
            lex = lexical(st, set(), set())
            out.append(SentenceSupport(s, False, 0.0, None, lex.unsupported_terms))
        return self._result(out)

    def _result(self, sentences: list[SentenceSupport]) -> FaithfulnessResult:
        return aggregate(
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
        threshold = check_threshold(threshold)
        if candidates < 1:
            raise FaithfulnessError(f"candidates={candidates!r} must be at least 1")
        if batch_size < 1:
            raise FaithfulnessError(f"batch_size={batch_size!r} must be at least 1")
        path = check_model_dir(
            model_dir if model_dir is not None else default_model_dir(), "embedding"
        )
        self.weights = check_weights(weights)
        self.threshold = threshold
        self.candidates = int(candidates)
        self.batch_size = int(batch_size)
        self.model_dir = path
        from sentence_transformers import SentenceTransformer

        torch_deterministic()
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._model.eval()
        self._model.max_seq_length = min(self._model.max_seq_length or 256, _MAX_SEQ_LENGTH)
        model_name, sha = model_identity(path)
        self.model_name = model_name
        self.name = "minilm-lexical" if model_dir is None else f"embedding-lexical:{model_name}"
        cfg = config_hash(
            [
                self.weights,
                NUMBER_CAP,
                self.candidates,
                MAX_PIECE_WORDS,
                _MAX_SEQ_LENGTH,
                self.batch_size,
            ]
        )
        self.version = f"{ALGO_VERSION}+{model_name}@sha256:{sha}+cfg:{cfg}"
        self._lock = threading.Lock()

    def _features(self, prep: Prepared) -> tuple[list[dict[str, float]], list[str], list[Lexical]]:
        import numpy as np
        import torch

        if not prep.sentences or not prep.pieces:
            return [], [], []
        cand = [rank_pieces(st, prep.piece_terms, self.candidates) for st in prep.sentence_terms]
        used = sorted({j for c in cand for j in c})
        pos = {j: k for k, j in enumerate(used)}
        texts = prep.sentences + [prep.pieces[j] for j in used]
        with self._lock, torch.inference_mode():
            emb = self._model.encode(
                texts,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )  # shape [n_sentences + n_pieces, 384]
        emb = np.asarray(emb, dtype=np.float64)
        n = len(prep.sentences)
        s_emb, p_emb = emb[:n], emb[n:]
        sims = s_emb @ p_emb.T  # shape [n_sentences, n_pieces_used]
        feats, cites, lexes = [], [], []
        for i, st in enumerate(prep.sentence_terms):
            row = [(sims[i, pos[j]], -j) for j in cand[i]]
            best_sim, neg_j = max(row)  # ties -> earliest piece, so earliest chunk
            best = -neg_j
            lex = lexical(st, prep.chunk_numbers, prep.chunk_stems)
            feats.append(sentence_features(best_sim, lex, st, prep.piece_terms[best]))
            cites.append(prep.chunk_id_of_piece(best))
            lexes.append(lex)
        return feats, cites, lexes

    # The calibration script uses `features` to fit DEFAULT_WEIGHTS; `score` is built on it.
    def features(
        self, answer: str, chunks: Sequence[ChunkLike] | None
    ) -> tuple[list[str], list[dict[str, float]], list[str | None], list[Lexical]]:
        """Per-sentence features, citations and lexical evidence (no weights applied)."""
        prep = prepare(answer, chunks)
        feats, cites, lexes = self._features(prep)
        return prep.sentences, feats, list(cites), lexes

    def combine(self, feat: dict[str, float]) -> float:
        """Sentence score in [0, 1] from its features (logistic rule + the number cap)."""
        return round(combine(self.weights, feat), ROUND)

    def score(self, answer: str, chunks: Sequence[ChunkLike] | None) -> FaithfulnessResult:
        """Score every sentence of `answer` against `chunks`; see the package docstring for edge cases."""
        prep = prepare(answer, chunks)
        if not prep.sentences:
            return self._result([])
        if not prep.pieces:
            return self._no_chunks(prep)
        feats, cites, lexes = self._features(prep)
        out = []
        for s, f, c, lex in zip(prep.sentences, feats, cites, lexes):
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
        threshold = check_threshold(threshold)
        if candidates is not None and candidates < 1:
            raise FaithfulnessError(f"candidates={candidates!r} must be at least 1 or None")
        path = check_model_dir(model_dir, "NLI")
        cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
        id2label = {int(k): str(v) for k, v in (cfg.get("id2label") or {}).items()}
        num_labels = len(id2label) or int(cfg.get("num_labels", 0) or 0)
        self.entailment_index = self._entailment_index(path, id2label, num_labels, entailment_label)
        self.num_labels = num_labels
        self.threshold = threshold
        self.candidates = candidates
        self.batch_size = int(batch_size)
        self.model_dir = path
        from sentence_transformers import CrossEncoder

        torch_deterministic()
        try:
            self._model = CrossEncoder(
                str(path), device="cpu", local_files_only=True, max_length=max_length
            )
        except Exception as exc:  # a config.json that is not a sequence-classification model
            raise FaithfulnessError(
                f"NLI model_dir {str(model_dir)!r} could not be loaded as a cross-encoder: {exc}"
            ) from exc
        self._model.eval()
        model_name, sha = model_identity(path)
        self.model_name = model_name
        label = id2label.get(self.entailment_index, str(self.entailment_index))
        self.name = f"nli:{model_name}"
        cfgh = config_hash([self.entailment_index, candidates, max_length, MAX_PIECE_WORDS])
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
                raise FaithfulnessError(
                    f"entailment_label={wanted!r} is not in id2label {id2label}"
                )
            return wanted
        if isinstance(wanted, str):
            for i, lab in id2label.items():
                if lab.lower() == wanted.lower():
                    return i
            raise FaithfulnessError(f"entailment_label={wanted!r} is not in id2label {id2label}")
        hits = [
            i for i, lab in id2label.items() if "entail" in lab.lower() and "not" not in lab.lower()
        ]
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

        prep = prepare(answer, chunks)
        if not prep.sentences:
            return self._result([])
        if not prep.pieces:
            return self._no_chunks(prep)
        k = len(prep.pieces) if self.candidates is None else self.candidates
        cand = [sorted(rank_pieces(st, prep.piece_terms, k)) for st in prep.sentence_terms]
        pairs = [(prep.pieces[j], s) for s, c in zip(prep.sentences, cand) for j in c]
        with self._lock, torch.inference_mode():
            if self.num_labels == 1:
                probs = self._model.predict(
                    pairs,
                    batch_size=self.batch_size,
                    activation_fn=torch.nn.Sigmoid(),
                    show_progress_bar=False,
                )  # shape [n_pairs]
                p_ent = np.asarray(probs, dtype=np.float64).reshape(-1)
            else:
                probs = self._model.predict(
                    pairs, batch_size=self.batch_size, apply_softmax=True, show_progress_bar=False
                )  # shape [n_pairs, num_labels]
                p_ent = np.asarray(probs, dtype=np.float64)[:, self.entailment_index]
        out, at = [], 0
        for s, st, c in zip(prep.sentences, prep.sentence_terms, cand):
            row = p_ent[at : at + len(c)]
            at += len(c)
            b = int(np.argmax(row))  # first maximum -> earliest piece
            p = round(float(row[b]), ROUND)
            lex = lexical(st, prep.chunk_numbers, prep.chunk_stems)
            out.append(
                SentenceSupport(
                    s, p >= self.threshold, p, prep.chunk_id_of_piece(c[b]), lex.unsupported_terms
                )
            )
        return self._result(out)


_default_lock = threading.Lock()


@lru_cache(maxsize=1)
def _default() -> AlignedScorer:
    from .aligned import AlignedScorer

    return AlignedScorer()


def get_default_scorer() -> AlignedScorer:
    """The process-wide default scorer (`AlignedScorer`: MiniLM sentence + token alignment,
    explicit checks, the committed calibration), cached with its chunk-embedding cache."""
    with _default_lock:
        return _default()
