"""Small numerical helpers shared by the model modules.

* A numerically stable logistic, :math:`\\Lambda(t) = 1 / (1 + e^{-t})`, that becomes the
  indicator :math:`1[t \\ge 0]` when its scale is zero (the crisp limit of casebook/front_matter/model.md §2).
* One place that turns a ``seed`` (``None``, an ``int`` or a :class:`numpy.random.Generator`)
  into a generator, after QuantEcon's ``check_random_state``; global numpy state is never used.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = ["EPS", "logistic", "scaled_logistic", "check_random_state"]

#: Tolerance used for boundary comparisons (a deal exactly on a red line is accepted).
EPS = 1e-9


def logistic(t):
    """Return the logistic function of ``t``, stable for very large ``|t|``.

    Parameters
    ----------
    t : array_like
        Argument.

    Returns
    -------
    numpy.ndarray
        Values in [0, 1]; never NaN for finite or infinite input.

    Examples
    --------
    >>> float(logistic(0.0))
    0.5
    >>> float(logistic(-1e6)), float(logistic(1e6))
    (0.0, 1.0)
    """
    return expit(np.asarray(t, dtype=float))


def scaled_logistic(value, scale):
    """Return :math:`\\Lambda(value / scale)`, or the indicator :math:`1[value \\ge 0]` where ``scale == 0``.

    Parameters
    ----------
    value : array_like
        Net gain (or margin over a quota).
    scale : array_like
        Non-negative logistic scale; broadcast against ``value``.

    Returns
    -------
    numpy.ndarray
        Probabilities in [0, 1].

    Examples
    --------
    >>> scaled_logistic([-0.1, 0.0, 0.1], 0.0).tolist()
    [0.0, 1.0, 1.0]
    """
    value = np.asarray(value, dtype=float)
    scale = np.asarray(scale, dtype=float)
    crisp = scale <= 0
    if crisp.all():
        return np.broadcast_to((value >= -EPS).astype(float), np.broadcast_shapes(value.shape, scale.shape)).copy()
    safe = np.where(crisp, 1.0, scale)
    with np.errstate(invalid="ignore", over="ignore"):
        smooth = expit(value / safe)
    return np.where(crisp, (value >= -EPS).astype(float), smooth)


def check_random_state(seed=None) -> np.random.Generator:
    """Turn ``seed`` into a :class:`numpy.random.Generator`.

    Parameters
    ----------
    seed : None, int or numpy.random.Generator
        ``None`` gives fresh entropy, an ``int`` a reproducible stream, a generator is passed through.

    Returns
    -------
    numpy.random.Generator

    Examples
    --------
    >>> a = check_random_state(7).random()
    >>> b = check_random_state(7).random()
    >>> a == b
    True
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (int, np.integer)):
        return np.random.default_rng(seed)
    raise TypeError(f"seed must be None, an int or a numpy.random.Generator, not {type(seed).__name__}")
