"""Dispersion conventions of the peers (issue 16): tlda's published example, Wordless' formulas, Gries (2008).

Sources read (file and commit):
- tlda (Sönning), github.com/lsoenning/tlda at bad3a6dfedc17aaea43c5582b80488fd15faba6b: ``R/disp.R``
  (``calculate_dispersion``), ``R/disp_DP.R`` (formulas ``egbert_etal_2020`` (default),
  ``gries_2008``, ``lijffit_gries_2012``) and ``README.md`` (Lyne 1985's ALLEMAND, printed output).
- Wordless, github.com/BLKSerene/Wordless at c03b2f4bc58a6813d804c17c65db7badbd9d8464:
  ``wordless/wl_measures/wl_measures_dispersion.py`` (``juillands_d``, ``carrolls_d2``, ``griess_dp``,
  ``rosengrens_s``), ``wl_measures_adjusted_freq.py`` (``rosengrens_kf``) and
  ``wl_settings/wl_settings_default.py`` (5 sub-sections, ``apply_normalization: True``).
"""
import math

import numpy as np
import pytest

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.partitions import SplitTokens
from discourse.stats.dispersion import dispersion_measures

# tlda README: Lyne (1985), ALLEMAND in the ten Tenths of his corpus of French business letters
LYNE_V = [2, 0, 1, 1, 3, 0, 3, 0, 0, 0]
LYNE_SIZES = [8143, 8058, 8271, 8125, 7959, 7941, 8146, 8001, 8003, 7930]
# disp(x, y, directionality = "conventional") and "gries", as printed in tlda's README.md. Its DP is
# Gries' (2008) unnormalised DP: R/disp.R divides by sum(W) - min(W[T > 0], fill = 0), and R's min()
# takes fill = 0 as one more value (min(..., 0) = 0), so the Egbert et al. factor is 1 there; the
# normalised forms are disp_DP()'s (R/disp_DP.R), tested below from its formulas.
TLDA_CONVENTIONAL = {"range_prop": 0.5000000, "juilland_d": 0.6038797, "carroll_d2": 0.6521444,
                     "rosengren_s": 0.4763652, "dp": 0.5009295}
TLDA_GRIES = {"range_prop": 0.5000000, "juilland_d": 0.3961203, "carroll_d2": 0.3478556,
              "rosengren_s": 0.5236348, "dp": 0.4990705}

# Gries (2008: 410): five parts of 9, 10, 10, 10 and 11 words
GRIES_PARTS = ["b a m n i b e u p", "b a s a t b e w q n", "b c a g a b e s t a", "b a g h a b e a a t",
               "b a h a a b e a x a t"]


def _lyne(tokens_per_part=None):
    """Lyne's counts as a Tokens corpus: part i holds ALLEMAND v_i times and filler to its size."""
    sizes = tokens_per_part or LYNE_SIZES
    texts = [" ".join(["allemand"] * v + ["w"] * (n - v)) for v, n in zip(LYNE_V, sizes)]
    return dc.tokenize(texts)


def test_tlda_published_example_both_directions():
    v = np.array(LYNE_V, float)[:, None]
    even = dispersion_measures(v, LYNE_SIZES, dp_norm="occupied", direction="evenness")
    uneven = dispersion_measures(v, LYNE_SIZES, dp_norm="occupied", direction="unevenness")
    for got, printed in ((even, TLDA_CONVENTIONAL), (uneven, TLDA_GRIES)):
        for name, value in printed.items():
            assert got[name][0] == pytest.approx(value, abs=5e-8), name  # printed to 7 decimals
    # disp_DP(x, y) (formula = "egbert_etal_2020", directionality = "conventional")
    assert even["dp_norm"][0] == pytest.approx(1 - _tlda_dp(LYNE_V, LYNE_SIZES, "egbert_etal_2020"), abs=1e-12)


def test_tlda_example_through_dispersion_on_a_corpus_and_its_partitions():
    tokens = _lyne()
    whole = dc.dispersion(tokens, terms=["allemand"], dp_norm="occupied", direction="evenness")
    row = whole.iloc[0]
    for name, value in TLDA_CONVENTIONAL.items():
        assert row[name] == pytest.approx(value, abs=5e-8), name
    for n in (2, 3):
        split = dc.dispersion(SplitTokens(tokens, n), terms=["allemand"], dp_norm="occupied", direction="evenness")
        for name in TLDA_CONVENTIONAL:
            assert split.iloc[0][name] == pytest.approx(row[name], rel=1e-12), name


def _tlda_dp(v, sizes, formula):
    """tlda's disp_DP (R/disp_DP.R), "gries" directionality (0 = even), transcribed."""
    w = np.asarray(sizes, float) / sum(sizes)
    t = np.asarray(v, float) / sum(v)
    dev = np.abs(t - w).sum() / 2
    return {"gries_2008": dev, "lijffit_gries_2012": dev / (1 - w.min()),
            "egbert_etal_2020": dev / (1 - w[t > 0].min())}[formula]


@pytest.mark.parametrize("term", ["a", "b", "x", "t"])
def test_dp_forms_on_gries_toy_corpus(term):
    toy = dc.tokenize(GRIES_PARTS)
    v = toy.dtm[:, toy.term_id(term)].toarray().ravel()
    sizes = toy.doc_lengths
    for dp_norm, formula in (("min_part", "lijffit_gries_2012"), ("occupied", "egbert_etal_2020")):
        d = dc.dispersion(toy, terms=[term], dp_norm=dp_norm).iloc[0]
        assert d["dp"] == pytest.approx(_tlda_dp(v, sizes, "gries_2008"), abs=1e-12)
        assert d["dp_norm"] == pytest.approx(_tlda_dp(v, sizes, formula), abs=1e-12), dp_norm
    if term == "a":  # Gries (2008): DP of "a" = 0.18; it occurs in every part, so both norms agree
        assert d["dp"] == pytest.approx(0.18)
        assert d["dp_norm"] == pytest.approx(0.18 / (1 - 9 / 50))
    if term == "x":  # only in the last part (11 of 50 tokens): Egbert et al. divide by 1 - 11/50
        assert d["dp_norm"] == pytest.approx(_tlda_dp(v, sizes, "gries_2008") / (1 - 11 / 50))


# --- Wordless' functions, transcribed from wl_measures_dispersion.py (commit c03b2f4) ----------------
def _wordless(freqs):
    freqs = np.array(freqs, dtype=float)
    total, n = freqs.sum(), len(freqs)
    d = max(0, 1 - (np.std(freqs) / np.mean(freqs)) / np.sqrt(n - 1))
    h = np.log(total) - np.sum(freqs * np.log(freqs, out=np.zeros_like(freqs), where=freqs != 0)) / total
    d2 = h / np.log(n)
    s = (np.sum(np.sqrt(freqs)) ** 2 / n) / total  # rosengrens_kf / F
    dp = np.sum(np.abs(freqs / total - 1 / n)) / 2 / (1 - 1 / n)  # apply_normalization = True
    return {"juilland_d": d, "carroll_d2": d2, "rosengren_s": s, "dp_norm": dp}


def test_wordless_preset_reproduces_its_functions_on_five_equal_sections():
    # Wordless divides the text into 5 sub-sections (its default): 50 tokens in chunks of 10
    tokens = dc.tokenize([" ".join(GRIES_PARTS)])  # Gries' 50 tokens as one text
    assert tokens.n_tokens == 50
    d = dc.dispersion(tokens, parts=10, compat="wordless").set_index("term")
    assert d.attrs["params"]["compat"] == {"tool": "wordless", "options": {"part_sizes": "equal", "sd": "population",
                                                                 "clamp_d": True, "dp_norm": "equal_parts"}}
    ids = tokens.ids
    for term in ("a", "b", "e", "t", "x"):
        freqs = np.bincount(np.arange(50) // 10, weights=ids == tokens.term_id(term), minlength=5)
        for name, value in _wordless(freqs).items():
            assert d.loc[term, name] == pytest.approx(value, abs=1e-12), (term, name)


def test_equal_part_forms_on_raw_counts_by_hand():
    toy = dc.tokenize(GRIES_PARTS)  # unequal parts: the equal-part forms differ from the relative ones
    d = dc.dispersion(toy, part_sizes="equal", sd="sample").set_index("term")
    for term in ("a", "t", "x"):
        v = toy.dtm[:, toy.term_id(term)].toarray().ravel().astype(float)
        n, f = len(v), v.sum()
        q = v[v > 0] / f
        assert d.loc[term, "juilland_d"] == pytest.approx(1 - np.std(v, ddof=1) / v.mean() / math.sqrt(n - 1))
        assert d.loc[term, "carroll_d2"] == pytest.approx(-(q * np.log2(q)).sum() / math.log2(n))
        assert d.loc[term, "rosengren_s"] == pytest.approx(np.sqrt(v).sum() ** 2 / (n * f))  # Rosengren 1971
        assert d.loc[term, "dp"] == pytest.approx(0.5 * np.abs(v / f - 1 / n).sum())
    # with parts of equal size the two forms coincide
    equal_sized = dc.tokenize([" ".join(GRIES_PARTS)])
    a = dc.dispersion(equal_sized, parts=10)
    b = dc.dispersion(equal_sized, parts=10, part_sizes="equal")
    cols = ["juilland_d", "carroll_d2", "rosengren_s", "dp", "dp_norm"]
    np.testing.assert_allclose(a[cols].to_numpy(), b[cols].to_numpy(), rtol=1e-12)


def test_clamp_of_juilland_d_at_zero():
    # all five occurrences in one of five equal parts: the sample SD gives D = 1 - sqrt(5)/2 < 0
    counts = np.array([[5.0], [0], [0], [0], [0]])
    raw = dispersion_measures(counts, [10] * 5, sd="sample")["juilland_d"][0]
    assert raw == pytest.approx(1 - math.sqrt(5) / 2)
    assert dispersion_measures(counts, [10] * 5, sd="sample", clamp_d=True)["juilland_d"][0] == 0.0
    assert dispersion_measures(counts, [10] * 5, sd="population")["juilland_d"][0] == pytest.approx(0, abs=1e-12)


@pytest.fixture(scope="module")
def news():
    sc = make_news_corpus(30_000, n_outlets=3, seed=5)
    return dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))


@pytest.mark.parametrize("options", [
    dict(part_sizes="equal"), dict(dp_norm="occupied"), dict(part_sizes="equal", dp_norm="occupied", sd="sample",
                                                            clamp_d=True, direction="unevenness"),
    dict(compat="wordless"), dict(compat="wordsmith", direction="evenness")])
def test_partitions_equal_the_whole_matrix(news, options):
    """Documents as parts: the partitioned sums against dispersion_measures on each outlet's DTM rows."""
    d = dc.dispersion(SplitTokens(news, 4), by="outlet", **options)
    whole = dc.dispersion(news, by="outlet", **options)
    assert d.attrs == whole.attrs
    conv = {k: v for k, v in options.items() if k != "compat"}
    conv.update((d.attrs["params"]["compat"] or {}).get("options", {}))
    outlets = news.metadata["outlet"].to_numpy()
    for outlet in sorted(set(outlets)):
        docs = np.flatnonzero(outlets == outlet)
        m = dispersion_measures(news.dtm[docs], news.doc_lengths[docs], **conv)
        got = d[d.group == outlet]
        ids = news.vocab.get_indexer(got["term"])
        for col in ("juilland_d", "carroll_d2", "rosengren_s", "dp", "dp_norm"):
            np.testing.assert_allclose(got[col].to_numpy(), m[col][ids], rtol=1e-12, atol=1e-15, err_msg=col)
            np.testing.assert_allclose(whole[whole.group == outlet][col].to_numpy(), got[col].to_numpy(),
                                       rtol=1e-12, atol=1e-15, err_msg=col)


def test_chunks_and_columns_take_the_options(news):
    for parts in (500, "date"):
        split = dc.dispersion(SplitTokens(news, 3), parts=parts, part_sizes="equal", dp_norm="occupied")
        whole = dc.dispersion(news, parts=parts, part_sizes="equal", dp_norm="occupied")
        np.testing.assert_allclose(split["dp_norm"].to_numpy(), whole["dp_norm"].to_numpy(), rtol=1e-12)


def test_presets_without_dispersion_conventions_change_nothing(news):
    base = dc.dispersion(news, by="outlet")
    for tool in ("quanteda", "cqpweb", "sketchengine"):
        d = dc.dispersion(news, by="outlet", compat=tool)
        assert d.attrs["params"]["compat"] == {"tool": tool, "options": {}}
        np.testing.assert_array_equal(d["dp"].to_numpy(), base["dp"].to_numpy())
    # an explicit option wins over the preset
    d = dc.dispersion(news, by="outlet", compat="wordless", clamp_d=False)
    assert d.attrs["clamp_d"] is False and "clamp_d" not in d.attrs["params"]["compat"]["options"]
    with pytest.raises(ValueError, match="part_sizes must be one of"):
        dc.dispersion(news, part_sizes="raw")
    with pytest.raises(ValueError, match="compat must be one of"):
        dc.dispersion(news, compat="antconc")


def test_methods_paragraph_names_the_conventions():
    from discourse.methods import methods_paragraph

    toy = dc.tokenize(GRIES_PARTS)
    text, keys = methods_paragraph([dc.dispersion(toy, compat="wordless", dp_norm="occupied")])
    assert "on raw counts" in text and "negative values set to 0" in text and "Egbert, Burch & Biber 2020" in text
    assert "following the conventions of Wordless" in text and any(r.startswith("Egbert, J.") for r in keys)
    plain, _ = methods_paragraph([dc.dispersion(toy)])
    assert "compat" not in plain and "Lijffijt & Gries 2012" in plain



def test_conventions_on_an_on_disk_store(tmp_path):
    """The presets and new options give the in-memory table on a partitioned on-disk store (both verbs)."""
    import warnings

    corpus = dc.Corpus.from_records(make_news_corpus(8_000, n_outlets=3, seed=2).records)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tokens = dc.tokenize(dc.clean(corpus))
        store = dc.build_store(corpus, tmp_path / "c.store", partition_docs=4)
    assert store.n_partitions > 1
    runs = [(dc.dispersion, (), dict(by="outlet", compat="wordless", dp_norm="occupied")),
            (dc.dispersion, (), dict(parts=300, part_sizes="equal", direction="unevenness")),
            (dc.collocates, (["the", "of"],), dict(by="outlet", compat="cqpweb", min_freq=1, min_coll_freq=1)),
            (dc.collocates, (["the", "of"],), dict(count="pairs_scaled", expected="node", left=0, right=3,
                                                   measure="z_berry_rogghe", min_freq=1, min_coll_freq=1))]
    for verb, args, kw in runs:
        whole, disk = verb(tokens, *args, **kw), verb(store, *args, **kw)
        assert list(disk.columns) == list(whole.columns) and len(disk) == len(whole) > 0
        assert disk.attrs["params"]["compat"] == whole.attrs["params"]["compat"]
        floats = [c for c in whole.columns if whole[c].dtype.kind == "f"]
        np.testing.assert_allclose(disk[floats].to_numpy(), whole[floats].to_numpy(), rtol=1e-12, atol=1e-15)
