"""Tests of the collocation plots (Agg backend): they draw what the result tables say."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from discourse.collocates import collocates, compare_collocates  # noqa: E402
from discourse.kwic import query_positions  # noqa: E402
from discourse.plots.collocation import collocates_scatter, collocation_network, dispersion_plot  # noqa: E402

RUSSIA = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_scatter_places_each_collocate_at_its_two_scores(sample):
    comp = compare_collocates(sample, RUSSIA, groups=("TFI Post", "RT"), left=3, right=3, min_coll_freq=1)
    ax = collocates_scatter(comp, label=5)
    xy = np.concatenate([c.get_offsets() for c in ax.collections if len(c.get_offsets())])
    assert len(xy) == len(comp)
    both = comp.dropna(subset=["log_dice_a", "log_dice_b"])
    pts = {tuple(np.round(p, 6)) for p in xy}
    assert all((round(a, 6), round(b, 6)) in pts for a, b in zip(both["log_dice_a"], both["log_dice_b"]))
    # the five collocates with the largest |G2| are named; collocates drawn at one point share a label
    named = {w for t in ax.texts for w in t.get_text().split(", ")}
    assert named == set(comp.loc[comp["log_likelihood"].abs().sort_values(ascending=False, kind="stable").index[:5],
                                 "collocate"])
    assert "TFI Post" in ax.get_xlabel() and "RT" in ax.get_ylabel()
    assert comp.attrs["cpn"] in ax.get_title()


def test_network_links_nodes_to_their_top_collocates(sample):
    a = collocates(sample, RUSSIA, min_freq=2, min_coll_freq=2)
    b = collocates(sample, "nato", min_freq=2, min_coll_freq=2)
    ax = collocation_network({"Russia": a, "NATO": b}, top=6)
    labels = {t.get_text() for t in ax.texts}
    assert {"Russia", "NATO"} <= labels
    assert set(a["collocate"].head(6)) <= labels and set(b["collocate"].head(6)) <= labels
    with pytest.raises(ValueError):
        collocation_network(compare_collocates(sample, RUSSIA, groups=("TFI Post", "RT")))


def test_dispersion_one_tick_per_hit_and_a_row_per_document(sample):
    pos = query_positions(sample, RUSSIA)
    assert len(pos) == 35 and pos.groupby("group").size().to_dict() == {"RT": 9, "TFI Post": 26}
    assert ((pos["relative_position"] >= 0) & (pos["relative_position"] < 1)).all()
    ax = dispersion_plot(pos)
    xy = np.concatenate([c.get_offsets() for c in ax.collections if len(c.get_offsets())])
    np.testing.assert_allclose(np.sort(xy[:, 0]), np.sort(pos["relative_position"]))
    assert len(ax.get_yticks()) == sample.n_docs
    empty = query_positions(sample, "xylophone")
    assert len(dispersion_plot(empty).get_yticks()) == sample.n_docs
