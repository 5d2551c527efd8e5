"""Sweeps over strengths: the chance-of-agreement heatmap and the Schelling curve."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import solver as _solver
from ..scenario import label_of
from ._style import (
    _GREY,
    _INK,
    SIDE_COLOURS,
    ZOPA_COLOUR,
    _esc,
    _num,
    _scenario_of,
    _short,
    _side_phrase,
    _strength_batch,
    _style,
)

__all__ = ["heatmap_data", "heatmap_figure", "schelling_data", "schelling_figure"]


def heatmap_data(scenario, name_x: str, name_y: str, values_x: Sequence[float], values_y: Sequence[float]) -> dict:
    """Chance of agreement over a grid of two constituencies' strengths (one batch, solved once).

    Parameters
    ----------
    scenario : Scenario, Case or chapter
    name_x, name_y : str
        Two different constituencies.
    values_x, values_y : sequence of float
        Strengths (>= 0) to try.

    Returns
    -------
    dict
        ``x``, ``y`` (the strengths), ``p_ab`` (chance of agreement, shape ``(len(y), len(x))``), ``agreed``,
        ``outcome`` (first issue, NaN for no deal) and ``expected_a`` (side A's expected value) of the same
        shape, ``name_x``, ``name_y``, ``label_x``, ``label_y``, ``current_x``, ``current_y`` (the scenario's
        strengths), ``current_p`` (the chance at the current strengths if they are on the grid, else NaN),
        ``level`` (the scenario's confidence), ``side_names``, ``issue``.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> d = heatmap_data(canonical_scenario(), "A_hawk", "A_dove", [1, 3], [1])
    >>> d["outcome"].round(6).tolist()
    [[0.5, 0.45]]
    """
    scenario = _scenario_of(scenario)
    if name_x == name_y:
        raise ValueError("heatmap_data needs two different constituencies")
    xs = np.asarray(values_x, dtype=float).ravel()
    ys = np.asarray(values_y, dtype=float).ravel()
    nx, ny = xs.size, ys.size
    batch = _strength_batch(scenario, {name_x: np.tile(xs, ny), name_y: np.repeat(ys, nx)})
    result = _solver.solve_batch(batch)
    shape = (ny, nx)
    chance = result.chance.reshape(shape)
    cx, cy = scenario.constituency(name_x).strength, scenario.constituency(name_y).strength
    hit_x, hit_y = np.flatnonzero(np.isclose(xs, cx)), np.flatnonzero(np.isclose(ys, cy))
    current_p = float(chance[hit_y[0], hit_x[0]]) if hit_x.size and hit_y.size else float("nan")
    return {
        "x": xs,
        "y": ys,
        "p_ab": chance,
        "agreed": result.agreed.reshape(shape),
        "outcome": np.where(result.agreed, result.point[:, 0], np.nan).reshape(shape),
        "expected_a": result.expected[:, 0].reshape(shape),
        "name_x": name_x,
        "name_y": name_y,
        "label_x": label_of(scenario.constituency(name_x)),
        "label_y": label_of(scenario.constituency(name_y)),
        "current_x": float(cx),
        "current_y": float(cy),
        "current_p": current_p,
        "level": float(scenario.confidence),
        "side_names": list(batch.side_names),
        "side_labels": list(batch.side_labels),
        "issue": scenario.issues[0].name,
        "issue_label": label_of(scenario.issues[0]),
    }


def heatmap_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`heatmap_data`: a heatmap of the chance of agreement, a contour at the confidence level,
    crosses on the no-deal cells and a star at the current strengths.

    Parameters
    ----------
    data : dict
        From :func:`heatmap_data`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> d = heatmap_data(canonical_scenario(), "A_hawk", "A_dove", [0, 1, 3], [0, 1])
    >>> [t.type for t in heatmap_figure(d).data]
    ['heatmap', 'contour', 'scatter']
    """
    xs, ys = np.asarray(data["x"], dtype=float), np.asarray(data["y"], dtype=float)
    z = np.asarray(data["p_ab"], dtype=float)
    agreed = np.asarray(data["agreed"], dtype=bool)
    level = data["level"]
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            x=xs,
            y=ys,
            z=z,
            zmin=0,
            zmax=1,
            colorscale="Viridis",
            name="chance of agreement",
            colorbar=dict(
                title=dict(text=f"chance<br><span style='font-size:11px'>white line: {level:g}</span>"),
                tickformat=".0%",
            ),
            hovertemplate=(
                f"{_esc(_short(data['label_x'], 30))} %{{x}}<br>{_esc(_short(data['label_y'], 30))} %{{y}}<br>"
                "chance of agreement %{z:.2f}<extra></extra>"
            ),
        )
    )
    if xs.size > 1 and ys.size > 1:
        fig.add_trace(
            go.Contour(
                x=xs,
                y=ys,
                z=z,
                showscale=False,
                name=f"chance of agreement = {level:g}",
                hoverinfo="skip",
                showlegend=False,
                contours=dict(
                    start=level,
                    end=level,
                    size=1,
                    coloring="none",
                    showlabels=True,
                    labelfont=dict(color="white", size=12),
                ),
                line=dict(color="white", width=3),
            )
        )
    if (~agreed).any():
        iy, ix = np.nonzero(~agreed)
        fig.add_trace(
            go.Scatter(
                x=xs[ix],
                y=ys[iy],
                mode="markers",
                name="no deal",
                marker=dict(symbol="x", size=11, color="white", line=dict(color=_INK, width=1)),
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[data["current_x"]],
            y=[data["current_y"]],
            mode="markers",
            name="current strengths",
            marker=dict(symbol="star", size=18, color="white", line=dict(color=_INK, width=2)),
        )
    )
    fig.update_layout(height=500, legend=dict(orientation="h", yanchor="bottom", y=-0.3, x=0))
    above = int((z >= level - 1e-12).sum())
    now = (
        ""
        if not np.isfinite(data["current_p"])
        else f", and it is {_num(data['current_p'])} at the current strengths "
        f"({data['current_x']:g}, {data['current_y']:g})"
    )
    spread = (
        f"it is {_num(z.min())} everywhere"
        if _num(z.min()) == _num(z.max())
        else f"it ranges from {_num(z.min())} to {_num(z.max())}"
    )
    summary = (
        f"Chance of agreement over {xs.size} x {ys.size} strengths of {data['label_x']} and "
        f"{data['label_y']}: {spread}, is at least {level:g} in "
        f"{above} of {z.size} cells and there is no deal in {int((~agreed).sum())}{now}."
    )
    return _style(
        fig,
        _esc(
            f"Chance of agreement over the strengths of {_short(data['label_x'], 40)} and {_short(data['label_y'], 40)}"
        ),
        summary,
        _esc(f"strength of {_short(data['label_x'], 60)}"),
        _esc(f"strength of {_short(data['label_y'], 60)}"),
    )


def schelling_data(scenario, name: str, strengths: Sequence[float]) -> dict:
    """Outcome, chance of agreement and side A's expected value as one constituency's strength varies.

    All strengths are solved as one batch (the "paradox of weakness" picture, casebook/front_matter/model.md §9).

    Parameters
    ----------
    scenario : Scenario, Case or chapter
    name : str
        The constituency whose strength varies.
    strengths : sequence of float
        Values (>= 0).

    Returns
    -------
    dict
        ``strengths``, ``outcome`` (first issue, NaN for no deal), ``agreed``, ``p_ab`` (chance of agreement),
        ``expected_a``, ``expected_b``, ``disagreement_a``, ``reason`` (list), ``name``, ``label``,
        ``current`` (the scenario's strength), ``side_names``, ``issue``.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> d = schelling_data(canonical_scenario(), "A_hawk", [0, 1, 3])
    >>> d["outcome"].round(6).tolist(), d["expected_a"].round(6).tolist()
    ([0.5, 0.5, 0.45], [-0.5, -0.5, -0.45])
    """
    scenario = _scenario_of(scenario)
    values = np.asarray(strengths, dtype=float).ravel()
    batch = _strength_batch(scenario, {name: values})
    result = _solver.solve_batch(batch)
    return {
        "strengths": values,
        "outcome": np.where(result.agreed, result.point[:, 0], np.nan),
        "agreed": result.agreed.copy(),
        "p_ab": result.chance,
        "expected_a": result.expected[:, 0].copy(),
        "expected_b": result.expected[:, 1].copy(),
        "disagreement_a": result.disagreement[:, 0].copy(),
        "reason": [str(r) for r in result.reason],
        "name": name,
        "label": label_of(scenario.constituency(name)),
        "current": float(scenario.constituency(name).strength),
        "side_names": list(batch.side_names),
        "side_labels": list(batch.side_labels),
        "issue": scenario.issues[0].name,
        "issue_label": label_of(scenario.issues[0]),
    }


def schelling_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`schelling_data`: three stacked panels sharing the strength axis, no-deal strengths shaded.

    Parameters
    ----------
    data : dict
        From :func:`schelling_data`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> fig = schelling_figure(schelling_data(canonical_scenario(), "A_hawk", [0, 1, 3]))
    >>> len(fig.data), fig.layout.title.text
    (3, "The Schelling curve: what the strength of A's hawk does")
    """
    s = np.asarray(data["strengths"], dtype=float)
    agreed = np.asarray(data["agreed"], dtype=bool)
    a = _side_phrase(data["side_labels"][0])
    issue = data["issue_label"]
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.07,
        subplot_titles=(
            _esc(f"outcome ({_short(issue, 50)})"),
            "chance of agreement (both sides ratify)",
            _esc(f"expected value for the leader: {_short(a, 40)}"),
        ),
    )
    fig.add_trace(
        go.Scatter(
            x=s,
            y=data["outcome"],
            mode="lines+markers",
            name="outcome",
            line=dict(color=_INK, width=2),
            connectgaps=False,
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=s, y=data["p_ab"], mode="lines+markers", name="chance of agreement", line=dict(color=ZOPA_COLOUR, width=3)
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=s,
            y=data["expected_a"],
            mode="lines+markers",
            name="expected value",
            line=dict(color=SIDE_COLOURS[0], width=2),
        ),
        row=3,
        col=1,
    )
    shapes = []
    order = np.argsort(s)
    step = np.min(np.diff(s[order])) / 2 if s.size > 1 else 0.5
    for k in np.flatnonzero(~agreed):
        shapes.append(
            dict(
                type="rect",
                xref="x",
                yref="paper",
                x0=s[k] - step,
                x1=s[k] + step,
                y0=0,
                y1=1,
                fillcolor=_GREY,
                opacity=0.15,
                line=dict(width=0),
                layer="below",
            )
        )
    shapes.append(
        dict(
            type="line",
            xref="x",
            yref="paper",
            x0=data["current"],
            x1=data["current"],
            y0=0,
            y1=1,
            line=dict(color=_GREY, width=1.5, dash="dot"),
        )
    )
    fig.update_layout(
        shapes=shapes,
        height=620,
        showlegend=False,
        annotations=list(fig.layout.annotations)
        + [
            dict(
                text="current",
                x=data["current"],
                xref="x",
                y=1.0,
                yref="paper",
                showarrow=False,
                yanchor="bottom",
                font=dict(size=12, color=_GREY),
            )
        ],
    )
    fig.update_yaxes(title_text="outcome", row=1, col=1)
    fig.update_yaxes(title_text="chance", range=[-0.03, 1.05], tickformat=".0%", row=2, col=1)
    fig.update_yaxes(title_text="expected value", row=3, col=1)
    fig.update_xaxes(title_text=_esc(f"strength of {_short(data['label'], 60)}"), row=3, col=1)
    deals = np.flatnonzero(agreed[order])
    if deals.size:
        first, last = order[deals[0]], order[deals[-1]]
        moves = f"the outcome moves from {_num(data['outcome'][first])} to {_num(data['outcome'][last])} on {issue}"
    else:
        moves = "there is never a deal"
    lo, hi = order[0], order[-1]
    summary = (
        f"As the strength of {data['label']} goes from {s[lo]:g} to {s[hi]:g}, {moves} "
        f"(no deal at {int((~agreed).sum())} of {s.size} strengths), the chance of agreement goes from "
        f"{_num(data['p_ab'][lo])} to {_num(data['p_ab'][hi])} and the expected value for the leader ({a}) from "
        f"{_num(data['expected_a'][lo], 3)} to {_num(data['expected_a'][hi], 3)}."
    )
    return _style(fig, _esc(f"The Schelling curve: what the strength of {_short(data['label'], 60)} does"), summary)
