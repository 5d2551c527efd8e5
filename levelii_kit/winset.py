"""Win-sets and the ZOPA (casebook/front_matter/model.md §4; Putnam 1988; Tsebelis 2002).

* Side :math:`s`'s win-set at confidence :math:`c`: :math:`W_s(c) = \\{d : P_s(d) \\ge c\\}`.
* The ZOPA at confidence :math:`c`: :math:`Z(c) = \\{d : P_A(d) P_B(d) \\ge c\\}`; the *naive* overlap
  :math:`W_A(c) \\cap W_B(c)` is larger, and the gap between the two is the compounding of ratification risk.
* In the crisp limit (every :math:`\\tau = 0`) a side's win-set is Putnam's: the deals covered by enough
  seated strength and inside every hard veto's acceptable interval; in status-quo mode it is Tsebelis's
  :math:`W(SQ)`.

One issue: the set is returned as intervals. It is exact on the crisp path (the membership is piecewise
constant between interval endpoints, and closed); on the smooth path it is found on a grid whose spacing is
at most half the finest noise scale, and every boundary is refined by bisection. Two issues: a boolean mask
on a grid, with the area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _grid
from .scenario import as_batch
from .support import evaluate, forced_terms

__all__ = ["WinSet", "win_set", "zopa", "naive_zopa"]


@dataclass(frozen=True, eq=False)
class WinSet:
    """A set of deals per scenario.

    Attributes
    ----------
    intervals : ndarray, shape (N, S, 2) or None
        One issue: the closed intervals, NaN-padded, in increasing order.
    size : ndarray, shape (N,)
        Total length (one issue) or area (two issues).
    grid : tuple of ndarray or None
        Two issues: the grid coordinates.
    mask : ndarray of bool, shape (N, G1, G2) or None
        Two issues: membership on the grid.
    """

    intervals: np.ndarray | None
    size: np.ndarray
    grid: tuple | None = None
    mask: np.ndarray | None = None

    @property
    def empty(self) -> np.ndarray:
        """Whether each scenario's set is empty, shape (N,)."""
        if self.intervals is not None:
            return (
                np.isnan(self.intervals[:, :, 0]).all(1) if self.intervals.shape[1] else np.ones(len(self.size), bool)
            )
        return ~self.mask.reshape(self.mask.shape[0], -1).any(1)

    def intervals_of(self, i: int = 0) -> list[tuple[float, float]]:
        """The intervals of scenario ``i`` as a list of ``(low, high)`` pairs."""
        rows = self.intervals[i]
        return [(float(a), float(b)) for a, b in rows if not np.isnan(a)]

    def bounds(self) -> np.ndarray:
        """Lowest and highest point of each scenario's set, shape (N, 2) (NaN when empty)."""
        lo = np.nanmin(np.where(np.isnan(self.intervals[:, :, 0]), np.inf, self.intervals[:, :, 0]), axis=1)
        hi = np.nanmax(np.where(np.isnan(self.intervals[:, :, 1]), -np.inf, self.intervals[:, :, 1]), axis=1)
        return np.where(np.isfinite(np.stack([lo, hi], -1)), np.stack([lo, hi], -1), np.nan)


def _member(ev, which, confidence):
    if which == "joint":
        return ev.joint >= confidence - 1e-12
    if which == "naive":
        return (ev.side >= confidence - 1e-12).all(-1)
    return ev.side[..., which] >= confidence - 1e-12


def _margin(ev, which, confidence):
    if which == "joint":
        return ev.joint - confidence
    if which == "naive":
        return ev.side.min(-1) - confidence
    return ev.side[..., which] - confidence


def _runs(points, inside):
    """Maximal runs of True along axis 1, as NaN-padded (N, S, 2) intervals."""
    n, p = inside.shape
    prev = np.concatenate([np.zeros((n, 1), bool), inside[:, :-1]], 1)
    nxt = np.concatenate([inside[:, 1:], np.zeros((n, 1), bool)], 1)
    starts = inside & ~prev
    ends = inside & ~nxt
    count = starts.sum(1)
    width = int(count.max()) if n else 0
    out = np.full((n, max(width, 1), 2), np.nan)
    r, c = np.nonzero(starts)
    out[r, (np.cumsum(starts, 1) - 1)[r, c], 0] = points[r, c]
    r, c = np.nonzero(ends)
    out[r, (np.cumsum(ends, 1) - 1)[r, c], 1] = points[r, c]
    return out[:, : max(width, 1)], starts, ends


def _crisp_1d(batch, which, confidence, z):
    n = batch.size
    r = _grid.crisp_radius(batch, z[:, None, :])[0][:, 0, :]
    theta = batch.ideal[:, :, 0]
    low, high = batch.low[0], batch.high[0]
    lo = np.where(np.isnan(r), high, theta - r)
    hi = np.where(np.isnan(r), low, theta + r)
    ends = np.sort(np.clip(np.concatenate([lo, hi, np.full((n, 1), low), np.full((n, 1), high)], 1), low, high), 1)
    mids = (ends[:, :-1] + ends[:, 1:]) / 2
    pts = np.empty((n, 2 * ends.shape[1] - 1))
    pts[:, 0::2] = ends
    pts[:, 1::2] = mids
    ev = evaluate(batch, pts[..., None], z[:, None, :])
    inside = _member(ev, which, confidence)
    intervals, _, _ = _runs(pts, inside)
    size = np.nansum(intervals[:, :, 1] - intervals[:, :, 0], 1)
    return WinSet(intervals=intervals, size=size)


def _smooth_1d(batch, which, confidence, z, size):
    n = batch.size
    grid = np.linspace(batch.low[0], batch.high[0], size)
    pts = np.broadcast_to(grid, (n, size))
    ev = evaluate(batch, pts[..., None], z[:, None, :])
    inside = _member(ev, which, confidence)
    intervals, starts, ends = _runs(pts, inside)
    step = grid[1] - grid[0]
    # refine every boundary that is not the range's own end, by bisection between neighbouring grid points
    rows, cols, slots, inner, outer = [], [], [], [], []
    for col, mask, direction in ((0, starts, -1), (1, ends, 1)):
        r, c = np.nonzero(mask)
        keep = (c + direction >= 0) & (c + direction < size)
        r, c = r[keep], c[keep]
        rows.append(r)
        cols.append(np.full(r.size, col))
        slots.append((np.cumsum(mask, 1) - 1)[r, c])
        inner.append(grid[c])
        outer.append(grid[c] + direction * step)
    r, col, slot, a, b = (np.concatenate(v) for v in (rows, cols, slots, inner, outer))
    if r.size:
        # one fine stencil of 129 points across every bracket, then linear interpolation of P - c
        t = np.linspace(0.0, 1.0, 129)
        fine = a[:, None] + (b - a)[:, None] * t
        margin = _margin(evaluate(batch.take(r), fine[..., None], z[r][:, None, :]), which, confidence)
        inside_f = margin >= -1e-12
        k = np.argmin(inside_f, axis=1) - 1  # last point still inside, counting from the inner end
        k = np.where(inside_f.all(1), fine.shape[1] - 2, np.maximum(k, 0))
        rr = np.arange(r.size)
        m0, m1 = margin[rr, k], margin[rr, k + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            frac = np.where(m0 != m1, m0 / (m0 - m1), 0.0)
        intervals[r, slot, col] = fine[rr, k] + np.clip(frac, 0.0, 1.0) * (fine[rr, k + 1] - fine[rr, k])
    size_ = np.nansum(intervals[:, :, 1] - intervals[:, :, 0], 1)
    return WinSet(intervals=intervals, size=size_)


def _two_d(batch, which, confidence, z, size=101):
    n = batch.size
    gx = np.linspace(batch.low[0], batch.high[0], size)
    gy = np.linspace(batch.low[1], batch.high[1], size)
    pts = np.stack(np.meshgrid(gx, gy, indexing="ij"), -1).reshape(1, -1, 2)
    ev = evaluate(batch, np.broadcast_to(pts, (n,) + pts.shape[1:]), z[:, None, :])
    mask = _member(ev, which, confidence).reshape(n, size, size)
    area = mask.mean((1, 2)) * (gx[-1] - gx[0]) * (gy[-1] - gy[0])
    return WinSet(intervals=None, size=area, grid=(gx, gy), mask=mask)


def _region(scenario, which, confidence=None, terms=None):
    batch = as_batch(scenario)
    confidence = batch.confidence if confidence is None else float(confidence)
    if not 0 < confidence <= 1:
        raise ValueError(f"confidence must be in (0, 1], got {confidence}")
    if terms is None:
        z = forced_terms(batch)
    else:
        z = np.broadcast_to(
            np.asarray(terms, dtype=float).reshape(-1, len(batch.term_names)), (batch.size, len(batch.term_names))
        )
    if batch.n_issues == 2:
        return _two_d(batch, which, confidence, z)
    if not (batch.noise > 0).any():
        return _crisp_1d(batch, which, confidence, z)
    need = _grid.bucket(_grid.grid_size(batch))
    if (need == 0).any():
        return _crisp_1d(batch.replace(noise=np.zeros_like(batch.noise)), which, confidence, z)
    return _smooth_1d(batch, which, confidence, z, int(max(need.max(), 65)))


def win_set(scenario, side, confidence: float | None = None, terms=None) -> WinSet:
    """Side ``side``'s win-set :math:`W_s(c) = \\{d : P_s(d) \\ge c\\}`.

    Parameters
    ----------
    scenario : Scenario or ScenarioBatch
    side : int or str
        0/1 or the side's name.
    confidence : float, optional
        :math:`c` (default: the scenario's).
    terms : array_like of 0/1, optional
        Term inclusion, shape (M,) or (N, M); default the forced terms only.

    Returns
    -------
    WinSet

    References
    ----------
    Putnam (1988) for the win-set; Tsebelis (2002) for W(SQ); casebook/front_matter/model.md §4, P-4, P-5, P-7.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> win_set(canonical_scenario(), "A").intervals_of(0)
    [(0.0, 0.6)]
    """
    batch = as_batch(scenario)
    if isinstance(side, str):
        if side not in batch.side_names:
            raise KeyError(f"unknown side {side!r}; sides are {list(batch.side_names)}")
        side = batch.side_names.index(side)
    return _region(batch, int(side), confidence, terms)


def zopa(scenario, confidence: float | None = None, terms=None) -> WinSet:
    """The ZOPA :math:`Z(c) = \\{d : P_A(d) P_B(d) \\ge c\\}`.

    Parameters
    ----------
    scenario : Scenario or ScenarioBatch
    confidence : float, optional
    terms : array_like of 0/1, optional

    Returns
    -------
    WinSet

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> zopa(canonical_scenario()).intervals_of(0)
    [(0.4, 0.6)]
    """
    return _region(scenario, "joint", confidence, terms)


def naive_zopa(scenario, confidence: float | None = None, terms=None) -> WinSet:
    """The naive overlap :math:`W_A(c) \\cap W_B(c)` (larger than :func:`zopa` when ratification is uncertain).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> naive_zopa(canonical_scenario()).intervals_of(0)
    [(0.4, 0.6)]
    """
    return _region(scenario, "naive", confidence, terms)
