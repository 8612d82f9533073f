"""Encodings (issue 11): one encoding only when it decodes cleanly and plausibly; every decision reported."""
import codecs
import random
import warnings

import pandas as pd
import pytest

import discourse as dc
from discourse.decoding import SkipItem, decode_text

RU = ("Москва и НАТО обсудили безопасность. Министр иностранных дел заявил, что переговоры "
      "продолжатся в следующем месяце в Женеве, а делегации обменяются предложениями.\n")
FR = ("Le président a déclaré que l'économie française était à un tournant ; "
      "les élèves étudient où ils peuvent, à Noël comme en été.\n")


def _read_one(tmp_path, name: str, data: bytes):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / name).write_bytes(data)
    (folder / "ok.txt").write_text("A clean UTF-8 control article about the talks.", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        corpus = dc.read_corpus(folder)
    rows = corpus.report.frame
    return corpus, rows[rows["source"].str.endswith(name)]


def test_utf8_with_two_bad_bytes_stays_utf8_with_exact_count(tmp_path):
    text = RU * 3
    bad = text[:30].encode() + b"\xff" + text[30:100].encode() + b"\xfe" + text[100:].encode()
    got = decode_text(bad)
    assert got.encoding == "utf-8"
    assert got.notes == ("decoded as UTF-8 with 2 invalid bytes replaced by U+FFFD",)
    assert got.text.count("\ufffd") == 2
    assert got.text.replace("\ufffd", "") == RU * 3  # nothing else changed
    corpus, rows = _read_one(tmp_path, "ru.txt", bad)
    assert rows[rows["action"] == "warning"]["reason"].tolist() == [
        "decoded as UTF-8 with 2 invalid bytes replaced by U+FFFD"]
    assert any("Женеве" in t for t in corpus.texts)
    assert corpus.params["decoding"] == {"files": 1, "replaced": {"invalid bytes": 2}, "encodings": {"UTF-8": 1}}


@pytest.mark.parametrize("enc", ["cp1251", "koi8-r"])
def test_cyrillic_legacy_is_not_shift_jis(tmp_path, enc):
    got = decode_text(RU.encode(enc))
    assert got.text == RU and got.encoding == enc
    assert got.notes[0].startswith(f"decoded as {enc} (charset-normalizer, coherence ")
    _, rows = _read_one(tmp_path, "ru.txt", RU.encode(enc))
    warning = rows[rows["action"] == "warning"]["reason"].tolist()
    assert len(warning) == 1 and warning[0].startswith(f"decoded as {enc} (")


def test_cp1252_french_with_accents_and_few_accents():
    got = decode_text(FR.encode("cp1252"))
    assert got.text == FR and got.encoding == "cp1252"
    assert got.notes == ("decoded as cp1252 (Windows-1252 default, mess 0.00, 100% of letters in one script; "
                         "not UTF-8)",)
    # one accent in a long English text (< 1% invalid bytes) is still cp1252, not UTF-8 with U+FFFD
    few = "The talks in Geneva went on late into the night and resumed the next morning. " * 3 + "Café."
    assert decode_text(few.encode("cp1252"))[:2] == (few, "cp1252")


def test_utf16_with_bom(tmp_path):
    for data in ((RU + FR).encode("utf-16"), codecs.BOM_UTF16_BE + (RU + FR).encode("utf-16-be"),
                 (RU + FR).encode("utf-32")):
        assert decode_text(data).text == RU + FR
    _, rows = _read_one(tmp_path, "u16.txt", (RU + FR).encode("utf-16"))
    assert rows[rows["action"] == "warning"]["reason"].tolist() == ["decoded as utf-16 (byte-order mark; not UTF-8)"]


def test_utf16_with_bom_and_lone_surrogate_is_replaced_and_counted():
    data = "ok ".encode("utf-16") + b"\x00\xd8" + "after the surrogate".encode("utf-16-le")
    got = decode_text(data)
    assert got.text == "ok \ufffdafter the surrogate"
    assert got.notes == ("decoded as utf-16 (byte-order mark; not UTF-8)", "2 invalid bytes replaced by U+FFFD")


def test_text_with_few_nuls_is_cleaned_and_reported(tmp_path):
    data = (RU * 2).encode() + b"\x00\x00" + FR.encode() + b"\x00"
    got = decode_text(data)
    assert got.text == RU * 2 + FR and got.encoding == "utf-8"
    assert got.notes == ("3 NUL bytes removed",)
    corpus, rows = _read_one(tmp_path, "nul.txt", data)
    assert rows["reason"].tolist() == ["3 NUL bytes removed", "encoding utf-8"]
    assert corpus.params["decoding"] == {"files": 1, "replaced": {"NUL bytes": 3}, "encodings": {}}


def test_many_nuls_is_binary_and_skipped():
    with pytest.raises(SkipItem, match=r"binary file \(4 NUL bytes"):
        decode_text(b"abc\x00\x00def\x00\x00")


def test_encoded_lone_surrogate_is_replaced_not_crashed(tmp_path):
    for data in (RU.encode() + b"\xed\xa0\x80" + FR.encode(), b"plain text with a lone \xed\xb0\x81 low one"):
        got = decode_text(data)
        assert got.encoding == "utf-8"
        assert got.notes == ("decoded as UTF-8 with 1 encoded lone surrogates replaced by U+FFFD",)
        got.text.encode("utf-8")  # later steps encode: must not raise
    corpus, rows = _read_one(tmp_path, "s.txt", RU.encode() + b"\xed\xa0\x80" + FR.encode())
    text = next(t for t in corpus.texts if "Женеве" in t)
    assert text == RU + "\ufffd" + FR
    assert rows[rows["action"] == "warning"]["reason"].tolist() == [
        "decoded as UTF-8 with 1 encoded lone surrogates replaced by U+FFFD"]


def test_binary_file_still_skipped(tmp_path):
    rng = random.Random(11)
    blob = bytes(rng.randrange(256) for _ in range(4000))
    with pytest.raises(SkipItem, match="binary"):
        decode_text(blob)
    png = b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(1, 256) for _ in range(3000))
    _, rows = _read_one(tmp_path, "img.txt", png)
    assert rows["action"].tolist() == ["skipped"]
    assert rows["reason"].iloc[0].startswith("binary")


def test_jsonl_decoding_notes_are_reported(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_bytes(('{"id": "1", "text": "%s"}\n' % RU.strip()).encode("cp1251"))
    with pytest.warns(dc.DiscourseReadWarning, match="decoded as cp1251"):
        corpus = dc.read_corpus(p)
    assert list(corpus.texts) == [RU.strip()]
    assert corpus.params["decoding"] == {"files": 1, "replaced": {}, "encodings": {"cp1251": 1}}
    warning = corpus.report.frame[corpus.report.frame["action"] == "warning"]
    assert warning["reason"].str.startswith("decoded as cp1251 (charset-normalizer").tolist() == [True]


def test_control_share_of_ascii_counted_in_c_equals_the_category_count():
    """The ASCII shortcut of the binary-file check counts what the per-character Unicode category count does."""
    import random
    import unicodedata

    from discourse.decoding import _ALLOWED_CONTROLS, _control_share

    rng = random.Random(1)
    texts = ["".join(chr(rng.randrange(128)) for _ in range(rng.randrange(1, 300))) for _ in range(200)]
    for t in texts + ["plain text\n\twith allowed controls\r\f\v", "\x00\x01\x7f"]:
        by_category = sum(unicodedata.category(c) in {"Cc", "Co", "Cn"} and c not in _ALLOWED_CONTROLS for c in t)
        assert _control_share(t) == by_category / len(t)
    assert _control_share("\x00\x01\x7f") == 1.0


def test_split_lines_without_carriage_returns_equals_the_universal_newline_regex():
    """The str.split shortcut of the streamed reader gives the lines (with their breaks) the regex gives."""
    import random

    from discourse.decoding import _LINE, split_lines

    rng = random.Random(2)
    alphabet = ["a", "b", " ", "\n", "\n", "é", "\x0b", "\x85", "\u2028", "\r", "\r\n"]
    for k in range(300):
        text = "".join(rng.choice(alphabet if k % 2 else alphabet[:-2]) for _ in range(rng.randrange(0, 40)))
        assert split_lines(text) == _LINE.findall(text), repr(text)
    assert split_lines("a\n\nb") == ["a\n", "\n", "b"] and split_lines("a\n") == ["a\n"] and split_lines("") == []


def test_streamed_jsonl_report_is_unchanged_by_the_shortcuts(tmp_path, monkeypatch):
    """Line numbers and reasons of skipped lines, texts and decoding notes through the streamed reader's
    shortcuts (lines split by str.split, the surrogate scans skipped without a 0xED byte) equal those of
    the regex route, by hand and read again with the regex."""
    import discourse.decoding as decoding

    rows = ['{"id": "a", "text": "one"}', "not json", "[1, 2]", "", '{"id": "b"}', '{"id": "c", "text": "caf\u00e9"}']
    plain = tmp_path / "plain.jsonl"
    plain.write_text("\n".join(rows) + "\n", "utf-8")
    wtf8 = tmp_path / "wtf8.jsonl"
    wtf8.write_bytes(plain.read_bytes() + b'{"id": "d", "text": "bad \xed\xa0\x80 byte"}')

    def read(path):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            corpus = dc.read_corpus(path)
        return corpus.report.frame, list(corpus.texts), list(corpus.report.notes)

    got = {p.name: read(p) for p in (plain, wtf8)}
    monkeypatch.setattr(decoding, "split_lines", decoding._LINE.findall)
    for p in (plain, wtf8):
        frame, texts, notes = read(p)
        pd.testing.assert_frame_equal(got[p.name][0], frame)
        assert got[p.name][1:] == (texts, notes)
    frame, texts, _ = got["wtf8.jsonl"]
    skipped = frame[frame["action"] == "skipped"]
    assert list(zip(skipped["line"], skipped["reason"])) == [
        (2, "invalid JSON: Expecting value (column 1)"), (3, "line is a JSON list, not an object"), (5, "no 'text' field")]
    assert texts == ["one", "caf\u00e9", "bad \ufffd byte"]
    assert "surrogate" in " ".join(map(str, frame["reason"])) + " ".join(got["wtf8.jsonl"][2])
