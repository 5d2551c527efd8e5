"""Solving a batch of scenarios: the Level I outcome and what it means at Level II (casebook/front_matter/model.md
§4-5).

The solver keeps, for every scenario, the deal :math:`d^*` chosen by the scenario's solution concept
(:mod:`levelii_kit.solutions`) among deals whose joint ratification chance reaches :math:`c_{min}`, or
:class:`~levelii_kit.solutions.NoDeal` with the reason.

*Crisp 1-D path* (every noise :math:`\\tau_i = 0`; exact). Ratification is piecewise constant between the
endpoints of the acceptable intervals. On each segment the Nash objective is the log of a concave surplus
product, so its maximum over the closed segment is the unconstrained maximiser clipped into the segment
(for linear loss :math:`x^N = (1-\\alpha) a + \\alpha b`, with :math:`a` and :math:`b` the ends of the two
leaders' acceptable ranges that face each other; casebook/front_matter/model.md §5), compared with the segment's
endpoints.

*Smooth path* (:math:`\\tau > 0`). A grid whose spacing is at most half the finest noise scale, the argmax of
:math:`\\log P_A + \\log P_B + \\alpha \\log(U_A - D_A) + (1-\\alpha) \\log(U_B - D_B)`, then golden-section
refinement on the bracket around it (1-D) or a zooming local grid (2-D). Scenarios that would need more than
:data:`levelii_kit._grid.MAX_GRID` points are solved on the crisp path (casebook/front_matter/model.md §9, P-18).

Add-on terms are enumerated (:math:`2^M` combinations, casebook/front_matter/model.md §5) and the best combination
kept. Ties are
broken deterministically (lowest candidate index). Batches are processed in chunks to bound memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

from . import _grid
from ._frames import labelled
from ._numerics import scaled_logistic
from .scenario import ScenarioBatch, as_batch
from .solutions import Deal, NoDeal
from .support import Evaluation, evaluate

__all__ = ["Result", "solve", "solve_batch"]

_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
_CHUNK_ELEMENTS = 1_000_000


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
    reason : ndarray of object, shape (N,)
        Python ``str``: empty for a deal, else why there is none.
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

    @property
    def chance(self) -> np.ndarray:
        """Chance of agreement per scenario: :math:`P_{AB}(d^*)` for a deal, 0 for no deal, shape (N,)."""
        return np.where(self.agreed, self.probability, 0.0)

    def take(self, index) -> Result:
        """The results of the scenarios at ``index`` (an int, a slice or an index array), as a new Result.

        Parameters
        ----------
        index : int, slice or array of int

        Returns
        -------
        Result
            A Result over ``self.batch.take(index)``; an int gives a batch of one.

        Examples
        --------
        >>> import levelii_kit as lk
        >>> r = lk.solve([lk.canonical_scenario(), lk.canonical_scenario(alpha=0.7)])
        >>> r.take(1).size, round(float(r.take(1).point[0, 0]), 6)
        (1, 0.46)
        """
        rows = index if isinstance(index, slice) else np.atleast_1d(np.arange(self.size)[index])
        fields = {f: getattr(self, f)[rows] for f in self.__dataclass_fields__ if f != "batch"}
        return Result(batch=self.batch.take(index), **fields)

    @classmethod
    def concatenate(cls, results, batch=None) -> Result:
        """Join results of one structure along the scenario axis.

        Parameters
        ----------
        results : iterable of Result
        batch : ScenarioBatch, optional
            The joined batch, when the caller has it already (default: the results' batches joined).

        Returns
        -------
        Result
        """
        results = list(results)
        if batch is None:
            batch = ScenarioBatch.concatenate([r.batch for r in results])
        fields = {f: np.concatenate([getattr(r, f) for r in results]) for f in cls.__dataclass_fields__ if f != "batch"}
        return cls(batch=batch, **fields)

    def outcome(self, i: int = 0):
        """Return scenario ``i``'s outcome as a :class:`Deal` or a :class:`NoDeal`."""
        if self.agreed[i]:
            names = tuple(t for t, on in zip(self.batch.term_names, self.terms[i]) if on)
            return Deal(tuple(float(v) for v in self.point[i]), names, float(self.probability[i]))
        return NoDeal(str(self.reason[i]), float(self.best_probability[i]))

    def support_table(self, i: int = 0):
        """Support per constituency at the proposal, as a table.

        Parameters
        ----------
        i : int, default 0
            Which scenario.

        Returns
        -------
        pandas.DataFrame
            Indexed by constituency name, with columns ``side``, ``strength``, ``seated``, ``blocking`` and
            ``support``; it shows readers the labels (:func:`levelii_kit._frames.labelled`).
        """
        import pandas as pd

        b = self.batch
        frame = pd.DataFrame(
            {
                "side": [b.side_names[s] for s in b.side_of],
                "constituency": list(b.names),
                "strength": b.strength[i],
                "seated": b.seated[i],
                "blocking": b.blocking[i],
                "support": self.support[i],
            }
        ).set_index("constituency")
        return labelled(
            frame,
            index=dict(zip(b.names, b.labels)),
            columns=SUPPORT_COLUMNS,
            values={"side": dict(zip(b.side_names, b.side_labels))},
            index_name="Constituency",
        )

    def sides_table(self, i: int = 0):
        """Weighted support, quota and ratification per side at the proposal, as a table.

        Parameters
        ----------
        i : int, default 0
            Which scenario.

        Returns
        -------
        pandas.DataFrame
            Indexed by side name, with columns ``weighted_support``, ``quota``, ``ratification``,
            ``leader_surplus`` and ``expected_value``; it shows readers the labels.
        """
        import pandas as pd

        b = self.batch
        frame = pd.DataFrame(
            {
                "side": list(b.side_names),
                "weighted_support": self.share[i],
                "quota": b.quota[i],
                "ratification": self.side_probability[i],
                "leader_surplus": self.surplus[i],
                "expected_value": self.expected[i],
            }
        ).set_index("side")
        return labelled(frame, index=dict(zip(b.side_names, b.side_labels)), columns=SIDES_COLUMNS, index_name="Side")

    def summary(self, labels=None):
        """One row per scenario: outcome, chance of agreement, expected values, as a pandas DataFrame.

        Parameters
        ----------
        labels : sequence of str, optional
            Row labels (default 0, 1, ...).
        """
        import pandas as pd

        b = self.batch
        data = {"agreed": self.agreed}
        for k, name in enumerate(b.issue_names):
            data[name] = np.where(self.agreed, self.point[:, k], np.nan)
        data["probability"] = self.chance
        data["best_probability"] = self.best_probability
        for s, name in enumerate(b.side_names):
            data[f"P_{name}"] = self.side_probability[:, s]
            data[f"E_{name}"] = self.expected[:, s]
        data["reason"] = self.reason
        frame = pd.DataFrame(data)
        if labels is not None:
            if len(labels) != self.size:
                raise ValueError(f"labels: expected {self.size} labels, got {len(labels)}")
            frame.index = pd.Index(list(labels), name="scenario")
        headers = {**SUMMARY_COLUMNS, **dict(zip(b.issue_names, b.issue_labels))}
        for name, label in zip(b.side_names, b.side_labels):
            headers[f"P_{name}"] = f"Chance that {label} ratifies"
            headers[f"E_{name}"] = f"Expected value for {label}'s leader"
        return labelled(frame, columns=headers)


#: What readers see as the headers of :meth:`Result.support_table`.
SUPPORT_COLUMNS = {
    "side": "Side",
    "strength": "Strength",
    "seated": "Seated",
    "blocking": "Blocking capacity",
    "support": "Support for the proposal",
}
#: What readers see as the headers of :meth:`Result.sides_table`.
SIDES_COLUMNS = {
    "weighted_support": "Weighted support",
    "quota": "Quota",
    "ratification": "Chance of ratification",
    "leader_surplus": "Leader's surplus",
    "expected_value": "Leader's expected value",
}
#: What readers see as the headers of :meth:`Result.summary` (sides and issues are added per batch).
SUMMARY_COLUMNS = {
    "agreed": "Deal",
    "probability": "Chance of agreement",
    "best_probability": "Best chance of any deal",
    "reason": "Why no deal",
}


@dataclass(frozen=True, eq=False)
class _Light:
    """Side and joint ratification and leaders' surpluses at candidates (the solver's inner loop)."""

    side: np.ndarray
    joint: np.ndarray
    surplus: np.ndarray


def _light_1d(batch, x, z):
    """Fast one-issue evaluation at candidates ``x`` (N, G) with terms ``z`` (N, G, M).

    The same arithmetic as :func:`levelii_kit.support.evaluate`, organised as a loop over constituencies
    of two-dimensional (N, G) arrays, which keeps temporaries small for large sweeps.
    """
    if "bloc" in batch.forms:
        ev = evaluate(batch, x[..., None], z)
        return _Light(ev.side, ev.joint, ev.surplus)
    gamma = batch.gamma
    root = np.sqrt(batch.effective_salience()[..., 0])
    base = batch.base_gain()
    has_terms = len(batch.term_names) > 0
    addon = np.einsum("ngm,nim->ngi", z, batch.term_value) if has_terms else None
    weights = batch.weights()
    block_w = batch.blocking * batch.seated
    share = [np.zeros_like(x), np.zeros_like(x)]
    block = [None, None]
    lead = [None, None]
    gains = [None, None]
    for i in range(len(batch.names)):  # a loop over constituencies, not scenarios
        s = batch.side_of[i]
        g = np.abs(x - batch.ideal[:, i, 0, None])
        g *= root[:, i, None]
        if gamma == 2:
            g *= g
        np.subtract(base[:, i, None], g, out=g)
        if has_terms:
            g += addon[..., i]
        tau = batch.noise[:, i]
        if not tau.any():
            p = (g >= -1e-9).astype(x.dtype)
        elif (tau > 0).all():
            p = expit(g / tau[:, None])
        else:
            p = scaled_logistic(g, tau[:, None])
        w = weights[:, i]
        if w.any():
            share[s] += w[:, None] * p
        b = block_w[:, i]
        if b.any():
            factor = 1.0 - b[:, None] * (1.0 - p)
            block[s] = factor if block[s] is None else block[s] * factor
        if i == batch.leaders[s]:
            lead[s], gains[s] = p, g
    sides, surpluses = [], []
    for s in (0, 1):
        total = weights[:, batch.side_of == s].sum(1)
        frac = share[s] / np.where(total > 0, total, 1.0)[:, None]
        eta = batch.softness[:, s]
        margin = frac - batch.quota[:, s, None]
        if not eta.any():
            body = (margin >= -1e-9).astype(x.dtype)
        else:
            body = scaled_logistic(margin, eta[:, None])
        if block[s] is not None:
            body = body * block[s]
        delta = batch.discretion[:, s, None]
        prob = body if not delta.any() else delta * lead[s] + (1.0 - delta) * body
        sides.append(np.clip(prob, 0.0, 1.0))
        surplus = gains[s]
        if has_terms:
            surplus = surplus - np.einsum("ngm,nm->ng", z, batch.term_cost[:, s, :])
        surpluses.append(surplus)
    side = np.stack(sides, -1)
    return _Light(side, side[..., 0] * side[..., 1], np.stack(surpluses, -1))


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


def _objective(ev, weights, needs_gain, min_probability, allowed=None, binary=False):
    """Log-space objective at every candidate, -inf where infeasible (``binary``: every P is 0 or 1)."""
    surplus = ev.surplus
    positive = surplus > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log(np.where(positive, surplus, 1.0))
        obj = logs[..., 0] * weights[:, None, 0] + logs[..., 1] * weights[:, None, 1]
        if not binary:
            obj += np.log(ev.side[..., 0]) + np.log(ev.side[..., 1])
    bad = (needs_gain[:, None, 0] & ~positive[..., 0]) | (needs_gain[:, None, 1] & ~positive[..., 1])
    bad |= ev.joint < min_probability
    if not binary:
        bad |= np.isnan(obj)
    if allowed is not None:
        bad |= ~allowed
    obj[bad] = -np.inf
    return obj


def _nash_point_1d(batch, combos, weights):
    """Unconstrained maximiser of the weighted log-surplus product on the line, shape (N, C), and the
    interval (N, C, 2) where every leader that must gain does."""
    gamma = batch.gamma
    sal = batch.effective_salience()[..., 0]
    theta = batch.ideal[..., 0]
    base = batch.base_gain()
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
    left = np.maximum(
        np.where(weights[:, None, 0] > 0, ta - ra, -np.inf), np.where(weights[:, None, 1] > 0, tb - rb, -np.inf)
    )
    right = np.minimum(
        np.where(weights[:, None, 0] > 0, ta + ra, np.inf), np.where(weights[:, None, 1] > 0, tb + rb, np.inf)
    )
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
        sa = ra**gamma * sq[0] ** gamma - (sq[0] * np.abs(x - ta)) ** gamma
        sb = rb**gamma * sq[1] ** gamma - (sq[1] * np.abs(x - tb)) ** gamma
        val = np.where(wa > 0, wa * np.log(np.where(sa > 0, sa, np.nan)), 0.0) + np.where(
            wb > 0, wb * np.log(np.where(sb > 0, sb, np.nan)), 0.0
        )
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
    disagreement = -(tol[:, batch.leaders] ** gamma)
    agreed = feasible
    prob = ev_best.joint[:, 0]
    surplus = ev_best.surplus[:, 0, :]
    expected = disagreement + np.where(agreed, prob, 0.0)[:, None] * np.where(agreed[:, None], surplus, 0.0)
    # an object array of a few shared str: 8 bytes a row (a '<U70' array would take 280 bytes a row)
    reason = np.full(n, "", dtype=object)
    empty = ~agreed & (best_prob <= 0)
    low_p = ~agreed & (best_prob > 0) & (best_prob < batch.min_probability)
    reason[empty] = "empty ZOPA: no deal is ratified on both sides"
    reason[low_p] = f"the best chance of agreement is below the threshold {batch.min_probability:g}"
    reason[~agreed & ~empty & ~low_p] = reason_kind
    return Result(
        batch=batch,
        agreed=agreed,
        point=x_best,
        terms=z_best.astype(bool),
        probability=prob,
        side_probability=ev_best.side[:, 0, :],
        support=ev_best.support[:, 0, :],
        share=ev_best.share[:, 0, :],
        surplus=surplus,
        disagreement=disagreement,
        expected=expected,
        best_probability=best_prob,
        reason=reason,
    )


def _no_gain_reason(batch):
    if batch.solution_kind == "setter":
        return "no ratifiable deal leaves the proposer better off than no agreement"
    return "no ratifiable deal leaves both leaders better off than no agreement"


def _pick(batch, ev, obj):
    """Chosen candidate per scenario: the objective's argmax, or for no deal the likeliest deal."""
    n = batch.size
    rows = np.arange(n)
    best = np.argmax(obj, axis=1)
    feasible = np.isfinite(obj[rows, best])
    likeliest = np.argmax(ev.joint, axis=1)
    pick = np.where(feasible, best, likeliest)
    best_prob = ev.joint[rows, likeliest]
    return pick, feasible, best_prob


def _split_choice(batch, cand_x, ev, allowed):
    """SplitZOPA: the point a share beta across the ZOPA (at confidence c), per allowed term combination."""
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
    return np.argmin(dist, axis=1), np.isfinite(lo)


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
    ev = _light_1d(batch, cand_x[..., 0], cand_z)
    return _choose(batch, cand_x, cand_z, ev, ok, weights, needs)


def _is_textbook_crisp(batch) -> bool:
    """The crisp textbook case: no terms, no discretion, hard vetoes only, share form, sharp quota."""
    return (
        not len(batch.term_names)
        and not batch.discretion.any()
        and not batch.softness.any()
        and bool(np.isin(batch.blocking, (0.0, 1.0)).all())
        and "bloc" not in batch.forms
        and batch.solution_kind in ("nash", "setter")
        and not (batch.noise > 0).any()
    )


def _solve_textbook_crisp_1d(batch):
    """Exact crisp 1-D solution when ratification is 0 or 1 (casebook/front_matter/model.md §5, crisp closed form).

    The objective is the concave log-surplus product on the ZOPA, so the best deal is the ZOPA point nearest
    the unconstrained maximiser on one side or the other; the ZOPA's ends are endpoints of acceptable
    intervals. Candidates are therefore the maximiser and every endpoint, and only membership is needed.
    """
    n = batch.size
    combos = np.zeros((1, 0))
    weights, needs = _weights(batch)
    r, _ = _grid.crisp_radius(batch, combos)
    r = r[:, 0, :]
    theta = batch.ideal[..., 0]
    low, high = batch.low[0], batch.high[0]
    xstar, _span = _nash_point_1d(batch, combos, weights)
    ends = np.concatenate([theta - r, theta + r], 1)
    ends = np.where(np.isnan(ends), low, ends)
    # an interval reaching past the range is clipped to its end, so the range's ends need no candidates of their own
    cand = np.clip(np.concatenate([xstar, ends], 1), low, high)
    w = batch.weights()
    gamma = batch.gamma
    root = np.sqrt(batch.effective_salience()[..., 0])
    base = batch.base_gain()
    joint = None
    obj = np.zeros(cand.shape)
    feasible = None
    for s in (0, 1):
        idx = np.flatnonzero(batch.side_of == s)
        share = np.zeros(cand.shape)
        ok_veto = None
        veto = (batch.blocking * batch.seated) >= 1
        for i in idx:  # a loop over constituencies of (N, G) arrays, not over scenarios
            inside = np.abs(cand - theta[:, i, None]) <= (r[:, i] + 1e-12)[:, None]  # NaN radius: False
            if w[:, i].any():
                share += w[:, i, None] * inside
            if veto[:, i].any():
                vi = inside | ~veto[:, i, None]
                ok_veto = vi if ok_veto is None else ok_veto & vi
        ok = share >= batch.quota[:, s, None] * w[:, idx].sum(1)[:, None] - 1e-9
        if ok_veto is not None:
            ok &= ok_veto
        joint = ok if joint is None else joint & ok
        leader = batch.leaders[s]
        surplus = np.abs(cand - theta[:, leader, None])
        surplus *= root[:, leader, None]
        if gamma == 2:
            surplus *= surplus
        np.subtract(base[:, leader, None], surplus, out=surplus)
        positive = surplus > 0
        need = needs[:, s, None]
        gain_ok = positive | ~need
        feasible = gain_ok if feasible is None else feasible & gain_ok
        with np.errstate(divide="ignore", invalid="ignore"):
            obj += weights[:, s, None] * np.log(np.where(positive, surplus, 1.0))
    feasible &= joint
    obj[~feasible] = -np.inf
    rows = np.arange(n)
    best = np.argmax(obj, 1)
    found = np.isfinite(obj[rows, best])
    likeliest = np.argmax(joint, 1)
    pick = np.where(found, best, likeliest)
    best_prob = joint[rows, likeliest].astype(float)
    x_best = cand[rows, pick][:, None]
    z_best = np.zeros((n, 0))
    chosen = evaluate(batch, x_best[:, None, :], z_best[:, None, :])
    return chosen, x_best, z_best, found, best_prob


def _choose(batch, cand_x, cand_z, ev, ok, weights, needs, binary=False):
    rows = np.arange(batch.size)
    if not binary:
        ev = _replace_joint(ev, np.where(ok, ev.joint, 0.0))
    if batch.solution_kind == "split":
        pick, feasible = _split_choice(batch, cand_x, ev, ok)
        best_prob = ev.joint.max(1)
        likeliest = np.argmax(ev.joint, 1)
        pick = np.where(feasible, pick, likeliest)
        feasible = feasible & (best_prob >= batch.min_probability)
    else:
        obj = _objective(ev, weights, needs, batch.min_probability, None if binary else ok, binary)
        pick, feasible, best_prob = _pick(batch, ev, obj)
    x_best, z_best = cand_x[rows, pick], cand_z[rows, pick]
    chosen = evaluate(batch, x_best[:, None, :], z_best[:, None, :])
    return chosen, x_best, z_best, feasible, best_prob


def _replace_joint(ev, joint):
    return _Light(ev.side, joint, ev.surplus)


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
    ev = _light_1d(batch, cand_x[..., 0], cand_z)
    chosen, x, z, feasible, best_prob = _choose(batch, cand_x, cand_z, ev, ok, weights, needs)
    if batch.solution_kind != "split":
        x, chosen = _refine_1d(batch, x, z, chosen, feasible, grid[1] - grid[0], weights, needs)
    return chosen, x, z, feasible, best_prob


def _vertex(f0, f1, f2, h):
    """Offset of the vertex of the parabola through (-h, f0), (0, f1), (h, f2), clamped to [-h, h]."""
    with np.errstate(invalid="ignore", divide="ignore"):
        denom = f0 - 2 * f1 + f2
        off = h * (f0 - f2) / (2 * denom)
    ok = np.isfinite(off) & (denom < 0) & np.isfinite(f0) & np.isfinite(f2)
    return np.where(ok, np.clip(off, -h, h), 0.0)


def _refine_1d(batch, x, z, chosen, feasible, step, weights, needs):
    """Two safeguarded parabolic steps around the grid optimum, with the terms fixed.

    The objective is evaluated on the stencil (x - h, x, x + h), moved to the parabola's vertex, then on a
    stencil eight times narrower; the best point evaluated is kept, so refinement never does worse than
    the grid.
    """
    low, high = batch.low[0], batch.high[0]
    n = batch.size
    rows = np.arange(n)
    zz = np.broadcast_to(z[:, None, :], (n, 3, z.shape[-1]))
    best_x, best_f = x[:, 0].copy(), np.full(n, -np.inf)
    centre = x[:, 0]
    for h in (step, step / 8):
        pts = np.clip(centre[:, None] + np.array([-h, 0.0, h]), low, high)
        f = _objective(_light_1d(batch, pts, zz), weights, needs, batch.min_probability)
        k = np.argmax(f, 1)
        better = f[rows, k] > best_f
        best_x = np.where(better, pts[rows, k], best_x)
        best_f = np.where(better, f[rows, k], best_f)
        centre = np.clip(centre + _vertex(f[:, 0], f[:, 1], f[:, 2], h), low, high)
    f = _objective(_light_1d(batch, centre[:, None], zz[:, :1]), weights, needs, batch.min_probability)[:, 0]
    best_x = np.where(f > best_f, centre, best_x)
    new_x = np.where(feasible, best_x, x[:, 0])[:, None]
    return new_x, evaluate(batch, new_x[:, None, :], z[:, None, :])


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
        noisy = (batch.noise > 0).any(-1)
        buckets = np.full(n, -1)  # crisp scenarios: exact path
        if noisy.any():
            buckets[noisy] = _grid.bucket(_grid.grid_size(batch.take(noisy) if not noisy.all() else batch))
        parts = []
        values = np.unique(buckets)
        for value in values:
            rows = np.flatnonzero(buckets == value)
            sub = batch if len(values) == 1 else batch.take(rows)
            if value == -1:
                parts.append((rows, _solve_textbook_crisp_1d(sub) if _is_textbook_crisp(sub) else _solve_crisp_1d(sub)))
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
        Scenarios per chunk (default: sized to keep temporaries near ``_CHUNK_ELEMENTS``, one million, elements).

    Returns
    -------
    Result
    """
    n = batch.size
    if chunk is None:
        combos = 2 ** len(batch.term_names)
        per_row = combos * (_grid.GRID_2D**2 * len(batch.names) if batch.n_issues == 2 else 4 * len(batch.names) + 8)
        if batch.n_issues == 1 and _is_textbook_crisp(batch):
            per_row = 60  # ~16k rows a chunk: (N, 2n+3) temporaries stay in cache
        if batch.n_issues == 1 and (batch.noise > 0).any():
            per_row = combos * 65
        chunk = max(1, _CHUNK_ELEMENTS // per_row)
    if n <= chunk:
        return _solve_rows(batch)
    results = [_solve_rows(batch.take(slice(i, i + chunk))) for i in range(0, n, chunk)]
    return Result.concatenate(results, batch)


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
    Putnam (1988); Nash (1950); Tsebelis (2002); casebook/front_matter/model.md §4-5 and the worked example of §10.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> r = solve(canonical_scenario())
    >>> r.outcome()
    Deal(point=(0.5,), terms=(), probability=1.0)
    """
    return solve_batch(as_batch(scenario), chunk=chunk)
