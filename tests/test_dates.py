"""Dates (issue 11): every value parsed on its own, nothing guessed, every failure reported, no document
silently outside a period. Expected values are computed independently with ``datetime.strptime`` (explicit
formats) and ``email.utils`` (RFC 2822)."""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import time
import warnings

import numpy as np
import pandas as pd
import pytest

import discourse as dc
from discourse.cli import build_parser
from discourse.cli_flags import reading_options
from discourse.dates import check_date_bounds, parse_dates, to_timestamps
from discourse.grouping import group_labels

UTC = dt.timezone.utc


def _iso(d: dt.datetime, has_time: bool) -> str:
    """The written form, by hand: UTC with Z for an aware value; seconds only when not zero."""
    aware = d.tzinfo is not None
    if aware:
        d = d.astimezone(UTC).replace(tzinfo=None)
    if not has_time:
        return d.date().isoformat()
    text = d.isoformat(timespec="microseconds" if d.microsecond else "seconds" if d.second else "minutes")
    return text + ("Z" if aware else "")


# (value, strptime format, has a time): the formats the issue names, each checked against strptime
NEWS_FORMATS = [
    ("2021-12-10T11:46:00Z", "%Y-%m-%dT%H:%M:%S%z", True),
    ("2021-12-10 11:46+01:00", "%Y-%m-%d %H:%M%z", True),
    ("2021-12-10T23:30:00-05:00", "%Y-%m-%dT%H:%M:%S%z", True),  # the next day in UTC
    ("2021-12-10", "%Y-%m-%d", False),
    ("2021-12-10T11:46:00.250", "%Y-%m-%dT%H:%M:%S.%f", True),
    ("20211210", "%Y%m%d", False),
    ("Dec 10, 2021", "%b %d, %Y", False),
    ("December 10, 2021", "%B %d, %Y", False),
    ("Dec. 10, 2021 11:46 PM", "%b. %d, %Y %I:%M %p", True),
    ("10 Dec, 2021 11:46", "%d %b, %Y %H:%M", True),
    ("10 December 2021", "%d %B %Y", False),  # Factiva
    ("Friday, December 10, 2021", "%A, %B %d, %Y", False),
    ("December 10, 2021 Friday", "%B %d, %Y %A", False),  # Nexis
    ("Fri, 10 Dec 2021 11:46:00 +0000", "%a, %d %b %Y %H:%M:%S %z", True),  # RFC 2822
    ("Fri, 10 Dec 2021 11:46:30 -0500", "%a, %d %b %Y %H:%M:%S %z", True),
    ("sept 3, 2021", "%b %d, %Y", False),  # any case; 'Sept' as AP writes it (strptime: 'sep')
]


def test_each_news_format_gives_the_value_strptime_gives():
    values = [v for v, _, _ in NEWS_FORMATS]
    got = parse_dates(values)
    for (value, fmt, has_time), row in zip(NEWS_FORMATS, got.itertuples()):
        want = dt.datetime.strptime(value.replace("sept", "sep"), fmt)
        assert row.status == "ok" and row.reason == "", value
        assert row.date == _iso(want, has_time), value
        naive = want.astimezone(UTC).replace(tzinfo=None) if want.tzinfo else want
        assert row.timestamp == pd.Timestamp(naive), value
        assert row.aware is (want.tzinfo is not None) and row.has_time is has_time, value
    assert got["date"].tolist()[:3] == ["2021-12-10T11:46Z", "2021-12-10T10:46Z", "2021-12-11T04:30Z"]
    assert got.attrs["counts"] == {"ok": len(values), "missing": 0, "unparsable": 0, "implausible": 0,
                                   "ambiguous": 0}


def test_rfc_2822_zone_names_have_the_offsets_the_rfc_gives():
    values = ["Fri, 10 Dec 2021 11:46:00 EST", "Fri, 10 Dec 2021 11:46:00 PDT", "Fri, 10 Dec 2021 11:46:00 GMT"]
    got = parse_dates(values)
    want = [email.utils.parsedate_to_datetime(v) for v in values]  # the standard library's RFC 2822 reader
    assert got["date"].tolist() == [_iso(w, True) for w in want] == ["2021-12-10T16:46Z", "2021-12-10T18:46Z",
                                                                     "2021-12-10T11:46Z"]
    # GMT+1 as news sites mean it: one hour east of Greenwich (dateutil would read it the POSIX way, west)
    assert parse_dates(["10 Dec 2021 11:46 GMT+1"])["date"].tolist() == ["2021-12-10T10:46Z"]


def test_slash_dates_follow_the_stated_order():
    month_first = parse_dates(["7/23/17", "10/12/2021", "23/7/17"], dayfirst=False)
    assert month_first["date"].tolist()[:2] == [dt.datetime.strptime("7/23/17", "%m/%d/%y").date().isoformat(),
                                                dt.datetime.strptime("10/12/2021", "%m/%d/%Y").date().isoformat()]
    assert month_first["status"].tolist() == ["ok", "ok", "unparsable"]
    assert month_first["reason"].iat[2] == "is not a month-first date (dayfirst=False)"
    day_first = parse_dates(["23/7/17", "10/12/2021", "7/23/17", "10.12.2021"], dayfirst=True)
    assert day_first["date"].tolist() == [dt.datetime.strptime("23/7/17", "%d/%m/%y").date().isoformat(),
                                          "2021-12-10", None, "2021-12-10"]
    assert day_first["reason"].iat[2] == "is not a day-first date (dayfirst=True)"
    pivot = parse_dates(["1/2/68", "1/2/69"], dayfirst=True, date_bounds=(None, None))  # %y: 2068, but 1969
    assert pivot["date"].tolist() == [dt.datetime.strptime(v, "%d/%m/%y").date().isoformat() for v in ("1/2/68", "1/2/69")]
    assert parse_dates(["1/2/68"], dayfirst=True)["status"].tolist() == ["implausible"]  # 2068: the future
    assert month_first.attrs["order_note"] is None and month_first.attrs["dayfirst_used"] is False


def test_the_column_shows_the_order_or_the_dates_are_ambiguous():
    day = parse_dates(["03/04/2021", "25/12/2021", "04/04/2021"])
    assert day["date"].tolist() == ["2021-04-03", "2021-12-25", "2021-04-04"]
    assert day.attrs["order_note"] == ("slash dates read day first: 1 value fit only day first (first part over 12) "
                                       "and none only month first (inferred from the column; pass dayfirst= to "
                                       "state it)")
    assert day.attrs["dayfirst_used"] is True
    month = parse_dates(["03/04/2021", "12/25/2021", "12/31/2021"])
    assert month["date"].tolist() == ["2021-03-04", "2021-12-25", "2021-12-31"]
    assert month.attrs["order_note"].startswith("slash dates read month first: 2 values fit only month first")
    unknown = parse_dates(["03/04/2021", "05/06/07", "04/04/2021"])
    assert unknown["status"].tolist() == ["ambiguous", "ambiguous", "ok"]  # 4 April either way
    assert unknown["date"].tolist() == [None, None, "2021-04-04"]
    assert unknown["reason"].tolist()[:2] == [
        "is ambiguous: 3 April 2021 (day first) or 4 March 2021 (month first); pass dayfirst=True or dayfirst=False",
        "is ambiguous: 5 June 2007 (day first) or 6 May 2007 (month first); pass dayfirst=True or dayfirst=False"]
    assert unknown.attrs["order_note"] == ("slash dates: no value shows the order (day or month first): values that "
                                           "read both ways are ambiguous")
    mixed = parse_dates(["03/04/2021", "25/12/2021", "12/25/2021", "13/13/2021"])
    assert mixed["status"].tolist() == ["ambiguous", "ok", "ok", "unparsable"]
    assert mixed["date"].tolist()[1:3] == ["2021-12-25", "2021-12-25"]
    assert mixed["reason"].iat[3] == "is not a calendar date in either order (day/month or month/day)"
    assert mixed.attrs["order_note"] == ("slash dates: the column mixes orders (1 fit only day first, 1 only month "
                                         "first): values that read both ways are ambiguous")


HOSTILE = [  # value, status, reason
    ("yesterday", "unparsable", "is not a date in any known format"),
    ("2021-13-45", "unparsable", "is not a calendar date (month 13)"),
    ("2021-02-29", "unparsable", "is not a calendar date (day 29 of 2021-02)"),
    ("2021-12-10T25:00", "unparsable", "has no such time of day (25:00)"),
    ("2021-12-10T11:46+15:00", "unparsable", "has an offset beyond 14 hours"),
    ("Saturday, December 10, 2021", "unparsable", "names a Saturday, but 2021-12-10 is a Friday"),
    ("Dec 2021", "unparsable", "is not a complete date (day, month or year missing)"),
    (2021, "unparsable", "is not a complete date (day, month or year missing)"),  # not 2021 + today's day
    (5, "unparsable", "is not a complete date (day, month or year missing)"),
    ("1639136760", "unparsable", "is not a date in any known format"),  # epoch only when asked for
    ("10 Dec 2021 11:46 CET", "unparsable", "is not a date in any known format"),  # no zone assumed
    ("0001-01-01", "implausible", "is implausible: before 1800-01-01 (date_bounds)"),
    ("January 1, 0001", "implausible", "is implausible: before 1800-01-01 (date_bounds)"),
    ("2099-06-01", "implausible", "is implausible: in the future (date_bounds)"),
    ("", "missing", ""), ("   ", "missing", ""), (None, "missing", ""), (np.nan, "missing", ""),
]


def test_hostile_values_are_not_dates_and_say_why():
    got = parse_dates(pd.Series([v for v, _, _ in HOSTILE], dtype=object))
    assert got["status"].tolist() == [s for _, s, _ in HOSTILE]
    assert got["reason"].tolist() == [r for _, _, r in HOSTILE]
    assert got["date"].isna().all() and got["timestamp"].isna().all()
    assert got.attrs["counts"] == {"ok": 0, "missing": 4, "unparsable": 11, "implausible": 3, "ambiguous": 0}


def test_bounds_are_configurable_and_checked():
    values = ["2020-12-31", "2021-06-01", "2021-12-31T23:59", "2022-01-01", "0001-01-01"]
    got = parse_dates(values, date_bounds=("2021-01-01", "2021-12-31"))
    assert got["status"].tolist() == ["implausible", "ok", "ok", "implausible", "implausible"]
    assert got["reason"].iat[3] == "is implausible: after 2021-12-31 (date_bounds)"
    assert parse_dates(["0001-01-01"], date_bounds=(None, None))["date"].tolist() == ["0001-01-01"]
    for bad in (("1800",), ("today", None), ("1800-01-01", "tomorrow"), "1800-01-01", (1800, None)):
        with pytest.raises(ValueError, match=re.escape("date_bounds must be (earliest, latest) as ISO dates")):
            check_date_bounds(bad)
    with pytest.raises(ValueError, match=r"dayfirst must be True, False or None \(from the column\), not 'yes'"):
        parse_dates(["1/2/2021"], dayfirst="yes")


def test_epoch_seconds_only_on_request_and_explicit_formats():
    got = parse_dates(["1639136760", 1639136760.5, "soon"], date_format="epoch")
    want = dt.datetime.fromtimestamp(1639136760, UTC)
    assert got["date"].tolist() == [_iso(want, True), "2021-12-10T11:46:00.500000Z", None]
    assert got["reason"].iat[2] == "is not a number of seconds since 1970-01-01 (date_format='epoch')"
    fmt = parse_dates(["03.04.2021", "2021-04-03"], date_format="%d.%m.%Y")
    assert fmt["date"].tolist() == ["2021-04-03", None]
    assert fmt["reason"].iat[1] == "does not parse with date_format='%d.%m.%Y'"
    iso_only = parse_dates(["2021-04-03", "Apr 3, 2021"], date_format="ISO8601")
    assert iso_only["status"].tolist() == ["ok", "unparsable"]


def test_many_dates_take_the_vectorised_path():
    rng = np.random.default_rng(0)
    days = pd.to_datetime("2015-01-01") + pd.to_timedelta(rng.integers(0, 3000, 200_000), unit="D")
    values = pd.Series(np.where(rng.random(len(days)) < 0.5, days.strftime("%Y-%m-%d"),
                                days.strftime("%d %B %Y")), dtype=object)
    start = time.perf_counter()
    got = parse_dates(values)
    took = time.perf_counter() - start
    assert (got["timestamp"].to_numpy() == days.to_numpy().astype("datetime64[us]")).all()
    assert set(got["format"]) == {"ISO 8601", "day month year"}  # no value went to the per-value fallback
    assert took < 30, took  # about 1 s on one core; generous for a shared machine


# ----------------------------------------------------------------------------- reading
def _read_jsonl(tmp_path, dates, **kw):
    path = tmp_path / "dates.jsonl"
    rows = [{"id": f"d{i}", "text": "Words here.", "outlet": "A", "date": d} for i, d in enumerate(dates)]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return dc.read_corpus(path, **kw)


def test_reading_lists_every_date_that_is_left_empty(tmp_path):
    dates = ["2021-12-10", "yesterday", "0001-01-01", "2099-01-01", "", None, "Dec 10, 2021"]
    corpus = _read_jsonl(tmp_path, dates)
    meta = corpus.metadata
    assert meta["date"].fillna("-").tolist() == ["2021-12-10", "-", "-", "-", "-", "-", "2021-12-10"]
    # the raw values are not lost (the JSONL reader reads an empty string as missing)
    assert meta["date_raw"].fillna("-").tolist() == dates[:4] + ["-", "-", "Dec 10, 2021"]
    assert list(meta.columns) == ["outlet", "date", "date_raw"]
    warned = corpus.report.warnings
    assert warned["doc_id"].tolist() == ["d1", "d2", "d3"]
    assert set(warned["source"]) == {str(tmp_path / "dates.jsonl")} and warned["line"].tolist() == [2, 3, 4]
    assert warned["reason"].tolist() == [
        "date 'yesterday' is not a date in any known format: left empty",
        "date '0001-01-01' is implausible: before 1800-01-01 (date_bounds): left empty",
        "date '2099-01-01' is implausible: in the future (date_bounds): left empty"]
    assert ("dates parsed with the formats of discourse.dates and written as ISO 8601: 2 parsed; 1 did not parse, "
            "2 implausible: left empty (see the report); the values as read are in 'date_raw'") in corpus.report.notes
    assert corpus.params["dayfirst"] is None and corpus.params["date_bounds"] == ["1800-01-01", "today"]


def test_dates_already_as_wanted_are_left_alone(tmp_path):
    corpus = dc.read_corpus(dc.sample_corpus_path())  # the sample corpus: ISO dates, one missing
    assert "date_raw" not in corpus.metadata and corpus.metadata["date"].iat[0] == "2021-12-10T11:46"
    assert corpus.report.notes[-1] == "dates parsed with the formats of discourse.dates and written as ISO 8601: 1 parsed"
    numbers = _read_jsonl(tmp_path, [20211210, 5, 1639136760])  # numbers: ISO 8601 basic, or not a date
    assert numbers.metadata["date"].fillna("-").tolist() == ["2021-12-10", "-", "-"]
    assert numbers.metadata["date_raw"].tolist() == [20211210, 5, 1639136760]
    assert numbers.report.warnings["reason"].tolist() == [
        "date 5 is not a complete date (day, month or year missing): left empty",
        "date 1639136760 is not a date in any known format: left empty"]
    epoch = _read_jsonl(tmp_path, [1639136760], date_format="epoch")
    assert epoch.metadata["date"].tolist() == ["2021-12-10T11:46Z"]


def test_mixed_zones_in_one_column_are_converted_or_kept_never_invented(tmp_path):
    corpus = _read_jsonl(tmp_path, ["2021-12-10T23:30:00-05:00", "2021-12-10T23:30", "2021-12-11"])
    assert corpus.metadata["date"].tolist() == ["2021-12-11T04:30Z", "2021-12-10T23:30", "2021-12-11"]
    assert ("1 date with a time zone converted to UTC (written with Z); dates without one are kept in the time they "
            "were written in (no zone assumed)") in corpus.report.notes
    days = group_labels(corpus.metadata, "day")
    assert days.tolist() == ["2021-12-11", "2021-12-10", "2021-12-11"] and days.attrs["no_group"] == 0


def test_inferred_and_stated_order_when_reading(tmp_path):
    inferred = _read_jsonl(tmp_path, ["03/04/2021", "25/12/2021"])
    assert inferred.metadata["date"].tolist() == ["2021-04-03", "2021-12-25"]
    assert any(n.startswith("slash dates read day first: 1 value fit only day first") for n in inferred.report.notes)
    stated = _read_jsonl(tmp_path, ["03/04/2021", "7/23/17"], dayfirst=False)
    assert stated.metadata["date"].tolist() == ["2021-03-04", "2017-07-23"] and not stated.report.warnings.size
    kept = _read_jsonl(tmp_path, ["03/04/2021", "yesterday"], date_format="keep")
    assert kept.metadata["date"].tolist() == ["03/04/2021", "yesterday"] and "date_raw" not in kept.metadata
    with pytest.raises(ValueError, match="dayfirst must be True, False or None"):
        _read_jsonl(tmp_path, ["1/2/2021"], dayfirst="no")


# ----------------------------------------------------------------------------- grouping by period
def _tokens(dates):
    meta = pd.DataFrame({"outlet": ["A", "B"] * (len(dates) // 2) + ["A"] * (len(dates) % 2), "date": dates},
                        index=[f"d{i}" for i in range(len(dates))])
    return dc.tokenize(dc.Corpus([f"nato talks {i}" for i in range(len(dates))], meta))


def test_grouping_by_period_counts_the_documents_in_no_group():
    t = _tokens(["2021-12-10", "Dec 11, 2022", "", None, "yesterday", "0001-01-01"])
    message = ("by='year': 4 of 6 documents have no parsable date and are in no group (2 without a date, "
               "2 unparsable, implausible or ambiguous)")
    with pytest.warns(UserWarning, match=re.escape(message)):
        labels = group_labels(t.metadata, "year")
    assert labels.tolist()[:2] == ["2021", "2022"] and labels.isna().sum() == 4
    assert labels.attrs == {"by": "year", "no_group": 4, "no_date": 2, "rejected_when_read": 0, "unparsable": 2,
                            "why": "2 without a date, 2 unparsable, implausible or ambiguous"}
    with pytest.warns(UserWarning, match=re.escape(message.replace("'year'", "'month'"))):
        f = dc.frequencies(t, by="month")
    assert f.attrs["ungrouped_documents"] == 4 and set(f["group"]) == {"2021-12", "2022-12"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # every document dated: no warning
        assert group_labels(_tokens(["2021-12-10", "2021-12-11"]).metadata, "month").tolist() == ["2021-12"] * 2


def test_grouping_after_reading_names_the_dates_rejected_when_read(tmp_path):
    corpus = _read_jsonl(tmp_path, ["2021-12-10", "2099-01-01", "", "2022-01-01"])
    t = dc.tokenize(corpus)
    with pytest.warns(UserWarning, match=re.escape(
            "by='year': 2 of 4 documents have no parsable date and are in no group (1 without a date, 1 not parsed "
            "or implausible when read (see corpus.report))")):
        dc.frequencies(t, by="year")


def test_no_parsable_date_at_all_is_a_clear_error():
    for dates, why in ((["", None], "2 without a date"), (["yesterday", "soon", None], "1 without a date, 2 "
                                                          "unparsable, implausible or ambiguous")):
        t = _tokens(dates)
        message = (f"by='quarter' groups documents by the quarter of their 'date', but none of the {len(dates)} "
                   f"documents has a parsable date ({why}); name the date column with date_column=..., state its "
                   "format with date_format=..., or group by a metadata column")
        with pytest.raises(ValueError, match=re.escape(message)):
            dc.frequencies(t, by="quarter")
    assert to_timestamps(pd.Series(["2021-12-10T11:46Z"]))["timestamp"].tolist() == [pd.Timestamp("2021-12-10 11:46")]


# ----------------------------------------------------------------------------- command line
def test_reading_flags_reach_read_corpus():
    parser = build_parser()
    args = parser.parse_args(["frequencies", "c.csv", "--date-column", "published", "--dayfirst", "TRUE",
                              "--date-format", "%d/%m/%Y", "--date-bounds", "1900-01-01", "none", "--encoding",
                              "cp1252", "--allow-outside", "--alias", "Fox Online News=Fox News", "--alias", "rt=RT",
                              "--case-merge", "--outlet-column", "source", "--title-column", "headline",
                              "--required", "outlet", "--group-column", "outlet", "--on-duplicate", "rename",
                              "--manifest", "m.csv"])
    assert reading_options(args) == {
        "format": "auto", "text_column": "text", "id_column": "id", "outlet_column": "source",
        "date_column": "published", "title_column": "headline", "date_format": "%d/%m/%Y", "dayfirst": True,
        "encoding": "cp1252", "manifest": "m.csv", "on_duplicate": "rename", "required": ["outlet"],
        "group_columns": ["outlet"], "date_bounds": ("1900-01-01", None),
        "aliases": {"Fox Online News": "Fox News", "rt": "RT"}, "allow_outside": True, "case_merge": True}
    plain = reading_options(parser.parse_args(["inspect", "c.csv"]))
    assert plain == {"format": "auto", "text_column": "text", "id_column": "id"}  # the library's defaults apply


def test_reading_flags_on_the_command_line(tmp_path, capsys):
    from discourse.cli import main

    path = tmp_path / "news.csv"
    pd.DataFrame({"body": ["nato talks", "nato allies", "russia talks"], "published": ["03/04/2021", "04/05/2021",
                                                                                     "05/06/2021"],
                  "site": ["Fox Online News", "Fox News", "RT"]}).to_csv(path, index=False)
    capsys.readouterr()
    code = main(["frequencies", str(path), "--text-column", "body", "--date-column", "published", "--dayfirst",
                 "true", "--outlet-column", "site", "--alias", "Fox Online News=Fox News", "--by", "month", "-q"])
    out, err = capsys.readouterr()
    assert code == 0, err
    got = pd.read_csv(pd.io.common.StringIO(out))
    assert sorted(set(got["group"])) == ["2021-04", "2021-05", "2021-06"]
    assert got.set_index(["group", "term"]).loc[("2021-06", "talks"), "freq"] == 1
    code = main(["frequencies", str(path), "--text-column", "body", "--date-column", "published", "--by", "month"])
    _, err = capsys.readouterr()  # no order stated, none shown: every date ambiguous, the error in flag terms
    assert code == 1 and ("discourse: error: frequencies: --by month groups documents by the month of their 'date', but none of "
                          "the 3 documents has a parsable date (3 not parsed or implausible when read (see "
                          "corpus.report)); name the date column with --date-column ..., state its format with "
                          "--date-format ..., or group by a metadata column") in err
    assert "discourse: warning: 3 documents read, 0 skipped, 3 warnings (see corpus.report):" in err, err
    with pytest.raises(SystemExit):
        main(["frequencies", str(path), "--dayfirst", "maybe"])
    assert "expected true or false, not 'maybe'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["frequencies", str(path), "--alias", "no-equals-sign"])
    assert "expected FROM=TO" in capsys.readouterr().err


def test_grouping_by_a_column_counts_the_documents_without_a_value():
    meta = pd.DataFrame({"outlet": ["A", None, "B", np.nan], "date": ["2021-12-10"] * 4}, index=list("abcd"))
    t = dc.tokenize(dc.Corpus(["nato talks", "nato allies", "russia talks", "moscow"], meta))
    with pytest.warns(UserWarning, match=re.escape("by='outlet': 2 of 4 documents have no 'outlet' value and are in "
                                                   "no group")):
        f = dc.frequencies(t, by="outlet")
    assert f.attrs["ungrouped_documents"] == 2 and f.attrs["group_documents"] == {"A": 1, "B": 1}
    empty = dc.tokenize(dc.Corpus(["nato talks"], pd.DataFrame({"outlet": [None]}, index=["a"])))
    with pytest.raises(ValueError, match=re.escape("frequencies: by='outlet' puts no document in a group: the "
                                                   "column 'outlet' is empty for all 1 document")):
        dc.frequencies(empty, by="outlet")


# German month and weekday names (Duden spellings; Austrian "Jänner"; "Sonnabend" = Saturday) as German Nexis
# exports write them ("10. Dezember 2021 Freitag"); each expected date and weekday checked by datetime.date
GERMAN = [("10. Dezember 2021 Freitag", dt.date(2021, 12, 10)), ("Freitag, 10. Dezember 2021", dt.date(2021, 12, 10)),
          ("3. März 2022 Donnerstag", dt.date(2022, 3, 3)), ("3. Maerz 2022", dt.date(2022, 3, 3)),
          ("1. Jänner 2022 Samstag", dt.date(2022, 1, 1)), ("1. Januar 2022 Sonnabend", dt.date(2022, 1, 1)),
          ("2. Januar 2022 Sonntag", dt.date(2022, 1, 2)), ("10. Dez. 2021", dt.date(2021, 12, 10)),
          ("31. Okt 2021", dt.date(2021, 10, 31)), ("5. Mai 2021 11:46", dt.date(2021, 5, 5)),
          ("17. Juni 2020 Mittwoch", dt.date(2020, 6, 17)), ("14. Juli 2020 Dienstag", dt.date(2020, 7, 14))]


def test_german_month_and_weekday_names_are_read():
    got = parse_dates([v for v, _ in GERMAN])
    assert got["status"].tolist() == ["ok"] * len(GERMAN)
    assert got["date"].str.slice(0, 10).tolist() == [d.isoformat() for _, d in GERMAN]
    assert got["date"].iloc[9] == "2021-05-05T11:46"
    assert set(got["format"]) == {"day month year"}
    # the weekday named must be the date's, as for English (10 December 2021 was a Friday: datetime says so)
    assert dt.date(2021, 12, 10).weekday() == 4
    bad = parse_dates(["10. Dezember 2021 Samstag", "32. Dezember 2021"])
    assert bad["reason"].tolist() == ["names a Saturday, but 2021-12-10 is a Friday",
                                      "is not a calendar date (day 32 of 2021-12)"]
