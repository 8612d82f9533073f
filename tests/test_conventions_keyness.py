"""Peers' keyness conventions (issue 16) against the peers themselves, scipy/statsmodels, and worked examples.

Peer numbers in ``tests/data/peers/`` come from real runs (scripts beside them): R 4.2.2's
``fisher.test`` and quanteda.textstats 0.97.3's ``src/keyness.cpp`` (commit
9fc27080decb093d45aeb018255c1528da9780a4) compiled with Rcpp; the tests need neither.
"""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats.contingency import odds_ratio
from statsmodels.stats.multitest import multipletests

import discourse as dc
from discourse import compat
from discourse.stats.association import keyness_measures
from discourse.stats.exact import conditional_odds_ratio, fisher_exact_p
from discourse.stats.multiple import adjust_pvalues

PEERS = Path(__file__).parent / "data" / "peers"
QUANTEDA = pd.read_csv(PEERS / "quanteda_keyness.csv", comment="#")
COUNTS = pd.read_csv(PEERS / "quanteda_counts.csv")
N_T, N_R = COUNTS.target.sum(), COUNTS.reference.sum()
QUANTEDA_OPTIONS = {k: v for k, v in compat.PRESETS["keyness"]["quanteda"].items()
                    if k not in ("keep", "correction")}


def _quanteda(**over):
    return keyness_measures(COUNTS.target.to_numpy(), COUNTS.reference.to_numpy(), N_T, N_R,
                            **{**QUANTEDA_OPTIONS, **over})


def _tokens(counts: pd.DataFrame, extra=()):
    """Two outlets (two documents each) whose word counts are ``counts``' target and reference columns."""
    records = list(extra)
    for side in ("target", "reference"):
        words = [w for w, n in zip(counts.feature, counts[side]) for _ in range(n)]
        half = len(words) // 2
        for i, chunk in enumerate((words[:half], words[half:])):
            records.append({"text": " ".join(chunk), "outlet": side, "title": f"{side} {i}", "date": "2024-01-01"})
    return dc.tokenize(dc.Corpus.from_records(records))


@pytest.fixture(scope="module")
def tiny():
    return _tokens(COUNTS)


def _by_term(frame):
    return frame.set_index("term").loc[COUNTS.feature]


# --- quanteda.textstats textstat_keyness, against the peer's own C++ ------------------------------------------

@pytest.mark.parametrize("column, stat, over", [
    ("chi2_yates", "chi2_default", {}),                       # measure="chi2", correction="default" (Yates rule)
    ("chi2_williams", "chi2_williams", {}),                   # correction="williams": chi2 * q
    ("chi2", "chi2_none", {}),                                # correction="none"
    ("log_likelihood", "lr_default", {}),                     # measure="lr": Yates shift, +1e-9 in the log
    ("log_likelihood", "lr_williams", {"ll_correction": "williams"}),
    ("log_likelihood", "lr_none", {"ll_correction": "none"}),
    ("pmi", "pmi_default", {}),
])
def test_quanteda_statistics_match_its_cpp(column, stat, over):
    ours = _quanteda(**over)[column]
    np.testing.assert_allclose(ours, QUANTEDA[stat], rtol=1e-12, atol=1e-15)
    assert np.array_equal(np.signbit(ours), np.signbit(QUANTEDA[stat].to_numpy()))  # -0 for equal rates too


@pytest.mark.parametrize("test, stat", [("chi2_yates", "chi2_default"), ("chi2_williams", "chi2_williams"),
                                        ("chi2", "chi2_none"), ("log_likelihood", "lr_default"),
                                        ("pmi", "pmi_default")])
def test_quanteda_p_values_are_one_minus_pchisq(test, stat):
    np.testing.assert_allclose(_quanteda(test=test)["p_value"], QUANTEDA[f"p_{stat}"], rtol=1e-12, atol=1e-300)


def test_quanteda_exact_is_rs_fisher_test():
    m = _quanteda(test="fisher")
    np.testing.assert_allclose(m["odds_ratio"], QUANTEDA["exact"], rtol=1e-12)
    np.testing.assert_allclose(m["p_value"], QUANTEDA["p_exact"], rtol=1e-12)


def test_quanteda_departures_from_the_textbook_are_visible():
    m, textbook = _quanteda(), keyness_measures(COUNTS.target.to_numpy(), COUNTS.reference.to_numpy(), N_T, N_R,
                                                ll_cells="dunning", williams="divide", yates="never")
    with np.errstate(invalid="ignore"):
        q = m["chi2_williams"] / m["chi2"]  # quanteda multiplies by q where the textbook divides
    positive = (COUNTS.target * COUNTS.reference > 0).to_numpy() & (m["chi2"] != 0)
    np.testing.assert_allclose(textbook["chi2_williams"][positive] * q[positive] ** 2,
                               np.abs(m["chi2_williams"][positive]), rtol=1e-12)
    equal = COUNTS.feature.isin(["charlie", "juliet", "kilo"]).to_numpy()
    assert np.all(m["log_likelihood"][equal] < 0) and np.all(textbook["log_likelihood"][equal] == 0)


def test_quanteda_preset_reproduces_textstat_keyness(tiny):
    out = _by_term(dc.keyness(tiny, target="target", compat="quanteda", text_tests=()))
    assert len(out) == len(COUNTS)  # keep="all", as textstat_keyness lists every feature
    np.testing.assert_allclose(out["chi2_yates"], QUANTEDA["chi2_default"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(out["p_value"], QUANTEDA["p_chi2_default"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(out["log_likelihood"], QUANTEDA["lr_default"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(out["odds_ratio"], QUANTEDA["exact"].to_numpy(), rtol=1e-12)
    assert (out.loc[["charlie", "juliet", "kilo"], "direction"] == "equal").all()
    assert np.all(out["p_adjusted"] == out["p_value"])  # correction="none"
    record = out.attrs["params"]["compat"]
    assert record["tool"] == "quanteda" and record["options"]["yates"] == "quanteda"
    explicit = dc.keyness(tiny, target="target", compat="quanteda", text_tests=(), ll_correction="williams")
    assert "ll_correction" not in explicit.attrs["params"]["compat"]["options"]
    np.testing.assert_allclose(_by_term(explicit)["log_likelihood"], QUANTEDA["lr_williams"].to_numpy(), rtol=1e-12)


# --- odds ratio: conditional MLE, Fisher's p --------------------------------------------------------------------

def _random_tables(n=400, seed=3):
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 40, size=(n, 4))
    t[rng.random(n) < 0.25, 0] = 0
    t[rng.random(n) < 0.2, 1] = 0
    extra = [(5, 0, 3, 7), (0, 5, 3, 7), (1, 1000, 3, 100_000), (20, 3000, 40, 2_000_000), (0, 0, 3, 4)]
    return np.vstack([t, extra]).astype(float)


def test_conditional_odds_ratio_matches_scipy_on_many_tables_with_zeros():
    t = _random_tables()
    ours = conditional_odds_ratio(*t.T)
    ref = np.array([odds_ratio(row.astype(int).reshape(2, 2), kind="conditional").statistic for row in t])
    finite = np.isfinite(ref)
    np.testing.assert_allclose(ours[finite], ref[finite], rtol=1e-9)
    assert np.array_equal(ours[~finite], ref[~finite], equal_nan=True)  # inf at the end of the support, NaN if single
    assert (ours == 0).sum() > 10 and np.isinf(ours).sum() > 10


def test_fisher_p_matches_scipy():
    t = _random_tables()
    ref = np.array([stats.fisher_exact(row.reshape(2, 2))[1] for row in t])
    np.testing.assert_allclose(fisher_exact_p(*t.T), ref, rtol=1e-9)


def test_r_estimate_and_p_against_a_real_fisher_test_run():
    r = pd.read_csv(PEERS / "fisher_r.csv", comment="#")
    cells = [r[k].to_numpy(float) for k in "abcd"]
    np.testing.assert_allclose(fisher_exact_p(*cells), r.p, rtol=1e-12)
    est = conditional_odds_ratio(*cells, method="r")
    close = np.isclose(est, r.estimate, rtol=1e-12) | (est == r.estimate)
    # one table in 20 stops uniroot one step elsewhere (R's dhyper log density differs in the last bits)
    assert close.sum() >= len(r) - 1
    np.testing.assert_allclose(est, r.estimate, rtol=2e-4)
    exact = conditional_odds_ratio(*cells)  # the exact root is within uniroot's tolerance of R's
    finite = np.isfinite(exact) & (exact > 0)
    np.testing.assert_allclose(exact[finite], r.estimate[finite], rtol=2e-4)
    assert np.max(np.abs(exact[finite] / r.estimate[finite] - 1)) > 1e-6


def test_odds_ratio_option_in_keyness_measures():
    a, b, n_a, n_b = np.array([3.0, 0, 12]), np.array([1.0, 4, 3]), 1000, 2000
    m = keyness_measures(a, b, n_a, n_b, odds_ratio="conditional")
    ref = [odds_ratio(np.array([[x, n_a - x], [y, n_b - y]], dtype=int), kind="conditional").statistic
           for x, y in zip(a, b)]
    np.testing.assert_allclose(m["odds_ratio"], ref, rtol=1e-9)
    assert keyness_measures(a, b, n_a, n_b)["odds_ratio"][1] == pytest.approx((0.5 / 999.5) / (4 / 1996))


# --- Log Ratio, %DIFF, undefined cases ---------------------------------------------------------------------------

def test_log_ratio_walter_hardie_and_unsmoothed():
    a, b, n_a, n_b = np.array([7.0, 0, 5]), np.array([2.0, 3, 0]), 10_000, 30_000
    walter = keyness_measures(a, b, n_a, n_b, zero="walter")["log_ratio"]
    # Evert's corpora, .LogRatio: log2((f1 + 0.5)/(N1 + 0.5)) - log2((f2 + 0.5)/(N2 + 0.5))
    np.testing.assert_allclose(walter, np.log2((a + 0.5) / (n_a + 0.5)) - np.log2((b + 0.5) / (n_b + 0.5)))
    hardie = keyness_measures(a, b, n_a, n_b)["log_ratio"]
    np.testing.assert_allclose(hardie, np.log2((np.where(a == 0, .5, a) / n_a) / (np.where(b == 0, .5, b) / n_b)))
    plain = keyness_measures(a, b, n_a, n_b, zero="none")["log_ratio"]
    assert plain[0] == pytest.approx(np.log2(7 / 10_000 / (2 / 30_000))) and plain[1] == -np.inf and plain[2] == np.inf


def test_percent_diff_per_token_and_per_million():
    a, b, n_a, n_b = np.array([4.0, 6]), np.array([0.0, 3]), 2_000, 5_000
    per_million = keyness_measures(a, b, n_a, n_b)["percent_diff"]
    per_token = keyness_measures(a, b, n_a, n_b, pct_diff_scale="per_token")["percent_diff"]
    # KeynessMeasures perc_diff_calculator: ((nf1 - nf2) * 100) / 1e-18 with per-token nf when nf2 == 0
    assert per_token[0] == (4 / 2_000 - 0) * 100 / 1e-18
    assert per_million[0] == pytest.approx((4 / 2_000 * 1e6 - 1e-18) / 1e-18 * 100, rel=1e-15)
    assert per_million[0] / per_token[0] == pytest.approx(1e6)
    assert per_token[1] == pytest.approx(per_million[1]) == pytest.approx(100 * (6 / 2_000 - 3 / 5_000) / (3 / 5_000))


def test_undefined_cases():
    a, b, n_a, n_b = np.array([0.0, 2]), np.array([0.0, 0]), 100, 400
    nan = keyness_measures(a, b, n_a, n_b)
    assert all(np.isnan(v[0]) for v in nan.values())
    zero = keyness_measures(a, b, n_a, n_b, undefined="zero")
    assert zero["p_value"][0] == 1 and all(v[0] == 0 for k, v in zero.items() if k != "p_value")
    f = {k: v[0] for k, v in keyness_measures(a, b, n_a, n_b, undefined="formula").items()}
    assert f["log_likelihood"] == 0 and f["p_value"] == 1 and f["chi2"] == 0 and f["chi2_yates"] == 0
    assert f["bic"] == pytest.approx(-np.log(500)) and f["simple_maths"] == 1
    assert f["log_ratio"] == pytest.approx(np.log2(400 / 100)) and f["percent_diff"] == -100
    assert np.isfinite(f["log_odds_dirichlet"]) and f["ell"] == 0
    assert np.isnan(f["pmi"])
    # ELL as computed (UCREL wizard) when E_min <= 1: here E_a = 0.4
    ell = keyness_measures(a, b, n_a, n_b, undefined="formula")["ell"][1]
    g2 = keyness_measures(a, b, n_a, n_b)["log_likelihood"][1]
    assert ell == pytest.approx(g2 / (500 * np.log(0.4))) and np.isnan(keyness_measures(a, b, n_a, n_b)["ell"][1])


def test_undefined_rows_in_keyness_with_absent_nan():
    three = _tokens(COUNTS, [{"text": "zulu zulu alpha", "outlet": "other", "title": "o", "date": "2024-01-01"}])
    kw = dict(target="target", reference="reference", text_tests=(), keep="all", absent="nan")
    zulu = {u: dc.keyness(three, undefined=u, **kw).set_index("term").loc["zulu"] for u in ("nan", "zero", "formula")}
    assert np.isnan(zulu["nan"]["log_likelihood"]) and np.isnan(zulu["nan"]["bic"])
    assert zulu["zero"]["log_likelihood"] == 0 and zulu["zero"]["p_value"] == 1 and zulu["zero"]["bic"] == 0
    assert zulu["formula"]["log_likelihood"] == 0 and zulu["formula"]["bic"] == pytest.approx(-np.log(N_T + N_R))
    assert zulu["formula"]["simple_maths"] == 1


# --- Benjamini-Yekutieli -----------------------------------------------------------------------------------------

def test_benjamini_yekutieli_matches_statsmodels_and_hand():
    rng = np.random.default_rng(5)
    p = np.concatenate([rng.uniform(size=200), rng.uniform(0, 1e-3, size=20), [np.nan]])
    ours = adjust_pvalues(p, "by")
    ok = ~np.isnan(p)
    np.testing.assert_allclose(ours[ok], multipletests(p[ok], method="fdr_by")[1], rtol=1e-12)
    assert np.isnan(ours[-1])
    q = np.array([0.01, 0.02, 0.04])
    c = 1 + 1 / 2 + 1 / 3  # Benjamini & Yekutieli 2001: m c(m) p_(i) / i, then the running minimum from the top
    np.testing.assert_allclose(adjust_pvalues(q, "by"), np.minimum.accumulate((3 * c * q / [1, 2, 3])[::-1])[::-1])


def test_keyness_accepts_by_and_names_it(tiny):
    out = dc.keyness(tiny, target="target", correction="by", keep="all", text_tests=())
    assert out.attrs["correction"] == "by"
    np.testing.assert_allclose(out["p_adjusted"], adjust_pvalues(out["p_value"].to_numpy(), "by"))


# --- the other presets -------------------------------------------------------------------------------------------

def test_wordsmith_preset_two_cell_g2_and_p_threshold(tiny):
    out = dc.keyness(tiny, target="target", compat="wordsmith", text_tests=(), fallback=0).set_index("term")
    # WordSmith 7 manual, "How Key Words are calculated": Dunning's log likelihood as on UCREL's site,
    # G2 = 2 (a ln(a/E_a) + b ln(b/E_b)); "p value": default maximum 0.000001
    a, b = COUNTS.set_index("feature").loc[out.index, "target"], COUNTS.set_index("feature").loc[out.index, "reference"]
    e_a, e_b = N_T * (a + b) / (N_T + N_R), N_R * (a + b) / (N_T + N_R)
    g2 = 2 * (a * np.log(a / e_a) + np.where(b > 0, b * np.log(b / e_b), 0))
    np.testing.assert_allclose(out["log_likelihood"].abs(), g2, rtol=1e-12)
    assert list(out.index) == ["delta"]  # the one term with p < 1e-6
    assert out.attrs["alpha"] == 1e-6 and out.attrs["correction"] == "none"


def test_cqpweb_preset_log_ratio_and_four_cell_ll(tiny):
    out = _by_term(dc.keyness(tiny, target="target", compat="cqpweb", text_tests=(), keep="all"))
    # CQPweb 3.2.43 lib/keywords-ui.php (github andressarg/cqpweb3.2.43, commit 2d59f25228ef685110a6274b9306e3a1f6fe209c):
    # log2((O11/R1) / (IF(O21 > 0, O21, 0.5)/R2)); LL = 2 sum over the four cells; CI half-width
    # Z sqrt(O12/(R1 O11) + O22/(R2 O21))
    c = COUNTS.set_index("feature").loc[out.index]
    present = (c.target > 0).to_numpy()
    with np.errstate(divide="ignore"):
        lr = np.log2((c.target / N_T) / (np.where(c.reference > 0, c.reference, 0.5) / N_R))
    np.testing.assert_allclose(out["log_ratio"][present], lr[present], rtol=1e-12)
    for term, row in c.iterrows():
        table = np.array([[row.target, row.reference], [N_T - row.target, N_R - row.reference]])
        g = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
        assert abs(out.loc[term, "log_likelihood"]) == pytest.approx(g, rel=1e-9, abs=1e-12)
    both = present & (c.reference > 0).to_numpy()
    half = stats.norm.ppf(0.975) * np.sqrt((N_T - c.target) / (N_T * c.target) + (N_R - c.reference) / (N_R * c.reference))
    np.testing.assert_allclose((out["log_ratio_ci_high"] - out["log_ratio"])[both], (half / np.log(2))[both], rtol=1e-12)
    assert out.attrs["correction"] == "sidak" and out.attrs["ll_cells"] == "dunning"


def test_sketchengine_simple_maths_published_example():
    # sketchengine.eu/documentation/simple-maths: "shard", 35 in the BNC (112,289,776 tokens) against 263 in
    # ukWaC (1,559,716,979): (0.3117 + 1) / (0.1686 + 1) = 1.1224
    options = {k: v for k, v in compat.PRESETS["keyness"]["sketchengine"].items() if k == "simple_maths_n"}
    m = keyness_measures(np.array([35.0]), np.array([263.0]), 112_289_776, 1_559_716_979, **options)
    assert round(float(m["simple_maths"][0]), 4) == 1.1224


def test_sketchengine_preset_ranks_by_simple_maths(tiny):
    out = dc.keyness(tiny, target="target", compat="sketchengine", text_tests=())
    assert len(out) == len(COUNTS) and out.attrs["sort_by"] == "simple_maths"
    c = COUNTS.set_index("feature").loc[out.term]
    np.testing.assert_allclose(out["simple_maths"], (c.target / N_T * 1e6 + 1) / (c.reference / N_R * 1e6 + 1))
    over = out[out.direction == "over"]["simple_maths"].to_numpy()
    assert np.all(np.diff(over) <= 0)


def test_wordless_preset_reproduces_its_formulas(tiny):
    out = _by_term(dc.keyness(tiny, target="target", compat="wordless", text_tests=()))
    # Wordless (github BLKSerene/Wordless, commit c03b2f4bc58a6813d804c17c65db7badbd9d8464):
    # wl_measures_statistical_significance.pearsons_chi_squared_test (no correction, chi2.sf), the Bayes factor
    # bayes_factor_log_likelihood_ratio_test (G2 - ln N, four cells), wl_measures_effect_size.odds_ratio
    o11, o12 = (COUNTS.set_index("feature").loc[out.index, k].to_numpy(float) for k in ("target", "reference"))
    o21, o22 = N_T - o11, N_R - o12
    n = N_T + N_R
    e = [(o11 + o12) * (o11 + o21) / n, (o11 + o12) * (o12 + o22) / n, (o21 + o22) * (o11 + o21) / n,
         (o21 + o22) * (o12 + o22) / n]
    obs = [o11, o12, o21, o22]
    chi2 = sum((o - x) ** 2 / x for o, x in zip(obs, e))
    with np.errstate(divide="ignore", invalid="ignore"):
        g = 2 * sum(np.where(o > 0, o * np.log(o / x), 0) for o, x in zip(obs, e))
        orr = np.where((o11 == 0) & (o12 > 0), -np.inf, np.where((o11 > 0) & (o12 == 0), np.inf, o11 * o22 / (o12 * o21)))
    np.testing.assert_allclose(out["chi2"], chi2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(out["p_value"], stats.chi2.sf(chi2, 1), rtol=1e-10)
    np.testing.assert_allclose(out["bic"], g - np.log(n), rtol=1e-12)
    assert np.array_equal(out["odds_ratio"].to_numpy(), orr) or np.allclose(out["odds_ratio"], orr, rtol=1e-12)


def test_every_tool_has_a_keyness_preset_whose_options_exist():
    import inspect
    params = inspect.signature(dc.keyness).parameters
    for tool in compat.TOOLS:
        options = compat.preset(tool, "keyness")
        assert options and set(options) <= set(params)


def test_methods_paragraph_names_the_test_the_preset_and_by(tiny):
    from discourse.methods import methods_paragraph
    text, refs = methods_paragraph([dc.keyness(tiny, target="target", compat="quanteda", text_tests=())])
    assert "chi-square with Yates' continuity correction as evidence" in text
    assert 'conventions of quanteda.textstats\' textstat_keyness (the compat="quanteda" preset' in text
    text, refs = methods_paragraph([dc.keyness(tiny, target="target", correction="by", keep="all", text_tests=())])
    assert "Benjamini–Yekutieli 2001" in text and any("Yekutieli" in r for r in refs)
    assert "log-likelihood statistic G²" in text and "conventions of" not in text


def test_convention_options_are_checked_at_the_entry(tiny):
    with pytest.raises(ValueError, match="williams must be one of"):
        dc.keyness(tiny, target="target", williams="multiply")
    with pytest.raises(ValueError, match="log_epsilon must be a non-negative number"):
        dc.keyness(tiny, target="target", log_epsilon=-1e-9)
    with pytest.raises(ValueError, match="undefined must be one of"):
        keyness_measures(np.array([1.0]), np.array([2.0]), 10, 20, undefined="drop")
