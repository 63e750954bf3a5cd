"""rag_audit: a tamper-evident audit trail for RAG apps.

Wrap each request with ``Auditor.trace`` (or ``wrap``/``audited``); every request, its
faithfulness evaluation and any human override become hash-chained events in a SQLite file or a
PostgreSQL database, covered by signed Merkle checkpoints that are also published to
witnesses. ``verify_log`` proves nothing was modified, deleted, inserted, reordered, truncated,
rolled back or replaced; ``prove_record`` / ``check_proof`` give RFC 6962 proofs that a holder
can check with the public key alone.
"""

from .chain import Checkpoint, MerkleFrontier, event_hash, merkle_root
from .errors import AuditError
from .proofs import ProofCheck, check_proof, prove_consistency, prove_record
from .record import AuditRecord, Chunk, Watermark
from .redact import Redactor
from .signing import (
    InitResult,
    generate_keypair,
    init_log,
    key_id,
    load_private_key,
    load_public_key,
    save_private_key,
    save_public_key,
)
from .store import Store, open_store
from .tracer import Auditor, Trace
from .verify import CHAIN_ONLY, REASONS, VerifyResult, verify_log
from .witness import CallableWitness, FileWitness, PostgresWitness, Witness


def labelled_overrides(target) -> list:
    """Overrides joined to their records as labelled data (list of dicts), from a log path/URL."""
    store = open_store(target, readonly=True)
    try:
        return store.labelled_overrides()
    finally:
        store.close()


__all__ = [
    "Auditor",
    "Trace",
    "Chunk",
    "AuditRecord",
    "Watermark",
    "AuditError",
    "verify_log",
    "VerifyResult",
    "REASONS",
    "Checkpoint",
    "MerkleFrontier",
    "event_hash",
    "merkle_root",
    "Redactor",
    "Store",
    "open_store",
    "generate_keypair",
    "key_id",
    "load_private_key",
    "load_public_key",
    "save_private_key",
    "save_public_key",
    "labelled_overrides",
    "CHAIN_ONLY",
    "init_log",
    "InitResult",
    "Witness",
    "FileWitness",
    "PostgresWitness",
    "CallableWitness",
    "prove_record",
    "prove_consistency",
    "check_proof",
    "ProofCheck",
]
