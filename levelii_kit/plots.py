"""Plotly figures that make the model visible (model.md section 6), each split into data and drawing.

Every figure comes as a pair:

* a **data function** (``*_data``) that may run the model, batch-first: it builds at most one
  :class:`~levelii_kit.scenario.ScenarioBatch` and solves it once (never a Python loop calling the solver per
  scenario), and returns a plain ``dict`` of numpy arrays, lists, numbers and strings;
* a **figure function** (``*_figure``) that takes only that dict and returns a
  :class:`plotly.graph_objects.Figure`. It never calls the model, so a figure can be redrawn, restyled or
  tested without solving anything.

Every figure has a plain-text title (``fig.layout.title.text``), axis titles, and a one-sentence summary with
the key numbers in ``fig.layout.meta["summary"]``; the casebook site turns the summary into the figure's
accessible caption. Colours come from the Okabe-Ito palette, which stays distinguishable under the common
colour-vision deficiencies: side A blue ``#0072B2``, side B vermillion ``#D55E00``, the ZOPA and the chance of
agreement green ``#009E73``. Figures use no external resources (no web fonts, no MathJax, no images).

The figures:

======================================  =========================================================================
``actor_map_data`` / ``_figure``        who sits at the Level I table, who stands behind each side
``support_data`` / ``_figure``          support per constituency at the outcome, quota per side, vetoes
``winset_data`` / ``_figure``           crisp acceptable intervals, the win-sets, the ZOPA and the outcome (1-D)
``ratification_curve_data`` / ...       :math:`P_A(x)`, :math:`P_B(x)` and :math:`P_{AB}(x)` across the issue
``waterfall_data`` / ``_figure``        the helper's ledger: baseline, Shapley share per move, costs, net
``heatmap_data`` / ``_figure``          chance of agreement over two constituencies' strengths
``schelling_data`` / ``_figure``        outcome, chance of agreement and :math:`E_A` against one strength
``whatif_data`` / ``_figure``           support with a strength slider and move-set buttons (no kernel needed)
``power_data`` / ``_figure``            weight share, Banzhaf and Shapley-Shubik per constituency of a side
======================================  =========================================================================

The "chance of agreement" is :math:`P_{AB}` at the Level I outcome, and 0 when the solver finds no deal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib import import_module
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import _grid
from . import power as _power
from . import solver as _solver
from . import winset as _winset
from .scenario import Scenario, ScenarioBatch, as_batch

# The package exports a function named ``support``, which hides the submodule of that name as an attribute.
_support = import_module(".support", __package__)

__all__ = [
    "SIDE_COLOURS",
    "ZOPA_COLOUR",
    "actor_map_data",
    "actor_map_figure",
    "support_data",
    "support_figure",
    "winset_data",
    "winset_figure",
    "ratification_curve_data",
    "ratification_curve_figure",
    "waterfall_data",
    "waterfall_figure",
    "heatmap_data",
    "heatmap_figure",
    "schelling_data",
    "schelling_figure",
    "whatif_data",
    "whatif_figure",
    "power_data",
    "power_figure",
    "PLOTLY_MIME",
    "figure_mimebundle",
    "use_mimetype_display",
]

#: Side A blue and side B vermillion (Okabe-Ito).
SIDE_COLOURS = ("#0072B2", "#D55E00")
#: The ZOPA and the chance of agreement (Okabe-Ito bluish green).
ZOPA_COLOUR = "#009E73"
_GREY = "#595959"
_INK = "#222222"
_ORANGE = "#E69F00"
_SKY = "#56B4E9"
_PURPLE = "#CC79A7"
_FONT = dict(family="Helvetica, Arial, 'Liberation Sans', sans-serif", size=14, color=_INK)


# ------------------------------------------------------------------------------------------ helpers
def _scenario_of(obj) -> Scenario:
    """A Scenario from a Scenario, a Case (its raw model) or a chapter (its baseline)."""
    if isinstance(obj, Scenario):
        return obj
    baseline = getattr(obj, "baseline", None)
    if isinstance(baseline, Scenario):
        return baseline
    scenario = getattr(obj, "scenario", None)
    if isinstance(scenario, Scenario):
        return scenario
    raise TypeError(f"expected a Scenario, a Case or a chapter, not {type(obj).__name__}")


def _case_of(obj):
    """A Case from a Case or a chapter (anything with ``.case``)."""
    case = getattr(obj, "case", None)
    if case is not None and hasattr(case, "scenario_with"):
        return case
    if hasattr(obj, "scenario_with") and hasattr(obj, "moves"):
        return obj
    raise TypeError(f"expected a Case or a chapter with .case, not {type(obj).__name__}")


def _num(value, digits: int = 2) -> str:
    """A number for a summary sentence ('-0.00' shown as '0.00')."""
    text = f"{float(value):.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _pct(value) -> str:
    return f"{float(value):.0%}"


def _intervals_text(intervals) -> str:
    if not len(intervals):
        return "empty"
    return " and ".join(f"[{_num(a)}, {_num(b)}]" for a, b in intervals)


def _labels_of(scenario: Scenario) -> list[str]:
    return [c.label or c.name for c in scenario.constituencies]


def _chance(result) -> np.ndarray:
    """Chance of agreement: P_AB at the outcome, 0 for no deal."""
    return np.where(result.agreed, result.probability, 0.0)


def _outcome_text(agreed: bool, point, issue_names, reason: str = "") -> str:
    if not agreed:
        return f"no deal ({reason})" if reason else "no deal"
    return ", ".join(f"{n} = {_num(v)}" for n, v in zip(issue_names, point))


def _strength_batch(scenario: Scenario, columns: Mapping[str, np.ndarray]) -> ScenarioBatch:
    """One batch: the scenario repeated, with some constituencies' strengths set per row."""
    names = scenario.constituency_names
    lengths = {len(v) for v in columns.values()}
    if len(lengths) != 1:
        raise ValueError("every strength column needs the same length")
    rows = lengths.pop()
    if rows == 0:
        raise ValueError("give at least one strength")
    batch = as_batch(scenario).repeat(rows)
    strength = batch.strength.copy()
    for name, values in columns.items():
        scenario.locate(name)  # KeyError for an unknown constituency
        values = np.asarray(values, dtype=float)
        if not np.all(np.isfinite(values)) or (values < 0).any():
            raise ValueError(f"strengths of {name!r} must be finite and >= 0")
        strength[:, names.index(name)] = values
    return batch.replace(strength=strength)


def _style(fig, title: str, summary: str, xtitle: str | None = None, ytitle: str | None = None, **layout):
    """Title, summary, fonts and template shared by every figure."""
    fig.update_layout(
        template="plotly_white",
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=18)),
        font=_FONT,
        meta={"summary": summary},
        hoverlabel=dict(font=dict(family=_FONT["family"], size=13)),
        **layout,
    )
    if xtitle is not None:
        fig.update_xaxes(title_text=xtitle)
    if ytitle is not None:
        fig.update_yaxes(title_text=ytitle)
    return fig


def _one_issue(scenario: Scenario, what: str):
    if len(scenario.issues) != 1:
        raise ValueError(f"{what} draws one issue; this scenario has {len(scenario.issues)} issues")


def _issue_ends(issue) -> str:
    """What the two ends of an issue mean, in words ('' when the case does not say)."""
    if issue.low_label and issue.high_label:
        return f"{issue.low:g} = {issue.low_label}; {issue.high:g} = {issue.high_label}"
    return ""


def _issue_axis(data) -> str:
    """An issue axis title: the label, and what its ends mean on a smaller second line."""
    ends = data.get("issue_ends", "")
    title = data["issue_title"]
    return f"{title}<br><span style='font-size:12px'>{ends}</span>" if ends else title


def _legend_below(fig, height: int, top: int = 100, bottom: int = 170, gap: int = 95):
    """A horizontal legend under the x-axis title (positions in paper units of the plot area)."""
    plot = max(height - top - bottom, 80)
    fig.update_layout(
        height=height,
        margin=dict(t=top, b=bottom),
        legend=dict(orientation="h", yanchor="top", y=-gap / plot, x=0, xanchor="left"),
    )


# ------------------------------------------------------------------------------------------ actor map
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
    names, labels = list(data["names"]), list(data["labels"])
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
                name=f"{data['side_labels'][s]}",
                text=[names[i] for i in idx],
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
        f"Actor map: {data['side_labels'][0]} negotiates through {data['leaders'][0]} with {counts[0]} "
        f"constituencies behind it and {data['side_labels'][1]} through {data['leaders'][1]} with {counts[1]}; "
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
        ticktext=[f"Level II: {data['side_names'][0]}", "Level I: the leaders", f"Level II: {data['side_names'][1]}"],
    )
    fig.update_yaxes(range=[-1.4, 1.4], showticklabels=False, showgrid=False, zeroline=False)
    return _style(
        fig,
        "Who sits at the table and who stands behind it",
        summary,
        "level (behind the table, at the table, behind the table)",
        "constituencies of each side",
    )


# ------------------------------------------------------------------------------------------ support
def support_data(result, i: int = 0) -> dict:
    """Support per constituency and weighted support per side at scenario ``i``'s Level I proposal.

    Parameters
    ----------
    result : Result or Scenario
        A solved result (a scenario is solved first, as a batch of one).
    i : int
        Which scenario of the result.

    Returns
    -------
    dict
        ``names``, ``side`` (0/1), ``strength``, ``seated``, ``blocking``, ``veto`` (hard veto and seated),
        ``support`` (:math:`p_i` at the proposal), ``bites`` (a hard veto whose holder is more likely against
        than for) per constituency; ``side_names``, ``share`` (weighted support), ``quota``,
        ``side_probability`` per side; ``agreed``, ``point``, ``issue_names``, ``probability`` (:math:`P_{AB}`
        at the proposal), ``chance`` (0 for no deal), ``reason``.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> d = support_data(canonical_scenario())
    >>> d["support"].tolist(), d["share"].round(4).tolist()
    ([1.0, 0.0, 1.0, 1.0, 0.0, 1.0], [0.6667, 0.6667])
    """
    if not isinstance(result, _solver.Result):
        result = _solver.solve_batch(as_batch(result))
    b = result.batch
    veto = (b.blocking[i] >= 1) & b.seated[i]
    sup = np.asarray(result.support[i], dtype=float)
    return {
        "names": list(b.names),
        "side": np.asarray(b.side_of).copy(),
        "side_names": list(b.side_names),
        "strength": b.strength[i].copy(),
        "seated": b.seated[i].copy(),
        "blocking": b.blocking[i].copy(),
        "veto": veto,
        "support": sup,
        "bites": veto & (sup < 0.5),
        "share": result.share[i].copy(),
        "quota": b.quota[i].copy(),
        "side_probability": result.side_probability[i].copy(),
        "agreed": bool(result.agreed[i]),
        "point": [float(v) for v in result.point[i]],
        "issue_names": list(b.issue_names),
        "probability": float(result.probability[i]),
        "chance": float(_chance(result)[i]),
        "reason": str(result.reason[i]),
    }


def support_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`support_data`: a panel per side, a bar per constituency, the weighted support and the quota.

    Hatched bars hold a hard veto; a black outline and the note "veto bites" mark a veto holder that is
    more likely against than for; faded bars are not seated.

    Parameters
    ----------
    data : dict
        From :func:`support_data`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from levelii_kit import canonical_scenario
    >>> fig = support_figure(support_data(canonical_scenario()))
    >>> len(fig.data), fig.layout.title.text
    (4, 'Who supports the deal at x = 0.50')
    """
    side = np.asarray(data["side"])
    sup = np.asarray(data["support"], dtype=float)
    veto = np.asarray(data["veto"], dtype=bool)
    bites = np.asarray(data["bites"], dtype=bool)
    seated = np.asarray(data["seated"], dtype=bool)
    strength = np.asarray(data["strength"], dtype=float)
    names = list(data["names"])
    sides = list(data["side_names"])
    prob = np.asarray(data["side_probability"], dtype=float)
    share = np.asarray(data["share"], dtype=float)
    quota = np.asarray(data["quota"], dtype=float)
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.06,
        subplot_titles=[f"Side {sides[s]}: P({sides[s]} ratifies) = {_num(prob[s])}" for s in (0, 1)],
    )
    for s in (0, 1):
        idx = np.flatnonzero(side == s)
        notes = []
        for i in idx:
            note = "veto bites" if bites[i] else ("veto" if veto[i] else "")
            if not seated[i]:
                note = (note + ", " if note else "") + "not seated"
            notes.append(f"{sup[i]:.0%}" + (f"<br>{note}" if note else ""))
        fig.add_trace(
            go.Bar(
                x=[names[i] for i in idx],
                y=sup[idx],
                name=f"support, side {sides[s]}",
                text=notes,
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                textfont=dict(size=12),
                hovertext=[f"{names[i]}: support {sup[i]:.2f}, strength {strength[i]:g}" for i in idx],
                hoverinfo="text",
                marker=dict(
                    color=SIDE_COLOURS[s],
                    opacity=[1.0 if seated[i] else 0.35 for i in idx],
                    pattern=dict(shape=["/" if veto[i] else "" for i in idx], fgcolor="white"),
                    line=dict(
                        color=[_INK if bites[i] else SIDE_COLOURS[s] for i in idx],
                        width=[3 if bites[i] else 1 for i in idx],
                    ),
                ),
            ),
            row=1,
            col=s + 1,
        )
        fig.add_trace(
            go.Bar(
                x=["weighted support"],
                y=[share[s]],
                name=f"weighted support, side {sides[s]}",
                text=[f"{share[s]:.0%}"],
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                textfont=dict(size=12),
                marker=dict(color=_GREY, pattern=dict(shape="."), line=dict(color=_INK, width=1)),
                hovertext=[f"side {sides[s]}: weighted support {share[s]:.3f}, quota {quota[s]:.3f}"],
                hoverinfo="text",
            ),
            row=1,
            col=s + 1,
        )
        fig.add_hline(
            y=float(quota[s]),
            line=dict(color=_INK, dash="dash", width=2),
            row=1,
            col=s + 1,
            annotation_text=f"quota {quota[s]:.0%}",
            annotation_position="top right",
            annotation_font=dict(size=12),
            annotation_bgcolor="rgba(255,255,255,0.85)",
        )
    where = _outcome_text(True, data["point"], data["issue_names"])
    if data["agreed"]:
        title = f"Who supports the deal at {where}"
        lead = f"At the outcome {where}"
    else:
        title = f"Who supports the likeliest deal ({where}): no agreement"
        lead = f"There is no deal ({data['reason']}); at the likeliest deal {where}"
    n_bite = int(bites.sum())
    bite_text = (
        "no hard veto bites"
        if n_bite == 0
        else f"the hard veto of {', '.join(n for n, b in zip(names, bites) if b)} bites"
    )
    summary = (
        f"{lead}, side {sides[0]}'s weighted support is {_pct(share[0])} against a quota of "
        f"{_pct(quota[0])} (P = {_num(prob[0])}) and side {sides[1]}'s is {_pct(share[1])} against "
        f"{_pct(quota[1])} (P = {_num(prob[1])}), a chance of agreement of {_num(data['chance'])}; "
        f"{bite_text}."
    )
    fig.update_yaxes(range=[0, 1.22], tickformat=".0%", tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
    fig.update_yaxes(title_text="support at the proposal", row=1, col=1)
    fig.update_xaxes(title_text="constituency")
    fig.update_layout(showlegend=False, bargap=0.25, height=480)
    return _style(fig, title, summary)


# ------------------------------------------------------------------------------------------ win-sets (1-D)
def winset_data(scenario) -> dict:
    """Acceptable intervals, both win-sets, the ZOPA and the outcome of a one-issue scenario.

    Each constituency's crisp acceptable interval is :math:`[\\theta_i - r_i, \\theta_i + r_i]` with
    :math:`r_i = (\\rho_i^\\gamma + \\sum_m z_m v_{im} + e_i \\pi_i - h_i)^{1/\\gamma} / \\sqrt{\\sigma_i}`
    (tolerance, forced terms, payments, threat; model.md 3.4), clipped to the issue's range; it is empty
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
    z = _support.forced_terms(batch)
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
        "leaders": [batch.names[k] for k in leaders],
        "leader_ideal": theta[leaders].copy(),
        "win_sets": sides,
        "zopa": _winset.zopa(batch).intervals_of(0),
        "confidence": float(batch.confidence),
        "range": (lo_r, hi_r),
        "issue": issue.name,
        "issue_title": issue.label or issue.name,
        "issue_ends": _issue_ends(issue),
        "status_quo": float(scenario.status_quo[0]) if scenario.status_quo is not None else float("nan"),
        "agreed": agreed,
        "outcome": float(result.point[0, 0]) if agreed else float("nan"),
        "probability": float(_chance(result)[0]),
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
    (7, 'Win-sets and the ZOPA on x')
    """
    side = np.asarray(data["side"])
    names = list(data["names"])
    low = np.asarray(data["low"], dtype=float)
    high = np.asarray(data["high"], dtype=float)
    strength = np.asarray(data["strength"], dtype=float)
    seated = np.asarray(data["seated"], dtype=bool)
    blocking = np.asarray(data["blocking"], dtype=float)
    sides = list(data["side_names"])
    lo_r, hi_r = data["range"]
    biggest = strength.max() if strength.size and strength.max() > 0 else 1.0
    rows_ws = [f"win-set of {s}" for s in sides]
    row_zopa = "ZOPA"
    categories = names + rows_ws + [row_zopa]
    ticktext = [n + ("" if np.isfinite(low[i]) else " (accepts nothing)") for i, n in enumerate(names)]
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
                name=f"acceptable to side {sides[s]}'s constituencies",
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
                name=f"win-set of {sides[s]}: {_intervals_text(ivs)}",
                width=0.7,
                marker=dict(color=SIDE_COLOURS[s], pattern=dict(shape="."), line=dict(color=_INK, width=1)),
                hovertext=[f"win-set of {sides[s]}: [{a:.3f}, {b:.3f}]" for a, b in ivs],
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
            y=list(data["leaders"]),
            mode="markers",
            name="leaders' ideal points",
            marker=dict(symbol="star", size=16, color="white", line=dict(color=_INK, width=2)),
            hovertext=[f"{n}'s ideal: {v:.3f}" for n, v in zip(data["leaders"], data["leader_ideal"])],
            hoverinfo="text",
        )
    )
    shapes = [
        dict(
            type="rect",
            xref="x",
            yref="paper",
            x0=a,
            x1=b,
            y0=0,
            y1=1,
            fillcolor=ZOPA_COLOUR,
            opacity=0.12,
            line=dict(width=0),
            layer="below",
        )
        for a, b in zopa
    ]
    if data["agreed"]:
        fig.add_trace(
            go.Scatter(
                x=[data["outcome"]] * 2,
                y=[categories[0], categories[-1]],
                mode="lines",
                name=f"outcome {data['issue']} = {_num(data['outcome'])}",
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
            f"the outcome is {data['issue']} = {_num(data['outcome'])} with a chance of agreement of "
            f"{_num(data['probability'])}"
        )
    else:
        end = f"there is no deal ({data['reason']})"
    summary = (
        f"Crisp acceptable intervals on {data['issue']}: side {sides[0]}'s win-set is "
        f"{_intervals_text(ws[0])}, side {sides[1]}'s is {_intervals_text(ws[1])}, the ZOPA is "
        f"{_intervals_text(zopa)} and {end}."
    )
    return _style(fig, f"Win-sets and the ZOPA on {data['issue']}", summary, _issue_axis(data), "constituency or set")


# ------------------------------------------------------------------------------------------ ratification curves
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
    radius = _grid.crisp_radius(batch, _support.forced_terms(batch))[0][0, 0]
    theta = batch.ideal[0, :, 0]
    ends = np.concatenate([theta - radius, theta + radius])
    ends = ends[np.isfinite(ends) & (ends >= lo_r) & (ends <= hi_r)]
    grid = np.linspace(lo_r, hi_r, points)
    if ends.size:
        grid = grid[np.abs(grid[:, None] - ends[None, :]).min(1) > 1e-9]
    x = np.unique(np.concatenate([grid, ends]))
    ev = _support.evaluate(batch, x[None, :, None])
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
        "issue": issue.name,
        "issue_title": issue.label or issue.name,
        "issue_ends": _issue_ends(issue),
        "agreed": agreed,
        "outcome": float(result.point[0, 0]) if agreed else float("nan"),
        "probability": float(_chance(result)[0]),
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
    ['P(A ratifies)', 'P(B ratifies)', 'P(both ratify)']
    """
    a, b = data["side_names"]
    x = np.asarray(data["x"], dtype=float)
    c = data["confidence"]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(x=x, y=data["p_a"], mode="lines", name=f"P({a} ratifies)", line=dict(color=SIDE_COLOURS[0], width=2))
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=data["p_b"],
            mode="lines",
            name=f"P({b} ratifies)",
            line=dict(color=SIDE_COLOURS[1], width=2, dash="dash"),
        )
    )
    fig.add_trace(
        go.Scatter(x=x, y=data["p_ab"], mode="lines", name="P(both ratify)", line=dict(color=ZOPA_COLOUR, width=4))
    )
    shapes = [
        dict(
            type="rect",
            xref="x",
            yref="paper",
            x0=lo,
            x1=hi,
            y0=0,
            y1=1,
            fillcolor=ZOPA_COLOUR,
            opacity=0.15,
            line=dict(width=0),
            layer="below",
        )
        for lo, hi in data["regions"]
    ]
    shapes.append(
        dict(type="line", xref="paper", x0=0, x1=1, y0=c, y1=c, line=dict(color=_GREY, width=1.5, dash="dot"))
    )
    if data["agreed"]:
        fig.add_trace(
            go.Scatter(
                x=[data["outcome"]] * 2,
                y=[0, 1],
                mode="lines",
                name=f"outcome {data['issue']} = {_num(data['outcome'])}",
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
    issue = data["issue"]
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
    return _style(
        fig, f"Chance of ratification along {data['issue']}", summary, _issue_axis(data), "probability of ratification"
    )


# ------------------------------------------------------------------------------------------ waterfall
def waterfall_data(ledger, measure: str = "probability") -> dict:
    """The helper's ledger as waterfall steps: baseline, each move's Shapley share, (costs), the total.

    Parameters
    ----------
    ledger : Ledger
        From :func:`~levelii_kit.ledger.helper_ledger`.
    measure : {"probability", "gross"}
        ``"probability"``: the chance of agreement, from before to after the moves. ``"gross"``: the
        helper's expected value :math:`E`, from before the moves, through each move's Shapley share of the
        gross gain, to after the moves, then one negative bar per move the helper pays for, then the net.

    Returns
    -------
    dict
        ``labels``, ``values``, ``measures`` (plotly's ``absolute``/``relative``/``total``), ``kinds``
        (``baseline``, ``move``, ``total``, ``cost``, ``net``), ``likelihood``/``terms`` (per step; the split of
        a move's gross share, 0 elsewhere), ``measure``, ``helper``, ``before``, ``after``, ``gross``,
        ``cost``, ``net`` (the net gain, ``gross - cost``), ``break_even``, ``probability_before``,
        ``probability_after``, ``moves``.

    Examples
    --------
    >>> from levelii_kit import canonical_scenario, Mollify, helper_ledger
    >>> s = canonical_scenario().with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    >>> s = s.with_constituency("A_hawk", blocking=1.0, ideal=(-0.1,))
    >>> led = helper_ledger(s, [Mollify("A", target="B_hawk", amount=0.1, label="mollify")])
    >>> d = waterfall_data(led)
    >>> d["labels"], [float(v) for v in d["values"]]
    (['without the moves', 'mollify', 'with the moves'], [0.0, 1.0, 1.0])
    """
    if measure not in ("probability", "gross"):
        raise ValueError(f"measure must be 'probability' or 'gross', not {measure!r}")
    helper = int(ledger.helper)
    res = ledger.results
    names = list(ledger.names)
    m = len(names)
    zeros = [0.0] * m
    if measure == "probability":
        before, after = float(ledger.probability_before), float(ledger.probability_after)
        labels = ["without the moves"] + names + ["with the moves"]
        values = [before] + [float(v) for v in ledger.shapley["probability"]] + [after]
        measures = ["absolute"] + ["relative"] * m + ["total"]
        kinds = ["baseline"] + ["move"] * m + ["total"]
        likelihood, terms = [0.0] + zeros + [0.0], [0.0] + zeros + [0.0]
    else:
        before, after = float(res.expected[0, helper]), float(res.expected[-1, helper])
        paid = [(n, float(c)) for n, c, p in zip(names, ledger.costs, ledger.paid) if p and c > 0]
        labels = (
            ["E without the moves"]
            + names
            + ["E with the moves"]
            + [f"cost: {n}" for n, _ in paid]
            + ["net, after costs"]
        )
        values = (
            [before]
            + [float(v) for v in ledger.shapley["gross"]]
            + [after]
            + [-c for _, c in paid]
            + [after - float(ledger.cost)]
        )
        measures = ["absolute"] + ["relative"] * m + ["total"] + ["relative"] * len(paid) + ["total"]
        kinds = ["baseline"] + ["move"] * m + ["total"] + ["cost"] * len(paid) + ["net"]
        pad = [0.0] * (len(paid) + 1)
        likelihood = [0.0] + [float(v) for v in ledger.shapley["likelihood"]] + [0.0] + pad
        terms = [0.0] + [float(v) for v in ledger.shapley["terms"]] + [0.0] + pad
    return {
        "labels": labels,
        "values": np.array(values, dtype=float),
        "measures": measures,
        "kinds": kinds,
        "likelihood": np.array(likelihood, dtype=float),
        "terms": np.array(terms, dtype=float),
        "measure": measure,
        "helper": res.batch.side_names[helper],
        "moves": names,
        "before": before,
        "after": after,
        "gross": float(ledger.gross),
        "cost": float(ledger.cost),
        "net": float(ledger.net),
        "break_even": float(ledger.break_even),
        "probability_before": float(ledger.probability_before),
        "probability_after": float(ledger.probability_after),
    }


def waterfall_figure(data: Mapping[str, Any]) -> go.Figure:
    """Draw :func:`waterfall_data` as a plotly Waterfall, with the break-even price noted for ``"gross"``.

    Parameters
    ----------
    data : dict
        From :func:`waterfall_data`.

    Returns
    -------
    plotly.graph_objects.Figure

    Examples
    --------
    >>> from levelii_kit import canonical_scenario, Mollify, helper_ledger
    >>> s = canonical_scenario().with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    >>> led = helper_ledger(s, [Mollify("A", target="B_hawk", amount=0.1, cost=0.02)])
    >>> fig = waterfall_figure(waterfall_data(led, measure="gross"))
    >>> fig.data[0].type, list(fig.data[0].measure)
    ('waterfall', ['absolute', 'relative', 'total', 'relative', 'total'])
    """
    values = np.asarray(data["values"], dtype=float)
    gross = data["measure"] == "gross"
    digits = 3 if gross else 2
    text = []
    for v, meas in zip(values, data["measures"]):
        text.append(f"{v:+.{digits}f}" if meas == "relative" else f"{v:.{digits}f}")
    hover = []
    for label, kind, v, lk_, tm in zip(data["labels"], data["kinds"], values, data["likelihood"], data["terms"]):
        line = f"{label}: {v:+.4f}" if kind in ("move", "cost") else f"{label}: {v:.4f}"
        if gross and kind == "move":
            line += f"<br>likelihood effect {lk_:+.4f}, terms effect {tm:+.4f}"
        hover.append(line)
    fig = go.Figure(
        go.Waterfall(
            x=list(data["labels"]),
            y=values,
            measure=list(data["measures"]),
            text=text,
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
            name="ledger",
            cliponaxis=False,
            increasing=dict(marker=dict(color=ZOPA_COLOUR)),
            decreasing=dict(marker=dict(color=SIDE_COLOURS[1])),
            totals=dict(marker=dict(color=SIDE_COLOURS[0])),
            connector=dict(line=dict(color=_GREY, width=1, dash="dot")),
        )
    )
    helper = data["helper"]
    shares = "; ".join(f"{n} {v:+.{digits}f}" for n, v, k in zip(data["labels"], values, data["kinds"]) if k == "move")
    if gross:
        title = f"The helper's ledger: {helper}'s expected value"
        ytitle = f"expected value of {helper}'s leader"
        summary = (
            f"The moves take {helper}'s expected value from {_num(data['before'], 3)} to "
            f"{_num(data['after'], 3)}, a gross gain of {_num(data['gross'], 3)} (the break-even price), "
            f"cost {helper} {_num(data['cost'], 3)} and leave a net gain of {_num(data['net'], 3)}"
            + (f" (Shapley shares: {shares})." if shares else ".")
        )
        fig.add_annotation(
            text=f"break-even price: {data['break_even']:.3f}",
            x=1,
            xref="paper",
            y=1.02,
            yref="paper",
            xanchor="right",
            yanchor="bottom",
            showarrow=False,
            font=dict(size=13, color=_INK),
        )
    else:
        title = f"The helper's ledger: chance of agreement ({helper} helping)"
        ytitle = "chance of agreement"
        summary = (
            f"The moves take the chance of agreement from {_num(data['probability_before'])} to "
            f"{_num(data['probability_after'])}" + (f" (Shapley shares: {shares})." if shares else ".")
        )
    levels, running = [], 0.0
    for v, meas in zip(values, data["measures"]):
        running = running + v if meas == "relative" else (v if meas == "absolute" else running)
        levels.append(running)
    if gross:  # expected values have no natural zero: zoom on the levels the bars pass through
        lo, hi = min(levels), max(levels)
        pad = max(0.25 * (hi - lo), 0.01)
        fig.update_yaxes(range=[lo - pad, hi + pad])
    else:
        fig.update_yaxes(range=[min(0.0, min(levels)) - 0.02, max(1.0, max(levels)) + 0.12], tickformat=".0%")
    fig.update_layout(showlegend=False, height=480, margin=dict(t=90, b=150))
    return _style(fig, title, summary, "move (Shapley share)", ytitle)


# ------------------------------------------------------------------------------------------ heatmap
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
    chance = _chance(result).reshape(shape)
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
        "label_x": scenario.constituency(name_x).label or name_x,
        "label_y": scenario.constituency(name_y).label or name_y,
        "current_x": float(cx),
        "current_y": float(cy),
        "current_p": current_p,
        "level": float(scenario.confidence),
        "side_names": list(batch.side_names),
        "issue": scenario.issues[0].name,
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
                title=dict(text=f"P_AB<br><span style='font-size:11px'>white line: {level:g}</span>"), tickformat=".0%"
            ),
            hovertemplate=f"{data['name_x']} %{{x}}<br>{data['name_y']} %{{y}}<br>P_AB %{{z:.2f}}<extra></extra>",
        )
    )
    if xs.size > 1 and ys.size > 1:
        fig.add_trace(
            go.Contour(
                x=xs,
                y=ys,
                z=z,
                showscale=False,
                name=f"P_AB = {level:g}",
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
        f"Chance of agreement over {xs.size} x {ys.size} strengths of {data['name_x']} and "
        f"{data['name_y']}: {spread}, is at least {level:g} in "
        f"{above} of {z.size} cells and there is no deal in {int((~agreed).sum())}{now}."
    )
    return _style(
        fig,
        f"Chance of agreement over the strengths of {data['name_x']} and {data['name_y']}",
        summary,
        f"strength of {data['label_x']}",
        f"strength of {data['label_y']}",
    )


# ------------------------------------------------------------------------------------------ Schelling curve
def schelling_data(scenario, name: str, strengths: Sequence[float]) -> dict:
    """Outcome, chance of agreement and side A's expected value as one constituency's strength varies.

    All strengths are solved as one batch (the "paradox of weakness" picture, model.md 1.2 and 6).

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
        "p_ab": _chance(result),
        "expected_a": result.expected[:, 0].copy(),
        "expected_b": result.expected[:, 1].copy(),
        "disagreement_a": result.disagreement[:, 0].copy(),
        "reason": [str(r) for r in result.reason],
        "name": name,
        "label": scenario.constituency(name).label or name,
        "current": float(scenario.constituency(name).strength),
        "side_names": list(batch.side_names),
        "issue": scenario.issues[0].name,
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
    (3, 'The Schelling curve: what the strength of A_hawk does')
    """
    s = np.asarray(data["strengths"], dtype=float)
    agreed = np.asarray(data["agreed"], dtype=bool)
    a = data["side_names"][0]
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.07,
        subplot_titles=(
            f"outcome ({data['issue']})",
            "chance of agreement (both sides ratify)",
            f"expected value of {a}'s leader",
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
            x=s, y=data["expected_a"], mode="lines+markers", name=f"E_{a}", line=dict(color=SIDE_COLOURS[0], width=2)
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
    fig.update_yaxes(title_text=data["issue"], row=1, col=1)
    fig.update_yaxes(title_text="P", range=[-0.03, 1.05], tickformat=".0%", row=2, col=1)
    fig.update_yaxes(title_text=f"E_{a}", row=3, col=1)
    fig.update_xaxes(title_text=f"strength of {data['label']}", row=3, col=1)
    deals = np.flatnonzero(agreed[order])
    if deals.size:
        first, last = order[deals[0]], order[deals[-1]]
        moves = f"the outcome moves from x = {_num(data['outcome'][first])} to x = {_num(data['outcome'][last])}"
    else:
        moves = "there is never a deal"
    lo, hi = order[0], order[-1]
    summary = (
        f"As the strength of {data['name']} goes from {s[lo]:g} to {s[hi]:g}, {moves} "
        f"(no deal at {int((~agreed).sum())} of {s.size} strengths), the chance of agreement goes from "
        f"{_num(data['p_ab'][lo])} to {_num(data['p_ab'][hi])} and {a}'s expected value from "
        f"{_num(data['expected_a'][lo], 3)} to {_num(data['expected_a'][hi], 3)}."
    )
    return _style(fig, f"The Schelling curve: what the strength of {data['name']} does", summary)


# ------------------------------------------------------------------------------------------ what-if
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
        move_sets = {"no help": [], "all helping moves": [m.id for m in case.moves if not m.default]}
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
        "chance": _chance(result).reshape(shape2),
        "agreed": result.agreed.reshape(shape2),
        "outcome": np.where(result.agreed[:, None], result.point, np.nan).reshape(s_, t_, -1),
        "reason": [[str(r) for r in row] for row in result.reason.reshape(shape2)],
    }


#: Traces per (move set, strength) state of the what-if figure: side A bars, side B bars, the indicator.
_WHATIF_TRACES = 3


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
        ``len(strengths) * len(move_sets) * 3`` traces, one slider with a step per strength, one button per
        move set.

    Examples
    --------
    >>> from levelii_kit import load_case
    >>> d = whatif_data(load_case("two_level_basics"), "B_hawk", [0, 1, 3])
    >>> fig = whatif_figure(d)
    >>> len(fig.data), len(fig.layout.sliders[0].steps), len(fig.layout.updatemenus[0].buttons)
    (18, 3, 2)
    """
    values = np.asarray(data["strengths"], dtype=float)
    set_labels = list(data["set_labels"])
    n_sets, n_steps = len(set_labels), values.size
    side = np.asarray(data["side"])
    names = list(data["names"])
    sides = list(data["side_names"])
    support = np.asarray(data["support"], dtype=float)
    strength = np.asarray(data["strength"], dtype=float)
    veto = np.asarray(data["veto"], dtype=bool)
    seated = np.asarray(data["seated"], dtype=bool)
    chance = np.asarray(data["chance"], dtype=float)
    agreed = np.asarray(data["agreed"], dtype=bool)
    outcome = np.asarray(data["outcome"], dtype=float)
    sp = np.asarray(data["side_probability"], dtype=float)
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
            show = j == j0 and k == k0
            for s in (0, 1):
                idx = np.flatnonzero(side == s)
                fig.add_trace(
                    go.Bar(
                        x=[names[i] for i in idx],
                        y=support[j, k, idx],
                        visible=show,
                        name=f"side {sides[s]}",
                        legendgroup=f"side{s}",
                        showlegend=True,
                        text=[f"{support[j, k, i]:.0%}" + ("<br>veto" if veto[j, k, i] else "") for i in idx],
                        textposition="outside",
                        cliponaxis=False,
                        constraintext="none",
                        textfont=dict(size=12),
                        hovertext=[
                            f"{names[i]}: support {support[j, k, i]:.2f}, strength {strength[j, k, i]:g}"
                            + (", hard veto" if veto[j, k, i] else "")
                            + ("" if seated[j, k, i] else ", not seated")
                            for i in idx
                        ],
                        hoverinfo="text",
                        marker=dict(
                            color=SIDE_COLOURS[s],
                            opacity=[1.0 if seated[j, k, i] else 0.35 for i in idx],
                            pattern=dict(shape=["/" if veto[j, k, i] else "" for i in idx], fgcolor="white"),
                        ),
                    )
                )
            where = _outcome_text(True, outcome[j, k], data["issue_names"]) if agreed[j, k] else "no deal"
            fig.add_trace(
                go.Indicator(
                    mode="number",
                    value=float(chance[j, k]),
                    visible=show,
                    number=dict(valueformat=".0%", font=dict(size=44, color=ZOPA_COLOUR)),
                    title=dict(
                        text=(
                            f"chance of agreement<br><span style='font-size:14px'>outcome: {where}<br>"
                            f"P_{sides[0]} {sp[j, k, 0]:.2f}, P_{sides[1]} {sp[j, k, 1]:.2f}</span>"
                        ),
                        font=dict(size=15),
                    ),
                    domain=dict(x=[0.74, 1.0], y=[0.55, 1.0]),
                )
            )

    def button_layout(j):
        return {
            f"sliders[0].steps[{k}].args[0].visible": visible(j, k)  # noqa: E731
            for k in range(n_steps)
        }

    def step_layout(k):
        return {
            f"updatemenus[0].buttons[{j}].args[0].visible": visible(j, k)  # noqa: E731
            for j in range(n_sets)
        }

    steps = [
        dict(label=f"{v:g}", method="update", args=[{"visible": visible(j0, k)}, step_layout(k)])
        for k, v in enumerate(values)
    ]
    buttons = [
        dict(label=lab, method="update", args=[{"visible": visible(j, k0)}, button_layout(j)])
        for j, lab in enumerate(set_labels)
    ]
    fig.update_layout(
        sliders=[
            dict(
                active=k0,
                steps=steps,
                x=0.0,
                len=0.7,
                y=-0.42,
                yanchor="top",
                pad=dict(t=10),
                currentvalue=dict(prefix=f"strength of {data['name']}: ", font=dict(size=14)),
            )
        ],
        updatemenus=[
            dict(
                type="buttons",
                direction="down",
                active=j0,
                buttons=buttons,
                showactive=True,
                x=0.74,
                xanchor="left",
                y=0.5,
                yanchor="top",
                bgcolor="white",
                bordercolor=_GREY,
                font=dict(size=13),
            )
        ],
        barmode="group",
        height=680,
        margin=dict(t=90, b=230, r=20),
        showlegend=False,
        xaxis=dict(domain=[0.0, 0.7], categoryorder="array", categoryarray=names),
        annotations=[
            dict(
                text="move set:",
                x=0.74,
                xref="paper",
                y=0.52,
                yref="paper",
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                font=dict(size=13, color=_GREY),
            ),
            dict(
                text=(
                    f"<span style='color:{SIDE_COLOURS[0]}'>■</span> side {sides[0]}  "
                    f"<span style='color:{SIDE_COLOURS[1]}'>■</span> side {sides[1]}<br>"
                    "hatched: hard veto; faded: not seated"
                ),
                x=0.74,
                xref="paper",
                y=0.0,
                yref="paper",
                xanchor="left",
                yanchor="bottom",
                align="left",
                showarrow=False,
                font=dict(size=12, color=_GREY),
            ),
        ],
    )
    fig.update_yaxes(range=[0, 1.15], tickformat=".0%")
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
    start = _outcome_text(True, outcome[j0, k0], data["issue_names"]) if agreed[j0, k0] else "no deal"
    summary = (
        f"Support per constituency and the chance of agreement as the strength of {data['name']} goes "
        f"from {values[0]:g} to {values[-1]:g}: {'; '.join(parts)}; the figure opens at strength "
        f"{values[k0]:g} with '{set_labels[j0]}', a chance of {_pct(chance[j0, k0])} and outcome {start}."
    )
    who = data["label"] if len(data["label"]) <= 40 else data["name"]
    fig = _style(
        fig, f"What if the strength of {who} changes?", summary, "constituency", "support at the Level I outcome"
    )
    # the name the casebook's keyboard controls give the button menu (casebook/static/casebook.js)
    fig.layout.meta = {**fig.layout.meta, "menu_labels": ["move set"]}
    return fig


# ------------------------------------------------------------------------------------------ power
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
    names = [n + (" (veto)" if v else "") for n, v in zip(data["names"], data["veto"])]
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
        for n, w, b, s in zip(data["names"], data["weight_share"], data["banzhaf"], data["shapley_shubik"])
    )
    summary = (
        f"Voting power on side {data['side']} (quota {_pct(data['quota'])}), as weight share, Banzhaf and "
        f"Shapley-Shubik index: {each}."
    )
    return _style(fig, f"Weight is not power: side {data['side']}", summary, "constituency", "share of weight or power")


# ------------------------------------------------------------------------------ display in the built casebook
#: The mimetype under which plotly figures are stored in executed notebooks (plotly's "plotly_mimetype").
PLOTLY_MIME = "application/vnd.plotly.v1+json"


def figure_mimebundle(fig: go.Figure) -> dict:
    """The display bundle of ``fig`` exactly as plotly's ``plotly_mimetype`` renderer builds it.

    Plotly's own display path (``Figure._ipython_display_``) imports ``plotly.io._renderers``, which
    imports nbformat and with it jsonschema and a Lark grammar for IRIs: 1 to 1.5 s in every fresh
    kernel, before the first figure appears. This builds the same bundle with ``plotly.io.to_json``
    only; ``tests/test_plots.py`` checks that the two agree.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure

    Returns
    -------
    dict
        ``{PLOTLY_MIME: {"data": [...], "layout": {...}}}``, JSON-compatible.
    """
    import json

    import plotly.io as pio

    return {PLOTLY_MIME: json.loads(pio.to_json(fig, validate=False, remove_uids=False))}


def use_mimetype_display(shell: Any = None) -> bool:
    """Make an IPython shell show :class:`plotly.graph_objects.Figure` objects via :func:`figure_mimebundle`.

    :func:`levelii_kit.chapter.setup` calls this while the HTML casebook is built, where the plotly
    mimetype is the only output the site renders. ``FigureWidget`` (the live explorer) is left alone.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Default: the running one.

    Returns
    -------
    bool
        False when there is no IPython shell (a plain Python process), True otherwise.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False

    def show(fig: go.Figure) -> None:
        shell.display_pub.publish(data=figure_mimebundle(fig), metadata={})

    shell.display_formatter.ipython_display_formatter.for_type(go.Figure, show)
    return True
