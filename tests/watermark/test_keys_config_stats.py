"""Keys, config round-trip, and the binomial tail."""

import json
import os
import stat

import numpy as np
import pytest
from scipy import stats as sps

from watermark import KeyRing, WatermarkConfig, WatermarkError, WatermarkKey, load_key
from watermark.stats import binomial_sf, bonferroni


def test_key_file_roundtrip_private_and_no_overwrite(tmp_path):
    k = WatermarkKey.generate()
    p = k.save(tmp_path / "wm.key")
    assert stat.S_IMODE(os.stat(p).st_mode) == 0o600
    assert WatermarkKey.from_file(p) == k and load_key(str(p)) == k
    with pytest.raises(WatermarkError, match="overwrite"):
        k.save(p)
    assert k.key_id not in k.secret.hex() and len(k.key_id) == 16
    assert k.secret.hex() not in repr(k)


def test_key_from_env_and_errors(monkeypatch, tmp_path):
    k = WatermarkKey.generate()
    monkeypatch.setenv("GENAI_WATERMARK_KEY", k.secret.hex())
    assert load_key(None) == k
    monkeypatch.setenv("MY_KEY", k.secret.hex())
    assert load_key("env:MY_KEY") == k
    monkeypatch.delenv("GENAI_WATERMARK_KEY")
    with pytest.raises(WatermarkError, match="keygen"):
        load_key(None)
    with pytest.raises(WatermarkError, match="at least 16"):
        WatermarkKey(b"short")
    bad = tmp_path / "bad.key"
    bad.write_text("not hex at all\n")
    with pytest.raises(WatermarkError, match="not hex"):
        WatermarkKey.from_file(bad)
    with pytest.raises(WatermarkError, match="does not exist"):
        WatermarkKey.from_file(tmp_path / "missing.key")


def test_key_ring_rejects_duplicates():
    k = WatermarkKey.generate()
    with pytest.raises(WatermarkError, match="twice"):
        KeyRing.of([k, k])
    assert KeyRing.of([k, WatermarkKey.generate()]).find(k.key_id) == k


def test_config_json_roundtrip_never_holds_key(tokenizer, tmp_path):
    k = WatermarkKey.generate()
    cfg = WatermarkConfig(gamma=0.5, delta=4.0, context_width=4, scheme="selfhash", hard=True).bind(
        key=k, tokenizer=tokenizer
    )
    assert WatermarkConfig.from_json(cfg.to_json()) == cfg
    assert WatermarkConfig.load(cfg.save(tmp_path / "c.json")) == cfg
    text = cfg.to_json()
    assert k.secret.hex() not in text
    d = json.loads(text)
    assert (
        d["vocab_size"] == len(tokenizer) == 49152
        and d["key_id"] == k.key_id
        and d["scheme_version"] == 1
    )


@pytest.mark.parametrize(
    "kwargs,match",
    [
        (dict(gamma=0), "gamma"),
        (dict(gamma=1.5), "gamma"),
        (dict(delta=-1), "delta"),
        (dict(context_width=0), "context_width"),
        (dict(scheme="nope"), "scheme"),
        (dict(scheme_version=99), "scheme_version"),
    ],
)
def test_config_validation_names_the_argument(kwargs, match):
    with pytest.raises(WatermarkError, match=match):
        WatermarkConfig(**kwargs)


def test_config_rejects_unknown_fields_and_bad_json():
    with pytest.raises(WatermarkError, match="unknown"):
        WatermarkConfig.from_dict({"gamma": 0.25, "secret": "x"})
    with pytest.raises(WatermarkError, match="JSON"):
        WatermarkConfig.from_json("{nope")


def test_binomial_sf_matches_scipy_and_edges():
    n = np.arange(1, 300)
    for p in (0.1, 0.25, 0.5):
        k = (n * p + 2 * np.sqrt(n)).astype(int)
        assert np.allclose(binomial_sf(k, n, p), sps.binom.sf(k - 1, n, p), rtol=1e-9, atol=1e-300)
    assert binomial_sf(0, 10, 0.25) == 1.0
    assert binomial_sf(11, 10, 0.25) == 0.0
    assert binomial_sf(10, 10, 0.25) == pytest.approx(0.25**10)
    assert bonferroni(0.3, 5) == 1.0 and bonferroni(1e-6, 5) == pytest.approx(5e-6)
