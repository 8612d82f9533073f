"""Keyness plots draw what the result says (Agg backend)."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from discourse.stats.association import keyness_measures  # noqa: E402
from discourse.plots.keyness import keyness_bars, keyness_scatter, keyness_volcano  # noqa: E402


@pytest.fixture
def result():
    a = np.array([40, 0, 5, 12, 30, 7, 1])
    b = np.array([2, 30, 5, 40, 31, 0, 1])
    m = keyness_measures(a, b, 10_000, 10_000)
    df = pd.DataFrame(m).assign(target="A", reference="B", term=["nato", "kyiv", "the", "$x$ war", "of", "z", "q"],
                                per_million_target=a / 10_000 * 1e6, per_million_reference=b / 10_000 * 1e6)
    df["direction"] = np.where(df.log_likelihood > 0, "over", np.where(df.log_likelihood < 0, "under", "equal"))
    df["significant"] = df["p_value"] < 0.05
    yield df
    plt.close("all")


def test_bars(result):
    ax = keyness_bars(result, n=5)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "nato" and r"\$x\$ war" in labels and "the" not in labels  # only significant keywords
    widths = {lab: p.get_width() for lab, p in zip(labels, [p for p in ax.patches if p.get_height() > 0])}
    assert widths["nato"] > 0 and widths["kyiv"] < 0
    assert widths["nato"] == pytest.approx(result.set_index("term").loc["nato", "log_ratio"])


def test_volcano_and_scatter(result):
    ax = keyness_volcano(result, p="p_value", label=2)
    assert {t.get_text() for t in ax.texts} == {"nato", "kyiv"}  # largest |Log Ratio| among significant
    ys = np.concatenate([np.asarray(c.get_offsets(), float)[:, 1] for c in ax.collections])
    expected = -np.log10(result["p_value"].clip(lower=np.finfo(float).tiny).to_numpy())
    assert np.sort(ys).tolist() == pytest.approx(np.sort(expected).tolist())
    ax = keyness_scatter(result, label=0)
    pts = np.concatenate([np.asarray(c.get_offsets(), float) for c in ax.collections])
    assert len(pts) == len(result) and ax.get_xscale() == "log"
    assert (pts > 0).all()  # zeros drawn at the floor, not lost


def test_several_comparisons_need_a_choice(result):
    two = pd.concat([result, result.assign(target="C")])
    with pytest.raises(ValueError, match="several comparisons"):
        keyness_bars(two)
    assert keyness_bars(two, target="C").get_title() == "Keywords: C vs B"


def test_bars_of_a_fallback_list_are_not_called_keywords():
    import discourse as dc

    k = dc.keyness(dc.load_sample(), target="RT", reference="TFI Post")  # nothing significant: the fallback list
    assert len(k) and not k["significant"].any()
    assert keyness_bars(k, significant_only=False).get_title() == (
        "Largest effects, none significant after correction: RT vs TFI Post")
    assert keyness_bars(k).get_title() == "Keywords: RT vs TFI Post"  # default: only significant rows, a message
    plt.close("all")
