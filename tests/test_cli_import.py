"""``discourse import`` and ``discourse dedup`` on the bundled synthetic exports, run in-process."""
import json
import warnings

import pandas as pd
import pytest

import discourse as dc
from discourse.cli import main
from discourse.cli_import import import_outputs
from discourse.datasets.archives import write_news_exports


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    return write_news_exports(tmp_path_factory.mktemp("exports"))


def _read(path, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dc.read_corpus(path, **kw)


def test_import_writes_the_corpus_and_its_reports(exports, tmp_path, capsys):
    target = tmp_path / "out" / "corpus.jsonl"
    assert main(["import", str(exports), "-o", str(target), "--outlets", "default", "-q"]) == 0
    out = import_outputs(target)
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "corpus.dedup.csv", "corpus.jsonl", "corpus.params.json", "corpus.read_report.csv"]
    assert out == {"corpus": target, "read_report": tmp_path / "out" / "corpus.read_report.csv",
                   "dedup": tmp_path / "out" / "corpus.dedup.csv", "params": tmp_path / "out" / "corpus.params.json"}
    err = capsys.readouterr().err
    assert f"discourse: wrote {target} (16 documents), {out['read_report']} (21 rows), {out['dedup']} (7 rows) " \
           f"and {out['params']} (parameters)" in err
    report = pd.read_csv(out["read_report"])
    assert report["action"].value_counts().to_dict() == {"read": 18, "skipped": 3}
    audit = pd.read_csv(out["dedup"])
    assert audit["kind"].value_counts().to_dict() == {"syndicated": 3, "exact": 2, "version": 2}
    params = json.loads(out["params"].read_text(encoding="utf-8"))
    assert (params["documents_read"], params["documents_skipped"], params["documents_written"]) == (18, 3, 16)
    rec = {(r["stage"], r["kind"]): r["documents"] for r in params["reconciliation"]}
    assert rec[("read", "")] == 18 == rec[("kept", "")] + sum(v for (s, _), v in rec.items() if s == "removed")
    assert rec[("removed", "exact")] == 1 and rec[("removed", "version")] == 1

    # re-reading the JSONL gives the kept documents' cleaned texts and their metadata
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the cleaning's note on identical copies
        cleaned = dc.clean(_read(exports, outlets=True, dedup=False))  # every document: dedup after cleaning, below
    expected = dc.dedup(dc.tokenize(cleaned)).tokens
    again = _read(target)
    assert again.ids == list(expected.metadata.index)
    assert again.texts == [cleaned[i].text for i in again.ids]
    columns = ["outlet", "date", "title", "byline", "source_format", "export_file", "position"]
    pd.testing.assert_frame_equal(again.metadata[columns].astype(str), cleaned.metadata.loc[again.ids, columns]
                                  .astype(str), check_names=False)
    assert again.metadata["syndicated"].sum() == 3
    assert set(again.metadata["outlet"]) == {"The New York Times", "The Guardian", "Fox News",
                                             "Portville Evening Post", "Kestrel Valley Times"}


def test_import_without_dedup_to_parquet(exports, tmp_path):
    target = tmp_path / "corpus.parquet"
    assert main(["import", str(exports), "-o", str(target), "--no-dedup", "-q"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.params.json", "corpus.parquet",
                                                           "corpus.read_report.csv"]
    frame = pd.read_parquet(target)
    assert len(frame) == 18 and frame["outlet"].isin(["Fox Online News", "New York Times - News"]).sum() == 3
    params = json.loads((tmp_path / "corpus.params.json").read_text(encoding="utf-8"))
    assert "reconciliation" not in params and params["documents_written"] == 18


def test_import_refuses_other_corpus_files(exports, tmp_path, capsys):
    assert main(["import", str(exports), "-o", str(tmp_path / "corpus.csv"), "-q"]) == 1
    assert capsys.readouterr().err.strip() == ("discourse: error: cannot write a corpus to "
                                               f"{str(tmp_path / 'corpus.csv')!r}: use a .jsonl or .parquet file name")
    assert list(tmp_path.iterdir()) == []


def test_dedup_writes_the_audit_of_a_corpus(exports, tmp_path, capsys):
    corpus = tmp_path / "all.jsonl"
    assert main(["import", str(exports), "-o", str(corpus), "--no-dedup", "--outlets", "default", "-q"]) == 0
    audit_path = tmp_path / "audit.csv"
    assert main(["dedup", str(corpus), "-o", str(audit_path), "--threshold", "0.8", "--keep", "longest", "-q"]) == 0
    audit = pd.read_csv(audit_path)
    assert audit.groupby("kind")["doc_id"].apply(sorted).to_dict() == {
        "exact": ["ferry_search#1", "nexis_harbour#1"],
        "syndicated": ["GUARD0000120211201ehc10001a", "nexis_fox#1", "nexis_harbour#3"],
        "version": ["GUARD0000120211213ehcd0001v", "GUARD0000220211213ehcd0002v"]}
    params = json.loads((tmp_path / "audit.params.json").read_text(encoding="utf-8"))
    assert params["documents_read"] == 18 and params["documents_kept"] == 16
    assert f"wrote {audit_path} (7 rows) and {tmp_path / 'audit.params.json'} (parameters)" in capsys.readouterr().err


def test_analysis_commands_choose_dedup_on_reading(exports, tmp_path):
    """``--read-dedup`` sets read_corpus(dedup=): auto (news exports: de-duplicated), off (every document)."""
    counts = {}
    for choice in ("auto", "off"):
        out = tmp_path / f"freq_{choice}.csv"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert main(["frequencies", str(exports), "--read-dedup", choice, "--by", "outlet", "-o", str(out),
                         "-q"]) == 0
            corpus = dc.read_corpus(exports, dedup={"auto": None, "off": False}[choice])
        freq = pd.read_csv(out)
        counts[choice] = int(freq["freq"].sum())
        assert counts[choice] == dc.frequencies(dc.tokenize(dc.clean(corpus)), by="outlet")["freq"].sum()
    assert counts["off"] > counts["auto"]  # the planted duplicates are counted only when not removed
