"""Subprocess body for the concurrency and crash tests: append records to a log.

usage: python writer_proc.py TARGET N TAG [--ack]   (--ack: print "acked <id>" then sleep)"""

import sys
import time

from rag_audit import Auditor, Chunk


def main() -> None:
    target, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    ack = "--ack" in sys.argv
    a = Auditor(target, app="bot", model="m", scorer=None)
    text = "x" * 1000
    for i in range(n):
        with a.trace(f"{tag} question {i}", user_id=tag) as t:
            t.add_chunks([Chunk(id=f"{tag}-{i}-{j}", text=text, source="kb") for j in range(5)])
            t.set_answer(f"{tag} answer {i}")
    if ack:
        print("acked", t.record_id, flush=True)
        time.sleep(60)  # killed here with SIGKILL, never closes
    a.close()


if __name__ == "__main__":
    main()
