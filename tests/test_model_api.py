"""Win-sets in one and two issues, the Result's tables, and the batch container, against hand-derived values."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import brentq

import levelii_kit as lk


def L(t):
    return 1.0 / (1.0 + math.exp(-t))


# ------------------------------------------------------------------------------------------ smooth win-sets
def a_share(x, tau=0.05):
    """Side A's weighted support in the canonical scenario: leader, hawk and dove accept up to 0.6, 0.45, 0.9."""
    return (L((0.6 - x) / tau) + L((0.45 - x) / tau) + L((0.9 - x) / tau)) / 3


def test_smooth_win_set_boundary():
    # noise 0.05, crisp quota: P_A = 1 exactly where S_A >= 1/2; the boundary solves S_A(b) = 1/2
    b = brentq(lambda x: a_share(x) - 0.5, 0.5, 0.7)
    s = lk.canonical_scenario(noise=0.05)
    ((lo, hi),) = lk.win_set(s, "A").intervals_of()
    assert lo == 0.0 and hi == pytest.approx(b, abs=1e-4)
    # the mirror image for B, and the ZOPA between them (P_A, P_B are 0 or 1 here)
    ((blo, bhi),) = lk.win_set(s, "B").intervals_of()
    assert blo == pytest.approx(1 - b, abs=1e-4) and bhi == 1.0
    ((zlo, zhi),) = lk.zopa(s).intervals_of()
    assert (zlo, zhi) == (pytest.approx(1 - b, abs=1e-4), pytest.approx(b, abs=1e-4))
    assert lk.zopa(s).size[0] == pytest.approx(2 * b - 1, abs=2e-4)
    assert lk.win_set(s, "A").bounds()[0].tolist() == [0.0, pytest.approx(b, abs=1e-4)]


def test_smooth_zopa_is_narrower_than_the_naive_overlap():
    # (P is continuous here, so the boundaries are found to 1e-6; a crisp quota makes P jump, and the boundary
    # is then found to the refinement stencil's spacing, 1e-4 above)
    # with softness 0.05 too: P_A(x) = L((S_A(x) - 1/2)/0.05) and P_B(x) = P_A(1 - x). The naive overlap
    # W_A(1/2) n W_B(1/2) is still [1 - b, b]; the ZOPA needs P_A P_B >= 1/2, which by symmetry ends where
    # P_A(x) P_A(1 - x) = 1/2
    s = lk.canonical_scenario(noise=0.05, softness=0.05)
    b = brentq(lambda x: a_share(x) - 0.5, 0.5, 0.7)

    def p_a(x):
        return L((a_share(x) - 0.5) / 0.05)

    z = brentq(lambda x: p_a(x) * p_a(1 - x) - 0.5, 0.5, b)
    ((nlo, nhi),) = lk.naive_zopa(s).intervals_of()
    assert (nlo, nhi) == (pytest.approx(1 - b, abs=1e-6), pytest.approx(b, abs=1e-6))
    ((zlo, zhi),) = lk.zopa(s).intervals_of()
    assert (zlo, zhi) == (pytest.approx(1 - z, abs=1e-6), pytest.approx(z, abs=1e-6))
    assert z <= b
    # a higher confidence level narrows it visibly
    z8 = brentq(lambda x: p_a(x) * p_a(1 - x) - 0.8, 0.5, b)
    assert lk.zopa(s, confidence=0.8).intervals_of()[0][1] == pytest.approx(z8, abs=1e-6)
    assert z8 < b - 1e-3


def test_crisp_win_sets_union_and_empty():
    # B's quota 0.6 with members accepting [0.1, 1.9], [0.1, 0.3], [0.7, 0.9] (P-11's counter-example)
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0,), tolerance=0.8),), leader="a")
    b = lk.Side(
        "B",
        (
            lk.Constituency("b", ideal=(1.0,), tolerance=0.9),
            lk.Constituency("h1", ideal=(0.2,), tolerance=0.1),
            lk.Constituency("h2", ideal=(0.8,), tolerance=0.1),
        ),
        leader="b",
        rule=lk.RatificationRule(quota=0.6),
    )
    s = lk.Scenario((lk.Issue("x"),), (a, b))
    w = lk.win_set(s, 1)
    assert w.intervals_of() == [(pytest.approx(0.1), pytest.approx(0.3)), (pytest.approx(0.7), pytest.approx(0.9))]
    assert w.size[0] == pytest.approx(0.4)
    assert w.bounds()[0].tolist() == [pytest.approx(0.1), pytest.approx(0.9)]
    assert not w.empty[0]
    # nobody accepts anything: an empty set with NaN bounds
    none = s.with_constituency("b", tolerance=0.0, ideal=(5.0,)).with_side("B", quota=1.0)
    e = lk.win_set(none, "B")
    assert e.empty[0] and e.intervals_of() == [] and np.isnan(e.bounds()[0]).all() and e.size[0] == 0.0


def test_win_set_with_terms():
    # a term worth 0.05 to B's vetoing hawk: with it B ratifies from 0.5, without from 0.55
    base = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0)
    s = replace(base, terms=(lk.Term("t", values={"B_hawk": 0.05}),))
    assert lk.win_set(s, "B").intervals_of() == [(pytest.approx(0.55), 1.0)]
    assert lk.win_set(s, "B", terms=[1]).intervals_of() == [(pytest.approx(0.5), 1.0)]
    assert lk.zopa(s, terms=[1.0]).intervals_of() == [(pytest.approx(0.5), pytest.approx(0.6))]
    forced = s.with_term("t", state="forced")
    assert lk.win_set(forced, "B").intervals_of() == [(pytest.approx(0.5), 1.0)]


def test_win_set_too_fine_for_a_grid_uses_the_crisp_path():
    s = lk.canonical_scenario(noise=1e-7)
    assert lk.zopa(s).intervals_of() == [(pytest.approx(0.4), pytest.approx(0.6))]


def test_status_quo_win_set_is_tsebelis():
    # q = 0.5; A's members at 0, 0.2 and B's at 1, 0.9 accept [0, 1], [-0.1, 0.5]; [0, 1], [0.5, 1.3]
    a = lk.Side(
        "A",
        (
            lk.Constituency("a", ideal=(0.0,), tolerance=None),
            lk.Constituency("a2", ideal=(0.2,), tolerance=None, blocking=1.0),
        ),
        leader="a",
    )
    b = lk.Side(
        "B",
        (
            lk.Constituency("b", ideal=(1.0,), tolerance=None),
            lk.Constituency("b2", ideal=(0.9,), tolerance=None, blocking=1.0),
        ),
        leader="b",
    )
    s = lk.Scenario((lk.Issue("x"),), (a, b), status_quo=(0.5,))
    assert lk.win_set(s, "A").intervals_of() == [(0.0, pytest.approx(0.5))]
    assert lk.win_set(s, "B").intervals_of() == [(pytest.approx(0.5), 1.0)]
    assert lk.zopa(s).intervals_of() == [(pytest.approx(0.5), pytest.approx(0.5))]
    r = lk.solve(s)
    # the only ratifiable deal is q itself, which leaves both leaders exactly where they were: no deal
    assert not r.agreed[0] and r.disagreement[0].tolist() == pytest.approx([-0.5, -0.5])


# --------------------------------------------------------------------------------------------- two issues
def two_issue(alpha=0.5, noise=0.0):
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0, 0.0), tolerance=1.0, noise=noise),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(1.0, 1.0), tolerance=1.0, noise=noise),), leader="b")
    return lk.Scenario((lk.Issue("x"), lk.Issue("y")), (a, b), solution=lk.NashBargaining(alpha))


@pytest.mark.parametrize("alpha", [0.5, 0.7])
def test_two_issue_nash(alpha):
    # surpluses 1 - |x| and 1 - |x - (1, 1)| are largest on the segment between the ideals; at distance u from A
    # along it (D = sqrt 2) the first-order condition (1 - alpha)(1 - u) = alpha (1 - D + u) gives
    # u = (1 - 2 alpha) + alpha D, i.e. the point (u / D)(1, 1)
    d = math.sqrt(2)
    t = ((1 - 2 * alpha) + alpha * d) / d
    r = lk.solve(two_issue(alpha))
    assert r.agreed[0]
    np.testing.assert_allclose(r.point[0], [t, t], atol=2e-3)
    assert r.expected[0, 0] == pytest.approx(-(t * d), abs=3e-3)  # E_A = -1 + (1 - t D)


def test_two_issue_zopa_is_the_lens():
    # two discs of radius 1 with centres sqrt 2 apart overlap in a lens of area 2 acos(d/2) - (d/2) sqrt(4 - d^2)
    # = pi/2 - 1, which lies inside the unit square (its corners are (1, 0) and (0, 1))
    s = two_issue()
    z = lk.zopa(s)
    assert z.intervals is None and z.mask.shape == (1, 101, 101)
    assert z.size[0] == pytest.approx(math.pi / 2 - 1, abs=0.02)
    assert lk.win_set(s, "A").size[0] == pytest.approx(math.pi / 4, abs=0.02)  # a quarter disc
    assert not z.empty[0]
    assert lk.zopa(s.with_constituency("b", tolerance=0.3)).empty[0]


def test_two_issue_split_and_smooth():
    r = lk.solve(replace(two_issue(), solution=lk.SplitZOPA(0.5)))
    assert r.agreed[0]
    smooth = lk.solve(two_issue(noise=0.05))
    np.testing.assert_allclose(smooth.point[0], [0.5, 0.5], atol=0.01)  # symmetric
    no = lk.solve(two_issue().with_constituency("b", tolerance=0.3))
    assert not no.agreed[0] and no.reason[0].startswith("empty ZOPA")


# ------------------------------------------------------------------------------------------ Result tables
def test_result_tables():
    r = lk.solve(lk.canonical_scenario())
    sup = r.support_table()
    assert sup.index.tolist() == ["A_leader", "A_hawk", "A_dove", "B_leader", "B_hawk", "B_dove"]
    assert sup["support"].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    assert sup["side"].tolist() == ["A"] * 3 + ["B"] * 3
    assert sup["strength"].tolist() == [1.0] * 6 and sup["seated"].all() and (sup["blocking"] == 0).all()
    sides = r.sides_table()
    assert sides.index.tolist() == ["A", "B"]
    assert sides["weighted_support"].tolist() == pytest.approx([2 / 3, 2 / 3])
    assert sides["quota"].tolist() == [0.5, 0.5] and sides["ratification"].tolist() == [1.0, 1.0]
    assert sides["leader_surplus"].tolist() == pytest.approx([0.1, 0.1])
    assert sides["expected_value"].tolist() == pytest.approx([-0.5, -0.5])


def test_result_summary():
    s = lk.canonical_scenario()
    cliff = s.with_constituency("A_hawk", blocking=1.0, ideal=(-0.25,))
    r = lk.solve([s, cliff])
    table = r.summary(labels=["base", "cliff"])
    assert table.index.tolist() == ["base", "cliff"] and table.index.name == "scenario"
    assert table["agreed"].tolist() == [True, False]
    assert table["x"].iloc[0] == pytest.approx(0.5) and np.isnan(table["x"].iloc[1])
    assert table["probability"].tolist() == [1.0, 0.0] and table["best_probability"].tolist() == [1.0, 0.0]
    assert table["P_A"].tolist() == [1.0, pytest.approx(r.side_probability[1, 0])]
    assert table["E_A"].tolist() == pytest.approx([-0.5, -0.6]) and table["E_B"].tolist() == pytest.approx([-0.5, -0.6])
    assert table["reason"].tolist() == ["", "empty ZOPA: no deal is ratified on both sides"]
    assert r.summary().index.tolist() == [0, 1]
    assert r.outcome(1) == lk.NoDeal("empty ZOPA: no deal is ratified on both sides", 0.0)
    assert r.size == 2 and r.chance.tolist() == [1.0, 0.0]


def test_low_probability_reason():
    # smooth: A's vetoing hawk far out makes every deal unlikely; with c_min = 0.5 the best chance is below it
    s = replace(
        lk.canonical_scenario(noise=0.1).with_constituency("A_hawk", blocking=1.0, ideal=(-0.6,)), min_probability=0.5
    )
    r = lk.solve(s)
    assert r.reason[0] == "the best chance of agreement is below the threshold 0.5"


# --------------------------------------------------------------------------------------------- the batch
def test_batch_container():
    s = lk.canonical_scenario()
    rows = [s.with_constituency("A_hawk", strength=w) for w in (1.0, 2.0, 3.0)]
    b = lk.ScenarioBatch.from_scenarios(rows)
    assert b.size == 3 and b.n_issues == 1
    assert b.take(1).strength[:, 1].tolist() == [2.0]
    assert b.take(slice(1, 3)).strength[:, 1].tolist() == [2.0, 3.0]
    assert b.take(np.array([2, 0])).strength[:, 1].tolist() == [3.0, 1.0]
    assert b.repeat(2).strength[:, 1].tolist() == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]
    both = lk.ScenarioBatch.concatenate([b, b.take(0)])
    assert both.size == 4 and both.strength[:, 1].tolist() == [1.0, 2.0, 3.0, 1.0]
    f32 = b.astype(np.float32)
    assert f32.strength.dtype == np.float32 and f32.seated.dtype == bool and f32.term_state.dtype == np.int8
    assert lk.as_batch(b) is b and lk.as_batch(rows).size == 3 and lk.as_batch(s).size == 1
    un = lk.Unseat("A", target="A_dove").apply(s).batch()
    assert un.weights()[0].tolist() == [1.0, 1.0, 0.0, 1.0, 1.0, 1.0]
    assert s.with_issue("x", linked=False).batch().effective_salience()[0, :, 0].tolist() == [0.0] * 6
    # solving in chunks gives what one chunk gives
    whole = lk.solve(b)
    for chunk in (1, 2):
        part = lk.solve(b, chunk=chunk)
        np.testing.assert_array_equal(part.point, whole.point)
        np.testing.assert_array_equal(part.expected, whole.expected)
    # hawk at 2 ties with leader + dove (2 of 4 = quota): W_A stays [0, 0.6]; at 3 the hawk alone decides
    assert lk.solve_batch(b).point[:, 0].tolist() == pytest.approx([0.5, 0.5, 0.45])


def test_batch_of_per_scenario_terms_and_solutions():
    s = lk.canonical_scenario()
    t1 = replace(s, terms=(lk.Term("t", values={"B_hawk": 0.1}, costs={"A": 0.02, "UN": 1.0}, state="optional"),))
    t2 = t1.with_term("t", state="forced")
    b = lk.ScenarioBatch.from_scenarios([t1, t2, replace(t1, solution=lk.NashBargaining(0.7))])
    assert b.term_state[:, 0].tolist() == [1, 2, 1]
    assert b.term_cost[0, :, 0].tolist() == [0.02, 0.0]  # a third party's cost is not a side's
    assert b.term_value[0, b.names.index("B_hawk"), 0] == 0.1
    assert b.solution_param.tolist() == [0.5, 0.5, 0.7]
    assert b.solution_kind == "nash" and b.gamma == 1
    sb = lk.ScenarioBatch.from_scenarios([replace(s, solution=lk.SplitZOPA(0.25))])
    assert (sb.solution_kind, sb.solution_param.tolist()) == ("split", [0.25])
    ab = lk.ScenarioBatch.from_scenarios([replace(s, solution=lk.AgendaSetter(1))])
    assert (ab.solution_kind, ab.solution_param.tolist()) == ("setter", [1.0])


def test_support_functions():
    s = lk.canonical_scenario()
    x = [[0.35, 0.5, 0.65]]
    assert lk.joint_probability(s, x).tolist() == [[0.0, 1.0, 0.0]]
    assert lk.ratification_probability(s, x)[0].tolist() == [[1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
    assert lk.support(s, [[0.5]])[0, 0].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    noisy = lk.canonical_scenario(noise=0.1)
    assert lk.support(noisy, [[0.5]], crisp=True)[0, 0].tolist() == [1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
    assert lk.support(noisy, [[0.5]])[0, 0, 0] == pytest.approx(L(1.0))  # gain 0.1 / noise 0.1
    assert lk.joint_probability(noisy, [[0.5]], crisp=True).tolist() == [[1.0]]
    assert lk.ratification_probability(noisy, [[0.5]], crisp=True)[0, 0].tolist() == [1.0, 1.0]
    # gains with gamma = 2: 0.36 - 0.25 = 0.11 for the leaders at 0.5
    assert lk.net_gain(replace(s, gamma=2), [[0.5]])[0, 0, 0] == pytest.approx(0.11)
    # a batch of two scenarios against one row of candidates
    b = lk.ScenarioBatch.from_scenarios([s, s.with_constituency("A_hawk", blocking=1.0)])
    assert lk.joint_probability(b, [[0.5]]).tolist() == [[1.0], [0.0]]


# ------------------------------------------------------------------------------------- rule layers, inputs
def test_rule_layers_by_hand():
    from levelii_kit.rules import blocking_layer, discretion_layer, share_layer

    # weights (2, 1, 1), supports (1, 0.5, 0): S = (2 + 0.5) / 4 = 0.625; quota 0.5, softness 0.1: R = L(1.25)
    s, r = share_layer(np.array([1.0, 0.5, 0.0]), np.array([2.0, 1.0, 1.0]), 0.5, 0.1)
    assert float(s) == pytest.approx(0.625) and float(r) == pytest.approx(L(1.25))
    # no seated weight: S = 0
    s, r = share_layer(np.array([1.0, 1.0]), np.zeros(2), 0.5, 0.0)
    assert float(s) == 0.0 and float(r) == 0.0
    # blocking (1, 0.5) with supports (0.8, 0.4): (1 - 0.2)(1 - 0.5 * 0.6) = 0.56
    assert float(blocking_layer(np.array([0.8, 0.4]), np.array([1.0, 0.5]))) == pytest.approx(0.56)
    # discretion 0.25 mixes p_L = 0.2 with R B = 0.6: 0.05 + 0.45 = 0.5
    assert float(discretion_layer(0.2, 0.6, 1.0, 0.25)) == pytest.approx(0.5)
    assert float(discretion_layer(0.2, 0.6, 0.5, 0.0)) == pytest.approx(0.3)


def test_bloc_layer_by_hand():
    from levelii_kit.rules import bloc_layer

    # weights (3, 2, 1), quota 4/6 of 6 = 4: winning yes-sets {0,1}, {0,2}? 3+1 = 4 yes, {0,1,2}; {1,2} = 3 no.
    # p = (0.9, 0.5, 0.2): P = p0 p1 (1 - p2) + p0 (1 - p1) p2 + p0 p1 p2 = 0.36 + 0.09 + 0.09 = 0.54
    got = bloc_layer(np.array([0.9, 0.5, 0.2]), np.array([3.0, 2.0, 1.0]), 4 / 6)
    assert float(got) == pytest.approx(0.54)
    # certain supporters and opponents
    assert float(bloc_layer(np.array([1.0, 0.0]), np.array([1.0, 1.0]), 0.6)) == pytest.approx(0.0, abs=1e-12)
    assert float(bloc_layer(np.array([1.0, 1.0]), np.array([1.0, 1.0]), 1.0)) == 1.0
    # batched: shape (2, 3) supports give shape (2,)
    both = bloc_layer(np.array([[0.9, 0.5, 0.2], [1.0, 1.0, 1.0]]), np.array([3.0, 2.0, 1.0]), np.array([4 / 6, 1.0]))
    assert both.tolist() == [pytest.approx(0.54), 1.0]


def test_evaluate_input_shapes():
    s = lk.canonical_scenario()
    t = replace(s, terms=(lk.Term("t", values={"B_hawk": 0.1}, costs={"A": 0.02, "B": 0.01}),))
    # x as (N, G) for one issue; z as (N, M), shared by the candidates
    ev = lk.evaluate(t, [[0.5, 0.52]], z=[[1.0]])
    assert ev.gain.shape == (1, 2, 6)
    assert ev.gain[0, 0, 4] == pytest.approx(0.6 - 0.65 + 0.1)  # B's hawk at 0.5 with the term
    # leaders' surpluses net of the term's cost: A 0.1 - 0.02, B 0.1 - 0.01
    assert ev.surplus[0, 0].tolist() == pytest.approx([0.08, 0.09])
    # z per candidate (N, G, M)
    ev = lk.evaluate(t, [[0.5, 0.5]], z=[[[0.0], [1.0]]])
    assert ev.surplus[0, :, 0].tolist() == pytest.approx([0.1, 0.08])
    # default: forced terms only (none here)
    assert lk.evaluate(t, [[0.5]]).surplus[0, 0].tolist() == pytest.approx([0.1, 0.1])
    # one row of candidates for a batch of two
    b = lk.ScenarioBatch.from_scenarios([s, s.with_constituency("A_leader", tolerance=0.7)])
    assert lk.evaluate(b, [[0.5]]).surplus[:, 0, 0].tolist() == pytest.approx([0.1, 0.2])


def test_two_issue_gain_by_hand():
    # saliences (1, 4) for A's leader at (0, 0): distance to (0.3, 0.2) = sqrt(0.09 + 4 * 0.04) = 0.5
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0, 0.0), tolerance=0.6, salience=(1.0, 4.0)),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(1.0, 1.0), tolerance=0.6),), leader="b")
    s = lk.Scenario((lk.Issue("x"), lk.Issue("y")), (a, b))
    assert lk.net_gain(s, [[[0.3, 0.2]]])[0, 0, 0] == pytest.approx(0.1)
    assert lk.net_gain(replace(s, gamma=2), [[[0.3, 0.2]]])[0, 0, 0] == pytest.approx(0.36 - 0.25)
    # the second issue unlinked: only x counts, 0.6 - 0.3
    assert lk.net_gain(s.with_issue("y", linked=False), [[[0.3, 0.2]]])[0, 0, 0] == pytest.approx(0.3)


def test_bloc_layer_boundaries():
    from levelii_kit.rules import bloc_layer

    # a yes-weight exactly at quota * total - 1e-9 still passes: weights (0.5 - 1e-9, 0.5 + 1e-9), quota 1/2
    w = np.array([0.5 - 1e-9, 0.5 + 1e-9])
    assert float(bloc_layer(np.array([1.0, 0.0]), w, 0.5)) == pytest.approx(1.0)
    # the probabilities of all 2^5 vote patterns add up to 1 + 2e-16 in floating point here; the result stays <= 1
    p = np.array(
        [0.028319671145462966, 0.12428327649956394, 0.6706244146936303, 0.6471895115742501, 0.6153851114812539]
    )
    assert float(bloc_layer(p, np.ones(5), 0.0)) == 1.0


def test_support_functions_pass_terms_and_crisp():
    s = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0)
    t = replace(s, terms=(lk.Term("t", values={"B_hawk": 0.1}),))
    # with the term B's vetoing hawk accepts from 0.45: at 0.5 it gains 0.05
    assert lk.net_gain(t, [[0.5]], z=[[1.0]])[0, 0, 4] == pytest.approx(0.05)
    assert lk.support(t, [[0.5]], z=[[1.0]])[0, 0, 4] == 1.0
    assert lk.ratification_probability(t, [[0.5]], z=[[1.0]])[0, 0].tolist() == [1.0, 1.0]
    assert lk.joint_probability(t, [[0.5]], z=[[1.0]]).tolist() == [[1.0]]
    assert lk.joint_probability(t, [[0.5]]).tolist() == [[0.0]]
    # smooth by default, crisp on request: A's vetoing hawk with noise 0.1 at 0.5 (gain -0.05)
    noisy = lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0, noise=0.1)
    assert lk.ratification_probability(noisy, [[0.5]])[0, 0, 0] == pytest.approx(L(-0.5))
    assert lk.ratification_probability(noisy, [[0.5]], crisp=True)[0, 0, 0] == 0.0
    assert lk.joint_probability(noisy, [[0.5]])[0, 0] == pytest.approx(L(-0.5))
    assert lk.joint_probability(noisy, [[0.5]], crisp=True)[0, 0] == 0.0
    assert lk.support(noisy, [[0.5]])[0, 0, 1] == pytest.approx(L(-0.5))
    assert lk.evaluate(noisy, [[0.5]]).side[0, 0, 0] == pytest.approx(L(-0.5))


def test_canonical_scenario_as_documented():
    s = lk.canonical_scenario(noise=0.02, softness=0.03, alpha=0.6)
    assert s.name == "canonical classroom scenario (casebook/front_matter/model.md §10)"
    (issue,) = s.issues
    assert (issue.name, issue.label, issue.low, issue.high) == ("x", "the single issue", 0.0, 1.0)
    assert (issue.low_label, issue.high_label) == ("A's preferred end", "B's preferred end")
    assert [x.label for x in s.sides] == ["Side A", "Side B"] and [x.leader for x in s.sides] == [
        "A_leader",
        "B_leader",
    ]
    assert s.constituency("A_hawk").label == "A's hawk" and s.constituency("B_dove").label == "B's dove"
    assert [c.ideal[0] for c in s.constituencies] == [0.0, -0.15, 0.3, 1.0, 1.15, 0.7]
    assert {c.tolerance for c in s.constituencies} == {0.6} and {c.noise for c in s.constituencies} == {0.02}
    assert [x.rule for x in s.sides] == [lk.RatificationRule(quota=0.5, softness=0.03)] * 2
    assert s.solution == lk.NashBargaining(0.6) and s.gamma == 1 and s.status_quo is None


def test_term_mappings_are_frozen_floats():
    from types import MappingProxyType

    t = lk.Term("t", values={"h": 1}, costs={"A": 2})
    assert isinstance(t.values, MappingProxyType) and isinstance(t.costs, MappingProxyType)
    assert type(t.values["h"]) is float and type(t.costs["A"]) is float
    with pytest.raises(TypeError):
        t.values["h"] = 3.0
    assert dict(lk.Term("u").values) == {} and dict(lk.Term("u").costs) == {}


# ----------------------------------------------------------------------------- what a reader sees of the tables
def test_the_model_tables_show_readers_labels_and_plain_headers():
    """The tables index by identifier for code and show labels and plain headers to readers (the casebook's
    "labels, not identifiers"; casebook/front_matter/model.md §10 for the canonical scenario's labels)."""
    from levelii_kit.power import side_power

    s = lk.canonical_scenario()
    r = lk.solve(s)
    sup = r.support_table()
    assert sup.loc["A_hawk", "side"] == "A"  # code reads identifiers ...
    shown = sup.display()  # ... readers read words
    assert shown.index.name == "Constituency"
    assert list(shown.index) == ["A's leader", "A's hawk", "A's dove", "B's leader", "B's hawk", "B's dove"]
    assert list(shown["Side"]) == ["Side A"] * 3 + ["Side B"] * 3
    assert "Support for the proposal" in shown.columns
    sides = r.sides_table().display()
    assert sides.index.name == "Side" and list(sides.index) == ["Side A", "Side B"]
    assert {"Weighted support", "Quota", "Leader's surplus", "Leader's expected value"} <= set(sides.columns)
    summary = r.summary().display()
    assert "Expected value for Side A's leader" in summary.columns
    assert "Expected value for Side B's leader" in summary.columns
    assert "Chance that Side A ratifies" in summary.columns
    effects = lk.helper_ledger(s, [lk.Mollify("A", target="B_hawk", amount=0.1)]).effects("gross")
    assert effects.index.name == "move" and list(effects.index) == ["Mollify"]
    effects = effects.display()
    assert effects.index.name == "Move" and list(effects.columns) == ["Alone", "Last in", "Shapley share"]
    table = lk.helper_ledger(s, [lk.Mollify("A", target="B_hawk", amount=0.1)]).table()
    assert list(table.columns) == ["delta_probability", "likelihood", "terms", "gross", "cost", "net"]
    shown = table.display()
    assert shown.index.name == "Move" and list(shown.index) == ["Mollify"]
    assert list(shown.columns) == [
        "Change in the chance of agreement",
        "Gain through likelihood",
        "Gain through terms",
        "Gross gain",
        "Cost",
        "Net gain",
    ]
    power = side_power(s, "B").display()
    assert power.index.name == "Constituency" and list(power.index) == ["B's leader", "B's hawk", "B's dove"]
    assert list(power.columns) == ["Share of weight", "Banzhaf index", "Shapley-Shubik index", "Veto"]


def test_a_batch_carries_the_labels_of_sides_and_terms():
    """Written labels win; a missing label is the name made readable (the case-file convention)."""
    from levelii_kit.scenario import label_of

    s = lk.canonical_scenario()
    term = lk.Term("joint_declaration", label="A joint declaration", values={"B_hawk": 0.05})
    plain = lk.Term("troop_ceiling", values={"B_hawk": 0.05})
    b = replace(s, terms=(term, plain)).batch()
    assert b.side_labels == ("Side A", "Side B")
    assert b.term_labels == ("A joint declaration", "Troop ceiling")
    assert label_of(term) == "A joint declaration" and label_of(plain) == "Troop ceiling"


def test_shapley_values_reject_a_game_that_is_not_on_every_subset():
    from levelii_kit.ledger import shapley_values

    with pytest.raises(ValueError, match=r"^values must have 2\*\*m entries$"):
        shapley_values(np.zeros(3))
