"""Private helpers shared by the solver and the win-set code: term combinations, breakpoints, grids.

The crisp 1-D case is piecewise constant between the endpoints of the constituencies' acceptable
intervals :math:`[\\theta_i - r_i, \\theta_i + r_i]`, :math:`r_i = R_i^{1/\\gamma} / \\sqrt{\\sigma_i}`,
:math:`R_i = \\rho_i^\\gamma + \\sum_m z_m v_{im} + e_i\\pi_i - h_i` (empty when :math:`R_i < 0`). Since the
intervals are closed, membership at an endpoint contains membership on both neighbouring open segments,
so every ratification probability is at least as large at an endpoint as on the segments beside it
(casebook/front_matter/model.md §9, P-3). The smooth case uses a grid whose spacing is at most half the smallest
noise scale
(casebook/front_matter/model.md §9, P-18); finer needs fall back to the crisp path.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = []

#: Largest grid the smooth 1-D path uses; scenarios needing more are solved on the crisp path.
MAX_GRID = 4097
MIN_GRID = 33
GRID_2D = 41


def term_combinations(batch):
    """All term vectors z (C, M) and which are allowed per scenario (N, C)."""
    m = len(batch.term_names)
    combos = np.array(list(itertools.product((0.0, 1.0), repeat=m)), dtype=float).reshape(2**m, m)
    state = batch.term_state[:, None, :]
    allowed = ~(((combos[None] == 1) & (state == 0)) | ((combos[None] == 0) & (state == 2))).any(-1)
    return combos, allowed


def crisp_radius(batch, combos):
    """Radii of the crisp acceptable intervals in 1-D, shape (N, C, n); NaN where empty, inf where unbounded.

    ``combos`` holds term inclusions, shared (C, M) or per scenario (N, C, M)."""
    gamma = batch.gamma
    sal = batch.effective_salience()[..., 0]
    base = batch.base_gain()
    spec = "ncm,nim->nci" if combos.ndim == 3 else "cm,nim->nci"  # per-scenario or shared combinations
    reach = base[:, None, :] + np.einsum(spec, combos, batch.term_value)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(reach >= 0, np.maximum(reach, 0) ** (1.0 / gamma), np.nan) / np.sqrt(sal)[:, None, :]
    r = np.where((sal[:, None, :] == 0) & (reach >= 0), np.inf, r)
    return r, reach


def crisp_breakpoints(batch, combos):
    """Sorted breakpoints (N, C, 2n+2) of the crisp 1-D problem, clipped to the issue range."""
    r, _ = crisp_radius(batch, combos)
    theta = batch.ideal[:, None, :, 0]
    low, high = batch.low[0], batch.high[0]
    lo = np.where(np.isnan(r), high, theta - r)
    hi = np.where(np.isnan(r), low, theta + r)
    n, c = batch.size, combos.shape[0]
    ends = np.concatenate([lo, hi, np.full((n, c, 1), low), np.full((n, c, 1), high)], axis=-1)
    return np.sort(np.clip(ends, low, high), axis=-1)


def grid_size(batch) -> np.ndarray:
    """Grid points each scenario's smooth 1-D solution needs (spacing <= half the finest noise scale)."""
    gamma = batch.gamma
    sal = batch.effective_salience()[..., 0]
    width = batch.high[0] - batch.low[0]
    if gamma == 1:
        slope = np.sqrt(sal)
    else:
        reach = np.maximum(np.abs(batch.low[0] - batch.ideal[..., 0]), np.abs(batch.high[0] - batch.ideal[..., 0]))
        slope = 2 * sal * reach
    with np.errstate(divide="ignore"):
        scale = np.where((slope > 0) & (batch.noise > 0), batch.noise / np.where(slope > 0, slope, 1), np.inf)
    finest = scale.min(-1)
    finest = np.where((batch.noise > 0).any(-1), finest, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.ceil(width / (finest / 2)) + 1
    need = np.where(finest > 0, need, np.inf)
    return need


def bucket(need: np.ndarray) -> np.ndarray:
    """Round grid needs up (to 8k + 1 below 257 points, to 2**k + 1 above; at least MIN_GRID);
    0 marks 'use the crisp path'."""
    out = np.full(need.shape, MIN_GRID, dtype=np.int64)
    too_big = (need > MAX_GRID) | ~np.isfinite(need)
    big = (need > MIN_GRID) & ~too_big
    small = big & (need <= 257)
    out[small] = (8 * np.ceil((need[small] - 1) / 8) + 1).astype(np.int64)
    large = big & ~small
    k = np.ceil(np.log2(np.maximum(need[large] - 1, 1)))
    out[large] = (2**k + 1).astype(np.int64)
    out[too_big] = 0
    return out
