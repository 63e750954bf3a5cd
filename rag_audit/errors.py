"""The one exception users of `rag_audit` see: its message says what is wrong and what to do."""


class AuditError(Exception):
    """A problem the caller can fix: bad argument, unreadable key, unknown record, store down."""
