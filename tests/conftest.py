"""Shared fixtures: the sample corpus and a small synthetic multi-outlet corpus, tokenized once per session.

Tokens are not modified by the analyses, so one instance serves every test module.
"""
import warnings

import pytest

import discourse as dc
from discourse.datasets import make_news_corpus


@pytest.fixture(scope="session")
def sample():
    """The bundled sample corpus (RT and TFI Post), read, cleaned and tokenized with the defaults."""
    return dc.load_sample()


@pytest.fixture(scope="session")
def sc():
    """A 30k-token synthetic corpus of three outlets (seed 3) with its planted ground truth."""
    return make_news_corpus(30_000, seed=3)


@pytest.fixture(scope="session")
def synth(sc):
    """``sc`` read, cleaned and tokenized with the defaults."""
    return dc.tokenize(dc.clean(dc.Corpus.from_records(sc.records)))


@pytest.fixture
def read_recorded():
    """``read(path, **kw)`` -> ``(corpus, the DiscourseReadWarnings read_corpus gave)``."""
    from discourse.readers import DiscourseReadWarning

    def read(path, **kw):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            corpus = dc.read_corpus(path, **kw)
        return corpus, [w for w in caught if issubclass(w.category, DiscourseReadWarning)]

    return read
