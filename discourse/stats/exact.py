"""Exact conditional inference on 2x2 tables, vectorised: Fisher's exact test and the conditional MLE odds ratio.

Conditional on the margins of the table ``[[a, b], [c, d]]``, ``a`` follows Fisher's noncentral
hypergeometric distribution with odds ratio ``psi`` (Fisher 1935; Cornfield 1956): with column sums
``m = a + c`` and ``n = b + d`` and first row sum ``k = a + b``, ``P(a = x) ∝ C(m, x) C(n, k - x) psi^x``
on ``max(0, k - n) <= x <= min(k, m)``. Fisher's exact test is the central case (``psi = 1``); the
conditional maximum-likelihood estimate of ``psi`` solves ``E[a | psi] = a`` (the estimate of R's
``fisher.test()`` and of ``scipy.stats.contingency.odds_ratio(kind="conditional")``).

Every table is worked on its whole support at once: the supports of all tables are laid end to end in
one array (a chunk of tables at a time, so memory stays bounded), and their log densities are a
running sum of the log ratios ``P(x + 1) / P(x) = (m - x)(k - x) / ((x + 1)(n - k + x + 1))``, exact to
rounding for any table size. For keyness tables (a term against the other tokens, target against
reference) the support of a term is at most its frequency + 1, so the work is about the corpus size.
"""
from __future__ import annotations

import numpy as np

__all__ = ["conditional_odds_ratio", "fisher_exact_p"]

_AT_ONCE = 2_000_000  # support points of the tables worked on at once (~100 MB of temporaries)
_R_RELERR = 1 + 1e-7  # R's fisher.test: outcomes as likely as the observed one, to this relative error


def _margins(a, b, c, d):
    a, b, c, d = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (a, b, c, d)))
    if np.any((a < 0) | (b < 0) | (c < 0) | (d < 0)):
        raise ValueError("the cells of a 2x2 table must be non-negative")
    m, n, k = a + c, b + d, a + b
    lo, hi = np.maximum(0, k - n), np.minimum(k, m)
    return a.ravel(), m.ravel(), n.ravel(), k.ravel(), lo.ravel(), hi.ravel(), a.shape


def _chunks(sizes: np.ndarray):
    """Index ranges of tables whose supports together hold about ``_AT_ONCE`` points."""
    ends = np.cumsum(sizes)
    start = 0
    while start < len(sizes):
        base = ends[start - 1] if start else 0
        stop = max(int(np.searchsorted(ends, base + _AT_ONCE, side="right")), start + 1)
        yield start, stop
        start = stop


class _Supports:
    """The supports ``lo..hi`` of a chunk of tables end to end, each point's unnormalised log density at psi = 1."""

    def __init__(self, m, n, k, lo, hi):
        sizes = (hi - lo + 1).astype(np.int64)
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.table = np.repeat(np.arange(len(sizes)), sizes)
        self.u = np.arange(int(sizes.sum()), dtype=float) - self.starts[self.table]  # x - lo
        x = lo[self.table] + self.u
        mt, nt, kt = m[self.table], n[self.table], k[self.table]
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.log(mt - x) + np.log(kt - x) - np.log(x + 1) - np.log(nt - kt + x + 1)
        step = np.concatenate([[0.0], step[:-1]])
        step[self.starts] = 0.0  # each table's log density starts at 0 at x = lo
        run = np.cumsum(step)
        self.logd = run - run[self.starts][self.table]

    def density(self, theta: np.ndarray) -> np.ndarray:
        """Each table's normalised density at ``psi = exp(theta)`` (one value per table)."""
        w = self.logd + self.u * theta[self.table]
        w = np.exp(w - np.maximum.reduceat(w, self.starts)[self.table])
        return w / np.add.reduceat(w, self.starts)[self.table]

    def moments(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance of ``x - lo`` at ``psi = exp(theta)``."""
        p = self.density(theta)
        mean = np.add.reduceat(p * self.u, self.starts)
        var = np.add.reduceat(p * (self.u - mean[self.table]) ** 2, self.starts)
        return mean, var


def _mle_theta(sup: _Supports, target: np.ndarray, start: np.ndarray) -> np.ndarray:
    """``log psi`` with ``E[x - lo | psi] = target``: Newton's method safeguarded by bisection (the mean rises)."""
    theta, low, high = start.copy(), np.full(start.shape, -750.0), np.full(start.shape, 750.0)
    for _ in range(200):
        mean, var = sup.moments(theta)
        gap = mean - target
        low, high = np.where(gap < 0, theta, low), np.where(gap > 0, theta, high)
        with np.errstate(divide="ignore", invalid="ignore"):
            new = theta - gap / var
        bad = ~np.isfinite(new) | (new <= low) | (new >= high)
        new = np.where(bad, (low + high) / 2, new)
        done = (np.abs(new - theta) <= 1e-12 * np.maximum(1.0, np.abs(theta))) | (gap == 0)
        theta = new
        if done.all():
            break
    return theta


def _zeroin(f, ax: float, bx: float, fa: float, fb: float, tol: float, maxit: int = 1000) -> float:
    """Brent's root finder exactly as R's ``uniroot`` runs it (``R_zeroin2``, src/library/stats/src/zeroin.c).

    Brent (1973), the Forsythe, Malcolm & Moler (1977) ``zeroin`` in R's version, kept step for step so
    that the root it stops at is R's (``uniroot``'s default ``tol = .Machine$double.eps^0.25``).
    """
    eps = np.finfo(float).eps
    a, b, c, fc = ax, bx, ax, fa
    if fa == 0.0:
        return a
    if fb == 0.0:
        return b
    for _ in range(maxit + 1):
        prev_step = b - a
        if abs(fc) < abs(fb):
            a, b, c = b, c, b
            fa, fb, fc = fb, fc, fb
        tol_act = 2 * eps * abs(b) + tol / 2
        new_step = (c - b) / 2
        if abs(new_step) <= tol_act or fb == 0.0:
            return b
        if abs(prev_step) >= tol_act and abs(fa) > abs(fb):
            cb = c - b
            if a == c:
                t1 = fb / fa
                p, q = cb * t1, 1.0 - t1
            else:
                q, t1, t2 = fa / fc, fb / fc, fb / fa
                p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0))
                q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0)
            if p > 0:
                q = -q
            else:
                p = -p
            if p < (0.75 * cb * q - abs(tol_act * q) / 2) and p < abs(prev_step * q / 2):
                new_step = p / q
        if abs(new_step) < tol_act:
            new_step = tol_act if new_step > 0 else -tol_act
        a, fa = b, fb
        b += new_step
        fb = f(b)
        if (fb > 0 and fc > 0) or (fb < 0 and fc < 0):
            c, fc = a, fa
    return b


def _r_estimate(logd: np.ndarray, support: np.ndarray, x: float) -> float:
    """R's ``fisher.test()$estimate`` for one table: ``uniroot`` on ``mnhyper(ncp) - x`` (R 4.2, fisher.test.R)."""
    def mean(ncp: float) -> float:
        if ncp == 0:
            return support[0]
        if ncp == np.inf:
            return support[-1]
        d = logd + np.log(ncp) * support
        d = np.exp(d - d.max())
        return float(np.sum(support * (d / d.sum())))

    tol = np.finfo(float).eps ** 0.25
    mu = mean(1.0)
    if mu > x:
        return _zeroin(lambda t: mean(t) - x, 0.0, 1.0, mean(0.0) - x, mean(1.0) - x, tol)
    if mu < x:
        lower = np.finfo(float).eps
        root = _zeroin(lambda t: mean(1 / t) - x, lower, 1.0, mean(1 / lower) - x, mean(1.0) - x, tol)
        return 1 / root
    return 1.0


def conditional_odds_ratio(a, b, c, d, *, method: str = "exact") -> np.ndarray:
    """Conditional maximum-likelihood estimate of the odds ratio of 2x2 tables ``[[a, b], [c, d]]``, vectorised.

    The ``psi`` at which the mean of Fisher's noncentral hypergeometric distribution of ``a`` (given the
    margins) equals the observed ``a`` (Cornfield 1956; Agresti 2013, §16.6.4): unlike the sample odds
    ratio ``ad / bc`` it is finite when ``b`` or ``c`` is 0 unless ``a`` sits at the end of its support,
    where it is 0 (``a = max(0, k - n)``) or ``inf`` (``a = min(k, m)``); NaN when the support is a single
    point (a zero row or column).

    Parameters
    ----------
    a, b, c, d : array_like
        Cells (broadcast against each other).
    method : {"exact", "r"}
        ``"exact"`` (default): solved to about 1e-12 relative error (Newton's method on ``log psi``,
        safeguarded by bisection), the value of ``scipy.stats.contingency.odds_ratio(table,
        kind="conditional")`` (scipy 1.17, ``_odds_ratio.py``: ``brentq`` to ``xtol=1e-13``).
        ``"r"``: R's ``fisher.test()$estimate`` (R 4.2.2, src/library/stats/R/fisher.test.R), which
        stops ``uniroot`` at its default tolerance ``.Machine$double.eps^0.25`` (about 1.2e-4 on
        ``psi`` or ``1/psi`` in ``(0, 1)``), so it agrees with the exact root to about four significant
        digits; quanteda.textstats' ``textstat_keyness(measure = "exact")`` prints this value. One
        table at a time (R's root finder, :func:`_zeroin`), so slower.
    """
    if method not in ("exact", "r"):
        raise ValueError(f"method must be one of 'exact', 'r' (got {method!r})")
    x, m, n, k, lo, hi, shape = _margins(a, b, c, d)
    out = np.full(x.shape, np.nan)
    out[(x == lo) & (hi > lo)] = 0.0
    out[(x == hi) & (hi > lo)] = np.inf
    inner = np.flatnonzero((x > lo) & (x < hi))
    for i, j in _chunks(hi[inner] - lo[inner] + 1):
        idx = inner[i:j]
        sup = _Supports(m[idx], n[idx], k[idx], lo[idx], hi[idx])
        if method == "exact":
            with np.errstate(divide="ignore"):
                start = np.log((x[idx] + 0.5) * (n[idx] - k[idx] + x[idx] + 0.5)
                               / ((k[idx] - x[idx] + 0.5) * (m[idx] - x[idx] + 0.5)))
            out[idx] = np.exp(_mle_theta(sup, x[idx] - lo[idx], start))
            continue
        ends = np.append(sup.starts[1:], len(sup.u))
        for t, (s, e) in enumerate(zip(sup.starts, ends)):
            support = lo[idx[t]] + sup.u[s:e]
            out[idx[t]] = _r_estimate(sup.logd[s:e], support, x[idx[t]])
    return out.reshape(shape)


def fisher_exact_p(a, b, c, d) -> np.ndarray:
    """Two-sided p-value of Fisher's exact test of 2x2 tables ``[[a, b], [c, d]]``, vectorised.

    The probability, under the hypergeometric distribution of ``a`` given the margins (Fisher 1935),
    of the tables no more likely than the observed one: ``sum P(x)`` over ``P(x) <= P(a) (1 + 1e-7)``,
    the rule of R's ``fisher.test`` (``relErr``; quanteda.textstats' ``measure = "exact"`` reports it).
    Equal to :func:`scipy.stats.fisher_exact` up to that tolerance on ties. A single-point support
    (a zero row or column) gives 1.
    """
    x, m, n, k, lo, hi, shape = _margins(a, b, c, d)
    out = np.ones(x.shape)
    inner = np.flatnonzero(hi > lo)
    for i, j in _chunks(hi[inner] - lo[inner] + 1):
        idx = inner[i:j]
        sup = _Supports(m[idx], n[idx], k[idx], lo[idx], hi[idx])
        p = sup.density(np.zeros(len(idx)))
        observed = p[sup.starts + (x[idx] - lo[idx]).astype(np.int64)]
        keep = p <= observed[sup.table] * _R_RELERR
        out[idx] = np.minimum(np.add.reduceat(np.where(keep, p, 0.0), sup.starts), 1.0)
    return out.reshape(shape)
