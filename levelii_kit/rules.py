"""Ratification rules: how a side turns constituency support into a ratification probability.

``casebook/front_matter/model.md`` §3. A rule has three layers, each exposed as a function over arrays whose last axis
is the side's constituencies:

1. the body, a **weighted threshold**. *Share form*: :math:`S = \\sum_i w_i p_i / \\sum_i w_i` and
   :math:`R = \\Lambda((S - \\kappa)/\\eta)` (the indicator :math:`1[S \\ge \\kappa]` when :math:`\\eta = 0`).
   *Bloc form*: each constituency votes yes as a bloc with probability :math:`p_i`, independently, and
   :math:`R = \\Pr(\\sum_i w_i Y_i \\ge \\kappa \\sum_i w_i)`, computed exactly by enumerating the
   :math:`2^n` vote patterns;
2. the **blocking** layer, :math:`B = \\prod_i (1 - b_i (1 - p_i))` (hard vetoes have :math:`b_i = 1`,
   informal blockers :math:`0 < b_i < 1`);
3. the leader's **discretion** :math:`\\delta` (Putnam 1988 on the chief negotiator's autonomy; Mo 1994):
   :math:`P = \\delta\\, p_L + (1 - \\delta)\\, R\\, B`.

Named presets follow the institutions the literature discusses (Putnam 1988; Tsebelis 2002).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ._numerics import EPS, scaled_logistic

__all__ = [
    "RatificationRule",
    "RULE_PRESETS",
    "rule_preset",
    "share_layer",
    "bloc_layer",
    "blocking_layer",
    "discretion_layer",
]

_FORMS = ("share", "bloc")
#: Largest side the exact bloc rule enumerates (2**n vote patterns).
MAX_BLOC_SIZE = 12


@dataclass(frozen=True)
class RatificationRule:
    """A side's ratification rule.

    Parameters
    ----------
    quota : float
        :math:`\\kappa \\in (0, 1]`, the share of seated strength needed.
    softness : float
        :math:`\\eta \\ge 0`, aggregation softness (0 is a crisp threshold).
    discretion : float
        :math:`\\delta \\in [0, 1]`, the leader's ability to push a deal through alone.
    form : {"share", "bloc"}
        Expected weighted support (``share``) or independent bloc votes (``bloc``).

    Examples
    --------
    >>> RatificationRule(quota=2/3).quota
    0.6666666666666666
    """

    quota: float = 0.5
    softness: float = 0.0
    discretion: float = 0.0
    form: str = "share"

    def __post_init__(self):
        problems = []
        if not (math.isfinite(self.quota) and 0 < self.quota <= 1):
            problems.append(f"quota must be in (0, 1] (got {self.quota!r})")
        if not (math.isfinite(self.softness) and self.softness >= 0):
            problems.append(f"softness must be >= 0 (got {self.softness!r})")
        if not (math.isfinite(self.discretion) and 0 <= self.discretion <= 1):
            problems.append(f"discretion must be in [0, 1] (got {self.discretion!r})")
        if self.form not in _FORMS:
            problems.append(f"form must be one of {_FORMS} (got {self.form!r})")
        if problems:
            raise ValueError("ratification rule: " + "; ".join(problems))


#: Named rules (casebook/front_matter/model.md §3). Vetoes are set on constituencies (``blocking=1``); the presets
#: ``unanimity``, ``treaty_ratification`` and ``coalition_government`` say which constituencies
#: should carry them in their docs; the case-file loader applies ``unanimity`` to every member.
RULE_PRESETS = {
    "simple_majority": RatificationRule(quota=0.5),
    "supermajority": RatificationRule(quota=2 / 3),
    "unanimity": RatificationRule(quota=1.0),
    "executive_agreement": RatificationRule(quota=0.25, discretion=0.8),
    "treaty_ratification": RatificationRule(quota=2 / 3),
    "coalition_government": RatificationRule(quota=0.5),
}


def rule_preset(name: str, **overrides) -> RatificationRule:
    """Return a named preset, optionally with some fields overridden.

    Parameters
    ----------
    name : str
        A key of :data:`RULE_PRESETS`.
    **overrides
        Fields of :class:`RatificationRule` to change.

    Returns
    -------
    RatificationRule

    Examples
    --------
    >>> rule_preset("supermajority", softness=0.02).softness
    0.02
    """
    if name not in RULE_PRESETS:
        raise ValueError(f"unknown rule preset {name!r}; expected one of {sorted(RULE_PRESETS)}")
    base = RULE_PRESETS[name]
    fields = {"quota": base.quota, "softness": base.softness, "discretion": base.discretion, "form": base.form}
    fields.update(overrides)
    return RatificationRule(**fields)


def share_layer(support, weights, quota, softness):
    """Share form of the body: :math:`R = \\Lambda((S - \\kappa)/\\eta)` with :math:`S` the weighted mean support.

    Parameters
    ----------
    support : ndarray, shape (..., n)
        Constituency support probabilities.
    weights : ndarray, shape (..., n)
        Seated strengths (broadcast against ``support``).
    quota, softness : ndarray
        :math:`\\kappa` and :math:`\\eta`, broadcast against ``support[..., 0]``.

    Returns
    -------
    share, body : ndarray, shape (...)
        :math:`S` and :math:`R`.

    Examples
    --------
    >>> s, r = share_layer(np.array([1.0, 1.0, 0.0]), np.ones(3), 0.5, 0.0)
    >>> round(float(s), 4), float(r)
    (0.6667, 1.0)
    """
    support = np.asarray(support, dtype=float)
    weights = np.broadcast_to(np.asarray(weights, dtype=float), support.shape)
    total = weights.sum(-1)
    share = (weights * support).sum(-1) / np.where(total > 0, total, 1.0)
    return share, scaled_logistic(share - np.asarray(quota), softness)


def bloc_layer(support, weights, quota):
    """Bloc form of the body: the exact probability that the yes-voting blocs reach the quota.

    Every constituency votes yes as one bloc with probability :math:`p_i`, independently. The function
    enumerates the :math:`2^n` vote patterns (``n <= 12``). Unlike the share form it is not monotone in
    strength in general (casebook/front_matter/model.md §9, P-2c).

    Parameters
    ----------
    support : ndarray, shape (..., n)
    weights : ndarray, shape (..., n)
    quota : ndarray
        Broadcast against ``support[..., 0]``.

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> float(bloc_layer(np.array([0.5, 0.5]), np.array([1.0, 1.0]), 1.0))
    0.25
    """
    support = np.asarray(support, dtype=float)
    n = support.shape[-1]
    if n > MAX_BLOC_SIZE:
        raise ValueError(f"the bloc rule enumerates 2**n vote patterns; n = {n} exceeds {MAX_BLOC_SIZE}")
    weights = np.broadcast_to(np.asarray(weights, dtype=float), support.shape)
    patterns = np.array(list(itertools.product((0.0, 1.0), repeat=n)))  # (2**n, n)
    total = weights.sum(-1, keepdims=True)
    yes_weight = np.einsum("...i,pi->...p", weights, patterns)
    passes = yes_weight >= np.asarray(quota)[..., None] * total - EPS
    log_p = np.log(np.clip(support, 1e-300, 1.0))
    log_q = np.log(np.clip(1.0 - support, 1e-300, 1.0))
    log_prob = np.einsum("...i,pi->...p", log_p, patterns) + np.einsum("...i,pi->...p", log_q, 1 - patterns)
    prob = np.exp(log_prob) * passes
    return np.clip(prob.sum(-1), 0.0, 1.0)


def blocking_layer(support, blocking):
    """Blocking layer :math:`B = \\prod_i (1 - b_i (1 - p_i))`.

    Parameters
    ----------
    support : ndarray, shape (..., n)
    blocking : ndarray, shape (..., n)
        :math:`b_i \\in [0, 1]` (0 for constituencies that cannot block or are not seated).

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> float(blocking_layer(np.array([0.5, 0.2]), np.array([1.0, 0.0])))
    0.5
    """
    support = np.asarray(support, dtype=float)
    return np.prod(1.0 - np.asarray(blocking, dtype=float) * (1.0 - support), axis=-1)


def discretion_layer(leader_support, body, blocking, discretion):
    """Leader's discretion: :math:`P = \\delta p_L + (1 - \\delta) R B`.

    Parameters
    ----------
    leader_support, body, blocking, discretion : ndarray
        :math:`p_L`, :math:`R`, :math:`B` and :math:`\\delta`, broadcast together.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> float(discretion_layer(1.0, 0.0, 1.0, 0.3))
    0.3
    """
    discretion = np.asarray(discretion, dtype=float)
    return discretion * leader_support + (1.0 - discretion) * body * blocking
