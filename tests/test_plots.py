"""Tests of levelii_kit.plots: data functions exactly, figure functions as smoke tests.

* Data functions are checked against the canonical scenario's golden values (casebook/front_matter/model.md §10) and
one real
  case (German unification), and must solve one batch, once.
* Figure functions are checked for traces, title, axis titles and the one-sentence summary, and they must
  not call the model (the solver, the evaluator, the win-set and power code are made to raise).
* The what-if figure's slider and buttons are replayed in Python (plotly's "update" semantics) for every
  click sequence of length three, and clicked in Chromium on a static HTML page (marked ``browser``).
"""

from __future__ import annotations

import copy
import importlib
import itertools
import math
import re
import types

import numpy as np
import plotly.graph_objects as go
import pytest

import levelii_kit as lk
import levelii_kit.power
import levelii_kit.solver
import levelii_kit.winset
from levelii_kit import plots
from levelii_kit.constituency import Constituency
from levelii_kit.deal import Issue
from levelii_kit.scenario import Scenario, Side

# The package exports a function named ``support``, which hides the submodule of that name as an attribute.
support_module = importlib.import_module("levelii_kit.support")
TOL = dict(abs=1e-12)


def approx(values):
    """Golden values to 1e-12 (nested sequences such as lists of intervals become arrays)."""
    return pytest.approx(np.asarray(values, dtype=float), **TOL)


@pytest.fixture(scope="module")
def basics():
    return lk.load_case("two_level_basics")


@pytest.fixture(scope="module")
def german():
    return lk.load_case("german_unification")


@pytest.fixture
def count_solves(monkeypatch):
    """Count solve_batch calls (and record batch sizes) while letting them run."""
    calls = []
    real = levelii_kit.solver.solve_batch

    def counting(batch, *args, **kwargs):
        calls.append(batch.size)
        return real(batch, *args, **kwargs)

    monkeypatch.setattr(levelii_kit.solver, "solve_batch", counting)
    return calls


def helper_ledger(cost=0.0):
    """The helper variant of casebook/front_matter/model.md §10: both hawks veto, A mollifies B's hawk."""
    s = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    s = s.with_constituency("A_hawk", blocking=1.0, ideal=(-0.1,))
    return lk.helper_ledger(s, [lk.Mollify("A", target="B_hawk", amount=0.1, cost=cost, label="mollify")])


# ------------------------------------------------------------------------------------------ win-sets (golden)
def test_winset_data_canonical_golden():
    d = plots.winset_data(lk.canonical_scenario())
    assert d["names"] == ["A_leader", "A_hawk", "A_dove", "B_leader", "B_hawk", "B_dove"]
    assert d["raw_low"] == approx([-0.6, -0.75, -0.3, 0.4, 0.55, 0.1])
    assert d["raw_high"] == approx([0.6, 0.45, 0.9, 1.6, 1.75, 1.3])
    assert d["low"] == approx([0.0, 0.0, 0.0, 0.4, 0.55, 0.1])
    assert d["high"] == approx([0.6, 0.45, 0.9, 1.0, 1.0, 1.0])
    assert d["radius"] == approx([0.6] * 6)
    assert d["win_sets"][0] == approx([(0.0, 0.6)]) and d["win_sets"][1] == approx([(0.4, 1.0)])
    assert d["zopa"] == approx([(0.4, 0.6)])
    assert d["agreed"] is True and d["outcome"] == pytest.approx(0.5, **TOL)
    assert d["leaders"] == ["A_leader", "B_leader"] and d["leader_ideal"] == approx([0.0, 1.0])
    assert d["probability"] == 1.0 and math.isnan(d["status_quo"]) and d["range"] == (0.0, 1.0)


def test_winset_data_schelling_and_cliff():
    veto = lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0)
    d = plots.winset_data(veto)
    assert d["outcome"] == pytest.approx(0.45, **TOL)
    assert d["win_sets"][0] == approx([(0.0, 0.45)]) and d["zopa"] == approx([(0.4, 0.45)])
    assert d["blocking"].tolist() == [0, 1, 0, 0, 0, 0]
    cliff = plots.winset_data(veto.with_constituency("A_hawk", ideal=(-0.25,)))
    assert cliff["agreed"] is False and math.isnan(cliff["outcome"]) and cliff["zopa"] == []
    assert cliff["high"][1] == pytest.approx(0.35, **TOL)


def test_winset_data_radius_uses_threat_payments_and_forced_terms(basics):
    # B's hawks: tolerance 0.7, threat 0.1 -> radius 0.6; the assurance term (+0.1) forced -> 0.7
    d = plots.winset_data(basics.scenario)
    assert d["radius"][4] == pytest.approx(0.6, **TOL) and d["low"][4] == pytest.approx(0.55, **TOL)
    forced = plots.winset_data(basics.scenario_with(["offer_assurance"]))
    assert forced["forced_terms"] == ["assurance"]
    assert forced["radius"][4] == pytest.approx(0.7, **TOL) and forced["low"][4] == pytest.approx(0.45, **TOL)
    paid = plots.winset_data(basics.scenario.with_constituency("B_hawk", payment=0.05, efficiency=2.0))
    assert paid["radius"][4] == pytest.approx(0.7, **TOL)
    gone = plots.winset_data(basics.scenario.with_constituency("B_hawk", threat=0.8))
    assert np.isnan(gone["radius"][4]) and np.isnan(gone["low"][4]) and np.isnan(gone["high"][4])


def test_winset_data_real_case(german):
    d = plots.winset_data(german.scenario)
    cons = german.scenario.constituencies
    expected_r = [(c.tolerance - c.threat + c.efficiency * c.payment) / math.sqrt(c.salience[0]) for c in cons]
    assert d["radius"] == approx(expected_r)
    theta = np.array([c.ideal[0] for c in cons])
    assert d["low"] == approx(np.clip(theta - expected_r, 0, 1).tolist())
    assert d["high"] == approx(np.clip(theta + expected_r, 0, 1).tolist())
    assert d["seated"].tolist() == [c.seated for c in cons] and d["leaders"] == ["bush", "gorbachev"]
    res = lk.solve(german.scenario)
    assert d["agreed"] == bool(res.agreed[0]) and d["outcome"] == res.point[0, 0]
    assert d["probability"] == res.probability[0] * res.agreed[0]
    assert d["win_sets"] == [lk.win_set(german.scenario, s).intervals_of(0) for s in (0, 1)]
    assert d["zopa"] == lk.zopa(german.scenario).intervals_of(0)


def test_winset_and_curve_refuse_two_issues():
    two = Scenario(
        issues=(Issue("x"), Issue("y")),
        sides=(
            Side("A", (Constituency("a", ideal=(0.0, 0.0), tolerance=0.6),), leader="a"),
            Side("B", (Constituency("b", ideal=(1.0, 1.0), tolerance=0.6),), leader="b"),
        ),
    )
    with pytest.raises(ValueError, match="one issue"):
        plots.winset_data(two)
    with pytest.raises(ValueError, match="one issue"):
        plots.ratification_curve_data(two)


# ------------------------------------------------------------------------------------------ support
def test_support_data_canonical_golden():
    d = plots.support_data(lk.solve(lk.canonical_scenario()))
    assert d["support"].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    assert d["share"] == approx([2 / 3, 2 / 3]) and d["quota"].tolist() == [0.5, 0.5]
    assert d["side_probability"].tolist() == [1.0, 1.0] and d["chance"] == 1.0
    assert d["point"] == approx([0.5]) and d["agreed"] is True and d["reason"] == ""
    assert not d["veto"].any() and not d["bites"].any()
    assert d["side"].tolist() == [0, 0, 0, 1, 1, 1] and d["side_names"] == ["A", "B"]


def test_support_data_marks_a_biting_veto(basics):
    res = lk.solve(
        lk.ScenarioBatch.from_scenarios(
            [basics.scenario_with(["their_hawk_veto"]), basics.scenario_with(["their_hawk_veto", "inflame_their_hawk"])]
        )
    )
    ok, bad = plots.support_data(res, 0), plots.support_data(res, 1)
    assert ok["point"] == approx([0.55]) and ok["veto"].tolist() == [False] * 4 + [True, False]
    assert not ok["bites"].any()
    assert bad["agreed"] is False and bad["chance"] == 0.0 and "ZOPA" in bad["reason"]
    assert bad["bites"].tolist() == [False] * 4 + [True, False]


def test_support_data_solves_a_scenario_once(count_solves):
    d = plots.support_data(lk.canonical_scenario())
    assert count_solves == [1] and d["support"].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]


# ------------------------------------------------------------------------------------------ ratification curves
def test_ratification_curve_data_canonical_golden():
    d = plots.ratification_curve_data(lk.canonical_scenario())
    x = d["x"]
    assert np.diff(x).min() > 1e-9 and x[0] == 0.0 and x[-1] == 1.0  # sorted, no near-duplicates
    for end in (0.1, 0.4, 0.45, 0.55, 0.6, 0.9):  # every crisp endpoint is a grid point
        assert np.isclose(x, end, rtol=0, atol=1e-12).sum() == 1
    assert d["regions"] == [(0.4, 0.6)]
    inside = (x >= 0.4) & (x <= 0.6)
    assert np.array_equal(d["p_ab"], inside.astype(float))
    assert np.array_equal(d["p_a"], (x <= 0.6).astype(float))
    assert np.array_equal(d["p_b"], (x >= 0.4).astype(float))
    assert d["best_probability"] == 1.0 and d["best_x"] == 0.4
    assert d["outcome"] == pytest.approx(0.5, **TOL) and d["confidence"] == 0.5


def test_ratification_curve_data_real_case(german):
    d = plots.ratification_curve_data(german.scenario, points=51)
    ev = lk.evaluate(german.scenario, d["x"][None, :, None])
    assert np.array_equal(d["p_ab"], ev.joint[0]) and np.array_equal(d["p_a"], ev.side[0, :, 0])
    assert d["best_probability"] == ev.joint[0].max() and d["best_x"] == d["x"][np.argmax(ev.joint[0])]
    res = lk.solve(german.scenario)
    assert d["agreed"] == bool(res.agreed[0]) and (not d["agreed"] or d["outcome"] == res.point[0, 0])
    zopa = lk.zopa(german.scenario).intervals_of(0)
    assert (d["regions"] == []) == (zopa == [])


# ------------------------------------------------------------------------------------------ waterfall
def test_waterfall_data_probability_golden():
    d = plots.waterfall_data(helper_ledger())
    assert d["labels"] == ["without the moves", "mollify", "with the moves"]
    assert d["values"].tolist() == [0.0, 1.0, 1.0]
    assert d["measures"] == ["absolute", "relative", "total"] and d["kinds"] == ["baseline", "move", "total"]
    assert d["helper"] == "A" and d["break_even"] == pytest.approx(0.1, **TOL)


def test_waterfall_data_gross_golden():
    led = helper_ledger(cost=0.02)
    d = plots.waterfall_data(led, measure="gross")
    assert d["labels"] == [
        "expected value without the moves",
        "mollify",
        "expected value with the moves",
        "cost: mollify",
        "net, after costs",
    ]
    assert d["values"] == approx([-0.6, 0.1, -0.5, -0.02, -0.52])
    assert d["measures"] == ["absolute", "relative", "total", "relative", "total"]
    assert d["kinds"] == ["baseline", "move", "total", "cost", "net"]
    assert d["gross"] == pytest.approx(0.1, **TOL) and d["net"] == pytest.approx(0.08, **TOL)
    assert d["likelihood"][1] + d["terms"][1] == pytest.approx(0.1, **TOL)
    free = plots.waterfall_data(helper_ledger(cost=0.0), measure="gross")
    assert free["kinds"] == ["baseline", "move", "total", "net"]  # no cost bar when nothing is paid
    with pytest.raises(ValueError, match="measure"):
        plots.waterfall_data(led, measure="net")


def test_waterfall_data_real_case_adds_up(basics):
    hawk = basics.scenario_with(["their_hawk_veto"])
    moves = [basics.move(m).move for m in ("mollify_their_hawk", "offer_assurance", "empower_their_doves")]
    led = lk.helper_ledger(hawk, moves)
    d = plots.waterfall_data(led, measure="gross")
    moves_sum = sum(v for v, k in zip(d["values"], d["kinds"]) if k == "move")
    assert d["before"] + moves_sum == pytest.approx(d["after"], abs=1e-12)
    assert d["values"][-1] == pytest.approx(d["after"] - led.cost, abs=1e-12)
    assert d["labels"][4:] == [
        "expected value with the moves",
        "cost: Mollify B's hawks",
        "cost: Strengthen B's doves",
        "net, after costs",
    ]


# ------------------------------------------------------------------------------------------ heatmap, Schelling
def test_heatmap_data_one_batch_golden(count_solves):
    d = plots.heatmap_data(lk.canonical_scenario(), "A_hawk", "A_dove", [0, 1, 3], [0, 1])
    assert count_solves == [6]
    assert d["p_ab"].shape == (2, 3) and d["p_ab"].tolist() == [[1.0] * 3] * 2
    assert d["outcome"] == approx([[0.5, 0.5, 0.45], [0.5, 0.5, 0.45]])
    assert d["expected_a"] == approx([[-0.5, -0.5, -0.45], [-0.5, -0.5, -0.45]])
    assert (d["current_x"], d["current_y"], d["current_p"]) == (1.0, 1.0, 1.0)
    with pytest.raises(ValueError):
        plots.heatmap_data(lk.canonical_scenario(), "A_hawk", "A_hawk", [1], [1])
    with pytest.raises(KeyError):
        plots.heatmap_data(lk.canonical_scenario(), "A_hawk", "nobody", [1], [1])


def test_heatmap_data_matches_scenarios_solved_one_by_one():
    noisy = lk.canonical_scenario(noise=0.05, softness=0.05).with_constituency("A_hawk", ideal=(-0.3,))
    xs, ys = [0.0, 2.0, 5.0], [0.0, 1.5]
    d = plots.heatmap_data(noisy, "A_hawk", "A_dove", xs, ys)
    ref = lk.solve(
        lk.ScenarioBatch.from_scenarios(
            [
                noisy.with_constituency("A_hawk", strength=x).with_constituency("A_dove", strength=y)
                for y in ys
                for x in xs
            ]
        )
    )
    assert np.array_equal(d["p_ab"].ravel(), np.where(ref.agreed, ref.probability, 0.0))
    assert np.isnan(d["current_p"])  # (1, 1) is not on the grid
    assert d["agreed"].any() and not d["agreed"].all()


def test_schelling_data_one_batch_golden(count_solves):
    d = plots.schelling_data(lk.canonical_scenario(), "A_hawk", [0, 1, 3])
    assert count_solves == [3]
    assert d["outcome"] == approx([0.5, 0.5, 0.45]) and d["p_ab"].tolist() == [1.0, 1.0, 1.0]
    assert d["expected_a"] == approx([-0.5, -0.5, -0.45]) and d["disagreement_a"] == approx([-0.6] * 3)
    veto = lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0, ideal=(-0.25,))
    cliff = plots.schelling_data(veto, "A_hawk", [0, 1])
    assert cliff["agreed"].tolist() == [False, False] and np.isnan(cliff["outcome"]).all()
    assert cliff["p_ab"].tolist() == [0.0, 0.0] and cliff["expected_a"] == approx([-0.6, -0.6])


# ------------------------------------------------------------------------------------------ power, actor map
def test_power_data_golden(basics):
    d = plots.power_data(lk.canonical_scenario(), "A")
    assert d["banzhaf"] == approx([1 / 3] * 3) and d["shapley_shubik"] == approx([1 / 3] * 3)
    b = plots.power_data(basics.scenario_with(["their_hawk_veto"]), "B")
    assert b["names"] == ["B_leader", "B_hawk", "B_dove"] and b["veto"].tolist() == [False, True, False]
    assert b["banzhaf"] == approx([0.2, 0.6, 0.2]) and b["shapley_shubik"] == approx([1 / 6, 2 / 3, 1 / 6])
    assert b["weight_share"] == approx([1 / 3] * 3) and b["quota"] == 0.5


def test_actor_map_data(basics, german):
    d = plots.actor_map_data(basics)
    assert d["title"] == basics.title and d["leaders"] == ["A_leader", "B_leader"]
    assert d["leader"].tolist() == [True, False, False, True, False, False]
    assert d["strength"].tolist() == [1.0] * 6 and d["ideal"] == approx([0.0, -0.15, 0.3, 1.0, 1.15, 0.7])
    g = plots.actor_map_data(german)
    assert g["seated"].tolist().count(False) == 1 and g["blocking"].tolist().count(1.0) == 2
    assert g["side"].tolist() == [0] * 5 + [1] * 7


# ------------------------------------------------------------------------------------------ what-if
SETS = {
    "no help": [],
    "B's hawks hold a veto": ["their_hawk_veto"],
    "...and A mollifies them": ["their_hawk_veto", "mollify_their_hawk"],
    "...and A gloats instead": ["their_hawk_veto", "inflame_their_hawk"],
}


@pytest.fixture(scope="module")
def whatif(basics):
    return plots.whatif_data(basics, "B_hawk", [0.0, 1.0, 3.0], SETS)


def test_whatif_data_golden(whatif):
    d = whatif
    assert d["outcome"].shape == (4, 3, 1) and d["support"].shape == (4, 3, 6)
    # B's hawks' veto is a default move of the case (content-review 1.3), so "no help" starts from it too
    assert d["outcome"][..., 0][:3] == approx([[0.55] * 3, [0.55] * 3, [0.5] * 3])
    assert np.isnan(d["outcome"][3]).all() and d["agreed"][3].tolist() == [False] * 3
    assert d["chance"].tolist() == [[1.0] * 3] * 3 + [[0.0] * 3]
    assert d["active"] == 1 and d["current"] == 1.0 and d["set_labels"] == list(SETS)
    assert d["strength"][:, :, 4].tolist() == [[0.0, 1.0, 3.0]] * 4
    assert d["veto"][1, 0].tolist() == d["veto"][0, 0].tolist() == [False] * 4 + [True, False]


def test_whatif_data_is_one_batch(basics, count_solves):
    plots.whatif_data(basics, "B_hawk", [0.0, 1.0, 2.0, 3.0], SETS)
    assert count_solves == [16]


def test_whatif_data_default_moves_and_chapter_strengths():
    panama = lk.load_case("panama_canal_treaties")
    chapter = types.SimpleNamespace(case=panama, params=types.SimpleNamespace(strengths={"treaty_opponents": 30.0}))
    d = plots.whatif_data(
        chapter, "swing_senators", [5.0, 10.0], {"none": [], "leadership": ["leadership_reservation"]}
    )
    assert d["default_moves"] == ["deconcini_reservation"]
    assert d["set_moves"] == [["deconcini_reservation"], ["deconcini_reservation", "leadership_reservation"]]
    assert d["current"] == 10.0 and d["active"] == 1
    ref = lk.solve(panama.scenario_with(["deconcini_reservation"], {"treaty_opponents": 30.0, "swing_senators": 5.0}))
    assert np.array_equal(d["support"][0, 0], ref.support[0])
    assert d["chance"][0, 0] == ref.probability[0] * ref.agreed[0]
    assert d["strength"][0, 0, d["names"].index("treaty_opponents")] == 30.0
    default = plots.whatif_data(panama, "swing_senators", [10.0])
    assert default["set_labels"] == ["no help", "all helping moves"]
    assert default["set_moves"][1] == ["deconcini_reservation", "avoid_new_plebiscite", "leadership_reservation"]


def test_whatif_data_rejects_bad_input(basics):
    with pytest.raises(KeyError):
        plots.whatif_data(basics, "nobody", [1.0])
    with pytest.raises(KeyError):
        plots.whatif_data(basics, "B_hawk", [1.0], {"x": ["no_such_move"]})
    with pytest.raises(ValueError):
        plots.whatif_data(basics, "B_hawk", [-1.0])
    with pytest.raises(TypeError):
        plots.whatif_data(basics, "B_hawk", [1.0], {"x": "their_hawk_veto"})


def _set_path(layout, key, value):
    """Plotly.relayout's nested-key semantics for keys like 'sliders[0].steps[2].args[0].visible'."""
    parts = [int(i) if i else name for name, i in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", key)]
    target = layout
    for part in parts[:-1]:
        target = target[part]
    target[parts[-1]] = value


def _click(state, args):
    """Plotly's "update" method: restyle (visible) then relayout (nested keys)."""
    data_update, layout_update = args[0], args[1]
    state["visible"] = list(data_update["visible"])
    for key, value in layout_update.items():
        _set_path(state["layout"], key, copy.deepcopy(value))


def test_whatif_figure_controls_walk_the_whole_grid(whatif):
    """Replay every sequence of three clicks: the visible traces are always the (set, strength) reached."""
    fig = plots.whatif_figure(whatif)
    n_sets, n_steps = len(whatif["set_labels"]), len(whatif["strengths"])
    controls_only = {
        "sliders": [s.to_plotly_json() for s in fig.layout.sliders],
        "updatemenus": [m.to_plotly_json() for m in fig.layout.updatemenus],
    }
    start = {"visible": [bool(t.visible) for t in fig.data], "layout": controls_only}

    per = 4  # traces per state: side A bars, side B bars, chance bars, outcome line

    def shown(visible):
        on = [i for i, v in enumerate(visible) if v]
        assert len(on) == per and on[0] % per == 0 and on == list(range(on[0], on[0] + per))
        return divmod(on[0] // per, n_steps)

    assert shown(start["visible"]) == (0, whatif["active"])
    controls = [("step", k) for k in range(n_steps)] + [("button", j) for j in range(n_sets)]
    for sequence in itertools.product(controls, repeat=3):
        state = copy.deepcopy(start)
        j, k = 0, whatif["active"]
        for kind, index in sequence:
            if kind == "step":
                args = state["layout"]["sliders"][0]["steps"][index]["args"]
                k = index
            else:
                args = state["layout"]["updatemenus"][0]["buttons"][index]["args"]
                j = index
            _click(state, args)
            assert shown(state["visible"]) == (j, k), sequence


def test_whatif_figure_structure(whatif):
    fig = plots.whatif_figure(whatif)
    assert len(fig.data) == 4 * 3 * 4  # 4 move sets x 3 strengths x (A bars, B bars, chance bars, outcome)
    assert len(fig.layout.sliders) == 1 and len(fig.layout.sliders[0].steps) == 3
    assert len(fig.layout.updatemenus) == 1 and len(fig.layout.updatemenus[0].buttons) == 4
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == list(SETS)
    assert [s.label for s in fig.layout.sliders[0].steps] == ["0", "1", "3"]
    assert fig.layout.sliders[0].active == 1
    for control in list(fig.layout.sliders[0].steps) + list(fig.layout.updatemenus[0].buttons):
        assert control.method == "update"
        assert all(isinstance(key, str) and "." in key for key in control.args[1])  # never the title shorthand
    chances = [t for t in fig.data if t.type == "bar" and t.xaxis == "x2"]  # P_A, P_B, chance of agreement
    assert len(chances) == 12
    for j in range(4):
        for k in range(3):
            assert list(chances[3 * j + k].y) == approx(
                [*whatif["side_probability"][j, k].tolist(), whatif["chance"][j, k]]
            )
    assert chances[3 * 3 + 1].y[2] == 0.0 and chances[1].y[2] == 1.0
    side_a = [t for t in fig.data if t.type == "bar" and t.xaxis == "x" and t.legendgroup == "side0"]
    assert list(side_a[1].x) == approx(whatif["support"][0, 1, :3].tolist())
    lines = [t.text[0] for t in fig.data if t.type == "scatter"]
    assert "No deal" in lines[3 * 3 + 1] and "Deal" in lines[1]


# ------------------------------------------------------------------------------------------ figures (smoke)
@pytest.fixture(scope="module")
def all_data(basics, german):
    """Data for every figure, computed once, before any figure function runs."""
    hawk = basics.scenario_with(["their_hawk_veto"])
    led = lk.helper_ledger(hawk, [basics.move(m).move for m in ("mollify_their_hawk", "empower_their_doves")])
    noisy = lk.canonical_scenario(noise=0.05, softness=0.05).with_constituency("A_hawk", ideal=(-0.3,))
    return {
        "actor_map": plots.actor_map_data(german),
        "support": plots.support_data(lk.solve(german.scenario)),
        "winset": plots.winset_data(lk.canonical_scenario()),
        "winset_veto": plots.winset_data(lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0)),
        "winset_nodeal": plots.winset_data(
            lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0, ideal=(-0.25,))
        ),
        "ratification_curve": plots.ratification_curve_data(lk.canonical_scenario()),
        "waterfall": plots.waterfall_data(led),
        "waterfall_gross": plots.waterfall_data(led, measure="gross"),
        "heatmap": plots.heatmap_data(noisy, "A_hawk", "A_dove", [0, 1, 3, 6], [0, 1, 2]),
        "schelling": plots.schelling_data(noisy, "A_hawk", [0, 1, 2, 4, 6]),
        "whatif": plots.whatif_data(basics, "B_hawk", [0.0, 1.0, 3.0], SETS),
        "power": plots.power_data(german.scenario, "soviet"),
    }


FIGURES = {
    "actor_map": (plots.actor_map_figure, 2),
    "support": (plots.support_figure, 4),
    "winset": (plots.winset_figure, 7),
    "winset_nodeal": (plots.winset_figure, 6),  # no outcome line
    "ratification_curve": (plots.ratification_curve_figure, 4),
    "waterfall": (plots.waterfall_figure, 1),
    "waterfall_gross": (plots.waterfall_figure, 1),
    "heatmap": (plots.heatmap_figure, 4),
    "schelling": (plots.schelling_figure, 3),
    "whatif": (plots.whatif_figure, 48),
    "power": (plots.power_figure, 3),
}


@pytest.fixture
def no_model(monkeypatch):
    """Make every entry point of the model raise."""

    def refuse(*args, **kwargs):
        raise AssertionError("a figure function called the model")

    monkeypatch.setattr(levelii_kit.solver, "solve_batch", refuse)
    monkeypatch.setattr(levelii_kit.solver, "solve", refuse)
    monkeypatch.setattr(support_module, "evaluate", refuse)
    monkeypatch.setattr(levelii_kit.winset, "_region", refuse)
    monkeypatch.setattr(levelii_kit.power, "power_indices", refuse)
    monkeypatch.setattr(levelii_kit.power, "side_power", refuse)
    monkeypatch.setattr("levelii_kit.ledger.solve_batch", refuse)


def test_the_model_guard_bites(no_model):
    """The guard is effective: data functions fail under it."""
    for call in (
        lambda: plots.winset_data(lk.canonical_scenario()),
        lambda: plots.ratification_curve_data(lk.canonical_scenario()),
        lambda: plots.support_data(lk.canonical_scenario()),
        lambda: plots.power_data(lk.canonical_scenario(), 0),
        lambda: helper_ledger(),
    ):
        with pytest.raises(AssertionError, match="called the model"):
            call()


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_figure_smoke_without_the_model(key, all_data, no_model):
    function, traces = FIGURES[key]
    fig = function(all_data[key])
    assert isinstance(fig, go.Figure)
    assert len(fig.data) == traces
    title = fig.layout.title.text
    assert isinstance(title, str) and len(title) > 10 and "<" not in title
    summary = fig.layout.meta["summary"]
    assert isinstance(summary, str) and summary.endswith(".") and len(summary) > 40
    assert re.search(r"\d", summary)  # the key numbers
    assert "<" not in summary and "\n" not in summary
    assert "http" not in fig.to_json()  # no external resources
    layout = fig.layout.to_plotly_json()
    for axis in ("xaxis", "yaxis"):
        titles = [v.get("title", {}).get("text") for k, v in layout.items() if k.startswith(axis)]
        assert any(titles), f"{key}: no {axis} title"


def test_figure_summaries_carry_the_golden_numbers(all_data, no_model):
    assert "[0.40, 0.60]" in plots.winset_figure(all_data["winset"]).layout.meta["summary"]
    assert "the single issue = 0.50" in plots.winset_figure(all_data["winset"]).layout.meta["summary"]
    assert "no deal" in plots.winset_figure(all_data["winset_nodeal"]).layout.meta["summary"]
    curve = plots.ratification_curve_figure(all_data["ratification_curve"]).layout.meta["summary"]
    assert "[0.40, 0.60]" in curve and "the single issue = 0.50" in curve
    gross = plots.waterfall_figure(all_data["waterfall_gross"])
    assert "break-even" in gross.layout.meta["summary"]
    assert any("break-even" in a.text for a in gross.layout.annotations)


def test_support_and_winset_figures_mark_vetoes(all_data, no_model):
    fig = plots.support_figure(all_data["support"])
    names = list(all_data["support"]["names"])
    west = fig.data[0]
    i = names.index("west_german_coalition")  # bars keep the constituencies' order; ticks show their labels
    assert west.x[i].startswith("West German")
    assert west.marker.pattern.shape[i] == "/" and "veto" in west.text[i]
    assert sum(1 for s in fig.layout.shapes if s.type == "line") == 2  # one quota line per side
    assert len(names) == 12
    wfig = plots.winset_figure(all_data["winset_veto"])
    assert list(wfig.data[0].marker.pattern.shape) == ["", "/", ""]
    assert wfig.data[0].width[0] == wfig.data[0].width[1]  # equal strengths, equal thickness


@pytest.mark.browser
def test_whatif_figure_works_in_static_html_without_a_kernel(whatif, tab, tmp_path):
    """Click the slider and the buttons in Chromium, offline: both change the data shown."""
    page_path = tmp_path / "whatif.html"
    plots.whatif_figure(whatif).write_html(page_path, include_plotlyjs=True, include_mathjax=False)
    page = tab.page
    page.goto(page_path.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg")
    n_steps = len(whatif["strengths"])

    visible = (
        "() => document.querySelector('.js-plotly-plot').data"
        ".map((t, i) => t.visible === true ? i : -1).filter(i => i >= 0)"
    )

    def expect(j, k):
        """Wait until exactly the four traces of state (j, k) are visible."""
        first = 4 * (j * n_steps + k)
        want = ",".join(str(first + t) for t in range(4))
        page.wait_for_function(f"() => ({visible})().join(',') === '{want}'", timeout=5000)

    def slide(k):
        # .slider-label holds the current-value label first, then one label per step
        label = page.locator(".slider-container .slider-label").nth(k + 1).bounding_box()
        rail = page.locator(".slider-container .slider-rail-touch-rect").bounding_box()
        page.mouse.click(label["x"] + label["width"] / 2, rail["y"] + rail["height"] / 2)

    def press(j):
        page.locator(".updatemenu-button").nth(j).click()

    expect(0, 1)
    for control, index, state in (
        ("slide", 2, (0, 2)),
        ("press", 3, (3, 2)),
        ("slide", 0, (3, 0)),
        ("press", 1, (1, 0)),
        ("slide", 1, (1, 1)),
    ):
        (slide if control == "slide" else press)(index)
        expect(*state)
    value = page.evaluate(
        "() => document.querySelector('.js-plotly-plot').data.filter(t => t.visible === true)"
        ".find(t => t.xaxis === 'x2').y[2]"
    )
    assert value == whatif["chance"][1, 1]
    menu = page.evaluate("() => document.querySelector('.js-plotly-plot').layout.updatemenus[0].active")
    assert menu == 1
    assert not tab.blocked and not tab.errors


# ------------------------------------------------------------------ the lean display used by the casebook build
def test_figure_mimebundle_is_plotlys_own_bundle(whatif):
    """figure_mimebundle builds what plotly's plotly_mimetype renderer builds, numpy arrays included."""
    import plotly.io as pio

    for fig in (plots.whatif_figure(whatif), go.Figure(go.Scatter(x=np.arange(5.0), y=np.linspace(0, 1, 5)))):
        ours = plots.figure_mimebundle(fig)
        theirs = pio.renderers._build_mime_bundle(fig.to_dict(), "plotly_mimetype")
        assert list(ours) == [plots.PLOTLY_MIME]
        assert ours == theirs


def test_figure_mimebundle_does_not_import_nbformat():
    import subprocess
    import sys

    code = (
        "import sys, plotly.graph_objects as go; from levelii_kit.plots import figure_mimebundle; "
        "figure_mimebundle(go.Figure(go.Bar(y=[1, 2]))); print('nbformat' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_use_mimetype_display_shows_figures_but_not_figure_widgets():
    from IPython.core.interactiveshell import InteractiveShell

    assert plots.use_mimetype_display() is False  # no IPython here: nothing to change
    shell = InteractiveShell()  # a separate shell; the one a kernel runs is the same class
    published = []
    shell.display_pub.publish = lambda data, metadata=None, **kw: published.append(data)
    assert plots.use_mimetype_display(shell) is True
    fig = go.Figure(go.Bar(y=[1, 2]), layout={"title": {"text": "t"}})
    formatter = shell.display_formatter.ipython_display_formatter
    assert formatter(fig) is True
    assert published == [plots.figure_mimebundle(fig)]
    assert formatter.lookup(go.Figure()) is not None
    with pytest.raises(KeyError):
        formatter.lookup_by_type(go.FigureWidget)
