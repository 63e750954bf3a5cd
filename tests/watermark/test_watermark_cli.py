"""The `watermark` / `detect_watermark` CLI end to end, each call in a real subprocess.

One key pair and config per module; the bundled model generates once per module (slow tests).
Bad inputs run concurrently (they are independent) and each must give exactly one
``Error: …`` line on stderr, a non-zero exit and no traceback.
"""

from __future__ import annotations

import html
import json
import os
import re
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from pydoc_data.topics import topics

import pytest

BIN = Path(sys.executable).parent
PROMPTS = [
    "Write a short story about a lighthouse keeper.",
    "Explain how rain forms.",
    "Give three tips for learning to cook.",
]


def _env(**extra) -> dict:
    env = dict(os.environ)
    env.pop("GENAI_WATERMARK_KEY", None)
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        TOKENIZERS_PARALLELISM="false",
        # one BLAS thread: generation stays fast when other test processes share the CPUs
        OMP_NUM_THREADS="1",
    )
    env.update(extra)
    return env


def run(
    *args,
    input: str | bytes | None = None,
    cwd=None,
    env=None,
    script: str | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """Run the CLI (``python -m watermark.cli`` or a console script) and capture text output."""
    cmd = [str(BIN / script)] if script else [sys.executable, "-m", "watermark.cli"]
    if isinstance(input, str):
        input = input.encode("utf-8")
    p = subprocess.run(
        cmd + [str(a) for a in args],
        input=input,
        capture_output=True,
        cwd=cwd,
        env=env or _env(),
        timeout=timeout,
    )
    return subprocess.CompletedProcess(
        p.args, p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")
    )


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def human_text() -> str:
    """A paragraph nobody watermarked: Python's own reference documentation."""
    return topics["assert"][:1500]


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    """A workspace with a key + public config (delta 4 for a clear signal) and a second key."""
    d = tmp_path_factory.mktemp("cli")
    r = run("keygen", "-o", d / "wm.key", "--config", d / "wm.json", "--delta", "4")
    assert r.returncode == 0, r.stderr
    kid = r.stdout.strip()
    r2 = run("keygen", "-o", d / "other.key")
    assert r2.returncode == 0, r2.stderr
    (d / "human.txt").write_text(human_text(), encoding="utf-8")
    return {
        "dir": d,
        "key": d / "wm.key",
        "config": d / "wm.json",
        "key_id": kid,
        "other": d / "other.key",
        "other_id": r2.stdout.strip(),
        "human": d / "human.txt",
    }


def detect(ws, *args, **kw):
    return run("detect", *args, "--key", ws["key"], "--config", ws["config"], **kw)


# ---- help and usage ---------------------------------------------------------------------------


def test_every_command_and_option_has_help():
    import click

    from watermark import cli as wcli

    commands = dict(wcli.cli.commands)
    assert {"keygen", "generate", "detect"} <= set(commands)
    missing = []
    for name, cmd in list(commands.items()) + [("<group>", wcli.cli)]:
        if not (cmd.help or "").strip():
            missing.append(f"command {name}")
        for p in cmd.params:
            if isinstance(p, click.Option) and not (p.help or "").strip():
                missing.append(f"{name} {p.opts[0]}")
    assert not missing, f"no help text: {missing}"


def test_help_documents_exit_codes_and_detect_watermark_is_detect():
    r = run("detect", "--help")
    assert r.returncode == 0 and "Exit codes" in r.stdout
    for code in (
        "0  a watermark was found",
        "1  no watermark",
        "2  usage or input error",
        "3  no watermark found",
    ):
        assert code in r.stdout
    r2 = run("--help", script="detect_watermark")
    assert r2.returncode == 0
    assert r2.stdout.startswith("Usage: detect_watermark [OPTIONS] [INPUTS]...")
    assert "--windowed" in r2.stdout and "Exit codes" in r2.stdout


# ---- keygen -----------------------------------------------------------------------------------


def test_keygen_writes_private_key_and_public_config(ws):
    mode = stat.S_IMODE(ws["key"].stat().st_mode)
    assert mode == 0o600
    assert len(ws["key_id"]) == 16 and ws["key_id"] != ws["other_id"]
    assert ws["key_id"] in ws["key"].read_text()
    cfg = json.loads(ws["config"].read_text())
    assert cfg["key_id"] == ws["key_id"] and cfg["delta"] == 4.0 and cfg["vocab_size"] == 49152
    assert len(cfg["tokenizer_fingerprint"]) == 16
    assert ws["key"].read_text().split()[-1] not in ws["config"].read_text()  # the secret stays out


def test_keygen_refuses_overwrite_unless_forced(tmp_path):
    key = tmp_path / "k"
    first = run("keygen", "-o", key)
    assert first.returncode == 0
    before = key.read_text()
    again = run("keygen", "-o", key)
    assert again.returncode == 2 and again.stderr.startswith("Error:") and "--force" in again.stderr
    assert key.read_text() == before
    forced = run("keygen", "-o", key, "--force")
    assert forced.returncode == 0 and forced.stdout.strip() != first.stdout.strip()
    assert key.read_text() != before


# ---- detection without a model ----------------------------------------------------------------


def test_human_text_is_not_watermarked(ws):
    r = detect(ws, ws["human"], "--json")
    assert r.returncode == 1, r.stderr
    [rec] = jsonl(r.stdout)
    assert rec["input"] == str(ws["human"])
    assert rec["verdict"] == "not watermarked" and rec["is_watermarked"] is False
    assert rec["p_value"] > 1e-4 and rec["num_scored"] > 100
    assert rec["key_id"] == ws["key_id"]


def test_short_text_is_undecided_exit_3(ws):
    r = detect(ws, "-", input="Hello there, friend.")
    assert r.returncode == 3, r.stderr
    assert r.stdout.startswith("<stdin>: too short to decide (")


def test_key_from_env_var_and_default_env(ws):
    secret = ws["key"].read_text().split()[-1]
    r = run(
        "detect",
        ws["human"],
        "--key",
        "env:MY_WM_KEY",
        "--config",
        ws["config"],
        "--json",
        env=_env(MY_WM_KEY=secret),
    )
    assert r.returncode == 1, r.stderr
    assert jsonl(r.stdout)[0]["key_id"] == ws["key_id"]
    r2 = run("detect", ws["human"], "--config", ws["config"], env=_env(GENAI_WATERMARK_KEY=secret))
    assert r2.returncode == 1, r2.stderr
    assert "not watermarked" in r2.stdout and ws["key_id"] in r2.stdout


def _bad_cases(ws) -> dict[str, tuple[list, bytes | None, str]]:
    """name -> (detect args, stdin, fragment the one error line must hold)."""
    d = ws["dir"] / "bad"
    d.mkdir(exist_ok=True)
    (d / "empty.txt").write_text("  \n")
    (d / "binary.txt").write_bytes(b"PK\x03\x04\x00\x00binary\x00")
    (d / "latin1.txt").write_bytes("café au lait, s'il vous plaît".encode("latin-1"))
    (d / "broken.jsonl").write_text('{"text": "fine line of text here"}\n{"text": "unterminated\n')
    (d / "nofield.jsonl").write_text('{"body": "some text"}\n')
    (d / "notstr.jsonl").write_text('{"text": 42}\n')
    (d / "emptydir").mkdir(exist_ok=True)
    (d / "emptydir" / "notes.csv").write_text("a,b\n")
    cfg = json.loads(ws["config"].read_text())
    (d / "vocab.json").write_text(json.dumps({**cfg, "vocab_size": 1234}))
    (d / "fp.json").write_text(json.dumps({**cfg, "tokenizer_fingerprint": "0" * 16}))
    (d / "garbled.json").write_text("{not json")
    (d / "notatokenizer").mkdir(exist_ok=True)
    h, k, c = ws["human"], ws["key"], ws["config"]
    std = ["--key", k, "--config", c]
    return {
        "empty file": ([d / "empty.txt", *std], None, "is empty"),
        "empty stdin": (["-", *std], b"   \n", "<stdin> is empty"),
        "binary file": ([d / "binary.txt", *std], None, "binary"),
        "non-utf8 file": ([d / "latin1.txt", *std], None, "not UTF-8"),
        "missing input": ([d / "nope.txt", *std], None, "does not exist"),
        "dir without text files": ([d / "emptydir", *std], None, "holds no"),
        "malformed jsonl": ([d / "broken.jsonl", *std], None, "broken.jsonl:2: not valid JSON"),
        "jsonl missing field": ([d / "nofield.jsonl", *std], None, "no field 'text'"),
        "missing key file": ([h, "--key", d / "nope.key", "--config", c], None, "does not exist"),
        "no key at all": ([h, "--config", c], None, "no watermark key given"),
        "wrong key": ([h, "--key", ws["other"], "--config", c], None, "key_id"),
        "config vocab mismatch": (
            [h, "--key", k, "--config", d / "vocab.json"],
            None,
            "1234 tokens",
        ),
        "config fingerprint mismatch": (
            [h, "--key", k, "--config", d / "fp.json"],
            None,
            "fingerprint",
        ),
        "config not json": (
            [h, "--key", k, "--config", d / "garbled.json"],
            None,
            "not valid JSON",
        ),
        "config and flags": ([h, *std, "--gamma", "0.5"], None, "either --config or --gamma"),
        "tokenizer path missing": ([h, *std, "--tokenizer", d / "nope"], None, "not a directory"),
        "tokenizer dir without tokenizer": (
            [h, *std, "--tokenizer", d / "notatokenizer"],
            None,
            "cannot load a tokenizer",
        ),
    }


@pytest.fixture(scope="module")
def bad_runs(ws):
    """Every bad case, run concurrently once: name -> (CompletedProcess, expected fragment)."""
    cases = _bad_cases(ws)
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futs = {
            name: pool.submit(run, "detect", *args, input=stdin if stdin is not None else b"")
            for name, (args, stdin, _) in cases.items()
        }
        return {name: (f.result(), cases[name][2]) for name, f in futs.items()}


BAD_CASE_NAMES = [
    "empty file",
    "empty stdin",
    "binary file",
    "non-utf8 file",
    "missing input",
    "dir without text files",
    "malformed jsonl",
    "jsonl missing field",
    "missing key file",
    "no key at all",
    "wrong key",
    "config vocab mismatch",
    "config fingerprint mismatch",
    "config not json",
    "config and flags",
    "tokenizer path missing",
    "tokenizer dir without tokenizer",
]


@pytest.mark.parametrize("case", BAD_CASE_NAMES)
def test_bad_input_gives_one_error_line(bad_runs, case):
    r, fragment = bad_runs[case]
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("Error: ") and fragment in lines[0], lines[0]
    assert r.stdout == ""  # nothing half-done on stdout


def test_bad_case_list_is_complete(ws):
    assert sorted(_bad_cases(ws)) == sorted(BAD_CASE_NAMES)


def test_keygen_bad_flags_are_one_line_errors(tmp_path):
    r = run("keygen", "-o", tmp_path / "k", "--config", tmp_path / "c.json", "--gamma", "0")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and r.stderr.startswith("Error: gamma=0")
    assert not (tmp_path / "k").exists()  # nothing written on a bad flag
    r2 = run("keygen", "-o", tmp_path / "k", "--delta", "3")
    assert r2.returncode == 2 and r2.stderr.startswith("Error:") and "--config" in r2.stderr


# ---- generation and detection with the bundled model (slow) --------------------------------------


@pytest.fixture(scope="module")
def generated(ws):
    """Three watermarked answers from the bundled model, generated once in one batch; at least 80
    new tokens each, so a verdict never hangs on one short sample."""
    r = run(
        "generate",
        *PROMPTS,
        "--key",
        ws["key"],
        "--config",
        ws["config"],
        "--max-new-tokens",
        120,
        "--min-new-tokens",
        80,
        "--seed",
        7,
        "--json",
    )
    assert r.returncode == 0, r.stderr
    recs = jsonl(r.stdout)
    assert "Traceback" not in r.stderr
    return recs


def _library_results(ws, texts):
    """What the library says on the same texts with the same key and config: the reference."""
    from watermark import WatermarkConfig, WatermarkDetector, WatermarkKey
    from watermark.models import load_tokenizer

    det = WatermarkDetector(
        load_tokenizer(), WatermarkConfig.load(ws["config"]), WatermarkKey.from_file(ws["key"])
    )
    return [r.to_dict() for r in det.detect_batch(list(texts))]


@pytest.mark.slow
def test_generate_json_records(ws, generated):
    """One record per prompt, in order, with the key id and the bound public config."""
    assert [g["prompt"] for g in generated] == PROMPTS
    cfg = json.loads(ws["config"].read_text())
    for g in generated:
        assert set(g) == {"prompt", "text", "watermarked", "key_id", "config"}
        assert g["watermarked"] is True and g["key_id"] == ws["key_id"]
        assert isinstance(g["text"], str) and g["text"].strip()
        assert (
            g["config"] == cfg
        )  # the same public config keygen wrote (key id, tokenizer, delta 4)


@pytest.mark.slow
def test_detect_generated_file_human_readable(ws, generated):
    f = ws["dir"] / "answer.txt"
    f.write_text(generated[0]["text"], encoding="utf-8")
    r = detect(ws, f)
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip()
    assert line.startswith(f"{f}: watermarked (p=") and f"key {ws['key_id']}" in line
    assert r.stderr == ""


@pytest.mark.slow
def test_detect_directory_sorted_with_jsonl_records(ws, generated):
    d = ws["dir"] / "corpus"
    (d / "sub").mkdir(parents=True)
    (d / "b_wm.txt").write_text(generated[1]["text"], encoding="utf-8")
    (d / "a_human.md").write_text(human_text(), encoding="utf-8")
    (d / "sub" / "c.jsonl").write_text(
        json.dumps({"text": generated[2]["text"], "id": 1})
        + "\n\n"
        + json.dumps({"text": human_text()})
        + "\n",
        encoding="utf-8",
    )
    (d / "ignored.csv").write_text("not,read\n")
    r = detect(ws, d, "--json")
    recs = jsonl(r.stdout)
    # sorted, recursive, .csv ignored, one record per non-blank JSONL line named file:lineno
    assert [x["input"] for x in recs] == [
        str(d / "a_human.md"),
        str(d / "b_wm.txt"),
        f"{d / 'sub' / 'c.jsonl'}:1",
        f"{d / 'sub' / 'c.jsonl'}:3",
    ]
    texts = [human_text(), generated[1]["text"], generated[2]["text"], human_text()]
    ref = _library_results(ws, texts)
    assert [
        {k: x[k] for k in d} for x, d in zip(recs, ref)
    ] == ref  # the library's verdict on each text
    assert recs[0]["verdict"] == recs[3]["verdict"] == "not watermarked"
    from watermark.cli import exit_code_for

    assert r.returncode == exit_code_for(x["verdict"] for x in recs), r.stderr
    assert "detecting" not in r.stdout  # no progress bar on stdout


@pytest.mark.slow
def test_detect_stdin_jsonl_custom_field_with_console_script(ws, generated):
    # "text" holds human text on purpose: only --field body may be read
    lines = "".join(json.dumps({"text": human_text(), "body": g["text"]}) + "\n" for g in generated)
    r = run(
        "--key",
        ws["key"],
        "--config",
        ws["config"],
        "--jsonl",
        "--field",
        "body",
        "--json",
        "--tokens",
        input=lines,
        script="detect_watermark",
    )
    recs = jsonl(r.stdout)
    assert [x["input"] for x in recs] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    ref = _library_results(ws, [g["text"] for g in generated])
    assert [{k: x[k] for k in d} for x, d in zip(recs, ref)] == ref
    assert ref != _library_results(ws, [human_text()] * 3)  # the field chosen makes a difference
    rec = recs[0]
    assert len(rec["token_ids"]) == len(rec["green"]) == len(rec["offsets"]) == rec["num_tokens"]
    assert sum(1 for g in rec["green"] if g == 1) == rec["num_green"]


@pytest.mark.slow
def test_key_ring_names_the_matching_key(ws, generated):
    r = run(
        "detect",
        "-",
        "--key",
        ws["other"],
        "--key",
        ws["key"],
        "--gamma",
        "0.25",
        "--json",
        input=generated[0]["text"],
    )
    assert r.returncode == 0, r.stderr
    [rec] = jsonl(r.stdout)
    assert rec["key_id"] == ws["key_id"] and rec["keys_tried"] == 2 and rec["is_watermarked"]
    only_other = run("detect", "-", "--key", ws["other"], "--json", input=generated[0]["text"])
    assert (
        only_other.returncode == 1 and jsonl(only_other.stdout)[0]["verdict"] == "not watermarked"
    )


@pytest.mark.slow
def test_windowed_finds_the_watermarked_stretch(ws, generated):
    human = human_text()
    mixed = human + "\n\n" + generated[0]["text"] + "\n\n" + human
    r = detect(ws, "-", "--windowed", "--json", input=mixed)
    assert r.returncode == 0, r.stderr
    [rec] = jsonl(r.stdout)
    assert rec["spans"], rec
    start = len(human)
    end = start + 2 + len(generated[0]["text"])
    assert any(s["char_start"] < end and s["char_end"] > start for s in rec["spans"])


@pytest.mark.slow
def test_html_and_highlight_escape_and_show_verdicts(ws, generated):
    evil = ws["dir"] / "evil.txt"
    evil.write_text("<script>alert('x')</script> " + generated[1]["text"], encoding="utf-8")
    out = ws["dir"] / "report.html"
    r = detect(ws, evil, ws["human"], "--highlight", "--html", out)
    assert r.returncode == 0, r.stderr
    assert f"{evil}: watermarked (" in r.stdout and f"{ws['human']}: not watermarked (" in r.stdout
    assert "<script>alert('x')</script>" in r.stdout  # rich prints the text itself, not markup
    page = out.read_text(encoding="utf-8")
    assert (
        "<script" not in page.lower() and "&lt;" in page
    )  # the page runs no script of ours or theirs
    shown = html.unescape(re.sub(r"</?span[^>]*>", "", page))  # the tokens, as a reader sees them
    assert "<script>alert('x')</script> " in shown
    assert page.count("<section>") == 2
    assert "watermarked</span>" in page and "not watermarked</span>" in page
    assert ws["key_id"] in page


@pytest.mark.slow
def test_unwatermarked_generation_is_not_detected(ws):
    r = run("generate", PROMPTS[0], "--no-watermark", "--max-new-tokens", 60, "--seed", 7)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.split()) >= 15
    d = detect(ws, "-", input=r.stdout)
    assert d.returncode == 1, (d.stdout, d.stderr)
    assert d.stdout.startswith("<stdin>: not watermarked (")


def test_generate_with_wrong_key_is_one_line_error(ws):
    r = run("generate", "hi", "--key", ws["other"], "--config", ws["config"])
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("Error: ") and "key_id" in r.stderr


def test_keygen_force_over_a_world_readable_file_leaves_it_0600(tmp_path):
    key = tmp_path / "wm.key"
    key.write_text("old\n")
    os.chmod(key, 0o644)
    r = run("keygen", "-o", key, "--force")
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert r.stdout.strip() in key.read_text()


@pytest.mark.parametrize("args", [["-h"], ["keygen", "-h"], ["generate", "-h"], ["detect", "-h"]])
def test_dash_h_shows_help_on_every_command(args):
    r = run(*args)
    assert r.returncode == 0 and r.stdout.startswith("Usage: ") and r.stderr == ""


def test_file_names_with_escape_sequences_are_printed_escaped(ws):
    f = ws["dir"] / "evil\x1b]0;pwned\x07name.txt"
    f.write_text(human_text(), encoding="utf-8")
    r = detect(ws, f)
    assert r.returncode == 1, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert r.stdout.startswith(
        str(ws["dir"] / "evil\\x1b]0;pwned\\x07name.txt") + ": not watermarked"
    )
    h = detect(ws, f, "--highlight")
    assert "\x1b]0;" not in h.stdout and "\\x1b]0;pwned" in h.stdout


# ---- long inputs: a size limit, streaming, a capped HTML page ----------------------------------


def test_input_over_max_bytes_is_one_line_error_naming_the_flag(ws):
    big = ws["dir"] / "big.txt"
    big.write_text(human_text() * 3, encoding="utf-8")
    for args, stdin in (([big], None), (["-"], (human_text() * 3).encode())):
        r = detect(ws, *args, "--max-bytes", 2000, input=stdin)
        assert r.returncode == 2 and r.stdout == "", (r.returncode, r.stderr)
        assert (
            r.stderr.count("\n") == 1
            and r.stderr.startswith("Error: ")
            and "--max-bytes" in r.stderr
        )
    ok = detect(ws, big, "--max-bytes", big.stat().st_size)
    assert ok.returncode == 1, ok.stderr


def test_long_file_is_streamed_with_the_same_result_as_the_library(ws, tmp_path):
    """A file past the read-whole size goes through detect_stream; its verdict and counts are
    those of WatermarkDetector.detect on the whole text, and the page shows a capped part."""
    from watermark import WatermarkConfig, WatermarkDetector, WatermarkKey
    from watermark.highlight import HTML_MAX_TOKENS
    from watermark.inputs import WHOLE_MAX_BYTES
    from watermark.models import load_tokenizer

    text = "\n\n".join(topics[k] for k in sorted(topics))
    text = (text * (WHOLE_MAX_BYTES // len(text.encode()) + 1))[: int(WHOLE_MAX_BYTES * 1.3)]
    f = tmp_path / "long.txt"
    f.write_text(text, encoding="utf-8")
    page = tmp_path / "long.html"
    r = detect(ws, f, "--json", "--html", page)
    assert r.returncode == 1, r.stderr
    [rec] = jsonl(r.stdout)
    det = WatermarkDetector(
        load_tokenizer(), WatermarkConfig.load(ws["config"]), WatermarkKey.from_file(ws["key"])
    )
    whole = det.detect(text).to_dict()
    assert {k: rec[k] for k in whole} == whole
    html_text = page.read_text(encoding="utf-8")
    assert f"Showing the first {HTML_MAX_TOKENS} of {whole['num_tokens']} tokens" in html_text
    assert html_text.count('<span class="') < HTML_MAX_TOKENS + 100
