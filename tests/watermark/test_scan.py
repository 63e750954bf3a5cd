"""The calibrated span statistics (watermark.scan_hmm, the default; watermark.scan, max LR) and
their detector/CLI hooks.

Calibration is checked on simulated null sequences (i.i.d. Bernoulli(gamma), drawn with a seed
independent of the table's): the rejection rate at nominal alpha must not exceed alpha by more
than the Clopper-Pearson sampling margin. Span location is checked on a real id sequence (human
text with a stretch of green tokens) and on text the bundled model watermarked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pydoc_data.topics import topics

import numpy as np
import pytest
from scipy import stats as sps

from watermark import WatermarkConfig, WatermarkDetector, WatermarkError, WatermarkKey
from watermark import scan as S
from watermark import scan_hmm as H
from watermark.detector import TOO_SHORT, WATERMARKED

KEY = WatermarkKey(b"scan-test-key-0123456789abcdef-01")
GAMMA = 0.25


def _null(n: int, reps: int, seed: int, gamma: float = GAMMA) -> np.ndarray:
    return (np.random.default_rng(seed).random((reps, n)) < gamma).astype(np.int8)


def _rate_not_above(rejections: int, trials: int, alpha: float) -> bool:
    """False only when the rejection rate is significantly above alpha (exact one-sided 99 %)."""
    return sps.binomtest(rejections, trials, alpha, alternative="greater").pvalue > 0.01


# ---- the statistic itself --------------------------------------------------------------------------


def test_window_maxima_and_statistic_match_brute_force():
    rng = np.random.default_rng(3)
    for n, lo in ((40, 16), (97, 5), (130, 16)):
        g = (rng.random(n) < 0.35).astype(np.int32)
        M = S._max_sums(g, lo, n)
        best_t = 0.0
        for L in range(lo, n + 1):
            sums = [int(g[s : s + L].sum()) for s in range(n - L + 1)]
            assert M[L] == max(sums)
            best_t = max(best_t, max(S._lr(k, L, GAMMA) for k in sums))
        r = S.scan(
            g, GAMMA, min_len=lo, table=S.NullTable.simulate(GAMMA, lo, 256, 50, progress=False)
        )
        assert r.statistic == pytest.approx(best_t, rel=1e-12)
        w = r.windows[0]
        assert S._lr(int(g[w.start : w.end].sum()), w.end - w.start, GAMMA) == pytest.approx(best_t)
        assert r.windows_searched == sum(n - L + 1 for L in range(lo, n + 1))


def test_shipped_table_is_for_the_defaults_and_small():
    path = S.DATA_DIR / S.table_name(GAMMA, S.DEFAULT_MIN_LEN)
    assert path.is_file() and path.stat().st_size <= 200_000
    tab = S.NullTable.load(path)
    assert (tab.gamma, tab.min_len, tab.n_max) == (GAMMA, S.DEFAULT_MIN_LEN, S.TABLE_MAX_N)
    assert tab.n_sims == S.DEFAULT_SIMS
    assert (tab.surv[:, 0] == tab.n_sims).all()  # every simulated sequence counted per bucket


# ---- calibration: empirical FPR on simulated null sequences -----------------------------------------


@pytest.mark.parametrize(
    "n,reps,alphas",
    [
        (30, 4000, (1e-2,)),
        (200, 20_000, (1e-2, 1e-3)),
        (400, 20_000, (1e-2, 1e-3)),
        (1000, 4000, (1e-2,)),
        (2500, 600, (1e-2,)),  # beyond the table: blocks + whole text
    ],
)
def test_null_rejection_rate_at_or_below_nominal(n, reps, alphas):
    p = np.array([S.scan(x, GAMMA).p_value for x in _null(n, reps, seed=1000 + n)])
    assert ((0 <= p) & (p <= 1)).all()
    for alpha in alphas:
        k = int((p <= alpha).sum())
        assert _rate_not_above(k, reps, alpha), f"n={n}: {k}/{reps} p-values <= {alpha}"
    # not vacuous: the p-values spread over (0, 1], they are not stuck at 1
    assert np.median(p) < 0.9


def test_null_calibration_holds_for_a_simulated_table_between_buckets():
    """Another gamma, a small table simulated here; n between buckets uses the next bucket up."""
    tab = S.NullTable.simulate(0.5, 16, 128, 4000, seed=5, progress=False)
    for n in (47, 128):
        assert n not in tab.buckets[:-1] or n == 128
        p = np.array([S.scan(x, 0.5, table=tab).p_value for x in _null(n, 4000, 77 + n, 0.5)])
        assert _rate_not_above(int((p <= 0.01).sum()), p.size, 0.01)
        assert _rate_not_above(int((p <= 0.05).sum()), p.size, 0.05)


def test_far_tail_uses_the_union_bound_and_stays_tiny():
    g = np.zeros(400, dtype=np.int8)
    g[100:200] = 1  # 100 green in a row: far beyond every simulated null sequence
    r = S.scan(g, GAMMA)
    assert r.p_value <= 1.0 / (1 + S.DEFAULT_SIMS)
    bound = S.union_bound(r.statistic, 400, 16, 400, GAMMA)
    assert r.p_value == pytest.approx(bound) and bound < 1e-40
    assert (r.windows[0].start, r.windows[0].end) == (100, 200)


# ---- the HMM statistic (watermark.scan_hmm) ------------------------------------------------


def _brute_force_hmm(g, gamma):
    """log P_HMM(g) / P_null(g) and P(watermarked state at t | g), summing over every state path."""
    import itertools

    rates, a, b = H.RATES, H.ENTER, H.LEAVE
    K = len(rates)

    def step(i, j):
        if i == 0:
            return 1 - a if j == 0 else a / K
        return b if j == 0 else (1 - b if i == j else 0.0)

    def emit(j, x):
        p = gamma if j == 0 else rates[j - 1]
        return p if x else 1 - p

    total, post = 0.0, np.zeros(len(g))
    for path in itertools.product(range(K + 1), repeat=len(g)):
        pr, prev = 1.0, 0
        for t, j in enumerate(path):
            pr *= step(prev, j) * emit(j, g[t])
            prev = j
        total += pr
        post += pr * (np.array(path) > 0)
    null = np.prod([gamma if x else 1 - gamma for x in g])
    return np.log(total / null), post / total


def test_hmm_forward_and_posterior_match_brute_force():
    g = np.array([1, 0, 1, 1, 1, 0, 1], dtype=np.int8)
    log_lr, post = _brute_force_hmm(g, GAMMA)
    rates = np.array(H.RATES)
    alphas = np.empty((g.size, rates.size + 1))
    total, best, logs = H._forward(g, GAMMA, H.ENTER, H.LEAVE, rates, alphas)
    assert total == pytest.approx(log_lr, rel=1e-10)
    prefix = [_brute_force_hmm(g[:t], GAMMA)[0] for t in range(1, g.size + 1)]
    assert best == pytest.approx(max(0.0, *prefix), rel=1e-10)  # S: max over prefixes
    got = H._posterior(g, GAMMA, H.ENTER, H.LEAVE, rates, alphas, logs)
    np.testing.assert_allclose(got, post, rtol=1e-9)
    assert H._sup_stats(g, GAMMA, H.ENTER, H.LEAVE, rates) == pytest.approx((total, best))


def test_hmm_shipped_table_is_for_the_defaults_and_small():
    path = H.DATA_DIR / H.table_name(GAMMA)
    assert path.is_file() and path.stat().st_size <= 200_000
    tab = H.HMMNullTable.load(path)
    assert (tab.gamma, tab.n_max, tab.n_sims) == (GAMMA, H.TABLE_MAX_N, H.DEFAULT_SIMS)
    assert (tab.surv[:, 0] == tab.n_sims).all()


@pytest.mark.parametrize(
    "n,reps,alphas",
    [
        (30, 20_000, (1e-2, 1e-3)),
        (200, 20_000, (1e-2, 1e-3)),
        (400, 20_000, (1e-2, 1e-3)),
        (1000, 8000, (1e-2,)),
        (3000, 2000, (1e-2,)),  # beyond the table: Ville's bound
    ],
)
def test_hmm_null_rejection_rate_at_or_below_nominal(n, reps, alphas):
    rs = [H.hmm_scan(x, GAMMA) for x in _null(n, reps, seed=5000 + n)]
    p = np.array([r.p_value for r in rs])
    assert ((0 <= p) & (p <= 1)).all()
    assert {r.method for r in rs} == {"ville" if n > H.TABLE_MAX_N else "table"}
    for alpha in alphas:
        k = int((p <= alpha).sum())
        assert _rate_not_above(k, reps, alpha), f"n={n}: {k}/{reps} p-values <= {alpha}"
    if n <= H.TABLE_MAX_N:  # not vacuous: the p-values spread over (0, 1]
        assert np.median(p) < 0.9


def test_hmm_other_gamma_table_is_calibrated_between_buckets():
    tab = H.HMMNullTable.simulate(0.5, 128, 20_000, seed=9, progress=False)
    for n in (47, 128):
        rs = [H.hmm_scan(x, 0.5, table=tab) for x in _null(n, 10_000, 33 + n, 0.5)]
        p = np.array([r.p_value for r in rs])
        assert _rate_not_above(int((p <= 0.01).sum()), p.size, 0.01)
        assert _rate_not_above(int((p <= 0.05).sum()), p.size, 0.05)
    assert H.rates_for(0.5)[0] > 0.5 and H.rates_for(GAMMA) == H.RATES


def test_hmm_tail_and_long_texts_use_villes_bound():
    g = np.zeros(400, dtype=np.int8)
    g[100:200] = 1  # far beyond every simulated null sequence
    r = H.hmm_scan(g, GAMMA)
    assert r.method == "table" and r.p_value == pytest.approx(np.exp(-r.statistic))
    assert r.p_value < 1e-40
    long = _null(3000, 1, seed=8)[0]
    long[1997:2063] = 0
    long[2000:2060] = 1
    r = H.hmm_scan(long, GAMMA)
    assert r.method == "ville" and r.p_value == pytest.approx(np.exp(-r.statistic))
    assert r.p_value < 1e-10 and (r.windows[0].start, r.windows[0].end) == (2000, 2060)


def test_hmm_finds_a_planted_span_with_exact_offsets():
    rng = np.random.default_rng(11)
    g = (rng.random(400) < GAMMA).astype(np.int8)
    g[147:150] = 0
    g[150:190] = 1
    g[190:193] = 0
    r = H.hmm_scan(g, GAMMA)
    assert r.p_value < 1e-6
    assert [(w.start, w.end, w.num_green) for w in r.windows] == [(150, 190, 40)]
    assert (r.posterior[155:185] > 0.5).all() and (r.posterior[:100] < 0.5).all()


def _three_planted_spans():
    """600 null tokens with three all-green stretches, each fenced by 3 red tokens."""
    rng = np.random.default_rng(12)
    g = (rng.random(600) < GAMMA).astype(np.int8)
    planted = [(60, 100), (280, 320), (500, 540)]
    for a, b in planted:
        g[a - 3 : a] = 0
        g[a:b] = 1
        g[b : b + 3] = 0
    return g, planted


def test_hmm_reports_each_of_three_planted_spans():
    g, planted = _three_planted_spans()
    r = H.hmm_scan(g, GAMMA, max_windows=3)
    assert sorted((w.start, w.end) for w in r.windows) == planted
    assert all(w.p_value == r.p_value < 1e-10 for w in r.windows)


def test_hmm_sums_evidence_over_spans_the_max_lr_scan_sees_one_at_a_time():
    """Three faint spans: the HMM's p-value is far smaller than the best single window's."""
    rng = np.random.default_rng(4)
    g = (rng.random(600) < GAMMA).astype(np.int8)
    for a in (50, 250, 450):
        g[a : a + 40] = rng.random(40) < 0.55  # green rate 0.55
    hmm, maxlr = H.hmm_scan(g, GAMMA), S.scan(g, GAMMA)
    assert hmm.p_value < maxlr.p_value / 10


def test_hmm_bad_input_is_a_clear_answer():
    r = H.hmm_scan(np.ones(10, dtype=np.int8), GAMMA)
    assert (r.p_value, r.windows, r.method) == (1.0, [], "too short")
    assert H.hmm_scan(np.array([], dtype=np.int8), GAMMA).method == "too short"
    with pytest.raises(WatermarkError, match="0 and 1"):
        H.hmm_scan(np.array([0, 2, 1] * 10), GAMMA)
    with pytest.raises(WatermarkError, match="gamma"):
        H.hmm_scan(np.zeros(20, dtype=np.int8), 0.0)
    with pytest.raises(WatermarkError, match="1-D"):
        H.hmm_scan(np.zeros((4, 20), dtype=np.int8), GAMMA)


def test_hmm_table_for_other_gamma_is_simulated_once_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(H, "TABLE_MAX_N", 64)
    monkeypatch.setattr(H, "CACHE_SIMS", 500)
    monkeypatch.setattr(H, "_TABLES", {})
    tab = H.null_table(0.4, progress=False)
    path = tmp_path / "genai-provenance" / "scan" / H.table_name(0.4)
    assert path.is_file() and (tab.n_max, tab.n_sims) == (64, 500)
    monkeypatch.setattr(H, "_TABLES", {})
    again = H.null_table(0.4, progress=False)
    assert np.array_equal(again.surv, tab.surv)
    path.write_bytes(b"not a table")
    monkeypatch.setattr(H, "_TABLES", {})
    assert H.null_table(0.4, progress=False).n_sims == 500


# ---- spans --------------------------------------------------------------------------------------


def test_planted_span_found_with_exact_scored_offsets():
    rng = np.random.default_rng(11)
    g = (rng.random(400) < GAMMA).astype(np.int8)
    g[147:150] = 0
    g[150:190] = 1  # 40 green tokens
    g[190:193] = 0
    r = S.scan(g, GAMMA, report_below=1e-3)
    assert r.p_value < 1e-6
    assert (r.windows[0].start, r.windows[0].end, r.windows[0].num_green) == (150, 190, 40)


def test_three_planted_spans_each_reported_disjoint():
    g, planted = _three_planted_spans()
    r = S.scan(g, GAMMA, max_windows=3, report_below=1e-3)
    assert sorted((w.start, w.end) for w in r.windows) == planted
    assert all(w.p_value < 1e-3 for w in r.windows)


def _greedy_green_ids(prf, n, start, V=49152, seed=0):
    """Ids each green under ``prf`` given the one before (lefthash h=1), after ``start``."""
    rng = np.random.default_rng(seed)
    ids = [int(start)]
    while len(ids) < n + 1:
        for c in rng.integers(200, V, 64):
            g, _ = prf.green_numpy(np.array(ids[-1:] + [int(c)]))
            if g[-1]:
                ids.append(int(c))
                break
    return ids[1:]


@pytest.mark.parametrize("method", ["hmm", "maxlr"])
def test_detector_scan_locates_a_green_stretch_in_human_ids(tokenizer, method):
    cfg = WatermarkConfig(gamma=GAMMA)
    det = WatermarkDetector(tokenizer, cfg, KEY, threshold=1e-3)
    human = tokenizer(topics["assert"] + topics["class"], add_special_tokens=False)["input_ids"]
    head, tail = human[:200], human[200:400]
    stretch = _greedy_green_ids(cfg.prf(KEY), 48, start=head[-1])
    ids = np.array(head + stretch + tail)
    r = det.detect_scan(ids, method=method)
    assert r.verdict == WATERMARKED and r.p_value < 1e-6
    assert r.spans, r
    s = r.spans[0]
    # the window may only absorb human tokens that happen to be green next to the stretch
    green = r.green
    assert s.token_start <= 200 and s.token_end >= 248
    assert (green[s.token_start : 200] == 1).all() and (green[248 : s.token_end] == 1).all()
    assert s.char_start is None  # ids in, no characters
    whole = det.detect(ids)
    assert r.p_value < whole.p_value  # the scan sees the stretch the whole text dilutes
    assert det.detect_scan(np.array(human[:400]), method=method).verdict != WATERMARKED
    # the detector's p-value is the statistic's on the scored tokens' green indicators
    idx = np.nonzero(green >= 0)[0]
    lib = H.hmm_scan(green[idx], GAMMA) if method == "hmm" else S.scan(green[idx], GAMMA)
    assert r.p_value == lib.p_value


def test_detector_scan_defaults_to_the_hmm_and_rejects_unknown_methods(tokenizer):
    det = WatermarkDetector(tokenizer, WatermarkConfig(gamma=GAMMA), KEY)
    text = topics["assert"][:1500]
    r, hmm = det.detect_scan(text), det.detect_scan(text, method="hmm")
    assert r.to_dict() == hmm.to_dict()
    assert r.windows_searched == 0 and det.detect_scan(text, method="maxlr").windows_searched > 0
    with pytest.raises(WatermarkError, match="hmm, maxlr"):
        det.detect_scan(text, method="bonferroni")
    with pytest.raises(WatermarkError, match="maxlr"):
        det.detect_scan(text, min_len=24)  # windows belong to the max-LR scan


def test_detector_scan_bad_input_is_a_clear_answer(tokenizer):
    det = WatermarkDetector(tokenizer, WatermarkConfig(gamma=GAMMA), KEY)
    with pytest.raises(WatermarkError, match="empty"):
        det.detect_scan("   ")
    with pytest.raises(WatermarkError, match="no token ids"):
        det.detect_scan([])
    with pytest.raises(WatermarkError, match="min_len"):
        det.detect_scan("some text", min_len=0, method="maxlr")
    for method in ("hmm", "maxlr"):
        short = det.detect_scan("A few words only.", method=method)
        assert short.verdict == TOO_SHORT and short.is_watermarked is None and short.spans == []
        assert short.p_value == 1.0
    r = S.scan(np.ones(10, dtype=np.int8), GAMMA)
    assert (r.p_value, r.windows, r.method) == (1.0, [], "too short")
    with pytest.raises(WatermarkError, match="0 and 1"):
        S.scan(np.array([0, 2, 1]), GAMMA)
    with pytest.raises(WatermarkError, match="gamma"):
        S.scan(np.zeros(20, dtype=np.int8), 1.5)


def test_table_for_other_settings_is_simulated_once_and_cached(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(S, "TABLE_MAX_N", 64)
    monkeypatch.setattr(S, "CACHE_SIMS", 300)
    monkeypatch.setattr(S, "_TABLES", {})
    tab = S.null_table(0.4, 12, progress=False)
    path = tmp_path / "genai-provenance" / "scan" / S.table_name(0.4, 12)
    assert path.is_file() and (tab.n_max, tab.n_sims) == (64, 300)
    monkeypatch.setattr(S, "_TABLES", {})
    again = S.null_table(0.4, 12, progress=False)  # loaded, not simulated again
    assert np.array_equal(again.surv, tab.surv) and again.n_sims == 300
    path.write_bytes(b"not a table")  # a damaged cache file is simulated afresh
    monkeypatch.setattr(S, "_TABLES", {})
    assert S.null_table(0.4, 12, progress=False).n_sims == 300


# ---- CLI and library agree --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def watermarked_text(model_and_tokenizer):
    from watermark.generate import generate_watermarked

    model, tok = model_and_tokenizer
    cfg = WatermarkConfig(gamma=GAMMA, delta=4.0)
    [text] = generate_watermarked(
        model,
        tok,
        ["Explain how rain forms."],
        cfg,
        KEY,
        max_new_tokens=90,
        min_new_tokens=80,
        seed=3,
    )
    return text


@pytest.mark.slow
def test_cli_scan_equals_library_and_finds_the_pasted_text(tmp_path, tokenizer, watermarked_text):
    cfg = WatermarkConfig(gamma=GAMMA, delta=4.0).bind(key=KEY, tokenizer=tokenizer)
    KEY.save(tmp_path / "wm.key")
    cfg.save(tmp_path / "wm.json")
    human = topics["assert"][:1200]
    mixed = human + "\n\n" + watermarked_text + "\n\n" + topics["class"][:1200]
    (tmp_path / "mixed.txt").write_text(mixed, encoding="utf-8")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", OMP_NUM_THREADS="1")
    env.pop("GENAI_WATERMARK_KEY", None)
    base = [sys.executable, "-m", "watermark.cli", "detect", str(tmp_path / "mixed.txt")]
    base += ["--key", str(tmp_path / "wm.key"), "--config", str(tmp_path / "wm.json")]
    p = subprocess.run(base + ["--scan", "--json"], capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    [rec] = [json.loads(line) for line in p.stdout.splitlines() if line.strip()]
    lib = WatermarkDetector(tokenizer, cfg, KEY).detect_scan(mixed).to_dict()
    assert rec["p_value"] == lib["p_value"] and rec["spans"] == lib["spans"]
    assert rec["verdict"] == "watermarked" and rec["spans"]
    start = len(human) + 2
    end = start + len(watermarked_text)
    s = rec["spans"][0]
    assert start - 20 <= s["char_start"] and s["char_end"] <= end + 20  # inside the pasted text
    assert s["char_end"] - s["char_start"] >= 0.6 * len(watermarked_text)
    old = subprocess.run(
        base + ["--scan", "--scan-method", "maxlr", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert old.returncode == 0, old.stderr
    [rec_old] = [json.loads(line) for line in old.stdout.splitlines() if line.strip()]
    lib_old = WatermarkDetector(tokenizer, cfg, KEY).detect_scan(mixed, method="maxlr").to_dict()
    assert rec_old["p_value"] == lib_old["p_value"] and rec_old["spans"] == lib_old["spans"]
    assert rec_old["p_value"] != rec["p_value"]  # the option reached the other statistic
    both = subprocess.run(base + ["--scan", "--windowed"], capture_output=True, text=True, env=env)
    assert both.returncode == 2 and "not both" in both.stderr and "Traceback" not in both.stderr
    alone = subprocess.run(base + ["--scan-method", "hmm"], capture_output=True, text=True, env=env)
    assert alone.returncode == 2 and "with --scan only" in alone.stderr
    assert "Traceback" not in alone.stderr
