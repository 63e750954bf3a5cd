"""Shared fixtures: the real bundled model (converted once into the user cache) and human text."""

import re

import pytest

from genai_provenance.offline import ensure_offline

ensure_offline()  # before any test imports transformers or huggingface_hub


@pytest.fixture(scope="session")
def model_and_tokenizer():
    from watermark.models import load_model

    return load_model()


@pytest.fixture(scope="session")
def tokenizer(model_and_tokenizer):
    return model_and_tokenizer[1]


@pytest.fixture(scope="session")
def human_paragraphs():
    """Real human-written English: paragraphs of Python's bundled pydoc topics (>= 200 chars)."""
    from pydoc_data.topics import topics

    out = []
    for name in sorted(topics):
        for para in re.split(r"\n\s*\n", topics[name]):
            para = " ".join(para.split())
            if len(para) >= 200 and not para.startswith((">>>", "...")):
                out.append(para)
    return out
