"""Support, side ratification and joint ratification at candidate deals (casebook/front_matter/model.md §2-3).

For a batch of N scenarios and G candidate deals per scenario (issue values ``x`` of shape (N, G, K) and
term inclusions ``z`` of shape (N, G, M)):

* net gain :math:`g_i = \\rho_i^\\gamma - D_i(x)^\\gamma + \\sum_m z_m v_{im} + e_i \\pi_i - h_i`;
* support :math:`p_i = \\Lambda(g_i / \\tau_i)` (the indicator :math:`1[g_i \\ge 0]` when :math:`\\tau_i = 0`);
* side ratification :math:`P_s = \\delta_s p_{L_s} + (1 - \\delta_s) R_s B_s` (see :mod:`levelii_kit.rules`);
* joint ratification :math:`P_{AB} = P_A P_B` (the sides ratify independently);
* leaders' surpluses :math:`U_s - D_s = g_{L_s} - \\sum_m z_m c_{sm}`.

Everything is computed for the whole batch at once; there is no Python loop over scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._numerics import scaled_logistic
from .rules import bloc_layer, blocking_layer, discretion_layer, share_layer
from .scenario import as_batch

__all__ = [
    "Evaluation",
    "evaluate",
    "net_gain",
    "support",
    "ratification_probability",
    "joint_probability",
    "forced_terms",
]


@dataclass(frozen=True)
class Evaluation:
    """Everything the model says about G candidate deals in each of N scenarios.

    Attributes
    ----------
    gain : ndarray, shape (N, G, n)
        Net gains :math:`g_i`.
    support : ndarray, shape (N, G, n)
        :math:`p_i`.
    share : ndarray, shape (N, G, 2)
        Weighted support :math:`S_s`.
    body : ndarray, shape (N, G, 2)
        Threshold layer :math:`R_s`.
    blocking : ndarray, shape (N, G, 2)
        Blocking layer :math:`B_s`.
    side : ndarray, shape (N, G, 2)
        :math:`P_s`.
    joint : ndarray, shape (N, G)
        :math:`P_{AB}`.
    surplus : ndarray, shape (N, G, 2)
        Leaders' surpluses over no agreement, :math:`U_s - D_s`.
    """

    gain: np.ndarray
    support: np.ndarray
    share: np.ndarray
    body: np.ndarray
    blocking: np.ndarray
    side: np.ndarray
    joint: np.ndarray
    surplus: np.ndarray


def forced_terms(batch) -> np.ndarray:
    """Term inclusion with only forced terms, shape (N, M)."""
    return (batch.term_state == 2).astype(float)


def _prepare(batch, x, z):
    x = np.asarray(x, dtype=float)
    if x.ndim == 2:  # (N, G) for one issue
        x = x[..., None]
    if x.ndim != 3 or x.shape[0] not in (1, batch.size) or x.shape[2] != batch.n_issues:
        raise ValueError(f"x must have shape (N, G, K) = ({batch.size}, G, {batch.n_issues}); got {x.shape}")
    x = np.broadcast_to(x, (batch.size,) + x.shape[1:])
    m = len(batch.term_names)
    if z is None:
        z = np.broadcast_to(forced_terms(batch)[:, None, :], (batch.size, x.shape[1], m))
    else:
        z = np.asarray(z, dtype=float)
        if z.ndim == 2:
            z = z[:, None, :]
        z = np.broadcast_to(z, (batch.size, x.shape[1], m))
    return x, z


def evaluate(batch, x, z=None, crisp: bool = False) -> Evaluation:
    """Evaluate support and ratification at candidate deals.

    Parameters
    ----------
    batch : ScenarioBatch or Scenario
        N scenarios.
    x : array_like, shape (N, G, K) or (N, G) for one issue
        Issue values of the candidates (N may be 1 and is then broadcast).
    z : array_like, shape (N, G, M) or (N, M), optional
        Term inclusions; default: the forced terms only.
    crisp : bool
        Evaluate the crisp limit (:math:`\\tau, \\eta \\to 0`).

    Returns
    -------
    Evaluation

    References
    ----------
    Putnam (1988); Iida (1993) for the noise; Tsebelis (2002) for vetoes; casebook/front_matter/model.md §2-3.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> ev = evaluate(canonical_scenario(), [[0.5]])
    >>> ev.joint.tolist()
    [[1.0]]
    """
    batch = as_batch(batch)
    x, z = _prepare(batch, x, z)
    sal = batch.effective_salience()
    if batch.n_issues == 1:  # |x - theta| sqrt(sigma): no squares and roots for one issue
        dist = np.abs(x[:, :, None, 0] - batch.ideal[:, None, :, 0]) * np.sqrt(sal[:, None, :, 0])
        loss = dist if batch.gamma == 1 else dist * dist
    else:
        diff = x[:, :, None, :] - batch.ideal[:, None, :, :]
        dist2 = (sal[:, None] * diff * diff).sum(-1)
        loss = np.sqrt(dist2) if batch.gamma == 1 else dist2
    base = batch.base_gain()
    gain = base[:, None, :] - loss
    if len(batch.term_names):
        gain = gain + np.einsum("ngm,nim->ngi", z, batch.term_value)
    noise = np.zeros_like(batch.noise) if crisp else batch.noise
    p = scaled_logistic(gain, noise[:, None, :])
    weights = batch.weights()
    shares, bodies, blocks, sides, surpluses = [], [], [], [], []
    for s in (0, 1):  # loop over the two sides, not over scenarios
        idx = np.flatnonzero(batch.side_of == s)
        ps = p[..., idx]
        ws = weights[:, None, idx]
        softness = np.zeros_like(batch.softness[:, s]) if crisp else batch.softness[:, s]
        share, body = share_layer(ps, ws, batch.quota[:, s, None], softness[:, None])
        if batch.forms[s] == "bloc":
            body = bloc_layer(ps, ws, batch.quota[:, s, None])
        block = blocking_layer(ps, (batch.blocking * batch.seated)[:, None, idx])
        leader = batch.leaders[s]
        side_p = discretion_layer(p[..., leader], body, block, batch.discretion[:, s, None])
        surplus = gain[..., leader]
        if len(batch.term_names):
            surplus = surplus - np.einsum("ngm,nm->ng", z, batch.term_cost[:, s, :])
        shares.append(share)
        bodies.append(body)
        blocks.append(block)
        sides.append(np.clip(side_p, 0.0, 1.0))
        surpluses.append(surplus)
    side = np.stack(sides, -1)
    return Evaluation(
        gain=gain,
        support=p,
        share=np.stack(shares, -1),
        body=np.stack(bodies, -1),
        blocking=np.stack(blocks, -1),
        side=side,
        joint=side[..., 0] * side[..., 1],
        surplus=np.stack(surpluses, -1),
    )


def net_gain(batch, x, z=None):
    """Net gains :math:`g_i(d)` of every constituency, shape (N, G, n).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> [round(float(v), 2) for v in net_gain(canonical_scenario(), [[0.5]])[0, 0]]
    [0.1, -0.05, 0.4, 0.1, -0.05, 0.4]
    """
    return evaluate(batch, x, z).gain


def support(batch, x, z=None, crisp: bool = False):
    """Support :math:`p_i(d)` of every constituency, shape (N, G, n) (casebook/front_matter/model.md §2).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> support(canonical_scenario(), [[0.5]])[0, 0].tolist()
    [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    """
    return evaluate(batch, x, z, crisp=crisp).support


def ratification_probability(batch, x, z=None, crisp: bool = False):
    """Ratification probability :math:`P_s(d)` of each side, shape (N, G, 2) (casebook/front_matter/model.md §3).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> ratification_probability(canonical_scenario(), [[0.35, 0.5, 0.65]])[0].tolist()
    [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    """
    return evaluate(batch, x, z, crisp=crisp).side


def joint_probability(batch, x, z=None, crisp: bool = False):
    """Joint ratification probability :math:`P_{AB}(d) = P_A(d) P_B(d)`, shape (N, G).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> joint_probability(canonical_scenario(), [[0.35, 0.5, 0.65]]).tolist()
    [[0.0, 1.0, 0.0]]
    """
    return evaluate(batch, x, z, crisp=crisp).joint
