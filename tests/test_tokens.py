"""Tokenization and the shared document-term matrix, checked against independent counts."""
import re
from collections import Counter

import numpy as np
import pytest

import discourse as dc
from discourse.datasets import make_news_corpus

TEXT = ("Russia\u2019s \u201cconcerns\u201d about NATO\u2019s eastern flank: the Russia-Ukraine border. "
        "Mr. Biden met Putin in the U.S. on Tuesday, at 11:46 and 3.5% of 2021.\n"
        "Ukraine's allies' anger grew! Did it? Visit https://example.org/a_b now.")


def tok(text, **kw):
    return dc.tokenize([text], **kw)


def test_default_tokenization_rules():
    t = tok(TEXT)
    words = t.doc_tokens(0)
    assert words[:4] == ["russia", "'s", "concerns", "about"]          # curly apostrophe unified, possessive split
    assert "russia-ukraine" in words                                    # hyphenated word kept
    assert "US" in words and "mr" in words                              # dotted acronym folded (case kept: not "us")
    assert {"11:46", "3.5%", "2021"} <= set(words)                      # numbers kept
    assert "allies" in words and "https://example.org/a_b" in words
    assert not any(re.fullmatch(r"[^\w\s]", w) for w in words)           # punctuation dropped
    # offsets point into the cleaned text; surfaces lowercase to terms (the acronym: dots folded, case kept)
    surfaces = [TEXT[s:e] for s, e in zip(t.starts, t.ends)]
    assert [s.replace("\u2019", "'").lower() if s != "U.S." else "US" for s in surfaces] == words


def test_options_change_the_token_stream():
    assert tok("Russia's NATO's", possessives="keep").doc_tokens(0) == ["russia's", "nato's"]
    assert tok("Russia's NATO's", possessives="drop").doc_tokens(0) == ["russia", "nato"]
    assert tok("Russia-Ukraine border", hyphens="split").doc_tokens(0) == ["russia", "ukraine", "border"]
    assert tok("In 2021, 3 talks", numbers="drop").doc_tokens(0) == ["in", "talks"]
    assert tok("The talks", lowercase=False).doc_tokens(0) == ["The", "talks"]
    assert tok("The talks of the allies", stopwords="english").doc_tokens(0) == ["talks", "allies"]
    assert tok("The talks of the allies", stopwords=["talks"]).doc_tokens(0) == ["the", "of", "the", "allies"]
    assert tok("allies were meeting", lemmatize="en").doc_tokens(0) == ["ally", "be", "meet"]
    assert tok("a bb ccc", min_length=2).doc_tokens(0) == ["bb", "ccc"]
    assert tok("Hi, there!", punctuation="keep").doc_tokens(0) == ["hi", ",", "there", "!"]
    with pytest.raises(ValueError, match="possessives must be one of"):
        tok("x", possessives="maybe")


def test_sentences():
    t = tok("Mr. Smith met Dr. Jones. They talked! Did they agree?\nA new line starts a sentence")
    view = t.nltk()
    assert view.sents() == [["Mr", "Smith", "met", "Dr", "Jones"], ["They", "talked"],
                            ["Did", "they", "agree"], ["A", "new", "line", "starts", "a", "sentence"]]


def test_dtm_matches_an_independent_count():
    # an independent route: Counter over a plain regex whose token definition agrees on this text
    sc = make_news_corpus(30_000, n_outlets=2, seed=1, boilerplate=False)
    texts = [r["text"] for r in sc.records]
    t = dc.tokenize(texts, possessives="keep", numbers="drop")
    expected = Counter()
    for text in texts:
        expected.update(w.lower() for w in re.findall(r"[A-Za-z]+(?:['-][A-Za-z]+)*", text))
    totals = np.asarray(t.dtm.sum(axis=0)).ravel()
    got = dict(zip(t.vocab, totals.tolist()))
    assert got == dict(expected)
    # per document too
    for d in (0, 7, len(texts) - 1):
        row = t.dtm[d].toarray().ravel()
        doc = Counter(w.lower() for w in re.findall(r"[A-Za-z]+(?:['-][A-Za-z]+)*", texts[d]))
        assert {t.vocab[i]: int(row[i]) for i in np.flatnonzero(row)} == dict(doc)


def test_stream_and_dtm_agree_and_batches_do_not_matter():
    sc = make_news_corpus(40_000, n_outlets=3, seed=2)
    corpus = dc.clean(dc.Corpus.from_records(sc.records))
    one = dc.tokenize(corpus)
    many = dc.tokenize(corpus, batch_chars=5_000)
    assert one.vocab.equals(many.vocab)
    assert np.array_equal(one.ids, many.ids) and np.array_equal(one.starts, many.starts)
    assert np.array_equal(one.sent, many.sent)
    assert (one.dtm != many.dtm).nnz == 0
    # the DTM is the bincount of the stream, document by document
    for d in (0, 5, one.n_docs - 1):
        seg = one.ids[one.doc_ptr[d]:one.doc_ptr[d + 1]]
        assert np.array_equal(np.bincount(seg, minlength=len(one.vocab)), one.dtm[d].toarray().ravel())
    # offsets: the surface at each offset lowercases to its term
    d = 3
    lo, hi = one.doc_ptr[d], one.doc_ptr[d + 1]
    text = one.texts[d]
    for i in range(lo, hi, 37):
        assert text[one.starts[i]:one.ends[i]].lower().replace("\u2019", "'") == one.vocab[one.ids[i]]


def test_reconciliation_by_reason():
    t = tok("The talks, in 2021, were tense. Russia's view!", stopwords="english", numbers="drop")
    rec = t.reconciliation.set_index("reason")["tokens"]
    # by hand: The talks , in 2021 , were tense . Russia 's view !  -> 13 tokens read;
    # punctuation , , . ! = 4; number 2021 = 1; stop words the, in, were = 3;
    # counted: talks tense russia 's view = 5 (the clitic is not a stop word)
    assert rec["all tokens in the cleaned text"] == 13
    assert rec["punctuation"] == 4 and rec["number"] == 1 and rec["stopword"] == 3
    assert rec["counted"] == t.n_tokens == 5
    assert t.doc_tokens(0) == ["talks", "tense", "russia", "'s", "view"]


def test_gensim_and_nltk_interoperability():
    t = dc.load_sample()
    d = t.gensim_dictionary()
    assert d[t.term_id("russia")] == "russia"
    bows = list(t.bow())
    assert bows[0] == sorted(d.doc2bow(t.doc_tokens(0)))
    assert d.dfs[t.term_id("nato")] == 2 and d.num_docs == 2
    docs = list(t)
    assert len(docs) == 2 and docs[1][:3] == ["president", "joe", "biden"]
    view = t.nltk()
    assert view.categories() == ["RT", "TFI Post"]
    assert view.fileids(categories="RT") == ["rt_2021-12-10_nato_biden"]
    assert view.words("tfipost_nato_biden")[:3] == ["President", "Joe", "Biden"]
    assert "icon" not in view.raw()
    from nltk.text import Text
    assert Text(view.words()).count("Moscow") == sum(text.count("Moscow") for text in t.texts)


def test_select_keeps_the_shared_vocabulary():
    t = dc.load_sample()
    rt = t.select(t.metadata["outlet"] == "RT")
    assert rt.n_docs == 1 and rt.vocab is t.vocab
    assert rt.n_tokens == int(t.dtm[t.doc_ids.index("rt_2021-12-10_nato_biden")].sum())
    assert rt.doc_tokens(0) == t.doc_tokens(t.doc_ids.index("rt_2021-12-10_nato_biden"))


def test_empty_and_blank_documents_keep_their_rows():
    t = dc.tokenize(["", "   ", "NATO talks", "\n\n"])
    assert t.n_docs == 4 and t.dtm.shape[0] == 4
    assert t.doc_lengths.tolist() == [0, 0, 2, 0]
    assert [t.texts[2][s:e] for s, e in zip(t.starts, t.ends)] == ["NATO", "talks"]
    nothing = dc.tokenize(["", ""])
    assert nothing.n_tokens == 0 and nothing.dtm.shape == (2, 0) and len(nothing.starts) == 0


def test_house_style_inputs_keep_both_passes_and_batches_in_step():
    # hostile, realistic text: dotted acronyms, case-kept acronyms, abbreviations at sentence ends, hyphens
    texts = ["US officials told us the F.B.I. and the FBI met at 9 a.m. The talks ended.",
             "Mr. Biden said. Non-U.S. firms and U.S.-led talks, e.g. in the U.S. Senate, at 5 p.m.",
             "the U.N. and the UN; WHO said IS and IT were discussed in the U.S. They left."] * 40
    one, many = dc.tokenize(texts), dc.tokenize(texts, batch_chars=300)
    assert one.vocab.equals(many.vocab) and np.array_equal(one.ids, many.ids)
    assert np.array_equal(one.sent, many.sent) and np.array_equal(one.starts, many.starts)
    assert len(one.starts) == one.n_tokens  # the offset pass agrees token for token
    assert one.doc_tokens(1) == ["mr", "biden", "said", "non-US", "firms", "and", "US-led", "talks", "e.g.", "in",
                                 "the", "US", "senate", "at", "5", "p.m."]
    # sentences: split after "a.m." and "U.S." before "The"/"They", not after "Mr." or before "Senate"
    assert np.diff(one.sent[one.doc_ptr[0]:one.doc_ptr[1]]).sum() == 1
    assert np.diff(one.sent[one.doc_ptr[1]:one.doc_ptr[2]]).sum() == 1
    assert np.diff(one.sent[one.doc_ptr[2]:one.doc_ptr[3]]).sum() == 1
