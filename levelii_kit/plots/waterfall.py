"""The helper's ledger as a waterfall: baseline, each move's Shapley share, costs, and the net."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ._style import (
    _GREY,
    _INK,
    SIDE_COLOURS,
    ZOPA_COLOUR,
    _esc,
    _num,
    _short,
    _side_phrase,
    _style,
    _tick,
    _unique,
)

__all__ = ["waterfall_data", "waterfall_figure"]


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
            ["expected value without the moves"]
            + names
            + ["expected value with the moves"]
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
        "helper_label": res.batch.side_labels[helper],
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
    for label, kind, v, lk_, tm in zip(
        (_esc(label) for label in data["labels"]), data["kinds"], values, data["likelihood"], data["terms"]
    ):
        line = f"{label}: {v:+.4f}" if kind in ("move", "cost") else f"{label}: {v:.4f}"
        if gross and kind == "move":
            line += f"<br>likelihood effect {lk_:+.4f}, terms effect {tm:+.4f}"
        hover.append(line)
    fig = go.Figure(
        go.Waterfall(
            x=_unique([_tick(label, 18) for label in data["labels"]]),
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
    helper = _side_phrase(data["helper_label"])
    shares = "; ".join(f"{n} {v:+.{digits}f}" for n, v, k in zip(data["labels"], values, data["kinds"]) if k == "move")
    if gross:
        title = _esc(f"The helper's ledger: expected value for the helper's leader ({_short(helper, 40)})")
        ytitle = "expected value of the helper's leader"
        summary = (
            f"The moves take the expected value for the helper's leader ({helper}) from {_num(data['before'], 3)} to "
            f"{_num(data['after'], 3)}, a gross gain of {_num(data['gross'], 3)} (the break-even price), "
            f"cost the helper {_num(data['cost'], 3)} and leave a net gain of {_num(data['net'], 3)}"
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
        title = _esc(f"The helper's ledger: chance of agreement ({_short(helper, 50)} helping)")
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
