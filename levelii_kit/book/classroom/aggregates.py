"""What the instructor (and, once revealed, the room) sees: the class's answers beside the model's numbers.

The model's side comes from the library only: :func:`levelii_kit.solve` for the outcome and the chances,
:func:`levelii_kit.win_set` and :func:`levelii_kit.zopa` for the sets drawn under the groups' deals (Putnam 1988;
casebook/front_matter/model.md §4), and :func:`levelii_kit.predictions.reveal_all` for the prediction prompts. The
move sets the groups
report are solved as one batch, and each result is kept, so a refresh every second costs one database read.

Aggregates use each participant's latest answer to each question. A group's outcome is its latest report: among
the participants' latest outcome reports, the newest one for each group name (compared without case or surrounding
spaces).
"""

from __future__ import annotations

import statistics
import threading

import numpy as np

from ... import predictions as pr
from ...casefile import Case
from ...scenario import ScenarioBatch
from ...solver import solve
from ...winset import win_set, zopa
from .schema import choice_moves

__all__ = ["ModelView", "prediction_summary", "outcome_summary", "BINS"]

#: Bars in the histogram of numeric predictions.
BINS = 10


def _intervals(ws, i: int = 0):
    if ws.intervals is None:
        return None
    return [[a, b] for a, b in ws.intervals_of(i)]


def _f(x):
    x = float(x)
    return x if np.isfinite(x) else None


class ModelView:
    """The model's numbers for a case, as the class session shows them.

    Parameters
    ----------
    case : Case

    Attributes
    ----------
    reveals : dict of str to Reveal
        Every prediction prompt's model value (:func:`levelii_kit.predictions.reveal_all`).
    settings : dict
        ``baseline`` (the case's default moves) and ``helped`` (every helping move as well): win-sets per side, the
        ZOPA, the outcome and the chances.
    """

    def __init__(self, case: Case):
        self.case = case
        self.sides = [s.name for s in case.scenario.sides]
        self.defaults = tuple(m.id for m in case.moves if m.default)
        self.choices = tuple(m.id for m in choice_moves(case))
        self.reveals = pr.reveal_all(case)
        self._lock = threading.Lock()
        self._by_moves: dict[frozenset, dict] = {}
        self.settings = {
            "baseline": self._setting(()),
            "helped": self._setting(self.choices),
        }

    def _setting(self, moves) -> dict:
        scenario = self.case.scenario_with(self.defaults + tuple(moves))
        result = self.for_moves([moves])[0]
        return {
            "moves": list(moves),
            "win_sets": {name: _intervals(win_set(scenario, k)) for k, name in enumerate(self.sides)},
            "zopa": _intervals(zopa(scenario)),
            **result,
        }

    def for_moves(self, move_sets) -> list[dict]:
        """The model's outcome for each set of moves (on top of the default moves), solving unseen sets as one batch.

        Returns
        -------
        list of dict
            ``agreed``, ``point`` (None for no deal), ``chance`` (0 for no deal), ``sides`` (each side's chance of
            ratifying the proposal), ``reason``.
        """
        keys = [frozenset(m) for m in move_sets]
        with self._lock:
            missing = sorted({k for k in keys if k not in self._by_moves}, key=sorted)
            if missing:
                order = {m: i for i, m in enumerate(self.choices)}
                batch = ScenarioBatch.from_scenarios(
                    [self.case.scenario_with(self.defaults + tuple(sorted(k, key=order.get))) for k in missing]
                )
                res = solve(batch)
                chance = res.chance
                for i, k in enumerate(missing):
                    agreed = bool(res.agreed[i])
                    self._by_moves[k] = {
                        "agreed": agreed,
                        "point": _f(res.point[i, 0]) if agreed else None,
                        "chance": float(chance[i]),
                        "sides": {name: float(res.side_probability[i, s]) for s, name in enumerate(self.sides)},
                        "reason": str(res.reason[i]),
                    }
            return [self._by_moves[k] for k in keys]

    def reveal_json(self, question: str) -> dict:
        """A prompt's model value, as JSON."""
        r = self.reveals[question]
        return {
            "value": _f(r.value),
            "answer": r.answer,
            "agreed": r.agreed,
            "text": r.text,
            "explain": r.prediction.explain,
        }


def _number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and bool(np.isfinite(x))


def _histogram(values, lo, hi):
    edges = np.round(np.linspace(lo, hi, BINS + 1), 12)  # 0.6 belongs to [0.6, 0.7), not to [0.5, 0.6000000000000001)
    counts = np.histogram(np.asarray(values, float), bins=edges)[0] if values else np.zeros(BINS, int)
    return {"edges": [float(e) for e in edges], "counts": [int(c) for c in counts]}


def prediction_summary(case: Case, view: ModelView, rows, revealed: dict) -> list[dict]:
    """One summary per prediction prompt from the latest rows.

    Parameters
    ----------
    case : Case
    view : ModelView
    rows : list of Row
        Each participant's latest response to each question (:meth:`ClassStore.latest`).
    revealed : dict of str to bool

    Returns
    -------
    list of dict
        ``id``, ``prompt``, ``answer`` (the kind), ``revealed``, ``n``, then ``yes``/``no`` counts (yes/no prompts) or
        ``values`` (sorted), ``mean``, ``median`` and a ``histogram`` (numeric prompts), and ``model``.
    """
    issue = case.scenario.issues[0]
    by_question: dict[str, list] = {p.id: [] for p in case.predictions}
    kinds = {p.id: p.answer for p in case.predictions}
    for row in rows:
        if row.kind == "prediction" and row.question in by_question:
            answer = row.payload.get("answer")
            fits = answer in ("yes", "no") if kinds[row.question] == "yes_no" else _number(answer)
            if fits:  # a row stored under an older version of the case file may no longer fit the prompt
                by_question[row.question].append(answer)
    out = []
    for p in case.predictions:
        answers = by_question[p.id]
        item = {
            "id": p.id,
            "prompt": p.prompt,
            "answer": p.answer,
            "quantity": p.quantity,
            "revealed": bool(revealed.get(p.id, False)),
            "n": len(answers),
            "model": view.reveal_json(p.id),
        }
        if p.answer == "yes_no":
            item["yes"] = sum(a == "yes" for a in answers)
            item["no"] = sum(a == "no" for a in answers)
        else:
            values = sorted(float(a) for a in answers)
            lo, hi = (0.0, 1.0) if p.answer == "probability" else (issue.low, issue.high)
            item["values"] = values
            item["mean"] = statistics.fmean(values) if values else None
            item["median"] = statistics.median(values) if values else None
            item["histogram"] = _histogram(values, lo, hi)
        out.append(item)
    return out


def _group_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def outcome_summary(case: Case, view: ModelView, rows, revealed: bool) -> dict:
    """The groups' outcomes beside the model: the share ratified and the model's chance for the moves each used.

    Parameters
    ----------
    case : Case
    view : ModelView
    rows : list of Row
        Each participant's latest response to each question (:meth:`ClassStore.latest`).
    revealed : bool

    Returns
    -------
    dict
        ``groups`` (one per group name: its deal, point, moves and who ratified), ``n_groups``, ``deals``,
        ``ratified`` (groups whose deal both sides ratified), ``share_ratified``, ``side_share``, ``by_moves`` (per
        set of moves used: groups, share ratified, the model's chance and point) and ``model_chance`` (the model's
        chance averaged over the groups, the number to put beside ``share_ratified``).
    """
    sides = view.sides
    latest: dict[str, object] = {}
    for row in rows:
        if row.kind == "outcome":
            latest[_group_key(row.payload["group"])] = row  # rows come in arrival order: the newest wins
    order = {m: i for i, m in enumerate(view.choices)}
    groups = []
    for row in sorted(latest.values(), key=lambda r: r.id):
        pay = row.payload
        ratified = {s: bool(pay["ratified"].get(s, False)) for s in sides}
        groups.append(
            {
                "group": pay["group"],
                "deal": bool(pay["deal"]),
                "point": pay.get("point"),
                "moves": sorted((m for m in pay.get("moves", []) if m in order), key=order.get),
                "ratified": ratified,
                "both": bool(pay["deal"]) and all(ratified.values()),
            }
        )
    models = view.for_moves([g["moves"] for g in groups])
    by_moves: dict[tuple, dict] = {}
    for g, model in zip(groups, models):
        g["model_chance"] = model["chance"]
        entry = by_moves.setdefault(tuple(g["moves"]), {"moves": list(g["moves"]), "groups": 0, "ratified": 0})
        entry["groups"] += 1
        entry["ratified"] += int(g["both"])
        entry.update(
            model_chance=model["chance"], model_point=model["point"], model_agreed=model["agreed"], model=model
        )
    n = len(groups)
    for entry in by_moves.values():
        entry["share_ratified"] = entry["ratified"] / entry["groups"]
        entry.pop("model")
    return {
        "revealed": bool(revealed),
        "n_groups": n,
        "deals": sum(g["deal"] for g in groups),
        "ratified": sum(g["both"] for g in groups),
        "share_ratified": (sum(g["both"] for g in groups) / n) if n else None,
        "side_share": {s: (sum(g["ratified"][s] for g in groups) / n if n else None) for s in sides},
        "model_chance": (statistics.fmean(g["model_chance"] for g in groups) if n else None),
        "groups": groups,
        "by_moves": sorted(by_moves.values(), key=lambda e: (-e["groups"], e["moves"])),
    }
