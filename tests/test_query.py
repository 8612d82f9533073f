"""Tests of node/query matching (discourse.query) against brute-force matching of the token lists."""
from __future__ import annotations

import re

import numpy as np
import pytest

import discourse as dc
from discourse.query import Hits, concordance_index, describe_query, find

RUSSIA = ["Russia", "Russian", "Moscow", "Kremlin", "Putin"]


def _brute(tokens, phrase: list[set[str]]) -> list[tuple[int, int]]:
    """(doc, position) of every run of tokens matching the slots, by plain Python loops."""
    out = []
    for d, toks in enumerate(tokens):
        for i in range(len(toks) - len(phrase) + 1):
            if all(toks[i + j] in slot for j, slot in enumerate(phrase)):
                out.append((d, i))
    return out


def _found(tokens, hits: Hits) -> list[tuple[int, int]]:
    return list(zip(hits.doc.tolist(), (hits.start - tokens.doc_ptr[hits.doc]).tolist()))


def test_word_matches_brute_force(synth):
    word = synth.vocab[5]
    assert _found(synth, find(synth, word)) == _brute(synth, [{word}])


def test_phrase_matches_brute_force_and_stays_in_documents(synth):
    # the most frequent adjacent pair of the corpus, found by counting in Python
    pairs: dict = {}
    for toks in synth:
        for a, b in zip(toks, toks[1:]):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    (a, b), n = max(pairs.items(), key=lambda kv: kv[1])
    hits = find(synth, f"{a} {b}")
    assert len(hits) == n
    assert _found(synth, hits) == _brute(synth, [{a}, {b}])
    assert (hits.length == 2).all()
    # the last token of one document followed by the first of the next is no phrase
    first, last = synth.doc_tokens(1)[0], synth.doc_tokens(0)[-1]
    assert (0, len(synth.doc_tokens(0)) - 1) not in _found(synth, find(synth, f"{last} {first}"))


def test_possessive_query_is_normalised_like_the_corpus(sample):
    hits = find(sample, "Russia's")
    assert (hits.length == 2).all() and len(hits) == len(_brute(sample, [{"russia"}, {"'s"}])) > 0
    assert find(sample, "RUSSIA").terms == ["russia"]
    assert len(find(sample, "Russia\u2019s")) == len(hits)  # curly apostrophe, as in the articles


def test_term_group_wildcard_and_regex(sample):
    group = find(sample, RUSSIA)
    assert len(group) == 35  # 9 in RT + 26 in TFI Post (see the corpus facts in the brief)
    assert group.terms == ["moscow", "putin", "russia", "russian"]
    assert _found(sample, group) == _brute(sample, [{"russia", "russian", "moscow", "kremlin", "putin"}])
    wild = find(sample, "russia*")
    expected = {t for t in sample.vocab if t.startswith("russia")}
    assert set(wild.terms) == expected
    assert _found(sample, wild) == _brute(sample, [expected])
    rx = find(sample, re.compile(r"russ\w+"))
    assert set(rx.terms) == {t for t in sample.vocab if re.fullmatch(r"russ\w+", t)}
    assert _found(sample, find(sample, r"russ\w+ aggression", regex=True)) == _brute(
        sample, [set(rx.terms), {"aggression"}])


def test_overlapping_group_members_keep_the_longest(sample):
    hits = find(sample, ["russia", "Russia's"])
    starts = hits.start.tolist()
    assert starts == sorted(set(starts))
    poss = set(find(sample, "Russia's").start.tolist())
    assert {s for s, n in zip(starts, hits.length.tolist()) if n == 2} == poss
    assert len(hits) == len(find(sample, "russia"))
    cov = hits.covered()
    assert len(cov) == int(hits.length.sum()) and (np.diff(cov) > 0).all()


def test_query_words_follow_the_corpus_tokenization():
    lemmas = dc.load_sample(lemmatize="en")
    assert find(lemmas, "concerns").terms == ["concern"]  # the lemma, like the corpus
    kept = dc.load_sample(possessives="keep")
    assert find(kept, "Russia's").terms == ["russia's"] and (find(kept, "Russia's").length == 1).all()


def test_absent_word_gives_no_hits(sample):
    hits = find(sample, "xylophone")
    assert len(hits) == 0 and hits.terms == []


def test_index_is_built_once_and_per_tokens(sample, synth):
    idx = concordance_index(sample)
    assert concordance_index(sample) is idx
    assert concordance_index(synth) is not idx
    t = 7
    np.testing.assert_array_equal(idx.positions([t]), np.flatnonzero(sample.ids == t))


@pytest.mark.parametrize("bad, error", [("", ValueError), ("   ", ValueError), ([], ValueError),
                                        (3, TypeError), ([1, 2], TypeError)])
def test_invalid_queries(sample, bad, error):
    with pytest.raises(error):
        find(sample, bad)


def test_invalid_regex_message(sample):
    with pytest.raises(ValueError, match="regular expression"):
        find(sample, "(unclosed", regex=True)


def test_describe_query():
    assert describe_query(["Russia", re.compile("nato.*")]) == "{Russia, /nato.*/}"
    assert describe_query("a b") == "a b"
