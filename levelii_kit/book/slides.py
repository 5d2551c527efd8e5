"""A reveal.js slide deck for a class debrief of a chapter: ``levelii slides SLUG``.

The deck is built from the chapter's case file and the kit's model and figures, not by running the notebook:
:func:`levelii_kit.chapter.setup` gives the baseline, the helped scenario and the helper's ledger, and the figures
come from :mod:`levelii_kit.plots`. Debrief slides are what negotiation instructors expect beside the role briefs
and the outcome form (Program on Negotiation role-play packages; the project's research note on teaching
anchors); unlike those static slides, every figure here is plotly's, and the what-if figure keeps its slider and
buttons. The slides, in order:

1. the title (speaker notes: the session plan and the case's instructor notes) and the learning goals;
2. the case's summary and the story: the timeline's facts, each with its source ids (unverified ones flagged);
3. the actor map (:func:`~levelii_kit.plots.actor_map_figure`);
4. the baseline: support per constituency with each side's chance of ratifying
   (:func:`~levelii_kit.plots.support_figure`), then the win-sets and the ZOPA
   (:func:`~levelii_kit.plots.winset_figure`); then the case's prediction prompts (``teaching.predictions``), one
   slide each: the question first, the model's answer (:func:`levelii_kit.predictions.reveal_all`, the same words
   as the casebook and ``levelii class``) appearing on the next key press (a reveal.js fragment);
5. one slide per helping move: what happened (sourced), its category, who paid and how much, its effect on the chance
   of agreement alone, last in and its Shapley share (:meth:`levelii_kit.ledger.Ledger.effects`), and a
   before/after picture (:func:`move_effect_figure`) whose buttons switch between no help, the move alone, the
   other moves and all of them;
6. the ledger: the Shapley waterfall of the chance of agreement and the helper's gain, cost and net
   (:func:`~levelii_kit.plots.waterfall_figure`), and the win-sets with the help;
7. the what-if figure, still interactive (:func:`~levelii_kit.plots.whatif_figure`; its slider and buttons are
   plotly's, computed at build time; :func:`whatif_spec` chooses the constituency and the move sets);
8. the debrief questions (speaker notes: the instructor notes again), the model's assumptions and the sources
   the slides cite (the story's facts and the moves).

Text from the case file goes through an autoescaping Jinja environment; figures are embedded as JSON in
``<script type="application/json">`` elements with ``<``, ``>`` and ``&`` escaped, and drawn by the deck's own
script when their slide is shown (a plotly figure drawn on a hidden slide would take a wrong size), then resized
on every ``slidechanged``. Figures taller than their slide are scaled down to fit.

A deck is one HTML file plus a folder ``levelii-deck/`` beside it (:data:`ASSETS_DIR`): reveal.js, its white
theme and notes plugin, copied from ``casebook/node_modules/reveal.js`` (the npm registry, pinned in
``casebook/package.json``; ``make`` installs it with ``npm ci --prefix casebook``), plotly.js from the installed
Python plotly, and the deck's stylesheet and script. Nothing is loaded from a network: the deck works from
``file://``. A folder rather than one self-contained file because plotly.js alone weighs 4.6 MB: the casebook's
seven decks share one copy of the assets and the instructor edition's ``plotly.min.js`` (a partial bundle that
also holds the decks' trace types: :func:`levelii_kit.book.package.trace_types`).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from plotly.utils import PlotlyJSONEncoder

from .. import plots
from ..casefile import Case, load_case
from ..chapter import Chapter, setup
from ..errors import LeveliiError
from ..interventions import CATEGORIES
from ..plots.panel import panel_data, panel_layout, panel_summary, panel_traces
from ..predictions import reveal_all
from ..scenario import ScenarioBatch
from ..solver import solve
from ..winset import win_set, zopa
from .toc import default_casebook_dir

__all__ = [
    "ASSETS_DIR",
    "DECK_SIZE",
    "Deck",
    "DeckError",
    "DeckResult",
    "Figure",
    "Slide",
    "build_deck",
    "check_output",
    "deck_html",
    "deck_slides",
    "default_output",
    "move_effect_data",
    "move_effect_figure",
    "reveal_dir",
    "whatif_spec",
    "write_assets",
]

TEMPLATES = Path(__file__).resolve().parent / "templates" / "slides"

#: The folder of a deck's assets, beside its HTML file.
ASSETS_DIR = "levelii-deck"

#: The deck's own size in CSS pixels (16:10); reveal.js scales it to the window.
DECK_SIZE = (1280, 800)

#: The files of the npm package reveal.js a deck needs, relative to its ``dist/`` folder.
REVEAL_FILES = ("reveal.js", "reveal.css", "theme/white.css", "plugin/notes.js")

#: The deck's own files in :data:`TEMPLATES`, copied into the assets folder.
DECK_FILES = ("deck.css", "deck.js")

#: Timeline rows, debrief questions and sources per slide (longer lists continue on the next slide).
ROWS_PER_SLIDE = {"timeline": 5, "debrief": 6, "sources": 12, "assumptions": 6, "goals": 6}

#: The largest number of helping moves the what-if figure gets one button each for; above it, one per category.
WHATIF_SINGLE_MOVES = 3

#: Slider steps of the what-if figure, as multiples of the constituency's strength in the chapter.
WHATIF_FACTORS = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)

#: Slider steps when that strength is 0.
WHATIF_ABSOLUTE = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0)


class DeckError(LeveliiError, ValueError):
    """A deck cannot be written: reveal.js is not installed, or the output path is unusable (one line)."""


@dataclass(frozen=True)
class Figure:
    """A plotly figure on a slide.

    Attributes
    ----------
    id : str
        The element id of its JSON (unique within a deck).
    title : str
        Plain text; the slide's heading shows it, so the figure itself draws none.
    summary : str
        The figure's one-sentence summary (``layout.meta["summary"]``): its caption for screen readers and a
        line of the slide's speaker notes.
    spec : dict
        The figure as plotly JSON (``data``, ``layout``).
    """

    id: str
    title: str
    summary: str
    spec: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True)
class Slide:
    """One slide of a deck.

    Attributes
    ----------
    kind : str
        How the template lays it out: ``title``, ``list``, ``text``, ``timeline``, ``figure``, ``move`` or
        ``sources``.
    title : str
        Its heading (plain text).
    items : tuple
        The slide's content for its kind: strings (``list``, ``text``; key numbers beside a ``figure``),
        ``(when, text, source ids, unverified)`` rows (``timeline``) or sources (``sources``).
    figure : Figure or None
    notes : tuple of str
        Speaker notes, one paragraph each (reveal.js ``<aside class="notes">``).
    info : mapping
        Kind-specific fields (a ``move`` slide's category, actor, cost, sources, what happened).
    """

    kind: str
    title: str
    items: tuple = ()
    figure: Figure | None = None
    notes: tuple[str, ...] = ()
    info: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Deck:
    """The slides of a chapter's deck, before they become HTML.

    Attributes
    ----------
    slug, title, period, part : str
        From the case file.
    slides : tuple of Slide
    """

    slug: str
    title: str
    period: str
    part: str
    slides: tuple[Slide, ...]

    @property
    def figures(self) -> tuple[Figure, ...]:
        """Every figure of the deck, in slide order."""
        return tuple(s.figure for s in self.slides if s.figure is not None)


@dataclass(frozen=True)
class DeckResult:
    """What :func:`build_deck` wrote.

    Attributes
    ----------
    path : pathlib.Path
        The deck's HTML file.
    assets : pathlib.Path
        The folder of its assets.
    slides, figures : int
        How many of each the deck has.
    seconds : float
        Wall time.
    """

    path: Path
    assets: Path
    slides: int
    figures: int
    seconds: float


# ------------------------------------------------------------------------------------------- numbers in words
def _pct(value: float) -> str:
    return f"{float(value):.0%}"


def _points(value: float) -> str:
    """A change in a chance, in percentage points with its sign ('+12 points', '-1 point', '0 points')."""
    v = round(float(value) * 100)
    return f"{v:+d} point{'s' if abs(v) != 1 else ''}" if v else "0 points"


def _num(value: float) -> str:
    text = f"{float(value):.2f}"
    return "0.00" if text == "-0.00" else text


def _intervals(parts: Sequence[tuple[float, float]]) -> str:
    return " and ".join(f"[{_num(a)}, {_num(b)}]" for a, b in parts) if parts else "empty"


def _side_labels(case: Case) -> dict[str, str]:
    return {s.name: s.label or s.name for s in case.scenario.sides}


def _actor_label(case: Case, actor: str) -> str:
    """A move's payer in words: a side's label, else the actor's name made readable ('bonn' -> 'Bonn')."""
    label = _side_labels(case).get(actor)
    if label:
        return label
    words = actor.replace("_", " ")
    return words[:1].upper() + words[1:]


def _outcome(case: Case, result, i: int = 0) -> str:
    """The Level I outcome of scenario ``i`` in words."""
    if not bool(result.agreed[i]):
        return f"no deal ({result.reason[i]})" if result.reason[i] else "no deal"
    issues = case.scenario.issues
    return ", ".join(f"{issue.label or issue.name} = {_num(v)}" for issue, v in zip(issues, result.point[i]))


def _chunks(items: Sequence, size: int) -> list[list]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)] or [[]]


def _numbered(title: str, k: int, n: int) -> str:
    return f"{title} ({k} of {n})" if n > 1 else title


# ------------------------------------------------------------------------------------------- figures
def _figure(fig: go.Figure, fid: str) -> Figure:
    """A slide figure from a plotly figure: its title moves to the slide's heading, its plot area keeps its size.

    The figure's top margin shrinks by as much as its height, so every control placed in pixels below the plot
    area (the what-if figure's slider and buttons) stays where the figure put it.
    """
    # plotly's own JSON encoding (numpy arrays to lists), without the deep copy ``pio.to_json`` makes first
    spec = json.loads(json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder))
    layout = spec.setdefault("layout", {})
    title = layout.get("title")
    text = title.get("text", "") if isinstance(title, Mapping) else str(title or "")
    summary = str((layout.get("meta") or {}).get("summary", ""))
    layout["title"] = {"text": ""}
    margin = dict(layout.get("margin") or {})
    top = margin.get("t", 100)  # plotly's default top margin
    new_top = 24
    if layout.get("height") and top > new_top:
        layout["height"] = layout["height"] - (top - new_top)
    margin["t"] = new_top
    layout["margin"] = margin
    layout.pop("width", None)
    layout["autosize"] = True
    return Figure(id=fid, title=" ".join(text.replace("<br>", " ").split()), summary=summary, spec=spec)


def move_effect_data(chapter: Chapter, move_id: str) -> dict:
    """The before/after states of one helping move, read off the chapter's ledger (no new solve).

    The helper's ledger (:attr:`levelii_kit.chapter.Chapter.ledger`) has solved every subset of the chapter's
    helping moves; this takes four of them: no help, the move alone, every other move, all of them (fewer when
    they coincide, as with a single move).

    Parameters
    ----------
    chapter : Chapter
    move_id : str
        One of ``chapter.move_ids``.

    Returns
    -------
    dict
        ``move`` (its id), ``label``, ``states`` (button labels), ``panels`` (one
        :func:`~levelii_kit.plots.panel.panel_data` dict per state), ``chance`` (per state), and the move's
        ``alone``, ``last_in`` and ``shapley`` effects on the chance of agreement.

    Raises
    ------
    KeyError
        For a move that is not one of the chapter's helping moves.

    Examples
    --------
    >>> ch = setup("two_level_basics", moves=["mollify_their_hawk"])
    >>> d = move_effect_data(ch, "mollify_their_hawk")
    >>> d["states"], [round(float(p["outcome"][0]), 6) for p in d["panels"]]
    (['no help', 'this move alone'], [0.55, 0.5])
    """
    ids = list(chapter.move_ids)
    if move_id not in ids:
        raise KeyError(f"{move_id!r} is not one of the chapter's helping moves {ids}")
    ledger = chapter.ledger
    j = ids.index(move_id)
    full = 2 ** len(ids) - 1
    bit = 1 << j
    wanted = [("no help", 0), ("this move alone", bit), ("the other moves", full ^ bit), ("all the moves", full)]
    states, masks = [], []
    for label, mask in wanted:
        if mask not in masks:
            states.append(label)
            masks.append(mask)
    result = ledger.results
    chance = result.chance
    return {
        "move": move_id,
        "label": chapter.case.move(move_id).label,
        "states": states,
        "panels": [panel_data(chapter.baseline, result, mask) for mask in masks],
        "chance": [float(chance[mask]) for mask in masks],
        "alone": float(chance[bit] - chance[0]),
        "last_in": float(chance[full] - chance[full ^ bit]),
        "shapley": float(ledger.shapley["probability"][j]),
    }


def move_effect_figure(data: Mapping[str, Any]) -> go.Figure:
    """The explorer's picture of each state of :func:`move_effect_data`, with a button per state.

    The picture is the live explorer's and the what-if figure's (:mod:`levelii_kit.plots.panel`): support per
    constituency, each side's chance of ratifying and the chance of agreement, the outcome above. It opens on
    the first state (no help), so that a class can predict before the instructor switches the move on.

    Parameters
    ----------
    data : dict
        From :func:`move_effect_data`.

    Returns
    -------
    plotly.graph_objects.Figure
        ``PANEL_TRACES`` traces per state, one button per state (plotly's ``"update"`` method: no kernel).

    Examples
    --------
    >>> ch = setup("two_level_basics", moves=["mollify_their_hawk"])
    >>> fig = move_effect_figure(move_effect_data(ch, "mollify_their_hawk"))
    >>> len(fig.data), [b.label for b in fig.layout.updatemenus[0].buttons]
    (8, ['no help', 'this move alone'])
    """
    panels = data["panels"]
    per = len(panel_traces(panels[0]))
    fig = go.Figure()
    for k, panel in enumerate(panels):
        fig.add_traces(panel_traces(panel, visible=k == 0))
    total = per * len(panels)
    buttons = [
        dict(
            label=label,
            method="update",
            args=[{"visible": [k * per <= t < (k + 1) * per for t in range(total)]}],
        )
        for k, label in enumerate(data["states"])
    ]
    rows = len(panels[0]["labels"])
    plot = max(240, 26 * rows + 60)
    top, bottom = 70, 110
    panel_layout(fig, panels[0]["labels"], height=top + plot + bottom, bottom=bottom, legend=False)
    fig.update_layout(
        updatemenus=[
            dict(
                type="buttons",
                direction="right",
                active=0,
                buttons=buttons,
                showactive=True,
                x=0.0,
                xanchor="left",
                y=-70 / plot,
                yanchor="top",
                pad=dict(t=0, l=0),
                bgcolor="white",
                bordercolor="#595959",
                font=dict(size=14),
            )
        ],
    )
    chances = "; ".join(f"{label}: {_pct(c)}" for label, c in zip(data["states"], data["chance"]))
    summary = (
        f"The chance of agreement with {data['label']}: {chances}. The figure opens on "
        f"'{data['states'][0]}': {panel_summary(panels[0])}"
    )
    fig.update_layout(
        template="plotly_white",
        title=dict(text=f"{data['label']}: before and after", x=0.01, xanchor="left"),
        font=dict(family="Helvetica, Arial, 'Liberation Sans', sans-serif", size=14, color="#222222"),
        meta={"summary": summary, "menu_labels": ["state"]},
    )
    return fig


def whatif_spec(chapter: Chapter) -> tuple[str, list[float], dict[str, list[str]]]:
    """The deck's what-if figure: whose strength the slider sets, its steps, and the move sets of the buttons.

    A chapter's notebook chooses its what-if figure by hand; a deck chooses one from the case:

    * **the slider** sets the strength of a constituency behind the other side's table (side B, not its
      leader): the one the chapter's helping moves target most often; among equals (or when no move targets one),
      the one whose strength moves the chance of agreement most, summed over no help and all the help (one
      batch of every candidate at every step); then the first in the case file. Its steps are
      :data:`WHATIF_FACTORS` times its strength in the chapter (:data:`WHATIF_ABSOLUTE` when that is 0);
    * **the buttons**: no help; each helping move alone when there are at most :data:`WHATIF_SINGLE_MOVES`, else
      the moves of each of the four categories (when they are more than one); and all the helping moves.

    Parameters
    ----------
    chapter : Chapter

    Returns
    -------
    name : str
    strengths : list of float
    move_sets : dict of str to list of str
        Button label to move ids, for :func:`levelii_kit.plots.whatif_data`.

    Examples
    --------
    >>> name, steps, sets = whatif_spec(setup("two_level_basics"))
    >>> name, steps, list(sets)
    ('B_hawk', [0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0], ['no help', "only Mollify B's hawks", \
'only Offer the assurance', "only Strengthen B's doves", 'all helping moves'])
    """
    case = chapter.case
    scenario = chapter.baseline
    other = scenario.sides[1]
    candidates = [c for c in other.constituencies if c.name != other.leader] or list(other.constituencies)
    ids = list(chapter.move_ids)
    targeted = {c.name: 0 for c in candidates}
    for move_id in ids:
        target = getattr(case.move(move_id).move, "target", None)
        if target in targeted:
            targeted[target] += 1

    def steps(strength: float) -> list[float]:
        grid = np.asarray(WHATIF_FACTORS) * strength if strength > 0 else np.asarray(WHATIF_ABSOLUTE)
        return [float(f"{v:.3g}") for v in grid]

    grids = {c.name: steps(c.strength) for c in candidates}
    top = max(targeted.values())
    tied = [c.name for c in candidates if targeted[c.name] == top]
    if len(tied) > 1:
        scenarios, owner = [], []
        for name in tied:
            for moves in ([], ids):
                for value in grids[name]:
                    scenarios.append(chapter.scenario(moves, {name: value}))
                    owner.append(name)
        chance = solve(ScenarioBatch.from_scenarios(scenarios)).chance
        owner = np.asarray(owner)
        swing = {}
        for name in tied:
            rows = chance[owner == name].reshape(2, -1)
            swing[name] = float(np.abs(np.diff(rows, axis=1)).sum())
        best = max(swing.values())
        tied = [name for name in tied if swing[name] >= best - 1e-12]
    name = tied[0]
    sets: dict[str, list[str]] = {"no help": []}
    if len(ids) <= WHATIF_SINGLE_MOVES:
        if len(ids) > 1:
            for move_id in ids:
                sets[f"only {_short(case.move(move_id).label, 44)}"] = [move_id]
    else:
        by_category = {cat: [m for m in ids if case.move(m).category == cat] for cat in CATEGORIES}
        by_category = {cat: moves for cat, moves in by_category.items() if moves}
        if len(by_category) > 1:
            for cat, moves in by_category.items():
                sets[f"only {cat}"] = moves
    if ids:
        sets["all helping moves"] = ids
    return name, grids[name], sets


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


# ------------------------------------------------------------------------------------------- the slides
def deck_slides(case_or_chapter: Case | Chapter | str) -> Deck:
    """Every slide of a chapter's deck, with its text, figure and speaker notes.

    Parameters
    ----------
    case_or_chapter : Case, Chapter or str
        A chapter (:func:`levelii_kit.chapter.setup`, for other strengths or moves), a loaded case or a slug or
        path (the chapter's default parameters).

    Returns
    -------
    Deck

    Examples
    --------
    >>> deck = deck_slides("two_level_basics")
    >>> [s.kind for s in deck.slides][:4]
    ['title', 'list', 'text', 'timeline']
    >>> [s.title for s in deck.slides if s.kind == "move"]  # the case's helping moves, one slide each
    ["Mollify B's hawks", 'Offer the assurance', "Strengthen B's doves"]
    """
    chapter = case_or_chapter if isinstance(case_or_chapter, Chapter) else setup(case_or_chapter)
    case = chapter.case
    scenario = case.scenario
    sides = _side_labels(case)
    side_names = [s.name for s in scenario.sides]
    teaching = case.teaching
    instructor_notes = tuple(teaching.get("instructor_notes", ()))
    counter = iter(range(1, 10_000))

    def fig(figure: go.Figure) -> Figure:
        return _figure(figure, f"fig-{next(counter)}")

    slides: list[Slide] = []

    # 1. title and learning goals
    session_notes: list[str] = []
    if case.session:
        s = case.session
        session_notes.append(f"Session plan: {s.minutes} minutes, groups of {s.group_size}.")
        clock = 0
        for step in s.timing:
            session_notes.append(f"{clock}-{clock + step.minutes} min: {step.activity}")
            clock += step.minutes
    slides.append(
        Slide(
            "title",
            " ".join(case.title.split()),
            notes=tuple(session_notes) + ((("Instructor notes:",) + instructor_notes) if instructor_notes else ()),
            info={"period": case.period, "part": case.part},
        )
    )
    goals = tuple(teaching.get("learning_goals", ()))
    chunks = _chunks(goals, ROWS_PER_SLIDE["goals"])
    for k, chunk in enumerate(chunks, 1):
        if chunk:
            slides.append(Slide("list", _numbered("Learning goals", k, len(chunks)), tuple(chunk)))

    # 2. the story
    if case.summary.strip():
        slides.append(Slide("text", "The case", (" ".join(case.summary.split()),)))
    facts = {f.id: f for f in case.facts}
    rows = [
        (when, facts[fid].text, facts[fid].sources, facts[fid].status == "unverified") for when, fid in case.timeline
    ]
    if not rows:
        rows = [(f.when or "", f.text, f.sources, f.status == "unverified") for f in case.facts]
    story = _chunks(rows, ROWS_PER_SLIDE["timeline"])
    if rows:
        for k, chunk in enumerate(story, 1):
            slides.append(
                Slide(
                    "timeline",
                    _numbered("The story", k, len(story)),
                    tuple(chunk),
                    notes=("Source ids are in brackets; the last slides list the full citations.",),
                )
            )

    # 3. the actor map
    actors = fig(plots.actor_map_figure(plots.actor_map_data(case)))
    slides.append(Slide("figure", actors.title, figure=actors, notes=(actors.summary,)))

    # 4. the baseline
    base = chapter.baseline_result
    support = fig(plots.support_figure(plots.support_data(base)))
    numbers = tuple(
        f"{sides[name]} ratifies: {_pct(base.side_probability[0, s])}" for s, name in enumerate(side_names)
    ) + (f"Chance of agreement: {_pct(base.chance[0])}", f"Outcome: {_outcome(case, base)}")
    slides.append(
        Slide(
            "figure",
            f"Baseline \u00b7 {support.title}",
            numbers,
            figure=support,
            notes=(support.summary, "The model's numbers are teaching assumptions, not measurements."),
        )
    )
    one_issue = len(scenario.issues) == 1
    win = [win_set(chapter.baseline, s) for s in range(2)]
    zone = zopa(chapter.baseline)
    if one_issue:
        winsets = fig(plots.winset_figure(plots.winset_data(chapter.baseline)))
        numbers = tuple(
            f"Win-set of {sides[name]}: {_intervals(win[s].intervals_of(0))}" for s, name in enumerate(side_names)
        ) + (f"ZOPA: {_intervals(zone.intervals_of(0))}",)
        slides.append(
            Slide("figure", f"Baseline \u00b7 {winsets.title}", numbers, figure=winsets, notes=(winsets.summary,))
        )

    # predict, then reveal
    revealed = reveal_all(case)
    issue = scenario.issues[0]
    how = {
        "yes_no": "Answer yes or no.",
        "probability": "Give a chance between 0% and 100%.",
        "point": f"Give a point on the scale from {issue.low:g} ({issue.low_label or 'low end'}) "
        f"to {issue.high:g} ({issue.high_label or 'high end'}).",
    }
    for k, p in enumerate(case.predictions, 1):
        slides.append(
            Slide(
                "predict",
                _numbered("Predict, then reveal", k, len(case.predictions)),
                (" ".join(p.prompt.split()),),
                notes=(
                    "Collect the class's predictions first (a show of hands, or levelii class on their phones); "
                    "the next key press reveals the model's answer.",
                    revealed[p.id].text,
                ),
                info={"how": how[p.answer], "reveal": revealed[p.id].text, "explain": " ".join(p.explain.split())},
            )
        )

    # 5. one slide per helping move
    ids = list(chapter.move_ids)
    if ids:
        effects = chapter.ledger.effects()
    for j, move_id in enumerate(ids):
        move = case.move(move_id)
        data = move_effect_data(chapter, move_id)
        figure = fig(move_effect_figure(data))
        paid_by = _actor_label(case, move.move.actor)
        numbers = (
            f"Chance of agreement, the move alone: {_points(effects.iloc[j, 0])}",
            f"last in: {_points(effects.iloc[j, 1])}",
            f"Shapley share: {_points(effects.iloc[j, 2])}",
        )
        slides.append(
            Slide(
                "move",
                move.label,
                numbers,
                figure=figure,
                notes=(
                    "Ask for a prediction, then press the buttons under the figure: no help, the move alone, the "
                    "other moves, all of them.",
                    figure.summary,
                ),
                info={
                    "category": move.category,
                    "paid_by": paid_by,
                    "cost": _num(move.move.cost),
                    "happened": " ".join(move.happened.split()),
                    "sources": tuple(move.sources),
                    "default": move.default,
                },
            )
        )

    # 6. the ledger, and the deal with the help
    if ids:
        ledger = chapter.ledger
        shares = fig(plots.waterfall_figure(plots.waterfall_data(ledger, measure="probability")))
        slides.append(
            Slide(
                "figure",
                shares.title,
                (
                    f"Without the moves: {_pct(ledger.probability_before)}",
                    f"With the moves: {_pct(ledger.probability_after)}",
                ),
                figure=shares,
                notes=(shares.summary,),
            )
        )
        gains = fig(plots.waterfall_figure(plots.waterfall_data(ledger, measure="gross")))
        helper = sides[side_names[0]]
        slides.append(
            Slide(
                "figure",
                gains.title,
                (
                    f"{helper}'s gain: {_num(ledger.gross)} (likelihood {_num(ledger.likelihood)}, "
                    f"terms {_num(ledger.terms)})",
                    f"Its cost: {_num(ledger.cost)}",
                    f"Net: {'+' if ledger.net >= 0 else ''}{_num(ledger.net)}",
                ),
                figure=gains,
                notes=(gains.summary, "Costs paid by someone other than the helper are listed but not charged."),
            )
        )
        helped = chapter.helped_result
        if one_issue:
            after = fig(plots.winset_figure(plots.winset_data(chapter.helped)))
            zone_after = zopa(chapter.helped)
            slides.append(
                Slide(
                    "figure",
                    f"With the help \u00b7 {after.title}",
                    (
                        f"Chance of agreement: {_pct(base.chance[0])} \u2192 {_pct(helped.chance[0])}",
                        f"Outcome: {_outcome(case, helped)}",
                        f"ZOPA: {_intervals(zone_after.intervals_of(0))}",
                    ),
                    figure=after,
                    notes=(after.summary,),
                )
            )

    # 7. the what-if figure
    name, strengths, move_sets = whatif_spec(chapter)
    whatif = fig(plots.whatif_figure(plots.whatif_data(chapter, name, strengths, move_sets)))
    slides.append(
        Slide(
            "figure",
            whatif.title,
            figure=whatif,
            notes=(
                "Drag the slider to change this constituency's strength; the buttons switch between packages of "
                "moves. Every state was computed by the model when the deck was built.",
                whatif.summary,
            ),
            info={"wide": True},
        )
    )

    # 8. debrief, assumptions, sources
    debrief = tuple(teaching.get("debrief", ()))
    chunks = _chunks(debrief, ROWS_PER_SLIDE["debrief"])
    for k, chunk in enumerate(chunks, 1):
        if chunk:
            slides.append(
                Slide(
                    "list",
                    _numbered("Debrief", k, len(chunks)),
                    tuple(chunk),
                    notes=(("Instructor notes:",) + instructor_notes) if instructor_notes else (),
                    info={"ordered": True, "start": 1 + (k - 1) * ROWS_PER_SLIDE["debrief"]},
                )
            )
    assumptions = tuple(teaching.get("assumptions", ()))
    chunks = _chunks(assumptions, ROWS_PER_SLIDE["assumptions"])
    for k, chunk in enumerate(chunks, 1):
        if chunk:
            slides.append(Slide("list", _numbered("The model's assumptions", k, len(chunks)), tuple(chunk)))
    cited = {sid for row in rows for sid in row[2]} | {sid for m in ids for sid in case.move(m).sources}
    used = [source for source in case.sources if source.id in cited]
    chunks = _chunks(used, ROWS_PER_SLIDE["sources"])
    for k, chunk in enumerate(chunks, 1):
        if chunk:
            slides.append(Slide("sources", _numbered("Sources", k, len(chunks)), tuple(chunk)))
    return Deck(case.slug, " ".join(case.title.split()), case.period, case.part, tuple(slides))


# ------------------------------------------------------------------------------------------- HTML and files
def _script_json(spec: Mapping[str, Any]) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` can end the element."""
    text = json.dumps(spec, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["script_json"] = _script_json
    return env


def deck_html(deck: Deck, assets: str = ASSETS_DIR, plotly_js: str | None = None) -> str:
    """The deck as one HTML document (reveal.js markup), its assets referenced by relative URL.

    Parameters
    ----------
    deck : Deck
        From :func:`deck_slides`.
    assets : str
        The URL of the assets folder relative to the HTML file (no trailing slash).
    plotly_js : str, optional
        The URL of ``plotly.min.js``; default ``<assets>/plotly.min.js``.

    Returns
    -------
    str
    """
    width, height = DECK_SIZE
    return (
        _environment()
        .get_template("deck.html.j2")
        .render(
            deck=deck,
            assets=assets,
            plotly_js=plotly_js or f"{assets}/plotly.min.js",
            width=width,
            height=height,
        )
    )


def reveal_dir(casebook_dir: Path | str | None = None) -> Path:
    """The ``dist/`` folder of the vendored reveal.js (``casebook/node_modules/reveal.js/dist``).

    Parameters
    ----------
    casebook_dir : path-like, optional
        A ``casebook/`` folder to look in first; then :func:`~levelii_kit.book.toc.default_casebook_dir` and the
        ``casebook/`` beside the package.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DeckError
        When reveal.js is installed in none of them.
    """
    roots = [Path(casebook_dir)] if casebook_dir is not None else []
    roots += [default_casebook_dir(), Path(__file__).resolve().parents[2] / "casebook"]
    for root in roots:
        dist = root / "node_modules" / "reveal.js" / "dist"
        if all((dist / name).is_file() for name in REVEAL_FILES):
            return dist
    raise DeckError(
        f"reveal.js is not installed ({roots[0] / 'node_modules' / 'reveal.js'} is missing): run `make` "
        "or `npm ci --prefix casebook` (from the npm registry; a deck never uses a CDN)"
    )


def write_assets(folder: Path | str, *, with_plotly: bool = True, casebook_dir: Path | str | None = None) -> Path:
    """Write a deck's assets into ``folder``: reveal.js, its theme and notes plugin, the deck's CSS and script.

    Parameters
    ----------
    folder : path-like
        Created if needed; files already there are replaced.
    with_plotly : bool, default True
        Also write ``plotly.min.js`` from the installed plotly (the casebook's decks use the edition's copy).
    casebook_dir : path-like, optional
        Where ``node_modules/reveal.js`` is (see :func:`reveal_dir`).

    Returns
    -------
    pathlib.Path
        ``folder``.

    Raises
    ------
    DeckError
        reveal.js is missing, or the folder cannot be written.
    """
    dist = reveal_dir(casebook_dir)
    folder = Path(folder)
    try:
        for name in REVEAL_FILES:
            target = folder / "reveal" / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(dist / name, target)
        for name in DECK_FILES:
            shutil.copyfile(TEMPLATES / name, folder / name)
        shutil.copyfile(dist.parent / "LICENSE", folder / "reveal" / "LICENSE")
        if with_plotly:
            from plotly.offline import get_plotlyjs

            (folder / "plotly.min.js").write_text(get_plotlyjs(), encoding="utf-8")
    except OSError as exc:
        raise DeckError(f"{folder}: cannot write the deck's assets ({exc.strerror})") from None
    return folder


def default_output(slug: str) -> Path:
    """``build/slides/SLUG/index.html``, relative to the working directory."""
    return Path("build") / "slides" / slug / "index.html"


def check_output(out: Path | str) -> Path:
    """Check a deck's output path before any work: an ``.html`` file in a folder that exists or can be made (it is).

    Parameters
    ----------
    out : path-like

    Returns
    -------
    pathlib.Path

    Raises
    ------
    DeckError
        One line naming the path and what was expected.
    """
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise DeckError(f"-o/--output must name an .html file, got {str(out)!r}")
    if out.is_dir():
        raise DeckError(f"{out} is a folder; name the deck's .html file")
    for parent in (out.parent, *out.parent.parents):
        if parent.exists():
            if not parent.is_dir():
                raise DeckError(f"{out}: {parent} is not a folder")
            break
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeckError(f"{out}: cannot create the folder {out.parent} ({exc.strerror})") from None
    if not os.access(out.parent, os.W_OK):
        raise DeckError(f"{out}: cannot write in {out.parent}")
    return out


def build_deck(
    case_or_chapter: Case | Chapter | str,
    out: Path | str | None = None,
    *,
    assets: Path | str | None = None,
    plotly_js: str | None = None,
    casebook_dir: Path | str | None = None,
) -> DeckResult:
    """Write a chapter's deck: the HTML file and, beside it, its assets.

    Parameters
    ----------
    case_or_chapter : Case, Chapter or str
        See :func:`deck_slides`.
    out : path-like, optional
        The HTML file; default :func:`default_output` (``build/slides/SLUG/index.html``). It is written under a
        temporary name and renamed, so a failed run leaves an existing deck as it was.
    assets : path-like, optional
        The assets folder; default ``levelii-deck/`` beside ``out`` (written by :func:`write_assets`). Given,
        it must already hold them (the casebook writes them once for all its decks) and is linked relative to
        ``out``.
    plotly_js : str, optional
        The URL of ``plotly.min.js`` relative to ``out``; default the copy in the assets folder.
    casebook_dir : path-like, optional
        Where ``node_modules/reveal.js`` is.

    Returns
    -------
    DeckResult

    Raises
    ------
    DeckError
        reveal.js is missing, or the output cannot be written (one line).
    """
    started = time.perf_counter()
    case = case_or_chapter if isinstance(case_or_chapter, (Case, Chapter)) else load_case(case_or_chapter)
    slug = case.case.slug if isinstance(case, Chapter) else case.slug
    out = check_output(out if out is not None else default_output(slug))
    reveal_dir(casebook_dir)  # fail before any work when reveal.js is missing
    deck = deck_slides(case)
    if assets is None:
        folder = write_assets(out.parent / ASSETS_DIR, casebook_dir=casebook_dir)
    else:
        folder = Path(assets)
    href = Path(os.path.relpath(folder, out.parent)).as_posix()
    html = deck_html(deck, href, plotly_js)
    tmp = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise DeckError(f"{out}: cannot write the deck ({exc.strerror})") from None
    return DeckResult(out, folder, len(deck.slides), len(deck.figures), time.perf_counter() - started)
