"""Level II constituencies (casebook/front_matter/model.md §1-2).

A constituency :math:`i` has a strength :math:`w_i`, an ideal point :math:`\\theta_i`, saliences
:math:`\\sigma_{ik}`, a tolerance :math:`\\rho_i`, a noise :math:`\\tau_i`, a perceived threat :math:`h_i`,
a blocking capacity :math:`b_i` and a receptivity :math:`\\psi_i` to the other side's statements. Its net gain
from a deal is

.. math:: g_i(d) = \\rho_i^\\gamma - D_i(x)^\\gamma + \\sum_m z_m v_{im} + e_i \\pi_i - h_i,
   \\qquad D_i(x) = \\Big(\\sum_k \\sigma_{ik} (x_k - \\theta_{ik})^2\\Big)^{1/2},

and :math:`g_i(\\varnothing) = 0`. The names follow Putnam (1988), Tsebelis (2002) and Iida (1993).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Constituency"]


def _tuple(value) -> tuple[float, ...]:
    if isinstance(value, (int, float)):
        return (float(value),)
    return tuple(float(v) for v in value)


@dataclass(frozen=True)
class Constituency:
    """One behind-the-table group: a faction, a board, a legislature, a crowd.

    Parameters
    ----------
    name : str
        Identifier, unique within a scenario.
    ideal : float or tuple of float
        Ideal point :math:`\\theta_i`, one coordinate per issue.
    strength : float
        Influence weight :math:`w_i \\ge 0` (votes, clout).
    tolerance : float or None
        Acceptance radius :math:`\\rho_i \\ge 0` in (salience-weighted) issue units; ``None`` means
        status-quo mode: :math:`\\rho_i := D_i(q)` for the scenario's status quo :math:`q`.
    salience : float or tuple of float
        Weights :math:`\\sigma_{ik} \\ge 0` per issue (a single number applies to every issue).
    noise : float
        :math:`\\tau_i \\ge 0`, uncertainty about its red line (logistic scale; 0 is crisp).
    threat : float
        :math:`h_i \\ge 0`, perceived threat or audience penalty charged against any deal.
    blocking : float
        :math:`b_i \\in [0, 1]`; 1 is a hard veto, values in between an informal blocker.
    receptivity : float
        :math:`\\psi_i \\in [-1, 1]`, response to the other side's statements (negative means backlash).
    payment : float
        Side payment :math:`\\pi_i \\ge 0` reaching it; ``efficiency`` is its value per unit.
    efficiency : float
        :math:`e_i > 0`.
    seated : bool
        Whether it sits in its side's ratifying body (Seat/Unseat change this).
    label : str
        Plain-language name.

    Examples
    --------
    >>> Constituency("hawk", ideal=-0.15, tolerance=0.6).ideal
    (-0.15,)
    """

    name: str
    ideal: tuple[float, ...] = (0.0,)
    strength: float = 1.0
    tolerance: float | None = 0.5
    salience: tuple[float, ...] = (1.0,)
    noise: float = 0.0
    threat: float = 0.0
    blocking: float = 0.0
    receptivity: float = 1.0
    payment: float = 0.0
    efficiency: float = 1.0
    seated: bool = True
    label: str = ""

    def __post_init__(self):
        object.__setattr__(self, "ideal", _tuple(self.ideal))
        object.__setattr__(self, "salience", _tuple(self.salience))
        problems = []

        def check(field, ok, expected):
            if not ok:
                problems.append(f"{field} must be {expected} (got {getattr(self, field)!r})")

        finite = lambda v: isinstance(v, (int, float)) and math.isfinite(v)  # noqa: E731
        check("ideal", all(map(finite, self.ideal)), "finite")
        check("salience", all(finite(s) and s >= 0 for s in self.salience), "finite and >= 0")
        check("strength", finite(self.strength) and self.strength >= 0, "finite and >= 0")
        check(
            "tolerance",
            self.tolerance is None or (finite(self.tolerance) and self.tolerance >= 0),
            "None or finite and >= 0",
        )
        check("noise", finite(self.noise) and self.noise >= 0, "finite and >= 0")
        check("threat", finite(self.threat) and self.threat >= 0, "finite and >= 0")
        check("blocking", finite(self.blocking) and 0 <= self.blocking <= 1, "between 0 and 1")
        check("receptivity", finite(self.receptivity) and -1 <= self.receptivity <= 1, "between -1 and 1")
        check("payment", finite(self.payment) and self.payment >= 0, "finite and >= 0")
        check("efficiency", finite(self.efficiency) and self.efficiency > 0, "finite and > 0")
        if problems:
            raise ValueError(f"constituency {self.name!r}: " + "; ".join(problems))
