"""A ready audited, watermarked RAG call around a transformers text-generation pipeline.

``WatermarkedRAG(pipe, auditor, config, key, retriever)`` answers a query: it retrieves chunks,
asks the pipeline (with our :class:`watermark.WatermarkLogitsProcessor` in ``generate``) to
answer from them, checks the answer's watermark with the detector, and records the whole
request — query, chunks, answer, latencies, token counts, watermark status — through the
auditor. Faithfulness is scored by the auditor's background worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from watermark.generate import DEFAULT_TEMPERATURE, DEFAULT_TOP_K

from .errors import AuditError
from .record import Chunk

DEFAULT_SYSTEM = (
    "Answer the question using only the numbered passages. Be brief: two or three "
    "sentences. If the passages do not contain the answer, say so."
)


def rag_prompt(query: str, chunks: Sequence[Chunk], system: str = DEFAULT_SYSTEM) -> list[dict]:
    """Chat messages: the system instruction, the retrieved passages and the question."""
    passages = "\n\n".join(f"[{i + 1}] {c.text}" for i, c in enumerate(chunks))
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": f"Passages:\n{passages}\n\nQuestion: {query}"},
    ]


class WatermarkedRAG:
    """Retrieve, generate with the watermark, detect, and audit — one call per request.

    pipe: a transformers ``pipeline("text-generation", ...)``; retriever: ``query -> chunks``;
    config/key: the watermark (``key=None`` generates without it and records that).
    Sampling defaults are those of :func:`watermark.generate.generate_watermarked`.
    """

    def __init__(
        self,
        pipe,
        auditor,
        config,
        key,
        retriever: Callable[[str], Sequence[Chunk]],
        *,
        max_new_tokens: int = 120,
        temperature: float = DEFAULT_TEMPERATURE,
        top_k: int = DEFAULT_TOP_K,
        system: str = DEFAULT_SYSTEM,
    ):
        from watermark import WatermarkDetector, WatermarkLogitsProcessor

        if not callable(retriever):
            raise AuditError("retriever must be a function query -> list of Chunk")
        self.pipe, self.auditor, self.retriever = pipe, auditor, retriever
        self.tokenizer = pipe.tokenizer
        self.processor = (
            None
            if key is None
            else WatermarkLogitsProcessor(config, key, pad_token_id=self.tokenizer.pad_token_id)
        )
        self.detector = (
            None if key is None else WatermarkDetector(self.tokenizer, config, self.processor.key)
        )
        self.gen_kwargs = dict(
            max_new_tokens=int(max_new_tokens),
            do_sample=True,
            temperature=float(temperature),
            top_k=int(top_k),
            top_p=1.0,
            return_full_text=False,
            pad_token_id=self.tokenizer.pad_token_id,
        )
        self.system = system

    def __call__(self, query: str, *, user_id: str | None = None, metadata: dict | None = None):
        """Answer ``query``; returns (answer, chunks). The request is recorded even if it fails."""
        from transformers import LogitsProcessorList

        with self.auditor.trace(query, user_id=user_id, metadata=metadata) as t:
            t0 = time.perf_counter()
            chunks = list(self.retriever(query))
            t.set_latency("retrieval", (time.perf_counter() - t0) * 1e3)
            t.add_chunks(chunks)
            messages = rag_prompt(query, chunks, self.system)
            t1 = time.perf_counter()
            procs = LogitsProcessorList([self.processor] if self.processor else [])
            out = self.pipe(messages, logits_processor=procs, **self.gen_kwargs)
            answer = _generated_text(out)
            t.set_latency("generation", (time.perf_counter() - t1) * 1e3)
            prompt_ids = self.tokenizer.apply_chat_template(
                messages, add_generation_prompt=True, tokenize=True
            )
            if isinstance(prompt_ids, dict):
                prompt_ids = prompt_ids["input_ids"]
            t.set_tokens(
                input=len(prompt_ids),
                output=len(self.tokenizer(answer, add_special_tokens=False)["input_ids"]),
            )
            t.set_answer(answer)
            if self.detector is not None:
                p = self.detector.detect(answer).p_value if answer.strip() else None
                t.set_watermark(applied=True, key_id=self.processor.key.key_id, p_value=p)
            else:
                t.set_watermark(applied=False)
        return answer, chunks


def _generated_text(out) -> str:
    """The new text from a text-generation pipeline's output (string or chat-message form)."""
    item = out[0] if isinstance(out, list) else out
    gen = item["generated_text"] if isinstance(item, dict) else item
    if isinstance(gen, list):  # chat form: the last message is the assistant's
        gen = gen[-1]["content"] if gen else ""
    return str(gen).strip()
