"""The bundled synthetic archive exports read as one corpus, and de-duplicated with the planted ground truth."""
import warnings

import pytest

import discourse as dc
from discourse.datasets.archives import EXPORT_FILES, PLANTED, write_news_exports


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = write_news_exports(tmp_path_factory.mktemp("exports"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the read and cleaning warnings are asserted through the reports
        corpus = dc.read_corpus(folder, outlets=True, dedup=False)  # the reader as such; dc.dedup below
        result = dc.dedup(dc.tokenize(dc.clean(corpus)))
    return folder, corpus, result


def test_the_generator_writes_every_layout_and_is_seeded(tmp_path):
    a, b = write_news_exports(tmp_path / "a"), write_news_exports(tmp_path / "b")
    assert sorted(p.name for p in a.iterdir()) == sorted(EXPORT_FILES)
    for name in ("nexis_fox.rtf", "factiva_guardian.rtf", "proquest_nyt.txt", "mediacloud_stories.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert (write_news_exports(tmp_path / "c", seed=3) / "proquest_nyt.txt").read_bytes() != \
        (a / "proquest_nyt.txt").read_bytes()


def test_mixed_export_folder_reads_as_one_corpus(exports):
    folder, corpus, result = exports
    meta = corpus.metadata
    for column in ("outlet", "outlet_raw", "date", "title", "byline", "section", "source_format", "export_file",
                   "position", "length", "language", "url"):
        assert column in meta.columns
    assert meta["source_format"].value_counts().to_dict() == {
        "nexis-docx": 6, "nexis-rtf": 3, "factiva-rtf": 2, "factiva-html": 2, "proquest-txt": 2,
        "mediacloud-csv": 3}
    assert meta["export_file"].value_counts().to_dict() == {
        "nexis_harbour.docx": 4, "nexis_fox.rtf": 3, "mediacloud_stories.csv": 3,
        "nexis_ferry.zip!ferry_search.docx": 2, "factiva_guardian.rtf": 2, "factiva_guardian.html": 2,
        "proquest_nyt.txt": 2}
    assert meta.loc["ferry_search#2", "position"] == 2 and meta.loc["nexis_harbour#4", "position"] == 4
    # outlet names normalised by the registry: mapped through aliases/domains, unmapped kept as written
    labels = corpus.report.labels
    rules = dict(zip(labels["variant"], labels["step"]))
    assert rules == {"The Guardian": "outlets: exact", "The Guardian (London)": "outlets: alias",
                     "foxnews.com": "outlets: case-folded alias", "Portville Evening Post": "outlets: unmapped",
                     "Kestrel Valley Times": "outlets: unmapped", "The New York Times": "outlets: exact",
                     "Fox Online News": "outlets: alias", "New York Times - News": "outlets: alias",
                     "New York Times (Online)": "outlets: alias"}
    assert meta["outlet"].value_counts().to_dict() == {"The New York Times": 7, "The Guardian": 4,
                                                       "Fox News": 3, "Portville Evening Post": 3,
                                                       "Kestrel Valley Times": 1}
    # dates parsed, whatever the layout wrote (Nexis "December 6, 2021 Monday", Factiva "13 December 2021" …)
    assert meta["date"].str.fullmatch(r"2021-12-\d\d(T08:00)?").all()   # ISO 8601; the wording in date_raw
    assert meta.loc["nexis_harbour#1", ["date", "date_raw"]].tolist() == ["2021-12-06", "December 6, 2021 Monday"]
    assert meta.loc["GUARD0000220211213ehcd0002v", ["date", "date_raw"]].tolist() == ["2021-12-14",
                                                                                      "14 December 2021"]
    assert meta.loc["9003", "date"] == "2021-12-18T08:00" and meta.loc["2600000001", "date_raw"] == "Dec 15, 2021"
    assert meta.loc["nexis_fox#2", ["title", "byline", "section"]].tolist() == [
        "Ferry fares to rise again", "Cal Reed", "Politics"]
    # every skip reported: documents given = read + skipped
    report = corpus.report.frame
    skipped = report[report["action"] == "skipped"]
    assert sorted(skipped["reason"].str.split(" ").str[:3].str.join(" ")) == [
        "no full text", "no text (Media", "no text (no"]
    given = 4 + 3 + 2 + 3 + 2 + 3 + 4   # articles written in the seven files
    assert given == len(corpus) + len(skipped) and len(corpus) == 18

    # de-duplication finds the planted relations exactly
    audit = result.audit
    clusters = {kind: sorted(g["doc_id"]) for kind, g in audit.groupby("kind")}
    assert clusters == {"exact": ["ferry_search#1", "nexis_harbour#1"],
                        "syndicated": ["GUARD0000120211201ehc10001a", "nexis_fox#1", "nexis_harbour#3"],
                        "version": ["GUARD0000120211213ehcd0001v", "GUARD0000220211213ehcd0002v"]}
    assert audit.groupby("cluster")["doc_id"].count().sort_values().tolist() == [2, 2, 3]
    assert set(audit.loc[audit["kind"] == "syndicated", "outlet"]) == {"The New York Times", "Fox News",
                                                                      "The Guardian"}
    assert audit.loc[audit["kind"] == "syndicated", "action"].eq("marked").all()
    version = audit[audit["kind"] == "version"].set_index("doc_id")["action"].to_dict()
    assert version == {"GUARD0000220211213ehcd0002v": "kept", "GUARD0000120211213ehcd0001v": "removed"}
    assert len(PLANTED["exact"]) == 2 and len(PLANTED["syndicated"]) == 3 and len(PLANTED["version"]) == 2
    rec = result.reconciliation.set_index(["stage", "kind"])["documents"]
    assert rec[("read", "")] == 18 and rec[("kept", "")] == 16
    assert rec[("removed", "exact")] == 1 and rec[("removed", "version")] == 1
    assert rec[("read", "")] == rec[("kept", "")] + rec.loc["removed"].sum()
    assert len(result.tokens) == 16


def test_news_exports_path_is_one_complete_folder_per_seed():
    first = dc.news_exports_path()
    assert dc.news_exports_path() == first and first.name.startswith("discourse-news-exports-12-")
    assert sorted(p.name for p in first.iterdir()) == sorted(EXPORT_FILES)
    assert dc.news_exports_path(seed=3) != first


def test_a_folder_reads_only_zips_of_exports_and_media_cloud_tables(tmp_path):
    """A zip of plain text files and a table that is not a Media Cloud export stay unread, as before, and say so."""
    import zipfile

    folder = tmp_path / "mixed"
    write_news_exports(folder)
    with zipfile.ZipFile(folder / "notes.zip", "w") as z:
        z.writestr("a.txt", "A plain note, not an export.")
    (folder / "codes.csv").write_text("code,label\n1,harbour\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = dc.read_corpus(folder, dedup=False)  # every document read (de-duplication: test_read_dedup)
    assert len(corpus) == 18 and "codes.csv" not in set(corpus.metadata["export_file"])
    report = corpus.report.frame
    assert report.loc[report["source"] == str(folder / "notes.zip"), ["action", "reason"]].values.tolist() == [
        ["skipped", "zip archive 'notes.zip' inside a corpus folder: not read (read it with read_corpus on the "
                    "archive)"]]
    assert not report["source"].str.contains("codes.csv").any()


def test_whole_number_columns_stay_whole_numbers_beside_plain_files(tmp_path):
    """A Nexis ``length``/``position`` beside a plain-text file (no such value) is a nullable integer, not a float."""
    import warnings

    from discourse.datasets.archives import write_news_exports

    folder = write_news_exports(tmp_path / "exports")
    (folder / "note.txt").write_text("A plain text file read beside the exports, with no metadata.", "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = dc.read_corpus(folder, dedup=False)
    for column in ("position", "length"):
        values = corpus.metadata[column]
        assert str(values.dtype) == "Int64" and values.isna().any() and values.notna().any(), column


def test_syndication_bars_show_each_outlets_share():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from discourse.plots import syndication_bars

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = dc.read_corpus(dc.news_exports_path())
    share = corpus.dedup.syndication_share("outlet")
    ax = syndication_bars(share)
    rows = share[share.outlet != "(all)"]
    assert [round(p.get_width(), 12) for p in ax.patches] == [round(v, 12) for v in rows.token_share.fillna(0)]
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(o) for o in rows.outlet]
    assert ax.lines[0].get_xdata()[0] == share.loc[share.outlet == "(all)", "token_share"].iloc[0]
    assert any(0 < p.get_width() < 1 for p in ax.patches)  # the planted AP story is syndicated
    with pytest.raises(KeyError, match="measure"):
        syndication_bars(share, measure="tokens")
    plt.close("all")
