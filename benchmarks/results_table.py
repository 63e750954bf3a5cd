"""Markdown tables from every benchmarks/results/*.json, plus met / not met for each target.

    python benchmarks/results_table.py                 # print the section
    python benchmarks/results_table.py --write-readme  # also replace it in README.md

The section replaces the text between ``<!-- results:start -->`` and ``<!-- results:end -->``.
Every number comes from the JSON files, all in the one format written by ``common.write``
(name, settings, machine, results); a missing file or key shows as "not measured".
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from common import read  # noqa: E402

RESULTS = HERE / "results"
README = HERE.parent / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
NEEDED_TPR = 0.9  # "tokens needed" = smallest T with TPR at p < 1e-3 of at least this


def load(results_dir: Path) -> dict:
    out = {}
    for p in sorted(Path(results_dir).glob("*.json")):
        try:
            out[p.stem] = read(p)
        except (OSError, ValueError) as exc:  # JSONDecodeError is a ValueError
            print(f"warning: skipping {p.name}: {exc}", file=sys.stderr)
    return out


def dig(d, *path, default=None):
    for k in path:
        if isinstance(d, dict) and k in d:
            d = d[k]
        elif isinstance(d, list) and isinstance(k, int) and -len(d) <= k < len(d):
            d = d[k]
        else:
            return default
    return d


def fmt(x, nd=3) -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        if x != x:
            return "nan"
        if abs(x) >= 1e5:
            return f"{x:,.0f}"
        return f"{x:.{nd}g}" if abs(x) < 1 else f"{x:,.{nd}g}" if abs(x) < 1000 else f"{x:,.0f}"
    return str(x)


def table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += [
        "| " + " | ".join(fmt(c) if not isinstance(c, str) else c for c in r) + " |" for r in rows
    ]
    return "\n".join(lines)


def run_label(doc: dict) -> str:
    s = doc.get("settings", {}) or {}
    date = dig(doc, "machine", "date") or ""
    if s.get("quick"):
        kind = "**quick run (settings.quick = true): small sizes, not the full benchmark**"
    elif s.get("full_spec") is False:
        kind = "**reduced run (settings.full_spec = false): smaller than the issue's sizes**"
    else:
        kind = "full run"
    sizes = ", ".join(f"{k}={s[k]}" for k in ("n_prompts", "new_tokens") if k in s)
    return f"_{kind}{'; ' + sizes if sizes else ''}{'; ' + date if date else ''}_"


def img(name: str, results_dir: Path, rel_base: Path) -> str:
    p = Path(results_dir) / f"{name}.png"
    if not p.is_file():
        return ""
    rel = Path(os.path.relpath(p.resolve(), rel_base.resolve()))
    return f"\n\n![{name}]({rel.as_posix()})"


# ---- targets ---------------------------------------------------------------------------------------


def targets(docs: dict) -> list[list]:
    """[target, measured, met?, source] for every target named in the issues."""
    rows = []

    def add(name, value, ok, src, unit=""):
        if value is None:
            rows.append([name, "not measured", "–", src])
        else:
            rows.append([name, f"{fmt(value)}{unit}", "met" if ok(value) else "**not met**", src])

    speed = docs.get("speed")
    calls = dig(speed, "results", "processor_calls", default=[]) or []
    # the issue states its call targets at V = 49,152 (SmolLM2); larger vocabs are reported in the table
    vocabs = {r.get("vocab", 0) for r in calls}
    vmax = 49152 if 49152 in vocabs else max(vocabs, default=0)
    big = [r for r in calls if r.get("vocab") == vmax]

    def worst(batch):
        vals = [
            r.get("ours_fused_ms")
            for r in big
            if r.get("batch") == batch and r.get("ours_fused_ms") is not None
        ]
        return max(vals) if vals else None

    add(
        f"processor call, batch 1 (V={vmax or '?'}, worst scheme) <= 0.05 ms",
        worst(1),
        lambda v: v <= 0.05,
        "speed.json",
        " ms",
    )
    add(
        f"processor call, batch 16 (V={vmax or '?'}, worst scheme) <= 0.5 ms",
        worst(16),
        lambda v: v <= 0.5,
        "speed.json",
        " ms",
    )
    gen = [
        r for r in dig(speed, "results", "generate", default=[]) or [] if r.get("impl") == "ours"
    ]
    share = max(
        (r["processor_share_pct"] for r in gen if r.get("processor_share_pct") is not None),
        default=None,
    )
    wall = max(
        (r["overhead_wall_pct"] for r in gen if r.get("overhead_wall_pct") is not None),
        default=None,
    )
    add(
        "generate overhead <= 1 % (processor share of generate wall time, worst scheme)",
        share,
        lambda v: v <= 1.0,
        "speed.json",
        " %",
    )
    add(
        "generate overhead <= 1 % (wall time vs no watermark, worst scheme; noisy)",
        wall,
        lambda v: v <= 1.0,
        "speed.json",
        " %",
    )
    det = dig(speed, "results", "detector", default=[]) or []
    tok_s = min((r["ours_tok_s"] for r in det if r.get("ours_tok_s") is not None), default=None)
    add(
        "detector on ids >= 5,000,000 tok/s (worst scheme)",
        tok_s,
        lambda v: v >= 5e6,
        "speed.json",
        " tok/s",
    )

    audit = docs.get("audit_trail")
    for mode in ("overhead_scoring_off", "overhead_scoring_on"):
        add(
            f"wrapper p99 <= 1 ms ({mode.replace('overhead_', '').replace('_', ' ')})",
            dig(audit, "results", mode, "p99_ms"),
            lambda v: v <= 1.0,
            "audit_trail.json",
            " ms",
        )
    add(
        "SQLite append >= 2,000 rec/s",
        dig(audit, "results", "sqlite_append", "records_per_s"),
        lambda v: v >= 2000,
        "audit_trail.json",
        " rec/s",
    )
    add(
        "verify >= 50,000 rec/s",
        dig(audit, "results", "verify", "records_per_s"),
        lambda v: v >= 50000,
        "audit_trail.json",
        " rec/s",
    )

    faith = docs.get("faithfulness")
    add(
        "faithfulness scoring <= 100 ms (median per answer; algorithm 1, Python-docs set)",
        dig(faith, "results", "latency_ms", "median"),
        lambda v: v <= 100,
        "faithfulness.json",
        " ms",
    )
    add(
        "faithfulness AUROC >= 0.8 (algorithm 1, Python-docs set, held-out half)",
        dig(faith, "results", "test_half", "auroc_min"),
        lambda v: v >= 0.8,
        "faithfulness.json",
    )
    held = next(
        (k for k in ("test3", "test2", "test") if dig(faith, "results", f"broad_{k}")), "test"
    )
    for target, got in (dig(faith, "results", "broad_targets", default={}) or {}).items():
        met = bool(got.get("met"))
        add(
            f"faithfulness, broad held-out split ({held}): {target}"
            if not target.startswith("median ms")
            else f"faithfulness latency per answer (3-5 sentences, 5 x ~1.3 kB chunks): {target}",
            got.get("value"),
            lambda v, met=met: met,
            "faithfulness.json",
        )
    pii = dig(docs.get("pii_redaction"), "results", "test", default={}) or {}
    structured = [v.get("recall") for v in (pii.get("positives") or {}).values()]
    add(
        "PII redaction recall >= 0.95 on every kind (held-out split, lowest kind)",
        min(structured) if structured else None,
        lambda v: v >= 0.95,
        "pii_redaction.json",
    )
    add(
        "PII redaction false positives <= 2 % (held-out look-alikes, all families)",
        dig(pii, "total", "fpr"),
        lambda v: v <= 0.02,
        "pii_redaction.json",
    )
    over = dig(docs.get("vllm_throughput"), "results", "overhead_pct", default={}) or {}
    add(
        "vLLM watermark overhead <= 3 % (output tok/s, worst of batch 1/16/64)",
        max(over.values()) if over else None,
        lambda v: v <= 3.0,
        "vllm_throughput.json",
        " %",
    )
    add(
        "console list page p95 on a 100,000-record SQLite log <= 200 ms (no-match text excluded)",
        dig(docs.get("console_pages"), "results", "worst_p95_ms"),
        lambda v: v <= 200,
        "console_pages.json",
        " ms",
    )
    subs = dig(docs.get("substitution"), "results", "rows", default=[]) or []
    best = max(subs, key=lambda r: r.get("tpr@1e-3", 0.0), default=None)
    add(
        "substitution 20 % at T=200, best documented configuration ("
        + (
            f"{best['scheme']} h={best['h']} delta {best['delta']}, N={best['n_pos']}, "
            f"95% CI {fmt(best['tpr_ci95'][0])}–{fmt(best['tpr_ci95'][1])}"
            if best
            else "?"
        )
        + ") TPR@1e-3 >= 0.9",
        best.get("tpr@1e-3") if best else None,
        lambda v: v >= 0.9,
        "substitution.json",
    )
    return rows


# ---- sections ---------------------------------------------------------------------------------------


def power_section(doc) -> str:
    res, s = doc.get("results", {}), doc.get("settings", {})
    rows = res.get("rows", [])
    Ts = sorted({r["T"] for r in rows})
    out = ["### Detection power (`benchmarks/power.py`)", run_label(doc), ""]
    impls = sorted({(r["impl"], r["scheme"]) for r in rows}, key=lambda k: (k[0] != "ours", k))
    grid = sorted({(r["gamma"], r["delta"]) for r in rows})
    for impl, gs in (s.get("impl_gammas") or {}).items():
        out.append(
            f"_{impl} was run at gamma {', '.join(map(str, gs))} only (power.py --impl-gammas)._\n"
        )
    if rows:
        out.append(
            f"Tokens needed: the smallest T (of {', '.join(map(str, Ts))}) at which at least "
            f"{NEEDED_TPR:g} of the watermarked outputs are flagged at nominal p < 1e-3:\n"
        )
        body = []
        for g, d in grid:
            row: list = [g, d]
            for impl, scheme in impls:
                hit = sorted(
                    r["T"]
                    for r in rows
                    if (r["impl"], r["scheme"], r["gamma"], r["delta"]) == (impl, scheme, g, d)
                    and (r.get("tpr@0.001") or 0) >= NEEDED_TPR
                )
                ran = any(
                    (r["impl"], r["scheme"], r["gamma"], r["delta"]) == (impl, scheme, g, d)
                    for r in rows
                )
                row.append(str(hit[0]) if hit else f"> {max(Ts)}" if ran else "–")
            body.append(row)
        out += [table(["gamma", "delta"] + [f"{i} {sc}" for i, sc in impls], body), ""]
    for al in ("0.01", "0.001"):
        out.append(
            f"TPR at nominal p < {al} (fraction of watermarked outputs flagged) vs tokens T:\n"
        )
        body = []
        for key in sorted({(r["impl"], r["scheme"], r["gamma"], r["delta"]) for r in rows}):
            rs = {
                r["T"]: r for r in rows if (r["impl"], r["scheme"], r["gamma"], r["delta"]) == key
            }
            body.append(
                [key[0], key[1], key[2], key[3]]
                + [rs[t].get(f"tpr@{al}") if t in rs else None for t in Ts]
            )
        out += [table(["impl", "scheme", "gamma", "delta"] + [f"T={t}" for t in Ts], body), ""]
    cal = res.get("calibration", [])
    if cal:
        out.append(
            "Calibration: empirical FPR at the nominal threshold (ours: exact binomial p; "
            "builtin: its normal-approximation p; builtin-exactp: exact binomial p of the built-in "
            "detector's counts). 0 means < 1/N.\n"
        )
        body = [
            [
                c["impl"],
                c["scheme"],
                c["gamma"],
                c["T"],
                c["n_human"],
                c.get("fpr_human@0.01"),
                c.get("fpr_human@0.001"),
                c["n_unwatermarked"],
                c.get("fpr_unwatermarked@0.01"),
                c.get("fpr_unwatermarked@0.001"),
            ]
            for c in cal
        ]
        out += [
            table(
                [
                    "impl",
                    "scheme",
                    "gamma",
                    "T",
                    "N human",
                    "FPR human @1e-2",
                    "FPR human @1e-3",
                    "N unwm",
                    "FPR unwm @1e-2",
                    "FPR unwm @1e-3",
                ],
                body,
            ),
            "",
        ]
    if s.get("note"):
        out.append(f"_{s['note']}_")
    return "\n".join(out)


def scan_targets_lines(cp: list[dict], targets: dict | None) -> list[str]:
    """Scan detection against the issue-13 targets (TPR@1e-3 on 400-token texts)."""
    if not targets:
        return []

    def tpr(det, k, f):
        c = next(
            (
                c
                for c in cp
                if c["impl"] == "ours"
                and c["detection"] == det
                and (c["spans"], c["fraction"]) == (k, f)
            ),
            None,
        )
        return None if c is None else c["tpr@1e-3"]

    s1, o1 = tpr("scan", 1, 0.1), tpr("oracle", 1, 0.1)
    if s1 is None:
        return []
    checks = [
        ("1 span of 10 %", s1, f">= {targets['1x10%']}", s1 >= targets["1x10%"], (1, 0.1)),
        (
            "1 span of 10 %: oracle - scan",
            None if o1 is None else o1 - s1,
            f"<= {targets['oracle_gap_1x10%']}",
            o1 is not None and o1 - s1 <= targets["oracle_gap_1x10%"],
            None,
        ),
        ("3 spans of 25 %", tpr("scan", 3, 0.25), f">= {targets['3x25%']}", None, (3, 0.25)),
        ("1 span of 25 %", tpr("scan", 1, 0.25), f">= {targets['1x25%']}", None, (1, 0.25)),
    ]
    body = []
    for name, v, goal, ok, case in checks:
        if ok is None and v is not None:
            ok = v >= float(goal.split()[-1])
        old = None if case is None else tpr("scan_maxlr", *case)
        body.append([name, v, old, goal, "met" if ok else "NOT met"])
    return [
        "Scan statistic (HMM; the max-LR scan beside it) against the issue-13 targets "
        "(TPR at p < 1e-3):\n",
        table(["case", "scan (HMM)", "scan_maxlr", "target", ""], body),
        "",
    ]


def robustness_section(doc) -> str:
    res = doc.get("results", {})
    out = ["### Robustness (`benchmarks/robustness.py`)", run_label(doc), ""]
    edits = res.get("edits", [])
    if edits:
        out.append(
            "Random token edits (gamma 0.25, delta 2, lefthash h=1): AUC / TPR at p < 1e-3\n"
        )
        keys = sorted({(e["attack"], e["rate"]) for e in edits}, key=lambda k: (k[0] != "none", k))
        body = []
        for att, r in keys:
            row = [att, r]
            for impl in ("ours", "builtin"):
                e = next(
                    (
                        e
                        for e in edits
                        if e["impl"] == impl and e["attack"] == att and e["rate"] == r
                    ),
                    {},
                )
                row += [e.get("auc"), e.get("tpr@1e-3")]
            body.append(row)
        out += [
            table(["attack", "rate", "ours AUC", "ours TPR", "built-in AUC", "built-in TPR"], body),
            "",
        ]
        out.append(
            "_Built-in TPRs here use its own normal-approximation p, which is looser than the exact p "
            "(compare the builtin and builtin-exactp rows under Detection power), and each side has one "
            "key (see the key-to-key spread); AUC compares the two watermarks without a threshold._\n"
        )
    cp = res.get("copy_paste", [])
    if cp:
        out.append("Copy-paste of watermarked spans into human text:\n")
        body = [
            [
                c["impl"],
                c["detection"],
                c["spans"],
                c["fraction"],
                c["length"],
                c.get("auc"),
                _ci({"rate": c.get("tpr@1e-3"), "ci95": c.get("tpr_ci95")}),
                c.get("fpr@1e-3"),
            ]
            for c in cp
        ]
        out += [
            table(
                [
                    "impl",
                    "detection",
                    "spans",
                    "watermarked fraction",
                    "tokens",
                    "AUC",
                    "TPR@1e-3 [95% CI]",
                    "FPR@1e-3",
                ],
                body,
            ),
            "",
        ]
        out += scan_targets_lines(cp, (doc.get("settings") or {}).get("scan_targets"))
    fpr = res.get("fpr") or {}
    if fpr.get("rows"):
        out.append(
            f"Empirical FPR on human text (pydoc topics chunks; trials = texts x "
            f"{fpr.get('keys', 1)} keys), p <= nominal [95% CI]:\n"
        )
        keys = sorted(
            {(r["length"], r["detection"]) for r in fpr["rows"]},
            key=lambda k: (k[0] == "all", k[0] if k[0] != "all" else 0, k[1]),
        )
        body = []
        for length, det in keys:
            rs = {
                r["alpha"]: r for r in fpr["rows"] if (r["length"], r["detection"]) == (length, det)
            }
            body.append(
                [str(length), det, next(iter(rs.values()))["n"]]
                + [_ci(rs[a], "fpr") if a in rs else "–" for a in (1e-2, 1e-3)]
            )
        out += [table(["tokens", "detection", "trials", "FPR@1e-2", "FPR@1e-3"], body), ""]
        ms = fpr.get("ms_per_1000_tokens") or {}
        if ms:
            out.append(
                f"Detection time per {fpr.get('timing_tokens', 1000)}-token text (ids): "
                + ", ".join(f"{k} {fmt(v)} ms" for k, v in ms.items())
                + "\n"
            )
    pa = res.get("paraphrase", [])
    if pa:
        out.append("Paraphrase by the bundled model (prompted to rewrite):\n")
        body = [
            [
                p["impl"],
                p["n"],
                p.get("tpr@1e-3_before"),
                p.get("tpr@1e-3"),
                p.get("auc_before"),
                p.get("auc"),
                p.get("z_median_before"),
                p.get("z_median_after"),
            ]
            for p in pa
        ]
        out += [
            table(
                [
                    "impl",
                    "n",
                    "TPR before",
                    "TPR after",
                    "AUC before",
                    "AUC after",
                    "median z before",
                    "median z after",
                ],
                body,
            ),
            "",
        ]
    return "\n".join(out)


def quality_section(doc) -> str:
    res, s = doc.get("results", {}), doc.get("settings", {})
    rows = res.get("rows", [])
    out = ["### Quality (`benchmarks/quality.py`)", run_label(doc), ""]
    scorers = s.get("scorers") or (list(rows[0].get("ppl", {})) if rows else [])
    body = []
    for r in rows:
        body.append(
            [r["impl"], r.get("gamma"), r.get("delta")]
            + [dig(r, "ppl", sc, "median") for sc in scorers]
            + [r.get("z_median"), r.get("tpr@1e-3")]
        )
    out.append(
        table(
            ["impl", "gamma", "delta"]
            + [f"median PPL ({sc})" for sc in scorers]
            + [f"median z (T={s.get('T_detection', '?')})", "TPR@1e-3"],
            body,
        )
    )
    if s.get("second_scorer"):
        out += ["", f"_Second scorer: {s['second_scorer']}._"]
    return "\n".join(out)


def key_variance_section(doc) -> str:
    res, s = doc.get("results", {}), doc.get("settings", {})
    out = [
        "### FPR from key to key (`benchmarks/key_variance.py`)",
        run_label(doc),
        "",
        f"The same negatives scored under {s.get('keys', '?')} random keys (gamma {s.get('gamma', '?')}, "
        f"{s.get('new_tokens', '?')} tokens): the per-key empirical FPR at the nominal alpha.\n",
    ]
    body = [
        [
            r["scheme"],
            r["h"],
            r["corpus"],
            r["n_texts"],
            r["alpha"],
            r["mean"],
            r["median"],
            r["min"],
            r["max"],
            r.get("share_of_keys_above_2x_alpha"),
        ]
        for r in res.get("rows", [])
    ]
    out.append(
        table(
            [
                "scheme",
                "h",
                "negatives",
                "N",
                "alpha",
                "mean over keys",
                "median",
                "min",
                "max",
                "keys above 2x alpha",
            ],
            body,
        )
    )
    return "\n".join(out)


def fair_comparison_section(doc) -> str:
    res, s = doc.get("results", {}), doc.get("settings", {})
    keys, planned = s.get("keys", "?"), s.get("keys_planned")
    cut = (
        f" (run stopped after {keys} of the {planned} planned)"
        if planned not in (None, keys)
        else ""
    )
    out = [
        "### Ours vs the built-in over many keys (`benchmarks/fair_comparison.py`)",
        run_label(doc),
        "",
        f"{keys} keys per implementation{cut}, {s.get('n_prompts', '?')} prompts each, "
        f"T = {s.get('new_tokens', '?')}, {s.get('scheme', '?')}, gamma {s.get('gamma', '?')}, "
        f"delta {s.get('delta', '?')}; every text scored by our detector with exact p (the "
        "built-in through `watermark.hf_builtin`), with and without repeat removal. Negatives: "
        f"{s.get('human_negatives', '?')} human chunks + {s.get('unwatermarked_negatives', '?')} "
        "unwatermarked outputs under every key.\n",
    ]
    body = []
    for r in res.get("rows", []):
        t3, t2 = r.get("tpr@0.001", {}), r.get("tpr@0.01", {})
        m3 = r.get("tpr_at_empirical_fpr0.001", {})
        ci = t3.get("ci95") or [None, None]
        body.append(
            [
                r["impl"],
                "yes" if r["repeat_removal"] else "no",
                r.get("mean_scored_tokens"),
                t3.get("pooled"),
                f"{fmt(ci[0])}–{fmt(ci[1])}",
                f"{fmt(t3.get('key_mean'))} ± {fmt(t3.get('key_std'))} "
                f"({fmt(t3.get('key_min'))}–{fmt(t3.get('key_max'))}); beyond sampling "
                f"{fmt(t3.get('key_sd_beyond_sampling'))}",
                t2.get("pooled"),
                dig(r, "fpr@0.001", "pooled"),
                m3.get("tpr"),
                m3.get("empirical_fpr"),
            ]
        )
    out.append(
        table(
            [
                "impl",
                "repeat removal",
                "scored tokens",
                "TPR@1e-3",
                "95% CI",
                "per key: mean ± sd (min–max)",
                "TPR@1e-2",
                "FPR@1e-3",
                "TPR at empirical FPR 1e-3",
                "its FPR",
            ],
            body,
        )
    )
    return "\n".join(out)


def substitution_section(doc) -> str:
    res = doc.get("results", {})
    out = [
        "### Substitution 20 % at T = 200 by configuration (`fair_comparison.py --substitution`)",
        run_label(doc),
        "",
    ]
    kept = dig(doc, "settings", "rows_kept_from_earlier_runs", default=[]) or []
    if kept:
        out.append(
            "Rows kept from an earlier run with the same settings (their own N): "
            + ", ".join(f"`{c}`" for c in kept)
            + ".\n"
        )
    body = []
    for r in res.get("rows", []):
        ci = r.get("tpr_ci95") or [None, None]
        body.append(
            [
                r["scheme"],
                r["h"],
                r["delta"],
                r["n_pos"],
                r.get("tpr@1e-3_unedited"),
                r.get("tpr@1e-3"),
                f"{fmt(ci[0])}–{fmt(ci[1])}",
                r.get("fpr@1e-3"),
            ]
        )
    out.append(
        table(
            ["scheme", "h", "delta", "N", "TPR@1e-3 unedited", "TPR@1e-3 after", "95% CI", "FPR"],
            body,
        )
    )
    return "\n".join(out)


def speed_section(doc) -> str:
    res = doc.get("results", {})
    out = ["### Speed (`benchmarks/speed.py`)", run_label(doc), ""]
    calls = res.get("processor_calls", [])
    if calls:
        body = [
            [
                r.get("vocab"),
                r.get("scheme"),
                r.get("context_width"),
                r.get("batch"),
                r.get("ours_fused_ms"),
                r.get("builtin_ms"),
                r.get("speedup_vs_builtin"),
            ]
            for r in calls
        ]
        out += [
            table(
                ["vocab", "scheme", "h", "batch", "ours ms/call", "built-in ms/call", "speedup"],
                body,
            ),
            "",
        ]
    gen = res.get("generate", [])
    if gen:
        body = [
            [
                r.get("scheme"),
                r.get("impl"),
                r.get("batch"),
                r.get("new_tokens"),
                r.get("wall_s_median"),
                r.get("overhead_wall_pct"),
                r.get("processor_share_pct"),
            ]
            for r in gen
        ]
        out += [
            table(
                [
                    "scheme",
                    "impl",
                    "batch",
                    "new tokens",
                    "wall s",
                    "overhead %",
                    "processor share %",
                ],
                body,
            ),
            "",
        ]
    det = res.get("detector", [])
    if det:
        body = [
            [r.get("scheme"), r.get("ours_tok_s"), r.get("builtin_tok_s"), r.get("speedup")]
            for r in det
        ]
        out += [table(["scheme", "ours tok/s", "built-in tok/s", "speedup"], body)]
    return "\n".join(out)


def _ci(block: dict, key: str = "rate") -> str:
    lo, hi = block.get("ci95") or block.get(f"{key}_ci95") or (None, None)
    return f"{fmt(block.get(key))} [{fmt(lo)}, {fmt(hi)}]"


def _broad_block(bt: dict, title: str) -> str:
    """One split of the broad faithfulness set: the three systems side by side, 95 % intervals."""
    sysn = bt.get("systems") or {}
    names = [n for n in ("aligned", "current", "naive_max_cosine") if n in sysn]
    version = dig(sysn, "aligned", "scorer_version") or "?"
    head = (
        f"Broad labelled set, {title}: {bt.get('n')} answers, {len(bt.get('domains') or [])} "
        f"domains; aligned = `{version}`; 95 % intervals:"
    )
    rows = [
        ["answer AUROC"] + [_ci(sysn[n]["answer_auroc"], "auroc") for n in names],
        ["faithful answers flagged"] + [_ci(sysn[n]["faithful_flagged"]) for n in names],
        ["unfaithful answers caught"] + [_ci(sysn[n]["unfaithful_caught"]) for n in names],
    ]
    kinds = list(sysn[names[0]].get("recall_by_kind") or {}) if names else []
    rows += [[f"recall: {k}"] + [_ci(sysn[n]["recall_by_kind"][k]) for n in names] for k in kinds]
    acc = sysn.get("aligned", {}).get("sentence_verdict_accuracy") or {}
    rows += [
        [f"sentence verdict accuracy: {k}"] + [_ci(v)] + ["–"] * (len(names) - 1)
        for k, v in acc.items()
    ]
    return "\n".join([head, "", table(["measure"] + names, rows)])


def faithfulness_section(doc) -> str:
    res = doc.get("results") or {}
    out = [
        "### Faithfulness (`benchmarks/faithfulness_calibration.py`)",
        run_label(doc),
        "",
        f"Algorithm 1 on the Python-docs set (held-out half): AUROC of the per-sentence minimum "
        f"{fmt(dig(res, 'test_half', 'auroc_min'))}; median latency "
        f"{fmt(dig(res, 'latency_ms', 'median'))} ms.",
    ]
    blocks = [
        (
            "broad_test3",
            "**test3**, the fresh held-out split of algorithm 4 (6 more domains, written while "
            "algorithm 4 was fitted by someone who neither tuned nor saw the scorer; scored once: "
            "the final figures)",
        ),
        (
            "broad_test3_algorithm3",
            "**test3**, the same split scored once by the frozen algorithm 3 (the previous "
            "default), for comparison",
        ),
        (
            "broad_test2",
            "**test2**, algorithm 3's fresh held-out split (scored once at algorithm 3; since then "
            "development data for algorithm 4)",
        ),
        (
            "broad_test",
            "**test**, the older held-out split (second look: its first look, below, was at the "
            "previous scorer; nothing was fitted on it)",
        ),
        ("broad_test_first_look", "**test**, first look, at the previous scorer (algorithm 2)"),
    ]
    for key, title in blocks:
        bt = res.get(key)
        if bt:
            out += ["", _broad_block(bt, title)]
    dev21 = res.get("broad_dev21") or {}
    if dev21.get("algorithm_4"):
        systems = [k for k in ("algorithm_3_head", "algorithm_4") if dev21.get(k)]
        a4 = dev21["algorithm_4"]
        rows = [
            ["answer AUROC"] + [_ci(dev21[k]["answer_auroc"], "auroc") for k in systems],
            ["faithful answers flagged"] + [_ci(dev21[k]["faithful_flagged"]) for k in systems],
        ] + [
            [f"recall: {kind}"] + [_ci(dig(dev21, k, "recall_by_kind", kind)) for k in systems]
            for kind in (a4.get("recall_by_kind") or {})
        ]
        out += [
            "",
            f"Development data of algorithm 4 (dev + test + test2: {a4.get('domains')} domains, "
            f"{a4.get('n')} answers), leave-one-domain-out (head, calibration and threshold "
            "fitted on the other 20 domains), algorithm 3's head features refitted the same way "
            "beside it:",
            "",
            table(["measure"] + [k.replace("_", " ") for k in systems], rows),
        ]
    lodo = dig(res, "broad_dev", "aligned_leave_one_domain_out")
    if lodo:
        rows = [
            ["answer AUROC", _ci(lodo["answer_auroc"], "auroc")],
            ["faithful answers flagged", _ci(lodo["faithful_flagged"])],
            ["unfaithful answers caught", _ci(lodo["unfaithful_caught"])],
        ] + [[f"recall: {k}", _ci(v)] for k, v in (lodo.get("recall_by_kind") or {}).items()]
        out += [
            "",
            f"Algorithm 3 on the dev split, leave-one-domain-out ({lodo.get('n')} answers; for "
            "each dev domain the head, calibration and threshold were fitted on the other dev "
            "domains):",
            "",
            table(["measure", "aligned"], rows),
        ]
    lat = res.get("broad_latency_ms")
    if lat:
        out += [
            "",
            f"Latency per answer ({lat.get('answer_sentences')} sentences, {lat.get('chunks')} "
            f"chunks of ~{lat.get('mean_chunk_chars')} characters; load average "
            f"{lat.get('load_avg_1min_at_end')} on {lat.get('cpu_count')} cores), median / p95 ms: "
            + "; ".join(
                f"{k} {fmt(v.get('median'))} / {fmt(v.get('p95'))}"
                for k, v in lat.items()
                if isinstance(v, dict)
            ),
        ]
    return "\n".join(out)


def pii_section(doc) -> str:
    res = doc.get("results") or {}
    test = res.get("test") or {}
    out = [
        "### PII redaction (`benchmarks/pii_redaction.py`)",
        run_label(doc),
        "",
        "Held-out split (templates not used while tuning); recall per kind and false-positive "
        "rate per look-alike family, with 95 % Wilson intervals:",
        "",
    ]
    pos = test.get("positives") or {}
    out.append(
        table(
            ["kind", "label", "n", "recall"],
            [[k, v.get("label"), v.get("n"), _ci(v, "recall")] for k, v in pos.items()],
        )
    )
    neg = test.get("lookalikes") or {}
    out += [
        "",
        table(
            ["look-alike family", "n", "false positives", "rate"],
            [[k, v.get("n"), v.get("false_positives"), _ci(v, "fpr")] for k, v in neg.items()],
        ),
    ]
    tot = test.get("total") or {}
    out += [
        "",
        f"Overall: recall {_ci(tot, 'recall')} over {tot.get('positives')} strings; "
        f"false positives {_ci(tot, 'fpr')} over {tot.get('lookalikes')} look-alikes. The "
        "held-out half shares the value generators with dev, so these figures are optimistic.",
    ]
    return "\n".join(out)


def vllm_section(doc) -> str:
    res = doc.get("results") or {}
    out = ["### vLLM throughput (`benchmarks/vllm_throughput.py`)", run_label(doc), ""]
    plain, wm, over = (res.get(k) or {} for k in ("vllm_plain", "vllm_watermark", "overhead_pct"))
    rows = [
        [f"vLLM, batch {b}", dig(plain, b, "output_tok_s"), dig(wm, b, "output_tok_s"), over.get(b)]
        for b in plain
    ]
    hf = res.get("hf_generate_b16") or {}
    if hf:
        p, w = dig(hf, "plain", "output_tok_s"), dig(hf, "watermark", "output_tok_s")
        rows.append(["HF generate(), batch 16", p, w, 100 * (p - w) / p if p and w else None])
    out.append(table(["engine", "plain tok/s", "watermarked tok/s", "overhead %"], rows))
    return "\n".join(out)


def spark_section(doc) -> str:
    res = doc.get("results") or {}
    out = ["### Detection on Spark (`benchmarks/spark_detect.py`)", run_label(doc), ""]
    rows = [[k, v, dig(res, "tokens_per_s", k)] for k, v in (res.get("rows_per_s") or {}).items()]
    out.append(table(["runner", "rows/s", "tokens/s"], rows))
    return "\n".join(out)


def console_section(doc) -> str:
    res = doc.get("results") or {}
    out = ["### Review console pages (`benchmarks/console_pages.py`)", run_label(doc), ""]
    out.append(
        f"{res.get('records')} records ({res.get('events')} events) in one SQLite log; each "
        "scenario requested repeatedly through the real app (FastAPI TestClient)."
    )
    out.append("")
    rows = [
        [name, sc.get("url"), sc.get("rows"), sc.get("p50_ms"), sc.get("p95_ms")]
        for name, sc in (res.get("scenarios") or {}).items()
    ]
    out.append(table(["page", "URL", "rows", "p50 ms", "p95 ms"], rows))
    out += [
        "",
        f"Overview (runs `verify` over the whole log each visit): first visit "
        f"{fmt(res.get('overview_first_ms'))} ms, later visits {fmt(res.get('overview_again_ms'))} ms.",
    ]
    return "\n".join(out)


def generic_section(name: str, doc) -> str:
    flat = []

    def walk(d, prefix=""):
        for k, v in d.items():
            if isinstance(v, dict):
                walk(v, f"{prefix}{k}.")
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                flat.append([f"{prefix}{k}", v])

    walk(
        {
            k: v
            for k, v in (doc.get("results") or {}).items()
            if k not in ("calibrated", "module_defaults")
        }
    )
    return "\n".join([f"### {name}", run_label(doc), "", table(["metric", "value"], flat[:40])])


SECTIONS = {
    "power": power_section,
    "key_variance": key_variance_section,
    "fair_comparison": fair_comparison_section,
    "robustness": robustness_section,
    "substitution": substitution_section,
    "quality": quality_section,
    "speed": speed_section,
    "faithfulness": faithfulness_section,
    "pii_redaction": pii_section,
    "vllm_throughput": vllm_section,
    "spark_detect": spark_section,
    "console_pages": console_section,
}


def render(results_dir: Path = RESULTS, rel_base: Path = README.parent) -> str:
    docs = load(results_dir)
    parts = [
        "## Benchmark results",
        "",
        "_Generated by `python benchmarks/results_table.py --write-readme` from "
        "`benchmarks/results/*.json`; do not edit by hand._",
        "",
        "### Targets",
        "",
        table(["target", "measured", "status", "source"], targets(docs)),
    ]
    for name in SECTIONS:
        if name in docs:
            try:
                parts += ["", SECTIONS[name](docs[name]) + img(name, results_dir, rel_base)]
            except Exception as exc:  # noqa: BLE001 - a malformed file must not hide the others
                parts += ["", f"### {name}", f"_could not render {name}.json: {exc!r}_"]
        else:
            parts += [
                "",
                f"### {name}",
                f"_not measured: benchmarks/results/{name}.json is missing_",
            ]
    for name in sorted(set(docs) - set(SECTIONS)):
        parts += ["", generic_section(name, docs[name]) + img(name, results_dir, rel_base)]
    return "\n".join(parts) + "\n"


def write_readme(section: str, readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme} has no {START} ... {END} markers")
    a, rest = text.split(START, 1)
    _, b = rest.split(END, 1)
    readme.write_text(f"{a}{START}\n{section}{END}{b}", encoding="utf-8")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--results-dir", type=Path, default=RESULTS)
    ap.add_argument("--write-readme", action="store_true")
    ap.add_argument("--readme", type=Path, default=README)
    a = ap.parse_args(argv)
    section = render(a.results_dir, a.readme.parent)
    print(section)
    if a.write_readme:
        write_readme(section, a.readme)
        print(f"updated {a.readme}", file=sys.stderr)


if __name__ == "__main__":
    main()
