"""What a chapter notebook calls: parameters, the baseline and helped scenarios, records, and case text.

A chapter (``cases/<slug>/<slug>.ipynb``) has a cell tagged ``parameters`` (papermill) with three names:

* ``strengths``: a mapping of constituency name to a strength (>= 0) overriding the case file;
* ``moves``: ``None`` (every helping move of the case: ``role: help`` and not ``default``) or a list of move ids,
  the moves switched on in the chapter's "with help" scenario;
* ``seed``: a non-negative integer, the only source of randomness.

papermill does not validate parameters, so :func:`setup` does, at once, and raises :class:`ParameterError`
with one line naming the parameter and what is allowed. The baseline is the case's model with its
``default`` moves on (what had already happened) and the strength overrides; the helped scenario adds the
chosen moves. :func:`record` publishes a chapter's key numbers so that tests can read them from the executed
notebook (:func:`read_records`). The ``show_*`` helpers display case text as escaped Markdown, never as raw
HTML.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from ._frames import labelled
from ._protocol import RECORD_MIME, STATIC_BUILD_ENV
from ._text import escape_markdown as escape
from ._text import humanize
from .casefile import Case, load_case
from .errors import ParameterError
from .ledger import Ledger, helper_ledger
from .scenario import ScenarioBatch, label_of
from .solver import Result, solve

__all__ = [
    "ParameterError",
    "Parameters",
    "Chapter",
    "check_parameters",
    "setup",
    "record",
    "read_records",
    "RECORD_MIME",
    "PARAMETER_NAMES",
    "show_summary",
    "show_goals",
    "show_facts",
    "show_timeline",
    "show_moves",
    "show_debrief",
    "show_instructor_notes",
    "show_assumptions",
    "show_sources",
    "model_appendix_link",
    "escape",
]

#: The parameters every chapter accepts.
PARAMETER_NAMES = ("strengths", "moves", "seed")


@dataclass(frozen=True)
class Parameters:
    """Validated chapter parameters."""

    strengths: Mapping[str, float] = field(default_factory=dict)
    moves: tuple[str, ...] = ()
    seed: int = 0


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_parameters(case: Case, strengths=None, moves=None, seed=0, **unknown) -> Parameters:
    """Validate a chapter's parameters against its case.

    Parameters
    ----------
    case : Case
    strengths : mapping of str to float, optional
        Constituency name to strength (>= 0).
    moves : list of str or None
        Move ids switched on in the helped scenario; ``None`` means every helping move (``role: help``) that is
        not already on in the baseline (``default: true``). Moves marked ``context`` or ``harm`` are never
        chosen by default, but can be named here.
    seed : int
        Non-negative integer.
    **unknown
        Anything else is an error.

    Returns
    -------
    Parameters

    Raises
    ------
    ParameterError
        One line naming the parameter and what is allowed.

    Examples
    --------
    >>> case = load_case("two_level_basics")
    >>> check_parameters(case, strengths={"B_dove": 2}).strengths["B_dove"]
    2.0
    >>> check_parameters(case, moves=["nope"])
    Traceback (most recent call last):
    ...
    levelii_kit.errors.ParameterError: parameter 'moves': unknown move 'nope'; allowed: our_hawk_veto, ...
    """
    if unknown:
        name = sorted(unknown)[0]
        raise ParameterError(f"unknown parameter {name!r}; this chapter takes {', '.join(PARAMETER_NAMES)}")
    names = case.scenario.constituency_names
    if strengths is None:
        strengths = {}
    if not isinstance(strengths, Mapping):
        raise ParameterError(
            f"parameter 'strengths': expected a mapping of constituency to strength, got {type(strengths).__name__}"
        )
    clean = {}
    for key, value in strengths.items():
        if key not in names:
            raise ParameterError(f"parameter 'strengths': unknown constituency {key!r}; allowed: {', '.join(names)}")
        if not _is_number(value) or value < 0:
            raise ParameterError(f"parameter 'strengths': {key} must be a finite number >= 0, got {value!r}")
        clean[key] = float(value)
    if moves is None:
        chosen = tuple(m.id for m in case.moves if m.role == "help" and not m.default)
    else:
        if isinstance(moves, str) or not isinstance(moves, (list, tuple)):
            raise ParameterError(f"parameter 'moves': expected a list of move ids or None, got {moves!r}")
        for m in moves:
            if m not in case.move_ids:
                raise ParameterError(f"parameter 'moves': unknown move {m!r}; allowed: {', '.join(case.move_ids)}")
        chosen = tuple(dict.fromkeys(moves))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ParameterError(f"parameter 'seed': expected a non-negative integer, got {seed!r}")
    return Parameters(strengths=clean, moves=chosen, seed=int(seed))


@dataclass(frozen=True, eq=False)
class Chapter:
    """A case set up for a chapter: the baseline, the helped scenario and their results.

    Attributes
    ----------
    case : Case
    params : Parameters
    baseline, helped : Scenario
    baseline_result, helped_result : Result
    """

    case: Case
    params: Parameters
    baseline: Any
    helped: Any
    baseline_result: Result
    helped_result: Result

    @property
    def move_ids(self) -> tuple[str, ...]:
        """The moves switched on in the helped scenario."""
        return self.params.moves

    @property
    def default_moves(self) -> tuple[str, ...]:
        """Moves already on in the baseline (``default: true`` in the case file)."""
        return tuple(m.id for m in self.case.moves if m.default)

    @property
    def helper(self) -> str:
        """Name of the helping side (side A)."""
        return self.case.scenario.sides[0].name

    @cached_property
    def ledger(self) -> Ledger:
        """The helper's ledger of the chosen moves on the baseline (Shapley attribution in one batch)."""
        return helper_ledger(self.baseline, [self.case.move(m).move for m in self.move_ids], helper=0)

    def scenario(self, moves=(), strengths=None):
        """The baseline's moves plus ``moves``, with the chapter's strengths updated by ``strengths``."""
        merged = {**self.params.strengths, **dict(strengths or {})}
        return self.case.scenario_with(self.default_moves + tuple(moves), merged)

    def comparison(self):
        """Baseline against helped: ratification per side, chance of agreement, outcome, expected values.

        Returns
        -------
        pandas.DataFrame
            Two rows, ``without the helping moves`` and ``with the helping moves``; columns
            ``P_<side>``, ``chance``, ``outcome`` and ``E_<side>``, shown to readers with plain headers.
        """
        import pandas as pd

        rows = {}
        b = self.baseline_result.batch
        for label, res in (
            ("without the helping moves", self.baseline_result),
            ("with the helping moves", self.helped_result),
        ):
            row = {f"P_{name}": float(res.side_probability[0, s]) for s, name in enumerate(b.side_names)}
            row["chance"] = float(res.chance[0])
            row["outcome"] = (
                ", ".join(f"{v:.3g}" for v in res.point[0]) if res.agreed[0] else f"no deal ({res.reason[0]})"
            )
            for s, name in enumerate(b.side_names):
                row[f"E_{name}"] = float(res.expected[0, s])
            rows[label] = row
        headers = {"chance": "Chance of agreement", "outcome": "Outcome"}
        for name, side in zip(b.side_names, b.side_labels):
            headers[f"P_{name}"] = f"Chance that {side} ratifies"
            headers[f"E_{name}"] = f"Expected value for {side}'s leader"
        return labelled(pd.DataFrame(rows).T, columns=headers)


def setup(case_or_slug, strengths=None, moves=None, seed=0, **unknown) -> Chapter:
    """Validate the parameters and build the chapter's baseline and helped scenarios.

    Parameters
    ----------
    case_or_slug : Case or str
    strengths, moves, seed
        The chapter's papermill parameters (see :func:`check_parameters`).

    Returns
    -------
    Chapter

    Examples
    --------
    >>> ch = setup("two_level_basics", moves=["their_hawk_veto"])
    >>> round(float(ch.helped_result.point[0, 0]), 6)
    0.55
    """
    case = case_or_slug if isinstance(case_or_slug, Case) else load_case(case_or_slug)
    params = check_parameters(case, strengths, moves, seed, **unknown)
    if os.environ.get(STATIC_BUILD_ENV):  # building the HTML casebook: the lean figure display
        from .plots import use_mimetype_display

        use_mimetype_display()
    defaults = tuple(m.id for m in case.moves if m.default)
    baseline = case.scenario_with(defaults, params.strengths)
    helped = case.scenario_with(defaults + params.moves, params.strengths)
    res = solve(ScenarioBatch.from_scenarios([baseline, helped]))
    return Chapter(case, params, baseline, helped, res.take(0), res.take(1))


# ------------------------------------------------------------------------------------------- records
def _plain(value):
    if isinstance(value, (np.floating, np.integer, np.bool_)):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def record(name: str, value):
    """Publish a chapter's key number so that tests can read it from the executed notebook.

    The output carries only the mimetype :data:`RECORD_MIME`, which renders as nothing.

    Parameters
    ----------
    name : str
    value : number, str, bool or list of those

    Returns
    -------
    None
        (so that a notebook cell ending in ``record(...)`` shows nothing).
    """
    value = _plain(value)
    json.dumps(value)  # fail early on what a notebook cannot store
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display({RECORD_MIME: {"name": name, "value": value}}, raw=True)
    except ImportError:  # pragma: no cover - IPython is a dependency
        pass
    return None


def read_records(path) -> dict:
    """Read every :func:`record` output of an executed notebook, as ``{name: value}``.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    dict
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    out = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RECORD_MIME in data:
                item = data[RECORD_MIME]
                out[item["name"]] = item["value"]
    return out


# ------------------------------------------------------------------------------------------- case text
class _Markdown:
    """A Markdown block for notebook display (``_repr_markdown_``) that also prints as text."""

    def __init__(self, text):
        self.text = text

    def _repr_markdown_(self):
        return self.text

    def __repr__(self):
        return self.text


def _cite(case: Case, ids) -> str:
    return "; ".join(escape(i) for i in ids)


def show_summary(case: Case):
    """Title, period and summary."""
    return _Markdown(f"**{escape(case.title)}**  \n*{escape(case.period)}*\n\n{escape(case.summary)}")


def _bullets(items):
    return "\n".join(f"- {escape(item)}" for item in items) or "- (none)"


def show_goals(case: Case):
    """The learning goals."""
    return _Markdown("**Learning goals**\n\n" + _bullets(case.teaching["learning_goals"]))


def show_facts(case: Case, ids=None):
    """Facts with their sources; unverified facts are flagged."""
    lines = []
    for f in case.facts:
        if ids is not None and f.id not in ids:
            continue
        flag = " **(unverified)**" if f.status == "unverified" else ""
        when = f"{escape(f.when)}: " if f.when else ""
        lines.append(f"- {when}{escape(f.text)}{flag} [{_cite(case, f.sources)}]")
    return _Markdown("\n".join(lines) or "- (no facts listed)")


def show_timeline(case: Case):
    """The timeline, each entry with its fact and sources."""
    facts = {f.id: f for f in case.facts}
    lines = []
    for when, fid in case.timeline:
        f = facts[fid]
        flag = " **(unverified)**" if f.status == "unverified" else ""
        lines.append(f"| {escape(when)} | {escape(f.text)}{flag} | {_cite(case, f.sources)} |")
    if not lines:
        return show_facts(case)
    return _Markdown("| when | what happened | sources |\n|---|---|---|\n" + "\n".join(lines))


def show_moves(case: Case):
    """The moves: category, actor, cost, what happened, sources."""
    lines = ["| move | category | made by | cost | what happened | sources |", "|---|---|---|---|---|---|"]
    # a side by its label up to any bracket ("Western side"); a third-party actor by its name made readable
    sides = {side.name: label_of(side).split(" (")[0] for side in case.scenario.sides}
    for m in case.moves:
        default = " (already on in the baseline)" if m.default else ""
        made_by = sides.get(m.move.actor) or humanize(m.move.actor)
        lines.append(
            f"| {escape(m.label)}{default} | {escape(m.category)} | {escape(made_by)} | "
            f"{m.move.cost:.3g} | {escape(m.happened)} | {_cite(case, m.sources)} |"
        )
    return _Markdown("\n".join(lines))


def show_debrief(case: Case):
    """Debrief questions."""
    return _Markdown(
        "**Debrief questions**\n\n" + "\n".join(f"{k}. {escape(q)}" for k, q in enumerate(case.teaching["debrief"], 1))
    )


def show_instructor_notes(case: Case):
    """Instructor notes."""
    return _Markdown("**Instructor notes**\n\n" + _bullets(case.teaching["instructor_notes"]))


def model_appendix_link() -> str:
    """Where the model's appendix is: ``model.html`` in the HTML casebook, its Markdown source in Jupyter.

    Returns
    -------
    str
        A relative link that works where the chapter is being read.
    """
    return "model.html" if os.environ.get(STATIC_BUILD_ENV) else "../../casebook/front_matter/model.md"


def show_assumptions(case: Case):
    """The model's assumptions and every constituency's parameters with the reason for them."""
    lines = [
        "**The model's assumptions** (the parameters are teaching estimates, not measurements)",
        "",
        _bullets(case.teaching["assumptions"]),
        "",
        f"The model itself, with its equations and the results it reproduces, is in the appendix "
        f"[The model]({model_appendix_link()}).",
        "",
        "| side | constituency | strength | ideal | tolerance | noise | threat | blocking | why these numbers |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for side in case.scenario.sides:
        for c in side.constituencies:
            tol = "status quo" if c.tolerance is None else f"{c.tolerance:.3g}"
            ideal = ", ".join(f"{v:.3g}" for v in c.ideal)
            lines.append(
                f"| {escape(side.label or side.name)} | {escape(c.label or c.name)} | {c.strength:.3g} | "
                f"{ideal} | {tol} | {c.noise:.3g} | {c.threat:.3g} | {c.blocking:.3g} | "
                f"{escape(case.notes.get(c.name, ''))} |"
            )
    return _Markdown("\n".join(lines))


def show_sources(case: Case):
    """The case's sources (id, citation, link)."""
    lines = []
    for s in case.sources:
        link = f" <{s.url}>" if s.url else ""
        lines.append(f"- **{escape(s.id)}**: {escape(s.citation)}{link}")
    return _Markdown("**Sources**\n\n" + "\n".join(lines))
