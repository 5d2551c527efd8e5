"""Prediction prompts: the reader commits a guess, then the model reveals its own number.

A case file lists its prompts in ``teaching.predictions`` (validated by :func:`levelii_kit.load_case` into
:class:`Prediction` objects on ``case.predictions``). Each prompt names the setting (the case's default moves plus
``moves``, with ``strengths`` overridden) and what the model reveals there:

* ``quantity: side``: the chance that ``side`` ratifies the Level I proposal (casebook/front_matter/model.md §3;
  for no deal, the
  likeliest deal, as :mod:`levelii_kit.exercises` reads it);
* ``quantity: joint``: the chance of agreement at the Level I outcome, :math:`P_A(d^*) P_B(d^*)`, and 0 when
  there is no deal (casebook/front_matter/model.md §4-5);
* ``quantity: outcome``: the outcome's point :math:`d^*` on the (first) issue, or no deal.

The reader answers ``yes_no`` (the model's answer is "yes" when the chance is at least 50%), ``probability`` (a
chance in [0, 1]) or ``point`` (a point on the issue, within its range). :func:`reveal` computes the model's
value; :func:`compare` puts a guess beside it in one line. The casebook (predict, then reveal), the slides and
the live class session (``levelii class``) all use these two functions, so they say the same thing.

This module imports only the model and :mod:`levelii_kit.casefile`: no plotly, no ipywidgets.

Predict-then-reveal follows classroom practice ("What do you predict will happen?" before play, then whether the
outcome matched); the model is Putnam's (1988) two-level game as Sebenius (2013) uses it.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from .casefile import Case, Prediction
from .errors import LeveliiError
from .scenario import ScenarioBatch
from .solver import solve

__all__ = [
    "Prediction",
    "Reveal",
    "GuessError",
    "reveal",
    "reveal_all",
    "compare",
    "check_guess",
    "side_name",
    "YES_AT",
]

#: The model's answer to a yes/no prompt is "yes" when the chance is at least this.
YES_AT = 0.5


class GuessError(LeveliiError, ValueError):
    """A reader's guess does not fit the prompt (wrong type, or outside the allowed range)."""


@dataclass(frozen=True)
class Reveal:
    """What the model says for one prediction prompt.

    Attributes
    ----------
    prediction : Prediction
    value : float
        The chance (``side`` or ``joint``) or the outcome's point (``outcome``; NaN when there is no deal).
    answer : str or None
        ``"yes"`` or ``"no"`` for a ``yes_no`` prompt (yes at a chance of :data:`YES_AT` or more), else None.
    agreed : bool
        Whether the Level I table finds a deal in this setting.
    reason : str
        Why there is no deal (empty when there is one).
    text : str
        One sentence stating the model's value.
    """

    prediction: Prediction
    value: float
    answer: str | None
    agreed: bool
    reason: str
    text: str


def _pct(p: float) -> str:
    """A chance as a whole percentage that never rounds across 0, 50% or 100%."""
    if 0 < p < 0.005:
        return "less than 1%"
    if 0.995 <= p < 1:
        return "more than 99%"
    if 0.495 <= p < YES_AT:
        return "just under 50%"
    return f"{p:.0%}"


def _num(x: float) -> str:
    return f"{x:.2f}"


def side_name(case: Case, side: str) -> str:
    """A short name for a side, for sentences: its label up to a colon or a parenthesis, "the" before "... side".

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> side_name(load_case("german_unification"), "soviet")
    'the Soviet side'
    >>> side_name(load_case("two_level_basics"), "B")
    'Side B'
    """
    names = [s.name for s in case.scenario.sides]
    label = case.scenario.sides[names.index(side)].label or side
    short = label.split(":")[0].split(" (")[0].strip() or side
    if short.startswith("The "):
        return "the " + short[4:]
    return "the " + short if short.lower().endswith(" side") else short


def _issue(case: Case):
    return case.scenario.issues[0]


def _scenario(case: Case, p: Prediction):
    defaults = tuple(m.id for m in case.moves if m.default)
    return case.scenario_with(defaults + tuple(p.moves), dict(p.strengths))


def _scale(case: Case) -> str:
    issue = _issue(case)
    return f"on the issue's scale from {issue.low:g} to {issue.high:g}"


def _clause(case: Case, p: Prediction, value: float, agreed: bool, reason: str) -> str:
    """What the model says, as a clause that follows "in the model"."""
    if p.quantity == "side":
        return f"{side_name(case, p.side)} ratifies with a chance of {_pct(value)}"
    if p.quantity == "joint":
        return f"the chance of agreement is {_pct(value)}" if agreed else f"there is no deal ({reason})"
    return f"the deal lands at {_num(value)} {_scale(case)}" if agreed else f"there is no deal ({reason})"


def reveal_all(case: Case) -> dict[str, Reveal]:
    """Reveal every prediction prompt of a case, solved as one batch.

    Parameters
    ----------
    case : Case

    Returns
    -------
    dict of str to Reveal
        Keyed by prediction id, in file order (empty when the case has no prompts).
    """
    prompts = case.predictions
    if not prompts:
        return {}
    res = solve(ScenarioBatch.from_scenarios([_scenario(case, p) for p in prompts]))
    names = [s.name for s in case.scenario.sides]
    chance = res.chance
    out = {}
    for i, p in enumerate(prompts):  # reads the solved batch; no solving per prompt
        agreed = bool(res.agreed[i])
        reason = str(res.reason[i])
        if p.quantity == "side":
            value = float(res.side_probability[i, names.index(p.side)])
        elif p.quantity == "joint":
            value = float(chance[i])
        else:
            value = float(res.point[i, 0]) if agreed else math.nan
        answer = None
        if p.answer == "yes_no":
            answer = "yes" if value >= YES_AT else "no"
        tail = f", so: {answer}." if answer else "."
        out[p.id] = Reveal(
            p, value, answer, agreed, reason, f"In the model {_clause(case, p, value, agreed, reason)}{tail}"
        )
    return out


def reveal(case: Case, prediction_id: str) -> Reveal:
    """The model's value for one prediction prompt.

    Parameters
    ----------
    case : Case
    prediction_id : str

    Returns
    -------
    Reveal

    Raises
    ------
    KeyError
        When the case has no such prompt.

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> r = reveal(load_case("two_level_basics"), "their_veto_outcome")
    >>> round(r.value, 6)
    0.55
    >>> print(r.text)
    In the model the deal lands at 0.55 on the issue's scale from 0 to 1.
    """
    p = case.prediction(prediction_id)
    return reveal_all(dataclasses.replace(case, predictions=(p,)))[prediction_id]


def check_guess(case: Case, prediction: Prediction, guess):
    """Validate a reader's guess for a prompt and return it normalised.

    Parameters
    ----------
    case : Case
    prediction : Prediction
    guess
        ``"yes"``/``"no"`` (or a bool) for ``yes_no``; a number in [0, 1] for ``probability``; a number within the
        issue's range for ``point``.

    Returns
    -------
    str or float

    Raises
    ------
    GuessError
        One line naming the prompt and what was expected.
    """
    kind = prediction.answer
    if kind == "yes_no":
        if isinstance(guess, bool):
            return "yes" if guess else "no"
        if isinstance(guess, str) and guess.strip().lower() in ("yes", "no"):
            return guess.strip().lower()
        raise GuessError(f"prediction {prediction.id!r}: expected 'yes' or 'no', got {guess!r}")
    if isinstance(guess, bool) or not isinstance(guess, (int, float, np.integer, np.floating)):
        raise GuessError(f"prediction {prediction.id!r}: expected a number, got {guess!r}")
    value = float(guess)
    if kind == "probability":
        if not 0.0 <= value <= 1.0:
            raise GuessError(f"prediction {prediction.id!r}: expected a chance between 0 and 1, got {guess!r}")
        return value
    issue = _issue(case)
    if not (math.isfinite(value) and issue.low <= value <= issue.high):
        raise GuessError(
            f"prediction {prediction.id!r}: expected a point between {issue.low:g} and {issue.high:g}, got {guess!r}"
        )
    return value


def compare(case: Case, prediction_id: str, guess, revealed: Reveal | None = None) -> str:
    """One line putting a reader's guess beside the model's value.

    Parameters
    ----------
    case : Case
    prediction_id : str
    guess
        See :func:`check_guess`.
    revealed : Reveal, optional
        The prompt's :func:`reveal`, when the caller has it already (no second solve).

    Returns
    -------
    str

    Raises
    ------
    GuessError
        When the guess does not fit the prompt.

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> compare(load_case("two_level_basics"), "gloat_after_veto", "yes")
    'You said yes; in the model there is no deal (empty ZOPA: no deal is ratified on both sides), so: no.'
    """
    p = case.prediction(prediction_id)
    g = check_guess(case, p, guess)
    r = revealed if revealed is not None else reveal(case, prediction_id)
    clause = _clause(case, p, r.value, r.agreed, r.reason)
    if p.answer == "yes_no":
        return f"You said {g}; in the model {clause}, so: {r.answer}."
    if p.answer == "probability":
        gap = round((r.value - g) * 100)
        how = (
            "the same as your guess" if gap == 0 else f"{abs(gap)} points {'above' if gap > 0 else 'below'} your guess"
        )
        return f"You said {_pct(g)}; in the model {clause}, {how}."
    if not r.agreed:
        return f"You said {_num(g)}; in the model {clause}, so no point on the issue is right."
    gap = r.value - g
    how = (
        "the same as your guess" if abs(gap) < 0.005 else f"{abs(gap):.2f} {'above' if gap > 0 else 'below'} your guess"
    )
    return f"You said {_num(g)}; in the model {clause}, {how}."
