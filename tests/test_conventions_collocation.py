"""Collocation conventions of the peers (issue 16): WordSmith, NLTK, CQPweb, Sketch Engine.

Independent routes: NLTK's ``BigramCollocationFinder``/``BigramAssocMeasures`` (3.10.4 in the venv, the published
implementation, installed), loop counts of the windows, and each tool's formulas transcribed from
its manual or source:
- WordSmith Tools 8 manual, "Formulae" (lexically.net/downloads/version8/HTML/formulae.html): MI,
  T and Berry-Rogghe's z; "Collocation Settings" and "Collocate display" for what is counted.
- CQPweb 3.1, ``lib/colloc-lib.inc.php`` (``create_statistic_sql_query``) and ``lib/defaults.inc.php``,
  github.com/StephenWattam/CQPWeb at 2d28cfd650128cc191f16e792556927a95310739.
- Sketch Engine, "Statistics used in Sketch Engine" (Rychlý 2008 for logDice).
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from nltk.collocations import BigramAssocMeasures, BigramCollocationFinder

import discourse as dc
from discourse.collocates import collocates
from discourse.partitions import SplitTokens

TEXT = ("the minister said the talks with the union had failed and the union said the minister "
        "had not listened . the strike will go on , the union said , until the minister returns "
        "to the talks . talks between the minister and the union resume on monday . ") * 3


@pytest.fixture(scope="module")
def text():
    return dc.tokenize([TEXT])


def _pairs(words, node, left, right):
    """(hit, position) pairs: collocate -> count, and the number of window positions (WordSmith, CQPweb)."""
    counts, positions = Counter(), 0
    for i, w in enumerate(words):
        if w != node:
            continue
        for j in list(range(i - left, i)) + list(range(i + 1, i + right + 1)):
            if 0 <= j < len(words):
                counts[words[j]] += 1
                positions += 1
    return counts, positions


@pytest.mark.parametrize("w", [2, 3, 5])
def test_nltk_window_convention_equals_bigram_collocation_finder(text, w):
    words = text.doc_tokens(0)
    finder = BigramCollocationFinder.from_words(words, window_size=w)
    m = BigramAssocMeasures
    n = len(words)
    for node in ("minister", "union", "the"):
        res = collocates(text, node, left=0, right=w - 1, expected="node", count="pairs_scaled",
                         exclude_node=False, stopwords=None, min_freq=1, min_coll_freq=1).set_index("collocate")
        pairs = {b: c for (a, b), c in finder.ngram_fd.items() if a == node}
        assert set(res.index) == set(pairs)
        for coll, row in res.iterrows():
            assert row["freq"] == pairs[coll]  # the pair count; the measures take it / (w - 1)
            score = lambda fn: finder.score_ngram(fn, node, coll)  # noqa: E731
            assert row["mi"] == pytest.approx(score(m.pmi), rel=1e-12)
            assert row["t_score"] == pytest.approx(score(m.student_t), rel=1e-9)
            assert abs(row["log_likelihood"]) == pytest.approx(score(m.likelihood_ratio), rel=1e-9, abs=1e-9)
            assert row["log_dice"] == pytest.approx(14 + math.log2(score(m.dice)), rel=1e-12)
            assert row["mi3"] == pytest.approx(math.log2(score(m.mi_like)) + math.log2(n), rel=1e-12)


def test_wordsmith_z_and_preset_follow_the_manual(text):
    words = text.doc_tokens(0)
    N = len(words)
    for node, (left, right) in (("minister", (5, 5)), ("union", (2, 3))):
        res = collocates(text, node, left=left, right=right, min_freq=1, min_coll_freq=1,
                         compat="wordsmith").set_index("collocate")
        assert res.attrs["params"]["compat"]["options"] == {"measure": "mi", "expected": "node", "count": "pairs",
                                                  "exclude_node": False, "stopwords": None}
        counts, _ = _pairs(words, node, left, right)
        f1 = words.count(node)
        assert set(res.index) == set(counts)
        for coll, row in res.iterrows():
            j, f2, S = counts[coll], words.count(coll), left + right
            assert row["freq"] == j
            # Mutual Information: log2(A / (B C)), A = J / N, B = F1 / N, C = F2 / N
            assert row["mi"] == pytest.approx(math.log2((j / N) / ((f1 / N) * (f2 / N))), rel=1e-12)
            # T Score: (J - F1 F2 / N) / sqrt(J)
            assert row["t_score"] == pytest.approx((j - f1 * f2 / N) / math.sqrt(j), rel=1e-12)
            # Z Score: P = F2 / (N - F1), E = P F1 S, (J - E) / sqrt(E (1 - P)); S = the span's positions
            p = f2 / (N - f1)
            e = p * f1 * S
            assert row["z_berry_rogghe"] == pytest.approx((j - e) / math.sqrt(e * (1 - p)), rel=1e-12)
            assert row["log_dice"] == pytest.approx(14 + math.log2(2 * j / (f1 + f2)), rel=1e-12)  # Dice
        assert res["rank"].tolist() == list(range(1, len(res) + 1))
        assert res["mi"].is_monotonic_decreasing  # ranked by the preset's statistic


def _cqpweb(o11, r1, c1, n):
    """CQPweb's SQL (colloc-lib.inc.php): the 2x2 table, log-likelihood (6), MI (1), z with Yates (3), T (4)."""
    r2, c2 = n - r1, n - c1
    o12, o21 = r1 - o11, c1 - o11
    o22 = r2 - o21
    e11, e12, e21, e22 = r1 * c1 / n, r1 * c2 / n, r2 * c1 / n, r2 * c2 / n
    sign = math.copysign(1, o11 - e11) if o11 != e11 else 0
    ll = sign * 2 * sum(o * math.log(o / e) for o, e in ((o11, e11), (o12, e12), (o21, e21), (o22, e22)) if o > 0)
    dev = abs(o11 - e11)
    z = sign * (dev - 0.5 if dev > 0.5 else dev / 2) / math.sqrt(e11)
    return {"log_likelihood": ll, "mi": math.log2(o11 / e11), "z_score_yates": z,
            "t_score": (o11 - e11) / math.sqrt(o11), "mi3": 3 * math.log2(o11) - math.log2(e11)}


def test_cqpweb_preset_reproduces_its_sql(text):
    words = text.doc_tokens(0)
    N = len(words)
    res = collocates(text, "union", min_freq=1, min_coll_freq=1, compat="cqpweb").set_index("collocate")
    counts, r1 = _pairs(words, "union", 5, 5)
    assert res.attrs["window_tokens"]["all"] == r1  # R1 = the (hit, position) rows of the window
    assert set(res.index) == set(counts)
    incoherent = 0
    for coll, row in res.iterrows():
        for name, value in _cqpweb(counts[coll], r1, words.count(coll), N).items():
            if name == "log_likelihood" and row["freq"] > row["coll_freq"]:
                # counted in overlapping windows more often than it occurs: O21 < 0. CQPweb keeps the
                # margins and drops that cell; collocation_measures sets it to 0 (docs/conventions.md)
                incoherent += 1
                continue
            assert row[name] == pytest.approx(value, rel=1e-12, abs=1e-12), (coll, name)
    assert 0 < incoherent < len(res)
    assert res["log_likelihood"].is_monotonic_decreasing  # $default_calc_stat = 6


def _xlx(x):
    return x * math.log(x) if x > 0 else 0.0


def test_sketch_engine_statistics_without_span(text):
    """Sketch Engine's formulas on f_A (node), f_B (collocate), f_AB and N, no span in them."""
    res = collocates(text, "minister", min_freq=1, min_coll_freq=1, compat="sketchengine")
    N = res.attrs["group_tokens"]["all"]
    assert res.attrs["params"]["compat"] == {"tool": "sketchengine", "options": {"measure": "log_dice", "expected": "node"}}
    for _, row in res.iterrows():
        fa, fb, fab = row["node_freq"], row["coll_freq"], row["freq"]
        mi = math.log2(fab * N / (fa * fb))
        expected = {
            "t_score": (fab - fa * fb / N) / math.sqrt(fab), "mi": mi, "mi3": math.log2(fab ** 3 * N / (fa * fb)),
            "log_dice": 14 + math.log2(2 * fab / (fa + fb)), "min_sensitivity": min(fab / fb, fab / fa),
            "mi_log_f": mi * math.log(fab + 1),
            "log_likelihood": 2 * (_xlx(fab) + _xlx(fa - fab) + _xlx(fb - fab) + _xlx(N) + _xlx(N + fab - fa - fb)
                                   - _xlx(fa) - _xlx(fb) - _xlx(N - fa) - _xlx(N - fb)),
        }
        for name, value in expected.items():
            got = abs(row[name]) if name == "log_likelihood" else row[name]
            assert got == pytest.approx(value, rel=1e-9, abs=1e-9), name
    # logDice does not depend on the corpus size (Rychlý 2008): doubling the corpus with unrelated text
    bigger = dc.tokenize([TEXT, " ".join(f"w{i}" for i in range(len(TEXT.split())))])
    again = collocates(bigger, "minister", min_freq=1, min_coll_freq=1, compat="sketchengine")
    np.testing.assert_allclose(again["log_dice"].to_numpy(), res["log_dice"].to_numpy(), rtol=1e-12)
    assert not np.allclose(again["mi"].to_numpy(), res["mi"].to_numpy())


def test_presets_without_collocation_conventions_and_explicit_options(text):
    base = collocates(text, "union", min_freq=1, min_coll_freq=1)
    for tool in ("quanteda", "wordless"):  # nothing maps (see discourse/compat.py): the defaults, recorded
        res = collocates(text, "union", min_freq=1, min_coll_freq=1, compat=tool)
        assert res.attrs["params"]["compat"] == {"tool": tool, "options": {}}
        np.testing.assert_array_equal(res["log_dice"].to_numpy(), base["log_dice"].to_numpy())
    assert base.attrs["params"]["compat"] is None
    res = collocates(text, "union", min_freq=1, min_coll_freq=1, compat="wordsmith", measure="t_score")
    assert res.attrs["measure"] == "t_score" and "measure" not in res.attrs["params"]["compat"]["options"]
    with pytest.raises(ValueError, match="count must be one of"):
        collocates(text, "union", count="nltk")


@pytest.mark.parametrize("options", [dict(compat="wordsmith"), dict(compat="cqpweb"), dict(compat="sketchengine"),
                                     dict(count="pairs_scaled", expected="node", left=0, right=4),
                                     dict(measure="z_berry_rogghe", by="outlet")])
def test_conventions_on_partitions_equal_the_whole(synth, options):
    kw = dict(min_freq=1, min_coll_freq=1, **options)
    whole = collocates(synth, ["the", "of"], **kw)
    for n in (2, 5):
        split = collocates(SplitTokens(synth, n), ["the", "of"], **kw)
        assert split.attrs == whole.attrs and list(split.columns) == list(whole.columns)
        floats = [c for c in whole.columns if whole[c].dtype.kind == "f"]
        np.testing.assert_allclose(split[floats].to_numpy(), whole[floats].to_numpy(), rtol=1e-12, atol=0)
        assert split["collocate"].tolist() == whole["collocate"].tolist()


def test_methods_paragraph_names_the_conventions(text):
    from discourse.methods import methods_paragraph

    para, _ = methods_paragraph([collocates(text, "union", min_freq=1, min_coll_freq=1, compat="cqpweb")])
    assert "once per hit" in para and "following the conventions of CQPweb" in para
    para, _ = methods_paragraph([collocates(text, "union", min_freq=1, min_coll_freq=1, expected="node",
                                            count="pairs_scaled", left=0, right=3)])
    assert "without the span" in para and "NLTK's window convention" in para and "compat" not in para


def preset_cells(verb):
    """The Presets table of docs/conventions.md: tool -> the cell of ``verb``'s column."""
    from pathlib import Path

    lines = (Path(__file__).parents[1] / "docs" / "conventions.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("## Presets")
    first = next(i for i in range(start, len(lines)) if lines[i].startswith("| "))
    end = next((i for i in range(first, len(lines)) if not lines[i].startswith("|")), len(lines))
    rows = [line.split("|")[1:-1] for line in lines[first:end] if line.startswith("| ")]  # the first table
    column = [c.strip() for c in rows[0]].index(verb)
    return {r[0].strip(): r[column] for r in rows[1:]}


@pytest.mark.parametrize("verb", ["collocates", "dispersion"])
def test_conventions_page_lists_every_preset(verb):
    from discourse.compat import PRESETS, TOOLS

    cells = preset_cells(verb)
    assert set(cells) == set(TOOLS)
    for tool, options in PRESETS[verb].items():
        for key, value in options.items():
            assert (f'`{key}="{value}"`' if isinstance(value, str) else f"`{key}={value}`") in cells[tool], (tool, key)
        assert options or cells[tool].strip().startswith("none:"), tool
