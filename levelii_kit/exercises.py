"""Self-check exercises with feedback that explains, not just pass or fail.

Exercises are declared in a case file's ``teaching.exercises`` with a ``kind``:

* ``cheapest_set`` (``side``: a side name or ``joint``; ``threshold``): the answer is a list of move ids; it is
  right when it reaches the threshold at the lowest cost among all sets that do. Every subset of the moves to
  choose from is solved as one batch.
* ``best_move`` (``side``; ``per_cost``): the answer is one move id: the single move that raises the side's
  ratification probability (or the chance of agreement) the most, or the most per unit of cost.
* ``numeric`` (``quantity``: ``outcome``, ``joint`` or ``side``; ``side``; ``moves``; ``strengths``;
  ``tolerance``): the answer is a number read off the model.

Every kind may name ``given`` moves: already on for the exercise and not among the choices. The choices are the
case's moves that are not on already, the helper's options (``help``) and its mistakes (``harm``); moves that
happen to the situation (``context``) are not choices. Costs are the moves' costs to whoever pays (``costs:
all``, the default) or to the helper only (``costs: helper``). An exercise without a ``kind`` is a discussion
question: :func:`check` says so and points to the debrief.

:func:`check` is the single source of feedback, in Jupyter and in the HTML casebook alike. For the HTML,
:func:`form_spec` describes an exercise's form together with every verdict it can show: the answer space of a
move exercise is finite (every subset, or every move), so :func:`verdicts` runs :func:`check` on each answer from
one batch solve; a numeric answer is checked in the page with :data:`NUMERIC_MESSAGES`, the same templates
:func:`check` fills in Python. Verdicts travel *sealed* (:func:`seal`): the page can read the verdict of an answer
only by being given that answer, so the HTML carries no feedback text, and no model answer, before a reader
answers. (It is an obfuscation that keeps answers out of sight, not a lock: the answer space is small.)
"""

from __future__ import annotations

import base64
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._protocol import EXERCISE_MIME
from ._text import escape_markdown as escape
from .casefile import EXERCISE_KINDS, Case
from .scenario import ScenarioBatch, label_of
from .solver import solve

__all__ = [
    "KINDS",
    "NUMERIC_MESSAGES",
    "Choice",
    "Feedback",
    "Solution",
    "answer_key",
    "check",
    "choices",
    "form_spec",
    "format_number",
    "form",
    "seal",
    "solution",
    "unseal",
    "verdicts",
]

#: The kinds of checked exercise (defined with the case-file schema).
KINDS = EXERCISE_KINDS

#: The wording of every numeric verdict, shared with the HTML casebook (``casebook/static/selfstudy.js`` fills the
#: same templates in the page). Placeholders: ``{answer}`` (the reader's number), ``{value}`` (the model's),
#: ``{low}``, ``{high}`` (the possible range), ``{what}``/``{What}`` (what is asked, e.g. "the outcome") and
#: ``{setting}`` (which moves are on). Numbers are written by :func:`format_number`.
NUMERIC_MESSAGES = {
    "enter": "Enter your answer: a number from {low} to {high}.",
    "not_a_number": "Give a number.",
    "out_of_range": "{answer} is outside the possible range, {low} to {high}.",
    "no_number": "In this setting {what}, so no number is right; say why.",
    "right": "{What} is {value} (you said {answer}).",
    "too_high": "{answer} is too high. Recompute {what} {setting}.",
    "too_low": "{answer} is too low. Recompute {what} {setting}.",
}


def format_number(x: float) -> str:
    """A number as the feedback writes it: three significant digits, as Python's ``format(x, ".3g")``.

    Parameters
    ----------
    x : float

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(0.5), format_number(0.12345), format_number(1234.5), format_number(-0.0004)
    ('0.5', '0.123', '1.23e+03', '-0.0004')
    """
    return format(float(x), ".3g")


@dataclass(frozen=True)
class Feedback:
    """The verdict on an answer, with the reason.

    Attributes
    ----------
    correct : bool or None
        ``None`` when there is nothing to judge yet (no answer given).
    message : str
    """

    correct: bool | None
    message: str

    def _repr_markdown_(self) -> str:
        if self.correct is None:
            return self.message
        mark = "**Right.**" if self.correct else "**Not quite.**"
        return f"{mark} {self.message}"

    def __str__(self) -> str:
        if self.correct is None:
            return self.message
        return ("Right. " if self.correct else "Not quite. ") + self.message


@dataclass(frozen=True)
class Solution(Feedback):
    """The model answer to an exercise and its explanation.

    Attributes
    ----------
    answer : list of str, str, float or None
        As the exercise's form expresses it: the move ids of a set (in the case file's order), one move id, or a
        number; ``None`` for a discussion question, or when no answer is right in the model.
    """

    answer: Any = field(default=None)


@dataclass(frozen=True)
class Choice:
    """A move the reader can choose in a move exercise.

    Attributes
    ----------
    id : str
        The move id (the form's value).
    label : str
        What the reader sees.
    cost : float
        The cost the exercise counts (see ``costs`` in the module docstring).
    """

    id: str
    label: str
    cost: float


# ------------------------------------------------------------------------------------------- case helpers
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


def _side_phrase(case: Case, index: int) -> str:
    """A side's label for running text, without its parenthesis ("the Soviet side")."""
    return label_of(case.scenario.sides[index]).split(" (")[0]


def _measure(case, ex, results):
    side = ex.get("side", "joint")
    if side == "joint":
        return results.chance, "the chance of agreement"
    names = [s.name for s in case.scenario.sides]
    if side not in names:
        raise ValueError(f"exercise {ex['id']!r}: side must be 'joint' or one of {names}, got {side!r}")
    k = names.index(side)
    return results.side_probability[:, k], f"the chance that {_side_phrase(case, k)} ratifies"


def _cost(case, move_ids, ex):
    """Cost of a set of moves: to everyone who pays (``costs: all``, the default) or to the helper only."""
    who = ex.get("costs", "all")
    helper = case.scenario.sides[0].name
    return sum(case.move(m).move.cost for m in move_ids if who == "all" or case.move(m).move.actor == helper)


def _labels(case: Case, ids) -> str:
    """Move labels in running text."""
    return "; ".join(case.move(m).label for m in ids) if ids else "no moves at all"


# ------------------------------------------------------------------------------------------- cheapest set
def _cheapest(case, ex):
    threshold = float(ex.get("threshold", 0.5))
    moves = [m.id for m in _helping_moves(case, ex)]
    subsets = [tuple(c) for k in range(len(moves) + 1) for c in itertools.combinations(moves, k)]
    res = solve(ScenarioBatch.from_scenarios([case.scenario_with(_defaults(case, ex) + s) for s in subsets]))
    value, what = _measure(case, ex, res)
    costs = np.array([_cost(case, s, ex) for s in subsets])
    reach = value >= threshold
    return subsets, value, costs, reach, threshold, what


def _check_cheapest(case, ex, answer, table=None):
    """``table``: :func:`_cheapest`'s result when the caller has it already (no second solve)."""
    subsets, value, costs, reach, threshold, what = table or _cheapest(case, ex)
    if answer is None:
        return Feedback(None, "Enter your answer: choose the moves of your set (none at all is a possible answer).")
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
            f"With {_labels(case, key)}, {what} is {value[k]:.0%}, below {threshold:.0%}. "
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
        f"{_labels(case, key)}: {what} rises to {value[k]:.0%} at a cost of {costs[k]:.3g}, "
        f"the lowest cost of any set that reaches {threshold:.0%}.",
    )


def _solve_cheapest(case, ex, table):
    subsets, value, costs, reach, threshold, what = table
    if not reach.any():
        return Solution(True, f"No set of moves lifts {what} to {threshold:.0%} in this model.", None)
    cands = np.flatnonzero(reach)
    k = cands[np.lexsort((np.array([len(subsets[c]) for c in cands]), costs[cands]))[0]]
    verdict = _check_cheapest(case, ex, list(subsets[k]), table)
    return Solution(verdict.correct, verdict.message, list(subsets[k]))


# ------------------------------------------------------------------------------------------- best single move
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
    if answer is None:
        return Feedback(None, "Enter your answer: choose one move.")
    if answer not in moves:
        return Feedback(False, f"{answer!r} is not one of the moves to choose from: {', '.join(moves)}.")
    best = int(np.argmax(score))
    k = moves.index(answer)
    label, best_label = case.move(answer).label, case.move(moves[best]).label
    if score[best] <= 1e-12:
        return Feedback(False, f"No single move raises {what} here; the moves only work together, or not at all.")
    if score[k] >= score[best] - 1e-12:
        most = " — the most per unit of cost" if per_cost else ", more than any other single move"
        return Feedback(True, f"{label} raises {what} by {gain[k]:+.1%} on its own, at a cost of {costs[k]:.3g}{most}.")
    return Feedback(
        False,
        f"{label} changes {what} by {gain[k]:+.1%} on its own; {best_label} does better "
        f"({gain[best]:+.1%}{f', cost {costs[best]:.3g}' if per_cost else ''}). Moves can also be "
        "complements: compare with the Shapley split in the ledger.",
    )


def _solve_best(case, ex, table):
    moves, gain, costs, score, what, per_cost = table
    if score.max() <= 1e-12:
        text = f"No single move raises {what} here; the moves only work together, or not at all."
        return Solution(True, text, None)
    best = moves[int(np.argmax(score))]
    verdict = _check_best(case, ex, best, table)
    return Solution(verdict.correct, verdict.message, best)


# ------------------------------------------------------------------------------------------- numeric
@dataclass(frozen=True)
class _Numeric:
    """What a numeric exercise compares with, and the words its verdicts use."""

    value: float  # NaN when no number is right (no deal)
    what: str
    setting: str
    low: float
    high: float
    tolerance: float

    def texts(self) -> dict[str, str]:
        """The placeholders of :data:`NUMERIC_MESSAGES` that do not depend on the answer."""
        return {
            "value": "" if math.isnan(self.value) else format_number(self.value),
            "what": self.what,
            "What": self.what[:1].upper() + self.what[1:],
            "setting": self.setting,
            "low": format_number(self.low),
            "high": format_number(self.high),
        }


def _numeric_value(case, ex) -> _Numeric:
    moves = tuple(ex.get("moves", ()))
    res = solve(case.scenario_with(_defaults(case, ex) + moves, ex.get("strengths") or {}))
    quantity = ex.get("quantity", "outcome")
    setting = f"with these moves on: {_labels(case, moves)}" if moves else "with none of the moves on"
    tol = float(ex.get("tolerance", 0.01))
    if quantity == "outcome":
        issue = case.scenario.issues[0]
        what = f"the outcome ({label_of(issue)})"
        if not res.agreed[0]:
            what = f"there is no deal ({res.reason[0]})"
            return _Numeric(math.nan, what, setting, float(issue.low), float(issue.high), tol)
        return _Numeric(float(res.point[0, 0]), what, setting, float(issue.low), float(issue.high), tol)
    if quantity == "joint":
        return _Numeric(float(res.chance[0]), "the chance of agreement", setting, 0.0, 1.0, tol)
    if quantity == "side":
        names = [s.name for s in case.scenario.sides]
        k = names.index(ex["side"])
        what = f"the chance that {_side_phrase(case, k)} ratifies"
        return _Numeric(float(res.side_probability[0, k]), what, setting, 0.0, 1.0, tol)
    raise ValueError(f"exercise {ex['id']!r}: quantity must be outcome, joint or side, got {quantity!r}")


def _numeric_message(key: str, num: _Numeric, answer: float | None = None) -> str:
    fields = num.texts()
    if answer is not None:
        fields["answer"] = format_number(answer)
    return NUMERIC_MESSAGES[key].format(**fields)


def _check_numeric(case, ex, answer, table=None):
    """``table``: :func:`_numeric_value`'s result when the caller has it already (no second solve)."""
    num = table or _numeric_value(case, ex)
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return Feedback(None, _numeric_message("enter", num))
    try:
        answer = float(answer)
    except (TypeError, ValueError):
        return Feedback(False, _numeric_message("not_a_number", num))
    if not math.isfinite(answer):
        return Feedback(False, _numeric_message("not_a_number", num))
    if answer < num.low or answer > num.high:
        return Feedback(False, _numeric_message("out_of_range", num, answer))
    if math.isnan(num.value):
        return Feedback(False, _numeric_message("no_number", num))
    if abs(answer - num.value) <= num.tolerance:
        return Feedback(True, _numeric_message("right", num, answer))
    return Feedback(False, _numeric_message("too_high" if answer > num.value else "too_low", num, answer))


def _solve_numeric(case, ex, table):
    if math.isnan(table.value):
        return Solution(True, f"In this setting {table.what}.", None)
    verdict = _check_numeric(case, ex, table.value, table)
    return Solution(verdict.correct, verdict.message, table.value)


_KINDS = {
    "cheapest_set": (_cheapest, _check_cheapest, _solve_cheapest),
    "best_move": (_single, _check_best, _solve_best),
    "numeric": (_numeric_value, _check_numeric, _solve_numeric),
}

_DISCUSSION = (
    "This is a discussion question: there is no single right answer to check. "
    "Compare your reasoning with the debrief questions."
)


def _kind(ex) -> str | None:
    kind = ex.get("kind")
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"exercise {ex['id']!r}: unknown kind {kind!r}; expected one of {KINDS}")
    return kind


# ------------------------------------------------------------------------------------------- the public API
def check(case: Case, exercise_id: str, answer) -> Feedback:
    """Check an answer and explain the verdict.

    Parameters
    ----------
    case : Case
    exercise_id : str
    answer
        A list of move ids, a move id or a number, by the exercise's kind; ``None`` before the reader answers
        (the feedback then says what to enter, and judges nothing).

    Returns
    -------
    Feedback

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> case = load_case("two_level_basics")
    >>> check(case, "ex_cheapest_help", ["offer_assurance"]).correct
    True
    >>> print(check(case, "ex_schelling", None))
    Enter your answer: a number from 0 to 1.
    >>> print(check(case, "ex_schelling", 0.5))  # doctest: +NORMALIZE_WHITESPACE
    Not quite. 0.5 is too high. Recompute the chance of agreement with these moves on: Give A's hawks a veto
    (tie our own hands).
    """
    ex = _exercise(case, exercise_id)
    kind = _kind(ex)
    if kind is None:
        return Feedback(None, _DISCUSSION)
    return _KINDS[kind][1](case, ex, answer)


def solution(case: Case, exercise_id: str) -> Solution:
    """The model answer to an exercise, with its explanation (for solution cells and the instructor edition).

    Parameters
    ----------
    case : Case
    exercise_id : str

    Returns
    -------
    Solution
        ``answer`` is what the exercise's form would submit; ``str(...)`` is the checker's verdict on it.

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> s = solution(load_case("two_level_basics"), "ex_cheapest_help")
    >>> s.answer
    ['offer_assurance']
    >>> print(s)  # doctest: +NORMALIZE_WHITESPACE
    Right. Offer the assurance: the chance of agreement rises to 100% at a cost of 0, the lowest cost of any set
    that reaches 100%.
    """
    ex = _exercise(case, exercise_id)
    kind = _kind(ex)
    if kind is None:
        return Solution(None, "A discussion question: see the instructor notes.", None)
    table = _KINDS[kind][0](case, ex)
    return _KINDS[kind][2](case, ex, table)


def choices(case: Case, exercise_id: str) -> list[Choice]:
    """The moves a move exercise offers, in the case file's order (empty for other kinds).

    Parameters
    ----------
    case : Case
    exercise_id : str

    Returns
    -------
    list of Choice
    """
    ex = _exercise(case, exercise_id)
    if _kind(ex) not in ("cheapest_set", "best_move"):
        return []
    return [Choice(m.id, m.label, float(_cost(case, (m.id,), ex))) for m in _helping_moves(case, ex)]


def answer_key(answer) -> str:
    """The key of a move answer in :func:`verdicts`: the move ids joined by commas (``""``: no move).

    Parameters
    ----------
    answer : str, sequence of str or None

    Returns
    -------
    str
    """
    if answer is None:
        return ""
    if isinstance(answer, str):
        return answer
    return ",".join(answer)


def verdicts(case: Case, exercise_id: str) -> dict[str, str]:
    """Every verdict a move exercise's form can show: ``answer_key(answer) -> str(check(case, id, answer))``.

    The keys cover every answer the form can submit: each subset of the choices (in the case file's order) for
    ``cheapest_set``; no move (``""``) and each move for ``best_move``. The model is solved once, as one batch.

    Parameters
    ----------
    case : Case
    exercise_id : str

    Returns
    -------
    dict of str to str
        Empty for numeric and discussion exercises.
    """
    ex = _exercise(case, exercise_id)
    kind = _kind(ex)
    if kind not in ("cheapest_set", "best_move"):
        return {}
    table = _KINDS[kind][0](case, ex)
    ids = [c.id for c in choices(case, exercise_id)]
    if kind == "cheapest_set":
        answers: list = [list(c) for k in range(len(ids) + 1) for c in itertools.combinations(ids, k)]
    else:
        answers = [None, *ids]
    return {answer_key(a): str(_KINDS[kind][1](case, ex, a, table)) for a in answers}


# ------------------------------------------------------------------------------------------- sealing
def _keystream(key: str, n: int) -> bytes:
    """``n`` pseudo-random bytes from ``key`` (FNV-1a seed, xorshift32), as ``selfstudy.js`` makes them."""
    h = 0x811C9DC5
    for b in key.encode("utf-8"):
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    state = h or 0x9E3779B9
    out = bytearray()
    for _ in range(n):
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        out.append(state & 0xFF)
    return bytes(out)


def seal(text: str, key: str) -> str:
    """``text`` encoded so that only someone holding ``key`` reads it (an obfuscation, not encryption).

    Parameters
    ----------
    text : str
    key : str
        For a verdict, the exercise id and the answer key (``"ex_id|a,b"``).

    Returns
    -------
    str
        Base64 text.

    Examples
    --------
    >>> unseal(seal("Right. 0.5", "ex|x"), "ex|x")
    'Right. 0.5'
    """
    data = text.encode("utf-8")
    return base64.b64encode(bytes(a ^ b for a, b in zip(data, _keystream(key, len(data))))).decode("ascii")


def unseal(sealed: str, key: str) -> str:
    """The text :func:`seal` encoded with ``key``.

    Parameters
    ----------
    sealed : str
    key : str

    Returns
    -------
    str
    """
    data = base64.b64decode(sealed)
    return bytes(a ^ b for a, b in zip(data, _keystream(key, len(data)))).decode("utf-8")


# ------------------------------------------------------------------------------------------- the form
def form_spec(case: Case, exercise_id: str, *, with_solution: bool = True) -> dict:
    """Everything the casebook needs to render an exercise as a form that checks answers with no kernel.

    Parameters
    ----------
    case : Case
    exercise_id : str
    with_solution : bool, default True
        Include the model answer (the instructor edition shows it; the student edition's renderer drops it).

    Returns
    -------
    dict
        JSON-ready: ``case``, ``id``, ``number`` (its position in the case's exercises), ``kind`` (``None`` for
        discussion), ``prompt``; for move kinds ``choices`` (id, label, cost), ``multiple`` and ``verdicts``
        (sealed with ``"<id>|<answer key>"``); for numeric ``numeric`` (``min``, ``max``, ``step``, the sealed
        ``value`` and ``tolerance``, the answer-independent ``texts`` and the :data:`NUMERIC_MESSAGES`
        ``templates``); ``enter`` (what to show before an answer); ``solution`` (``answer`` and ``text``) when
        asked for.
    """
    ex = _exercise(case, exercise_id)
    kind = _kind(ex)
    ids = [e["id"] for e in case.teaching["exercises"]]
    spec: dict[str, Any] = {
        "case": case.slug,
        "id": exercise_id,
        "number": ids.index(exercise_id) + 1,
        "kind": kind,
        "prompt": " ".join(str(ex["prompt"]).split()),
    }
    if kind in ("cheapest_set", "best_move"):
        spec["choices"] = [{"id": c.id, "label": c.label, "cost": c.cost} for c in choices(case, exercise_id)]
        spec["multiple"] = kind == "cheapest_set"
        spec["verdicts"] = {
            seal(key, f"{exercise_id}|{key}"): seal(text, f"{exercise_id}|{key}")
            for key, text in verdicts(case, exercise_id).items()
        }
        spec["enter"] = str(check(case, exercise_id, None))
    elif kind == "numeric":
        num = _numeric_value(case, ex)
        span = num.high - num.low
        spec["numeric"] = {
            "min": num.low,
            "max": num.high,
            "step": 0.01 if span <= 1 else float(10 ** math.floor(math.log10(span / 100))),
            "value": seal(repr(num.value), exercise_id),
            "tolerance": seal(repr(num.tolerance), exercise_id),
            "texts": num.texts(),
            "templates": dict(NUMERIC_MESSAGES),
        }
        spec["enter"] = str(_check_numeric(case, ex, None, num))
    else:
        spec["enter"] = _DISCUSSION
    if with_solution:
        s = solution(case, exercise_id)
        spec["solution"] = {"answer": s.answer, "text": str(s)}
    return spec


def form(case: Case, exercise_id: str) -> ExerciseForm:
    """An exercise ready to display: a form in the HTML casebook, its prompt and how to answer in Jupyter.

    Parameters
    ----------
    case : Case
    exercise_id : str

    Returns
    -------
    ExerciseForm
    """
    return ExerciseForm(form_spec(case, exercise_id))


class ExerciseForm:
    """An exercise for display: the form's data in the HTML casebook, the prompt and how to answer in Jupyter.

    Displaying it publishes :data:`levelii_kit._protocol.EXERCISE_MIME` (rendered as a form by the casebook build)
    beside Markdown (what Jupyter shows). :func:`levelii_kit.widgets.exercise` shows a live ipywidgets form instead.

    Parameters
    ----------
    spec : dict
        From :func:`form_spec`.
    """

    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def _repr_markdown_(self) -> str:
        return _markdown(self.spec)

    def _repr_mimebundle_(self, include: Sequence[str] | None = None, exclude: Sequence[str] | None = None) -> dict:
        return {EXERCISE_MIME: self.spec, "text/markdown": _markdown(self.spec)}


def _markdown(spec: dict) -> str:
    head = f"**Exercise {spec['number']}.** {escape(spec['prompt'])}"
    if spec["kind"] is None:
        return f"{head}\n\n*A discussion question: write your answer down, then compare with the debrief.*"
    how = {
        "cheapest_set": "a list of move ids",
        "best_move": "one move id",
        "numeric": "a number",
    }[spec["kind"]]
    lines = [head, "", f'*Answer with {how}: use the form, or `lk.exercises.check(case, "{spec["id"]}", answer)`.*']
    for c in spec.get("choices", []):
        lines.append(f"- `{c['id']}`: {escape(c['label'])} (cost {c['cost']:g})")
    return "\n".join(lines)
