"""Power indices: weight is not power (casebook/front_matter/model.md §8).

For a weighted voting game with weights :math:`w`, quota :math:`q` and veto players :math:`V`, a coalition
:math:`C` wins when :math:`\\sum_{i \\in C} w_i \\ge q` and :math:`V \\subseteq C`.

* **Banzhaf** (1965; Penrose 1946): player :math:`i`'s number of swings (winning coalitions that lose
  without :math:`i`), normalised to sum to 1.
* **Shapley-Shubik** (1954): the share of the :math:`n!` orderings in which :math:`i` is pivotal,
  :math:`\\phi_i = \\sum_{C \\not\\ni i,\\ C \\text{ loses},\\ C \\cup i \\text{ wins}} |C|!(n-|C|-1)!/n!`.

Both are computed by exact enumeration of the :math:`2^n` coalitions (``n <= 20``), in integers, so that
``exact=True`` returns :class:`fractions.Fraction` values.
"""

from __future__ import annotations

from fractions import Fraction
from math import factorial

import numpy as np

from ._frames import labelled
from .scenario import label_of

__all__ = ["power_indices", "side_power"]

MAX_PLAYERS = 20


def power_indices(weights, quota, vetoes=None, exact: bool = False) -> dict:
    """Banzhaf and Shapley-Shubik indices of a weighted voting game.

    Parameters
    ----------
    weights : sequence of float
        Voting weights.
    quota : float
        Weight a coalition needs (absolute, not a share).
    vetoes : sequence of bool, optional
        Players whose presence every winning coalition needs.
    exact : bool
        Return lists of :class:`fractions.Fraction` instead of float arrays.

    Returns
    -------
    dict
        ``{"banzhaf": ..., "shapley_shubik": ...}``.

    References
    ----------
    Shapley and Shubik (1954); Banzhaf (1965); anchors in casebook/front_matter/model.md §8.

    Examples
    --------
    >>> power_indices([4, 3, 2, 1], 6, exact=True)["banzhaf"]
    [Fraction(5, 12), Fraction(1, 4), Fraction(1, 4), Fraction(1, 12)]
    >>> [str(v) for v in power_indices([3, 2, 1], 4, exact=True)["shapley_shubik"]]
    ['2/3', '1/6', '1/6']
    """
    w = np.asarray(weights, dtype=float)
    n = w.size
    if n == 0 or n > MAX_PLAYERS:
        raise ValueError(f"power_indices enumerates coalitions: need 1 to {MAX_PLAYERS} players, got {n}")
    if not np.all(np.isfinite(w)) or (w < 0).any():
        raise ValueError("weights must be finite and non-negative")
    veto = np.zeros(n, bool) if vetoes is None else np.asarray(vetoes, dtype=bool)
    masks = np.arange(2**n, dtype=np.int64)
    members = (masks[:, None] >> np.arange(n)) & 1
    total = members @ w
    veto_mask = int(sum(1 << i for i in range(n) if veto[i]))
    wins = (total >= quota - 1e-9 * max(1.0, abs(quota))) & ((masks & veto_mask) == veto_mask)
    sizes = members.sum(1)
    swings = np.zeros(n, dtype=np.int64)
    pivots = [0] * n  # integer numerators over n!
    fact = [factorial(k) for k in range(n + 1)]
    for i in range(n):
        has = members[:, i] == 1
        without = masks ^ (1 << i)
        swing = has & wins & ~wins[without]
        swings[i] = int(swing.sum())
        # coalitions C (without i) that lose, and win with i: C = without[swing]
        size_c = sizes[without[swing]]
        pivots[i] = int(sum(fact[k] * fact[n - k - 1] for k in size_c.tolist()))
    total_swings = int(swings.sum())
    if exact:
        banzhaf = [Fraction(int(s), total_swings) if total_swings else Fraction(0) for s in swings]
        shapley = [Fraction(p, fact[n]) for p in pivots]
        return {"banzhaf": banzhaf, "shapley_shubik": shapley}
    banzhaf = swings / total_swings if total_swings else np.zeros(n)
    return {"banzhaf": banzhaf.astype(float), "shapley_shubik": np.array(pivots, dtype=float) / fact[n]}


def side_power(scenario, side):
    """Weight share, Banzhaf and Shapley-Shubik of one side's seated constituencies under its crisp rule.

    Parameters
    ----------
    scenario : Scenario
    side : int or str

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> side_power(canonical_scenario(), "A")["banzhaf"].round(4).tolist()
    [0.3333, 0.3333, 0.3333]
    """
    import pandas as pd

    s = scenario.sides[scenario.side_index(side)]
    seated = [c for c in s.constituencies if c.seated]
    w = np.array([c.strength for c in seated])
    idx = power_indices(w, s.rule.quota * w.sum(), [c.blocking >= 1 for c in seated])
    frame = pd.DataFrame(
        {
            "weight_share": w / w.sum(),
            "banzhaf": idx["banzhaf"],
            "shapley_shubik": idx["shapley_shubik"],
            "veto": [c.blocking >= 1 for c in seated],
        },
        index=pd.Index([c.name for c in seated], name="constituency"),
    )
    headers = {
        "weight_share": "Share of weight",
        "banzhaf": "Banzhaf index",
        "shapley_shubik": "Shapley-Shubik index",
        "veto": "Veto",
    }
    return labelled(frame, index={c.name: label_of(c) for c in seated}, columns=headers, index_name="Constituency")
