"""Tables and compressed inputs (issue 11): damaged CSV/TSV reported row by row with what they
swallowed, duplicate columns refused, huge fields read, TSV quotes kept, header-only and empty
files named for what they are, nested folders walked, ``.gz``/``.bz2``/``.zip`` read or reported.

Every test builds its hostile input by hand and asserts the exact message or the exact data kept;
reconciliation: data lines (or archive members) given = rows read + rows skipped.
"""
import bz2
import csv
import gzip
import json
import os
import zipfile

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import discourse as dc
from discourse.readers import compressed
from discourse.readers.detect import detect_format
from discourse.readers.tables import raise_field_limit

CP1252_TEXT = "The \u201cfour major\u201d allies \u2013 a caf\u00e9\u2019s view of NATO enlargement and Russia."


def _problems(corpus):
    """(line, action, reason) of every row of the read report that is not a plain read."""
    f = corpus.report.frame
    f = f[f["action"] != "read"]
    return [(None if pd.isna(r.line) else int(r.line), r.action, r.reason) for r in f.itertuples()]


def _reconciles(path, corpus):
    """Non-blank data lines in the file (after the header) = rows read + rows skipped."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()[1:] if ln.strip()]
    f = corpus.report.frame
    read = int((f["action"] == "read").sum())
    skipped = int((f["action"] == "skipped").sum())
    assert len(lines) == read + skipped, (len(lines), read, skipped)


# --- 1. malformed rows: unclosed quotes and the rows they swallowed ---------------------------

SWALLOWED = "unclosed quote swallowed lines 3-{}: re-read as rows; "
LITERAL = "this row read with the quote as a literal character"

# (rows after the header, {id: (text, outlet)} read, problems (line, action, reason));
# before this change each file read as rows "1" (and the last) with the swallowed lines inside one field
UNCLOSED = {
    "text column, closed again four rows later": (
        '1,"He said hello,Reuters\n2,Another story,AP\n3,Third,BBC\n4,"Fine",AP\n5,Last,CNN\n',
        {"1": ('"He said hello', "Reuters"), "2": ("Another story", "AP"), "3": ("Third", "BBC"),
         "4": ("Fine", "AP"), "5": ("Last", "CNN")},
        [(2, "warning", SWALLOWED.format(5) + LITERAL)]),
    "row not readable literally (comma inside the quote)": (
        '1,"Quoted, he said,Reuters\n2,Two,AP\n3,Three,BBC\n',
        {"2": ("Two", "AP"), "3": ("Three", "BBC")},
        [(2, "skipped", SWALLOWED.format(4) + "malformed row: 4 fields with the quote read literally, header has 3")]),
    "last column, open to the end of the file": (
        '1,Story one,"AP\n2,Story two,BBC\n3,Story three,CNN\n',
        {"1": ("Story one", '"AP'), "2": ("Story two", "BBC"), "3": ("Story three", "CNN")},
        [(2, "warning", SWALLOWED.format(4) + LITERAL)]),
    "two unclosed quotes": (
        '1,"Broken one,AP\n2,Fine,AP\n3,"Broken two,BBC\n4,Also fine,CNN\n5,"Closed",CNN\n',
        {"1": ('"Broken one', "AP"), "2": ("Fine", "AP"), "3": ('"Broken two', "BBC"), "4": ("Also fine", "CNN"),
         "5": ("Closed", "CNN")},
        [(2, "warning", SWALLOWED.format(4) + LITERAL),
         (4, "warning", "malformed quoting: read with the quotes as literal characters")]),
    "Windows line endings": (
        '1,"He said hello,Reuters\r\n2,Another story,AP\r\n3,Third,BBC\r\n',
        {"1": ('"He said hello', "Reuters"), "2": ("Another story", "AP"), "3": ("Third", "BBC")},
        [(2, "warning", SWALLOWED.format(4) + LITERAL)]),
    "swallowed lines malformed themselves": (
        '1,"Open,AP\n2,only two\n3,Three,BBC,extra\n',
        {"1": ('"Open', "AP")},
        [(2, "warning", SWALLOWED.format(4) + LITERAL), (3, "skipped", "malformed row: 2 fields, header has 3"),
         (4, "skipped", "malformed row: 4 fields, header has 3")]),
}


@pytest.mark.parametrize("case", list(UNCLOSED))
def test_unclosed_quote_reports_the_rows_it_swallowed_and_they_are_recovered(tmp_path, read_recorded, case):
    rows, expected, problems = UNCLOSED[case]
    p = tmp_path / "broken.csv"
    p.write_text("id,text,outlet\n" + rows, encoding="utf-8")
    corpus, caught = read_recorded(p)
    assert dict(zip(corpus.ids, zip(corpus.texts, corpus.metadata["outlet"]))) == expected
    assert _problems(corpus) == problems
    line, action, reason = problems[0]
    assert f"{p}:{line}: {action}: {reason}" in str(caught[0].message)
    _reconciles(p, corpus)


def test_unclosed_quote_in_the_header_is_an_error_naming_the_lines(tmp_path):
    p = tmp_path / "header.csv"
    p.write_text('id,"text,outlet\n1,a,AP\n2,b,BBC\n', encoding="utf-8")
    with pytest.raises(ValueError) as e:
        dc.read_corpus(p)
    assert str(e.value) == f"{p}: the header has an unclosed quote that swallowed lines 2-3; close or remove the quote"


def test_well_formed_multiline_fields_and_doubled_quotes_are_read_exactly(tmp_path, read_recorded):
    # "Line one\nsaid, he": its second line alone parses to the header's 3 fields, but the quoting is sound
    texts = ["Para one.\n\nPara two, with a comma.", 'He said "no", twice:\n"no".', "1,2,3\n4,5,6",
             "Plain.", "Line one\nsaid, he"]
    p = tmp_path / "ok.csv"
    pd.DataFrame({"id": list("abcde"), "text": texts, "outlet": ["AP", "RT", "BBC", "CNN", "AP"]}).to_csv(
        p, index=False)
    corpus, caught = read_recorded(p)
    assert corpus.texts == texts and _problems(corpus) == [] and caught == []
    assert corpus.report.frame["line"].tolist() == [2, 5, 7, 9, 10]  # each row's first line


def test_wrong_field_counts_stay_reported_per_row(tmp_path, read_recorded):
    p = tmp_path / "counts.csv"
    p.write_text("id,text,outlet\n1,one,AP\n2,too,many,fields\n3\n4,four,BBC\n\n5,five,CNN,\n",
                 encoding="utf-8")
    corpus, _ = read_recorded(p)
    assert corpus.ids == ["1", "4"]
    assert _problems(corpus) == [(3, "skipped", "malformed row: 4 fields, header has 3"),
                                 (4, "skipped", "malformed row: 1 fields, header has 3"),
                                 (7, "skipped", "malformed row: 4 fields, header has 3")]
    _reconciles(p, corpus)


def test_stray_quote_inside_a_quoted_field_is_read_with_a_warning(tmp_path, read_recorded):
    p = tmp_path / "stray.csv"
    p.write_text('id,text,outlet\n1,"He said "no" today",AP\n2,fine,BBC\n', encoding="utf-8")
    corpus, _ = read_recorded(p)
    assert corpus.texts == ['He said no" today"', "fine"]
    assert _problems(corpus) == [(2, "warning", "malformed quoting (line 2): a quote inside a quoted field is "
                                                "not doubled, or text follows a closing quote; read as the CSV "
                                                "parser understands it")]
    _reconciles(p, corpus)


def test_manifest_with_an_unclosed_quote_keeps_the_files_it_would_have_lost(tmp_path, read_recorded):
    d = tmp_path / "corpus"
    d.mkdir()
    for name in ("a", "b", "c"):
        (d / f"{name}.txt").write_text(f"Text {name}.", encoding="utf-8")
    (d / "manifest.csv").write_text('source_file,id,title\na.txt,a,"Unclosed title\nb.txt,b,Bee\n'
                                    'c.txt,c,Sea\n', encoding="utf-8")
    corpus, _ = read_recorded(d)
    assert corpus.ids == ["a", "b", "c"]
    assert corpus.metadata["title"].tolist() == ['"Unclosed title', "Bee", "Sea"]
    assert _problems(corpus) == [(2, "warning", "unclosed quote swallowed lines 3-4: re-read as rows; "
                                                "this row read with the quote as a literal character")]


# --- 2. duplicate column names --------------------------------------------------------------

@pytest.mark.parametrize("name, header, message", [
    ("dup.csv", "id,text,text \n", "duplicate column names 'text' (columns 2, 3: 'text', 'text ')"),
    ("dup.tsv", "id\ttext\t id\n", "duplicate column names 'id' (columns 1, 3: 'id', ' id')"),
    ("two.csv", "id,text,id,outlet,outlet\n",
     "duplicate column names 'id' (columns 1, 3: 'id', 'id'); 'outlet' (columns 4, 5: 'outlet', 'outlet')"),
    ("blank.csv", ",text,\n", "duplicate column names '' (columns 1, 3: '', '')"),
])
def test_duplicate_column_names_are_an_error_naming_file_and_columns(tmp_path, name, header, message):
    p = tmp_path / name
    sep = "\t" if name.endswith(".tsv") else ","
    p.write_text(header + sep.join(["1", "x", "y", "z", "w"][:header.count(sep) + 1]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError) as e:
        dc.read_corpus(p)
    assert str(e.value) == (f"{p}: {message}; column names must differ (surrounding whitespace does not "
                            "count): rename them")


@pytest.mark.parametrize("names", [["text", "text"], ["id", "text", " text"]])
def test_duplicate_parquet_columns_are_an_error(tmp_path, names):
    p = tmp_path / "dup.parquet"
    pq.write_table(pa.table([pa.array(["x"]) for _ in names], names=names), p)
    with pytest.raises(ValueError, match=rf"^{p}: duplicate column names 'text' \(columns "):
        dc.read_corpus(p)


# --- 3. huge fields ----------------------------------------------------------------------------

@pytest.mark.parametrize("size", [200_000, 2_000_000])
@pytest.mark.parametrize("sep", [",", "\t"])
def test_huge_fields_are_read_whole(tmp_path, size, sep, read_recorded):
    big = ("Moscow said, " * (size // 13 + 1))[:size]
    p = tmp_path / ("big.csv" if sep == "," else "big.tsv")
    quoted = f'"{big}"' if sep == "," else big
    p.write_text(f"id{sep}text\n1{sep}{quoted}\n2{sep}small\n", encoding="utf-8")
    corpus, caught = read_recorded(p)
    assert corpus.texts == [big, "small"] and caught == []


def test_field_limit_is_the_platform_maximum():
    limit = raise_field_limit()
    assert csv.field_size_limit() == limit and limit >= 2**31 - 1


# --- 4. TSV quotes, header-only and empty files -----------------------------------------------

def test_tsv_text_starting_with_a_quote_is_kept_as_written(tmp_path, read_recorded):
    p = tmp_path / "q.tsv"
    p.write_text('id\ttext\toutlet\n1\t"Quoted," he said\tAP\n2\t"Stop."\tBBC\n3\t"Open quote\tRT\n'
                 '4\tfour\tCNN\n', encoding="utf-8")
    corpus, _ = read_recorded(p)
    assert corpus.texts == ['"Quoted," he said', '"Stop."', '"Open quote', "four"]
    assert corpus.metadata["outlet"].tolist() == ["AP", "BBC", "RT", "CNN"]
    assert corpus.report.notes[0] == (f"{p}: quotes that do not follow CSV quoting read as literal "
                                      "characters (TSV; first at line 2)")
    assert _problems(corpus) == []
    _reconciles(p, corpus)


def test_tsv_written_with_csv_quoting_round_trips(tmp_path, read_recorded):
    texts = ['He said "no".', "tab\there", "two\nlines", '"Fully quoted"']
    p = tmp_path / "pandas.tsv"
    pd.DataFrame({"id": list("abcd"), "text": texts}).to_csv(p, sep="\t", index=False)
    corpus, _ = read_recorded(p)
    assert corpus.texts == texts and _problems(corpus) == []


@pytest.mark.parametrize("name, content", [("h.csv", "id,text,outlet\n"), ("h.tsv", "id\ttext\toutlet\r\n"),
                                           ("blank.csv", "id,text,outlet\n\n\n"), ("nonl.csv", "id,text,outlet")])
def test_header_only_file_says_so(tmp_path, name, content):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    # before: "no text column 'text'; columns are []" (the header was looked for in the first row)
    with pytest.raises(ValueError) as e:
        dc.read_corpus(p)
    assert str(e.value) == f"{p} has a header (3 columns: id, text, outlet) but no rows"


def test_header_only_parquet_says_so(tmp_path):
    p = tmp_path / "h.parquet"
    pd.DataFrame({"id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)}).to_parquet(p)
    with pytest.raises(ValueError) as e:
        dc.read_corpus(p)
    assert str(e.value) == f"{p} has columns (id, text) but no rows"


@pytest.mark.parametrize("content", [b"", b"  \n\n"])
def test_empty_file_says_it_is_empty(tmp_path, content):
    for name in ("e.csv", "e.tsv"):
        p = tmp_path / name
        p.write_bytes(content)
        with pytest.raises(ValueError) as e:
            dc.read_corpus(p)
        assert str(e.value) == f"{p}: empty file"


# --- 5. nested folders and compressed files ---------------------------------------------------

@pytest.fixture
def nested(tmp_path):
    d = tmp_path / "corpus"
    (d / "a" / "deep").mkdir(parents=True)
    (d / "b").mkdir()
    (d / ".ipynb_checkpoints").mkdir()
    (d / "top.txt").write_text("Top story.", encoding="utf-8")
    (d / "a" / "x.txt").write_text("Story A.", encoding="utf-8")
    (d / "b" / "x.txt").write_text("Story B.", encoding="utf-8")
    (d / "a" / "deep" / "y.txt.gz").write_bytes(gzip.compress(CP1252_TEXT.encode("cp1252")))
    (d / ".ipynb_checkpoints" / "top-checkpoint.txt").write_text("stale copy", encoding="utf-8")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("SECRET", encoding="utf-8")
    return tmp_path, d


def test_folder_walk_reads_subfolders_and_compressed_files_and_keeps_confinement(nested, read_recorded):
    tmp, d = nested
    os.symlink(d / "a", d / "b" / "link_to_a")                       # inside: not walked twice
    os.symlink(tmp / "outside", d / "a" / "out")                      # folder link leaving the corpus
    os.symlink(tmp / "outside" / "secret.txt", d / "b" / "leak.txt")  # file link leaving the corpus
    (d / "b" / "more.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    corpus, _ = read_recorded(d)
    assert corpus.ids == ["a/deep/y", "a/x", "b/x", "top"]
    assert corpus.texts == [CP1252_TEXT, "Story A.", "Story B.", "Top story."]
    assert corpus.metadata["source_file"].tolist() == ["a/deep/y.txt.gz", "a/x.txt", "b/x.txt", "top.txt"]
    problems = {r.source: (r.action, r.reason) for r in corpus.report.frame.itertuples() if r.action != "read"}
    assert problems == {
        str(d / ".ipynb_checkpoints"): ("skipped", "hidden folder '.ipynb_checkpoints': not read"),
        str(d / "a" / "deep" / "y.txt.gz"): ("warning", problems[str(d / "a" / "deep" / "y.txt.gz")][1]),
        str(d / "a" / "out"): ("skipped", f"outside the corpus folder: 'a/out' is a symbolic link to "
                                          f"{str(tmp / 'outside')!r}"),
        str(d / "b" / "leak.txt"): ("skipped", f"outside the corpus folder: 'b/leak.txt' is a symbolic link "
                                               f"to {str(tmp / 'outside' / 'secret.txt')!r}"),
        str(d / "b" / "link_to_a"): ("skipped", "symbolic link to the folder 'a' inside the corpus: not followed "
                                                "(its files are read where they are)"),
        str(d / "b" / "more.zip"): ("skipped", "zip archive 'b/more.zip' inside a corpus folder: not read "
                                               "(read it with read_corpus on the archive)"),
    }
    assert problems[str(d / "a" / "deep" / "y.txt.gz")][1].startswith("decoded as cp1252 (Windows-1252 default")
    assert "SECRET" not in " ".join(corpus.texts)


def test_manifest_naming_nested_files_does_not_report_them_again(nested, read_recorded):
    _, d = nested
    pd.DataFrame({"source_file": ["a/x.txt", "b/x.txt"], "id": ["ax", "bx"]}).to_csv(d / "manifest.csv",
                                                                                    index=False)
    corpus, _ = read_recorded(d)
    assert corpus.ids == ["ax", "bx", "a/deep/y", "top"]
    warned = corpus.report.frame.query("reason == 'file not in manifest: read without manifest metadata'")
    assert sorted(warned["doc_id"]) == ["a/deep/y", "top"]


@pytest.mark.parametrize("name, fmt", [("articles.csv.gz", "csv"), ("articles.jsonl.bz2", "jsonl"),
                                       ("story.txt.gz", "txt"), ("page.html.bz2", "html"), ("a.tsv.gz", "tsv"),
                                       ("archive.zip", "zip"), ("t.parquet.gz", "parquet")])
def test_format_detected_from_the_suffix_before_the_compression_suffix(tmp_path, name, fmt):
    (tmp_path / name).write_bytes(b"")
    assert detect_format(tmp_path / name) == fmt


def test_compression_suffix_alone_is_not_a_format(tmp_path):
    (tmp_path / "data.gz").write_bytes(gzip.compress(b"x"))
    with pytest.raises(ValueError, match=r"cannot tell the format of .*data\.gz; pass format="):
        dc.read_corpus(tmp_path / "data.gz")


def test_gzip_and_bzip2_files_are_read_transparently_with_encodings_reported(tmp_path, read_recorded):
    csv_gz = tmp_path / "articles.csv.gz"
    csv_gz.write_bytes(gzip.compress(f"id,text,outlet\n1,{CP1252_TEXT},AP\n2,Second,BBC\n".encode("cp1252")))
    corpus, _ = read_recorded(csv_gz)
    assert corpus.ids == ["1", "2"] and corpus.texts == [CP1252_TEXT, "Second"]
    assert _problems(corpus)[0][2].startswith("decoded as cp1252 (Windows-1252 default")
    assert corpus.params["decoding"]["encodings"] == {"cp1252": 1}

    jsonl_bz2 = tmp_path / "articles.jsonl.bz2"
    jsonl_bz2.write_bytes(bz2.compress(b'{"id": "j1", "text": "One."}\n{"text": "Two."}\nnot json\n'))
    corpus, _ = read_recorded(jsonl_bz2)
    assert corpus.ids == ["j1", "articles-2"] and corpus.texts == ["One.", "Two."]
    assert [(line, reason[:12]) for line, _, reason in _problems(corpus)] == [(3, "invalid JSON")]

    story = tmp_path / "story.txt.gz"
    story.write_bytes(gzip.compress("Kyiv said on Tuesday.".encode()))
    corpus, _ = read_recorded(story)
    assert corpus.ids == ["story"] and corpus.texts == ["Kyiv said on Tuesday."]
    assert corpus.metadata["source_file"].tolist() == ["story.txt.gz"]


def test_corrupt_and_oversized_compressed_files_are_reported(tmp_path, monkeypatch):
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(gzip.compress(b"Some text that will be cut.")[:15])
    with pytest.raises(ValueError, match=r"^no documents could be read \(not a readable \.gz file: "):
        dc.read_corpus(bad)
    bad_csv = tmp_path / "bad.csv.bz2"
    bad_csv.write_bytes(b"BZh9 not bzip2")
    with pytest.raises(ValueError, match=rf"^{bad_csv}: not a readable \.bz2 file: "):
        dc.read_corpus(bad_csv)
    monkeypatch.setattr(compressed, "RATIO_FREE_BYTES", 1000)
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip.compress(b"id,text\n1," + b"a" * 200_000 + b"\n"))
    size = bomb.stat().st_size
    with pytest.raises(ValueError) as e:
        dc.read_corpus(bomb)
    assert str(e.value) == (f"{bomb}: expands beyond {100 * size:,} bytes from {size:,} compressed bytes: not "
                            "read (a likely decompression bomb; limit: 100x past 1,000 bytes, 4,294,967,296 "
                            "bytes at most)")


def _zip(path, members, encrypted=()):
    """A zip of ``members`` (name, data); the members named in ``encrypted`` get the encryption flag
    (zipfile cannot write encrypted members; the flag is what a reader sees first)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            z.writestr(name, data)
    raw = bytearray(path.read_bytes())
    for name in encrypted:
        at = raw.index(b"PK\x01\x02")
        while raw[at + 46:at + 46 + len(name)] != name.encode():
            at = raw.index(b"PK\x01\x02", at + 4)
        raw[at + 8] |= 0x1  # general purpose bit 0 of the central directory entry: encrypted
    path.write_bytes(bytes(raw))
    return path


def test_zip_of_text_files_is_read_member_by_member_and_hostile_members_refused(tmp_path, read_recorded):
    link = zipfile.ZipInfo("inner/passwd.txt")
    link.external_attr = (0o120777 << 16)  # a symbolic link member, as `zip --symlinks` stores it
    members = [("inner/a.txt", "Alpha story."), ("inner/b.txt", CP1252_TEXT.encode("cp1252")),
               ("inner/", ""), ("../evil.txt", "SECRET"), ("/etc/abs.txt", "SECRET"),
               ("inner\\..\\..\\win.txt", "SECRET"), ("nested.zip", b"PK"), ("photo.jpg", b"\xff\xd8"),
               ("__MACOSX/inner/._a.txt", b"\x00\x05\x16\x07"), ("inner/locked.txt", b"garbled"),
               ("inner/manifest.csv", "source_file\na.txt\n"), ("data.jsonl", '{"text": "x"}'), (link, "/etc/passwd")]
    z = _zip(tmp_path / "archive.zip", members, encrypted=["inner/locked.txt"])
    corpus, caught = read_recorded(z)
    assert corpus.ids == ["inner/a", "inner/b"] and corpus.texts == ["Alpha story.", CP1252_TEXT]
    assert corpus.metadata["source_file"].tolist() == ["archive.zip!inner/a.txt", "archive.zip!inner/b.txt"]
    f = corpus.report.frame
    assert f[f["action"] == "read"]["source"].tolist() == [f"{z}!inner/a.txt", f"{z}!inner/b.txt"]
    skipped = corpus.report.skipped.set_index("source")["reason"].to_dict()
    assert skipped == {
        f"{z}!../evil.txt": "outside the archive: '../evil.txt' climbs above it with '..'",
        f"{z}!/etc/abs.txt": "outside the archive: '/etc/abs.txt' is an absolute path",
        f"{z}!inner\\..\\..\\win.txt": "outside the archive: 'inner\\\\..\\\\..\\\\win.txt' climbs above it with '..'",
        f"{z}!nested.zip": "archive inside an archive (.zip): not read (unpack it first)",
        f"{z}!photo.jpg": "not a corpus file (.jpg): not read",
        f"{z}!__MACOSX/inner/._a.txt": "macOS resource fork: not read",
        f"{z}!inner/locked.txt": "encrypted member: not read",
        f"{z}!inner/manifest.csv": "manifest inside a zip archive: not used (unpack the archive to read it as "
                                   "a folder)",
        f"{z}!data.jsonl": "JSON Lines inside a zip archive: not read (compress it as .jsonl.gz instead)",
        f"{z}!inner/passwd.txt": "symbolic link inside the archive: not followed",
    }
    assert corpus.report.warnings["source"].tolist() == [f"{z}!inner/b.txt"]  # its cp1252 decoding
    files = [m for m, _ in members if not str(getattr(m, "filename", m)).endswith("/")]
    assert len(files) == len(corpus) + len(skipped)  # members given = read + skipped
    assert "SECRET" not in " ".join(corpus.texts) and caught


def test_zip_of_one_csv_reports_rows_by_member_and_line(tmp_path, read_recorded):
    z = _zip(tmp_path / "tables.zip", [("data/articles.csv", 'id,text,outlet\n1,One,AP\n2,"Two\n3,Three,BBC\n')])
    corpus, _ = read_recorded(z)
    assert corpus.ids == ["1", "3"]
    assert _problems(corpus) == [(3, "skipped", "unclosed quote swallowed line 4: re-read as rows; malformed "
                                                "row: 2 fields with the quote read literally, header has 3")]
    assert corpus.report.frame["source"].unique().tolist() == [f"{z}!data/articles.csv"]


def test_zip_bombs_are_skipped_with_the_limit(tmp_path, monkeypatch, read_recorded):
    z = _zip(tmp_path / "bomb.zip", [("ok.txt", "A normal story."), ("pad.txt", " " * 300_000 + "x"),
                                     ("varied.txt", os.urandom(3000).hex())])
    info = {i.filename: i for i in zipfile.ZipFile(z).infolist()}
    pad, varied = info["pad.txt"].compress_size, info["varied.txt"].compress_size
    monkeypatch.setattr(compressed, "RATIO_FREE_BYTES", 1000)
    monkeypatch.setattr(compressed, "MAX_EXPANDED_BYTES", 100_000)
    corpus, _ = read_recorded(z)  # pad.txt: 300,001 bytes from a few hundred, past 100x; varied.txt: 2x
    assert corpus.ids == ["ok", "varied"]
    assert corpus.report.skipped.set_index("source")["reason"].to_dict() == {
        f"{z}!pad.txt": (f"expands beyond {100 * pad:,} bytes from {pad:,} compressed bytes: not read (a likely "
                         "decompression bomb; limit: 100x past 1,000 bytes, 100,000 bytes at most)")}
    monkeypatch.setattr(compressed, "MAX_EXPANDED_BYTES", 5000)  # the absolute bound: varied.txt has 6,000
    corpus, _ = read_recorded(z)
    assert corpus.ids == ["ok"]
    assert corpus.report.skipped.set_index("source")["reason"].to_dict()[f"{z}!varied.txt"] == (
        f"expands beyond 5,000 bytes from {varied:,} compressed bytes: not read (a likely decompression bomb; "
        "limit: 100x past 1,000 bytes, 5,000 bytes at most)")


def test_corrupt_zip_is_an_error_naming_it(tmp_path):
    p = tmp_path / "broken.zip"
    p.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ValueError, match=rf"^{p}: not a readable zip archive \("):
        dc.read_corpus(p)
    empty = _zip(tmp_path / "empty.zip", [("inner/", "")])
    with pytest.raises(ValueError, match=r"empty\.zip: the zip archive holds no \.txt/\.html/\.csv/\.tsv files$"):
        dc.read_corpus(empty)


def test_jsonl_text_in_gzip_keeps_line_numbers(tmp_path, read_recorded):
    p = tmp_path / "a.jsonl.gz"
    p.write_bytes(gzip.compress("\n".join(json.dumps({"id": f"d{i}", "text": f"T{i}"}) for i in range(3)).encode()))
    corpus, _ = read_recorded(p)
    assert corpus.report.frame["line"].tolist() == [1, 2, 3] and corpus.texts == ["T0", "T1", "T2"]


def test_gzipped_parquet_is_read(tmp_path, read_recorded):
    plain = tmp_path / "t.parquet"
    pd.DataFrame({"id": ["p1", "p2"], "text": ["One.", "Two."], "outlet": ["AP", "RT"]}).to_parquet(plain)
    p = tmp_path / "t.parquet.gz"
    p.write_bytes(gzip.compress(plain.read_bytes()))
    corpus, caught = read_recorded(p)
    assert corpus.ids == ["p1", "p2"] and corpus.texts == ["One.", "Two."] and caught == []


def test_manifest_names_are_matched_to_nested_files_however_spelled(nested, read_recorded):
    _, d = nested
    pd.DataFrame({"source_file": ["./a/x.txt", "b\\x.txt", "a/deep/../../top.txt"], "id": ["ax", "bx", "t"]}).to_csv(
        d / "manifest.csv", index=False)
    corpus, _ = read_recorded(d)
    # each file once; a backslash is part of a POSIX file name, so "b\\x.txt" is missing and b/x.txt unlisted
    assert corpus.ids == ["ax", "t", "a/deep/y", "b/x"]
    assert _problems(corpus)[0] == (3, "skipped", "manifest row names a missing file 'b\\\\x.txt'")
