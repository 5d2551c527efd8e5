"""Self-check exercises with feedback that explains, not just pass or fail.

Exercises are declared in a case file's ``teaching.exercises`` with a ``kind``:

Every kind may name ``given`` moves: already on for the exercise and not among the choices. Costs are the
moves' costs to whoever pays (``costs: all``, the default) or to the helper only (``costs: helper``).

* ``cheapest_set`` (``side``: a side name or ``joint``; ``threshold``): the answer is a list of move ids; it is
  right when it reaches the threshold at the lowest cost among all sets that do. Every subset of
  the case's helping moves is solved as one batch.
* ``best_move`` (``side``; ``per_cost``): the answer is one move id: the single move that raises the side's
  ratification probability (or the chance of agreement) the most, or the most per unit of cost.
* ``numeric`` (``quantity``: ``outcome``, ``joint`` or ``side``; ``side``; ``moves``; ``strengths``;
  ``tolerance``): the answer is a number read off the model.

An exercise without a ``kind`` is a discussion question: :func:`check` says so and points to the debrief.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from .casefile import EXERCISE_KINDS, Case
from .scenario import ScenarioBatch
from .solver import solve

__all__ = ["Feedback", "check", "solution", "KINDS"]

#: The kinds of checked exercise (defined with the case-file schema).
KINDS = EXERCISE_KINDS


@dataclass(frozen=True)
class Feedback:
    """The verdict on an answer, with the reason."""

    correct: bool
    message: str

    def _repr_markdown_(self):
        mark = "**Right.**" if self.correct else "**Not quite.**"
        return f"{mark} {self.message}"

    def __str__(self):
        return ("Right. " if self.correct else "Not quite. ") + self.message


def _exercise(case: Case, exercise_id: str):
    for ex in case.teaching["exercises"]:
        if ex["id"] == exercise_id:
            return ex
    ids = [ex["id"] for ex in case.teaching["exercises"]]
    raise KeyError(f"case {case.slug!r} has no exercise {exercise_id!r}; exercises: {ids}")


def _given(ex) -> tuple:
    return tuple(ex.get("given", ()) if ex else ())


def _helping_moves(case: Case, ex=None):
    """The moves a learner chooses from: the helper's options (help, and harm as a distractor), not context."""
    return [m for m in case.moves if not m.default and m.role != "context" and m.id not in _given(ex)]


def _defaults(case: Case, ex=None):
    return tuple(m.id for m in case.moves if m.default) + _given(ex)


def _measure(case, ex, results):
    side = ex.get("side", "joint")
    if side == "joint":
        return results.chance, "the chance of agreement"
    names = [s.name for s in case.scenario.sides]
    if side not in names:
        raise ValueError(f"exercise {ex['id']!r}: side must be 'joint' or one of {names}, got {side!r}")
    k = names.index(side)
    label = case.scenario.sides[k].label or side
    return results.side_probability[:, k], f"the chance that {label} ratifies"


def _cost(case, move_ids, ex):
    """Cost of a set of moves: to everyone who pays (``costs: all``, the default) or to the helper only."""
    who = ex.get("costs", "all")
    helper = case.scenario.sides[0].name
    return sum(case.move(m).move.cost for m in move_ids if who == "all" or case.move(m).move.actor == helper)


def _subsets(case, ex):
    moves = [m.id for m in _helping_moves(case, ex)]
    subsets = [tuple(c) for k in range(len(moves) + 1) for c in itertools.combinations(moves, k)]
    batch = ScenarioBatch.from_scenarios([case.scenario_with(_defaults(case, ex) + s) for s in subsets])
    return subsets, solve(batch)


def _fmt_set(ids):
    return ", ".join(ids) if ids else "no moves at all"


def _cheapest(case, ex):
    threshold = float(ex.get("threshold", 0.5))
    subsets, res = _subsets(case, ex)
    value, what = _measure(case, ex, res)
    costs = np.array([_cost(case, s, ex) for s in subsets])
    reach = value >= threshold
    return subsets, value, costs, reach, threshold, what


def _check_cheapest(case, ex, answer, table=None):
    """``table``: :func:`_cheapest`'s result when the caller has it already (no second solve)."""
    subsets, value, costs, reach, threshold, what = table or _cheapest(case, ex)
    if answer is None:
        answer = []
    if isinstance(answer, str):
        answer = [answer]
    try:
        answer = tuple(answer)
    except TypeError:
        return Feedback(False, f"Give a list of move ids (got {answer!r}).")
    allowed = [m.id for m in _helping_moves(case, ex)]
    unknown = [a for a in answer if a not in allowed]
    if unknown:
        return Feedback(False, f"{unknown[0]!r} is not one of the moves to choose from: {', '.join(allowed)}.")
    key = tuple(m for m in subsets[-1] if m in answer)
    k = subsets.index(key)
    if not reach.any():
        return Feedback(False, f"No set of moves lifts {what} to {threshold:.0%} in this model.")
    best = np.min(costs[reach])
    if not reach[k]:
        return Feedback(
            False,
            f"With {_fmt_set(key)}, {what} is {value[k]:.0%}, below {threshold:.0%}. "
            "Look for the move that answers the blocking constituency's fear.",
        )
    if costs[k] > best + 1e-12:
        return Feedback(
            False,
            f"Your set works ({what} {value[k]:.0%}) but costs {costs[k]:.3g}; a set costing "
            f"{best:.3g} also reaches {threshold:.0%}. Which of your moves is not pulling its weight?",
        )
    return Feedback(
        True,
        f"{_fmt_set(key)} lifts {what} to {value[k]:.0%} at a cost of {costs[k]:.3g}, "
        f"the lowest cost of any set that reaches {threshold:.0%}.",
    )


def _single(case, ex):
    moves = [m.id for m in _helping_moves(case, ex)]
    scen = [case.scenario_with(_defaults(case, ex))] + [case.scenario_with(_defaults(case, ex) + (m,)) for m in moves]
    res = solve(ScenarioBatch.from_scenarios(scen))
    value, what = _measure(case, ex, res)
    gain = value[1:] - value[0]
    per_cost = bool(ex.get("per_cost", False))
    costs = np.array([_cost(case, (m,), ex) for m in moves])
    score = gain / np.maximum(costs, 1e-3) if per_cost else gain
    return moves, gain, costs, score, what, per_cost


def _check_best(case, ex, answer, table=None):
    """``table``: :func:`_single`'s result when the caller has it already (no second solve)."""
    moves, gain, costs, score, what, per_cost = table or _single(case, ex)
    if answer not in moves:
        return Feedback(False, f"{answer!r} is not one of the helping moves: {', '.join(moves)}.")
    best = int(np.argmax(score))
    k = moves.index(answer)
    measure = "per unit of cost" if per_cost else ""
    if score[best] <= 1e-12:
        return Feedback(False, f"No single move raises {what} here; the moves only work together, or not at all.")
    if score[k] >= score[best] - 1e-12:
        return Feedback(
            True,
            f"{answer} raises {what} by {gain[k]:+.1%} on its own{f', at a cost of {costs[k]:.3g}'}"
            f"{' — the most ' + measure if per_cost else ', more than any other single move'}.",
        )
    return Feedback(
        False,
        f"{answer} changes {what} by {gain[k]:+.1%} on its own; {moves[best]} does better "
        f"({gain[best]:+.1%}{f', cost {costs[best]:.3g}' if per_cost else ''}). Moves can also be "
        "complements: compare with the Shapley split in the ledger.",
    )


def _numeric_value(case, ex):
    moves = tuple(ex.get("moves", ()))
    res = solve(case.scenario_with(_defaults(case, ex) + moves, ex.get("strengths") or {}))
    quantity = ex.get("quantity", "outcome")
    if quantity == "outcome":
        if not res.agreed[0]:
            return math.nan, f"there is no deal ({res.reason[0]})"
        return float(res.point[0, 0]), "the outcome"
    if quantity == "joint":
        return float(res.chance[0]), "the chance of agreement"
    if quantity == "side":
        names = [s.name for s in case.scenario.sides]
        k = names.index(ex["side"])
        return float(
            res.side_probability[0, k]
        ), f"the chance that {case.scenario.sides[k].label or ex['side']} ratifies"
    raise ValueError(f"exercise {ex['id']!r}: quantity must be outcome, joint or side, got {quantity!r}")


def _check_numeric(case, ex, answer, table=None):
    """``table``: :func:`_numeric_value`'s result when the caller has it already (no second solve)."""
    value, what = table or _numeric_value(case, ex)
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, f"Give a number (got {answer!r}).")
    tol = float(ex.get("tolerance", 0.01))
    if math.isnan(value):
        return Feedback(False, f"In this setting {what}, so no number is right; say why.")
    if abs(answer - value) <= tol:
        return Feedback(True, f"{what.capitalize()} is {value:.3g} (you said {answer:.3g}).")
    direction = "too high" if answer > value else "too low"
    moves = tuple(ex.get("moves", ()))
    setting = f"with {_fmt_set(moves)} on" if moves else "with none of the moves on"
    return Feedback(False, f"{answer:.3g} is {direction}. Recompute {what} {setting}.")


_CHECKERS = {"cheapest_set": _check_cheapest, "best_move": _check_best, "numeric": _check_numeric}


def check(case: Case, exercise_id: str, answer) -> Feedback:
    """Check an answer and explain the verdict.

    Parameters
    ----------
    case : Case
    exercise_id : str
    answer
        A list of move ids, a move id or a number, by the exercise's kind.

    Returns
    -------
    Feedback

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> case = load_case("two_level_basics")
    >>> check(case, "ex_cheapest_help", ["offer_assurance"]).correct
    True
    >>> print(check(case, "ex_cheapest_help", ["empower_their_doves"]))  # doctest: +NORMALIZE_WHITESPACE
    Not quite. With empower_their_doves, the chance of agreement is 0%, below 100%.
    Look for the move that answers the blocking constituency's fear.
    """
    ex = _exercise(case, exercise_id)
    kind = ex.get("kind")
    if kind is None:
        return Feedback(
            False,
            "This is a discussion question: there is no single right answer to check. "
            "Compare your reasoning with the debrief questions.",
        )
    if kind not in _CHECKERS:
        raise ValueError(f"exercise {exercise_id!r}: unknown kind {kind!r}; expected one of {KINDS}")
    return _CHECKERS[kind](case, ex, answer)


def solution(case: Case, exercise_id: str) -> Feedback:
    """The model answer to an exercise, with its explanation (for solution cells).

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> print(solution(load_case("two_level_basics"), "ex_cheapest_help"))  # doctest: +NORMALIZE_WHITESPACE
    Right. offer_assurance lifts the chance of agreement to 100% at a cost of 0,
    the lowest cost of any set that reaches 100%.
    """
    ex = _exercise(case, exercise_id)
    kind = ex.get("kind")
    if kind == "cheapest_set":
        table = _cheapest(case, ex)
        subsets, value, costs, reach, threshold, what = table
        if not reach.any():
            return Feedback(True, f"No set of moves lifts {what} to {threshold:.0%} in this model.")
        cands = np.flatnonzero(reach)
        k = cands[np.lexsort((np.array([len(subsets[c]) for c in cands]), costs[cands]))[0]]
        return _check_cheapest(case, ex, list(subsets[k]), table)
    if kind == "best_move":
        table = _single(case, ex)
        moves, gain, costs, score, what, per_cost = table
        if score.max() <= 1e-12:
            return Feedback(True, f"No single move raises {what} here; the moves only work together, or not at all.")
        return _check_best(case, ex, moves[int(np.argmax(score))], table)
    if kind == "numeric":
        table = _numeric_value(case, ex)
        value, what = table
        if math.isnan(value):
            return Feedback(True, f"In this setting {what}.")
        return _check_numeric(case, ex, value, table)
    return Feedback(True, "A discussion question: see the instructor notes.")
