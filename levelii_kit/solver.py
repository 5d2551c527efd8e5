"""Solving a batch of scenarios: the Level I outcome and what it means at Level II (model.md 3.6-3.7).

The solver keeps, for every scenario, the deal :math:`d^*` chosen by the scenario's solution concept
(:mod:`levelii_kit.solutions`) among deals whose joint ratification chance reaches :math:`c_{min}`, or
:class:`~levelii_kit.solutions.NoDeal` with the reason.

*Crisp 1-D path* (every noise :math:`\\tau_i = 0`; exact). Ratification is piecewise constant between the
endpoints of the acceptable intervals. On each segment the Nash objective is the log of a concave surplus
product, so its maximum over the closed segment is the unconstrained maximiser clipped into the segment
(for linear loss :math:`x^N = (1-\\alpha) a + \\alpha b`, with :math:`a` and :math:`b` the ends of the two
leaders' acceptable ranges that face each other; model.md 3.7), compared with the segment's endpoints.

*Smooth path* (:math:`\\tau > 0`). A grid whose spacing is at most half the finest noise scale, the argmax of
:math:`\\log P_A + \\log P_B + \\alpha \\log(U_A - D_A) + (1-\\alpha) \\log(U_B - D_B)`, then golden-section
refinement on the bracket around it (1-D) or a zooming local grid (2-D). Scenarios that would need more than
:data:`levelii_kit._grid.MAX_GRID` points are solved on the crisp path (model.md P-18).

Add-on terms are enumerated (:math:`2^M` combinations, model.md 3.7) and the best combination kept. Ties are
broken deterministically (lowest candidate index). Batches are processed in chunks to bound memory.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _grid
from .scenario import ScenarioBatch, as_batch
from .solutions import Deal, NoDeal
from .support import evaluate

__all__ = ["Result", "solve", "solve_batch"]

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
_CHUNK_ELEMENTS = 3_000_000


@dataclass(frozen=True, eq=False)
class Result:
    """The solved batch: outcome, ratification and expected values per scenario.

    Attributes
    ----------
    batch : ScenarioBatch
        What was solved.
    agreed : ndarray of bool, shape (N,)
        Whether a deal qualifies (otherwise :class:`NoDeal`).
    point : ndarray, shape (N, K)
        The Level I proposal: :math:`d^*`, or for no deal the deal with the best chance of ratification.
    terms : ndarray of bool, shape (N, M)
        Terms included in the proposal.
    probability : ndarray, shape (N,)
        :math:`P_{AB}` at the proposal.
    side_probability : ndarray, shape (N, 2)
        :math:`P_A, P_B` at the proposal.
    support : ndarray, shape (N, n)
        Each constituency's support at the proposal.
    share : ndarray, shape (N, 2)
        Weighted support per side at the proposal.
    surplus : ndarray, shape (N, 2)
        Leaders' surpluses :math:`U_s - D_s` at the proposal.
    disagreement : ndarray, shape (N, 2)
        :math:`D_s = -\\rho_{L_s}^\\gamma`, each leader's value of no agreement.
    expected : ndarray, shape (N, 2)
        :math:`E_s = D_s + P_{AB}(d^*) (U_s - D_s)` (just :math:`D_s` for no deal).
    best_probability : ndarray, shape (N,)
        The largest :math:`P_{AB}` any deal reaches.
    reason : ndarray of str, shape (N,)
        Empty for a deal, else why there is none.
    """

    batch: ScenarioBatch
    agreed: np.ndarray
    point: np.ndarray
    terms: np.ndarray
    probability: np.ndarray
    side_probability: np.ndarray
    support: np.ndarray
    share: np.ndarray
    surplus: np.ndarray
    disagreement: np.ndarray
    expected: np.ndarray
    best_probability: np.ndarray
    reason: np.ndarray

    @property
    def size(self) -> int:
        """Number of scenarios."""
        return int(self.agreed.shape[0])

    def outcome(self, i: int = 0):
        """Return scenario ``i``'s outcome as a :class:`Deal` or a :class:`NoDeal`."""
        if self.agreed[i]:
            names = tuple(t for t, on in zip(self.batch.term_names, self.terms[i]) if on)
            return Deal(tuple(float(v) for v in self.point[i]), names, float(self.probability[i]))
        return NoDeal(str(self.reason[i]), float(self.best_probability[i]))

    def support_table(self, i: int = 0):
        """Support per constituency at the proposal, as a pandas DataFrame."""
        import pandas as pd

        b = self.batch
        return pd.DataFrame({
            "side": [b.side_names[s] for s in b.side_of],
            "constituency": list(b.names),
            "strength": b.strength[i],
            "seated": b.seated[i],
            "blocking": b.blocking[i],
            "support": self.support[i],
        }).set_index("constituency")

    def sides_table(self, i: int = 0):
        """Weighted support, quota and ratification per side at the proposal, as a pandas DataFrame."""
        import pandas as pd

        b = self.batch
        return pd.DataFrame({
            "side": list(b.side_names),
            "weighted_support": self.share[i],
            "quota": b.quota[i],
            "ratification": self.side_probability[i],
            "leader_surplus": self.surplus[i],
            "expected_value": self.expected[i],
        }).set_index("side")

    def summary(self):
        """One row per scenario: outcome, chance of agreement, expected values, as a pandas DataFrame."""
        import pandas as pd

        b = self.batch
        data = {"agreed": self.agreed}
        for k, name in enumerate(b.issue_names):
            data[name] = np.where(self.agreed, self.point[:, k], np.nan)
        data["probability"] = np.where(self.agreed, self.probability, 0.0)
        data["best_probability"] = self.best_probability
        for s, name in enumerate(b.side_names):
            data[f"P_{name}"] = self.side_probability[:, s]
            data[f"E_{name}"] = self.expected[:, s]
        data["reason"] = self.reason
        return pd.DataFrame(data)


# ---------------------------------------------------------------------------------------------------------
def _weights(batch):
    """Log-surplus weights (N, 2) and which leaders must gain (N, 2) for the batch's solution kind."""
    n = batch.size
    if batch.solution_kind == "setter":
        proposer = batch.solution_param.astype(int)
        w = np.zeros((n, 2))
        w[np.arange(n), proposer] = 1.0
        return w, w > 0
    alpha = batch.solution_param if batch.solution_kind == "nash" else np.full(n, 0.5)
    w = np.stack([alpha, 1.0 - alpha], -1)
    return w, np.ones((n, 2), dtype=bool)


def _objective(ev, weights, needs_gain, min_probability, allowed=None):
    """Log-space objective at every candidate, -inf where infeasible."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logp = np.log(ev.side).sum(-1)
        surplus = ev.surplus
        logs = np.where(surplus > 0, np.log(np.where(surplus > 0, surplus, 1.0)), -np.inf)
        terms = np.where(weights[:, None, :] > 0, weights[:, None, :] * logs, 0.0)
        obj = logp + terms.sum(-1)
    bad = (needs_gain[:, None, :] & ~(surplus > 0)).any(-1) | (ev.joint < min_probability) | np.isnan(obj)
    if allowed is not None:
        bad |= ~allowed
    return np.where(bad, -np.inf, obj)


def _nash_point_1d(batch, combos, weights):
    """Unconstrained maximiser of the weighted log-surplus product on the line, shape (N, C), and the
    interval (N, C, 2) where every leader that must gain does."""
    gamma = batch.gamma
    sal = batch.effective_salience()[..., 0]
    theta = batch.ideal[..., 0]
    base = batch.effective_tolerance() ** gamma + batch.efficiency * batch.payment - batch.threat
    la, lb = batch.leaders
    reach = base[:, None, :] + np.einsum("cm,nim->nci", combos, batch.term_value)
    ends, centres, sq = [], [], []
    for s, leader in enumerate((la, lb)):
        cap = reach[..., leader] - np.einsum("cm,nm->nc", combos, batch.term_cost[:, s, :])
        root = np.sqrt(sal[:, leader])[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(cap > 0, np.maximum(cap, 0) ** (1.0 / gamma), np.nan) / root
        r = np.where((root == 0) & (cap > 0), np.inf, r)
        centres.append(np.broadcast_to(theta[:, leader][:, None], cap.shape))
        ends.append(r)
        sq.append(np.broadcast_to(root, cap.shape))
    (ta, tb), (ra, rb) = centres, ends
    low, high = batch.low[0], batch.high[0]
    left = np.maximum(np.where(weights[:, None, 0] > 0, ta - ra, -np.inf), np.where(weights[:, None, 1] > 0, tb - rb, -np.inf))
    right = np.minimum(np.where(weights[:, None, 0] > 0, ta + ra, np.inf), np.where(weights[:, None, 1] > 0, tb + rb, np.inf))
    left = np.where(np.isnan(left), np.inf, np.maximum(left, low))
    right = np.where(np.isnan(right), -np.inf, np.minimum(right, high))
    wa, wb = weights[:, None, 0], weights[:, None, 1]
    if gamma == 1:
        sign = np.where(ta <= tb, 1.0, -1.0)
        a_end = ta + sign * ra
        b_end = tb - sign * rb
        with np.errstate(invalid="ignore"):
            x = np.where(wb == 0, ta, np.where(wa == 0, tb, wb * a_end + wa * b_end))
            x = np.where(np.isinf(ra) & (wa > 0) & (wb > 0), tb, x)
            x = np.where(np.isinf(rb) & (wa > 0) & (wb > 0), ta, x)
        x = np.clip(x, np.minimum(ta, tb), np.maximum(ta, tb))
    else:
        lo_s = np.maximum(np.minimum(ta, tb), np.where(np.isfinite(left), left, -np.inf))
        hi_s = np.minimum(np.maximum(ta, tb), np.where(np.isfinite(right), right, np.inf))
        lo_s, hi_s = np.where(lo_s <= hi_s, lo_s, np.minimum(ta, tb)), np.where(lo_s <= hi_s, hi_s, np.maximum(ta, tb))
        x = _golden_concave(lambda v: _log_surplus(v, ta, tb, ra, rb, wa, wb, sq, gamma), lo_s, hi_s)
    x = np.clip(x, low, high)
    return np.nan_to_num(x, nan=(low + high) / 2), np.stack([left, right], -1)


def _log_surplus(x, ta, tb, ra, rb, wa, wb, sq, gamma):
    with np.errstate(divide="ignore", invalid="ignore"):
        sa = ra ** gamma * sq[0] ** gamma - (sq[0] * np.abs(x - ta)) ** gamma
        sb = rb ** gamma * sq[1] ** gamma - (sq[1] * np.abs(x - tb)) ** gamma
        val = np.where(wa > 0, wa * np.log(np.where(sa > 0, sa, np.nan)), 0.0) + np.where(
            wb > 0, wb * np.log(np.where(sb > 0, sb, np.nan)), 0.0)
    return np.where(np.isnan(val), -np.inf, val)


def _golden_concave(f, a, b, iterations=60):
    """Vectorised golden-section search for the maximum of concave ``f`` on [a, b]."""
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    c = b - _GOLDEN * (b - a)
    d = a + _GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        left = fc >= fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        d_new = np.where(left, c, a + _GOLDEN * (b - a))
        c_new = np.where(left, b - _GOLDEN * (b - a), d)
        fd_new = np.where(left, fc, np.nan)
        fc_new = np.where(left, np.nan, fd)
        c, d = c_new, d_new
        need_c = np.isnan(fc_new)
        fc = np.where(need_c, f(c), fc_new)
        fd = np.where(~need_c, f(d), fd_new)
    return (a + b) / 2


def _finish(batch, ev_best, x_best, z_best, feasible, best_prob, reason_kind):
    """Assemble a Result from the evaluation at each scenario's chosen candidate."""
    n = batch.size
    gamma = batch.gamma
    tol = batch.effective_tolerance()
    disagreement = -tol[:, batch.leaders] ** gamma
    agreed = feasible
    prob = ev_best.joint[:, 0]
    surplus = ev_best.surplus[:, 0, :]
    expected = disagreement + np.where(agreed, prob, 0.0)[:, None] * np.where(agreed[:, None], surplus, 0.0)
    reason = np.full(n, "", dtype=object)
    reason[~agreed & (best_prob <= 0)] = "empty ZOPA: no deal is ratified on both sides"
    low_p = ~agreed & (best_prob > 0) & (best_prob < batch.min_probability)
    reason[low_p] = f"the best chance of agreement is below the threshold {batch.min_probability:g}"
    rest = ~agreed & (reason == "")
    reason[rest] = reason_kind
    return Result(
        batch=batch, agreed=agreed, point=x_best, terms=z_best.astype(bool), probability=prob,
        side_probability=ev_best.side[:, 0, :], support=ev_best.support[:, 0, :], share=ev_best.share[:, 0, :],
        surplus=surplus, disagreement=disagreement, expected=expected, best_probability=best_prob,
        reason=reason.astype(str),
    )


def _no_gain_reason(batch):
    if batch.solution_kind == "setter":
        return "no ratifiable deal leaves the proposer better off than no agreement"
    return "no ratifiable deal leaves both leaders better off than no agreement"


def _pick(batch, cand_x, cand_z, ev, obj):
    """Chosen candidate per scenario: the objective's argmax, or for no deal the likeliest deal."""
    n = batch.size
    rows = np.arange(n)
    best = np.argmax(obj, axis=1)
    feasible = np.isfinite(obj[rows, best])
    likeliest = np.argmax(ev.joint, axis=1)
    pick = np.where(feasible, best, likeliest)
    best_prob = ev.joint[rows, likeliest]
    return pick, feasible, best_prob


def _take(ev, rows, pick):
    from .support import Evaluation

    return Evaluation(**{f: getattr(ev, f)[rows, pick][:, None] for f in ev.__dataclass_fields__})


def _split_choice(batch, cand_x, ev, allowed):
    """SplitZOPA: the point a share beta across the ZOPA (at confidence c), per allowed term combination."""
    n = batch.size
    conf = batch.confidence
    inside = (ev.joint >= conf) & allowed
    x = cand_x[..., 0]
    lo = np.where(inside, x, np.inf).min(1)
    hi = np.where(inside, x, -np.inf).max(1)
    theta = batch.ideal[:, batch.leaders, 0]
    beta = batch.solution_param
    with np.errstate(invalid="ignore"):
        target = np.where(theta[:, 1] >= theta[:, 0], lo + beta * (hi - lo), hi - beta * (hi - lo))
    dist = np.where(inside, np.abs(x - target[:, None]), np.inf)
    return np.argmin(dist, axis=1), np.isfinite(lo), target


def _solve_crisp_1d(batch):
    combos, allowed = _grid.term_combinations(batch)
    n, c = batch.size, combos.shape[0]
    weights, needs = _weights(batch)
    bps = _grid.crisp_breakpoints(batch, combos)  # (N, C, B)
    xstar, span = _nash_point_1d(batch, combos, weights)
    seg_l = np.maximum(bps[..., :-1], span[..., :1])
    seg_u = np.minimum(bps[..., 1:], span[..., 1:])
    clipped = np.clip(xstar[..., None], seg_l, seg_u)
    clipped = np.where(seg_l <= seg_u, clipped, bps[..., :-1])
    cand = np.concatenate([clipped, bps], -1)  # (N, C, G)
    g = cand.shape[-1]
    cand_x = cand.reshape(n, c * g, 1)
    cand_z = np.broadcast_to(combos[None, :, None, :], (n, c, g, combos.shape[1])).reshape(n, c * g, -1)
    ok = np.broadcast_to(allowed[:, :, None], (n, c, g)).reshape(n, c * g)
    ev = evaluate(batch, cand_x, cand_z)
    return _choose(batch, cand_x, cand_z, ev, ok, weights, needs)


def _choose(batch, cand_x, cand_z, ev, ok, weights, needs):
    rows = np.arange(batch.size)
    joint = np.where(ok, ev.joint, 0.0)
    ev = _replace_joint(ev, joint)
    if batch.solution_kind == "split":
        pick, feasible, _ = _split_choice(batch, cand_x, ev, ok)
        best_prob = joint.max(1)
        likeliest = np.argmax(joint, 1)
        pick = np.where(feasible, pick, likeliest)
        feasible = feasible & (best_prob >= batch.min_probability)
    else:
        obj = _objective(ev, weights, needs, batch.min_probability, ok)
        pick, feasible, best_prob = _pick(batch, cand_x, cand_z, ev, obj)
    chosen = _take(ev, rows, pick)
    return chosen, cand_x[rows, pick], cand_z[rows, pick], feasible, best_prob


def _replace_joint(ev, joint):
    from dataclasses import replace as _r

    return _r(ev, joint=joint)


def _grid_1d(batch, size):
    low, high = batch.low[0], batch.high[0]
    return np.linspace(low, high, size)


def _solve_smooth_1d(batch, size):
    combos, allowed = _grid.term_combinations(batch)
    n, c = batch.size, combos.shape[0]
    weights, needs = _weights(batch)
    grid = _grid_1d(batch, size)
    cand_x = np.broadcast_to(grid[None, None, :, None], (n, c, size, 1)).reshape(n, c * size, 1)
    cand_z = np.broadcast_to(combos[None, :, None, :], (n, c, size, combos.shape[1])).reshape(n, c * size, -1)
    ok = np.broadcast_to(allowed[:, :, None], (n, c, size)).reshape(n, c * size)
    ev = evaluate(batch, cand_x, cand_z)
    chosen, x, z, feasible, best_prob = _choose(batch, cand_x, cand_z, ev, ok, weights, needs)
    if batch.solution_kind != "split":
        x, chosen = _refine_1d(batch, x, z, chosen, feasible, grid[1] - grid[0], weights, needs)
    return chosen, x, z, feasible, best_prob


def _refine_1d(batch, x, z, chosen, feasible, step, weights, needs, iterations=24):
    """Golden-section refinement of the objective on [x - step, x + step] with the terms fixed."""
    low, high = batch.low[0], batch.high[0]
    zz = z[:, None, :]

    def f(v):
        ev = evaluate(batch, v[:, None, None], zz)
        return _objective(ev, weights, needs, batch.min_probability)[:, 0]

    a = np.clip(x[:, 0] - step, low, high)
    b = np.clip(x[:, 0] + step, low, high)
    c = b - _GOLDEN * (b - a)
    d = a + _GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(iterations):
        left = fc >= fd
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        new = np.where(left, b - _GOLDEN * (b - a), a + _GOLDEN * (b - a))
        fnew = f(new)
        c, d, fc, fd = (np.where(left, new, d), np.where(left, c, new),
                        np.where(left, fnew, fd), np.where(left, fc, fnew))
    best = np.where(fc >= fd, c, d)
    fbest = np.maximum(fc, fd)
    ev_old = evaluate(batch, x[:, None, :], zz)
    fold = _objective(ev_old, weights, needs, batch.min_probability)[:, 0]
    better = feasible & (fbest > fold)
    new_x = np.where(better[:, None], best[:, None], x)
    ev_new = evaluate(batch, new_x[:, None, :], zz)
    return new_x, ev_new


def _solve_2d(batch, size=_grid.GRID_2D, rounds=4, local=9):
    combos, allowed = _grid.term_combinations(batch)
    n, c = batch.size, combos.shape[0]
    weights, needs = _weights(batch)
    gx = np.linspace(batch.low[0], batch.high[0], size)
    gy = np.linspace(batch.low[1], batch.high[1], size)
    pts = np.stack(np.meshgrid(gx, gy, indexing="ij"), -1).reshape(-1, 2)
    g = pts.shape[0]
    cand_x = np.broadcast_to(pts[None, None], (n, c, g, 2)).reshape(n, c * g, 2)
    cand_z = np.broadcast_to(combos[None, :, None, :], (n, c, g, combos.shape[1])).reshape(n, c * g, -1)
    ok = np.broadcast_to(allowed[:, :, None], (n, c, g)).reshape(n, c * g)
    ev = evaluate(batch, cand_x, cand_z)
    chosen, x, z, feasible, best_prob = _choose(batch, cand_x, cand_z, ev, ok, weights, needs)
    if batch.solution_kind == "split":
        return chosen, x, z, feasible, best_prob
    half = np.array([gx[1] - gx[0], gy[1] - gy[0]])
    offsets = np.linspace(-1, 1, local)
    local_pts = np.stack(np.meshgrid(offsets, offsets, indexing="ij"), -1).reshape(-1, 2)
    zz = np.broadcast_to(z[:, None, :], (n, local_pts.shape[0], z.shape[-1]))
    lo, hi = np.array([batch.low[0], batch.low[1]]), np.array([batch.high[0], batch.high[1]])
    for _ in range(rounds):
        trial = np.clip(x[:, None, :] + local_pts[None] * half, lo, hi)
        evl = evaluate(batch, trial, zz)
        obj = _objective(evl, weights, needs, batch.min_probability)
        k = np.argmax(obj, 1)
        rows = np.arange(n)
        take = feasible & np.isfinite(obj[rows, k])
        x = np.where(take[:, None], trial[rows, k], x)
        half = half * 2.0 / (local - 1)
    chosen = evaluate(batch, x[:, None, :], z[:, None, :])
    return chosen, x, z, feasible, best_prob


def _solve_rows(batch):
    """Solve one chunk, splitting it into crisp and grid-size buckets."""
    n = batch.size
    if batch.n_issues == 2:
        parts = [(np.arange(n), _solve_2d(batch))]
    else:
        need = _grid.grid_size(batch)
        buckets = _grid.bucket(need)
        buckets[~(batch.noise > 0).any(-1)] = -1  # crisp scenarios: exact path
        parts = []
        for value in np.unique(buckets):
            rows = np.flatnonzero(buckets == value)
            sub = batch.take(rows)
            if value == -1:
                parts.append((rows, _solve_crisp_1d(sub)))
            elif value == 0:
                parts.append((rows, _solve_crisp_1d(sub.replace(noise=np.zeros_like(sub.noise)))))
            else:
                parts.append((rows, _solve_smooth_1d(sub, int(value))))
    return _assemble(batch, parts)


def _assemble(batch, parts):
    n = batch.size
    if len(parts) == 1:
        chosen, x, z, feasible, best_prob = parts[0][1]
        return _finish(batch, chosen, x, z, feasible, best_prob, _no_gain_reason(batch))
    from .support import Evaluation

    k, m = batch.n_issues, len(batch.term_names)
    x = np.zeros((n, k))
    z = np.zeros((n, m))
    feasible = np.zeros(n, bool)
    best_prob = np.zeros(n)
    fields = {}
    for rows, (chosen, xx, zz, ff, bp) in parts:
        x[rows], z[rows], feasible[rows], best_prob[rows] = xx, zz, ff, bp
        for f in Evaluation.__dataclass_fields__:
            arr = getattr(chosen, f)
            if f not in fields:
                fields[f] = np.zeros((n,) + arr.shape[1:])
            fields[f][rows] = arr
    return _finish(batch, Evaluation(**fields), x, z, feasible, best_prob, _no_gain_reason(batch))


def solve_batch(batch: ScenarioBatch, chunk: int | None = None) -> Result:
    """Solve every scenario of a batch (no Python loop over scenarios inside a chunk).

    Parameters
    ----------
    batch : ScenarioBatch
        N scenarios.
    chunk : int, optional
        Scenarios per chunk (default: sized to keep temporaries near 3 million elements).

    Returns
    -------
    Result
    """
    n = batch.size
    if chunk is None:
        combos = 2 ** len(batch.term_names)
        per_row = combos * len(batch.names) * (_grid.GRID_2D ** 2 if batch.n_issues == 2 else 4 * len(batch.names) + 8)
        if batch.n_issues == 1 and (batch.noise > 0).any():
            per_row = combos * len(batch.names) * 257
        chunk = max(1, _CHUNK_ELEMENTS // per_row)
    if n <= chunk:
        return _solve_rows(batch)
    results = [_solve_rows(batch.take(slice(i, i + chunk))) for i in range(0, n, chunk)]
    return _concat_results(batch, results)


def _concat_results(batch, results):
    fields = {f: np.concatenate([getattr(r, f) for r in results]) for f in Result.__dataclass_fields__ if f != "batch"}
    return Result(batch=batch, **fields)


def solve(scenario, chunk: int | None = None) -> Result:
    """Solve a scenario, a list of scenarios or a batch.

    Parameters
    ----------
    scenario : Scenario, sequence of Scenario or ScenarioBatch
        A single scenario is a batch of one.
    chunk : int, optional
        See :func:`solve_batch`.

    Returns
    -------
    Result

    References
    ----------
    Putnam (1988); Nash (1950); Tsebelis (2002); model.md 3.6-3.7 and the golden values of 3.12.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> r = solve(canonical_scenario())
    >>> r.outcome()
    Deal(point=(0.5,), terms=(), probability=1.0)
    """
    return solve_batch(as_batch(scenario), chunk=chunk)
