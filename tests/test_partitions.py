"""The partition protocol: a corpus cut into parts gives the results of the whole (map + merge)."""
import numpy as np
import pytest

import discourse as dc
from discourse.datasets import make_news_corpus
from discourse.partitions import SplitTokens, is_partitioned, map_partitions, merge_sum, stacked_columns


@pytest.fixture(scope="module")
def tokens():
    sc = make_news_corpus(30_000, n_outlets=3, seed=2)
    return dc.tokenize(dc.Corpus.from_records(sc.records))


def _lengths(part, first):
    return part.doc_lengths.sum(), first


def test_split_partitions_cover_the_corpus_in_order(tokens):
    split = SplitTokens(tokens, 4)
    assert is_partitioned(split) and not is_partitioned(tokens)
    assert split.n_partitions == 4 and split.bounds[0] == 0 and split.bounds[-1] == tokens.n_docs
    parts = map_partitions(split, _lengths)
    assert [f for _, f in parts] == list(split.bounds[:-1])
    assert sum(n for n, _ in parts) == tokens.n_tokens
    assert map_partitions(tokens, _lengths) == [(tokens.n_tokens, 0)]
    with pytest.raises(ValueError, match="bounds"):
        SplitTokens(tokens, bounds=[0, 5])


def test_stacked_columns_and_term_partitions(tokens):
    split = SplitTokens(tokens, bounds=[0, 3, 3, tokens.n_docs])  # an empty partition too
    cols = [tokens.term_id("the"), 5, 17]
    assert (stacked_columns(split, cols) != tokens.dtm[:, cols]).nnz == 0
    docs = np.flatnonzero(tokens.dtm[:, 17].toarray().ravel())
    expected = sorted({0 if d < 3 else 2 for d in docs})
    assert list(split.term_partitions([17])) == expected
    assert merge_sum([(1, np.array([1, 2])), (2, np.array([3, 4]))])[1].tolist() == [4, 6]


@pytest.mark.parametrize("n", [1, 2, 5])
def test_frequencies_on_a_split_equal_the_whole(tokens, n):
    whole = dc.frequencies(tokens, by="outlet")
    assert whole.equals(dc.frequencies(SplitTokens(tokens, n), by="outlet"))
    assert dc.frequencies(tokens).equals(dc.frequencies(SplitTokens(tokens, n)))


def test_term_totals(tokens):
    from discourse.partitions import term_totals

    expected = np.asarray(tokens.dtm.sum(axis=0)).ravel()
    assert (term_totals(tokens) == expected).all() and (term_totals(SplitTokens(tokens, 3)) == expected).all()
