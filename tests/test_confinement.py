"""Confinement (issue 11): every path a corpus names resolves inside the corpus folder.

Hostile inputs built in ``tmp_path``: manifest rows climbing out with ``..``,
absolute POSIX and Windows paths, files and folders that are symbolic links to
outside, dangling and looping links. Each is skipped with its exact reason, the
secret's text never reaches a document, and given = read + skipped reconciles.
"""
import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

import discourse as dc
from discourse.paths import BrokenLink, PathOutsideCorpus, confined
from discourse.readers import DiscourseReadWarning

SECRET = "TOP SECRET launch codes 0000"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def layout(tmp_path):
    """``tmp_path/secret.txt`` outside the corpus, ``tmp_path/corpus`` with one good file."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "more.txt").write_text(SECRET + " again", encoding="utf-8")
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "good.txt").write_text("Moscow said the talks went well.", encoding="utf-8")
    return tmp_path, d


def _read(path, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = dc.read_corpus(path, **kw)
    return corpus, [w for w in caught if issubclass(w.category, DiscourseReadWarning)]


def _no_secret(corpus):
    assert not any("SECRET" in t for t in corpus.texts)
    assert not corpus.metadata.astype(str).apply(lambda c: c.str.contains("SECRET")).any().any()


def _reasons(corpus):
    """Manifest line -> reason, for the manifest rows skipped."""
    f = corpus.report.frame
    return f[(f["action"] == "skipped") & f["line"].notna()].set_index("line")["reason"].to_dict()


def test_manifest_rows_naming_paths_outside_are_skipped_with_reasons(layout):
    tmp, d = layout
    rows = [("ok", "good.txt"), ("dots", "../secret.txt"), ("abs", str(tmp / "secret.txt")),
            ("etc", "/etc/passwd"), ("win", "C:\\x\\secret.txt"), ("unc", "\\\\server\\share\\x.txt"),
            ("sub", "sub/../../secret.txt"), ("back", "..\\secret.txt")]
    pd.DataFrame(rows, columns=["id", "source_file"]).to_csv(d / "manifest.csv", index=False)
    corpus, caught = _read(d)
    assert corpus.ids == ["ok"]
    out = "outside the corpus folder: "
    assert _reasons(corpus) == {
        3: out + "'../secret.txt' climbs above it with '..'",
        4: out + f"{str(tmp / 'secret.txt')!r} is an absolute path",
        5: out + "'/etc/passwd' is an absolute path",
        6: out + "'C:\\\\x\\\\secret.txt' is an absolute path",
        7: out + "'\\\\\\\\server\\\\share\\\\x.txt' is an absolute path",
        8: out + "'sub/../../secret.txt' climbs above it with '..'",
        9: out + "'..\\\\secret.txt' climbs above it with '..'",
    }
    skipped = corpus.report.skipped
    assert set(skipped["source"]) == {str(d / "manifest.csv")}
    assert skipped["doc_id"].tolist() == ["dots", "abs", "etc", "win", "unc", "sub", "back"]
    assert len(rows) == len(corpus) + len(skipped)  # given = read + skipped
    assert "7 skipped" in str(caught[0].message) and "outside the corpus folder" in str(caught[0].message)
    _no_secret(corpus)


def test_manifest_row_naming_a_link_to_outside_is_skipped(layout):
    tmp, d = layout
    os.symlink(tmp / "secret.txt", d / "leak.txt")
    os.symlink(tmp / "outside", d / "elsewhere")
    (d / "manifest.yaml").write_text("- {id: a, source_file: good.txt}\n- {id: b, source_file: leak.txt}\n"
                                     "- {id: c, source_file: elsewhere/more.txt}\n", encoding="utf-8")
    corpus, _ = _read(d)
    assert corpus.ids == ["a"]
    assert _reasons(corpus) == {
        2: f"outside the corpus folder: 'leak.txt' is a symbolic link to {str(tmp / 'secret.txt')!r}",
        3: f"outside the corpus folder: 'elsewhere/more.txt' is a symbolic link to "
           f"{str(tmp / 'outside' / 'more.txt')!r}",
    }
    # the folder walk does not report the listed link again; the folder link is reported once
    f = corpus.report.frame
    assert f[f["source"] == str(d / "elsewhere")]["reason"].tolist() == [
        f"outside the corpus folder: 'elsewhere' is a symbolic link to {str(tmp / 'outside')!r}"]
    assert len(corpus) + int((f["action"] == "skipped").sum()) == 4  # 3 rows + the folder link
    _no_secret(corpus)


def test_allow_outside_reads_them_and_says_so_per_file(layout):
    tmp, d = layout
    os.symlink(tmp / "secret.txt", d / "leak.txt")
    (d / "manifest.csv").write_text("id,source_file\na,good.txt\nb,../outside/more.txt\nc,leak.txt\n",
                                    encoding="utf-8")
    corpus, _ = _read(d, allow_outside=True)
    assert corpus.ids == ["a", "b", "c"]
    assert corpus["c"].text == SECRET
    assert corpus.params["allow_outside"] is True
    assert corpus.report.warnings["reason"].tolist() == [
        "outside the corpus folder: '../outside/more.txt' climbs above it with '..': read because allow_outside=True",
        f"outside the corpus folder: 'leak.txt' is a symbolic link to {str(tmp / 'secret.txt')!r}: "
        "read because allow_outside=True",
    ]
    with pytest.raises(ValueError, match="allow_outside must be True or False, not 'yes'"):
        dc.read_corpus(d, allow_outside="yes")


def test_folder_walk_skips_links_out_and_reports_dangling_and_looping_links(layout):
    tmp, d = layout
    (d / "inside.txt").write_text("Kyiv answered on Tuesday.", encoding="utf-8")
    os.symlink(tmp / "secret.txt", d / "leak.txt")             # file link leaving the folder
    os.symlink(tmp / "outside", d / "elsewhere")               # folder link leaving the folder
    os.symlink(d / "inside.txt", d / "alias.txt")              # link inside the folder: read
    os.symlink(tmp / "gone.txt", d / "dangling.txt")           # target missing
    os.symlink("self.txt", d / "self.txt")                     # link to itself (ELOOP)
    os.symlink(".", d / "loop")                                # link to its own folder
    os.symlink("..", d / "up")                                 # link to the folder above
    corpus, caught = _read(d)
    assert corpus.ids == ["alias", "good", "inside"]
    assert corpus["alias"].text == "Kyiv answered on Tuesday."
    skipped = corpus.report.skipped.set_index("source")["reason"].to_dict()
    assert skipped == {
        str(d / "dangling.txt"): f"dangling symbolic link: 'dangling.txt' points to {str(tmp / 'gone.txt')!r}, "
                                 "which does not exist",
        str(d / "elsewhere"): f"outside the corpus folder: 'elsewhere' is a symbolic link to {str(tmp / 'outside')!r}",
        str(d / "leak.txt"): f"outside the corpus folder: 'leak.txt' is a symbolic link to {str(tmp / 'secret.txt')!r}",
        str(d / "loop"): "looping symbolic link: 'loop' leads back to the corpus folder: not followed",
        str(d / "self.txt"): "looping symbolic link: 'self.txt' leads back to itself",
        str(d / "up"): "looping symbolic link: 'up' leads back to the corpus folder: not followed",
    }
    assert "6 skipped" in str(caught[0].message)
    _no_secret(corpus)


def test_front_matter_folder_reached_through_a_link_is_read(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "a.txt").write_text("---\nid: A\noutlet: RT\n---\nThe minister spoke.\n", encoding="utf-8")
    os.symlink(real, tmp_path / "link")
    corpus, caught = _read(tmp_path / "link")
    assert corpus.ids == ["A"] and corpus.metadata.loc["A", "outlet"] == "RT"
    assert caught == []


def test_manifest_found_in_the_folder_that_links_outside_is_refused(layout):
    tmp, d = layout
    (tmp / "manifest.csv").write_text("id,source_file\nx,good.txt\n", encoding="utf-8")
    os.symlink(tmp / "manifest.csv", d / "manifest.csv")
    with pytest.raises(PathOutsideCorpus, match=r"manifest .*manifest.csv: outside the corpus folder: "
                                                r"'manifest.csv' is a symbolic link to .* \(pass allow_outside"):
        dc.read_corpus(d)
    assert dc.read_corpus(d, allow_outside=True).ids == ["x"]


def test_confined_function(layout):
    tmp, d = layout
    assert confined(d, "good.txt") == (d / "good.txt").resolve()
    assert confined(d, "sub/../good.txt") == (d / "good.txt").resolve()
    assert confined(d, "not-there.txt") == (d / "not-there.txt").resolve()  # missing: the caller reports it
    (d / "real").mkdir()
    os.symlink("real", d / "linked")  # a missing file under a good link is missing, not a dangling link
    assert confined(d, "linked/not-there.txt") == (d / "real" / "not-there.txt").resolve()
    with pytest.raises(PathOutsideCorpus, match=r"^outside the corpus folder: '\.\./secret\.txt' climbs above"):
        confined(d, "../secret.txt")
    assert confined(d, "../secret.txt", allow_outside=True) == (tmp / "secret.txt").resolve()
    os.symlink("b", d / "a")
    os.symlink("a", d / "b")
    with pytest.raises(BrokenLink, match="^looping symbolic link: 'a' leads back to itself$"):
        confined(d, "a")


def test_sample_corpus_through_the_repository_link_still_reads():
    link = ROOT / "corpus"
    assert link.is_symlink()
    corpus, caught = _read(link)
    direct = dc.read_corpus(ROOT / "discourse" / "datasets" / "sample")
    assert corpus.ids == direct.ids and len(corpus) > 0
    assert not corpus.report.frame["reason"].str.contains("outside the corpus folder").any()
    assert len(caught) == (1 if len(direct.report.frame[direct.report.frame["action"] != "read"]) else 0)
