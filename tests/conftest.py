"""Shared fixtures: the real bundled model (converted once into the user cache) and human text."""

import os
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


@pytest.fixture(scope="session")
def spark_available() -> None:
    """Skip without pyspark or Java; under CI=true fail instead (CI must install the extra)."""
    import importlib.util
    import shutil

    missing = (
        "pyspark is not installed (pip install 'genai-provenance[spark]')"
        if importlib.util.find_spec("pyspark") is None
        else "Java is not installed (Spark needs Java 17+)"
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME")
        else None
    )
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} (CI=true)")
        pytest.skip(missing)


@pytest.fixture(scope="session")
def spark(spark_available):
    """One real local Spark session (local[2], no UI) for the whole test run."""
    from watermark.spark import spark_session

    s = spark_session(
        "local[2]", app_name="genai-provenance tests", conf={"spark.ui.enabled": "false"}
    )
    yield s
    s.stop()
