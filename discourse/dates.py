"""The package's one date parser: each value of a date column parsed on its own, with a status and a reason.

:func:`parse_dates` reads the formats news sources and news databases write,
vectorised: one RE2 regular expression per class of formats, run by Arrow over
the whole column; each distinct part (a year, a month name, a zone) converted
once; the calendar checked in numpy (day numbers after Hinnant 2013). A
per-value :mod:`dateutil` fallback runs only for the values no class matches
(500,000 dates take about 2 seconds on one core). Nothing is guessed: a slash date that reads both ways is
*ambiguous* unless ``dayfirst`` is stated or the column shows its order, a date
lacking its day is not completed, and no time zone is invented.
:func:`to_timestamps` gives the timestamps :mod:`discourse.grouping` groups by.
"""
from __future__ import annotations

import datetime as _dt
import re
import warnings
from typing import Any, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

__all__ = ["parse_dates", "to_timestamps", "check_date_bounds", "STATUSES", "DEFAULT_BOUNDS"]

STATUSES = ("ok", "missing", "unparsable", "implausible", "ambiguous")
DEFAULT_BOUNDS = ("1800-01-01", "today")
_US_DAY = 86_400_000_000
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                       "nov", "dec"), 1)}
_MONTHS.update({"jän": 1, "mär": 3, "mrz": 3, "mae": 3, "mai": 5, "okt": 10, "dez": 12})  # German (Duden), Austrian Jänner
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_WEEKDAYS = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_WEEKDAYS.update({"die": 1, "mit": 2, "don": 3, "fre": 4, "sam": 5, "sonnabend": 5, "sonntag": 6})  # German
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# RFC 2822 section 4.3 gives these zone names their offsets (minutes east of UTC)
_ZONES = {"z": 0, "ut": 0, "utc": 0, "gmt": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300,
          "mst": -420, "mdt": -360, "pst": -480, "pdt": -420}
_MON = r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|" \
       r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|j[äa]n(?:ner)?|februar|m[äa]rz?|maerz|mrz|mai|juni|juli|" \
       r"okt(?:ober)?|dez(?:ember)?"  # German names and abbreviations (Duden; Nexis' German exports)
_WD = r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?|" \
      r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag"
_TIME = (r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<F>\d{1,9}))?)?(?:\s*(?P<P>[ap])\.?m\.?)?"
         r"(?:\s*(?P<Z>z|ut|utc|gmt|[ecmp][sd]t|(?:gmt|utc)?\s*[+-]\d{1,2}(?::?\d{2})?))?")
_AT = r"(?:,\s*|\s+(?:at\s+)?|T)"
_TEXT = pd.ArrowDtype(pa.string())  # str.extract runs in Arrow's RE2 (vectorised), not a Python loop
_CLASSES = {  # class -> pattern (RE2 syntax; case-insensitive, whitespace collapsed)
    "ISO 8601": rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?:(?:T|\s+){_TIME})?",
    "ISO 8601 basic": r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?"
                      r"(?P<Z>z|[+-]\d{2}(?::?\d{2})?)?)?",
    "slash": rf"(?P<a>\d{{1,2}})(?P<sep>[/.\-])(?P<b>\d{{1,2}})(?P<sep2>[/.\-])(?P<y>\d{{4}}|\d{{2}})(?:,?\s+{_TIME})?",
    "month day, year": rf"(?:(?P<wd>{_WD}),?\s+)?(?P<mon>{_MON})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
                       rf"(?P<y>\d{{4}})(?:,?\s+(?P<wd2>{_WD}))?(?:{_AT}{_TIME})?",
    "day month year": rf"(?:(?P<wd>{_WD}),?\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?P<mon>{_MON})\.?,?\s+"
                      rf"(?P<y>\d{{4}})(?:,?\s+(?P<wd2>{_WD}))?(?:{_AT}{_TIME})?",
}


def check_date_bounds(bounds: Any) -> tuple[str | None, str | None]:
    """``(earliest, latest)``: ISO dates (``"1800-01-01"``), ``"today"`` (latest only) or ``None`` (no bound)."""
    ok = isinstance(bounds, (tuple, list)) and len(bounds) == 2
    for i, b in enumerate(bounds if ok else ()):
        if b is None or (i == 1 and b == "today"):
            continue
        try:
            ok = ok and isinstance(b, str) and _dt.date.fromisoformat(b) is not None
        except ValueError:
            ok = False
    if not ok:
        raise ValueError(f"date_bounds must be (earliest, latest) as ISO dates such as ('1800-01-01', 'today'), "
                         f"'today' or None, not {bounds!r}")
    return tuple(bounds)  # type: ignore[return-value]


def _days(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (Hinnant 2013, ``days_from_civil``)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468


def _month_length(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    return _days(y + (m == 12), m % 12 + 1, np.ones_like(m)) - _days(y, m, np.ones_like(m))


def _per_value(col: pd.Series, func: Any, default: float) -> np.ndarray:
    """``func`` of every value, computed once per distinct value (a date column has few: years, months, zones)."""
    codes, uniq = pd.factorize(col)
    values = np.array([func(u) for u in uniq] + [default], dtype=float)
    return values[np.where(codes < 0, len(uniq), codes)]


def _int(col: pd.Series | None, n: int, default: int = 0) -> np.ndarray:
    if col is None:
        return np.full(n, default, np.int64)
    return _per_value(col, int, default).astype(np.int64)


def _zone_minutes(zone: str) -> float:
    """Minutes east of UTC; ``GMT+1`` is one hour east (news usage, not POSIX)."""
    z = re.sub(r"\s+", "", zone.lower())
    if z in _ZONES:
        return _ZONES[z]
    sign, hours, minutes = re.fullmatch(r"(?:gmt|utc)?([+-])(\d{1,2}):?(\d{2})?", z).groups()
    return (-1 if sign == "-" else 1) * (int(hours) * 60 + int(minutes or 0))


def _offsets(zone: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Minutes east of UTC and whether a zone was given."""
    return _per_value(zone, _zone_minutes, 0).astype(np.int64), zone.notna().to_numpy()


def _assemble(p: pd.DataFrame, y: np.ndarray, m: np.ndarray, d: np.ndarray) -> dict[str, np.ndarray]:
    """Microseconds (UTC when a zone is given, else wall time), validity and why not, from the parts."""
    n = len(p)
    hour, minute, sec = _int(p.get("H"), n), _int(p.get("M"), n), _int(p.get("S"), n)
    frac = p.get("F")
    us = _int(None if frac is None else frac.str.slice(0, 6).str.ljust(6, "0"), n)
    has_time = p["H"].notna().to_numpy() if "H" in p else np.zeros(n, bool)
    ampm = p["P"].str.lower().to_numpy(object) if "P" in p else np.full(n, None, object)
    is_pm, is_am = ampm == "p", ampm == "a"
    bad_12h = (is_pm | is_am) & ((hour < 1) | (hour > 12))
    hour = np.where(is_am & (hour == 12), 0, np.where(is_pm & (hour < 12), hour + 12, hour))
    off, aware = _offsets(p["Z"]) if "Z" in p else (np.zeros(n, np.int64), np.zeros(n, bool))
    reason = np.full(n, "", object)
    mm = np.clip(m, 1, 12)
    days = _days(y, mm, d)
    wd = (days + 3) % 7  # 1970-01-01 was a Thursday
    for col in ("wd", "wd2"):
        if col in p:
            said = _per_value(p[col], lambda w: _WEEKDAYS.get(w.lower(), _WEEKDAYS.get(w[:3].lower())), np.nan)
            for i in np.flatnonzero(~np.isnan(said) & (said != wd)):
                reason[i] = reason[i] or (f"names a {_WEEKDAY_NAMES[int(said[i])]}, but "
                                          f"{y[i]:04d}-{m[i]:02d}-{d[i]:02d} is a {_WEEKDAY_NAMES[wd[i]]}")
    checks = (((m < 1) | (m > 12)), "is not a calendar date (month {m})"), \
        (((d < 1) | (d > _month_length(y, mm))), "is not a calendar date (day {d} of {y:04d}-{m:02d})"), \
        ((hour > 23) | (minute > 59) | (sec > 59) | bad_12h, "has no such time of day ({h})"), \
        (np.abs(off) > 14 * 60, "has an offset beyond 14 hours")
    for bad, text in checks[::-1]:  # the first failing check names the reason
        for i in np.flatnonzero(bad):
            h = p["H"].iat[i] + ":" + p["M"].iat[i] if has_time[i] else ""
            reason[i] = text.format(m=m[i], d=d[i], y=y[i], h=h)
    total = (((days * 24 + hour) * 60 + minute - off) * 60 + sec) * 1_000_000 + us
    return {"us": total, "ok": reason == "", "reason": reason, "aware": aware, "has_time": has_time}


def _class_parts(text: pd.Series, name: str, dayfirst: bool | None) -> tuple[pd.DataFrame, dict | None, dict]:
    """The values of one class of formats, their parts and (slash dates) the order used."""
    p = text.str.extract(f"(?i)^{_CLASSES[name]}$")
    p = p[p["y"].notna()].astype("str")  # NaN for a missing part (comparisons False, not NA)
    p = p.mask(p == "")  # an optional group that took no part (Arrow gives "")
    if "sep" in p:  # 10/12-2021 is not a slash date (RE2 has no backreference)
        p = p[p["sep"] == p["sep2"]]
    if not len(p):
        return p, None, {}
    y = _int(p["y"], len(p))
    if name == "slash":
        y = np.where(p["y"].str.len() == 2, np.where(y < 69, 2000 + y, 1900 + y), y)  # %y's pivot (POSIX)
        a, b = _int(p["a"], len(p)), _int(p["b"], len(p))
        fits = {order: (mo >= 1) & (mo <= 12) & (dd >= 1) & (dd <= _month_length(y, np.clip(mo, 1, 12)))
                for order, (dd, mo) in {True: (a, b), False: (b, a)}.items()}
        only = {k: int((fits[k] & ~fits[not k]).sum()) for k in (True, False)}
        order = dayfirst
        if dayfirst is None and only[True] and not only[False]:
            order = True
        elif dayfirst is None and only[False] and not only[True]:
            order = False
        inference = {"stated": dayfirst, "used": order, "dayfirst_only": only[True], "monthfirst_only": only[False]}
        # no order: each value by its only fitting reading (those fitting both are ambiguous, set below)
        use_df = (fits[True] | ~fits[False]) if order is None else np.full(len(p), order)
        parts = _assemble(p, y, np.where(use_df, b, a), np.where(use_df, a, b))
        reason = parts["reason"]
        if order is None:
            parts["ambiguous"] = fits[True] & fits[False] & (a != b)
            calendar = pd.Series(reason, dtype=object).str.startswith("is not a calendar date").to_numpy(bool)
            reason[~fits[True] & ~fits[False] & calendar] = "is not a calendar date in either order (day/month " \
                                                             "or month/day)"
        else:
            how = f"dayfirst={order}" if dayfirst is not None else "the order the column shows"
            reason[~fits[order] & fits[not order]] = f"is not a {'day' if order else 'month'}-first date ({how})"
        parts["ok"] = parts["reason"] == ""
        return p, inference, parts
    if name.startswith("ISO 8601"):
        m = _int(p["m"], len(p))
    else:
        m = _per_value(p["mon"], lambda w: _MONTHS[w[:3].lower()], 0).astype(np.int64)
    return p, None, _assemble(p, y, m, _int(p["d"], len(p)))


def _fallback(values: pd.Series, dayfirst: bool | None) -> dict[str, list]:
    """Per value with dateutil, for the values no class matched: a missing part is never filled in from a default."""
    from dateutil import parser as du

    out: dict[str, list] = {k: [] for k in ("us", "reason", "aware", "has_time", "ambiguous")}
    d1, d2 = _dt.datetime(2000, 1, 1, 0, 0), _dt.datetime(2001, 2, 2, 1, 1)
    for v in values:
        us, reason, aware, has_time, amb = 0, "", False, False, False
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # an unknown zone name is an error here, not a naive time
                a = du.parse(v, default=d1, dayfirst=bool(dayfirst))
                b = du.parse(v, default=d2, dayfirst=bool(dayfirst))
                other = du.parse(v, default=d1, dayfirst=not dayfirst) if dayfirst is None else a
        except (ValueError, OverflowError, TypeError, Warning):
            a = None
        if a is None or re.search(r"(gmt|utc)\s*[+-]", v, re.I):  # dateutil reads GMT+1 the POSIX way: refuse
            reason = "is not a date in any known format"
        elif a.date() != b.date():
            reason = "is not a complete date (day, month or year missing)"
        else:
            has_time, aware = (a.hour, a.minute) == (b.hour, b.minute), a.tzinfo is not None
            amb = other.date() != a.date()
            if aware:
                a = a.astimezone(_dt.timezone.utc).replace(tzinfo=None)
            delta = a - _dt.datetime(1970, 1, 1)
            us = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
        for k, x in zip(out, (us, reason, aware, has_time, amb)):
            out[k].append(x)
    return out


def _bounds_us(bounds: tuple[str | None, str | None]) -> tuple[float, float, list[str]]:
    lo, hi = bounds
    lo_us = -np.inf if lo is None else _days(*(np.array([int(x)]) for x in lo.split("-")))[0] * _US_DAY
    if hi == "today":  # the latest time anywhere on Earth now (UTC+14): later is the future everywhere
        now = _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None) + _dt.timedelta(hours=14)
        hi_us = (now - _dt.datetime(1970, 1, 1)) / _dt.timedelta(microseconds=1)
        hi_text = "is implausible: in the future (date_bounds)"
    else:
        hi_us = np.inf if hi is None else (_days(*(np.array([int(x)]) for x in hi.split("-")))[0] + 1) * _US_DAY - 1
        hi_text = f"is implausible: after {hi} (date_bounds)"
    return lo_us, hi_us, [f"is implausible: before {lo} (date_bounds)", hi_text]


def parse_dates(values: Sequence[Any] | pd.Series, *, dayfirst: bool | None = None, date_format: str | None = None,
                date_bounds: tuple[str | None, str | None] = DEFAULT_BOUNDS) -> pd.DataFrame:
    """Parse every value of a date column on its own; say for each how it was read, or why not.

    Formats read (by default; month and weekday names in English or German, any case, abbreviated or not,
    ``Sept`` and ``Dec.`` too; a weekday, where named, must match the date):

    ==========================  ==========================================  ===========================
    class                       examples                                    source
    ==========================  ==========================================  ===========================
    ISO 8601                    ``2021-12-10``, ``2021-12-10T11:46:00Z``,    ISO 8601-1:2019; feeds, APIs
                                ``2021-12-10 11:46+01:00``, ``…T11:46:00.5``,
                                basic ``20211210``, ``20211210T1146Z``
    slash (or ``.``, ``-``)     ``10/12/2021``, ``7/23/17``, ``10.12.2021``  spreadsheets, US/EU sites
    month day, year             ``Dec 10, 2021``, ``December 10, 2021``,     US style (AP); Nexis
                                ``Friday, December 10, 2021``,
                                ``December 10, 2021 Friday`` (Nexis)
    day month year              ``10 Dec, 2021 11:46``, ``10 December 2021``  UK style; Factiva; RFC 2822
                                (Factiva), ``Fri, 10 Dec 2021 11:46:00 +0000``
                                ``10. Dezember 2021 Freitag`` (German)      German Nexis exports
    ==========================  ==========================================  ===========================

    Any of them may carry a time (``11:46``, ``11:46:00``, ``11:46 AM``) and a
    zone: ``Z``, ``+01:00``, ``+0100``, ``GMT+1`` (one hour *east*, as news
    sites mean it), or an RFC 2822 name (UT, GMT, EST/EDT, CST/CDT, MST/MDT,
    PST/PDT; Resnick 2001, section 4.3). A two-digit year follows POSIX
    ``strptime``: 69-99 are 1969-1999, 00-68 are 2000-2068. Values no class
    matches are tried one by one with dateutil (Niemeyer), parsed twice with
    different defaults so that a missing day, month or year is an error rather
    than filled in from the default.

    Parameters
    ----------
    values : sequence or Series
        The raw values (strings; numbers are read as their text).
    dayfirst : bool, optional
        Slash dates day first (``True``: ``10/12/2021`` is 10 December),
        month first (``False``: ``7/23/17`` is 23 July 2017) or, by default
        (``None``), as the column shows: if some value fits only day-first
        (a first part over 12) and none only month-first, the column is read
        day-first, and the other way round; otherwise every value that reads
        both ways (``03/04/2021``) is *ambiguous* and left empty. Never guessed.
    date_format : str, optional
        A ``strftime`` format for every value (pandas ``to_datetime``),
        ``"ISO8601"`` (only the ISO 8601 class), ``"epoch"`` (seconds since
        1970-01-01 UTC, a number) or ``"mixed"``/``None`` (the classes above).
    date_bounds : (earliest, latest)
        Plausible dates: ISO dates, ``"today"`` for latest (the future is
        later than the current time anywhere on Earth, UTC+14), ``None`` for
        no bound. Default ``("1800-01-01", "today")``: ``0001-01-01`` (a
        placeholder) and ``2099-…`` are *implausible*.

    Returns
    -------
    DataFrame
        One row per value, the input's index: ``raw``; ``date`` as ISO 8601
        (``2021-12-10`` for a date alone; ``2021-12-10T11:46`` for a naive time,
        seconds only when not zero; a value with a zone converted to UTC
        and written with ``Z``; ``None`` unless ``status`` is ``ok``);
        ``timestamp`` (naive ``datetime64[us]``: UTC when the value had a zone,
        the wall time as written otherwise; ``NaT`` unless ok); ``aware``
        (a zone was given), ``has_time``, ``status`` (one of :data:`STATUSES`;
        ``missing`` for empty values), ``reason`` (a phrase: ``"is not a
        calendar date (month 13)"``) and ``format`` (the class). ``.attrs``:
        ``dayfirst`` (stated), ``dayfirst_used``, ``order_note`` (how slash dates
        were read, or ``None``), ``date_format``, ``date_bounds`` and ``counts``.
    """
    bounds = check_date_bounds(date_bounds)
    if dayfirst not in (None, True, False):
        raise ValueError(f"dayfirst must be True, False or None (from the column), not {dayfirst!r}")
    raw = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    n = len(raw)
    plain = raw.reset_index(drop=True).astype(object)
    text = plain.where(plain.notna(), None).map(lambda v: None if v is None else str(v)).astype(_TEXT)
    text = text.str.strip().str.replace(r"\s+", " ", regex=True)
    missing = (text.isna() | (text == "").fillna(True)).to_numpy(bool)
    us = np.zeros(n, np.int64)
    reason = np.where(missing, "", "is not a date in any known format").astype(object)
    aware, has_time, amb, done = (np.zeros(n, bool) for _ in range(4))
    fmt = np.full(n, None, object)
    note = None
    todo = ~missing

    def put(idx: np.ndarray, parts: dict, name: str) -> None:
        for key, arr in (("us", us), ("reason", reason), ("aware", aware), ("has_time", has_time),
                         ("ambiguous", amb)):
            if key in parts:
                arr[idx] = np.asarray(parts[key], dtype=arr.dtype)
        done[idx], fmt[idx] = True, name

    if date_format in (None, "mixed", "ISO8601"):
        for name in (_CLASSES if date_format != "ISO8601" else ["ISO 8601", "ISO 8601 basic"]):
            p, inference, parts = _class_parts(text[todo & ~done], name, dayfirst)
            if len(p):
                put(p.index.to_numpy(), parts, name)
                if inference is not None:
                    note = _order_note(inference)
        rest = np.flatnonzero(todo & ~done)
        if len(rest) and date_format != "ISO8601":
            put(rest, _fallback(text.iloc[rest], dayfirst), "other (dateutil)")
    elif date_format == "epoch":
        num = pd.to_numeric(text.astype(object), errors="coerce").to_numpy(float)
        ok = todo & np.isfinite(num) & (np.abs(np.nan_to_num(num)) < 2.5e11)
        us[ok] = np.round(num[ok] * 1e6).astype(np.int64)
        aware[ok], has_time[ok], fmt[todo] = True, True, "epoch"
        reason[todo] = np.where(ok[todo], "", "is not a number of seconds since 1970-01-01 (date_format='epoch')")
    else:
        zoned = "%z" in date_format or "%Z" in date_format
        ts = pd.to_datetime(text.astype(object).where(todo, None), format=date_format, errors="coerce", utc=zoned)
        if zoned:
            ts = ts.dt.tz_localize(None)
        ok = ts.notna().to_numpy() & todo
        us[ok] = ts[ok].dt.as_unit("us").astype("int64").to_numpy()
        aware[ok], has_time[ok], fmt[todo] = zoned, bool(re.search(r"%[HIMSXTRc]", date_format)), date_format
        reason[todo] = np.where(ok[todo], "", f"does not parse with date_format={date_format!r}")
    status = np.where(missing, "missing", np.where(reason != "", "unparsable", "ok")).astype(object)
    status[(status == "ok") & amb] = "ambiguous"
    for i in np.flatnonzero(status == "ambiguous"):
        d1, d2 = (_slash_reading(text.iat[i], first) for first in (True, False))
        reason[i] = (f"is ambiguous: {d1} (day first) or {d2} (month first); pass dayfirst=True or "
                     "dayfirst=False" if d1 and d2 else "is ambiguous (day first or month first); pass dayfirst=")
    lo_us, hi_us, texts = _bounds_us(bounds)
    for bad, why in ((us < lo_us, texts[0]), (us > hi_us, texts[1])):
        hit = (status == "ok") & bad
        status[hit], reason[hit] = "implausible", why
    ok = status == "ok"
    stamp = np.where(ok, us, 0).astype("datetime64[us]")
    iso = np.full(n, None, object)
    if ok.any():
        sub = stamp[ok]
        frac = us[ok] % 1_000_000 != 0
        secs = (us[ok] // 1_000_000) % 60 != 0
        unit = np.where(~has_time[ok], "D", np.where(frac, "us", np.where(secs, "s", "m")))
        written = np.empty(len(sub), object)
        for u in np.unique(unit):
            written[unit == u] = np.datetime_as_string(sub[unit == u], unit=u)
        iso[ok] = np.where(aware[ok], written.astype(object) + "Z", written).astype(object)
    out = pd.DataFrame({"raw": pd.Series(raw.to_numpy(object), index=raw.index, dtype=object),
                        "date": pd.Series(iso, index=raw.index, dtype=object),  # None, not NaN, where empty
                        "timestamp": pd.Series(stamp, index=raw.index).where(ok),
                        "aware": aware & ok, "has_time": has_time & ok, "status": status,
                        "reason": np.where(ok, "", reason).astype(object), "format": fmt}, index=raw.index)
    out.attrs = {"dayfirst": dayfirst, "dayfirst_used": _used(note, dayfirst), "order_note": note,
                 "date_format": date_format, "date_bounds": bounds,
                 "counts": {s: int((status == s).sum()) for s in STATUSES}}
    return out


def _used(note: str | None, dayfirst: bool | None) -> bool | None:
    if dayfirst is not None or note is None:
        return dayfirst
    return True if "read day first" in note else False if "read month first" in note else None


def _order_note(inf: dict) -> str | None:
    """How slash dates were read: stated, inferred from the column (and the evidence), or not at all."""
    df, mf = inf["dayfirst_only"], inf["monthfirst_only"]
    if inf["stated"] is not None:
        return None
    if inf["used"] is True:
        return (f"slash dates read day first: {df:,} value{'s' if df != 1 else ''} fit only day first (first part "
                "over 12) and none only month first (inferred from the column; pass dayfirst= to state it)")
    if inf["used"] is False:
        return (f"slash dates read month first: {mf:,} value{'s' if mf != 1 else ''} fit only month first (second "
                "part over 12) and none only day first (inferred from the column; pass dayfirst= to state it)")
    if df and mf:
        return (f"slash dates: the column mixes orders ({df:,} fit only day first, {mf:,} only month first): "
                "values that read both ways are ambiguous")
    return "slash dates: no value shows the order (day or month first): values that read both ways are ambiguous"


def _slash_reading(value: str, dayfirst: bool) -> str | None:
    """``3 April 2021``: a slash date read one way (for the ambiguity message), ``None`` if it does not fit."""
    m = re.match(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})", value)
    if not m:
        return None
    a, b, y = (int(g) for g in m.groups())
    y = y if len(m.group(3)) == 4 else (2000 + y if y < 69 else 1900 + y)
    day, month = (a, b) if dayfirst else (b, a)
    try:
        _dt.date(y, month, day)
    except ValueError:
        return None
    return f"{day} {_MONTH_NAMES[month - 1]} {y}"


def to_timestamps(values: pd.Series, *, dayfirst: bool | None = None,
                  date_bounds: tuple[str | None, str | None] = DEFAULT_BOUNDS) -> pd.DataFrame:
    """``timestamp`` (naive, UTC for values with a zone; ``NaT`` unless ok) and ``status`` of every value.

    What :mod:`discourse.grouping` groups periods by: a date column as read
    (ISO 8601 after :func:`discourse.read_corpus`) or as written.
    """
    parsed = parse_dates(values, dayfirst=dayfirst, date_bounds=date_bounds)
    return parsed[["timestamp", "status"]]
