"""Streaming reading: the chunked decoder agrees with decode_text, texts are stored compactly,
fingerprints stream, and reading a JSONL holds little more than the corpus."""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import pickle
import sys
import tracemalloc
import warnings

import pytest

import discourse as dc
from discourse import decoding
from discourse.corpus import ReadReport, corpus_hash, fingerprint
from discourse.decoding import DecodedStream, SkipItem, decode_lines, decode_text
from discourse.text_store import TextStore, TextStoreBuilder

FR = "Le café « crème » coûte 3 € — très cher, dit l’élève.\r\n"
RU = "Москва заявила, что переговоры продолжатся в пятницу.\n"
NEWS = "\u201cTalks resume,\u201d the minister said \u2014 in Geneva.\n"

HOSTILE = {
    # invalid bytes and an encoded surrogate, with chunk sizes that split them
    "utf-8 with bad bytes": (NEWS * 40).encode() + b"bad \xff\xfe here\n" + (NEWS * 20).encode()
    + b"\xed\xa0\x80 lone; cut \xe2\x82\n" + (NEWS * 5).encode(),
    "utf-8 byte-order mark": codecs.BOM_UTF8 + (NEWS * 60).encode(),
    "utf-16 with a bad tail": (NEWS * 60).encode("utf-16") + b"\x00\xd8a\x00",
    "cp1252": (FR * 60).encode("cp1252"),
    "cp1251": (RU * 60).encode("cp1251"),
    "crlf and cr-only": ("one\r\ntwo\rthree\n\r\nfour " * 40).encode(),
    "ascii, then cp1252": b"plain ascii line\n" * 200 + (FR * 30).encode("cp1252"),
    "ascii, then utf-8 with a bad byte": b"plain ascii line\n" * 200 + (NEWS * 30).encode() + b"\xff\n",
    "rare NUL bytes": (NEWS * 200).encode().replace(b"Geneva", b"Gen\x00eva", 3),
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("sample, chunk", [(1 << 20, 1 << 20), (2000, 7), (1500, 1), (3001, 64)])
def test_stream_decodes_as_decode_text(name, sample, chunk):
    data = HOSTILE[name]
    whole = decode_text(data)
    stream = DecodedStream(io.BytesIO(data), sample_size=sample, chunk_size=chunk)
    lines = list(stream)
    assert "".join(lines) == whole.text
    assert (stream.encoding, stream.notes) == (whole.encoding, whole.notes)
    assert all(line.endswith(("\n", "\r")) for line in lines[:-1])


def test_stream_notes_count_bytes_beyond_the_sample():
    data = (NEWS * 100).encode() + b"x\xff\xffy\n" + (NEWS * 3).encode() + b"\xed\xa0\x80\n"
    stream = DecodedStream(io.BytesIO(data), sample_size=1000, chunk_size=5)
    text = "".join(stream)
    assert stream.notes == ("decoded as UTF-8 with 2 invalid bytes and 1 encoded lone surrogates replaced by U+FFFD",)
    assert "x\ufffd\ufffdy\n" in text and text.endswith("\ufffd\n")
    assert decode_text(data).notes == stream.notes


def test_decode_lines_reports_notes_and_feeds_csv(tmp_path):
    path = tmp_path / "t.csv"
    rows = [["id", "text"], ["1", "caf\u00e9 \u201cquoted,\r\nline\u201d"], ["2", "plain"]]
    buf = io.StringIO(newline="")
    csv.writer(buf).writerows(rows)
    path.write_bytes(buf.getvalue().encode("cp1252"))
    report = ReadReport()
    assert list(csv.reader(decode_lines(path, report, sample_size=40, chunk_size=3))) == rows
    assert report.warnings["source"].tolist() == [str(path)]
    assert report.warnings["reason"].iloc[0].startswith("decoded as cp1252 (")
    with pytest.raises(ValueError, match=r"b\.bin: binary file \(12 NUL bytes"):
        list(decode_lines(io.BytesIO(b"\x00" * 12 + b"abc"), name="b.bin"))
    with pytest.raises(SkipItem, match="not decodable as ascii"):
        list(DecodedStream(io.BytesIO(b"abc\n" * 10 + b"caf\xc3\xa9\n"), "ascii", sample_size=8, chunk_size=4))


def test_text_store_is_a_sequence_of_str():
    texts = [NEWS, "", "plain ascii", "lone \ud800 surrogate kept", RU]
    store = TextStore(texts)
    assert len(store) == 5 and store == texts and list(store) == texts
    assert store[0] == NEWS and store[-1] == RU and store[3] == texts[3]
    assert store.n_chars() == sum(map(len, texts))
    assert store[1:3] == texts[1:3] and store[::-1] == texts[::-1] and isinstance(store[:2], list)
    assert isinstance(store.take([4, 0, 0]), TextStore) and store.take([4, 0, -5]) == [RU, NEWS, NEWS]
    assert pickle.loads(pickle.dumps(store)) == store and store != texts[:4]
    with pytest.raises(IndexError):
        store[5]
    builder = TextStoreBuilder()
    for t in texts:
        builder.append(t)
    assert builder.finish() == store
    # news typography makes a str cost 2 bytes a character; the store keeps UTF-8
    many = [NEWS * 20] * 200
    assert TextStore(many).nbytes < 0.6 * sum(sys.getsizeof(t) for t in many)



def test_a_spilled_text_store_equals_the_one_in_memory(tmp_path, monkeypatch):
    """Spilled to an unlinked file, a store gives the same texts, holds only offsets, reads in blocks."""
    from discourse import text_store

    texts = [NEWS * 3, "", "plain ascii", "lone \ud800 surrogate kept", RU, FR * 7] * 5
    monkeypatch.setattr(text_store, "_BLOCK", 100)  # several texts a block, and texts longer than a block
    builder = TextStoreBuilder(spill=tmp_path)
    for t in texts:
        builder.append(t)
    store, memory = builder.finish(), TextStore(texts)
    assert list(tmp_path.iterdir()) == []  # unlinked: nothing is left behind
    assert store.spilled and not memory.spilled and store.nbytes == 8 * (len(texts) + 1) < memory.nbytes
    assert store == memory and memory == store and list(store) == texts and store[-1] == FR * 7 and store[3] == texts[3]
    assert [bytes(b) for b in store.iter_bytes()] == [t.encode("utf-8", "surrogatepass") for t in texts]
    assert store.n_chars() == memory.n_chars() == sum(map(len, texts))
    part = store.take([5, 0, -1])
    assert not part.spilled and part == [FR * 7, NEWS * 3, FR * 7]
    back = pickle.loads(pickle.dumps(store))
    assert not back.spilled and back == memory and store != TextStore(texts[:-1] + ["other"])
    assert text_store.spilled(memory, tmp_path) == memory and text_store.spilled(texts, tmp_path).spilled
    assert text_store.spilled(store, tmp_path) is store
    data = tmp_path / "in" / "news.jsonl"
    data.parent.mkdir()
    data.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts) if t.strip()))
    with text_store.spilling(tmp_path):  # the readers' texts go to a file there
        assert text_store.spill_directory() == tmp_path
        corpus = dc.read_corpus(data)
    assert text_store.spill_directory() is None and corpus.texts.spilled
    again = dc.read_corpus(data)
    assert not again.texts.spilled and corpus.texts == again.texts and corpus.metadata.equals(again.metadata)
    assert len(corpus) == sum(bool(t.strip()) for t in texts)
    assert "temporary file" in repr(store)


def test_fingerprints_stream_the_same_recipe(tmp_path):
    corpus = dc.Corpus([NEWS, RU], dc.Corpus.from_records([{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]).metadata)
    h = hashlib.sha256()
    h.update(corpus.metadata.to_csv().encode("utf-8"))
    for t in (NEWS, RU):
        h.update(hashlib.sha256(t.encode("utf-8")).digest())
    assert fingerprint(corpus.metadata, [NEWS, RU]) == fingerprint(corpus.metadata, TextStore([NEWS, RU])) \
        == corpus.manifest_hash() == h.hexdigest()
    f = tmp_path / "big.bin"
    f.write_bytes(b"\x01\x02" * 300_000)
    assert corpus_hash(f) == hashlib.sha256(b"\x01\x02" * 300_000).hexdigest()


def _write_jsonl(path, n):
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"d{i}", "outlet": "RT" if i % 2 else "BBC",
                                 "text": f"{NEWS * 6}Story {i}.\nRead more at example.com\n"}, ensure_ascii=False) + "\n")


def test_read_and_clean_keep_texts_compact_and_shared(tmp_path):
    path = tmp_path / "c.jsonl"
    _write_jsonl(path, 50)
    with path.open("ab") as fh:
        fh.write(b'{"id": "bad", "outlet": "RT", "text": "caf\xe9 bad byte"}\n')
    with pytest.warns(dc.DiscourseReadWarning, match="1 invalid bytes replaced"):
        corpus = dc.read_corpus(path)
    assert isinstance(corpus.texts, TextStore) and len(corpus) == 51
    assert corpus.texts[50] == "caf\ufffd bad byte" and corpus.texts[0].startswith(NEWS)
    expected = [json.loads(line)["text"] for line in path.read_text("utf-8", "replace").splitlines()]
    assert corpus.texts == expected
    sub = corpus.select(outlet="RT")
    assert isinstance(sub.texts, TextStore) and sub.texts == expected[1::2] + [expected[50]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cleaned = dc.clean(corpus)
    assert cleaned.raw is corpus.texts and isinstance(cleaned.texts, TextStore)
    assert not any("Read more" in t for t in cleaned.texts)  # the recurring line, found by hashes
    assert cleaned.manifest_hash() == corpus.manifest_hash() == fingerprint(corpus.metadata, expected)


def test_reading_a_jsonl_holds_little_more_than_its_texts(tmp_path, monkeypatch):
    path = tmp_path / "m.jsonl"
    _write_jsonl(path, 6000)  # about 2.4 MB of text with curly quotes and dashes
    size = path.stat().st_size
    # 64 KiB chunks (1 MiB by default) so that the file is many chunks and the buffers small beside it
    monkeypatch.setattr(decoding, "SAMPLE_BYTES", 1 << 16)
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 1 << 16)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dc.read_corpus(path)  # imports and caches first
        tracemalloc.start()
        try:
            corpus = dc.read_corpus(path)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert len(corpus) == 6000
    # before streaming: the bytes, the decoded str (2 bytes a character) and its lines: 6.6x
    assert peak < 2 * size, (peak, size)
