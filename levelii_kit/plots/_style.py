"""What every figure shares: the palette, fonts, the title-and-summary style, and small text helpers.

Colours come from the Okabe-Ito palette, which stays distinguishable under the common colour-vision
deficiencies: side A blue, side B vermillion, the ZOPA and the chance of agreement bluish green.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module

import numpy as np

from ..scenario import Scenario, ScenarioBatch, as_batch, label_of

# The package exports a function named ``support``, which hides the submodule of that name as an attribute.
_evaluation = import_module("levelii_kit.support")

__all__ = ["SIDE_COLOURS", "ZOPA_COLOUR"]

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
    return [label_of(c) for c in scenario.constituencies]


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
    ends = _esc(data.get("issue_ends", ""))
    title = _esc(data["issue_title"])
    return f"{title}<br><span style='font-size:12px'>{ends}</span>" if ends else title


def _legend_below(fig, height: int, top: int = 100, bottom: int = 170, gap: int = 95):
    """A horizontal legend under the x-axis title (positions in paper units of the plot area)."""
    plot = max(height - top - bottom, 80)
    fig.update_layout(
        height=height,
        margin=dict(t=top, b=bottom),
        legend=dict(orientation="h", yanchor="top", y=-gap / plot, x=0, xanchor="left"),
    )


def _esc(text) -> str:
    """Case-file text for plotly, which renders a subset of HTML in labels: whitespace collapsed, escaped."""
    import html

    return html.escape(" ".join(str(text).split()), quote=False)


def _short(text, width: int) -> str:
    """``text`` with whitespace collapsed, cut to ``width`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _tick(label, width: int = 16, lines: int = 3) -> str:
    """A long label as an axis tick: escaped, wrapped at word breaks (``<br>``), at most ``lines`` lines."""
    words = " ".join(str(label).split()).split(" ")
    out, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _short(out[-1] + " …", width)
    return "<br>".join(_esc(part) for part in out)


def _side_phrase(label: str) -> str:
    """A side's label for running text: without its parenthesis ("Soviet side")."""
    return " ".join(str(label).split(" (")[0].split())


def _unique(labels) -> list[str]:
    """``labels`` made unique for use as plot categories: a repeated label gets " (2)", " (3)", ... appended."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out
