"""Robustness: detection after token edits, copy-paste into human text, and paraphrase.

Watermarked outputs (gamma 0.25, delta 2, lefthash h=1; ours and the built-in) from the shared
generation cache are attacked and re-scored:

* random token substitution, deletion and insertion at 10-50 % of the tokens (uniform random
  vocabulary ids, seeded); negatives (human chunks and unwatermarked outputs) get the same edit;
* copy-paste: one or three watermarked spans, together 10 % or 25 % of the length, inserted at
  random places in human text (pydoc_data.topics); negatives: the same construction with spans
  from unwatermarked outputs. Ours whole-text, windowed (``detect_spans``, Bonferroni-corrected
  over windows), scan (``detect_scan``: the HMM span statistic of ``watermark.scan_hmm``, the
  default), scan_maxlr (``detect_scan(method="maxlr")``: the max-LR window scan of
  ``watermark.scan``, the earlier default, kept for comparison) and an oracle told where the
  pasted tokens are (it scores only them, uncorrected exact binomial: the limit no search can
  beat); the built-in has whole-text detection only (``--copy-negatives human`` pastes spans of
  other human chunks instead of unwatermarked outputs);
* paraphrase: the bundled model (no watermark) is prompted to rewrite each watermarked answer;
  negatives: unwatermarked outputs and human chunks;
* fpr: the empirical false-positive rate of whole-text, windowed and both scans' detection on every
  human chunk of 100/200/400/800 tokens at nominal 1e-2 and 1e-3, with 95 % Wilson intervals,
  and detection ms per 1,000-token text (ids).

Reported: TPR at nominal p < 1e-3 (with a 95 % Wilson interval), the negatives' empirical FPR
there, and AUC (sklearn roc_auc_score on z; on -log p for windowed, scan and oracle detection).
``--only copy_paste,fpr`` runs just those sections (``--copy-impls ours`` skips the built-in's
rows); the other sections' figures (and rows not rerun) in the results file are kept.

    python benchmarks/robustness.py [--quick] [--results-dir DIR] [--only SECTIONS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import generations as G  # noqa: E402
from common import median_time, pyplot, read, write  # noqa: E402
from pii_redaction import wilson  # noqa: E402
from power import auc, rate  # noqa: E402

ALPHA = 1e-3
RATES = (0.1, 0.2, 0.3, 0.5)
SECTIONS = ("edits", "copy_paste", "paraphrase", "fpr")
FPR_LENGTHS = (100, 200, 400, 800)
FPR_ALPHAS = (1e-2, 1e-3)
FPR_KEYS = 10  # the benchmark key and 9 more: each key's green lists are an independent null
# issue 13: TPR at p < 1e-3 on 400-token texts; the 10 % span also within 0.15 of the oracle
SCAN_METHODS = {"scan": "hmm", "scan_maxlr": "maxlr"}  # detection label -> detect_scan method
SCAN_TARGETS = {"1x10%": 0.45, "3x25%": 0.8, "1x25%": 0.93, "oracle_gap_1x10%": 0.15}


def attack(ids, kind: str, p: float, rng: np.random.Generator, vocab: int) -> list[int]:
    x = np.asarray(ids, dtype=np.int64)
    if kind == "substitute":
        hit = rng.random(x.size) < p
        x = x.copy()
        x[hit] = rng.integers(0, vocab, int(hit.sum()))
        return x.tolist()
    if kind == "delete":
        return x[rng.random(x.size) >= p].tolist()
    if kind == "insert":
        out = []
        for t in x.tolist():
            out.append(t)
            if rng.random() < p:
                out.append(int(rng.integers(0, vocab)))
        return out
    raise ValueError(kind)


def splice(
    host: list[int], donor: list[int], n_spans: int, frac: float, rng, *, with_mask: bool = False
):
    """Put ``n_spans`` pieces of ``donor`` (together ``frac`` of the result) into ``host``; with
    ``with_mask`` also a bool array marking the pasted tokens."""
    total = len(host)
    w = max(n_spans, int(round(frac * total)))
    pieces = np.array_split(np.asarray(donor[:w]), n_spans)
    keep = host[: total - w]
    cuts = np.sort(rng.choice(np.arange(1, len(keep)), n_spans, replace=False))
    out, mask, last = [], [], 0
    for c, piece in zip(cuts, pieces):
        out += keep[last:c] + piece.tolist()
        mask += [False] * (c - last) + [True] * piece.size
        last = c
    out += keep[last:]
    mask += [False] * (len(keep) - last)
    return (out, np.array(mask)) if with_mask else out


def scores(impl: str, ids_list, detection: str = "whole", masks=None):
    """(p, score-for-AUC) arrays; detection: whole | windowed | scan | scan_maxlr | oracle (needs
    ``masks``,
    the pasted tokens of each text: only they are scored, uncorrected exact binomial)."""
    if impl == "builtin":
        p, z = G.builtin_pvalues(ids_list, 0.25)
        return p, z
    if detection == "whole":
        p, z = G.our_pvalues(ids_list, 0.25)
        return p, z
    det = G.our_detector(0.25)
    ids_list = [np.asarray(x, dtype=np.int64) for x in ids_list]
    if detection == "windowed":
        p = np.array([det.detect_spans(x).p_value for x in ids_list])
    elif detection in SCAN_METHODS:
        method = SCAN_METHODS[detection]
        p = np.array([det.detect_scan(x, method=method).p_value for x in ids_list])
    elif detection == "oracle":
        from watermark.stats import binomial_sf

        p = np.ones(len(ids_list))
        for i, r in enumerate(det.detect_batch(ids_list)):
            m = masks[i]
            n, k = int((r.green[m] >= 0).sum()), int((r.green[m] == 1).sum())
            p[i] = binomial_sf(k, n, det.gamma) if n else 1.0
    else:
        raise ValueError(detection)
    return p, -np.log10(np.maximum(p, 1e-300))


def summary(pp, sp, pn, sn) -> dict:
    k_pos, k_neg = int((np.asarray(pp) < ALPHA).sum()), int((np.asarray(pn) < ALPHA).sum())
    return {
        "n_pos": len(pp),
        "n_neg": len(pn),
        "tpr@1e-3": rate(pp, ALPHA),
        "tpr_ci95": wilson(k_pos, len(pp)),
        "fpr@1e-3": rate(pn, ALPHA),
        "fpr_ci95": wilson(k_neg, len(pn)),
        "auc": auc(sp, sn),
    }


def parse_args(argv=None):
    ap = G.bench_parser(__doc__)
    ap.add_argument(
        "--human", type=int, default=None, help="human negatives (default 400; quick 40)"
    )
    ap.add_argument(
        "--human-builtin",
        type=int,
        default=None,
        help="human negatives for the slow built-in detector (default 100; quick 20)",
    )
    ap.add_argument("--n-paraphrase", type=int, default=None, help="default 64 (quick 4)")
    ap.add_argument(
        "--paraphrase-impls", nargs="+", default=None, help="default ours builtin (quick ours)"
    )
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections to run ({', '.join(SECTIONS)}); the figures of the "
        "others already in the results file are kept",
    )
    ap.add_argument(
        "--copy-impls",
        nargs="+",
        default=["ours", "builtin"],
        help="implementations in the copy-paste rows (rows of the others are kept)",
    )
    ap.add_argument(
        "--copy-negatives",
        choices=["unwatermarked", "human"],
        default="unwatermarked",
        help="what the copy-paste negatives paste into the human hosts: spans of unwatermarked "
        "outputs, or of other human chunks (needs no unwatermarked generation)",
    )
    ap.add_argument(
        "--n-unwatermarked",
        type=int,
        default=None,
        help="unwatermarked outputs (negatives; default --n-prompts)",
    )
    ap.add_argument(
        "--fpr-texts",
        type=int,
        default=None,
        help="human chunks per length (default all; quick 40)",
    )
    a = G.parse_sizes(ap, argv)
    a.only = [x.strip() for x in a.only.split(",") if x.strip()]
    bad = sorted(set(a.only) - set(SECTIONS))
    if bad:
        ap.error(f"--only: unknown section(s) {', '.join(bad)}; choose from {', '.join(SECTIONS)}")
    a.fpr_texts = a.fpr_texts or (40 if a.quick else None)
    a.n_unwatermarked = min(a.n_unwatermarked or a.n_prompts, a.n_prompts)
    q = a.quick
    a.human = a.human or (40 if q else 400)
    a.human_builtin = a.human_builtin or (20 if q else 100)
    a.n_paraphrase = min(a.n_paraphrase or (4 if q else 64), a.n_prompts)
    a.paraphrase_impls = a.paraphrase_impls or (["ours"] if q else ["ours", "builtin"])
    return a


def main(argv=None) -> dict:
    a = parse_args(argv)
    t_start = time.time()
    model, tok = G.model_and_tokenizer()
    V = model.config.vocab_size
    T = a.new_tokens
    kw = dict(n_prompts=a.n_prompts, new_tokens=T)
    need = set()
    if "edits" in a.only:
        need |= {"ours", "builtin"}
    if "copy_paste" in a.only:
        need |= set(a.copy_impls)
    if "paraphrase" in a.only:
        need |= set(a.paraphrase_impls)
    gen = {
        impl: G.get(
            G.GenSpec(impl, 0.25, 2.0, **kw), cache_dir=a.cache_dir, batch_size=a.batch_size
        )
        for impl in ("ours", "builtin")
        if impl in need
    }
    unwm = []
    if need and not (set(a.only) <= {"copy_paste", "fpr"} and a.copy_negatives == "human"):
        spec = G.GenSpec("none", n_prompts=a.n_unwatermarked, new_tokens=T)
        unwm = G.get(spec, cache_dir=a.cache_dir, batch_size=a.batch_size)["ids"]
    human = G.human_chunks(tok, T, limit=a.human)
    neg_base = {"ours": human + unwm, "builtin": human[: a.human_builtin] + unwm}
    results: dict = {}

    # 1. token edits
    if "edits" in a.only:
        results["edits"] = edits_section(a, gen, neg_base, V)

    # 2. copy-paste into human text (host: two consecutive human chunks, 2T tokens)
    if "copy_paste" in a.only:
        donors = unwm
        if a.copy_negatives == "human":  # chunks after the hosts: never a host's own text
            donors = G.human_chunks(tok, T, limit=a.human + a.n_prompts)[len(human) :]
        results["copy_paste"] = copy_paste_section(a, gen, human, donors)

    # 3. paraphrase by the bundled model
    if "paraphrase" in a.only:
        results["paraphrase"] = paraphrase_section(a, gen, neg_base, tok, kw)

    # 4. empirical FPR on human text, and detection time
    if "fpr" in a.only:
        results["fpr"] = fpr_section(a, tok)

    settings = {
        "quick": a.quick,
        "full_spec": (not a.quick and a.n_prompts >= 200 and T >= 200),
        "n_prompts": a.n_prompts,
        "new_tokens": T,
        "gamma": 0.25,
        "delta": 2.0,
        "scheme": "lefthash",
        "context_width": 1,
        "alpha": ALPHA,
        "rates": list(RATES),
        "n_human": len(human),
        "n_human_builtin": min(len(human), a.human_builtin),
        "n_paraphrase": a.n_paraphrase,
        "seed": a.seed,
        "paraphrase_prompt": G.PARAPHRASE_PROMPT,
        "note": "TPR/FPR at nominal p < 1e-3 (ours exact binomial, built-in normal approximation); "
        "AUC on z (windowed, scans, oracle: -log10 p). Paraphrase negatives are unwatermarked "
        "outputs and human chunks (not paraphrased). Scan: watermark.scan_hmm (HMM span "
        "statistic, simulated null); scan_maxlr: watermark.scan (max-LR windows, simulated "
        "null); oracle: only the pasted tokens scored, uncorrected.",
        "scan_targets": SCAN_TARGETS,
        "fpr_lengths": list(FPR_LENGTHS),
        "fpr_alphas": list(FPR_ALPHAS),
    }
    if {"edits", "paraphrase"} & set(a.only):
        settings["n_unwatermarked"] = len(unwm)
    extra = {
        "copy_paste": {
            "negatives": a.copy_negatives,
            "n_negative_donors": len(donors) if "copy_paste" in a.only else None,
            "impls": list(a.copy_impls),
            "n_prompts": a.n_prompts,  # positives: one per watermarked output
            "new_tokens": T,
        }
    }
    earlier = (Path(a.results_dir) / "robustness.json").is_file()
    if earlier and not {"edits", "paraphrase"} & set(a.only):  # their sizes stay as they ran
        for k in ("n_prompts", "new_tokens", "full_spec", "quick"):
            settings.pop(k)
    out = merge_and_write(a, settings, results, time.time() - t_start, extra)
    print(f"wrote {out} in {time.time() - t_start:.0f}s")
    return read(out)["results"]


def merge_and_write(
    a, settings: dict, results: dict, wall_s: float, extra: dict | None = None
) -> Path:
    """Write the sections run now into the results file, keeping the others (and copy-paste rows
    of implementations not rerun); ``sections_run`` records when (and with what) each section
    last ran, ``earlier_machine`` the machine of the previous write."""
    path = Path(a.results_dir) / "robustness.json"
    old = read(path) if path.is_file() else {"settings": {}, "results": {}, "machine": None}
    merged = dict(old["results"])
    runs = dict(old["settings"].get("sections_run", {}))
    if "copy_paste" in results:
        new_keys = {(c["impl"], c["detection"]) for c in results["copy_paste"]}
        kept = [
            c for c in merged.get("copy_paste", []) if (c["impl"], c["detection"]) not in new_keys
        ]
        results["copy_paste"] = sorted(
            kept + results["copy_paste"],
            key=lambda c: (c["spans"], c["fraction"], c["impl"] != "ours", c["detection"]),
        )
    merged.update(results)
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for name in results:
        runs[name] = {
            "date": stamp,
            "wall_s": round(wall_s, 1),
            "quick": a.quick,
            **(extra or {}).get(name, {}),
        }
    settings = {**old["settings"], **settings, "sections_run": runs}
    if old.get("machine") and set(results) != set(SECTIONS):
        settings["earlier_machine"] = old["settings"].get("earlier_machine") or old["machine"]
    full = set(results) == set(SECTIONS)
    settings["wall_s"] = wall_s if full else old["settings"].get("wall_s", wall_s)
    out = write("robustness", settings, merged, results_dir=a.results_dir)
    plot(merged, out.with_suffix(".png"))
    return out


def edits_section(a, gen, neg_base, V) -> list[dict]:
    edits = []
    for impl in ("ours", "builtin"):
        pos_base = gen[impl]["ids"]
        p, s = scores(impl, pos_base)
        pn, sn = scores(impl, neg_base[impl])
        edits.append({"impl": impl, "attack": "none", "rate": 0.0, **summary(p, s, pn, sn)})
        for ki, kind in enumerate(("substitute", "delete", "insert")):
            for r in RATES:
                rng = np.random.default_rng([a.seed, int(r * 100), ki])
                pos = [attack(x, kind, r, rng, V) for x in pos_base]
                neg = [attack(x, kind, r, rng, V) for x in neg_base[impl]]
                p, s = scores(impl, pos)
                pn, sn = scores(impl, neg)
                edits.append({"impl": impl, "attack": kind, "rate": r, **summary(p, s, pn, sn)})
        print(
            f"edits {impl}: "
            + ", ".join(
                f"{e['attack']}{e['rate']:g}:{e['auc']:.2f}" for e in edits if e["impl"] == impl
            ),
            flush=True,
        )
    return edits


def copy_paste_section(a, gen, human, unwm) -> list[dict]:
    hosts_all = [human[i] + human[i + 1] for i in range(0, len(human) - 1, 2)]
    copy = []
    for n_spans in (1, 3):
        for frac in (0.1, 0.25):
            for impl in a.copy_impls:
                hosts = hosts_all if impl == "ours" else hosts_all[: max(1, a.human_builtin // 2)]
                rng = np.random.default_rng([a.seed, n_spans, int(frac * 100)])
                pos, pos_mask = zip(
                    *(
                        splice(hosts[i % len(hosts)], x, n_spans, frac, rng, with_mask=True)
                        for i, x in enumerate(gen[impl]["ids"])
                    )
                )
                neg, neg_mask = zip(
                    *(
                        splice(
                            hosts[i % len(hosts)],
                            unwm[i % len(unwm)],
                            n_spans,
                            frac,
                            rng,
                            with_mask=True,
                        )
                        for i in range(max(len(hosts), len(unwm)))
                    )
                )
                modes = (
                    ["whole", "windowed", *SCAN_METHODS, "oracle"] if impl == "ours" else ["whole"]
                )
                for detection in modes:
                    p, s = scores(impl, pos, detection, pos_mask)
                    pn, sn = scores(impl, neg, detection, neg_mask)
                    copy.append(
                        {
                            "impl": impl,
                            "detection": detection,
                            "spans": n_spans,
                            "fraction": frac,
                            "length": len(pos[0]),
                            **summary(p, s, pn, sn),
                        }
                    )
    print(
        "copy-paste: "
        + ", ".join(
            f"{c['impl']}-{c['detection']} k={c['spans']} f={c['fraction']}: "
            f"TPR={c['tpr@1e-3']:.3f}"
            for c in copy
        ),
        flush=True,
    )
    return copy


def paraphrase_section(a, gen, neg_base, tok, kw) -> list[dict]:
    para = []
    for impl in a.paraphrase_impls:
        spec = G.GenSpec(impl, 0.25, 2.0, **kw)
        pd = G.get_paraphrases(spec, a.n_paraphrase, cache_dir=a.cache_dir, batch_size=a.batch_size)
        ids = [tok(t, add_special_tokens=False)["input_ids"] for t in pd["texts"]]
        ids = [x for x in ids if len(x) > 4]
        p, s = scores(impl, ids)
        pn, sn = scores(impl, neg_base[impl])
        p0, s0 = scores(impl, gen[impl]["ids"][: a.n_paraphrase])
        para.append(
            {
                "impl": impl,
                "n": len(ids),
                "mean_tokens": float(np.mean([len(x) for x in ids])),
                "tpr@1e-3_before": rate(p0, ALPHA),
                "auc_before": auc(s0, sn),
                "z_median_before": float(np.median(s0)),
                "z_median_after": float(np.median(s)),
                **summary(p, s, pn, sn),
                "paraphrase_seconds": pd.get("seconds"),
                "example": {
                    "original": pd["originals"][0][:400],
                    "paraphrase": pd["texts"][0][:400],
                },
            }
        )
    print(
        "paraphrase: "
        + ", ".join(
            f"{r['impl']}: TPR {r['tpr@1e-3_before']:.2f}->{r['tpr@1e-3']:.2f}, AUC {r['auc']:.2f}"
            for r in para
        ),
        flush=True,
    )
    return para


def fpr_keys() -> list:
    """The benchmark key, then FPR_KEYS - 1 more derived from a public label."""
    import hashlib

    from watermark import WatermarkKey

    extra = [
        WatermarkKey.from_hex(hashlib.sha256(f"genai-provenance fpr key {i}".encode()).hexdigest())
        for i in range(1, FPR_KEYS)
    ]
    return [G.key(), *extra]


def _fpr_row(length, detection: str, alpha: float, k: int, n: int) -> dict:
    """One row of the fpr section: k false positives among n trials, with a Wilson interval."""
    return {
        "length": length,
        "detection": detection,
        "alpha": alpha,
        "n": n,
        "false_positives": k,
        "fpr": k / n,
        "ci95": wilson(k, n),
    }


def fpr_section(a, tok) -> dict:
    """Empirical FPR on human chunks (p <= alpha) per length and pooled over FPR_KEYS keys (a
    trial: one text under one key; pydoc topics repeat some passages, so one key alone
    counts a chance green cluster in a repeated passage several times), and ms per 1,000 ids."""
    from watermark import WatermarkDetector

    rows = []
    pooled: dict = {}
    dets = [WatermarkDetector(tok, G.our_config(0.25, 2.0), k) for k in fpr_keys()]
    n_texts = {}
    for L in FPR_LENGTHS:
        texts = [np.asarray(x, dtype=np.int64) for x in G.human_chunks(tok, L, limit=a.fpr_texts)]
        n_texts[L] = len(texts)
        for detection in ("whole", "windowed", *SCAN_METHODS):
            p = np.concatenate(
                [
                    [r.p_value for r in d.detect_batch(texts)]
                    if detection == "whole"
                    else [
                        (
                            d.detect_spans(x)
                            if detection == "windowed"
                            else d.detect_scan(x, method=SCAN_METHODS[detection])
                        ).p_value
                        for x in texts
                    ]
                    for d in dets
                ]
            )
            pooled.setdefault(detection, []).append(p)
            for alpha in FPR_ALPHAS:
                k = int((p <= alpha).sum())
                rows.append(_fpr_row(L, detection, alpha, k, int(p.size)))
    for detection, ps in pooled.items():
        p = np.concatenate(ps)
        for alpha in FPR_ALPHAS:
            k = int((p <= alpha).sum())
            rows.append(_fpr_row("all", detection, alpha, k, int(p.size)))
    det = G.our_detector(0.25)
    long_ids = np.asarray(G.human_chunks(tok, 1000, limit=1)[0], dtype=np.int64)
    for method in SCAN_METHODS.values():  # compile and load the tables before timing
        det.detect_scan(long_ids, method=method)
    timing = {
        name: 1e3 * median_time(fn, repeat=30)
        for name, fn in (
            ("whole", lambda: det.detect(long_ids)),
            ("windowed", lambda: det.detect_spans(long_ids)),
            ("scan", lambda: det.detect_scan(long_ids)),
            ("scan_maxlr", lambda: det.detect_scan(long_ids, method="maxlr")),
        )
    }
    print(
        "fpr (all lengths): "
        + ", ".join(
            f"{r['detection']}@{r['alpha']:g}={r['fpr']:.4f} ({r['n']})"
            for r in rows
            if r["length"] == "all"
        )
        + "; ms/1000 tokens: "
        + ", ".join(f"{k} {v:.2f}" for k, v in timing.items()),
        flush=True,
    )
    return {
        "rows": rows,
        "keys": len(dets),
        "texts_per_length": n_texts,
        "ms_per_1000_tokens": timing,
        "timing_tokens": int(long_ids.size),
    }


SHORT = {"scan": "hmm", "scan_maxlr": "mlr"}  # plot labels


def plot(res, path: Path) -> None:
    plt = pyplot()

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    for ax, metric in zip(axes[:2], ("auc", "tpr@1e-3")):
        for impl, ls in (("ours", "-"), ("builtin", "--")):
            for kind in ("substitute", "delete", "insert"):
                rs = [
                    e
                    for e in res.get("edits", [])
                    if e["impl"] == impl and e["attack"] in (kind, "none")
                ]
                rs.sort(key=lambda e: e["rate"])
                ax.plot(
                    [e["rate"] for e in rs],
                    [e[metric] for e in rs],
                    ls=ls,
                    marker="o",
                    label=f"{impl} {kind}",
                )
        ax.set_xlabel("fraction of tokens edited")
        ax.set_ylabel(metric)
        ax.set_ylim(-0.03, 1.03)
        ax.grid(alpha=0.3)
        ax.set_title(f"Token edits: {metric}")
    axes[0].legend(fontsize=7)
    ax = axes[2]
    labels = [
        f"{c['impl'][:4]}-{SHORT.get(c['detection'], c['detection'][:3])} k={c['spans']} "
        f"{int(c['fraction'] * 100)}%"
        for c in res.get("copy_paste", [])
    ]
    labels += [f"paraphrase {r['impl']}" for r in res.get("paraphrase", [])]
    vals = [c["tpr@1e-3"] for c in res.get("copy_paste", [])] + [
        r["tpr@1e-3"] for r in res.get("paraphrase", [])
    ]
    aucs = [c["auc"] for c in res.get("copy_paste", [])] + [
        r["auc"] for r in res.get("paraphrase", [])
    ]
    y = np.arange(len(vals))
    ax.barh(y - 0.2, vals, 0.4, label="TPR@1e-3")
    ax.barh(y + 0.2, [v if v is not None else 0 for v in aucs], 0.4, label="AUC")
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=7)
    ax.set_xlim(0, 1.02)
    ax.legend(fontsize=7)
    ax.set_title("Copy-paste and paraphrase")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
