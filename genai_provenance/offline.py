"""Keep Hugging Face libraries offline and quiet: the one home of these settings.

This project never downloads a model: every model comes from an installed package or a local
directory. ``ensure_offline()`` sets the environment variables that make ``huggingface_hub`` and
``transformers`` refuse network access (unless the caller already chose otherwise);
``quiet_transformers()`` also turns off their progress bars and advisory warnings.
"""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def ensure_offline() -> None:
    """Set HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE and TOKENIZERS_PARALLELISM unless already set."""
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


def offline_env(base: dict[str, str] | None = None) -> dict:
    """A copy of ``base`` (default ``os.environ``) with the offline settings, for subprocesses."""
    env = dict(os.environ if base is None else base)
    env.update(OFFLINE_ENV)
    return env


def quiet_transformers() -> None:
    """Offline, and no weight-loading bars or advisory warnings from transformers/hub on stderr."""
    ensure_offline()
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
