"""User-supplied cleaning rules and YAML are untrusted input (issue 11, "User-supplied rules and YAML").

Rules run on RE2 (linear time); a pattern RE2 cannot compile, a profile or a
manifest of the wrong shape is a ValueError naming the file and the key; YAML is
read with safe types only and bounded size, aliases and alias expansion.
"""
from __future__ import annotations

import re
import time

import pytest

import discourse as dc
from discourse.safe_yaml import load_front_matter, load_yaml

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""  # 72 aliases, under the alias bound: the expansion bound (9^9 nodes) must refuse it


def _corpus(text: str, **meta) -> dc.Corpus:
    return dc.Corpus.from_records([{"id": "d1", "text": text, **meta}])


def _profile(tmp_path, pattern: str, kind: str = "line", name: str = "my_rules.yaml"):
    path = tmp_path / name
    path.write_text(f"rules:\n  hostile:\n    kind: {kind}\n    pattern: '{pattern}'\n"
                    "profiles:\n  all:\n    rules: [hostile]\n", encoding="utf-8")
    return path


# --- RE2: linear time, and no silent fallback to Python's re ---------------------------------------

@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|aa)+$", "(a*)*b$", "^(\\w+\\s?)*$"])
def test_catastrophic_pattern_runs_in_linear_time(tmp_path, pattern):
    # with Python's re each of these backtracks exponentially on this text; RE2 finishes at once
    text = "a" * 30_000 + "!"
    path = _profile(tmp_path, pattern, kind="span")
    start = time.perf_counter()
    cleaned = dc.clean(_corpus(text), path, recurring=False)
    assert time.perf_counter() - start < 2.0
    assert cleaned.texts[0] == text and cleaned.audit.empty  # none of them can match before the "!"
    # where they do match, RE2 removes what re would (checked on a text short enough for re)
    for short in ["a" * 12, "xx aaaa", "ab\naaa"]:
        kept = dc.clean(_corpus(short), path, recurring=False).texts[0]
        assert kept == re.sub(pattern, "", short, flags=re.M), short


def test_catastrophic_line_rule_on_30000_characters(tmp_path):
    text = "a" * 30_000 + "b"
    start = time.perf_counter()
    cleaned = dc.clean(_corpus(text), _profile(tmp_path, "(a+)+$"), recurring=False)
    assert time.perf_counter() - start < 2.0
    assert cleaned.texts[0] == text  # "(a+)+$" cannot match a line ending in "b"
    assert cleaned.audit.empty


@pytest.mark.parametrize("pattern, reason", [
    ("(a)\\1", "invalid escape sequence: \\1"),
    ("foo(?=bar)", "invalid perl operator: (?="),
    ("(?<!x)y", "invalid perl operator: (?<!"),
    ("(unclosed", "missing ): (unclosed"),
])
def test_pattern_re2_cannot_compile_names_rule_file_and_reason(tmp_path, pattern, reason):
    path = _profile(tmp_path, pattern)
    with pytest.raises(ValueError) as err:
        dc.clean(_corpus("text"), path)
    assert str(err.value) == (f"{path}: rules.hostile.pattern: invalid or missing pattern: RE2 cannot compile "
                              f"{pattern!r}: {reason} (RE2 has no back-references or look-around)")


def test_builtin_profiles_all_compile_with_re2():
    import re2

    config = dc.load_profiles("default")
    patterns = {n: r["pattern"] for n, r in config["rules"].items() if "pattern" in r}
    assert set(patterns) == {"icon_sprite_line", "dateline", "podcast_player", "timestamp_line",
                             "also_read", "share_line"}
    for p in patterns.values():
        re2.compile(p)


def test_rewritten_icon_rule_matches_the_look_ahead_original():
    # RE2 has no look-ahead; the shipped rule was rewritten without it. Same lines, checked with re.
    old, new = re.compile(r"^(?=(?:.*?icon\b){5}).*$", re.M), re.compile(r"^(?:.*?icon\b){5}.*$", re.M)
    text = ("icon bookmark-bicon bookmarkicon shareicon printicon\nfour icon icon icon icon\n"
            "icon icon icon icon icon icon trailing words\nnot here\nxicon yicon zicon wicon vicon\n")
    assert [m.span() for m in old.finditer(text)] == [m.span() for m in new.finditer(text)]
    assert len(list(new.finditer(text))) == 3


def test_prefilter_agrees_with_re2_on_non_ascii_word_boundaries(tmp_path):
    # RE2's \b is ASCII, Rust's (the polars prefilter above 200 documents) is Unicode:
    # "iconé" ends a word for RE2; the prefilter must not skip that document
    path = _profile(tmp_path, "icon\\b", kind="span")
    records = [{"id": f"d{i}", "text": "an iconé here"} for i in range(250)]
    many = dc.clean(dc.Corpus.from_records(records), path, recurring=False)
    one = dc.clean(dc.Corpus.from_records(records[:1]), path, recurring=False)
    assert one.texts[0] == "an é here"
    assert set(many.texts) == {"an é here"} and len(many.audit) == 250


# --- profiles of the wrong shape ---------------------------------------------------------------------

@pytest.mark.parametrize("body, message", [
    ("- rules\n- profiles\n", "top level: expected a mapping with `rules:` and `profiles:`, got ['rules', 'profiles']"),
    ("profiles:\n  all:\n    rules: []\n", "rules: missing (a mapping of rule name -> rule)"),
    ("rules: [a, b]\n", "rules: expected a mapping of rule name -> rule, got ['a', 'b']"),
    ("rules:\n  x: 'just a string'\n", "rules.x: expected a mapping with `kind:` (and `pattern:`), got 'just a string'"),
    ("rules:\n  x: {kind: line, pattern: 3}\n",
     "rules.x.pattern: invalid or missing pattern (expected a regular expression as text, got 3)"),
    ("rules:\n  x: {kind: span}\n",
     "rules.x.pattern: invalid or missing pattern (expected a regular expression as text, got None)"),
    ("rules:\n  x: {kind: sentence, pattern: a}\n",
     "rules.x.kind: kind must be one of ['block', 'duplicate', 'line', 'span', 'title'], got 'sentence'"),
    ("rules:\n  x: {kind: title}\nprofiles: [x]\n", "profiles: expected a mapping of profile name -> profile, got ['x']"),
    ("rules:\n  x: {kind: title}\nprofiles:\n  RT: [x]\n",
     "profiles.RT: expected a mapping with `rules:` (and `match:`), got ['x']"),
    ("rules:\n  x: {kind: title}\nprofiles:\n  RT: {rules: x}\n", "profiles.RT.rules: expected a list of rule names, got 'x'"),
    ("rules:\n  x: {kind: title}\nprofiles:\n  RT: {rules: [x, x, 3]}\n",
     "profiles.RT.rules[2]: expected a rule name (text), got 3"),
    ("rules:\n  x: {kind: title}\nprofiles:\n  RT: {rules: [x], match: rt.com}\n",
     "profiles.RT.match: expected a mapping of metadata column -> value(s), got 'rt.com'"),
    ("rules:\n  x: {kind: title}\nprofiles:\n  RT: {rules: [x], match: {domain: {a: 1}}}\n",
     "profiles.RT.match.domain: expected a value or a list of values, got {'a': 1}"),
    ("rules:\n  x: {kind: title}\nprofiles:\n  RT: {rules: [x, ghost]}\n",
     "profiles.RT.rules: profile 'RT' names undefined rules ['ghost']"),
    ("rules:\n  x: {kind: title\n", None),  # not YAML at all
])
def test_profile_of_wrong_shape_names_file_and_key(tmp_path, body, message):
    path = tmp_path / "my_rules.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        dc.clean(_corpus("some text"), path)
    if message is None:
        assert str(err.value).startswith(f"{path}: not valid YAML (")
    else:
        assert str(err.value) == f"{path}: {message}"


def test_dict_profiles_are_checked_the_same_way():
    with pytest.raises(ValueError, match=r"^cleaning profiles \(dict\): rules\.x: expected a mapping"):
        dc.load_profiles({"rules": {"x": None}})
    with pytest.raises(ValueError, match=r"^cleaning profiles \(list\): top level"):
        dc.load_profiles(["rules"])  # type: ignore[arg-type]


# --- safe YAML: bounds ---------------------------------------------------------------------------------

def test_billion_laughs_refused_fast_naming_the_file(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ValueError) as err:
        dc.clean(_corpus("text"), path)
    assert time.perf_counter() - start < 1.0
    assert str(err.value) == (f"{path}: YAML refused: aliases expand to more than 100000 nodes "
                              "(max_nodes=100000); an alias bomb?")


def test_too_many_aliases_refused():
    text = "a: &x 1\nb: [" + ", ".join(["*x"] * 101) + "]\n"
    with pytest.raises(ValueError, match=r"^t\.yaml: YAML refused: more than 100 aliases \(max_aliases=100\)$"):
        load_yaml(text, name="t.yaml")
    assert load_yaml(text, max_aliases=101)["b"] == [1] * 101  # the bound can be raised
    assert load_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}  # ordinary aliases still work


def test_size_bound_on_files_and_text(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("rules:\n" + "# padding\n" * 120_000, encoding="utf-8")
    with pytest.raises(ValueError, match=r"big\.yaml: 1,200,007 bytes is more than max_bytes=1,000,000"):
        dc.load_profiles(path)
    assert dc.load_profiles(path, max_bytes=2_000_000) == {"rules": {}, "profiles": {}}
    with pytest.raises(ValueError, match=r"^YAML text: 11 bytes is more than max_bytes=10; "):
        load_yaml("a: 12345678", max_bytes=10)


@pytest.mark.parametrize("text", [
    "!!python/object/apply:os.system ['echo hacked']",
    "!!python/name:os.system",
    "a: !!python/object/new:subprocess.Popen [['ls']]",
])
def test_python_tags_are_refused(text):
    with pytest.raises(ValueError, match=r"^evil\.yaml: not valid YAML \(could not determine a constructor"):
        load_yaml(text, name="evil.yaml")


def test_deep_nesting_is_a_clear_error():
    with pytest.raises(ValueError, match=r"^deep\.yaml: (YAML nested too deeply to read|not valid YAML)"):
        load_yaml("[" * 100_000, name="deep.yaml")


# --- manifests and front matter ------------------------------------------------------------------------

def _folder(tmp_path, manifest: str, name: str = "manifest.yaml"):
    d = tmp_path / "corpus"
    d.mkdir(parents=True)
    (d / "a.txt").write_text("Alpha text.", encoding="utf-8")
    (d / name).write_text(manifest, encoding="utf-8")
    return d


@pytest.mark.parametrize("manifest, message", [
    ("- {source_file: a.txt}\n- 3\n", "[1]: expected a record (a mapping of column -> value), got 3"),
    ("- [a.txt, RT]\n", "[0]: expected a record (a mapping of column -> value), got ['a.txt', 'RT']"),
    ("a.txt: RT\n", "a.txt: expected the file's metadata (a mapping), got 'RT'"),
    ("a.txt: [outlet, RT]\n", "a.txt: expected the file's metadata (a mapping), got ['outlet', 'RT']"),
])
def test_manifest_of_wrong_shape_names_file_and_key(tmp_path, manifest, message):
    d = _folder(tmp_path, manifest)
    with pytest.raises(ValueError) as err:
        dc.read_corpus(d)
    assert str(err.value) == f"{d / 'manifest.yaml'}: {message}"


def test_manifest_alias_bomb_and_bad_json_name_the_file(tmp_path):
    d = _folder(tmp_path, BOMB)
    with pytest.raises(ValueError, match=r"manifest\.yaml: YAML refused: aliases expand to more than 100000 nodes"):
        dc.read_corpus(d)
    d2 = _folder(tmp_path / "j", '[{"source_file": "a.txt",}]', name="manifest.json")
    with pytest.raises(ValueError, match=r"manifest\.json: not valid JSON \("):
        dc.read_corpus(d2)


def test_good_yaml_manifest_still_reads(tmp_path):
    d = _folder(tmp_path, "a.txt: {outlet: &o RT, id: doc-a}\n")
    corpus = dc.read_corpus(d)
    assert corpus.ids == ["doc-a"] and corpus.metadata.loc["doc-a", "outlet"] == "RT"


def test_hostile_front_matter_is_reported_and_text_kept(tmp_path):
    d = tmp_path / "fm"
    d.mkdir()
    (d / "bomb.txt").write_text(f"---\n{BOMB}---\nBody of the bomb.\n", encoding="utf-8")
    (d / "list.txt").write_text("---\n- a\n- b\n---\nBody of the list.\n", encoding="utf-8")
    (d / "ok.txt").write_text("---\nid: ok-1\noutlet: RT\n---\nBody.\n", encoding="utf-8")
    with pytest.warns(dc.DiscourseReadWarning, match="3 documents read, 0 skipped, 2 warnings"):
        corpus = dc.read_corpus(d)
    assert corpus.ids == ["bomb", "list", "ok-1"]
    assert corpus.texts[0].startswith("---\na: &a") and corpus.texts[0].rstrip().endswith("Body of the bomb.")
    warned = corpus.report.frame.query("action == 'warning'")
    reasons = dict(zip(warned["source"].map(lambda s: s.rsplit("/", 1)[-1]), warned["reason"]))
    assert set(reasons) == {"bomb.txt", "list.txt"}
    assert reasons["bomb.txt"] == ("front matter not parsed (bomb.txt front matter: YAML refused: aliases expand "
                                   "to more than 100000 nodes (max_nodes=100000); an alias bomb?); kept as text")
    assert reasons["list.txt"] == ("front matter not parsed (list.txt front matter: expected a mapping of "
                                   "field -> value, got list); kept as text")


def test_front_matter_split_matches_python_frontmatter():
    import frontmatter

    for text in ["---\nid: 1\n---\nBody\n", "---\n---\nBody", "--- not a header\nBody\n", "---\nid: 1\nno end\n"]:
        post = frontmatter.loads(text)
        assert load_front_matter(text, name="x") == (post.metadata, post.content)
