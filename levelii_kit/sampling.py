"""Monte Carlo over uncertain parameters (casebook/front_matter/model.md §2).

Each draw is one scenario of a batch: the base scenario is repeated N times and the uncertain parameters are
overwritten column by column with draws, then the whole batch is solved at once. Randomness comes only from
the explicit ``seed`` (QuantEcon's ``check_random_state`` idea).

Parameters are named ``"<constituency>.<field>"`` (``strength``, ``tolerance``, ``noise``, ``threat``,
``blocking``, ``receptivity``, ``ideal``) or ``"<side>.<field>"`` (``quota``, ``softness``, ``discretion``).
Distributions: ``("uniform", low, high)``, ``("normal", mean, sd)``, ``("triangular", low, mode, high)``;
draws are clipped to each field's valid range.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ._numerics import check_random_state
from .scenario import as_batch
from .solver import Result, solve_batch

__all__ = ["MonteCarlo", "monte_carlo", "draw"]

_CONSTITUENCY_FIELDS = {
    "strength": (0, np.inf),
    "tolerance": (0, np.inf),
    "noise": (0, np.inf),
    "threat": (0, np.inf),
    "blocking": (0, 1),
    "receptivity": (-1, 1),
    "ideal": (-np.inf, np.inf),
}
_SIDE_FIELDS = {"quota": (1e-9, 1), "softness": (0, np.inf), "discretion": (0, 1)}


def draw(spec, size: int, rng) -> np.ndarray:
    """Draw ``size`` values from a distribution spec such as ``("uniform", 0.5, 1.5)``.

    Examples
    --------
    >>> import numpy as np
    >>> draw(("uniform", 0.0, 1.0), 3, np.random.default_rng(0)).round(3).tolist()
    [0.637, 0.27, 0.041]
    """
    kind, *args = spec
    if kind == "uniform" and len(args) == 2:
        return rng.uniform(args[0], args[1], size)
    if kind == "normal" and len(args) == 2:
        return rng.normal(args[0], args[1], size)
    if kind == "triangular" and len(args) == 3:
        return rng.triangular(args[0], args[1], args[2], size)
    raise ValueError(
        f"unknown distribution {spec!r}; use ('uniform', lo, hi), ('normal', mean, sd) or ('triangular', lo, mode, hi)"
    )


@dataclass(frozen=True, eq=False)
class MonteCarlo:
    """Draws and the solved batch.

    Attributes
    ----------
    draws : dict of str to ndarray
        The sampled values per parameter.
    result : Result
        The solved batch, one scenario per draw.
    """

    draws: dict
    result: Result

    def summary(self) -> dict:
        """Chance of agreement, mean outcome and expected values over the draws."""
        r = self.result
        p = r.chance
        out = {"draws": r.size, "share_with_deal": float(r.agreed.mean()), "chance_of_agreement": float(p.mean())}
        for s, name in enumerate(r.batch.side_names):
            out[f"mean_E_{name}"] = float(r.expected[:, s].mean())
        if r.agreed.any():
            out["mean_outcome"] = r.point[r.agreed].mean(0).tolist()
        return out


def monte_carlo(scenario, uncertain: Mapping[str, tuple], draws: int = 1000, seed=None) -> MonteCarlo:
    """Solve ``draws`` versions of ``scenario`` with uncertain parameters, as one batch.

    Parameters
    ----------
    scenario : Scenario
    uncertain : mapping of str to tuple
        Parameter name to distribution spec (see the module docstring).
    draws : int
        Number of draws.
    seed : None, int or numpy.random.Generator
        The only source of randomness.

    Returns
    -------
    MonteCarlo

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> mc = monte_carlo(canonical_scenario(), {"A_hawk.strength": ("uniform", 0.0, 3.0)}, draws=200, seed=1)
    >>> mc.summary()["share_with_deal"]
    1.0
    """
    if not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer (got {draws!r})")
    rng = check_random_state(seed)
    base = as_batch(scenario)
    batch = base.repeat(int(draws))
    arrays = {}
    sampled = {}
    for key in sorted(uncertain):
        owner, _, field = key.partition(".")
        values = draw(uncertain[key], int(draws), rng)
        if owner in base.names and field in _CONSTITUENCY_FIELDS:
            lo, hi = _CONSTITUENCY_FIELDS[field]
            values = np.clip(values, lo, hi)
            i = base.names.index(owner)
            attr = field
            arr = arrays.get(attr, getattr(batch, attr).copy())
            if field == "ideal":
                arr[:, i, 0] = values
            else:
                arr[:, i] = values
            arrays[attr] = arr
        elif owner in base.side_names and field in _SIDE_FIELDS:
            lo, hi = _SIDE_FIELDS[field]
            values = np.clip(values, lo, hi)
            arr = arrays.get(field, getattr(batch, field).copy())
            arr[:, base.side_names.index(owner)] = values
            arrays[field] = arr
        else:
            raise KeyError(
                f"unknown uncertain parameter {key!r}; expected '<constituency>.<field>' with field in "
                f"{sorted(_CONSTITUENCY_FIELDS)} or '<side>.<field>' with field in {sorted(_SIDE_FIELDS)}"
            )
        sampled[key] = values
    return MonteCarlo(draws=sampled, result=solve_batch(batch.replace(**arrays)))
