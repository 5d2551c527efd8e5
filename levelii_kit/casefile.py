"""Case files: readable YAML written by instructors, validated into a frozen :class:`Case`.

A case file (``cases/<slug>/case.yaml``) holds the story (title, period, summary, sourced facts), the model
(issues, two sides with their constituencies and ratification rules, terms, the helping moves) and the
teaching material. :func:`load_case` reads it with ``yaml.safe_load`` semantics (no code ever runs; YAML
aliases are refused, so an alias bomb fails at once; files above :data:`MAX_BYTES` are refused before
parsing), validates the structure with pydantic v2, checks every cross-reference, and reports **every**
problem at once, each with the file, the path to the field (``sides[1].constituencies[2].strength``) and
what was expected, in a :class:`CaseError`.

The model's numbers for a real case are teaching assumptions, not measurements; facts carry their sources.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, create_model

from ._protocol import CASES_ENV
from ._text import humanize
from .constituency import Constituency
from .deal import Issue, Term
from .errors import CaseError
from .interventions import CATEGORIES, INTERVENTIONS, Intervention, apply_all
from .rules import RULE_PRESETS, RatificationRule, rule_preset
from .scenario import Scenario, Side
from .solutions import AgendaSetter, NashBargaining, SplitZOPA

__all__ = [
    "Case",
    "CaseError",
    "Problem",
    "CaseMove",
    "Prediction",
    "PREDICTION_ANSWERS",
    "Source",
    "format_citation",
    "Fact",
    "Role",
    "RoleBrief",
    "Session",
    "SessionStep",
    "load_case",
    "cases_dir",
    "list_cases",
    "MAX_BYTES",
    "ROLES",
]

#: Largest case file accepted.
MAX_BYTES = 256 * 1024

#: The kinds of checked exercise a case file can declare (see :mod:`levelii_kit.exercises`).
EXERCISE_KINDS = ("cheapest_set", "best_move", "numeric")

Num = Annotated[float, Strict(False), Field(allow_inf_nan=False)]
StrictNum = Annotated[Annotated[int, Strict()] | Annotated[float, Strict()], Field()]
Text = Annotated[str, Strict()]
Ident = Annotated[str, Strict(), Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")]
SourceId = Annotated[str, Strict(), Field(pattern=r"^[A-Za-z0-9_\-]+$")]


def _number(lo=None, hi=None, lo_open=False):
    kwargs = {}
    if lo is not None:
        kwargs["gt" if lo_open else "ge"] = lo
    if hi is not None:
        kwargs["le"] = hi
    return Annotated[Annotated[int, Strict()] | Annotated[float, Strict()], Field(allow_inf_nan=False, **kwargs)]


#: What a move is to the chapter: ``help`` (a helping move the helper chooses; the default), ``context`` (something
#: that happens to the situation rather than a move the helper chooses, e.g. the other side's hawks winning a veto)
#: or ``harm`` (a move that hurts, e.g. a gloat or an inflaming statement). Only ``help`` moves that are not
#: ``default`` make up a chapter's "with help" scenario (:func:`levelii_kit.chapter.check_parameters`).
ROLES = ("help", "context", "harm")

Finite = _number()
NonNeg = _number(0)
Unit = _number(0, 1)
Point = Finite | Annotated[list[Finite], Field(min_length=1, max_length=2)]


#: A source's year: a four-digit year, optionally with a letter or a range ("1990", "2009b", "1995-96"), or
#: "n.d." (no date), the author-date convention for an undated web page.
YearValue = (
    Annotated[int, Strict(), Field(ge=1000, le=2999)]
    | Annotated[str, Strict(), Field(pattern=r"^([12][0-9]{3}([a-z]|[-\u2013][0-9]{2,4})?|n\.d\.)$")]
)
#: Page numbers or a chapter reference, as text ("427-460", "ch. 21") or a single page number.
PagesValue = Annotated[int, Strict(), Field(ge=1)] | Annotated[Text, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, str_strip_whitespace=True)


class SourceSpec(_Model):
    """A source as written in the case file: an id, the citation and an optional web address."""

    id: SourceId
    citation: Annotated[Text, Field(min_length=3)] | None = None
    # --- structured citation (all optional for the loader; the repository's own cases give author, title, year)
    author: Annotated[Text, Field(min_length=1)] | None = None
    title: Annotated[Text, Field(min_length=1)] | None = None
    year: YearValue | None = None
    publisher: Annotated[Text, Field(min_length=1)] | None = None
    container: Annotated[Text, Field(min_length=1)] | None = None
    pages: PagesValue | None = None
    url: Annotated[Text, Field(pattern=r"^https?://\S+$")] | None = None


class FactSpec(_Model):
    """A sourced fact: its text, the ids of its sources, when it happened and whether it is verified."""

    id: SourceId
    text: Annotated[Text, Field(min_length=3)]
    sources: Annotated[list[SourceId], Field(min_length=1)]
    when: Text | None = None
    status: Literal["verified", "unverified"] = "verified"


class TimelineSpec(_Model):
    """A timeline entry: a date and the id of the fact it shows."""

    when: Text
    fact: SourceId


class IssueSpec(_Model):
    """A continuous issue of the deal: its name, label, range and what its two ends mean."""

    name: Ident
    label: Text = ""
    low_label: Text = ""
    high_label: Text = ""
    low: Finite = 0.0
    high: Finite = 1.0
    linked: Annotated[bool, Strict()] = True


class RuleSpec(_Model):
    """A side's ratification rule: a preset and/or its quota, softness, discretion and form."""

    preset: Literal[tuple(RULE_PRESETS)] | None = None  # type: ignore[valid-type]
    quota: _number(0, 1, lo_open=True) | None = None
    softness: NonNeg | None = None
    discretion: Unit | None = None
    form: Literal["share", "bloc"] | None = None


class ConstituencySpec(_Model):
    """A constituency: its model parameters (teaching assumptions), a note on why, and its sources."""

    name: Ident
    label: Text = ""
    strength: NonNeg = 1.0
    ideal: Point
    salience: NonNeg | Annotated[list[NonNeg], Field(min_length=1, max_length=2)] | None = None
    tolerance: NonNeg | None = None
    noise: NonNeg = 0.0
    threat: NonNeg = 0.0
    blocking: Unit = 0.0
    receptivity: _number(-1, 1) = 1.0
    payment: NonNeg = 0.0
    efficiency: _number(0, lo_open=True) = 1.0
    seated: Annotated[bool, Strict()] = True
    note: Text = ""
    sources: list[SourceId] = []


class SideSpec(_Model):
    """One side at the Level I table: its name, label, leader, rule and constituencies."""

    name: Ident
    label: Text = ""
    leader: Ident
    rule: RuleSpec = RuleSpec()
    constituencies: Annotated[list[ConstituencySpec], Field(min_length=1)]


class TermSpec(_Model):
    """A binary add-on term: its value to constituencies, its cost to sides, and its state."""

    name: Ident
    label: Text = ""
    values: dict[Ident, Finite] = {}
    costs: dict[Ident, NonNeg] = {}
    state: Literal["unavailable", "optional", "forced"] = "optional"
    note: Text = ""
    sources: list[SourceId] = []


def _field_type(tp):
    """Map an intervention dataclass field type to a strict pydantic type."""
    if tp in (float, "float"):
        return Finite
    if tp in (str, "str"):
        return Ident
    if tp in (bool, "bool"):
        return Annotated[bool, Strict()]
    text = str(tp)
    if "tuple" in text:
        return Point | None
    if "float" in text:
        return Finite | None
    return Any


_COMMON = {
    "id": (SourceId, ...),
    "label": (Text, ""),
    "actor": (Ident, ...),
    "cost": (NonNeg | None, None),
    "happened": (Text, ""),
    "sources": (list[SourceId], []),
    "category": (Literal[CATEGORIES] | None, None),
    "default": (Annotated[bool, Strict()], False),
    "role": (Literal[ROLES], "help"),  # type: ignore[valid-type]
}


def _move_models():
    models = []
    for name, cls in INTERVENTIONS.items():
        hints = typing.get_type_hints(cls)
        fields = dict(_COMMON)
        for f in dataclasses.fields(cls):
            fname = f.name
            if fname in ("actor", "cost", "label"):
                continue
            default = f.default
            fields[fname] = (
                _field_type(hints[fname]),
                ... if fname in ("target", "side", "term", "issue") else default,
            )
        fields["type"] = (Literal[name], ...)
        models.append(create_model(f"{name}Spec", __base__=_Model, **fields))
    return models


_MOVE_MODELS = _move_models()
MoveSpec = Annotated[Union[tuple(_MOVE_MODELS)], Field(discriminator="type")]  # type: ignore[valid-type]  # noqa: UP007


class SolutionSpec(_Model):
    """The Level I solution concept and its parameter."""

    type: Literal["NashBargaining", "SplitZOPA", "AgendaSetter"] = "NashBargaining"
    alpha: _number(0, 1, lo_open=True) | None = None
    beta: Unit | None = None
    proposer: Ident | None = None


class ModelSpec(_Model):
    """Model-wide settings: the solution, the loss exponent, the confidence and the smallest chance of a deal."""

    solution: SolutionSpec = SolutionSpec()
    gamma: Literal[1, 2] = 1
    confidence: _number(0, 1, lo_open=True) = 0.5
    min_probability: _number(0, 1, lo_open=True) = 0.05


class ExerciseSpec(_Model):
    """An exercise: an id and a prompt; the fields of its kind are checked with the cross-references."""

    model_config = ConfigDict(extra="allow", frozen=True, allow_inf_nan=False)
    id: SourceId
    prompt: Annotated[Text, Field(min_length=3)]


# ------------------------------------------------------------------ teaching: roles and session (spec)
# Role briefs and a session plan for a class role-play (``levelii handouts``). Both are optional.
PositiveInt = Annotated[int, Strict(), Field(ge=1)]
Prose = Annotated[Text, Field(min_length=3)]


class RoleBriefSpec(_Model):
    """The confidential brief of a role: five parts, each in the author's own words."""

    wants: Prose
    fears: Prose
    knows: Prose
    may_concede: Prose
    home_accepts: Prose


class RoleSpec(_Model):
    """A role for a class role-play: who it is, which side it stands on, and its confidential brief."""

    id: SourceId
    title: Prose
    side: Ident
    constituency: Ident | None = None
    brief: RoleBriefSpec
    sources: Annotated[list[SourceId], Field(min_length=1)]
    reservation: Finite | Annotated[list[Finite], Field(min_length=1, max_length=2)] | None = None


class SessionStepSpec(_Model):
    """One step of a class session's timing: how many minutes, doing what."""

    minutes: PositiveInt
    activity: Prose


class SessionSpec(_Model):
    """The plan of one class session: length, group size, timing, logistics and what to collect."""

    minutes: Annotated[int, Strict(), Field(ge=1, le=600)]
    group_size: Annotated[int, Strict(), Field(ge=2, le=60)]
    timing: Annotated[list[SessionStepSpec], Field(min_length=1)]
    logistics: Prose
    collect: Prose | Annotated[list[Prose], Field(min_length=1)]


# ------------------------------------------------------------------ end of roles and session (spec)

# ------------------------------------------------------------------ prediction prompts (teaching.predictions)
#: Which kinds of answer each revealed quantity allows (a reader cannot say yes or no to a point on the issue).
PREDICTION_ANSWERS = {"side": ("yes_no", "probability"), "joint": ("yes_no", "probability"), "outcome": ("point",)}


class PredictionSpec(_Model):
    """One prediction prompt: what the reader predicts, in which setting, and how they answer."""

    id: SourceId
    prompt: Annotated[Text, Field(min_length=3)]
    quantity: Literal["side", "joint", "outcome"]
    side: Ident | None = None
    moves: list[SourceId] = []
    strengths: dict[Ident, NonNeg] = {}
    answer: Literal["yes_no", "probability", "point"]
    explain: Text = ""


# ------------------------------------------------------------------------------------------------------------
class TeachingSpec(_Model):
    """The teaching material: learning goals, debrief questions, instructor notes, assumptions, exercises."""

    learning_goals: list[Text] = []
    debrief: list[Text] = []
    instructor_notes: list[Text] = []
    assumptions: list[Text] = []
    exercises: list[ExerciseSpec] = []
    roles: list[RoleSpec] = []  # optional: role briefs for a role-play (see RoleSpec)
    session: SessionSpec | None = None  # optional: the session plan (see SessionSpec)
    predictions: list[PredictionSpec] = []


class CaseSpec(_Model):
    """The whole case file, as pydantic validates its structure."""

    slug: SourceId | None = None
    title: Annotated[Text, Field(min_length=1)]
    part: Text = "Cases"
    order: Annotated[int, Strict()] = 99
    period: Text = ""
    summary: Text = ""
    categories_shown: list[Literal[CATEGORIES]] = []
    sources: list[SourceSpec] = []
    facts: list[FactSpec] = []
    timeline: list[TimelineSpec] = []
    issues: Annotated[list[IssueSpec], Field(min_length=1, max_length=2)]
    status_quo: Finite | Annotated[list[Finite], Field(min_length=1, max_length=2)] | None = None
    sides: Annotated[list[SideSpec], Field(min_length=2, max_length=2)]
    terms: list[TermSpec] = []
    interventions: list[MoveSpec] = []  # type: ignore[valid-type]
    model: ModelSpec = ModelSpec()
    teaching: TeachingSpec = TeachingSpec()


# ------------------------------------------------------------------------------------------- the Case
@dataclass(frozen=True)
class Problem:
    """One thing wrong with a case file."""

    file: str
    path: str
    message: str

    def __str__(self):
        where = f"{self.file}: {self.path}: " if self.path else f"{self.file}: "
        return where + self.message


@dataclass(frozen=True)
class Source:
    """A source: id, citation and (optional) URL, with the structured fields the citation was made from.

    Attributes
    ----------
    id : str
    citation : str
        The full reference as text: as written in the case file, or composed by :func:`format_citation` from
        the structured fields when the case file gives none.
    url : str or None
        The publisher's, archive's or library's own address, if any.
    author, title, year, publisher, container, pages : str or None
        The structured citation (``container``: the journal, book or site the item appears in). ``year`` is
        kept as text (``"1990"``, ``"2009b"``).
    """

    id: str
    citation: str
    url: str | None = None
    author: str | None = None
    title: str | None = None
    year: str | None = None
    publisher: str | None = None
    container: str | None = None
    pages: str | None = None


def format_citation(author=None, title=None, year=None, publisher=None, container=None, pages=None) -> str:
    """Compose a reference from structured fields: ``Author (Year). Title. Container: pages. Publisher.``

    The layout follows the author-date style the case files use (e.g. Putnam 1988 as in the README's
    references). Missing fields are left out.

    Parameters
    ----------
    author, title, publisher, container : str, optional
    year : str or int, optional
    pages : str or int, optional
        Page numbers (``"427-460"``) or a chapter reference (``"ch. 11"``).

    Returns
    -------
    str

    Examples
    --------
    >>> format_citation("Putnam, R. D.", "Diplomacy and Domestic Politics", 1988,
    ...                 container="International Organization 42(3)", pages="427-460")
    'Putnam, R. D. (1988). Diplomacy and Domestic Politics. International Organization 42(3): 427-460.'
    >>> format_citation("Sarotte, M. E.", "1989: The Struggle to Create Post-Cold War Europe", 2009,
    ...                 publisher="Princeton University Press")
    'Sarotte, M. E. (2009). 1989: The Struggle to Create Post-Cold War Europe. Princeton University Press.'
    """

    def end(text):
        text = str(text).strip()
        return text if text.endswith((".", "?", "!")) else text + "."

    parts = []
    if author and year is not None:
        parts.append(f"{str(author).strip()} ({year}).")
    elif author:
        parts.append(end(author))
    elif year is not None:
        parts.append(f"({year}).")
    if title:
        parts.append(end(title))
    page_text = None if pages is None else str(pages).strip()
    if container:
        parts.append(end(f"{str(container).strip()}: {page_text}" if page_text else str(container)))
    elif page_text:
        parts.append(end(page_text if page_text[:1].isalpha() else f"pp. {page_text}"))
    if publisher:
        parts.append(end(publisher))
    return " ".join(parts)


@dataclass(frozen=True)
class Fact:
    """A sourced factual claim; ``status`` is ``verified`` or ``unverified``."""

    id: str
    text: str
    sources: tuple[str, ...]
    when: str | None = None
    status: str = "verified"


@dataclass(frozen=True)
class CaseMove:
    """A move of a case: the intervention plus its story.

    Attributes
    ----------
    id, label : str
    move : Intervention
    happened : str
        What happened, in the case file's words.
    sources : tuple of str
    default : bool
        Already on in the chapter's baseline (it happened before the helping moves).
    role : {"help", "context", "harm"}
        ``help``: a helping move the helper chooses; ``context``: something that happens to the situation;
        ``harm``: a move that hurts (see :data:`ROLES`).
    """

    id: str
    label: str
    move: Intervention
    happened: str = ""
    sources: tuple[str, ...] = ()
    default: bool = False
    role: str = "help"

    @property
    def category(self) -> str:
        """The family the intervention type declares (the casebook's grouping of Sebenius's examples)."""
        return self.move.category


# ------------------------------------------------------------------ teaching: roles and session (objects)
@dataclass(frozen=True)
class RoleBrief:
    """A role's confidential brief, in five parts.

    Attributes
    ----------
    wants, fears : str
        What the role wants from the negotiation, and what it fears.
    knows : str
        What it knows that the other roles do not.
    may_concede : str
        What it may give up.
    home_accepts : str
        What its people at home (or the role itself, for a constituency) will accept.

    Notes
    -----
    The parts follow what a confidential role instruction in a negotiation teaching package holds
    (Program on Negotiation role-play packages; see the project's research note on teaching anchors).
    """

    wants: str
    fears: str
    knows: str
    may_concede: str
    home_accepts: str

    #: The parts in reading order, with the heading a handout prints above each.
    PARTS: typing.ClassVar[tuple[tuple[str, str], ...]] = (
        ("wants", "What you want"),
        ("fears", "What you fear"),
        ("knows", "What you know that the others do not"),
        ("may_concede", "What you may concede"),
        ("home_accepts", "What your people at home will accept"),
    )

    def parts(self) -> tuple[tuple[str, str], ...]:
        """``(heading, text)`` pairs in reading order."""
        return tuple((heading, getattr(self, key)) for key, heading in self.PARTS)


@dataclass(frozen=True)
class Role:
    """A role in a class role-play of the case: who plays it, and its confidential brief.

    Attributes
    ----------
    id, title : str
    side : str
        A side of the case, or (``third_party`` true) a third-party actor named by the case's moves,
        such as a mediator.
    constituency : str or None
        The model constituency the role speaks for: the side's leader for a negotiator, another
        constituency of the same side for a role behind the table; None for a negotiator who speaks
        for the side as a whole and for a third party.
    brief : RoleBrief
    sources : tuple of str
        Source ids of the case that ground the brief.
    reservation : tuple of float or None
        The role's reservation point on the case's issue(s), in the model's units (a teaching
        assumption when it comes from the model's parameters).
    at_table : bool
        True for a negotiator (no constituency, the side's leader, or a third party), False for a role
        behind the table.
    third_party : bool
        True when ``side`` names a third-party actor rather than a side.
    """

    id: str
    title: str
    side: str
    constituency: str | None
    brief: RoleBrief
    sources: tuple[str, ...]
    reservation: tuple[float, ...] | None = None
    at_table: bool = True
    third_party: bool = False


@dataclass(frozen=True)
class SessionStep:
    """One step of a session plan: its length in minutes and what happens."""

    minutes: int
    activity: str


@dataclass(frozen=True)
class Session:
    """A plan for one class session of the case's role-play.

    Attributes
    ----------
    minutes : int
        Total length; equal to the sum of the steps' minutes.
    group_size : int
        Students per negotiating group.
    timing : tuple of SessionStep
    logistics : str
    collect : tuple of str
        What the instructor collects at the end.
    """

    minutes: int
    group_size: int
    timing: tuple[SessionStep, ...]
    logistics: str
    collect: tuple[str, ...]


# ------------------------------------------------------------------ end of roles and session (objects)


@dataclass(frozen=True)
class Prediction:
    """A prediction prompt of a case (``teaching.predictions``): the reader commits a guess, then the model reveals.

    Attributes
    ----------
    id : str
        Unique within the case.
    prompt : str
        The question put to the reader.
    quantity : {"side", "joint", "outcome"}
        What the model reveals: the chance that ``side`` ratifies, the chance of agreement at the Level I outcome
        (0 when there is no deal), or the outcome's point on the (first) issue.
    side : str or None
        The side's name; set exactly when ``quantity`` is ``"side"``.
    moves : tuple of str
        Moves switched on besides the case's default moves.
    strengths : types.MappingProxyType
        Constituency strength overrides.
    answer : {"yes_no", "probability", "point"}
        How the reader answers: yes or no (the model says yes at a chance of 50% or more), a chance in [0, 1], or
        a point on the issue within its range.
    explain : str
        Shown after the reveal.

    Notes
    -----
    :mod:`levelii_kit.predictions` computes the reveal with the model. Predict-then-reveal is a standard teaching
    device in classroom experiments ("What do you predict will happen?" before play; see the MobLab and Veconlab
    practice summarised in the project's research notes).
    """

    id: str
    prompt: str
    quantity: str
    answer: str
    side: str | None = None
    moves: tuple[str, ...] = ()
    strengths: Any = field(default_factory=lambda: types.MappingProxyType({}))
    explain: str = ""


@dataclass(frozen=True)
class Case:
    """A validated case: the story, the baseline scenario, the moves and the teaching material.

    Attributes
    ----------
    slug, title, part, order, period, summary : str
    categories_shown : tuple of str
    sources : tuple of Source
    facts : tuple of Fact
    timeline : tuple of (str, str)
        ``(when, fact id)`` pairs.
    scenario : Scenario
        The baseline (every move off).
    moves : tuple of CaseMove
    teaching : types.MappingProxyType
        learning_goals, debrief, instructor_notes, assumptions, exercises.
    path : pathlib.Path
    notes : types.MappingProxyType
        Per-constituency notes (why these numbers).
    roles : tuple of Role
        Role briefs for a class role-play (``teaching.roles``; empty when the file has none).
    session : Session or None
        The session plan (``teaching.session``), if the file has one.
    predictions : tuple of Prediction
        The prediction prompts (``teaching.predictions``), in file order.
    """

    slug: str
    title: str
    part: str
    order: int
    period: str
    summary: str
    categories_shown: tuple[str, ...]
    sources: tuple[Source, ...]
    facts: tuple[Fact, ...]
    timeline: tuple[tuple[str, str], ...]
    scenario: Scenario
    moves: tuple[CaseMove, ...]
    teaching: Any
    path: Path
    notes: Any = field(default_factory=lambda: types.MappingProxyType({}))
    roles: tuple[Role, ...] = ()  # teaching.roles (optional)
    session: Session | None = None  # teaching.session (optional)
    predictions: tuple[Prediction, ...] = ()

    def prediction(self, prediction_id: str) -> Prediction:
        """Return a prediction prompt by id."""
        for p in self.predictions:
            if p.id == prediction_id:
                return p
        ids = [p.id for p in self.predictions]
        raise KeyError(f"case {self.slug!r} has no prediction {prediction_id!r}; predictions: {ids}")

    def move(self, move_id: str) -> CaseMove:
        """Return a move by id."""
        for m in self.moves:
            if m.id == move_id:
                return m
        raise KeyError(f"case {self.slug!r} has no move {move_id!r}; moves are {[m.id for m in self.moves]}")

    def role(self, role_id: str) -> Role:
        """Return a role by id."""
        for r in self.roles:
            if r.id == role_id:
                return r
        raise KeyError(f"case {self.slug!r} has no role {role_id!r}; roles are {[r.id for r in self.roles]}")

    @property
    def move_ids(self) -> tuple[str, ...]:
        """Ids of the case's moves, in file order."""
        return tuple(m.id for m in self.moves)

    def scenario_with(self, moves=(), strengths=None) -> Scenario:
        """The baseline with some constituencies' strengths overridden, then the given moves applied.

        Parameters
        ----------
        moves : iterable of str
            Move ids, applied in the case file's order.
        strengths : mapping of str to float, optional
            Constituency name to strength.

        Returns
        -------
        Scenario
        """
        scenario = self.scenario
        for name, value in dict(strengths or {}).items():
            scenario = scenario.with_constituency(name, strength=float(value))
        wanted = set(moves)
        unknown = wanted - set(self.move_ids)
        if unknown:
            raise KeyError(f"case {self.slug!r} has no move(s) {sorted(unknown)}")
        return apply_all(scenario, [m.move for m in self.moves if m.id in wanted])


# ------------------------------------------------------------------------------------------- loading
class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases (no alias bombs, no shared structure)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, f"YAML aliases (*{event.anchor}) are not allowed in case files", event.start_mark
            )
        return super().compose_node(parent, index)


def cases_dir() -> Path:
    """The folder that holds the case folders: ``$LEVELII_CASES``, else ``cases/`` beside the package."""
    env = os.environ.get(CASES_ENV)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "cases"


def list_cases(root: Path | None = None) -> list[Path]:
    """Paths of every ``case.yaml`` under ``root`` (default :func:`cases_dir`), sorted."""
    root = cases_dir() if root is None else Path(root)
    return sorted(root.glob("*/case.yaml"))


def _resolve(slug_or_path) -> Path:
    p = Path(slug_or_path)
    if p.is_dir():
        p = p / "case.yaml"
    if p.exists():
        return p
    if isinstance(slug_or_path, str) and "/" not in slug_or_path and not slug_or_path.endswith((".yaml", ".yml")):
        candidate = cases_dir() / slug_or_path / "case.yaml"
        if candidate.exists():
            return candidate
        known = ", ".join(q.parent.name for q in list_cases()) or "none"
        raise CaseError([Problem(str(slug_or_path), "", f"no such case; known cases: {known}")])
    raise CaseError([Problem(str(slug_or_path), "", "file not found")])


_BRANCH = re.compile(
    r"^(int|float|bool|str|none|list\[.*\]|union\[.*\]|function-.*|constrained-.*|literal\[.*\]"
    r"|dict\[.*\]|json-or-python\[.*\]|nullable\[.*\]|tagged-union\[.*\])$"
)


def _path(loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in INTERVENTIONS or _BRANCH.match(str(part)):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out


def _message(err) -> str:
    kind = err["type"]
    value = err.get("input")
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling; see the README for the schema)"
    if kind in ("finite_number",):
        return f"expected a finite number, got {shown}"
    if kind == "union_tag_invalid":
        return f"unknown intervention type {err.get('ctx', {}).get('tag')!r}; expected one of {sorted(INTERVENTIONS)}"
    if kind == "union_tag_not_found":
        return f"missing 'type'; expected one of {sorted(INTERVENTIONS)}"
    return f"{err['msg']} (got {shown})"


def _dedupe(errors):
    """Collapse the per-branch errors pydantic reports for unions into one message per field."""
    by_path = {}
    for err in errors:
        path = _path(err["loc"])
        msg = _message(err)
        if isinstance(err.get("input"), float) and not math.isfinite(err["input"]):
            msg = f"expected a finite number, got {err['input']!r}"
        by_path.setdefault(path, [])
        if msg not in by_path[path]:
            by_path[path].append(msg)
    out = []
    for path, msgs in by_path.items():
        numeric = [m for m in msgs if "valid integer" in m or "valid number" in m]
        if numeric and len(numeric) == len(msgs):
            got = numeric[0].rsplit("(got ", 1)[-1].rstrip(")")
            out.append((path, f"expected a number, got {got}"))
        elif any(m.startswith("expected a finite number") for m in msgs):
            out.append((path, next(m for m in msgs if m.startswith("expected a finite number"))))
        else:
            out.append((path, msgs[0] if len(msgs) == 1 else "; or ".join(msgs[:2])))
    return out


def _read(path: Path, problems, name):
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.append(Problem(name, "", f"cannot read: {exc.strerror}"))
        return None
    if size > MAX_BYTES:
        problems.append(Problem(name, "", f"file is {size} bytes; case files must be at most {MAX_BYTES} bytes"))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(name, "", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})"))
        return None
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(Problem(name, where, f"YAML error: {exc.problem or exc.context}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(name, "", f"YAML error: {exc}"))
        return None
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        problems.append(
            Problem(name, "", f"the document must be a mapping of fields (title:, sides:, ...), got {kind}")
        )
        return None
    return data


def _items(data, key):
    value = data.get(key) if isinstance(data, dict) else None
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)] if isinstance(value, list) else []


def _cross_check(data: dict, path: Path, problems, name):
    """Cross-reference checks on the raw document; tolerant of structural errors reported elsewhere."""

    def bad(where, msg):
        problems.append(Problem(name, where, msg))

    slug = data.get("slug")
    if isinstance(slug, str) and path.name == "case.yaml" and slug != path.parent.name:
        bad("slug", f"must equal the folder name {path.parent.name!r} (got {slug!r})")
    issues = _items(data, "issues")
    k = len(issues)

    def ids(key, field="id", where=None):
        where = where or key
        container = data
        for part in key.split("."):
            container = container.get(part, {}) if isinstance(container, dict) else {}
        items = [(i, v) for i, v in enumerate(container) if isinstance(v, dict)] if isinstance(container, list) else []
        seen = {}
        for i, item in items:
            value = item.get(field)
            if not isinstance(value, str):
                continue
            if value in seen:
                bad(f"{where}[{i}].{field}", f"duplicate {field} {value!r} (first at {where}[{seen[value]}])")
            else:
                seen[value] = i
        return set(seen)

    source_ids = ids("sources")
    for i, src in _items(data, "sources"):
        if not src.get("citation") and not src.get("title"):
            bad(f"sources[{i}]", "give a citation, or the structured fields author, title and year")
    fact_ids = ids("facts")
    issue_names = ids("issues", "name")
    side_names = ids("sides", "name")
    term_names = ids("terms", "name")
    ids("interventions")
    ids("teaching.exercises")

    def refs(item, where):
        listed = item.get("sources", [])
        for j, sid in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(sid, str) and sid not in source_ids:
                bad(f"{where}.sources[{j}]", f"unknown source id {sid!r}; listed sources: {sorted(source_ids)}")

    for i, f in _items(data, "facts"):
        refs(f, f"facts[{i}]")
    for i, t in _items(data, "timeline"):
        if isinstance(t.get("fact"), str) and t["fact"] not in fact_ids:
            bad(f"timeline[{i}].fact", f"unknown fact id {t['fact']!r}")
    num = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)  # noqa: E731
    for i, issue in issues:
        lo, hi = issue.get("low", 0.0), issue.get("high", 1.0)
        if num(lo) and num(hi) and not lo < hi:
            bad(f"issues[{i}].high", f"must be above low ({lo})")
    sq = data.get("status_quo")
    if sq is not None:
        sq_list = sq if isinstance(sq, list) else [sq]
        if len(sq_list) != k:
            bad("status_quo", f"expected {k} value(s), one per issue, got {len(sq_list)}")
    names = {}
    for si, side in _items(data, "sides"):
        local = set()
        members = _items(side, "constituencies")
        for ci, c in members:
            where = f"sides[{si}].constituencies[{ci}]"
            cname = c.get("name")
            if isinstance(cname, str):
                if cname in names:
                    bad(f"{where}.name", f"duplicate constituency name {cname!r} (first at {names[cname]})")
                else:
                    names[cname] = where
                local.add(cname)
            ideal = c.get("ideal")
            if ideal is not None:
                n_ideal = len(ideal) if isinstance(ideal, list) else 1
                if n_ideal != k and k:
                    bad(f"{where}.ideal", f"expected {k} value(s), one per issue, got {n_ideal}")
            if isinstance(c.get("salience"), list) and len(c["salience"]) != k and k:
                bad(f"{where}.salience", f"expected {k} value(s), one per issue, got {len(c['salience'])}")
            if c.get("tolerance") is None and sq is None:
                bad(f"{where}.tolerance", "required unless the case gives a status_quo")
            refs(c, where)
        leader = side.get("leader")
        if isinstance(leader, str) and members and leader not in local:
            bad(f"sides[{si}].leader", f"{leader!r} is not one of this side's constituencies {sorted(local)}")
        if members and not any(
            c.get("seated", True) is not False and num(c.get("strength", 1.0)) and c.get("strength", 1.0) > 0
            for _, c in members
        ):
            bad(f"sides[{si}].constituencies", "at least one constituency must be seated with strength > 0")
    for ti, t in _items(data, "terms"):
        for key, pool, what in (("values", names, "constituency"), ("costs", side_names, "side")):
            mapping = t.get(key, {})
            for who in mapping if isinstance(mapping, dict) else {}:
                if who not in pool:
                    bad(f"terms[{ti}].{key}.{who}", f"unknown {what} {who!r}; expected one of {sorted(pool)}")
        refs(t, f"terms[{ti}]")
    for mi, mv in _items(data, "interventions"):
        where = f"interventions[{mi}]"
        cls = INTERVENTIONS.get(mv.get("type"))
        if cls is not None and mv.get("category") not in (None, cls.category) and mv.get("category") in CATEGORIES:
            bad(f"{where}.category", f"{cls.__name__} is a {cls.category!r} move, not {mv['category']!r}")
        for attr, pool, what in (
            ("target", names, "constituency"),
            ("side", side_names, "side"),
            ("term", term_names, "term"),
            ("issue", issue_names, "issue"),
        ):
            value = mv.get(attr)
            if isinstance(value, str) and value not in pool:
                bad(f"{where}.{attr}", f"unknown {what} {value!r}; expected one of {sorted(pool)}")
        if mv.get("type") == "Restraint" and isinstance(mv.get("actor"), str) and mv["actor"] not in side_names:
            bad(f"{where}.actor", f"Restraint is made by a side at the table; expected one of {sorted(side_names)}")
        refs(mv, where)
    move_ids = {mv.get("id") for _, mv in _items(data, "interventions")}
    teaching = data.get("teaching") if isinstance(data.get("teaching"), dict) else {}
    for ei, ex in _items(teaching, "exercises"):
        where = f"teaching.exercises[{ei}]"
        kind = ex.get("kind")
        if kind is None:
            continue
        if kind not in EXERCISE_KINDS:
            bad(f"{where}.kind", f"unknown kind {kind!r}; expected one of {', '.join(EXERCISE_KINDS)}")
        for key in ("given", "moves"):
            for j, mid in enumerate(ex.get(key) or []):
                if mid not in move_ids:
                    bad(
                        f"{where}.{key}[{j}]",
                        f"unknown move {mid!r}; expected one of {sorted(m for m in move_ids if m)}",
                    )
        if ex.get("costs", "all") not in ("all", "helper"):
            bad(f"{where}.costs", f"expected 'all' or 'helper', got {ex.get('costs')!r}")
        side = ex.get("side")
        if side is not None and side != "joint" and side not in side_names:
            bad(f"{where}.side", f"expected 'joint' or one of {sorted(side_names)}, got {side!r}")
        for key in ("threshold", "tolerance"):
            value = ex.get(key)
            if value is not None and not (num(value) and 0 < value <= 1):
                bad(f"{where}.{key}", f"expected a number in (0, 1], got {value!r}")
        strengths = ex.get("strengths") or {}
        for who in strengths if isinstance(strengths, dict) else []:
            if who not in names:
                bad(f"{where}.strengths.{who}", f"unknown constituency {who!r}")
    _check_predictions(data, bad, names, side_names, move_ids)
    model = data.get("model")
    sol = model.get("solution") if isinstance(model, dict) else None
    if isinstance(sol, dict) and isinstance(sol.get("proposer"), str) and sol["proposer"] not in side_names:
        bad("model.solution.proposer", f"unknown side {sol['proposer']!r}; expected one of {sorted(side_names)}")
    _check_roles_and_session(data, problems, name)


# ------------------------------------------------------------------ teaching: roles and session (checks)
_ROLE_PATH = re.compile(r"^teaching\.roles\[(\d+)\]")


def _role_where(roles, i) -> str:
    """``teaching.roles[i] (id)``: the path of a role, with its id when it has one."""
    rid = roles[i].get("id") if 0 <= i < len(roles) and isinstance(roles[i], dict) else None
    return f"teaching.roles[{i}]" + (f" ({rid})" if isinstance(rid, str) else "")


def _label_role_paths(data, problems):
    """Name the role in every problem under ``teaching.roles[i]`` (``teaching.roles[2] (soviet_military)...``)."""
    teaching = data.get("teaching") if isinstance(data, dict) else None
    roles = teaching.get("roles") if isinstance(teaching, dict) else None
    if not isinstance(roles, list):
        return problems
    out = []
    for prob in problems:
        m = _ROLE_PATH.match(prob.path)
        if m and not prob.path[m.end() :].startswith(" ("):
            prob = Problem(prob.file, _role_where(roles, int(m.group(1))) + prob.path[m.end() :], prob.message)
        out.append(prob)
    return out


def _check_roles_and_session(data: dict, problems, name):
    """Cross-reference checks for ``teaching.roles`` and ``teaching.session`` (both optional).

    A role's side must be a side of the case (or a third-party actor named by the case's moves, such as
    a mediator); its constituency must belong to that side; its sources must be listed; ids are unique;
    a reservation has one value per issue, each within the issue's range. A session's steps must add up
    to its minutes.
    """

    def bad(where, msg):
        problems.append(Problem(name, where, msg))

    teaching = data.get("teaching") if isinstance(data.get("teaching"), dict) else {}
    source_ids = {s.get("id") for _, s in _items(data, "sources") if isinstance(s.get("id"), str)}
    sides = {}
    for _, side in _items(data, "sides"):
        if isinstance(side.get("name"), str):
            sides[side["name"]] = [
                c.get("name") for _, c in _items(side, "constituencies") if isinstance(c.get("name"), str)
            ]
    actors = sorted(
        {mv.get("actor") for _, mv in _items(data, "interventions") if isinstance(mv.get("actor"), str)} - set(sides)
    )
    issues = [issue for _, issue in _items(data, "issues")]
    roles = teaching.get("roles") if isinstance(teaching.get("roles"), list) else []
    seen = {}
    for i, role in _items(teaching, "roles"):
        where = _role_where(roles, i)
        rid = role.get("id")
        if isinstance(rid, str):
            if rid in seen:
                bad(f"{where}.id", f"duplicate role id {rid!r} (first at {_role_where(roles, seen[rid])})")
            else:
                seen[rid] = i
        side = role.get("side")
        constituency = role.get("constituency")
        if isinstance(side, str):
            if side in sides:
                members = sides[side]
                if isinstance(constituency, str) and constituency not in members:
                    bad(
                        f"{where}.constituency",
                        f"unknown constituency {constituency!r} of side {side}; expected one of {members}",
                    )
            elif side in actors:
                if constituency is not None:
                    bad(
                        f"{where}.constituency",
                        f"{side!r} is a third-party actor, not a side, so its role has no constituency",
                    )
            else:
                extra = f" or a third-party actor of the case's moves {actors}" if actors else ""
                bad(f"{where}.side", f"unknown side {side!r}; expected one of {sorted(sides)}{extra}")
        listed = role.get("sources")
        for j, sid in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(sid, str) and sid not in source_ids:
                bad(f"{where}.sources[{j}]", f"unknown source id {sid!r}; listed sources: {sorted(source_ids)}")
        reservation = role.get("reservation")
        if reservation is not None and issues:
            values = reservation if isinstance(reservation, list) else [reservation]
            if len(values) != len(issues):
                bad(f"{where}.reservation", f"expected {len(issues)} value(s), one per issue, got {len(values)}")
            else:
                for k, (value, issue) in enumerate(zip(values, issues)):
                    lo, hi = issue.get("low", 0.0), issue.get("high", 1.0)
                    number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
                    ranged = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lo, hi))
                    if number and ranged and not lo <= value <= hi:
                        at = f"{where}.reservation" + (f"[{k}]" if isinstance(reservation, list) else "")
                        bad(at, f"must lie within the range of issue {issue.get('name')!r}, [{lo}, {hi}]; got {value}")
    session = teaching.get("session")
    if isinstance(session, dict) and isinstance(session.get("timing"), list):
        steps = [s.get("minutes") for _, s in _items(session, "timing")]
        total = session.get("minutes")
        ints = lambda v: isinstance(v, int) and not isinstance(v, bool)  # noqa: E731
        if steps and all(ints(m) for m in steps) and ints(total) and sum(steps) != total:
            bad(
                "teaching.session.timing",
                f"the steps add up to {sum(steps)} minutes, but teaching.session.minutes is {total}",
            )


def _build_roles_and_session(spec: CaseSpec):
    """The Role and Session objects of a validated spec."""
    leaders = {s.name: s.leader for s in spec.sides}
    roles = []
    for r in spec.teaching.roles:
        third_party = r.side not in leaders
        reservation = None
        if r.reservation is not None:
            values = r.reservation if isinstance(r.reservation, list) else [r.reservation]
            reservation = tuple(float(v) for v in values)
        roles.append(
            Role(
                id=r.id,
                title=r.title,
                side=r.side,
                constituency=r.constituency,
                brief=RoleBrief(**r.brief.model_dump()),
                sources=tuple(r.sources),
                reservation=reservation,
                at_table=third_party or r.constituency in (None, leaders[r.side]),
                third_party=third_party,
            )
        )
    session = None
    sp = spec.teaching.session
    if sp is not None:
        collect = (sp.collect,) if isinstance(sp.collect, str) else tuple(sp.collect)
        steps = tuple(SessionStep(step.minutes, step.activity) for step in sp.timing)
        session = Session(sp.minutes, sp.group_size, steps, sp.logistics, collect)
    return tuple(roles), session


# ------------------------------------------------------------------ end of roles and session (checks)


def _check_predictions(data: dict, bad, names, side_names, move_ids):
    """Cross-checks of ``teaching.predictions``: ids, sides, moves, constituencies, and answer against quantity."""
    teaching = data.get("teaching") if isinstance(data.get("teaching"), dict) else {}
    defaults = {mv.get("id") for _, mv in _items(data, "interventions") if mv.get("default") is True and mv.get("id")}
    seen = {}
    for pi, pr in _items(teaching, "predictions"):
        where = f"teaching.predictions[{pi}]"
        pid = pr.get("id")
        if isinstance(pid, str):
            if pid in seen:
                bad(f"{where}.id", f"duplicate id {pid!r} (first at teaching.predictions[{seen[pid]}])")
            else:
                seen[pid] = pi
        quantity, side, answer = pr.get("quantity"), pr.get("side"), pr.get("answer")
        if quantity == "side":
            if side is None:
                bad(f"{where}.side", f"required when quantity is side; expected one of {sorted(side_names)}")
            elif isinstance(side, str) and side not in side_names:
                bad(f"{where}.side", f"unknown side {side!r}; expected one of {sorted(side_names)}")
        elif quantity in PREDICTION_ANSWERS and side is not None:
            bad(f"{where}.side", f"only used when quantity is side (quantity is {quantity!r}); remove it")
        allowed = PREDICTION_ANSWERS.get(quantity)
        if (
            allowed
            and isinstance(answer, str)
            and answer in ("yes_no", "probability", "point")
            and answer not in allowed
        ):
            bad(
                f"{where}.answer",
                f"answer {answer!r} is not allowed for quantity {quantity!r}; expected {' or '.join(allowed)}",
            )
        listed = pr.get("moves")
        done = set()
        for j, mid in enumerate(listed if isinstance(listed, list) else []):
            if not isinstance(mid, str):
                continue
            if mid not in move_ids:
                bad(f"{where}.moves[{j}]", f"unknown move {mid!r}; expected one of {sorted(m for m in move_ids if m)}")
            elif mid in defaults:
                bad(f"{where}.moves[{j}]", f"{mid!r} is a default move, already on; list only the moves added to it")
            elif mid in done:
                bad(f"{where}.moves[{j}]", f"move {mid!r} is listed twice")
            done.add(mid)
        strengths = pr.get("strengths")
        for who in strengths if isinstance(strengths, dict) else []:
            if who not in names:
                bad(f"{where}.strengths.{who}", f"unknown constituency {who!r}; expected one of {sorted(names)}")


def _build(spec: CaseSpec, path: Path, problems, name) -> Case | None:
    def point(v):
        return tuple(v) if isinstance(v, list) else (v,)

    k = len(spec.issues)
    sides = []
    try:
        issues = tuple(
            Issue(i.name, i.label or humanize(i.name), i.low, i.high, i.low_label, i.high_label, i.linked)
            for i in spec.issues
        )
        for s in spec.sides:
            r = s.rule
            fields = {
                f: getattr(r, f) for f in ("quota", "softness", "discretion", "form") if getattr(r, f) is not None
            }
            rule = rule_preset(r.preset, **fields) if r.preset else RatificationRule(**fields)
            members = tuple(
                Constituency(
                    c.name,
                    ideal=point(c.ideal),
                    strength=c.strength,
                    tolerance=c.tolerance,
                    salience=point(c.salience) if c.salience is not None else (1.0,) * k,
                    noise=c.noise,
                    threat=c.threat,
                    blocking=c.blocking,
                    receptivity=c.receptivity,
                    payment=c.payment,
                    efficiency=c.efficiency,
                    seated=c.seated,
                    label=c.label or humanize(c.name),
                )
                for c in s.constituencies
            )
            sides.append(Side(s.name, members, s.leader, rule, s.label or humanize(s.name)))
        terms = tuple(Term(t.name, t.label or humanize(t.name), t.values, t.costs, t.state) for t in spec.terms)
        sol = spec.model.solution
        if sol.type == "SplitZOPA":
            solution = SplitZOPA(0.5 if sol.beta is None else sol.beta)
        elif sol.type == "AgendaSetter":
            solution = AgendaSetter([s.name for s in spec.sides].index(sol.proposer) if sol.proposer else 0)
        else:
            solution = NashBargaining(0.5 if sol.alpha is None else sol.alpha)
        sq = spec.status_quo
        scenario = Scenario(
            issues,
            tuple(sides),
            terms,
            point(sq) if sq is not None else None,
            solution,
            spec.model.gamma,
            spec.model.confidence,
            spec.model.min_probability,
            spec.title,
        )
    except (ValueError, KeyError) as exc:
        problems.append(Problem(name, "", f"the model cannot be built: {exc}"))
        return None
    moves = []
    for mi, mv in enumerate(spec.interventions):
        cls = INTERVENTIONS[mv.type]
        kwargs = {
            f.name: getattr(mv, f.name) for f in dataclasses.fields(cls) if hasattr(mv, f.name) and f.name != "cost"
        }
        if mv.cost is not None:
            kwargs["cost"] = mv.cost
        kwargs["label"] = mv.label or humanize(mv.id)
        try:
            move = cls(**kwargs)
            move.apply(scenario)
        except (ValueError, KeyError) as exc:
            problems.append(Problem(name, f"interventions[{mi}]", str(exc).strip("'\"")))
            continue
        moves.append(
            CaseMove(mv.id, mv.label or humanize(mv.id), move, mv.happened, tuple(mv.sources), mv.default, mv.role)
        )
    if problems:
        return None
    teaching = types.MappingProxyType(
        {
            "learning_goals": tuple(spec.teaching.learning_goals),
            "debrief": tuple(spec.teaching.debrief),
            "instructor_notes": tuple(spec.teaching.instructor_notes),
            "assumptions": tuple(spec.teaching.assumptions),
            "exercises": tuple(types.MappingProxyType(e.model_dump()) for e in spec.teaching.exercises),
        }
    )
    notes = types.MappingProxyType({c.name: c.note for s in spec.sides for c in s.constituencies})
    roles, session = _build_roles_and_session(spec)
    predictions = tuple(
        Prediction(
            id=p.id,
            prompt=p.prompt,
            quantity=p.quantity,
            answer=p.answer,
            side=p.side,
            moves=tuple(p.moves),
            strengths=types.MappingProxyType({k: float(v) for k, v in p.strengths.items()}),
            explain=p.explain,
        )
        for p in spec.teaching.predictions
    )
    return Case(
        slug=spec.slug or (path.parent.name if path.name == "case.yaml" else path.stem),
        title=spec.title,
        part=spec.part,
        order=spec.order,
        period=spec.period,
        summary=spec.summary,
        categories_shown=tuple(spec.categories_shown),
        sources=tuple(_source(s) for s in spec.sources),
        facts=tuple(Fact(f.id, f.text, tuple(f.sources), f.when, f.status) for f in spec.facts),
        timeline=tuple((t.when, t.fact) for t in spec.timeline),
        scenario=scenario,
        moves=tuple(moves),
        teaching=teaching,
        path=path,
        notes=notes,
        roles=roles,
        session=session,
        predictions=predictions,
    )


def _source(s: SourceSpec) -> Source:
    """Build a :class:`Source`; the citation is composed from the structured fields when none is written."""
    fields = {f: getattr(s, f) for f in ("author", "title", "publisher", "container")}
    year = None if s.year is None else str(s.year)
    pages = None if s.pages is None else str(s.pages)
    citation = s.citation or format_citation(year=year, pages=pages, **fields)
    return Source(s.id, citation, s.url, year=year, pages=pages, **fields)


def load_case(slug_or_path) -> Case:
    """Load and validate a case file.

    Parameters
    ----------
    slug_or_path : str or pathlib.Path
        A case slug (``"two_level_basics"``, looked up in :func:`cases_dir`), a case folder or a YAML file.

    Returns
    -------
    Case

    Raises
    ------
    CaseError
        With every problem found, each naming the file, the field path and what was expected.

    Examples
    --------
    >>> case = load_case("two_level_basics")
    >>> case.scenario.sides[0].name, len(case.moves) > 0
    ('A', True)
    """
    path = _resolve(slug_or_path)
    name = str(path)
    path = path.resolve()
    problems: list[Problem] = []
    data = _read(path, problems, name)
    if data is None:
        raise CaseError(problems)
    spec = None
    try:
        spec = CaseSpec.model_validate(data)
    except ValidationError as exc:
        problems.extend(Problem(name, p, m) for p, m in _dedupe(exc.errors()))
    _cross_check(data, path, problems, name)
    if problems or spec is None:
        seen, unique = set(), []
        for prob in _label_role_paths(data, problems):
            if (prob.path, prob.message) not in seen:
                seen.add((prob.path, prob.message))
                unique.append(prob)
        raise CaseError(unique)
    case = _build(spec, path, problems, name)
    if problems or case is None:
        raise CaseError(problems)
    return case
