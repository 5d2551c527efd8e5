"""Level I solution concepts as strategy objects (casebook/front_matter/model.md §5).

Leaders' surpluses over no agreement are :math:`U_s(d) - D_s = g_{L_s}(d) - \\sum_m z_m c_{sm}`: their own
net gain minus what the terms cost their side. With ratification probabilities :math:`P_A, P_B` the
expected value of proposing :math:`d` is :math:`E_s = D_s + P_A P_B (U_s - D_s)` (involuntary defection,
Putnam 1988; Iida 1996).

* :class:`NashBargaining` (default): :math:`d^* = \\arg\\max \\log P_A + \\log P_B + \\alpha \\log(U_A - D_A)
  + (1 - \\alpha) \\log(U_B - D_B)` over deals both leaders prefer to no agreement (Nash 1950, risk-adjusted).
* :class:`SplitZOPA`: the point a share :math:`\\beta` of the way across the ZOPA (the classroom variant).
* :class:`AgendaSetter`: the proposer's favourite deal weighted by its chance of ratification
  (Tsebelis 2002; Milner and Rosendorff 1997).
* :class:`NoDeal`: what every concept returns when no deal qualifies, with its reason and the best
  achievable chance of agreement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["NashBargaining", "SplitZOPA", "AgendaSetter", "Deal", "NoDeal", "SOLUTIONS"]


@dataclass(frozen=True)
class NashBargaining:
    """Risk-adjusted asymmetric Nash bargaining solution (Nash 1950).

    Parameters
    ----------
    alpha : float
        Side A's bargaining power, in (0, 1).

    Examples
    --------
    >>> NashBargaining(0.5).alpha
    0.5
    """

    alpha: float = 0.5

    def __post_init__(self):
        if not (math.isfinite(self.alpha) and 0 < self.alpha < 1):
            raise ValueError(f"NashBargaining: alpha must be in (0, 1) (got {self.alpha!r})")


@dataclass(frozen=True)
class SplitZOPA:
    """Split the ZOPA: :math:`d^* = z_{lo} + \\beta (z_{hi} - z_{lo})` (casebook/front_matter/model.md §5).

    Parameters
    ----------
    beta : float
        Side B's share of the ZOPA, in [0, 1] (a higher issue value favours the side whose leader wants it high).

    Examples
    --------
    >>> SplitZOPA(0.25).beta
    0.25
    """

    beta: float = 0.5

    def __post_init__(self):
        if not (math.isfinite(self.beta) and 0 <= self.beta <= 1):
            raise ValueError(f"SplitZOPA: beta must be in [0, 1] (got {self.beta!r})")


@dataclass(frozen=True)
class AgendaSetter:
    """Take-it-or-leave-it proposal by one side (Tsebelis 2002; Milner and Rosendorff 1997).

    Parameters
    ----------
    proposer : int
        Index of the proposing side (0 for A, 1 for B).

    Examples
    --------
    >>> AgendaSetter(1).proposer
    1
    """

    proposer: int = 0

    def __post_init__(self):
        if self.proposer not in (0, 1):
            raise ValueError(f"AgendaSetter: proposer must be 0 or 1 (got {self.proposer!r})")


@dataclass(frozen=True)
class Deal:
    """A Level I agreement: the issue values, the included terms, and its chance of ratification.

    Parameters
    ----------
    point : tuple of float
        Issue values.
    terms : tuple of str
        Names of included terms.
    probability : float
        :math:`P_{AB}(d^*)`.

    Examples
    --------
    >>> Deal((0.5,), (), 1.0).probability
    1.0
    """

    point: tuple[float, ...]
    terms: tuple[str, ...]
    probability: float


@dataclass(frozen=True)
class NoDeal:
    """No deal qualifies.

    Parameters
    ----------
    reason : str
        Why (an empty ZOPA, no deal both leaders prefer, a chance of agreement below the threshold).
    best_probability : float
        The largest :math:`P_{AB}` any deal reaches.

    Examples
    --------
    >>> NoDeal("empty ZOPA", 0.0).reason
    'empty ZOPA'
    """

    reason: str
    best_probability: float


#: Registry of solution concepts by name (used by case files).
SOLUTIONS = {"NashBargaining": NashBargaining, "SplitZOPA": SplitZOPA, "AgendaSetter": AgendaSetter}
