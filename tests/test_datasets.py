"""The shipped data sets (discourse.datasets): the sample corpus."""
from pathlib import Path

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
