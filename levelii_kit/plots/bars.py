"""Support per constituency at the Level I outcome, with each side's quota and its vetoes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import solver as _solver
from ..scenario import as_batch
from ._style import (
    _GREY,
    _INK,
    SIDE_COLOURS,
    _esc,
    _num,
    _outcome_text,
    _pct,
    _side_phrase,
    _style,
    _tick,
)

__all__ = ["support_data", "support_figure"]


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
        "labels": list(b.labels),
        "side": np.asarray(b.side_of).copy(),
        "side_names": list(b.side_names),
        "side_labels": list(b.side_labels),
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
        "issue_labels": list(b.issue_labels),
        "probability": float(result.probability[i]),
        "chance": float(result.chance[i]),
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
    (4, 'Who supports the deal: the single issue = 0.50')
    """
    side = np.asarray(data["side"])
    sup = np.asarray(data["support"], dtype=float)
    veto = np.asarray(data["veto"], dtype=bool)
    bites = np.asarray(data["bites"], dtype=bool)
    seated = np.asarray(data["seated"], dtype=bool)
    strength = np.asarray(data["strength"], dtype=float)
    labels = list(data["labels"])
    ticks = [_tick(label) for label in labels]
    sides = [_side_phrase(label) for label in data["side_labels"]]
    prob = np.asarray(data["side_probability"], dtype=float)
    share = np.asarray(data["share"], dtype=float)
    quota = np.asarray(data["quota"], dtype=float)
    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.06,
        subplot_titles=[f"{_esc(sides[s])}: chance of ratifying {_num(prob[s])}" for s in (0, 1)],
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
                x=[ticks[i] for i in idx],
                y=sup[idx],
                name=f"support, {_esc(sides[s])}",
                text=notes,
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                textfont=dict(size=12),
                hovertext=[f"{_esc(labels[i])}: support {sup[i]:.2f}, strength {strength[i]:g}" for i in idx],
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
                name=f"weighted support, {_esc(sides[s])}",
                text=[f"{share[s]:.0%}"],
                textposition="outside",
                cliponaxis=False,
                constraintext="none",
                textfont=dict(size=12),
                marker=dict(color=_GREY, pattern=dict(shape="."), line=dict(color=_INK, width=1)),
                hovertext=[f"{_esc(sides[s])}: weighted support {share[s]:.3f}, quota {quota[s]:.3f}"],
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
    where = _outcome_text(True, data["point"], data["issue_labels"])
    if data["agreed"]:
        title = f"Who supports the deal: {where}"
        lead = f"At the outcome {where}"
    else:
        title = f"Who supports the likeliest deal ({where}): no agreement"
        lead = f"There is no deal ({data['reason']}); at the likeliest deal {where}"
    n_bite = int(bites.sum())
    bite_text = (
        "no hard veto bites"
        if n_bite == 0
        else f"the hard veto of {', '.join(n for n, b in zip(labels, bites) if b)} bites"
    )
    summary = (
        f"{lead}, weighted support is {_pct(share[0])} on {sides[0]} against a quota of "
        f"{_pct(quota[0])} (P = {_num(prob[0])}) and {_pct(share[1])} on {sides[1]} against "
        f"{_pct(quota[1])} (P = {_num(prob[1])}), a chance of agreement of {_num(data['chance'])}; "
        f"{bite_text}."
    )
    fig.update_yaxes(range=[0, 1.22], tickformat=".0%", tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
    fig.update_yaxes(title_text="support at the proposal", row=1, col=1)
    fig.update_xaxes(title_text="constituency")
    fig.update_layout(showlegend=False, bargap=0.25, height=480)
    return _style(fig, _esc(title), summary)
