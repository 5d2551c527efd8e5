"""The live classroom explorer: a slider per constituency strength, a switch per move, a figure updated in place.

:func:`explorer` returns an ``ipywidgets.VBox`` built by :class:`Explorer`. Every change of a slider or a
switch re-solves the single scenario (``case.scenario_with(moves, strengths)`` then :func:`levelii_kit.solve`,
a few milliseconds) and updates the same ``plotly.graph_objects.FigureWidget`` in place, inside
``figure.batch_update()``. The figure is the explorer's picture of :mod:`levelii_kit.plots.panel`, the same one
the casebook's static what-if figures show: support for the proposal per constituency (bars coloured by side)
on the left, each side's chance of ratifying and the chance of agreement on the right, and the outcome (the
deal point, or "no deal" and the reason) above. A plain-text summary (an ``ipywidgets.HTML`` with escaped text and
``role="status"``) says the same in words, for screen readers and for the back row.

It needs a kernel (JupyterLab, or ``levelii present SLUG`` with Voila); in the static HTML casebook the
precomputed :func:`levelii_kit.plots.whatif_figure` takes its place. This is the only module of the kit that
imports ipywidgets. plotly's ``FigureWidget`` is an anywidget since plotly 6, so ``anywidget`` must be
installed.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets

from ._protocol import STATIC_BUILD_ENV
from .solver import Result, solve

__all__ = ["Explorer", "chance_in_words", "exercise", "explorer", "prediction"]

_TITLE = "Support and the chance of agreement"
_FIGURE_WIDTH = 1100  # pixels: Voila lays the page out while hidden, so autosize would fall back to 700
_FIGURE_HEIGHT = 500


def chance_in_words(p: float) -> str:
    """Describe a probability in plain words.

    Parameters
    ----------
    p : float
        A probability in [0, 1].

    Returns
    -------
    str

    Examples
    --------
    >>> chance_in_words(0.02), chance_in_words(0.5), chance_in_words(0.97)
    ('almost no chance', 'about even', 'almost certain')
    """
    if p < 0.05:
        return "almost no chance"
    if p < 0.25:
        return "unlikely"
    if p < 0.45:
        return "less likely than not"
    if p <= 0.55:
        return "about even"
    if p < 0.75:
        return "more likely than not"
    if p < 0.95:
        return "likely"
    return "almost certain"


def _plain(text: Any) -> str:
    return " ".join(str(text).split())


def _esc(text: Any) -> str:
    """Escape case text for HTML widgets."""
    return html.escape(_plain(text), quote=False)


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _number(x: float) -> str:
    return f"{x:.2f}"


class Explorer:
    """A live explorer of one case: strength sliders, move switches and a FigureWidget updated in place.

    Parameters
    ----------
    case_or_chapter : Case or Chapter
        A case (:func:`levelii_kit.load_case`) or a chapter (:func:`levelii_kit.chapter.setup`); a chapter's
        strength overrides become the sliders' starting values.
    moves_on : iterable of str, optional
        Ids of the moves switched on at the start. ``None`` (the default) switches on the case's moves marked
        ``default: true`` (what had already happened); they stay switchable.

    Attributes
    ----------
    case : Case
    sliders : dict of str to ipywidgets.FloatSlider
        Constituency name to its strength slider (0 to ``max(3, 3 x`` its starting value), step 0.05).
    toggles : dict of str to ipywidgets.Checkbox
        Move id to its switch; the tooltip gives the Sebenius category, who makes the move and its cost.
    figure : plotly.graph_objects.FigureWidget
        Traces 0 and 1: support per constituency of side A and side B (horizontal bars); trace 2: the chance
        of ratification of each side and the chance of agreement; trace 3: the outcome in words
        (:func:`levelii_kit.plots.panel.panel_traces`). The same object for the explorer's life.
    summary : ipywidgets.HTML
        The result in words (escaped text, ``role="status"``, ``aria-live="polite"``).
    widget : ipywidgets.VBox
        The whole explorer, ready to display.
    result : Result or None
        The last solved result (``None`` when the last settings could not be solved).

    Raises
    ------
    KeyError
        ``moves_on`` names a move the case does not have.
    ImportError
        anywidget, which plotly's FigureWidget needs, is not installed.
    """

    def __init__(self, case_or_chapter, moves_on: Iterable[str] | None = None):
        chapter_strengths: Mapping[str, float] = {}
        if hasattr(case_or_chapter, "case") and hasattr(case_or_chapter, "params"):
            self.case = case_or_chapter.case
            chapter_strengths = dict(case_or_chapter.params.strengths)
        else:
            self.case = case_or_chapter
        case = self.case
        scenario = case.scenario
        if moves_on is None:
            start_moves = {m.id for m in case.moves if m.default}
        else:
            start_moves = set([moves_on] if isinstance(moves_on, str) else moves_on)
            unknown = start_moves - set(case.move_ids)
            if unknown:
                raise KeyError(f"case {case.slug!r} has no move(s) {sorted(unknown)}; moves are {list(case.move_ids)}")
        self.result: Result | None = None
        self._hold = False
        self._start = {c.name: float(chapter_strengths.get(c.name, c.strength)) for c in scenario.constituencies}
        self._start_moves = frozenset(start_moves)

        self.sliders: dict[str, ipywidgets.FloatSlider] = {}
        side_boxes = []
        for side in scenario.sides:
            rows = [ipywidgets.HTML(f"<b>Strength at home: {_esc(side.label or side.name)}</b>")]
            for c in side.constituencies:
                value = self._start[c.name]
                note = _plain(case.notes.get(c.name, "")) if case.notes else ""
                tip = (
                    f"{_plain(c.label or c.name)} ({_plain(side.label or side.name)}). "
                    f"Strength at the start: {value:g}"
                    + ("" if c.seated else "; not seated in the ratifying body at the start")
                    + (f". Why: {note}" if note else ".")
                )
                slider = ipywidgets.FloatSlider(
                    value=value,
                    min=0.0,
                    max=max(3.0, 3.0 * value),
                    step=0.05,
                    continuous_update=False,
                    readout=True,
                    readout_format=".2f",
                    description=_plain(c.label or c.name),
                    tooltip=tip,
                    style={"description_width": "16em"},
                    layout=ipywidgets.Layout(width="100%"),
                )
                slider.observe(self._changed, names="value")
                self.sliders[c.name] = slider
                rows.append(slider)
            side_boxes.append(ipywidgets.VBox(rows, layout=ipywidgets.Layout(width="100%")))

        self.toggles: dict[str, ipywidgets.Checkbox] = {}
        move_rows = [ipywidgets.HTML("<b>Helping moves</b> (hover for the Sebenius category and the cost)")]
        for m in case.moves:
            mv = m.move
            tip = (
                f"{_plain(m.label)}. Sebenius category: {m.category}. Made by {mv.actor}, cost {mv.cost:g}."
                + (" Already in place at the start of the case." if m.default else "")
                + (f" What happened: {_plain(m.happened)}" if m.happened else "")
            )
            box = ipywidgets.Checkbox(
                value=m.id in start_moves,
                description=f"{_plain(m.label)} [{m.category}]",
                tooltip=tip,
                indent=False,
                layout=ipywidgets.Layout(width="auto"),
            )
            box.observe(self._changed, names="value")
            self.toggles[m.id] = box
            move_rows.append(box)
        if not case.moves:
            move_rows.append(ipywidgets.HTML("<i>This case has no helping moves.</i>"))
        reset = ipywidgets.Button(description="Reset to the case", tooltip="Back to the case's strengths and moves")
        reset.on_click(lambda _button: self.reset())
        move_rows.append(reset)

        self.summary = ipywidgets.HTML(layout=ipywidgets.Layout(width="100%"))
        self.figure = self._make_figure()
        controls = ipywidgets.HBox(
            [
                ipywidgets.VBox(side_boxes, layout=ipywidgets.Layout(width="58%")),
                ipywidgets.VBox(move_rows, layout=ipywidgets.Layout(width="42%", padding="0 0 0 1em")),
            ],
            layout=ipywidgets.Layout(width="100%"),
        )
        self.widget = ipywidgets.VBox([self.summary, self.figure, controls], layout=ipywidgets.Layout(width="100%"))
        self.widget.add_class("lk-explorer")
        self.update()

    # ----------------------------------------------------------------------------------- state
    @property
    def moves_on(self) -> tuple[str, ...]:
        """Ids of the moves switched on, in the case file's order."""
        return tuple(mid for mid, box in self.toggles.items() if box.value)

    @property
    def strengths(self) -> dict[str, float]:
        """Constituency name to the slider's strength."""
        return {name: float(s.value) for name, s in self.sliders.items()}

    def scenario(self):
        """The scenario the controls describe: ``case.scenario_with(moves_on, strengths)``."""
        return self.case.scenario_with(self.moves_on, self.strengths)

    def reset(self) -> Result | None:
        """Put every slider and switch back to its starting value, then update once."""
        self._hold = True
        try:
            for name, slider in self.sliders.items():
                slider.value = self._start[name]
            for mid, box in self.toggles.items():
                box.value = mid in self._start_moves
        finally:
            self._hold = False
        return self.update()

    def _changed(self, _change) -> None:
        if not self._hold:
            self.update()

    # ----------------------------------------------------------------------------------- solving
    def update(self) -> Result | None:
        """Re-solve the scenario the controls describe and update the figure and the summary in place.

        Returns
        -------
        Result or None
            The single-scenario result, or ``None`` when these settings cannot be solved (for instance every
            seated constituency of a side at strength 0); the summary then says why and the figure keeps the
            last solvable state.
        """
        try:
            result = solve(self.scenario())
        except (ValueError, KeyError) as exc:
            self.result = None
            self.summary.value = self._status(
                f"These settings cannot be solved: {_plain(exc)}. Change a slider or a switch, or press Reset."
            )
            return None
        self.result = result
        self._draw(result)
        self.summary.value = self._status(self._describe(result))
        return result

    # ----------------------------------------------------------------------------------- text
    @staticmethod
    def _status(text: str) -> str:
        return (
            '<div class="lk-explorer-status" role="status" aria-live="polite" '
            f'style="font-size:1.05em; line-height:1.45">'
            f"{html.escape(text, quote=False)}</div>"
        )

    def _issue_text(self, result: Result, scale: bool) -> str:
        parts = []
        for issue, value in zip(self.case.scenario.issues, result.point[0]):
            text = f"{_plain(issue.label or issue.name)} = {_number(value)}"
            if scale and (issue.low_label or issue.high_label):
                text += (
                    f" (on a scale from {issue.low:g}, {_plain(issue.low_label) or 'low'}, "
                    f"to {issue.high:g}, {_plain(issue.high_label) or 'high'})"
                )
            parts.append(text)
        return "; ".join(parts)

    def _term_labels(self, result: Result) -> list[str]:
        names = [t for t, on in zip(result.batch.term_names, result.terms[0]) if on]
        labels = []
        for name in names:
            try:
                labels.append(_plain(self.case.scenario.term(name).label or name))
            except KeyError:
                labels.append(name)
        return labels

    def _describe(self, result: Result) -> str:
        chance = float(result.chance[0])
        sides = self.case.scenario.sides
        text = f"Chance of agreement: {_pct(chance)} ({chance_in_words(chance)}). "
        text += " ".join(
            f"{_plain(side.label or side.name)} ratifies with a chance of {_pct(float(result.side_probability[0, s]))}."
            for s, side in enumerate(sides)
        )
        if bool(result.agreed[0]):
            text += f" Outcome: a deal at {self._issue_text(result, scale=True)}"
            terms = self._term_labels(result)
            text += f", with {', '.join(terms)}." if terms else "."
        else:
            text += (
                f" Outcome: no deal ({_plain(result.reason[0])}); the best any proposal could reach is a "
                f"chance of {_pct(float(result.best_probability[0]))}."
            )
        moves = [_plain(self.case.move(m).label) for m in self.moves_on]
        text += f" Moves on: {'; '.join(moves) if moves else 'none'}."
        changed = [name for name, value in self.strengths.items() if abs(value - self._start[name]) > 1e-9]
        if changed:
            text += (
                " Strengths changed: "
                + ", ".join(
                    f"{_plain(self.case.scenario.constituency(n).label or n)} {self._start[n]:g} to "
                    f"{self.strengths[n]:g}"
                    for n in changed
                )
                + "."
            )
        return text

    # ----------------------------------------------------------------------------------- figure
    def _panel(self, result: Result):
        """The explorer's picture of ``result`` (drawn by :mod:`levelii_kit.plots.panel`)."""
        from .plots import panel

        return panel.panel_figure(panel.panel_data(self.case.scenario, result), _TITLE)

    def _make_figure(self):
        import plotly.graph_objects as go

        try:
            start = solve(self.scenario())
        except (ValueError, KeyError):  # the chapter's strengths cannot be solved: start from the case
            start = solve(self.case.scenario)
        base = self._panel(start)
        base.update_layout(width=_FIGURE_WIDTH, height=_FIGURE_HEIGHT)
        try:
            return go.FigureWidget(base)
        except ImportError as exc:  # plotly raises this when anywidget is missing
            raise ImportError(
                "levelii_kit.widgets needs anywidget (plotly's FigureWidget is an anywidget): pip install anywidget"
            ) from exc

    def _draw(self, result: Result) -> None:
        from .plots import panel

        # Only the traces change with the sliders (the layout, title and style are the first drawing's), so the
        # update builds the traces alone: a third of the time of a whole styled figure.
        new = panel.panel_traces(panel.panel_data(self.case.scenario, result))
        fig = self.figure
        with fig.batch_update():
            for trace, drawn in zip(fig.data, new):
                trace.update({k: v for k, v in drawn.to_plotly_json().items() if k not in ("type", "uid")})
            fig.layout.meta = {"summary": self._describe(result)}
        _sync_state(fig)


def _sync_state(fig) -> None:
    """Copy the figure into the widget state that a new view starts from.

    A FigureWidget sends each in-place edit to the views that exist, but a view created later (Voila asks for
    every widget's state after the notebook has run; a FigureWidget inside a box never gets its own
    ``_repr_mimebundle_`` call, which is where plotly copies it) starts from ``_widget_data`` and
    ``_widget_layout``. Without this copy, Voila would show the bars of the figure as built, before the
    first solve. The frontend model ignores changes of these two traits (its views are driven by the edit
    messages), so live views are not redrawn twice.
    """
    from copy import deepcopy

    if hasattr(fig, "_widget_data") and hasattr(fig, "_layout_obj"):
        fig._widget_data = deepcopy(fig._data)
        fig._widget_layout = deepcopy(fig._layout_obj._props)


def explorer(case_or_chapter, moves_on: Iterable[str] | None = None) -> ipywidgets.VBox:
    """A live explorer of a case: a slider per constituency strength, a switch per move, a live figure.

    Parameters
    ----------
    case_or_chapter : Case or Chapter
        A case (:func:`levelii_kit.load_case`) or a chapter (:func:`levelii_kit.chapter.setup`).
    moves_on : iterable of str, optional
        Moves switched on at the start; ``None`` means the case's ``default: true`` moves.

    Returns
    -------
    ipywidgets.VBox
        Display it in a notebook (or serve it with ``levelii present``). The :class:`Explorer` behind it is
        its ``explorer`` attribute.

    Examples
    --------
    >>> import levelii_kit as lk
    >>> box = explorer(lk.load_case("two_level_basics"))           # doctest: +SKIP
    >>> box.explorer.sliders["B_hawk"].value = 2.0                  # doctest: +SKIP

    Notes
    -----
    While the HTML casebook is built (``LEVELII_STATIC_BUILD`` set by :mod:`levelii_kit.book.execute`) there is no
    kernel to drive widgets, so the explorer returns a short note instead; the chapters' precomputed what-if
    figures stand in for it there.
    """
    if os.environ.get(STATIC_BUILD_ENV):
        from IPython.display import Markdown

        return Markdown("*The live explorer runs in JupyterLab or with `levelii present`.*")
    ex = Explorer(case_or_chapter, moves_on=moves_on)
    box = ex.widget
    box.explorer = ex
    return box


# ------------------------------------------------------------------------------------------- self-study forms
def _case(case_or_chapter):
    return case_or_chapter.case if hasattr(case_or_chapter, "params") else case_or_chapter


def _status_html(text: str) -> str:
    return f'<p role="status" aria-live="polite">{html.escape(text, quote=False)}</p>'


def exercise(case_or_chapter, exercise_id: str):
    """An exercise's form: a live ipywidgets form in Jupyter, an HTML form in the casebook.

    In JupyterLab (or Voila) the form mirrors the casebook's: checkboxes for a set of moves, radio buttons for one
    move, a number field, or a notes box for a discussion question, and a button; the feedback is
    :func:`levelii_kit.exercises.check`'s own. While the HTML casebook is built (no kernel behind the page) it
    returns :func:`levelii_kit.exercises.form` instead, which the build renders as a form that checks answers with no
    kernel.

    Parameters
    ----------
    case_or_chapter : Case or Chapter
    exercise_id : str

    Returns
    -------
    ipywidgets.VBox or levelii_kit.exercises.ExerciseForm
    """
    from . import exercises

    case = _case(case_or_chapter)
    if os.environ.get(STATIC_BUILD_ENV):
        return exercises.form(case, exercise_id)
    spec = exercises.form_spec(case, exercise_id, with_solution=False)
    prompt = ipywidgets.HTML(f"<p><b>Exercise {spec['number']}.</b> {_esc(spec['prompt'])}</p>")
    status = ipywidgets.HTML(_status_html(spec["enter"]))
    kind = spec["kind"]
    if kind == "cheapest_set":
        boxes = [
            ipywidgets.Checkbox(value=False, description=f"{_plain(c['label'])} (cost {c['cost']:g})", indent=False)
            for c in spec["choices"]
        ]
        field = ipywidgets.VBox(boxes)

        def answer():
            return [c["id"] for c, box in zip(spec["choices"], boxes) if box.value]

    elif kind == "best_move":
        options = [(f"{_plain(c['label'])} (cost {c['cost']:g})", c["id"]) for c in spec["choices"]]
        field = ipywidgets.RadioButtons(options=options, value=None, layout=ipywidgets.Layout(width="auto"))

        def answer():
            return field.value

    elif kind == "numeric":
        num = spec["numeric"]
        field = ipywidgets.Text(placeholder=f"a number from {num['min']:.3g} to {num['max']:.3g}")

        def answer():
            return field.value.strip() or None

    else:
        field = ipywidgets.Textarea(placeholder="Your notes (not saved by the notebook)", rows=4)
        return ipywidgets.VBox([prompt, field])
    button = ipywidgets.Button(description="Check my answer", button_style="primary")

    def checked(_button=None):
        status.value = _status_html(str(exercises.check(case, exercise_id, answer())))

    button.on_click(checked)
    box = ipywidgets.VBox([prompt, field, button, status])
    box.add_class("lk-exercise")
    box.check = checked
    box.field = field
    return box


def prediction(case_or_chapter, prediction_id: str):
    """A prediction prompt's form: commit a guess, then see the model's result (live in Jupyter, HTML in the book).

    Parameters
    ----------
    case_or_chapter : Case or Chapter
    prediction_id : str

    Returns
    -------
    ipywidgets.VBox or levelii_kit.predictions.PredictionForm
        The live form; while the HTML casebook is built, :func:`levelii_kit.predictions.form`.
    """
    from . import predictions

    case = _case(case_or_chapter)
    if os.environ.get(STATIC_BUILD_ENV):
        return predictions.form(case, prediction_id)
    p = case.prediction(prediction_id)
    options = predictions.guesses(case, prediction_id)
    prompt = ipywidgets.HTML(f"<p><b>Predict first.</b> {_esc(p.prompt)}</p>")
    if p.answer == "yes_no":
        field = ipywidgets.RadioButtons(options=[("Yes", "yes"), ("No", "no")], value=None)
    else:
        labels = [f"{g:.0%}" if p.answer == "probability" else f"{g:.2f}" for g in options]
        what = "the chance" if p.answer == "probability" else "the point on the issue"
        field = ipywidgets.SelectionSlider(
            options=list(zip(labels, options)),
            value=options[len(options) // 2],
            description=f"Your prediction: {what}",
            style={"description_width": "initial"},
            layout=ipywidgets.Layout(width="34em"),
        )
    status = ipywidgets.HTML(_status_html("Make your prediction, then commit it."))
    button = ipywidgets.Button(description="Commit my prediction", button_style="primary")

    def committed(_button=None):
        if field.value is None:
            status.value = _status_html("Make your prediction, then commit it.")
            return
        line = predictions.compare(case, prediction_id, field.value)
        status.value = _status_html(line + (f" {p.explain}" if p.explain else ""))

    button.on_click(committed)
    box = ipywidgets.VBox([prompt, field, button, status])
    box.add_class("lk-prediction")
    box.commit = committed
    box.field = field
    return box
