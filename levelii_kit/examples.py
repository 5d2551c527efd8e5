"""Ready-made scenarios for teaching, doctests and tests.

:func:`canonical_scenario` builds the canonical classroom scenario of casebook/front_matter/model.md §10 (one issue
on [0, 1]; side A wants it low, side B high; linear loss; crisp; alpha = 1/2): each side has a leader, a
hawk and a dove of equal strength and tolerance 0.6 and a simple-majority rule. Its golden values: with no
vetoes the ZOPA is [0.4, 0.6] and the deal 0.5; a veto for A's hawk moves the deal to 0.45 (the Schelling
effect); the same hawk at -0.25 empties the ZOPA (the "not too hawkish" cliff).
"""

from __future__ import annotations

from .constituency import Constituency
from .deal import Issue
from .rules import RatificationRule
from .scenario import Scenario, Side
from .solutions import NashBargaining

__all__ = ["canonical_scenario"]


def canonical_scenario(noise: float = 0.0, softness: float = 0.0, alpha: float = 0.5) -> Scenario:
    """Return the canonical classroom scenario of casebook/front_matter/model.md §10.

    Parameters
    ----------
    noise : float
        Noise :math:`\\tau` for every constituency (0 is the crisp textbook case).
    softness : float
        Rule softness :math:`\\eta` for both sides.
    alpha : float
        Side A's bargaining power.

    Returns
    -------
    Scenario

    Examples
    --------
    >>> from levelii_kit import solve
    >>> solve(canonical_scenario()).point.tolist()
    [[0.5]]
    """

    def members(prefix, leader, hawk, dove):
        return tuple(
            Constituency(f"{prefix}_{role}", ideal=(ideal,), tolerance=0.6, noise=noise, label=f"{prefix}'s {role}")
            for role, ideal in (("leader", leader), ("hawk", hawk), ("dove", dove))
        )

    rule = RatificationRule(quota=0.5, softness=softness)
    return Scenario(
        issues=(Issue("x", "the single issue", 0.0, 1.0, "A's preferred end", "B's preferred end"),),
        sides=(
            Side("A", members("A", 0.0, -0.15, 0.3), leader="A_leader", rule=rule, label="Side A"),
            Side("B", members("B", 1.0, 1.15, 0.7), leader="B_leader", rule=rule, label="Side B"),
        ),
        solution=NashBargaining(alpha),
        name="canonical classroom scenario (casebook/front_matter/model.md §10)",
    )
