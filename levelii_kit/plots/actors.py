"""The actor map (who sits at the Level I table, who stands behind each side) and the power bars."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from .. import power as _power
from ._style import (
    _GREY,
    _INK,
    _ORANGE,
    _PURPLE,
    _SKY,
    SIDE_COLOURS,
    _esc,
    _labels_of,
    _pct,
    _scenario_of,
    _short,
    _style,
)

__all__ = ["actor_map_data", "actor_map_figure", "power_data", "power_figure"]


def actor_map_data(case) -> dict:
    """Who sits at the Level I table and who stands behind each side.

    Parameters
    ----------
    case : Case, chapter or Scenario
        A case (its raw model), a chapter (its baseline) or a scenario.

    Returns
    -------
    dict
        ``title``; ``side_names``, ``side_labels``, ``leaders``, ``quota``, ``discretion`` (per side);
        ``names``, ``labels``, ``side`` (0/1), ``leader`` (bool), ``strength``, ``ideal`` (first issue),
        ``tolerance`` (NaN in status-quo mode), ``blocking``, ``seated`` (per constituency); ``issue``.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> d = actor_map_data(canonical_scenario())
    >>> d["leaders"], d["side"].tolist()
    (['A_leader', 'B_leader'], [0, 0, 0, 1, 1, 1])
    """
    scenario = _scenario_of(case)
    cons = scenario.constituencies
    leaders = [s.leader for s in scenario.sides]
    title = getattr(case, "title", "") or getattr(getattr(case, "case", None), "title", "") or scenario.name
    return {
        "title": title,
        "side_names": [s.name for s in scenario.sides],
        "side_labels": [s.label or s.name for s in scenario.sides],
        "leaders": leaders,
        "leader_labels": [scenario.constituency(n).label or n for n in leaders],
        "quota": np.array([s.rule.quota for s in scenario.sides]),
        "discretion": np.array([s.rule.discretion for s in scenario.sides]),
        "names": [c.name for c in cons],
        "labels": _labels_of(scenario),
        "side": np.array([si for si, s in enumerate(scenario.sides) for _ in s.constituencies]),
        "leader": np.array([c.name in leaders for c in cons]),
        "strength": np.array([c.strength for c in cons], dtype=float),
        "ideal": np.array([c.ideal[0] for c in cons], dtype=float),
        "tolerance": np.array([np.nan if c.tolerance is None else c.tolerance for c in cons], dtype=float),
        "blocking": np.array([c.blocking for c in cons], dtype=float),
        "seated": np.array([c.seated for c in cons], dtype=bool),
        "issue": scenario.issues[0].label or scenario.issues[0].name,
    }


def actor_map_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`actor_map_data`: the two leaders at the table, each side's constituencies behind them.

    Marker size grows with strength; a diamond is a hard veto, a square a partial blocker, an open marker a
    constituency that is not seated in its side's ratifying body. Lines tie each constituency to its leader
    (thicker for blockers, dotted when not seated).

    Parameters
    ----------
    data : dict
        From :func:`actor_map_data`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> fig = actor_map_figure(actor_map_data(canonical_scenario()))
    >>> len(fig.data), fig.layout.title.text
    (2, 'Who sits at the table and who stands behind it')
    """
    side = np.asarray(data["side"])
    strength = np.asarray(data["strength"], dtype=float)
    blocking = np.asarray(data["blocking"], dtype=float)
    seated = np.asarray(data["seated"], dtype=bool)
    leader = np.asarray(data["leader"], dtype=bool)
    labels = [_esc(label) for label in data["labels"]]
    side_labels = [_esc(label) for label in data["side_labels"]]
    biggest = strength.max() if strength.size and strength.max() > 0 else 1.0
    fig = go.Figure()
    lead_x = (1.0, 2.0)
    back_x = (0.0, 3.0)
    shapes = [
        dict(
            type="rect",
            x0=0.65,
            x1=2.35,
            y0=-0.32,
            y1=0.32,
            line=dict(color=_GREY, width=1),
            fillcolor="rgba(0,0,0,0.04)",
            layer="below",
        ),
        dict(type="line", x0=1.0, x1=2.0, y0=0.0, y1=0.0, line=dict(color=_INK, width=2), layer="below"),
    ]
    for s in (0, 1):
        idx = np.flatnonzero(side == s)
        others = [i for i in idx if not leader[i]]
        ys = np.linspace(1.0, -1.0, len(others)) if len(others) > 1 else np.zeros(len(others))
        pos = {i: (back_x[s], float(y)) for i, y in zip(others, ys)}
        for i in idx:
            if leader[i]:
                pos[i] = (lead_x[s], 0.0)
        for i in others:
            x0, y0 = pos[i]
            shapes.append(
                dict(
                    type="line",
                    x0=x0,
                    y0=y0,
                    x1=lead_x[s],
                    y1=0.0,
                    layer="below",
                    line=dict(color=SIDE_COLOURS[s], width=1 + 3 * blocking[i], dash="solid" if seated[i] else "dot"),
                )
            )
        symbols = []
        for i in idx:
            base = "diamond" if blocking[i] >= 1 else ("square" if blocking[i] > 0 else "circle")
            symbols.append(base if seated[i] else base + "-open")
        hover = [
            f"{labels[i]}<br>strength {strength[i]:g}, ideal {data['ideal'][i]:.2f}, "
            f"tolerance {data['tolerance'][i]:.2f}<br>blocking {blocking[i]:g}"
            f"{'' if seated[i] else ' (not seated)'}{' — the leader' if leader[i] else ''}"
            for i in idx
        ]
        positions = []
        for i in idx:
            if leader[i]:
                positions.append("top center")
            else:
                positions.append("middle left" if s == 0 else "middle right")
        fig.add_trace(
            go.Scatter(
                x=[pos[i][0] for i in idx],
                y=[pos[i][1] for i in idx],
                mode="markers+text",
                name=side_labels[s],
                text=[_short(labels[i], 28) for i in idx],
                textposition=positions,
                hovertext=hover,
                hoverinfo="text",
                marker=dict(
                    size=[14 + 26 * np.sqrt(max(strength[i], 0) / biggest) for i in idx],
                    symbol=symbols,
                    color=SIDE_COLOURS[s],
                    opacity=1.0,
                    line=dict(color=SIDE_COLOURS[s], width=2),
                ),
            )
        )
    n_veto = int(((blocking >= 1) & seated).sum())
    n_partial = int(((blocking > 0) & (blocking < 1) & seated).sum())
    n_unseated = int((~seated).sum())
    counts = [int(((side == s) & ~leader).sum()) for s in (0, 1)]
    summary = (
        f"Actor map: {data['side_labels'][0]} negotiates through {data['leader_labels'][0]} with {counts[0]} "
        f"constituencies behind it and {data['side_labels'][1]} through {data['leader_labels'][1]} with "
        f"{counts[1]}; "
        f"{n_veto} hold a hard veto, {n_partial} can partly block and {n_unseated} "
        f"{'is' if n_unseated == 1 else 'are'} not seated."
    )
    fig.update_layout(
        shapes=shapes,
        showlegend=True,
        height=580,
        margin=dict(b=150),
        legend=dict(orientation="h", yanchor="top", y=-0.25, x=0),
        annotations=[
            dict(
                text="Level I table", x=1.5, y=-0.3, showarrow=False, yanchor="bottom", font=dict(size=12, color=_GREY)
            ),
            dict(
                text="marker size = strength; ◆ hard veto, ■ partial blocker, open marker = not seated",
                x=0,
                xref="paper",
                y=1.06,
                yref="paper",
                showarrow=False,
                xanchor="left",
                font=dict(size=12, color=_GREY),
            ),
        ],
    )
    fig.update_xaxes(
        range=[-1.6, 4.6],
        tickvals=[0, 1.5, 3],
        showgrid=False,
        zeroline=False,
        ticktext=[
            f"Level II: {_short(side_labels[0], 30)}",
            "Level I: the leaders",
            f"Level II: {_short(side_labels[1], 30)}",
        ],
    )
    fig.update_yaxes(range=[-1.4, 1.4], showticklabels=False, showgrid=False, zeroline=False)
    return _style(
        fig,
        "Who sits at the table and who stands behind it",
        summary,
        "level (behind the table, at the table, behind the table)",
        "constituencies of each side",
    )


def power_data(scenario, side) -> dict:
    """Weight share, Banzhaf and Shapley-Shubik indices of one side's seated constituencies.

    Parameters
    ----------
    scenario : Scenario, Case or chapter
    side : int or str

    Returns
    -------
    dict
        ``names``, ``labels``, ``weight_share``, ``banzhaf``, ``shapley_shubik``, ``veto``, ``side``,
        ``side_index``, ``side_label``, ``quota``.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> power_data(canonical_scenario(), "A")["banzhaf"].round(4).tolist()
    [0.3333, 0.3333, 0.3333]
    """
    scenario = _scenario_of(scenario)
    si = scenario.side_index(side)
    table = _power.side_power(scenario, si)
    s = scenario.sides[si]
    labels = {c.name: c.label or c.name for c in s.constituencies}
    return {
        "names": list(table.index),
        "labels": [labels[n] for n in table.index],
        "weight_share": table["weight_share"].to_numpy(dtype=float),
        "banzhaf": table["banzhaf"].to_numpy(dtype=float),
        "shapley_shubik": table["shapley_shubik"].to_numpy(dtype=float),
        "veto": table["veto"].to_numpy(dtype=bool),
        "side": s.name,
        "side_index": si,
        "side_label": s.label or s.name,
        "quota": float(s.rule.quota),
    }


def power_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`power_data`: grouped bars of weight share, Banzhaf and Shapley-Shubik per constituency.

    Parameters
    ----------
    data : dict
        From :func:`power_data`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> fig = power_figure(power_data(canonical_scenario(), "B"))
    >>> [t.name for t in fig.data]
    ['weight share', 'Banzhaf index', 'Shapley-Shubik index']
    """
    names = [_short(_esc(n), 32) + (" (veto)" if v else "") for n, v in zip(data["labels"], data["veto"])]
    fig = go.Figure()
    for key, label, colour, pattern in (
        ("weight_share", "weight share", _SKY, ""),
        ("banzhaf", "Banzhaf index", _ORANGE, "/"),
        ("shapley_shubik", "Shapley-Shubik index", _PURPLE, "."),
    ):
        vals = np.asarray(data[key], dtype=float)
        fig.add_trace(
            go.Bar(
                x=names,
                y=vals,
                name=label,
                text=[f"{v:.2f}" for v in vals],
                textposition="outside",
                cliponaxis=False,
                marker=dict(color=colour, pattern=dict(shape=pattern), line=dict(color=_INK, width=1)),
            )
        )
    fig.update_layout(barmode="group", height=440, legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0))
    fig.update_yaxes(range=[0, 1.1])
    each = "; ".join(
        f"{n} {w:.2f}, {b:.2f}, {s:.2f}"
        for n, w, b, s in zip(data["labels"], data["weight_share"], data["banzhaf"], data["shapley_shubik"])
    )
    summary = (
        f"Voting power on {data['side_label']} (quota {_pct(data['quota'])}), as weight share, Banzhaf and "
        f"Shapley-Shubik index: {each}."
    )
    title = f"Weight is not power: {_short(data['side_label'], 60)}"
    return _style(fig, title, summary, "constituency", "share of weight or power")
