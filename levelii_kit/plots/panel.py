"""The explorer's picture of one scenario: support per constituency, each side's chance of ratifying, the outcome.

One picture serves both explorers. The live explorer (:class:`levelii_kit.widgets.Explorer`, in JupyterLab or
Voila) draws :func:`panel_figure` of the scenario its controls describe and redraws it in place; the static
what-if figure of the casebook (:func:`levelii_kit.plots.whatif_figure`) stacks the same traces
(:func:`panel_traces`) for every precomputed state and shows one at a time.

The picture has two panels. Left: each constituency's support for the Level I proposal (horizontal bars,
coloured by side; faded when the constituency is not seated; hatched when it holds a hard veto). Right: the
chance that each side ratifies and the chance of agreement (the ZOPA colour), with the outcome written above.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..scenario import Scenario
from ._style import _FONT, SIDE_COLOURS, ZOPA_COLOUR, _esc, _num, _pct, _short

__all__ = ["PANEL_TRACES", "panel_data", "panel_figure", "panel_layout", "panel_traces"]

#: Traces in one state of the picture: side A's bars, side B's bars, the chance bars, the outcome text.
PANEL_TRACES = 4

_LABEL_WIDTH = 40  # characters of a constituency label shown on the axis


def _axis_labels(scenario: Scenario) -> list[str]:
    """Constituency labels for the bar axis: short, unique, escaped."""
    cons = scenario.constituencies
    labels = [_short(c.label or c.name, _LABEL_WIDTH) for c in cons]
    if len(set(labels)) < len(labels):
        labels = [f"{_short(c.label or c.name, _LABEL_WIDTH - len(c.name) - 3)} ({c.name})" for c in cons]
    return [_esc(label) for label in labels]


def _side_short(label: str) -> str:
    """A side's label without its parenthesis, for a bar under the chart ("Soviet side")."""
    return _short(label.split(" (")[0], 16)


def _veto_text(blocking: float) -> str:
    """How a constituency can block, for hover text ('' when it cannot)."""
    if blocking >= 1:
        return ", hard veto"
    return f", can block ({blocking:.2f})" if blocking > 0 else ""


def panel_data(scenario: Scenario, result: Any, i: int = 0) -> dict:
    """The numbers of one state of the picture, read off a solved result (no solving here).

    Parameters
    ----------
    scenario : Scenario
        The scenario that was solved (its labels name the bars).
    result : levelii_kit.Result
        A solved batch; row ``i`` is drawn.
    i : int, default 0

    Returns
    -------
    dict
        ``labels`` (escaped axis labels), ``side`` (side of each constituency), ``support``, ``strength``,
        ``blocking``, ``seated`` (n,), ``side_labels`` (escaped), ``side_probability`` (2,), ``chance``,
        ``agreed``, ``outcome`` (the point, K), ``issue_labels`` (escaped), ``reason``, ``terms`` (labels of
        the terms in the deal, escaped).

    Examples
    --------
    >>> import levelii_kit as lk
    >>> s = lk.canonical_scenario()
    >>> d = panel_data(s, lk.solve(s))
    >>> d["chance"], [round(float(v), 6) for v in d["outcome"]], d["side_labels"]
    (1.0, [0.5], ['Side A', 'Side B'])
    """
    b = result.batch
    sides = scenario.sides
    term_labels = {t.name: t.label or t.name for t in scenario.terms}
    terms = [_esc(term_labels.get(t, t)) for t, on in zip(b.term_names, result.terms[i]) if on]
    return {
        "labels": _axis_labels(scenario),
        "side": np.asarray(b.side_of).copy(),
        "support": np.asarray(result.support[i], dtype=float).copy(),
        "strength": np.asarray(b.strength[i], dtype=float).copy(),
        "blocking": np.asarray(b.blocking[i], dtype=float).copy(),
        "seated": np.asarray(b.seated[i], dtype=bool).copy(),
        "side_labels": [_esc(side.label or side.name) for side in sides],
        "side_probability": np.asarray(result.side_probability[i], dtype=float).copy(),
        "chance": float(result.chance[i]),
        "agreed": bool(result.agreed[i]),
        "outcome": np.asarray(result.point[i], dtype=float).copy(),
        "issue_labels": [_esc(issue.label or issue.name) for issue in scenario.issues],
        "reason": _esc(result.reason[i]),
        "terms": terms,
    }


def _outcome_line(data: Mapping[str, Any]) -> str:
    """The outcome in words, for the picture (already escaped)."""
    if not data["agreed"]:
        return f"<b>No deal</b>: {data['reason']}" if data["reason"] else "<b>No deal</b>"
    point = ", ".join(f"{label} = {_num(v)}" for label, v in zip(data["issue_labels"], data["outcome"]))
    terms = f"; with {', '.join(data['terms'])}" if data["terms"] else ""
    return f"<b>Deal</b>: {point}{terms}"


def panel_traces(data: Mapping[str, Any], visible: bool = True) -> list:
    """The :data:`PANEL_TRACES` traces of one state: support bars (axes x/y), chance bars (x2/y2), outcome (x3/y3).

    Parameters
    ----------
    data : dict
        From :func:`panel_data` (or one state of :func:`levelii_kit.plots.whatif_data`, in the same shape).
    visible : bool, default True

    Returns
    -------
    list of plotly traces
    """
    side = np.asarray(data["side"])
    support = np.asarray(data["support"], dtype=float)
    strength = np.asarray(data["strength"], dtype=float)
    blocking = np.asarray(data["blocking"], dtype=float)
    seated = np.asarray(data["seated"], dtype=bool)
    labels = list(data["labels"])
    side_labels = list(data["side_labels"])
    traces: list = []
    for s in (0, 1):
        rows = np.flatnonzero(side == s)
        traces.append(
            go.Bar(
                orientation="h",
                y=[labels[i] for i in rows],
                x=support[rows].tolist(),
                visible=visible,
                name=side_labels[s],
                legendgroup=f"side{s}",
                marker=dict(
                    color=SIDE_COLOURS[s],
                    opacity=[1.0 if seated[i] else 0.35 for i in rows],
                    pattern=dict(shape=["/" if blocking[i] >= 1 and seated[i] else "" for i in rows], fgcolor="white"),
                ),
                text=[_pct(support[i]) if seated[i] else "not seated" for i in rows],
                textposition="outside",
                cliponaxis=False,
                hoverinfo="text",
                hovertext=[
                    f"{labels[i]}<br>support {_pct(support[i])}, strength {strength[i]:.2f}"
                    + _veto_text(blocking[i])
                    + ("" if seated[i] else "<br>not seated: does not vote")
                    for i in rows
                ],
                xaxis="x",
                yaxis="y",
            )
        )
    chances = [float(v) for v in data["side_probability"]] + [float(data["chance"])]
    names = ["<br>".join(_side_short(label).split(" ", 1)) for label in side_labels] + ["agreement"]
    traces.append(
        go.Bar(
            x=names,
            y=chances,
            visible=visible,
            showlegend=False,
            marker=dict(color=[SIDE_COLOURS[0], SIDE_COLOURS[1], ZOPA_COLOUR]),
            text=[_pct(p) for p in chances],
            textposition="outside",
            cliponaxis=False,
            hoverinfo="text",
            hovertext=[f"{label} ratifies: {_pct(p)}" for label, p in zip(side_labels, chances)]
            + [f"chance of agreement: {_pct(chances[2])}"],
            xaxis="x2",
            yaxis="y2",
        )
    )
    traces.append(
        go.Scatter(
            x=[0.0],
            y=[0.5],
            mode="text",
            text=[_outcome_line(data)],
            textposition="middle right",
            textfont=dict(size=15, color=_FONT["color"]),
            cliponaxis=False,
            visible=visible,
            showlegend=False,
            hoverinfo="skip",
            xaxis="x3",
            yaxis="y3",
        )
    )
    return traces


def panel_layout(
    fig: go.Figure, labels: Sequence[str], height: int = 520, bottom: int = 80, legend: bool = True
) -> go.Figure:
    """Axes, sizes and legend of the picture; ``labels`` fixes the order of the constituency axis.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
    labels : sequence of str
        The axis labels of every constituency, in the scenario's order (top to bottom).
    height : int, default 520
    bottom : int, default 80
        The bottom margin in pixels (room for the legend, or for the what-if figure's controls).
    legend : bool, default True

    Returns
    -------
    plotly.graph_objects.Figure
        ``fig``, updated.
    """
    fig.update_layout(
        xaxis=dict(domain=[0.0, 0.52], range=[0, 1.22], tickformat=".0%", title_text="support for the proposal"),
        yaxis=dict(
            domain=[0.0, 0.84], autorange="reversed", categoryorder="array", categoryarray=list(labels), automargin=True
        ),
        xaxis2=dict(domain=[0.7, 1.0], anchor="y2", tickangle=0, tickfont=dict(size=12)),
        yaxis2=dict(domain=[0.0, 0.84], range=[0, 1.15], tickformat=".0%", anchor="x2", title_text="chance"),
        xaxis3=dict(domain=[0.0, 1.0], range=[0, 1], visible=False, fixedrange=True, anchor="y3"),
        yaxis3=dict(domain=[0.88, 1.0], range=[0, 1], visible=False, fixedrange=True, anchor="x3"),
        height=height,
        margin=dict(l=10, r=20, t=70, b=bottom),
        bargap=0.25,
        showlegend=legend,
        legend=dict(orientation="h", x=0.0, y=-0.12, xanchor="left", yanchor="top"),
    )
    return fig


def panel_figure(data: Mapping[str, Any], title: str = "Support and the chance of agreement") -> go.Figure:
    """The picture of one scenario, with no controls (the live explorer draws this).

    Parameters
    ----------
    data : dict
        From :func:`panel_data`.
    title : str
        The figure's title (plain text).

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> import levelii_kit as lk
    >>> s = lk.canonical_scenario()
    >>> fig = panel_figure(panel_data(s, lk.solve(s)))
    >>> [t.type for t in fig.data], fig.data[2].y[2]
    (['bar', 'bar', 'bar', 'scatter'], 1.0)
    """
    from ._style import _style

    fig = go.Figure(panel_traces(data))
    panel_layout(fig, data["labels"])
    summary = panel_summary(data)
    return _style(fig, title, summary)


def panel_summary(data: Mapping[str, Any]) -> str:
    """One sentence with the picture's numbers, for screen readers.

    Parameters
    ----------
    data : dict
        From :func:`panel_data`.

    Returns
    -------
    str
    """
    import html

    sides = ", ".join(
        f"{label} ratifies with a chance of {_pct(p)}"
        for label, p in zip(data["side_labels"], data["side_probability"])
    )
    outcome = html.unescape(_outcome_line(data).replace("<b>", "").replace("</b>", ""))
    return f"Chance of agreement {_pct(data['chance'])}; {html.unescape(sides)}. {outcome}."
