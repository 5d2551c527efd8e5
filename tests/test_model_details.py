"""Details the broader tests leave open, each pinned by hand: batches of several rows, grids, tie conventions,
terms passed through every region function, and the smooth solver's precision."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

import levelii_kit as lk
from levelii_kit import _grid


def L(t):
    return 1.0 / (1.0 + math.exp(-t))


def test_grid_size_counts_only_noisy_constituencies():
    # one noisy constituency (tau 0.1, salience 1): spacing at most 0.05 on [0, 1] -> ceil(1 / 0.05) + 1 = 21 points
    s = lk.canonical_scenario().with_constituency("A_hawk", noise=0.1)
    assert _grid.grid_size(s.batch()).tolist() == [21.0]
    assert _grid.bucket(np.array([21.0, 40.0, 300.0, 5000.0, np.inf])).tolist() == [33, 41, 513, 0, 0]
    # gamma = 2: the slope of the loss is 2 * sigma * reach, reach = the largest distance from the ideal to an end
    # of the range: for A_hawk at -0.15 it is 1.15, so spacing 0.1 / 2.3 / 2 -> ceil(1 / 0.0217...) + 1 = 47
    assert _grid.grid_size(replace(s, gamma=2).batch()).tolist() == [47.0]


def test_one_noisy_veto_player_is_solved_smoothly():
    # A's vetoing hawk has noise 0.1, everyone else is crisp: the solver must use the smooth path, where P_A is
    # the hawk's logistic support (between 0 and 1), not the crisp indicator
    s = lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0, noise=0.1)
    r = lk.solve(s)
    assert r.agreed[0] and 0.0 < r.probability[0] < 1.0
    ev = lk.evaluate(s, r.point[:, None, :])
    assert r.probability[0] == pytest.approx(ev.joint[0, 0])


@pytest.mark.parametrize("alpha, noise", [(0.7, 0.01), (0.3, 0.02), (0.5, 0.05)])
def test_smooth_solver_precision(alpha, noise):
    # the maximiser of log P_A + log P_B + alpha log s_A + (1 - alpha) log s_B, found independently by a bounded
    # scalar search on evaluate; the grid plus two parabolic steps must land within 2e-5 of it (a grid step is
    # about noise / 2, so without the refinement the error would be up to noise / 4)
    s = lk.canonical_scenario(alpha=alpha, noise=noise, softness=noise)

    def minus_objective(x):
        ev = lk.evaluate(s, [[x]])
        return -(
            np.log(ev.side[0, 0]).sum()
            + alpha * np.log(ev.surplus[0, 0, 0])
            + (1 - alpha) * np.log(ev.surplus[0, 0, 1])
        )

    best = minimize_scalar(minus_objective, bounds=(0.41, 0.59), method="bounded", options={"xatol": 1e-12}).x
    assert lk.solve(s).point[0, 0] == pytest.approx(best, abs=2e-5)


def test_timing_without_changes_returns_the_scenario():
    s = lk.canonical_scenario()
    assert lk.Timing("A", target="B_hawk").apply(s) is s
    assert lk.Timing("A", target="not a constituency").apply(s) is s


def test_ledger_table_net_for_a_move_the_helper_does_not_pay():
    s = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    s = s.with_constituency("A_hawk", blocking=1.0, ideal=(-0.1,))
    table = lk.helper_ledger(s, [lk.Mollify("B", target="B_hawk", amount=0.1, cost=0.03)]).table()
    assert table["cost"].tolist() == [0.0] and table["net"].tolist() == [pytest.approx(0.1)]


def test_split_zopa_batch_rows_are_independent():
    # row 0: ZOPA [0.4, 0.6] -> 0.5; row 1 (B's quota 0.75): ZOPA [0.55, 0.6] -> 0.575; row 2: A capped at 0.45 by
    # its vetoing hawk: [0.4, 0.45] -> 0.425
    s = replace(lk.canonical_scenario(), solution=lk.SplitZOPA(0.5))
    rows = [s, s.with_side("B", quota=0.75), s.with_constituency("A_hawk", blocking=1.0)]
    r = lk.solve(rows)
    assert r.point[:, 0].tolist() == pytest.approx([0.5, 0.575, 0.425])
    smooth = lk.solve(
        [replace(x, sides=tuple(replace(y, rule=replace(y.rule, softness=0.01)) for y in x.sides)) for x in rows]
    )
    assert smooth.point[:, 0].tolist() == pytest.approx([0.5, 0.575, 0.425], abs=1e-9)


def test_split_zopa_with_leaders_at_the_same_point():
    # both leaders at 0.5 with tolerance 0.3: ZOPA [0.2, 0.8]; with no side wanting x higher than the other, beta is
    # measured from the low end: 0.2 + 0.25 * 0.6 = 0.35
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.5,), tolerance=0.3),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(0.5,), tolerance=0.3),), leader="b")
    s = lk.Scenario((lk.Issue("x"),), (a, b), solution=lk.SplitZOPA(0.25))
    assert lk.solve(s).point[0, 0] == pytest.approx(0.35)


def test_regions_of_a_batch():
    s = lk.canonical_scenario()
    rows = [s, s.with_constituency("A_hawk", blocking=1.0), s.with_constituency("A_hawk", blocking=1.0, ideal=(-0.25,))]
    z = lk.zopa(lk.ScenarioBatch.from_scenarios(rows))
    assert [z.intervals_of(i) for i in range(3)] == [
        [(pytest.approx(0.4), pytest.approx(0.6))],
        [(pytest.approx(0.4), pytest.approx(0.45))],
        [],
    ]
    bounds = z.bounds()
    assert bounds.shape == (3, 2)
    assert bounds[:2].tolist() == [[pytest.approx(0.4), pytest.approx(0.6)], [pytest.approx(0.4), pytest.approx(0.45)]]
    assert np.isnan(bounds[2]).all()
    assert z.empty.tolist() == [False, False, True]
    assert z.size.tolist() == pytest.approx([0.2, 0.05, 0.0])
    smooth = lk.zopa(
        [replace(x, sides=tuple(replace(y, rule=replace(y.rule, softness=0.01)) for y in x.sides)) for x in rows]
    )
    assert smooth.empty.tolist() == [False, False, True]


def test_smooth_regions_with_terms():
    # noise 0.05 on every member; a term worth 0.1 to B's vetoing hawk. Without it B's hawk has P = L(g/0.05) with
    # g = 0.6 - (1.15 - x); with it g + 0.1. W_B(1/2) then starts where B's hawk is at 1/2 (its veto binds first)
    base = lk.canonical_scenario(noise=0.05).with_constituency("B_hawk", blocking=1.0)
    s = replace(base, terms=(lk.Term("t", values={"B_hawk": 0.1}),))

    def b_side(x, v):
        hawk = L((0.6 - (1.15 - x) + v) / 0.05)
        share = (L((0.6 - (1 - x)) / 0.05) + hawk + L((0.6 - (0.7 - x)) / 0.05)) / 3
        return hawk * (1.0 if share >= 0.5 else 0.0)

    lo0 = brentq(lambda x: b_side(x, 0.0) - 0.5, 0.5, 0.6)
    lo1 = brentq(lambda x: b_side(x, 0.1) - 0.5, 0.4, 0.5)
    assert lk.win_set(s, "B").intervals_of()[0][0] == pytest.approx(lo0, abs=1e-6)
    assert lk.win_set(s, "B", terms=[1]).intervals_of()[0][0] == pytest.approx(lo1, abs=1e-6)
    assert lk.naive_zopa(s, terms=[1]).intervals_of()[0][0] == pytest.approx(lo1, abs=1e-6)
    assert lk.naive_zopa(s).intervals_of()[0][0] == pytest.approx(lo0, abs=1e-6)


def two_issue(y_high=1.0, terms=()):
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0, 0.0), tolerance=1.0),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(1.0, y_high), tolerance=1.0),), leader="b")
    return lk.Scenario((lk.Issue("x"), lk.Issue("y", low=0.0, high=y_high)), (a, b), terms=terms)


def test_two_issue_ranges_differ():
    # y on [0, 2], B's leader at (1, 2): the ideals are sqrt 5 apart; both tolerances 1 leave no overlap
    # (1 + 1 < sqrt 5), so no deal; with tolerance 1.5 each the midpoint (0.5, 1) is the Nash point
    s = two_issue(y_high=2.0)
    assert not lk.solve(s).agreed[0]
    wide = s.with_constituency("a", tolerance=1.5).with_constituency("b", tolerance=1.5)
    r = lk.solve(wide)
    np.testing.assert_allclose(r.point[0], [0.5, 1.0], atol=2e-3)
    w = lk.win_set(wide, "A")
    assert w.grid[0].tolist() == pytest.approx(np.linspace(0, 1, 101).tolist())
    assert w.grid[1].tolist() == pytest.approx(np.linspace(0, 2, 101).tolist())
    # A's quarter disc of radius 1.5 inside [0, 1] x [0, 2]: its area is integral_0^1 min(2, sqrt(2.25 - x^2))
    area = sum(min(2.0, math.sqrt(2.25 - x * x)) for x in np.linspace(0, 1, 100001)) / 100001
    assert w.size[0] == pytest.approx(area, abs=0.03)


def test_two_issue_regions_with_terms():
    # a term worth 0.5 to B's leader widens its disc to radius 1.5: with it the ZOPA grows
    s = two_issue(terms=(lk.Term("t", values={"b": 0.5}),))
    assert lk.zopa(s, terms=[1]).size[0] > lk.zopa(s).size[0] + 0.1
    assert lk.win_set(s, "B", terms=[1]).size[0] == pytest.approx(1.0, abs=0.02)  # the whole unit square


def test_regions_of_a_mixed_batch():
    # a noise-free row, a noisy row and a noise-free row with a veto: each row's region is what it is alone
    crisp = lk.canonical_scenario()
    noisy = lk.canonical_scenario(noise=0.05, softness=0.05)
    veto = crisp.with_constituency("A_hawk", blocking=1.0)
    together = lk.zopa([crisp, noisy, veto], confidence=0.9)
    for i, row in enumerate((crisp, noisy, veto)):
        alone = lk.zopa(row, confidence=0.9)
        assert together.intervals_of(i) == [(pytest.approx(a), pytest.approx(b)) for a, b in alone.intervals_of(0)]
        assert together.size[i] == pytest.approx(alone.size[0])
    assert together.intervals_of(1)[0][1] < 0.56  # the noisy row is not the crisp [0.4, 0.6]


def test_split_target_on_a_partial_blocker():
    # B's hawk blocks informally (b = 1/2) below 0.55, so P_AB = 1/2 on [0.4, 0.55): the ZOPA at c = 1/2 is still
    # [0.4, 0.6] (the boundary value 1/2 counts), and beta = 0.3 gives 0.46 with P_AB = 1/2
    s = replace(lk.canonical_scenario().with_constituency("B_hawk", blocking=0.5), solution=lk.SplitZOPA(0.3))
    r = lk.solve(s)
    assert r.point[0, 0] == pytest.approx(0.46) and r.probability[0] == pytest.approx(0.5)


def test_gamma_two_agenda_setter_takes_its_own_ideal():
    # B's leader at 0.7 (tolerance 0.6) proposes; A's hawk moved to 0.3 makes hawk + dove carry A up to 0.9, so the
    # ZOPA (B's leader and dove carry B from 0.1) [0.1, 0.9] contains B's ideal, where A's leader (tolerance 0.6)
    # no longer gains - the proposer needs no gain for A, so it takes x = 0.7 exactly
    s = lk.canonical_scenario().with_constituency("A_hawk", ideal=(0.3,)).with_constituency("B_leader", ideal=(0.7,))
    s = replace(s, gamma=2, solution=lk.AgendaSetter(1))
    assert lk.zopa(s).intervals_of() == [(pytest.approx(0.1), pytest.approx(0.9))]
    r = lk.solve(s)
    assert r.point[0, 0] == pytest.approx(0.7, abs=1e-7)
    assert r.surplus[0, 0] < 0 < r.surplus[0, 1]


def test_deals_stay_inside_the_issue_range():
    # B's leader wants 1.2, beyond the range [0, 1]; A's members accept up to 1.1 or 1.2, so ratification reaches past
    # the range's end. B proposing takes the range's end, 1.0, never a point beyond it
    s = lk.canonical_scenario().with_constituency("A_leader", ideal=(0.6,)).with_constituency("A_hawk", ideal=(0.5,))
    s = s.with_constituency("A_dove", ideal=(0.5,)).with_constituency("B_leader", ideal=(1.2,))
    for solution in (lk.AgendaSetter(1), lk.NashBargaining(0.1)):
        r = lk.solve(replace(s, solution=solution))
        assert r.agreed[0] and 0.0 <= r.point[0, 0] <= 1.0
    assert lk.solve(replace(s, solution=lk.AgendaSetter(1))).point[0, 0] == pytest.approx(1.0)


def test_agenda_setter_below_the_other_leader_s_range():
    # A's leader at 1.0 (tolerance 0.3, [0.7, 1.3]) is outvoted by hawk and dove at 0.3 ([0, 0.6]); B's members at
    # 0.2 ([-0.4, 0.8]). B proposes its own ideal 0.2, which A's leader dislikes - but only the proposer must gain.
    # An optional term (worth nothing) sends the solver down its general crisp path.
    a = lk.Side(
        "A",
        (
            lk.Constituency("a", ideal=(1.0,), tolerance=0.3),
            lk.Constituency("ah", ideal=(0.3,), tolerance=0.3),
            lk.Constituency("ad", ideal=(0.3,), tolerance=0.3),
        ),
        leader="a",
    )
    b = lk.Side("B", (lk.Constituency("b", ideal=(0.2,), tolerance=0.6),), leader="b")
    s = lk.Scenario((lk.Issue("x"),), (a, b), solution=lk.AgendaSetter(1), terms=(lk.Term("t"),))
    assert lk.solve(s).point[0, 0] == pytest.approx(0.2)
    assert lk.solve(replace(s, terms=())).point[0, 0] == pytest.approx(0.2)


def test_ledger_costs_are_floats():
    led = lk.helper_ledger(lk.canonical_scenario(), [lk.Empower("A", target="B_dove", factor=2.0, cost=1)])
    assert led.costs.dtype == float and led.costs.tolist() == [1.0] and type(led.cost) is float


def test_indifferent_proposer_keeps_its_own_ideal():
    # B's leader with salience 0 does not care where x lies (its surplus is 0.6 everywhere): every deal in the ZOPA
    # [0.1, 0.6] is equally good for B as proposer, and the documented tie-break keeps the proposer's own ideal, 0.5
    s = lk.canonical_scenario().with_constituency("B_leader", ideal=(0.5,), salience=0.0)
    r = lk.solve(replace(s, solution=lk.AgendaSetter(1)))
    assert r.point[0, 0] == pytest.approx(0.5) and r.surplus[0, 1] == pytest.approx(0.6)


def test_two_issue_ranges_with_different_lows():
    # y on [-1, 1]; A's leader at (-0.5, 0), outside the range, B's at (1, 0), tolerances 1.5. A proposing wants the
    # point nearest its ideal that B accepts: (0, 0), on the range's edge - never a point left of x = 0
    a = lk.Side("A", (lk.Constituency("a", ideal=(-0.5, 0.0), tolerance=1.5),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(1.0, 0.0), tolerance=1.5),), leader="b")
    s = lk.Scenario((lk.Issue("x"), lk.Issue("y", low=-1.0, high=1.0)), (a, b), solution=lk.AgendaSetter(0))
    r = lk.solve(s)
    assert r.point[0].tolist() == [pytest.approx(0.0, abs=1e-9), pytest.approx(0.0, abs=1e-3)]
    # A's acceptable disc inside [0, 1] x [-1, 1]: area = integral_0^1 2 min(1, sqrt(2.25 - (x + 0.5)^2)) dx
    xs = np.linspace(0.0, 1.0, 200001)
    area = float(np.mean(2 * np.minimum(1.0, np.sqrt(np.maximum(2.25 - (xs + 0.5) ** 2, 0.0)))))
    w = lk.win_set(s, "A")
    assert w.size[0] == pytest.approx(area, abs=0.03)
    assert w.grid[0][0] == 0.0 and w.grid[1][0] == -1.0


def test_two_issue_split_is_a_grid_point_on_the_first_issue():
    # SplitZOPA in two issues splits the first issue's extent of the ZOPA (the lens of radius-1 discs around (0, 0)
    # and (1, 1) spans x in [0, 1]: beta = 1/2 gives x = 0.5) and keeps the first qualifying point of the 41 x 41
    # grid there, without refinement: the lens at x = 0.5 starts at y = 1 - sqrt(0.75) = 0.134, so y = 0.15
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0, 0.0), tolerance=1.0),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(1.0, 1.0), tolerance=1.0),), leader="b")
    s = lk.Scenario((lk.Issue("x"), lk.Issue("y")), (a, b), solution=lk.SplitZOPA(0.5))
    assert lk.solve(s).point[0].tolist() == [pytest.approx(0.5), pytest.approx(0.15)]


def test_indifferent_veto_player_with_no_tolerance_accepts_everything():
    # salience 0 and tolerance 0: its gain is 0 - 0 = 0 at every deal, and a deal on the red line is accepted, so
    # its veto never bites: the canonical outcome 0.5 stands
    s = lk.canonical_scenario().with_constituency("A_dove", salience=0.0, tolerance=0.0, blocking=1.0)
    r = lk.solve(s)
    assert r.agreed[0] and r.point[0, 0] == pytest.approx(0.5) and r.expected[0, 0] == pytest.approx(-0.5)
    assert lk.win_set(s, "A").intervals_of() == [(0.0, pytest.approx(0.6))]


def test_gamma_two_leaders_whose_ranges_do_not_meet():
    # leaders' tolerances 0.3: A's gains only below 0.3, B's only above 0.7 - no deal, and no error
    s = replace(lk.canonical_scenario(), gamma=2)
    s = s.with_constituency("A_leader", tolerance=0.3).with_constituency("B_leader", tolerance=0.3)
    r = lk.solve(s)
    assert not r.agreed[0] and r.expected[0].tolist() == pytest.approx([-0.09, -0.09])


def test_no_deal_reports_the_split_point_when_it_is_likeliest():
    # A's leader can never gain (threat 0.7 > tolerance 0.6), so no deal qualifies; A's hawk at 0.2 and dove carry A
    # up to 0.8, so the ZOPA is [0.4, 0.8] and the reported proposal (a likeliest deal) is the leaders' split, 0.5
    s = lk.canonical_scenario().with_constituency("A_leader", threat=0.7).with_constituency("A_hawk", ideal=(0.2,))
    r = lk.solve(s)
    assert not r.agreed[0] and r.best_probability[0] == 1.0
    assert r.point[0, 0] == pytest.approx(0.5)


def test_evaluation_shapes_and_layers():
    # three candidates: every per-side field is (N, G, 2), per-constituency (N, G, n), joint (N, G)
    s = lk.canonical_scenario().with_side("A", softness=0.1).with_constituency("A_hawk", blocking=0.5)
    ev = lk.evaluate(s, [[0.3, 0.5, 0.7]])
    assert ev.gain.shape == ev.support.shape == (1, 3, 6)
    for field in (ev.share, ev.body, ev.blocking, ev.side, ev.surplus):
        assert field.shape == (1, 3, 2)
    assert ev.joint.shape == (1, 3)
    # at 0.5: A's hawk opposes -> A's blocking layer 1 - 0.5 = 0.5, body L((2/3 - 1/2)/0.1); B's body 1, blocking 1
    assert ev.blocking[0, 1].tolist() == [0.5, 1.0]
    assert ev.body[0, 1].tolist() == [pytest.approx(1 / (1 + math.exp(-(2 / 3 - 0.5) / 0.1))), 1.0]
    # at 0.3 all of A supports (S = 1, blocking 1); B: only its dove (S = 1/3 < 1/2)
    assert ev.share[0, 0].tolist() == [pytest.approx(1.0), pytest.approx(1 / 3)]
    assert ev.body[0, 0, 1] == 0.0 and ev.blocking[0, 0, 0] == 1.0


def test_scenario_containers_are_tuples():
    a = lk.Side("A", [lk.Constituency("a", ideal=0.0)], leader="a")
    b = lk.Side("B", [lk.Constituency("b", ideal=1.0)], leader="b")
    s = lk.Scenario([lk.Issue("x")], [a, b], terms=[lk.Term("t")])
    assert isinstance(s.issues, tuple) and isinstance(s.sides, tuple) and isinstance(s.terms, tuple)
    assert isinstance(a.constituencies, tuple)
    assert hash(s) == hash(lk.Scenario((lk.Issue("x"),), (a, b), terms=(lk.Term("t"),)))


def test_split_zopa_in_a_gap_between_zopa_components():
    # B's win-set is [0.1, 0.3] u [0.7, 0.9] (P-11's counter-example) and A accepts [0, 0.8], so the ZOPA has the
    # components [0.1, 0.3] and [0.7, 0.8]; beta = 1/2 aims at 0.45, inside the gap, and the nearest ZOPA point on
    # the solver's candidates is taken instead (0.3 is 0.15 away, 0.7 is 0.25). In a batch each row keeps its own.
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
    s = lk.Scenario((lk.Issue("x"),), (a, b), solution=lk.SplitZOPA(0.5))
    assert lk.solve(s).point[0, 0] == pytest.approx(0.3)
    narrow = s.with_constituency("a", tolerance=0.2)  # ZOPA [0.1, 0.2] -> 0.15
    assert lk.solve([narrow, s]).point[:, 0].tolist() == [pytest.approx(0.15), pytest.approx(0.3)]
    assert lk.solve([s, narrow]).point[:, 0].tolist() == [pytest.approx(0.3), pytest.approx(0.15)]


# ------------------------------------------------------------------ gaps a mutation run showed (tests/MUTATION.md)
def test_win_sets_at_full_confidence_in_the_crisp_canonical_scenario():
    """Crisp canonical scenario (casebook/front_matter/model.md §10): A's members accept within 0.6 of 0, -0.15 and
    0.3, so two of three (the quota 0.5) accept exactly on [0, 0.6]; B mirrors it on [0.4, 1]; the ZOPA is [0.4, 0.6].
    Inside, ratification is certain, so asking for confidence 1 changes nothing."""
    s = lk.canonical_scenario()
    for confidence in (None, 0.5, 1.0):
        np.testing.assert_allclose(lk.win_set(s, "A", confidence).bounds()[0], [0.0, 0.6], atol=2e-3)
        np.testing.assert_allclose(lk.win_set(s, "B", confidence).bounds()[0], [0.4, 1.0], atol=2e-3)
        np.testing.assert_allclose(lk.zopa(s, confidence).bounds()[0], [0.4, 0.6], atol=2e-3)
        np.testing.assert_allclose(lk.naive_zopa(s, confidence).bounds()[0], [0.4, 0.6], atol=2e-3)


def test_a_higher_confidence_asks_more_of_a_noisy_win_set():
    """W_s(c) = {d : P_s(d) >= c} shrinks as c grows (the model appendix's win-set definition); with noise the
    probability falls smoothly at the edges, so 0.9 gives a strictly smaller set than 0.5."""
    s = lk.canonical_scenario(noise=0.05, softness=0.03)
    for region in (lambda c: lk.win_set(s, "A", c), lambda c: lk.win_set(s, "B", c), lambda c: lk.naive_zopa(s, c)):
        (lo5, hi5), (lo9, hi9) = region(0.5).bounds()[0], region(0.9).bounds()[0]
        assert lo5 <= lo9 < hi9 <= hi5 and (hi5 - lo5) - (hi9 - lo9) > 0.01


def test_results_keep_their_scenarios_when_taken_apart_and_joined():
    crisp, noisy = lk.canonical_scenario(), lk.canonical_scenario(noise=0.1, softness=0.03)
    r = lk.solve(lk.ScenarioBatch.from_scenarios([crisp, noisy]))
    second = r.take(1)
    assert second.batch is not None and second.batch.noise.shape[0] == 1
    np.testing.assert_array_equal(second.batch.noise[0], noisy.batch().noise[0])
    joined = lk.Result.concatenate([r.take(0), second])
    np.testing.assert_array_equal(joined.batch.noise, r.batch.noise)
    np.testing.assert_array_equal(joined.chance, r.chance)


def test_reframing_moves_a_constituency_towards_the_right_leader():
    """Reframe moves the target's ideal by receptivity * shift towards the actor's leader, or, for an actor outside
    both sides (a mediator), towards the leader of the other side (Sebenius 2012: reframing for the other side's
    audience). Canonical ideals: A's leader 0, B's leader 1, B's hawk 1.15, A's hawk -0.15; receptivity 1."""
    s = lk.canonical_scenario()
    moved = lambda act, target: act.apply(s).constituency(target).ideal[0]  # noqa: E731
    assert moved(lk.Reframe("B", target="B_hawk", shift=0.1), "B_hawk") == pytest.approx(1.05)  # towards 1
    assert moved(lk.Reframe("A", target="B_hawk", shift=0.1), "B_hawk") == pytest.approx(1.05)  # towards 0
    assert moved(lk.Reframe("B", target="B_hawk", shift=0.5), "B_hawk") == pytest.approx(1.0)  # stops at 1
    assert moved(lk.Reframe("A", target="B_hawk", shift=0.5), "B_hawk") == pytest.approx(0.65)
    assert moved(lk.Reframe("mediator", target="B_hawk", shift=0.5), "B_hawk") == pytest.approx(0.65)
    assert moved(lk.Reframe("mediator", target="A_hawk", shift=0.5), "A_hawk") == pytest.approx(0.35)
    assert moved(lk.Engage("B", target="B_hawk", shift=0.5), "B_hawk") == pytest.approx(1.0)
    assert moved(lk.Engage("A", target="B_hawk", shift=0.5), "B_hawk") == pytest.approx(0.65)


def test_offering_a_term_makes_it_optional_unless_forced():
    term = lk.Term("assurance", values={"B_hawk": 0.05}, costs={"A": 0.01}, state="unavailable")
    s = replace(lk.canonical_scenario(), terms=(term,))
    assert lk.OfferTerm("A", term="assurance").apply(s).term("assurance").state == "optional"
    assert lk.OfferTerm("A", term="assurance", force=True).apply(s).term("assurance").state == "forced"
    # with_term: a change to an existing term's current value is no error; an unknown term is one
    assert s.with_term("assurance", state="unavailable").term("assurance") == term
    with pytest.raises(KeyError, match="unknown term 'missing'"):
        s.with_term("missing", state="forced")


def test_two_issue_weighted_nash_points_on_ranges_that_differ():
    """Two leaders, ideals (0, 0) and (1, 2) on [0, 1] x [0, 2], tolerance 1.5, gamma = 1: surplus falls one for one
    with distance, so the Nash point lies on the segment between the ideals (D = sqrt 5 long), at t from A's ideal
    with alpha / (1.5 - t) = (1 - alpha) / (1.5 - (D - t)): t = (1 - alpha) 1.5 + alpha (D - 1.5)
    (casebook/front_matter/model.md §5). alpha = 0.7: t = 0.96525; alpha = 0.3: t = 1.27082. Solved as one batch, to
    the solver's 2-D refinement (a grid step is 0.01 on x and 0.02 on y; the answer must be much closer)."""
    a = lk.Side("A", (lk.Constituency("a", ideal=(0.0, 0.0), tolerance=1.5),), leader="a")
    b = lk.Side("B", (lk.Constituency("b", ideal=(1.0, 2.0), tolerance=1.5),), leader="b")
    issues = (lk.Issue("x"), lk.Issue("y", low=0.0, high=2.0))
    rows = [lk.Scenario(issues, (a, b), solution=lk.NashBargaining(alpha)) for alpha in (0.7, 0.3)]
    r = lk.solve(lk.ScenarioBatch.from_scenarios(rows))
    d = math.sqrt(5.0)
    for row, alpha in enumerate((0.7, 0.3)):
        t = (1 - alpha) * 1.5 + alpha * (d - 1.5)
        np.testing.assert_allclose(r.point[row], [t / d, 2 * t / d], atol=3e-4)
        assert r.chance[row] == pytest.approx(1.0)
