"""Exports never write a cell a spreadsheet would evaluate, and file names built from data stay one file name.

Neutralisation follows OWASP, "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection):
a text cell starting with =, +, -, @, tab or carriage return gets a leading single quote.
"""
from __future__ import annotations

import csv
import io
import json
import warnings

import pandas as pd
import pytest
from openpyxl import load_workbook

from discourse.cli import main
from discourse.export import ExportWarning, export, neutralise_formulas, params_path, safe_filename

HOSTILE = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
EXPECTED = ["'" + v for v in HOSTILE]


def hostile_table() -> pd.DataFrame:
    table = pd.DataFrame({"term": HOSTILE + ["plain", "a=b"], "=cmd": [-5, 1, 2, 3, 4, 5, 6, 7],
                          "share": [-0.25] * 8})
    table.attrs = {"analysis": "frequencies", "target": "=evil()", "top": -3, "by": "outlet"}
    return table


def export_quietly(table, path, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = export(table, path, **kw)
    return written, [str(w.message) for w in caught if issubclass(w.category, ExportWarning)]


@pytest.mark.parametrize("suffix, sep", [(".csv", ","), (".tsv", "\t")])
def test_csv_and_tsv_cells_are_neutralised(tmp_path, suffix, sep):
    path, messages = export_quietly(hostile_table(), tmp_path / f"t{suffix}")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter=sep))
    assert rows[0] == ["term", "'=cmd", "share"]
    assert [r[0] for r in rows[1:]] == EXPECTED + ["plain", "a=b"]  # the CR stays inside its field
    assert [r[1] for r in rows[1:]] == ["-5", "1", "2", "3", "4", "5", "6", "7"]  # numbers unchanged
    assert {r[2] for r in rows[1:]} == {"-0.25"}
    params = json.loads(params_path(path).read_text(encoding="utf-8"))
    assert params["neutralised_cells"] == 7  # 6 cells + 1 column name
    assert params["target"] == "=evil()"  # the JSON sidecar keeps the parameters exactly
    assert messages == [f"t{suffix}: 7 cell(s) starting with =, +, -, @, tab or carriage return were prefixed "
                        "with ' so a spreadsheet shows them as text (raw=True keeps them as they are)"]


def test_xlsx_cells_are_strings_with_a_leading_quote(tmp_path):
    path, messages = export_quietly(hostile_table(), tmp_path / "t.xlsx")
    book = load_workbook(path)
    results = book["results"]
    header = [c for c in results[1]]
    assert [c.value for c in header] == ["term", "'=cmd", "share"] and {c.data_type for c in header} == {"s"}
    terms = [c for c in results["A"]][1:]
    assert [c.value for c in terms] == EXPECTED + ["plain", "a=b"]
    assert {c.data_type for c in terms} == {"s"}
    numbers = [c for c in results["B"]][1:]
    assert [c.value for c in numbers] == [-5, 1, 2, 3, 4, 5, 6, 7] and {c.data_type for c in numbers} == {"n"}
    parameters = {row[0].value: row[1] for row in book["parameters"].iter_rows(min_row=2)}
    assert parameters["target"].value == "'=evil()" and parameters["target"].data_type == "s"
    # parameters are written as JSON text (as before): a negative number is text there, so it is quoted too
    assert parameters["top"].value == "'-3" and parameters["by"].value == "outlet"
    assert parameters["neutralised_cells"].value == "9"  # 6 cells + 1 column name + 2 parameters
    assert messages and messages[0].startswith("t.xlsx: 9 cell(s) starting with =, +, -, @")


def test_raw_keeps_values(tmp_path):
    path, messages = export_quietly(hostile_table(), tmp_path / "raw.csv", raw=True)
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["term", "=cmd", "share"] and [r[0] for r in rows[1:]] == HOSTILE + ["plain", "a=b"]
    assert json.loads(params_path(path).read_text(encoding="utf-8"))["neutralised_cells"] == 0
    assert messages == []
    book = load_workbook(export_quietly(hostile_table(), tmp_path / "raw.xlsx", raw=True)[0])
    terms = [c for c in book["results"]["A"]][1:]
    # raw text, but still stored as text: openpyxl would otherwise write "=HYPERLINK(...)" as a live formula
    assert [c.value for c in terms] == HOSTILE + ["plain", "a=b"] and {c.data_type for c in terms} == {"s"}
    assert book["parameters"]["B2"].value == "frequencies"


def test_index_and_attrs_are_neutralised_and_not_mutated():
    table = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["@outlet", "ok"], name="-group"))
    table.attrs = {"by": "=x"}
    out, n = neutralise_formulas(table)
    assert out.index.tolist() == ["'@outlet", "ok"] and out.index.name == "'-group" and n == 2
    assert table.index.tolist() == ["@outlet", "ok"] and out.attrs == {"by": "=x"}
    assert neutralise_formulas(table, index=False)[1] == 0
    categorical = pd.DataFrame({"g": pd.Categorical(["=a", None]), "s": pd.array(["+x", None], dtype="string")})
    out, n = neutralise_formulas(categorical)
    assert out["g"].tolist()[0] == "'=a" and pd.isna(out["g"].tolist()[1]) and out["s"].tolist()[0] == "'+x" and pd.isna(out["s"].tolist()[1])
    assert n == 2


def test_index_written_neutralised(tmp_path):
    table = pd.DataFrame({"n": [-1]}, index=pd.Index(["=1+1"], name="group"))
    path, _ = export_quietly(table, tmp_path / "i.csv", index=True)
    with open(path, newline="", encoding="utf-8") as fh:
        assert list(csv.reader(fh)) == [["group", "n"], ["'=1+1", "-1"]]


def test_cli_output_is_neutralised(tmp_path, capsys):
    corpus = tmp_path / "c.csv"
    pd.DataFrame({"id": ["1", "2"], "outlet": ["=Evil", "Reuters/AP"],
                  "text": ["alpha beta alpha", "beta gamma"]}).to_csv(corpus, index=False)
    args = ["frequencies", str(corpus), "--format", "csv", "--no-clean", "--by", "outlet", "-q"]
    assert main(args) == 0  # CSV to standard output
    out, err = capsys.readouterr()
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "group" and {r[0] for r in rows[1:]} == {"'=Evil", "Reuters/AP"}
    assert "discourse: warning: standard output: 2 cell(s) starting with =" in err
    assert main([*args, "-o", str(tmp_path / "f.xlsx")]) == 0
    cells = [c for c in load_workbook(tmp_path / "f.xlsx")["results"]["A"]][1:]
    assert {c.value for c in cells} == {"'=Evil", "Reuters/AP"} and {c.data_type for c in cells} == {"s"}


@pytest.mark.parametrize("text, expected", [
    ("Reuters/AP", "Reuters_AP"),
    ("../../etc", "etc"),
    ("..\\..\\windows\\system32", "windows_system32"),
    ("/etc/passwd", "etc_passwd"),
    ("CON", "_CON"),
    ("nul.csv", "_nul.csv"),
    ("COM1", "_COM1"),
    ("LPT9.txt", "_LPT9.txt"),
    ("CONSOLE", "CONSOLE"),  # only the device names themselves are reserved
    (".hidden", "hidden"),
    ("trailing. . ", "trailing"),
    ("..", "unnamed"),
    ("", "unnamed"),
    ("a\x00b\nc\u200bd", "a_b_c_d"),
    ('a<b>:c"|?*d', "a_b_c_d"),
    ("Россия Сегодня", "Россия Сегодня"),
    ("keyness_RT_vs_TFI_Post", "keyness_RT_vs_TFI_Post"),
])
def test_safe_filename(text, expected):
    assert safe_filename(text) == expected


def test_safe_filename_truncates_by_bytes_with_a_hash():
    long_a, long_b = "é" * 100 + "a", "é" * 100 + "b"
    a, b = safe_filename(long_a), safe_filename(long_b)
    assert len(a.encode("utf-8")) <= 150 and len(b.encode("utf-8")) <= 150
    assert a != b and a.startswith("é" * 70) and a[-9] == "-"
    assert safe_filename(long_a) == a  # deterministic
    assert safe_filename("x" * 150) == "x" * 150


def test_safe_filename_stays_in_the_folder(tmp_path):
    for outlet in ["Reuters/AP", "../../etc", "CON", "a/../../b"]:
        path = export(pd.DataFrame({"n": [1]}), tmp_path / f"keyness_{safe_filename(outlet)}.csv")
        assert path.parent == tmp_path and path.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".csv") == [
        "keyness_Reuters_AP.csv", "keyness__CON.csv", "keyness_a_b.csv", "keyness_etc.csv"]
