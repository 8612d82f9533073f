"""The outlet registry: hostile spellings mapped exactly, look-alike domains refused, every raw name reported."""
import json
import warnings

import pandas as pd
import pytest

import discourse as dc
from discourse.cli_flags import add_reading_options, reading_options
from discourse.outlets import DEFAULT_FILE, OutletRegistry, load_outlets, normalise_outlets, outlet_key, url_host


@pytest.fixture(scope="module")
def registry():
    return load_outlets()


@pytest.mark.parametrize("raw, outlet, rule", [
    ("The New York Times", "The New York Times", "exact"),
    ("The New York Times\u00a0", "The New York Times", "exact"),          # NBSP
    ("The\u200b New York Times", "The New York Times", "exact"),          # zero-width space
    ("\ufeffFox News", "Fox News", "exact"),                               # BOM
    ("Ｆｏｘ Ｎｅｗｓ", "Fox News", "exact"),                                 # fullwidth
    ("New York Times - News", "The New York Times", "alias"),
    ("The New York Times Blogs", "The New York Times", "alias"),
    ("NYT", "The New York Times", "alias"),
    ("Fox Online News", "Fox News", "alias"),
    ("Associated Press Newswires", "Associated Press", "alias"),
    ("AP Top News", "Associated Press", "alias"),
    ("Reuters News", "Reuters", "alias"),
    ("Thomson Reuters", "Reuters", "alias"),
    ("Agence France Presse -- English", "AFP", "alias"),
    ("Wall Street Journal, Eastern edition; New York, N.Y.", "The Wall Street Journal", "alias"),
    ("ABC Premium News", "ABC News (Australia)", "alias"),
    ("new york times", "The New York Times", "case-folded alias"),     # case, no "The"
    ("THE NEW YORK TIMES - NEWS", "The New York Times", "case-folded alias"),
    ("New York Times -- News", "The New York Times", "case-folded alias"),  # punctuation
    ("foxnews.com", "Fox News", "case-folded alias"),                  # the alias FoxNews.com
    ("Guardian", "The Guardian", "alias"),
    ("guardian", "The Guardian", "case-folded alias"),
    ("https://www.foxnews.com/politics/x", "Fox News", "domain"),
    ("edition.cnn.com", "CNN", "domain"),
    ("https://edition.cnn.com:443/2021/01/01/world/story.html?x=1#top", "CNN", "domain"),
    ("WWW.BBC.CO.UK/news/world-123", "BBC News", "domain"),
    ("http://user@www.reuters.com:8080/world", "Reuters", "domain"),
    ("timesofindia.indiatimes.com/india/x", "The Times of India", "domain"),
    ("https://news.sky.com./story/x", "Sky News", "domain"),            # trailing dot of a FQDN
    ("notfoxnews.com", "notfoxnews.com", "unmapped"),
    ("foxnews.com.evil.net", "foxnews.com.evil.net", "unmapped"),
    ("https://foxnews.com.evil.net/politics", "https://foxnews.com.evil.net/politics", "unmapped"),
    ("https://www.sky.com/tv", "https://www.sky.com/tv", "unmapped"),    # only news.sky.com is registered
    ("economictimes.indiatimes.com", "economictimes.indiatimes.com", "unmapped"),
    ("Springfield Gazette", "Springfield Gazette", "unmapped"),
    ("Fox", "Fox", "unmapped"),
])
def test_hostile_spellings_map_exactly(registry, raw, outlet, rule):
    assert registry.match(raw) == (outlet, rule)


def test_domains_can_be_turned_off_and_hosts_are_parsed_strictly(registry):
    assert registry.match("https://www.foxnews.com/x", domains=False) == ("https://www.foxnews.com/x", "unmapped")
    assert [url_host(v) for v in ["cnn.com:443", "https://CNN.com/x", "fox news.com", "not a url", None, "a@b.com"]] \
        == ["cnn.com", "cnn.com", None, None, None, None]
    assert outlet_key("The  New-York\u00a0Times") == outlet_key("new york times") == "newyorktimes"


def test_normalise_outlets_table_counts_every_raw_value(registry):
    values = ["CNN", "cnn.com", "Springfield Gazette", "CNN", None, "https://www.foxnews.com/a"]
    result = normalise_outlets(values, registry)
    assert result.outlet.tolist()[:4] == ["CNN", "CNN", "Springfield Gazette", "CNN"]
    assert result.rule.tolist() == ["exact", "case-folded alias", "unmapped", "exact", "unmapped", "domain"]
    assert result.table.to_dict("records") == [
        {"raw": "CNN", "outlet": "CNN", "rule": "exact", "documents": 2},
        {"raw": "cnn.com", "outlet": "CNN", "rule": "case-folded alias", "documents": 1},
        {"raw": "Springfield Gazette", "outlet": "Springfield Gazette", "rule": "unmapped", "documents": 1},
        {"raw": "https://www.foxnews.com/a", "outlet": "Fox News", "rule": "domain", "documents": 1}]
    assert normalise_outlets(["cnn.com/x"], registry, domains=False).rule.tolist() == ["unmapped"]
    with pytest.raises(ValueError, match="domains"):
        normalise_outlets(values, registry, domains="yes")
    with pytest.raises(ValueError, match="registry must be an OutletRegistry"):
        normalise_outlets(values, {"CNN": "CNN"})


def test_shipped_registry_is_large_and_consistent(registry):
    names = [o.name for o in registry.outlets]
    assert 50 <= len(registry) <= 80 and len(set(names)) == len(names)
    assert registry.files == (DEFAULT_FILE,) and len(registry.sha256) == 64
    assert all(o.kind in {"newspaper", "broadcaster", "wire", "digital", "magazine"} for o in registry.outlets)
    # every alias and name of every outlet maps back to that outlet
    assert all(registry.match(a)[0] == o.name for o in registry.outlets for a in (o.name, *o.aliases))
    assert all(registry.match(f"https://www.{d}/x") == (o.name, "domain") for o in registry.outlets for d in o.domains)


def _yaml(tmp_path, text, name="mine.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_extends_and_overrides(tmp_path, registry):
    path = _yaml(tmp_path, """
outlets:
  - name: The New York Times
    aliases: ["Gray Lady"]
    country: USA
  - name: Springfield Gazette
    aliases: ["The Gazette (Springfield)", "NYT"]
    domains: [gazette.example]
    kind: newspaper
""")
    mine = load_outlets(path)
    assert mine.files == (DEFAULT_FILE, str(path)) and len(mine) == len(registry) + 1
    assert mine.match("gray lady") == ("The New York Times", "case-folded alias")
    assert mine.match("nytimes.com") == ("The New York Times", "alias")       # shipped aliases kept
    assert mine.match("NYT") == ("Springfield Gazette", "alias")               # the user's claim wins
    assert mine.match("https://news.gazette.example/x") == ("Springfield Gazette", "domain")
    nyt = next(o for o in mine.outlets if o.name == "The New York Times")
    assert nyt.country == "USA" and nyt.kind == "newspaper" and "NYT" not in nyt.aliases
    assert mine.sha256 != registry.sha256
    alone = load_outlets(_yaml(tmp_path, "extend: false\noutlets:\n  - name: Gazette\n", "alone.yaml"))
    assert len(alone) == 1 and alone.match("The New York Times") == ("The New York Times", "unmapped")


@pytest.mark.parametrize("text, message", [
    ("- a\n- b\n", "bad.yaml: top level: expected a mapping with `outlets:` (a list of outlets), got ['a', 'b']"),
    ("outlets: {name: X}\n", "bad.yaml: outlets: expected a list of outlets, got {'name': 'X'}"),
    ("outlets:\n  - aliases: [X]\n", "bad.yaml: outlets[0].name: expected a mapping with `name:` (text), got None"),
    ("outlets:\n  - name: X\n  - name: Y\n    aliases: X1\n",
     "bad.yaml: outlets[1].aliases: expected a list of names (text), got 'X1'"),
    ("outlets:\n  - name: X\n    aliases: [A, 3]\n", "bad.yaml: outlets[0].aliases[1]: expected a name (text), got 3"),
    ("outlets:\n  - name: X\n    domains: ['https://x.com/']\n",
     "bad.yaml: outlets[0].domains[0]: expected a domain such as foxnews.com, got 'https://x.com/'"),
    ("outlets:\n  - name: X\n    website: x.com\n",
     "bad.yaml: outlets[0].website: unknown key (expected one of ['aliases', 'country', 'domains', 'kind', 'name'])"),
    ("outlets:\n  - name: X\n    country: NO\n", "bad.yaml: outlets[0].country: expected text, got False"),
    ("outlets:\n  - name: X\n    aliases: [Same]\n  - name: Y\n    aliases: [same]\n",
     "bad.yaml: outlets[1].aliases[0]: 'same' is already claimed by outlets[0].aliases[0]"),
    ("outlets:\n  - name: X\n    domains: [x.com]\n  - name: Y\n    domains: [X.com]\n",
     "bad.yaml: outlets[1].domains[0]: 'x.com' is already claimed by outlets[0].domains[0]"),
    ("extend: maybe\noutlets: []\n", "bad.yaml: extend: expected true or false, got 'maybe'"),
    ("outlets: [\n", "bad.yaml: not valid YAML"),
])
def test_malformed_registry_names_file_and_key(tmp_path, text, message):
    path = _yaml(tmp_path, text, "bad.yaml")
    with pytest.raises(ValueError) as e:
        load_outlets(path)
    expected = f"{path}: {message.removeprefix('bad.yaml: ')}"
    if message.endswith("not valid YAML"):  # followed by PyYAML's own description of the syntax error
        assert str(e.value).startswith(expected + " (")
    else:
        assert str(e.value) == expected


def test_registry_option_checked():
    with pytest.raises(ValueError, match="outlets must be True or 'default'"):
        dc.read_corpus(dc.sample_corpus_path(), outlets=3)
    with pytest.raises(FileNotFoundError, match="no such outlet registry file: nowhere.yaml"):
        dc.read_corpus(dc.sample_corpus_path(), outlets="nowhere.yaml")


ROWS = [("a", "New York Times - News", None), ("b", "The New York Times", None), ("c", "Springfield Gazette", None),
        ("d", None, "https://edition.cnn.com/x"), ("e", "", "https://notcnn.com/x"), ("f", "FoxNews.com", None),
        ("g", "Fox\u00a0Online News", None), ("h", "springfield gazette", None), ("i", None, None)]


def _corpus(tmp_path, **kw):
    path = tmp_path / "news.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for doc_id, outlet, url in ROWS:
            f.write(json.dumps({"id": doc_id, "outlet": outlet, "url": url, "text": f"text {doc_id}"}) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the registry reports, it does not warn
        return dc.read_corpus(path, **kw)


def test_read_report_lists_every_raw_name(tmp_path):
    corpus = _corpus(tmp_path, outlets=True)
    assert corpus.metadata["outlet"].tolist()[:4] == ["The New York Times", "The New York Times",
                                                      "Springfield Gazette", "CNN"]
    assert corpus.metadata["outlet"].tolist()[5:8] == ["Fox News", "Fox News", "springfield gazette"]
    assert corpus.metadata["outlet_raw"].tolist()[:3] == ["New York Times - News", "The New York Times",
                                                          "Springfield Gazette"]
    labels = corpus.report.labels.astype(object)
    labels = labels.where(labels.notna(), None)
    assert labels["column"].eq("outlet").all() and labels["documents"].eq(1).all()
    assert list(labels[["variant", "label", "step"]].itertuples(index=False, name=None)) == [
        ("New York Times - News", "The New York Times", "outlets: alias"),
        ("The New York Times", "The New York Times", "outlets: exact"),
        ("Springfield Gazette", "Springfield Gazette", "outlets: unmapped"),
        ("FoxNews.com", "Fox News", "outlets: alias"),
        ("Fox\u00a0Online News", "Fox News", "outlets: alias"),
        ("springfield gazette", "springfield gazette", "outlets: unmapped"),
        ("Springfield Gazette", "Springfield Gazette", "case variant, not merged"),
        ("springfield gazette", "springfield gazette", "case variant, not merged"),
        ("edition.cnn.com", "CNN", "outlets: domain from url"),
        ("notcnn.com", None, "outlets: url domain unmapped")]  # "" is read as missing, as by every reader
    sha = corpus.params["outlets"]["sha256"]
    assert corpus.params["outlets"] == {"files": [DEFAULT_FILE], "outlets": len(load_outlets()), "sha256": sha}
    assert (f"outlets: registry {DEFAULT_FILE} (sha256 {sha[:12]}): 4 raw names mapped to 2 outlets (4 documents); "
            "2 not in the registry, kept as written: 'Springfield Gazette' (1), 'springfield gazette' (1)"
            in corpus.report.notes)
    assert ("outlets: 2 documents without an outlet: 1 taken from the domain of their url, 1 left empty "
            "(domain not in the registry)" in corpus.report.notes)
    assert dc.provenance(corpus=corpus).parameters["outlets"] == corpus.params["outlets"]


def test_reconciliation_documents_unchanged_every_name_accounted_for(tmp_path):
    off, on = _corpus(tmp_path), _corpus(tmp_path, outlets="default")
    assert len(on) == len(off) == len(ROWS) and on.metadata.index.tolist() == off.metadata.index.tolist()
    rows = on.report.labels[on.report.labels["step"].str.startswith("outlets: ")
                            & ~on.report.labels["step"].str.contains("url")]
    named = [o for _, o, _ in ROWS if o]
    assert sorted(rows["variant"]) == sorted(set(named)) and rows["documents"].sum() == len(named)
    assert off.params["outlets"] is None and "outlets" not in dc.provenance(corpus=off).parameters
    as_read = off.metadata["outlet"].where(off.metadata["outlet"].notna(), None).tolist()
    assert as_read == [o.replace("\u00a0", " ") if o else None for _, o, _ in ROWS]


def test_user_aliases_come_before_the_registry_and_registry_object_accepted(tmp_path, registry):
    corpus = _corpus(tmp_path, outlets=registry, aliases={"Springfield Gazette": "The Gazette"})
    rows = corpus.report.labels.set_index("variant")
    assert rows.loc["Springfield Gazette", "step"] == "alias"
    assert corpus.metadata.loc["c", "outlet"] == "The Gazette"


def test_url_column_fills_a_missing_outlet_column(tmp_path):
    path = tmp_path / "urls.csv"
    pd.DataFrame({"id": ["a", "b"], "text": ["x y", "z w"],
                  "url": ["https://www.theguardian.com/world/1", "https://example.org/2"]}).to_csv(path, index=False)
    corpus = dc.read_corpus(path, outlets=True)
    assert corpus.metadata["outlet"].iloc[0] == "The Guardian" and pd.isna(corpus.metadata["outlet"].iloc[1])
    assert corpus.report.labels["step"].tolist() == ["outlets: domain from url", "outlets: url domain unmapped"]


def test_cli_flag(tmp_path):
    import argparse
    parser = argparse.ArgumentParser()
    add_reading_options(parser)
    assert reading_options(parser.parse_args(["--outlets", "default"]))["outlets"] == "default"
    assert "outlets" not in reading_options(parser.parse_args([]))
    assert isinstance(dc.read_corpus(dc.sample_corpus_path(), outlets="default").params["outlets"]["sha256"], str)
    assert isinstance(load_outlets("default"), OutletRegistry)
    path = tmp_path / "bare.csv"
    pd.DataFrame({"id": ["a"], "text": ["x y"], "source": ["CNN"]}).to_csv(path, index=False)
    assert ("outlets: no 'outlet' or 'url' column, the outlet registry was not applied (name the outlet column "
            "with outlet_column=...)") in dc.read_corpus(path, outlets=True).report.notes
    named = dc.read_corpus(path, outlets=True, outlet_column="source")
    assert named.metadata["outlet"].tolist() == ["CNN"] and named.report.labels["step"].tolist() == ["outlets: exact"]


def test_cli_frequencies_by_registry_outlet(tmp_path, capsys):
    from discourse.cli import main
    path = tmp_path / "wires.jsonl"
    rows = [("AP Top News", "Russia said"), ("Associated Press Newswires", "Russia denied"),
            ("Reuters News", "Russia and NATO"), ("https://www.reuters.com/world/x", "NATO said")]
    path.write_text("".join(json.dumps({"id": f"d{i}", "outlet": o, "text": t}) + "\n"
                            for i, (o, t) in enumerate(rows)), encoding="utf-8")
    out = tmp_path / "freq.csv"
    assert main(["frequencies", str(path), "--by", "outlet", "--outlets", "default", "--no-clean",
                 "-o", str(out), "-q"]) == 0
    table = pd.read_csv(out)
    assert sorted(table["group"].unique()) == ["Associated Press", "Reuters"]
    assert table.query("term == 'russia'").set_index("group")["freq"].to_dict() == {"Associated Press": 2,
                                                                                 "Reuters": 1}


def test_media_cloud_and_gdelt_exports_read_through_the_registry(tmp_path):
    mc = tmp_path / "stories.csv"  # Media Cloud names many sources by their domain
    mc.write_text("id,indexed_date,language,media_name,media_url,publish_date,title,url,text\n"
                  "1,2021-01-02,en,nytimes.com,https://www.nytimes.com,2021-01-01,T1,https://www.nytimes.com/a,one\n"
                  "2,2021-01-02,en,,,2021-01-01,T2,https://edition.cnn.com/b,two\n"
                  "3,2021-01-02,en,Springfield Gazette,,2021-01-01,T3,https://gazette.example/c,three\n",
                  encoding="utf-8")
    gdelt = tmp_path / "gdelt.csv"
    gdelt.write_text("url,url_mobile,title,seendate,socialimage,domain,language,sourcecountry,text\n"
                     "https://www.foxnews.com/x,,T4,20210101T000000Z,,foxnews.com,English,United States,four\n"
                     "https://notfoxnews.com/y,,T5,20210101T000000Z,,notfoxnews.com,English,United States,five\n",
                     encoding="utf-8")
    got = {}
    for path in (mc, gdelt):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the readers' own notices are not under test here
            corpus = dc.read_corpus(path, outlets=True)
        got.update(zip(corpus.metadata["title"], corpus.metadata["outlet"]))
        assert set(corpus.report.labels["step"]) <= {f"outlets: {r}" for r in
                                                     ("exact", "alias", "case-folded alias", "domain", "unmapped")}
    assert got == {"T1": "The New York Times", "T2": "CNN", "T3": "Springfield Gazette", "T4": "Fox News",
                   "T5": "notfoxnews.com"}
