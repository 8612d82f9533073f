"""The shipped data sets (discourse.datasets): the sample corpus and the US presidential speeches."""
from pathlib import Path

import pytest

import discourse as dc
from discourse import datasets

ROOT = Path(__file__).resolve().parent.parent


def test_sample_is_package_data_and_corpus_links_to_it():
    path = dc.sample_corpus_path()
    assert path == datasets.sample_corpus_path() and path.is_dir() and not path.is_symlink()
    assert path.is_relative_to(Path(dc.__file__).resolve().parent)
    link = ROOT / "corpus"
    assert link.is_symlink() and not Path(link.readlink()).is_absolute()  # relative: works in any clone
    assert link.resolve() == path
    # the reader follows a folder that is itself a link: the same corpus, read from the same bytes
    via_link, direct = dc.read_corpus(link), dc.read_corpus(path)
    assert via_link.texts == direct.texts and via_link.metadata.equals(direct.metadata)
    assert via_link.manifest_hash() == direct.manifest_hash()
    assert via_link.report.summary() == "2 documents read, 0 skipped, 0 warnings"


@pytest.fixture(scope="module")
def speeches():
    return dc.load_speeches()


def test_speeches(speeches):
    assert len(speeches) == 124
    assert list(speeches.metadata.columns) == ["collection", "year", "president", "party"]  # no invented date
    assert speeches.metadata["collection"].value_counts().to_dict() == {"state_union": 65, "inaugural": 59}
    assert speeches.metadata["year"].between(1789, 2021).all() and speeches.metadata["year"].dtype.kind == "i"
    assert speeches.ids[0] == "inaugural-1789-Washington"
    assert speeches["inaugural-2021-Biden"].meta["party"] == "Democratic"
    words = dc.tokenize(speeches, punctuation="keep").n_tokens  # words as NLTK counts them
    assert abs(words - 550_000) < 0.03 * 550_000
    # the reader's own report, naming the shipped file
    assert speeches.report.summary() == "124 documents read, 0 skipped, 0 warnings"
    assert set(speeches.report.frame["source"]) == {str(datasets.speeches_path())}
    assert speeches.params["path"] == str(datasets.speeches_path()) and speeches.params["format"] == "jsonl"
    assert set(speeches.groupby("party")) >= {"Democratic", "Republican", "Whig", "Federalist"}
