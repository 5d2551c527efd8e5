"""The helper's ledger: why helping the other side pays (casebook/front_matter/model.md §7; Sebenius 2013; Putnam 1988).

Putnam argues that each Level I negotiator has an interest in enlarging the other side's win-set.

For helper :math:`A` and a set :math:`I` of interventions, with :math:`d_0 = ` solve(S) and
:math:`d_1 = ` solve(I(S)), probabilities :math:`P_0, P_1` (0 for no deal), leader surpluses
:math:`s_0, s_1` (0 for no deal) and disagreement values :math:`D_0, D_1`:

.. math::
   \\Delta E_A = \\underbrace{(P_1 - P_0)\\, s_0}_{\\text{likelihood}}
               + \\underbrace{P_1 (s_1 - s_0)}_{\\text{terms}}
               + \\underbrace{(D_1 - D_0)}_{\\text{baseline shift}},
   \\qquad \\Delta V_A = \\Delta E_A - \\sum_{j \\in I,\\ \\text{paid by } A} \\mathrm{cost}_j .

The decomposition adds up exactly. The **break-even price** of the set is :math:`\\Delta E_A` (the most the
helper should pay). **Shapley attribution** (Shapley 1953) splits every component across the interventions:
:math:`\\phi_j = \\sum_{S \\not\\ni j} \\frac{|S|!(m-|S|-1)!}{m!} (v(S \\cup j) - v(S))`; it is
order-independent, sums exactly to the total (efficiency) and gives 0 to a move with no effect (dummy).
All :math:`2^m` subsets are solved as one batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import factorial

import numpy as np

from ._frames import labelled
from .interventions import Intervention, apply_all
from .scenario import ScenarioBatch
from .solver import Result, solve_batch

__all__ = ["Ledger", "helper_ledger", "shapley_values", "subset_scenarios"]


def subset_scenarios(scenario, interventions: Sequence[Intervention]):
    """Every subset of ``interventions`` applied to ``scenario`` (bit j of the index = move j is on).

    Returns
    -------
    list of Scenario
        :math:`2^m` scenarios, index 0 the baseline and index :math:`2^m - 1` all moves on.
    """
    m = len(interventions)
    out = []
    for mask in range(2**m):
        out.append(apply_all(scenario, [mv for j, mv in enumerate(interventions) if mask >> j & 1]))
    return out


def shapley_values(values: np.ndarray) -> np.ndarray:
    """Shapley values of a game given on all subsets.

    Parameters
    ----------
    values : ndarray, shape (2**m, ...)
        :math:`v(S)` indexed by bitmask (bit j set = player j in S).

    Returns
    -------
    ndarray, shape (m, ...)

    Examples
    --------
    >>> shapley_values(np.array([0.0, 1.0, 1.0, 3.0])).tolist()
    [1.5, 1.5]
    """
    values = np.asarray(values, dtype=float)
    m = int(round(np.log2(values.shape[0])))
    if 2**m != values.shape[0]:
        raise ValueError("values must have 2**m entries")
    masks = np.arange(2**m)
    sizes = np.array([bin(s).count("1") for s in masks])
    weight = np.array([factorial(k) * factorial(m - k - 1) / factorial(m) if k < m else 0.0 for k in sizes])
    out = []
    for j in range(m):
        without = masks[(masks >> j & 1) == 0]
        w = weight[without].reshape((-1,) + (1,) * (values.ndim - 1))
        out.append((w * (values[without | (1 << j)] - values[without])).sum(0))
    return np.array(out).reshape((m,) + values.shape[1:])


@dataclass(frozen=True, eq=False)
class Ledger:
    """What a set of helping moves does for the helper.

    Attributes
    ----------
    helper : int
        The helper's side index.
    names : tuple of str
        Labels of the moves.
    costs : ndarray, shape (m,)
        Each move's cost; ``paid`` says whether the helper pays it.
    paid : ndarray of bool, shape (m,)
    probability_before, probability_after : float
        Chance of agreement without and with all the moves.
    gross : float
        :math:`\\Delta E` of the helper; also the break-even price.
    likelihood, terms, baseline_shift : float
        The exact decomposition of ``gross``.
    cost : float
        What the helper pays.
    net : float
        ``gross - cost``.
    shapley : dict of str to ndarray
        Shapley attribution of ``gross``, ``probability``, ``likelihood`` and ``terms`` to each move.
    results : Result
        All :math:`2^m` subsets, solved as one batch.
    """

    helper: int
    names: tuple[str, ...]
    costs: np.ndarray
    paid: np.ndarray
    probability_before: float
    probability_after: float
    gross: float
    likelihood: float
    terms: float
    baseline_shift: float
    cost: float
    net: float
    shapley: dict
    results: Result

    @property
    def break_even(self) -> float:
        """The largest total cost at which the moves still pay (:math:`\\Delta E` itself)."""
        return self.gross

    def effects(self, measure: str = "probability"):
        """Each move's effect alone, last in, and its Shapley share, read off the solved subsets (no new solve).

        *Alone*: the move is the only one on; *last in*: what the full set loses without it. Moves that are
        complements do little alone and much last in.

        Parameters
        ----------
        measure : {"probability", "gross"}
            The chance of agreement, or the helper's expected value.

        Returns
        -------
        pandas.DataFrame

        Examples
        --------
        >>> from levelii_kit import canonical_scenario, Mollify, Empower
        >>> s = canonical_scenario().with_constituency("B_hawk", blocking=1.0, threat=0.4, tolerance=0.9)
        >>> led = helper_ledger(s, [Mollify("A", target="B_hawk", amount=0.1), Empower("A", target="B_dove", factor=2)])
        >>> led.effects()["alone"].tolist()
        [1.0, 0.0]
        """
        import pandas as pd

        if measure not in ("probability", "gross"):
            raise ValueError(f"measure must be 'probability' or 'gross', got {measure!r}")
        r = self.results
        value = r.chance if measure == "probability" else r.expected[:, self.helper]
        m = len(self.names)
        full = 2**m - 1
        bits = [1 << j for j in range(m)]
        frame = pd.DataFrame(
            {
                "alone": [value[b] - value[0] for b in bits],
                "last in": [value[full] - value[full ^ b] for b in bits],
                "Shapley share": self.shapley[measure if measure == "probability" else "gross"],
            },
            index=pd.Index(list(self.names), name="move"),
        )
        headers = {"alone": "Alone", "last in": "Last in", "Shapley share": "Shapley share"}
        return labelled(frame, columns=headers, index_name="Move")

    def table(self):
        """Per-move Shapley attribution and cost, as a table.

        Returns
        -------
        pandas.DataFrame
            Indexed by move, with columns ``delta_probability``, ``likelihood``, ``terms``, ``gross``, ``cost``
            and ``net``; it shows readers plain headers (:func:`levelii_kit._frames.labelled`).
        """
        import pandas as pd

        frame = pd.DataFrame(
            {
                "move": list(self.names),
                "delta_probability": self.shapley["probability"],
                "likelihood": self.shapley["likelihood"],
                "terms": self.shapley["terms"],
                "gross": self.shapley["gross"],
                "cost": np.where(self.paid, self.costs, 0.0),
                "net": self.shapley["gross"] - np.where(self.paid, self.costs, 0.0),
            }
        ).set_index("move")
        return labelled(frame, columns=LEDGER_COLUMNS, index_name="Move")


#: What readers see as the headers of :meth:`Ledger.table`.
LEDGER_COLUMNS = {
    "delta_probability": "Change in the chance of agreement",
    "likelihood": "Gain through likelihood",
    "terms": "Gain through terms",
    "gross": "Gross gain",
    "cost": "Cost",
    "net": "Net gain",
}


def helper_ledger(scenario, interventions: Sequence[Intervention], helper: int | str = 0) -> Ledger:
    """The helper's ledger for a set of interventions, with Shapley attribution (one batch of 2^m).

    Parameters
    ----------
    scenario : Scenario
        The baseline.
    interventions : sequence of Intervention
        The moves (at most 10).
    helper : int or str
        The helper's side (default side A).

    Returns
    -------
    Ledger

    References
    ----------
    Sebenius (2013); Putnam (1988) on enlarging the other side's win-set; Shapley (1953);
    casebook/front_matter/model.md §7, P-12, P-13.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario, Mollify
    >>> s = canonical_scenario().with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    >>> s = s.with_constituency("A_hawk", blocking=1.0, ideal=(-0.1,))
    >>> led = helper_ledger(s, [Mollify("A", target="B_hawk", amount=0.1)])
    >>> round(led.gross, 6), led.probability_before, led.probability_after
    (0.1, 0.0, 1.0)
    """
    interventions = list(interventions)
    if len(interventions) > 10:
        raise ValueError("helper_ledger attributes at most 10 interventions (2**10 scenarios)")
    helper = scenario.side_index(helper)
    helper_name = scenario.sides[helper].name
    batch = ScenarioBatch.from_scenarios(subset_scenarios(scenario, interventions))
    res = solve_batch(batch)
    p = res.chance
    s = np.where(res.agreed, res.surplus[:, helper], 0.0)
    d = res.disagreement[:, helper]
    e = res.expected[:, helper]
    comp = {
        "gross": e - e[0],
        "probability": p - p[0],
        "likelihood": (p - p[0]) * s[0],
        "terms": p * (s - s[0]),
        "baseline_shift": d - d[0],
    }
    shap = {k: shapley_values(v) for k, v in comp.items()}
    costs = np.array([mv.cost for mv in interventions], dtype=float)
    paid = np.array([mv.actor == helper_name for mv in interventions], dtype=bool)
    cost = float(costs[paid].sum())
    gross = float(comp["gross"][-1])
    return Ledger(
        helper=helper,
        names=tuple(mv.label or type(mv).__name__ for mv in interventions),
        costs=costs,
        paid=paid,
        probability_before=float(p[0]),
        probability_after=float(p[-1]),
        gross=gross,
        likelihood=float(comp["likelihood"][-1]),
        terms=float(comp["terms"][-1]),
        baseline_shift=float(comp["baseline_shift"][-1]),
        cost=cost,
        net=gross - cost,
        shapley=shap,
        results=res,
    )
