"""Request models of the class session, built for the chapter being served (pydantic v2).

``POST /api/responses`` takes one response: a prediction (``kind: prediction``, the prompt's ``question`` id and an
``answer`` of the prompt's type) or a group outcome (``kind: outcome``: the group, whether the table reached a deal,
its point on the issue, the moves used and whether each side ratified). The models are made per case, so the
OpenAPI document lists the chapter's own question ids, move ids and side names, and carries an example body that
is valid for the chapter served. Every field is strict: a number sent as a string, a boolean sent as a number or
an unknown field is a 422, never a guess.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Strict, Tag, create_model, model_validator

from ...casefile import Case

__all__ = [
    "request_models",
    "RevealIn",
    "PARTICIPANT_PATTERN",
    "NAME_MAX",
    "example_body",
    "outcome_example",
    "choice_moves",
]

#: A participant id: made at random by the student page and kept in the browser.
PARTICIPANT_PATTERN = r"^[A-Za-z0-9_-]{8,64}$"
#: Longest display name or group name.
NAME_MAX = 40
# printable text, no control characters, not blank
_TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"

Participant = Annotated[str, Strict(), Field(pattern=PARTICIPANT_PATTERN, description="random id kept by the page")]
Name = Annotated[
    str, Strict(), Field(min_length=1, max_length=NAME_MAX, pattern=_TEXT_PATTERN, description="display name")
]
GroupName = Annotated[
    str, Strict(), Field(min_length=1, max_length=NAME_MAX, pattern=_TEXT_PATTERN, description="table or group")
]
Flag = Annotated[bool, Strict()]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class RevealIn(_Strict):
    """Body of ``PUT /api/reveal/{question}``: show or hide the question's results to the room."""

    revealed: Flag


def _number(lo: float, hi: float):
    return Annotated[float, Strict(), Field(ge=lo, le=hi, allow_inf_nan=False)]


def _answer_type(case: Case, prediction):
    if prediction.answer == "yes_no":
        return Literal["yes", "no"]
    if prediction.answer == "probability":
        return _number(0.0, 1.0)
    issue = case.scenario.issues[0]
    return _number(issue.low, issue.high)


def _tag(value: Any) -> str | None:
    """Which model a body is: ``outcome``, or ``prediction:<question id>``."""
    if isinstance(value, dict):
        kind, question = value.get("kind"), value.get("question")
    else:
        kind, question = getattr(value, "kind", None), getattr(value, "question", None)
    if kind == "outcome":
        return "outcome"
    if kind == "prediction" and isinstance(question, str):
        return f"prediction:{question}"
    return None


def choice_moves(case: Case) -> list:
    """The moves a group can report: every move that is not already on by default."""
    return [m for m in case.moves if not m.default]


def request_models(case: Case):
    """The request body type of ``POST /api/responses`` for a case, and the models it joins.

    Parameters
    ----------
    case : Case

    Returns
    -------
    body : type
        An annotated discriminated union: one model per prediction prompt, and the outcome model.
    models : dict of str to type
        The member models by tag (``prediction:<id>``, ``outcome``).
    """
    side_names = [s.name for s in case.scenario.sides]
    issue = case.scenario.issues[0]
    move_ids = tuple(m.id for m in choice_moves(case))
    models = {}
    for p in case.predictions:
        models[f"prediction:{p.id}"] = create_model(
            f"Prediction_{p.id.replace('-', '_')}",
            __base__=_Strict,
            __doc__=f"A prediction for {p.id!r}: {p.prompt}",
            kind=(Literal["prediction"], ...),
            participant=(Participant, ...),
            name=(Name, ...),
            question=(Literal[p.id], ...),
            answer=(_answer_type(case, p), ...),
        )
    ratified = create_model(
        "Ratified",
        __base__=_Strict,
        __doc__="Whether each side ratified the group's deal (all false when there was no deal).",
        **{name: (Flag, ...) for name in side_names},
    )
    Move = Literal[move_ids] if move_ids else Literal["__none__"]  # type: ignore[valid-type]
    outcome = create_model(
        "Outcome",
        __base__=_Strict,
        __doc__="A group's role-play outcome: the deal's point on the issue, the moves used, who ratified.",
        __validators__={"_consistent": model_validator(mode="after")(_check_outcome)},
        kind=(Literal["outcome"], ...),
        participant=(Participant, ...),
        name=(Name, ...),
        group=(GroupName, ...),
        deal=(Flag, Field(..., description="whether the table reached a Level I deal")),
        point=(
            _number(issue.low, issue.high) | None,
            Field(None, description=f"the deal's point on {issue.label or issue.name} (null when no deal)"),
        ),
        moves=(list[Move], Field([], max_length=len(move_ids), description="helping moves the group used")),
        ratified=(ratified, ...),
    )
    models["outcome"] = outcome
    members = tuple(Annotated[m, Tag(tag)] for tag, m in models.items())
    questions = ", ".join(repr(p.id) for p in case.predictions) or "none"
    body = Annotated[
        Union[members],  # noqa: UP007
        Discriminator(
            _tag,
            custom_error_type="unknown_response",
            custom_error_message=(
                f"expected kind 'outcome', or kind 'prediction' with a question of this chapter ({questions})"
            ),
        ),
    ]
    return body, models


def _check_outcome(self):
    if self.deal and self.point is None:
        raise ValueError("point is required when deal is true")
    if not self.deal:
        if self.point is not None:
            raise ValueError("point must be null when there was no deal")
        if any(self.ratified.model_dump().values()):
            raise ValueError("no side can ratify when there was no deal")
    if len(set(self.moves)) != len(self.moves):
        raise ValueError("a move is listed twice")
    return self


def outcome_example(case: Case) -> dict:
    """A valid group-outcome body for the case (its moves: the first helping move)."""
    issue = case.scenario.issues[0]
    return {
        "kind": "outcome",
        "participant": "a1b2c3d4e5f6a7b8",
        "name": "Ada",
        "group": "Table 1",
        "deal": True,
        "point": round((issue.low + issue.high) / 2, 2),
        "moves": [m.id for m in choice_moves(case)][:1],
        "ratified": {s.name: True for s in case.scenario.sides},
    }


def example_body(case: Case) -> dict:
    """A request body that is valid for the case: its first prediction prompt answered, or else a group outcome.

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> example_body(load_case("two_level_basics"))["question"]
    'their_veto_outcome'
    """
    if not case.predictions:
        return outcome_example(case)
    p = case.predictions[0]
    issue = case.scenario.issues[0]
    answer = {"yes_no": "yes", "probability": 0.5, "point": round((issue.low + issue.high) / 2, 2)}[p.answer]
    return {"kind": "prediction", "participant": "a1b2c3d4e5f6a7b8", "name": "Ada", "question": p.id, "answer": answer}
