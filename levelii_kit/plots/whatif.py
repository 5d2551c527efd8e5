"""The what-if figure: support with a strength slider and move-set buttons, every step precomputed."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from .. import solver as _solver
from ..scenario import ScenarioBatch
from ._style import (
    _GREY,
    SIDE_COLOURS,
    _case_of,
    _esc,
    _labels_of,
    _outcome_text,
    _pct,
    _short,
    _style,
)
from .panel import PANEL_TRACES, panel_data, panel_layout, panel_traces

__all__ = ["whatif_data", "whatif_figure"]


def whatif_data(
    case_or_chapter, name: str, strengths: Sequence[float], move_sets: Mapping[str, Sequence[str]] | None = None
) -> dict:
    """Everything the what-if figure shows, for every (move set, strength) pair, solved as one batch.

    Each scenario is ``case.scenario_with(moves, strengths)``: the case's ``default`` moves plus the set's
    moves, with ``name``'s strength set to each value (before the moves act, so an ``Empower`` still
    multiplies it). For a chapter, its strength overrides apply to the other constituencies too.

    Parameters
    ----------
    case_or_chapter : Case or chapter
        A chapter is anything with ``.case`` (and optionally ``.params.strengths``).
    name : str
        The constituency whose strength the slider sets.
    strengths : sequence of float
        Slider values (>= 0).
    move_sets : mapping of str to list of str, optional
        Button label to move ids. Default: ``{"no help": [], "all helping moves": [every non-default move]}``.

    Returns
    -------
    dict
        With S move sets, T strengths and n constituencies: ``support``, ``strength`` (after the moves),
        ``veto``, ``seated`` (S, T, n); ``share``, ``quota``, ``side_probability``, ``expected`` (S, T, 2); ``chance``,
        ``agreed`` (S, T); ``outcome`` (S, T, K; NaN for no deal); ``reason`` (S x T nested list);
        ``strengths`` (T,), ``active`` (the slider's starting step: the value nearest ``current``),
        ``current``, ``set_labels``, ``set_moves`` (with the default moves), ``default_moves``, ``names``,
        ``labels``, ``side``, ``side_names``, ``issue_names``, ``name``, ``label``, ``case``, ``title``.

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> d = whatif_data(load_case("two_level_basics"), "B_hawk", [0, 3],
    ...                 {"B's hawks hold a veto": [], "...and A mollifies them": ["mollify_their_hawk"]})
    >>> d["outcome"][..., 0].round(6).tolist(), d["chance"].tolist()
    ([[0.55, 0.55], [0.5, 0.5]], [[1.0, 1.0], [1.0, 1.0]])
    """
    case = _case_of(case_or_chapter)
    params = getattr(case_or_chapter, "params", None)
    base = dict(getattr(params, "strengths", None) or {})
    scenario0 = case.scenario
    scenario0.locate(name)
    values = np.asarray(strengths, dtype=float).ravel()
    if values.size == 0:
        raise ValueError("give at least one strength")
    if not np.all(np.isfinite(values)) or (values < 0).any():
        raise ValueError(f"strengths of {name!r} must be finite and >= 0")
    defaults = [m.id for m in case.moves if m.default]
    if move_sets is None:
        move_sets = {
            "no help": [],
            "all helping moves": [m.id for m in case.moves if not m.default and m.role == "help"],
        }
    if not move_sets:
        raise ValueError("give at least one move set")
    labels = [str(k) for k in move_sets]
    sets = []
    for label in move_sets:
        if isinstance(move_sets[label], str):
            raise TypeError(f"move set {label!r}: expected a list of move ids, not a string")
        moves = list(move_sets[label])
        sets.append(defaults + [m for m in dict.fromkeys(moves) if m not in defaults])
    scenarios = [case.scenario_with(moves, {**base, name: float(v)}) for moves in sets for v in values]
    result = _solver.solve_batch(ScenarioBatch.from_scenarios(scenarios))
    b = result.batch
    s_, t_ = len(sets), values.size
    current = float(base.get(name, scenario0.constituency(name).strength))
    term_labels = {t.name: t.label or t.name for t in scenario0.terms}
    shape2 = (s_, t_)
    return {
        "case": case.slug,
        "title": case.title,
        "name": name,
        "label": scenario0.constituency(name).label or name,
        "strengths": values,
        "current": current,
        "active": int(np.argmin(np.abs(values - current))),
        "set_labels": labels,
        "set_moves": sets,
        "default_moves": defaults,
        "names": list(b.names),
        "labels": _labels_of(scenario0),
        "side": np.asarray(b.side_of).copy(),
        "side_names": list(b.side_names),
        "issue_names": list(b.issue_names),
        "support": result.support.reshape(s_, t_, -1),
        "strength": b.strength.reshape(s_, t_, -1),
        "veto": ((b.blocking >= 1) & b.seated).reshape(s_, t_, -1),
        "seated": b.seated.reshape(s_, t_, -1),
        "share": result.share.reshape(s_, t_, 2),
        "quota": b.quota.reshape(s_, t_, 2),
        "side_probability": result.side_probability.reshape(s_, t_, 2),
        "expected": result.expected.reshape(s_, t_, 2),
        "chance": result.chance.reshape(shape2),
        "agreed": result.agreed.reshape(shape2),
        "outcome": np.where(result.agreed[:, None], result.point, np.nan).reshape(s_, t_, -1),
        "reason": [[str(r) for r in row] for row in result.reason.reshape(shape2)],
        "blocking": b.blocking.reshape(s_, t_, -1),
        "axis_labels": panel_data(scenario0, result, 0)["labels"],
        "side_labels": [_esc(side.label or side.name) for side in scenario0.sides],
        "issue_labels": [_esc(issue.label or issue.name) for issue in scenario0.issues],
        "terms": [
            [
                [_esc(term_labels.get(t, t)) for t, on in zip(b.term_names, result.terms[j * t_ + k]) if on]
                for k in range(t_)
            ]
            for j in range(s_)
        ],
    }


def _term_list(labels: Mapping[str, str], names: Sequence[str], on: np.ndarray) -> list[str]:
    """The escaped labels of the terms a deal includes."""
    return [_esc(labels.get(t, t)) for t, flag in zip(names, on) if flag]


#: Traces per (move set, strength) state of the what-if figure (the explorer's picture, :mod:`.panel`).
_WHATIF_TRACES = PANEL_TRACES


def _state(data: Mapping[str, Any], j: int, k: int) -> dict:
    """State ``(j, k)`` of :func:`whatif_data` in the shape of :func:`levelii_kit.plots.panel.panel_data`."""
    return {
        "labels": data["axis_labels"],
        "side": data["side"],
        "support": np.asarray(data["support"], dtype=float)[j, k],
        "strength": np.asarray(data["strength"], dtype=float)[j, k],
        "blocking": np.asarray(data["blocking"], dtype=float)[j, k],
        "seated": np.asarray(data["seated"], dtype=bool)[j, k],
        "side_labels": data["side_labels"],
        "side_probability": np.asarray(data["side_probability"], dtype=float)[j, k],
        "chance": float(np.asarray(data["chance"])[j, k]),
        "agreed": bool(np.asarray(data["agreed"])[j, k]),
        "outcome": np.asarray(data["outcome"], dtype=float)[j, k],
        "issue_labels": data["issue_labels"],
        "reason": _esc(data["reason"][j][k]),
        "terms": data["terms"][j][k],
    }


def whatif_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`whatif_data`: support bars, the chance of agreement and the outcome, with a strength slider
    and move-set buttons that work in static HTML, with no kernel.

    **How the two controls work together.** Every (move set ``j``, strength ``k``) state has its own three
    traces (side A's support bars, side B's support bars, and an indicator with the chance of agreement and
    the outcome); exactly one state is visible. Both controls use plotly's ``"update"`` method with
    visibility arrays, precomputed for every state. A slider step ``k`` shows state ``(j, k)`` for the
    current move set ``j`` and also rewrites every button's visibility array to strength ``k``; a button
    ``j`` shows state ``(j, k)`` for the current strength ``k`` and also rewrites every slider step's
    visibility array to move set ``j`` (layout keys such as ``"sliders[0].steps[2].args[0].visible"``). So
    each control remembers the other's position, and plotly.js alone (no kernel, no callbacks) moves through
    the full grid. The figure title never changes; per-state text lives in the indicator traces.

    Parameters
    ----------
    data : dict
        From :func:`whatif_data`.

    Returns
    -------
    plotly.graph_objects.Figure
        ``len(strengths) * len(move_sets) * 4`` traces, one slider with a step per strength, one button per
        move set.

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> d = whatif_data(load_case("two_level_basics"), "B_hawk", [0, 1, 3])
    >>> fig = whatif_figure(d)
    >>> len(fig.data), len(fig.layout.sliders[0].steps), len(fig.layout.updatemenus[0].buttons)
    (24, 3, 2)
    """
    values = np.asarray(data["strengths"], dtype=float)
    set_labels = list(data["set_labels"])
    n_sets, n_steps = len(set_labels), values.size
    chance = np.asarray(data["chance"], dtype=float)
    agreed = np.asarray(data["agreed"], dtype=bool)
    outcome = np.asarray(data["outcome"], dtype=float)
    j0, k0 = 0, int(data["active"])
    per = _WHATIF_TRACES
    total = n_sets * n_steps * per

    def first(j, k):
        return (j * n_steps + k) * per

    def visible(j, k):
        out = [False] * total
        for t in range(per):
            out[first(j, k) + t] = True
        return out

    fig = go.Figure()
    for j in range(n_sets):
        for k in range(n_steps):
            fig.add_traces(panel_traces(_state(data, j, k), visible=j == j0 and k == k0))

    def button_layout(j):
        return {f"sliders[0].steps[{k}].args[0].visible": visible(j, k) for k in range(n_steps)}

    def step_layout(k):
        return {f"updatemenus[0].buttons[{j}].args[0].visible": visible(j, k) for j in range(n_sets)}

    steps = [
        dict(label=f"{v:g}", method="update", args=[{"visible": visible(j0, k)}, step_layout(k)])
        for k, v in enumerate(values)
    ]
    buttons = [
        dict(label=_esc(lab), method="update", args=[{"visible": visible(j, k0)}, button_layout(j)])
        for j, lab in enumerate(set_labels)
    ]
    # pixel layout: the picture, then under it the colour key, the slider and the move-set buttons
    rows = len(data["axis_labels"])
    plot = max(260, 28 * rows + 60)
    top, key, slider, per_button = 70, 70, 100, 34
    bottom = key + slider + 40 + per_button * n_sets + 20
    panel_layout(fig, data["axis_labels"], height=top + plot + bottom, bottom=bottom, legend=False)

    def below(pixels: float) -> float:
        return -pixels / plot

    label = _esc(data["label"])
    fig.update_layout(
        sliders=[
            dict(
                active=k0,
                steps=steps,
                x=0.0,
                len=1.0,
                y=below(key),
                yanchor="top",
                pad=dict(t=30, b=0),
                currentvalue=dict(prefix=f"strength of {_short(label, 60)}: ", font=dict(size=14)),
            )
        ],
        updatemenus=[
            dict(
                type="buttons",
                direction="down",
                active=j0,
                buttons=buttons,
                showactive=True,
                x=0.0,
                xanchor="left",
                y=below(key + slider + 34),
                yanchor="top",
                pad=dict(t=0, l=0),
                bgcolor="white",
                bordercolor=_GREY,
                font=dict(size=13),
            )
        ],
        annotations=[
            dict(
                text=(
                    f"<span style='color:{SIDE_COLOURS[0]}'>■</span> {data['side_labels'][0]}<br>"
                    f"<span style='color:{SIDE_COLOURS[1]}'>■</span> {data['side_labels'][1]}<br>"
                    "hatched: hard veto · faded: not seated"
                ),
                x=0.0,
                xref="paper",
                y=below(44),
                yref="paper",
                xanchor="left",
                yanchor="top",
                align="left",
                showarrow=False,
                font=dict(size=12, color=_GREY),
            ),
            dict(
                text="moves switched on:",
                x=0.0,
                xref="paper",
                y=below(key + slider + 12),
                yref="paper",
                xanchor="left",
                yanchor="top",
                showarrow=False,
                font=dict(size=13, color=_GREY),
            ),
        ],
    )
    parts = []
    for j, lab in enumerate(set_labels):
        c = chance[j]
        runs = (
            f"stays at {_pct(c[0])}"
            if _pct(c[0]) == _pct(c[-1]) and _pct(c.min()) == _pct(c.max())
            else f"runs from {_pct(c[0])} to {_pct(c[-1])}"
        )
        parts.append(
            f"with '{lab}' it {runs}"
            + (f" (no deal at {int((~agreed[j]).sum())} of {n_steps})" if (~agreed[j]).any() else "")
        )
    issues = [html.unescape(label) for label in data["issue_labels"]]
    start = _outcome_text(True, outcome[j0, k0], issues) if agreed[j0, k0] else "no deal"
    plain_label = " ".join(str(data["label"]).split())
    summary = (
        f"Support per constituency and the chance of agreement as the strength of {plain_label} goes "
        f"from {values[0]:g} to {values[-1]:g}: {'; '.join(parts)}; the figure opens at strength "
        f"{values[k0]:g} with '{set_labels[j0]}', a chance of {_pct(chance[j0, k0])} and outcome {start}."
    )
    fig = _style(fig, f"What if the strength of {_short(plain_label, 60)} changes?", summary)
    # the name the casebook's keyboard controls give the button menu (casebook/static/casebook.js)
    fig.layout.meta = {**fig.layout.meta, "menu_labels": ["moves switched on"]}
    return fig
