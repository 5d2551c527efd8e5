"""The win-sets and the ZOPA on one issue: crisp intervals, and the smooth ratification curves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from .. import _grid
from .. import solver as _solver
from .. import winset as _winset
from ..scenario import as_batch, label_of
from ._style import (
    _GREY,
    _INK,
    SIDE_COLOURS,
    ZOPA_COLOUR,
    _esc,
    _evaluation,
    _intervals_text,
    _issue_axis,
    _issue_ends,
    _labels_of,
    _legend_below,
    _num,
    _one_issue,
    _scenario_of,
    _short,
    _side_phrase,
    _style,
    _unique,
)

__all__ = ["winset_data", "winset_figure", "ratification_curve_data", "ratification_curve_figure"]


def winset_data(scenario) -> dict:
    """Acceptable intervals, both win-sets, the ZOPA and the outcome of a one-issue scenario.

    Each constituency's crisp acceptable interval is :math:`[\\theta_i - r_i, \\theta_i + r_i]` with
    :math:`r_i = (\\rho_i^\\gamma + \\sum_m z_m v_{im} + e_i \\pi_i - h_i)^{1/\\gamma} / \\sqrt{\\sigma_i}`
    (tolerance, forced terms, payments, threat; casebook/front_matter/model.md §2), clipped to the issue's range; it
    is empty
    (NaN) when the radius is negative or the interval misses the range. The win-sets and the ZOPA come from
    :func:`~levelii_kit.winset.win_set` and :func:`~levelii_kit.winset.zopa` at the scenario's confidence,
    with the forced terms only; the outcome from one solve.

    Parameters
    ----------
    scenario : Scenario, Case or chapter
        One issue.

    Returns
    -------
    dict
        Per constituency: ``names``, ``labels``, ``side``, ``strength``, ``seated``, ``blocking``, ``ideal``,
        ``radius``, ``raw_low``/``raw_high`` (unclipped), ``low``/``high`` (clipped, NaN when empty).
        Per side: ``side_names``, ``leaders``, ``leader_ideal``, ``win_sets`` (lists of ``(low, high)``).
        ``zopa`` (list of ``(low, high)``), ``confidence``, ``range`` (issue low, high), ``issue``,
        ``issue_title``, ``issue_ends``, ``status_quo`` (NaN if none), ``agreed``, ``outcome`` (NaN for no
        deal),
        ``probability``, ``reason``, ``outcome_terms``, ``forced_terms``.

    Raises
    ------
    ValueError
        For a two-issue scenario.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> d = winset_data(canonical_scenario())
    >>> d["low"][:3].tolist(), d["high"][:3].round(6).tolist()
    ([0.0, 0.0, 0.0], [0.6, 0.45, 0.9])
    >>> d["zopa"], d["outcome"]
    ([(0.4, 0.6)], 0.5)
    """
    scenario = _scenario_of(scenario)
    _one_issue(scenario, "winset_data")
    batch = as_batch(scenario)
    z = _evaluation.forced_terms(batch)
    radius = _grid.crisp_radius(batch, z)[0][0, 0]
    theta = batch.ideal[0, :, 0]
    issue = scenario.issues[0]
    lo_r, hi_r = float(issue.low), float(issue.high)
    raw_low, raw_high = theta - radius, theta + radius
    with np.errstate(invalid="ignore"):
        low = np.maximum(raw_low, lo_r)
        high = np.minimum(raw_high, hi_r)
        empty = np.isnan(radius) | (low > high)
    low = np.where(empty, np.nan, low)
    high = np.where(empty, np.nan, high)
    result = _solver.solve_batch(batch)
    agreed = bool(result.agreed[0])
    sides = [_winset.win_set(batch, s).intervals_of(0) for s in (0, 1)]
    leaders = [int(k) for k in batch.leaders]
    return {
        "names": list(batch.names),
        "labels": _labels_of(scenario),
        "side": np.asarray(batch.side_of).copy(),
        "strength": batch.strength[0].copy(),
        "seated": batch.seated[0].copy(),
        "blocking": batch.blocking[0].copy(),
        "ideal": theta.copy(),
        "radius": radius.copy(),
        "raw_low": raw_low,
        "raw_high": raw_high,
        "low": low,
        "high": high,
        "side_names": list(batch.side_names),
        "side_labels": list(batch.side_labels),
        "leaders": [batch.names[k] for k in leaders],
        "leader_labels": [batch.labels[k] for k in leaders],
        "leader_ideal": theta[leaders].copy(),
        "win_sets": sides,
        "zopa": _winset.zopa(batch).intervals_of(0),
        "confidence": float(batch.confidence),
        "range": (lo_r, hi_r),
        "issue": issue.name,
        "issue_title": label_of(issue),
        "issue_ends": _issue_ends(issue),
        "status_quo": float(scenario.status_quo[0]) if scenario.status_quo is not None else float("nan"),
        "agreed": agreed,
        "outcome": float(result.point[0, 0]) if agreed else float("nan"),
        "probability": float(result.chance[0]),
        "reason": str(result.reason[0]),
        "outcome_terms": [t for t, on in zip(batch.term_names, result.terms[0]) if on],
        "forced_terms": [t for t, on in zip(batch.term_names, z[0]) if on],
    }


def winset_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`winset_data`: a bar per constituency, the win-sets, the ZOPA and the outcome.

    Bar thickness grows with strength, hatched bars hold a hard veto, faded bars are not seated; the ZOPA is
    also shaded across the whole plot.

    Parameters
    ----------
    data : dict
        From :func:`winset_data`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> fig = winset_figure(winset_data(canonical_scenario()))
    >>> len(fig.data), fig.layout.title.text
    (7, 'Win-sets and the ZOPA on the single issue')
    """
    side = np.asarray(data["side"])
    names = [_esc(label) for label in _unique(data["labels"])]
    low = np.asarray(data["low"], dtype=float)
    high = np.asarray(data["high"], dtype=float)
    strength = np.asarray(data["strength"], dtype=float)
    seated = np.asarray(data["seated"], dtype=bool)
    blocking = np.asarray(data["blocking"], dtype=float)
    sides = [_side_phrase(label) for label in data["side_labels"]]
    issue = data["issue_title"]
    lo_r, hi_r = data["range"]
    biggest = strength.max() if strength.size and strength.max() > 0 else 1.0
    rows_ws = [f"win-set: {_esc(_short(s, 24))}" for s in sides]
    row_zopa = "ZOPA"
    categories = names + rows_ws + [row_zopa]
    ticktext = [_short(n, 40) + ("" if np.isfinite(low[i]) else " (accepts nothing)") for i, n in enumerate(names)]
    ticktext += [r + ("" if data["win_sets"][s] else " (empty)") for s, r in enumerate(rows_ws)]
    ticktext += [row_zopa + ("" if data["zopa"] else " (empty)")]
    fig = go.Figure()
    for s in (0, 1):
        idx = [i for i in np.flatnonzero(side == s) if np.isfinite(low[i])]
        fig.add_trace(
            go.Bar(
                y=[names[i] for i in idx],
                x=[high[i] - low[i] for i in idx],
                base=[low[i] for i in idx],
                orientation="h",
                name=f"acceptable to constituencies: {_esc(sides[s])}",
                width=[0.15 + 0.7 * max(strength[i], 0) / biggest for i in idx],
                marker=dict(
                    color=SIDE_COLOURS[s],
                    opacity=[1.0 if seated[i] else 0.35 for i in idx],
                    pattern=dict(shape=["/" if blocking[i] >= 1 else "" for i in idx], fgcolor="white"),
                    line=dict(color=SIDE_COLOURS[s], width=1),
                ),
                hovertext=[
                    f"{names[i]} accepts [{low[i]:.3f}, {high[i]:.3f}]; strength {strength[i]:g}"
                    + (", hard veto" if blocking[i] >= 1 else "")
                    + ("" if seated[i] else ", not seated")
                    for i in idx
                ],
                hoverinfo="text",
            )
        )
    for s in (0, 1):
        ivs = data["win_sets"][s]
        fig.add_trace(
            go.Bar(
                y=[rows_ws[s]] * len(ivs),
                x=[b - a for a, b in ivs],
                base=[a for a, _ in ivs],
                orientation="h",
                name=f"win-set, {_esc(sides[s])}: {_intervals_text(ivs)}",
                width=0.7,
                marker=dict(color=SIDE_COLOURS[s], pattern=dict(shape="."), line=dict(color=_INK, width=1)),
                hovertext=[f"win-set, {_esc(sides[s])}: [{a:.3f}, {b:.3f}]" for a, b in ivs],
                hoverinfo="text",
            )
        )
    zopa = data["zopa"]
    fig.add_trace(
        go.Bar(
            y=[row_zopa] * len(zopa),
            x=[b - a for a, b in zopa],
            base=[a for a, _ in zopa],
            orientation="h",
            name=f"ZOPA: {_intervals_text(zopa)}",
            width=0.7,
            marker=dict(color=ZOPA_COLOUR, line=dict(color=_INK, width=1)),
            hovertext=[f"ZOPA: [{a:.3f}, {b:.3f}]" for a, b in zopa],
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=list(data["leader_ideal"]),
            y=[names[list(data["names"]).index(n)] for n in data["leaders"]],
            mode="markers",
            name="leaders' ideal points",
            marker=dict(symbol="star", size=16, color="white", line=dict(color=_INK, width=2)),
            hovertext=[f"{_esc(n)}'s ideal: {v:.3f}" for n, v in zip(data["leader_labels"], data["leader_ideal"])],
            hoverinfo="text",
        )
    )
    shapes = _zopa_bands(zopa, opacity=0.12)
    if data["agreed"]:
        fig.add_trace(
            go.Scatter(
                x=[data["outcome"]] * 2,
                y=[categories[0], categories[-1]],
                mode="lines",
                name=f"outcome: {_esc(issue)} = {_num(data['outcome'])}",
                line=dict(color=_INK, width=3, dash="dash"),
                hoverinfo="name",
            )
        )
    if np.isfinite(data["status_quo"]):
        fig.add_trace(
            go.Scatter(
                x=[data["status_quo"]] * 2,
                y=[categories[0], categories[-1]],
                mode="lines",
                name=f"status quo {_num(data['status_quo'])}",
                line=dict(color=_GREY, width=2, dash="dot"),
                hoverinfo="name",
            )
        )
    span = hi_r - lo_r
    xs = [lo_r, hi_r] + [float(v) for v in data["leader_ideal"] if np.isfinite(v)]
    fig.update_xaxes(range=[min(xs) - 0.04 * span, max(xs) + 0.04 * span], zeroline=False)
    fig.update_yaxes(
        categoryorder="array", categoryarray=categories, tickvals=categories, ticktext=ticktext, autorange="reversed"
    )
    fig.update_layout(shapes=shapes, barmode="overlay")
    _legend_below(fig, 270 + 34 * len(categories))
    ws = data["win_sets"]
    if data["agreed"]:
        end = (
            f"the outcome is {issue} = {_num(data['outcome'])} with a chance of agreement of "
            f"{_num(data['probability'])}"
        )
    else:
        end = f"there is no deal ({data['reason']})"
    summary = (
        f"Crisp acceptable intervals on {issue}: the win-set is {_intervals_text(ws[0])} for {sides[0]} "
        f"and {_intervals_text(ws[1])} for {sides[1]}, the ZOPA is "
        f"{_intervals_text(zopa)} and {end}."
    )
    title = f"Win-sets and the ZOPA on {_esc(_short(issue, 60))}"
    return _style(fig, title, summary, _issue_axis(data), "constituency or set")


def ratification_curve_data(scenario, points: int = 201) -> dict:
    """:math:`P_A(x)`, :math:`P_B(x)` and :math:`P_{AB}(x)` across a one-issue scenario's range.

    The grid is ``points`` evenly spaced values plus every endpoint of a crisp acceptable interval inside
    the range, so that crisp steps sit exactly where they are. Ratification uses the forced terms only.

    Parameters
    ----------
    scenario : Scenario, Case or chapter
        One issue.
    points : int
        Evenly spaced grid points (at least 2).

    Returns
    -------
    dict
        ``x``, ``p_a``, ``p_b``, ``p_ab`` (arrays on the grid), ``confidence``, ``regions`` (runs of the grid
        where :math:`P_{AB} \\ge c`, as ``(low, high)``), ``best_x`` and ``best_probability`` (the grid's
        maximum of :math:`P_{AB}`), ``side_names``, ``issue``, ``issue_title``, ``issue_ends``, ``agreed``,
        ``outcome`` (NaN
        for no deal), ``probability`` (chance of agreement).

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> d = ratification_curve_data(canonical_scenario())
    >>> d["regions"], float(d["p_ab"][d["x"] == 0.5][0])
    ([(0.4, 0.6)], 1.0)
    """
    scenario = _scenario_of(scenario)
    _one_issue(scenario, "ratification_curve_data")
    if points < 2:
        raise ValueError("points must be at least 2")
    batch = as_batch(scenario)
    issue = scenario.issues[0]
    lo_r, hi_r = float(issue.low), float(issue.high)
    radius = _grid.crisp_radius(batch, _evaluation.forced_terms(batch))[0][0, 0]
    theta = batch.ideal[0, :, 0]
    ends = np.concatenate([theta - radius, theta + radius])
    ends = ends[np.isfinite(ends) & (ends >= lo_r) & (ends <= hi_r)]
    grid = np.linspace(lo_r, hi_r, points)
    if ends.size:
        grid = grid[np.abs(grid[:, None] - ends[None, :]).min(1) > 1e-9]
    x = np.unique(np.concatenate([grid, ends]))
    ev = _evaluation.evaluate(batch, x[None, :, None])
    result = _solver.solve_batch(batch)
    p_ab = ev.joint[0]
    c = float(batch.confidence)
    inside = p_ab >= c - 1e-12
    regions = []
    start = None
    for k, flag in enumerate(inside):  # runs along one grid, not a loop over scenarios
        if flag and start is None:
            start = x[k]
        if not flag and start is not None:
            regions.append((float(start), float(x[k - 1])))
            start = None
    if start is not None:
        regions.append((float(start), float(x[-1])))
    best = int(np.argmax(p_ab))
    agreed = bool(result.agreed[0])
    return {
        "x": x,
        "p_a": ev.side[0, :, 0].copy(),
        "p_b": ev.side[0, :, 1].copy(),
        "p_ab": p_ab.copy(),
        "confidence": c,
        "regions": regions,
        "best_x": float(x[best]),
        "best_probability": float(p_ab[best]),
        "side_names": list(batch.side_names),
        "side_labels": list(batch.side_labels),
        "issue": issue.name,
        "issue_title": label_of(issue),
        "issue_ends": _issue_ends(issue),
        "agreed": agreed,
        "outcome": float(result.point[0, 0]) if agreed else float("nan"),
        "probability": float(result.chance[0]),
    }


def ratification_curve_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`ratification_curve_data`: three curves, the confidence line, the shaded ZOPA, the outcome.

    Parameters
    ----------
    data : dict
        From :func:`ratification_curve_data`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> fig = ratification_curve_figure(ratification_curve_data(canonical_scenario()))
    >>> [t.name for t in fig.data][:3]
    ['chance that Side A ratifies', 'chance that Side B ratifies', 'chance that both ratify']
    """
    a, b = (_side_phrase(label) for label in data["side_labels"])
    x = np.asarray(data["x"], dtype=float)
    c = data["confidence"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=data["p_a"],
            mode="lines",
            name=f"chance that {_esc(a)} ratifies",
            line=dict(color=SIDE_COLOURS[0], width=2),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=data["p_b"],
            mode="lines",
            name=f"chance that {_esc(b)} ratifies",
            line=dict(color=SIDE_COLOURS[1], width=2, dash="dash"),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x, y=data["p_ab"], mode="lines", name="chance that both ratify", line=dict(color=ZOPA_COLOUR, width=4)
        )
    )
    shapes = _zopa_bands(data["regions"], opacity=0.15)
    shapes.append(
        dict(type="line", xref="paper", x0=0, x1=1, y0=c, y1=c, line=dict(color=_GREY, width=1.5, dash="dot"))
    )
    if data["agreed"]:
        fig.add_trace(
            go.Scatter(
                x=[data["outcome"]] * 2,
                y=[0, 1],
                mode="lines",
                name=f"outcome: {_esc(data['issue_title'])} = {_num(data['outcome'])}",
                line=dict(color=_INK, width=2, dash="dashdot"),
            )
        )
    fig.update_layout(
        shapes=shapes,
        annotations=[
            dict(
                text=f"c = {c:g}",
                x=1,
                xref="paper",
                y=c,
                xanchor="right",
                yanchor="bottom",
                showarrow=False,
                font=dict(size=12, color=_GREY),
            )
        ],
    )
    _legend_below(fig, 500, bottom=150, gap=85)
    fig.update_yaxes(range=[-0.02, 1.05])
    where = f"on {_intervals_text(data['regions'])}" if data["regions"] else "nowhere"
    issue = data["issue_title"]
    end = (
        f"the outcome is {issue} = {_num(data['outcome'])} with a chance of agreement of {_num(data['probability'])}"
        if data["agreed"]
        else "there is no deal"
    )
    summary = (
        f"Ratification chances along {issue}: the chance that both {a} and {b} ratify is at least {c:g} "
        f"{where} and peaks at {_num(data['best_probability'])} at {issue} = {_num(data['best_x'])}; "
        f"{end}."
    )
    title = f"Chance of ratification along {_esc(_short(issue, 60))}"
    return _style(fig, title, summary, _issue_axis(data), "probability of ratification")


def _zopa_bands(intervals, opacity: float) -> list[dict]:
    """The ZOPA's intervals as full-height shaded bands behind an issue-axis figure (plotly layout shapes)."""
    return [
        dict(
            type="rect",
            xref="x",
            yref="paper",
            x0=lo,
            x1=hi,
            y0=0,
            y1=1,
            fillcolor=ZOPA_COLOUR,
            opacity=opacity,
            line=dict(width=0),
            layer="below",
        )
        for lo, hi in intervals
    ]
