"""Monte Carlo responds to the parameter it names, on both sides (casebook/front_matter/model.md §3; the test review,
item 4.6).

Every draw is checked against its own hand-derived outcome, so a draw written to the wrong constituency or
side, or not written at all, is seen.
"""

from __future__ import annotations

import numpy as np
import pytest

import levelii_kit as lk
from levelii_kit.sampling import draw


def canonical():
    return lk.canonical_scenario()


def test_side_b_quota_draws_move_the_deal():
    # B.quota in (0.9, 1]: B needs all three members, [0.55, 1.3] -> ZOPA [0.55, 0.6] and d* = 0.55 in every draw
    mc = lk.monte_carlo(canonical(), {"B.quota": ("uniform", 0.9, 1.0)}, draws=50, seed=3)
    r = mc.result
    assert r.agreed.all()
    np.testing.assert_allclose(r.point[:, 0], 0.55, atol=1e-12)
    np.testing.assert_array_equal(r.batch.quota[:, 1], mc.draws["B.quota"])
    assert (r.batch.quota[:, 0] == 0.5).all()  # A's rule untouched
    assert mc.summary()["mean_outcome"] == [pytest.approx(0.55)]


def test_side_a_quota_draws_move_the_deal():
    # A.quota in (0.9, 1]: A needs all three, [-0.3, 0.45] -> ZOPA [0.4, 0.45] and d* = 0.45
    mc = lk.monte_carlo(canonical(), {"A.quota": ("uniform", 0.9, 1.0)}, draws=50, seed=4)
    np.testing.assert_allclose(mc.result.point[:, 0], 0.45, atol=1e-12)
    assert (mc.result.batch.quota[:, 1] == 0.5).all()


def test_constituency_draws_land_on_the_named_constituency():
    # A's hawk vetoes; its ideal drawn in [-0.2, -0.1] caps A at ideal + 0.6 in [0.4, 0.5], below x^N = 0.5,
    # so d* = ideal + 0.6 draw by draw
    base = canonical().with_constituency("A_hawk", blocking=1.0)
    mc = lk.monte_carlo(base, {"A_hawk.ideal": ("uniform", -0.2, -0.1)}, draws=40, seed=5)
    np.testing.assert_allclose(mc.result.point[:, 0], mc.draws["A_hawk.ideal"] + 0.6, atol=1e-12)
    # B's vetoing hawk drawn in [1.1, 1.2] needs x >= ideal - 0.6 in [0.5, 0.6]: d* = ideal - 0.6
    base = canonical().with_constituency("B_hawk", blocking=1.0)
    mc = lk.monte_carlo(base, {"B_hawk.ideal": ("uniform", 1.1, 1.2)}, draws=40, seed=6)
    np.testing.assert_allclose(mc.result.point[:, 0], mc.draws["B_hawk.ideal"] - 0.6, atol=1e-12)
    i = mc.result.batch.names.index("B_hawk")
    np.testing.assert_array_equal(mc.result.batch.ideal[:, i, 0], mc.draws["B_hawk.ideal"])


def test_two_parameters_at_once():
    # A's vetoing hawk with tolerance in [0.5, 0.54] caps A at -0.15 + tol in [0.35, 0.39], below B's 0.4: no deal
    # in any draw; B's dove strength, drawn as well, must land on B_dove
    base = canonical().with_constituency("A_hawk", blocking=1.0)
    spec = {"A_hawk.tolerance": ("uniform", 0.5, 0.54), "B_dove.strength": ("uniform", 2.0, 3.0)}
    mc = lk.monte_carlo(base, spec, draws=30, seed=7)
    b = mc.result.batch
    np.testing.assert_array_equal(b.tolerance[:, b.names.index("A_hawk")], mc.draws["A_hawk.tolerance"])
    np.testing.assert_array_equal(b.strength[:, b.names.index("B_dove")], mc.draws["B_dove.strength"])
    assert (b.strength[:, b.names.index("A_dove")] == 1.0).all()
    assert not mc.result.agreed.any()
    summary = mc.summary()
    assert summary == {
        "draws": 30,
        "share_with_deal": 0.0,
        "chance_of_agreement": 0.0,
        "mean_E_A": pytest.approx(-0.6),
        "mean_E_B": pytest.approx(-0.6),
    }


def test_strength_draws_change_the_outcome_on_side_b():
    # B's hawk at strength w in [3, 4] outweighs leader + dove (2): B needs weight (w + 2) / 2 <= w, so the hawk
    # alone passes and leader + dove alone do not -> W_B = [0.55, 1], d* = 0.55
    mc = lk.monte_carlo(canonical(), {"B_hawk.strength": ("uniform", 3.0, 4.0)}, draws=20, seed=8)
    np.testing.assert_allclose(mc.result.point[:, 0], 0.55, atol=1e-12)
    mc = lk.monte_carlo(canonical(), {"A_hawk.strength": ("uniform", 3.0, 4.0)}, draws=20, seed=8)
    np.testing.assert_allclose(mc.result.point[:, 0], 0.45, atol=1e-12)


def test_side_fields_discretion_and_softness():
    # B.discretion drawn in [0.2, 0.3] with a B quota of 1 (all three needed from 0.55): on [0.4, 0.55) only the
    # leader supports, P_B = delta; the deal stays at 0.55 where P_B = 1
    base = canonical().with_side("B", quota=1.0)
    mc = lk.monte_carlo(base, {"B.discretion": ("uniform", 0.2, 0.3), "A.softness": ("uniform", 0.0, 0.01)}, 20, 9)
    b = mc.result.batch
    np.testing.assert_array_equal(b.discretion[:, 1], mc.draws["B.discretion"])
    np.testing.assert_array_equal(b.softness[:, 0], mc.draws["A.softness"])
    assert (b.discretion[:, 0] == 0).all() and (b.softness[:, 1] == 0).all()
    ev = lk.evaluate(b, np.full((b.size, 1, 1), 0.45))
    np.testing.assert_allclose(ev.side[:, 0, 1], mc.draws["B.discretion"])


def test_draws_are_clipped_to_valid_ranges():
    spec = {
        "A_hawk.blocking": ("normal", 0.5, 10.0),
        "B_hawk.receptivity": ("normal", 0.0, 10.0),
        "B.quota": ("normal", 0.5, 10.0),
        "A_dove.noise": ("normal", 0.0, 1.0),
    }
    mc = lk.monte_carlo(canonical(), spec, draws=200, seed=10)
    d = mc.draws
    assert d["A_hawk.blocking"].min() == 0.0 and d["A_hawk.blocking"].max() == 1.0
    assert d["B_hawk.receptivity"].min() == -1.0 and d["B_hawk.receptivity"].max() == 1.0
    assert d["B.quota"].min() == pytest.approx(1e-9) and d["B.quota"].max() == 1.0
    assert d["A_dove.noise"].min() == 0.0
    b = mc.result.batch
    np.testing.assert_array_equal(b.blocking[:, b.names.index("A_hawk")], d["A_hawk.blocking"])
    np.testing.assert_array_equal(b.receptivity[:, b.names.index("B_hawk")], d["B_hawk.receptivity"])


def test_threat_draws():
    # B's vetoing hawk with threat h in [0, 0.05] accepts from 0.55 + h: d* = 0.55 + h
    base = canonical().with_constituency("B_hawk", blocking=1.0)
    mc = lk.monte_carlo(base, {"B_hawk.threat": ("triangular", 0.0, 0.01, 0.05)}, draws=30, seed=11)
    np.testing.assert_allclose(mc.result.point[:, 0], 0.55 + mc.draws["B_hawk.threat"], atol=1e-12)


def test_seed_determinism_and_generators():
    spec = {"A_hawk.strength": ("uniform", 0, 3)}
    a = lk.monte_carlo(canonical(), spec, draws=20, seed=1)
    b = lk.monte_carlo(canonical(), spec, draws=20, seed=np.random.default_rng(1))
    np.testing.assert_array_equal(a.draws["A_hawk.strength"], b.draws["A_hawk.strength"])
    expected = np.random.default_rng(1).uniform(0, 3, 20)
    np.testing.assert_array_equal(a.draws["A_hawk.strength"], expected)


def test_draw_distributions():
    rng = np.random.default_rng(0)
    assert draw(("uniform", 2.0, 2.0), 3, rng).tolist() == [2.0, 2.0, 2.0]
    assert draw(("normal", 5.0, 0.0), 2, rng).tolist() == [5.0, 5.0]
    np.testing.assert_array_equal(
        draw(("triangular", 0.0, 0.5, 1.0), 5, np.random.default_rng(2)),
        np.random.default_rng(2).triangular(0.0, 0.5, 1.0, 5),
    )
    np.testing.assert_array_equal(
        draw(("normal", 0.0, 1.0), 5, np.random.default_rng(2)), np.random.default_rng(2).normal(0.0, 1.0, 5)
    )
    for bad in (("uniform", 0.0), ("beta", 1.0, 2.0), ("normal", 0, 1, 2), ("triangular", 0, 1)):
        with pytest.raises(ValueError, match="unknown distribution"):
            draw(bad, 3, rng)


def test_bad_monte_carlo_input():
    with pytest.raises(KeyError, match="unknown uncertain parameter 'nobody.strength'"):
        lk.monte_carlo(canonical(), {"nobody.strength": ("uniform", 0, 1)}, draws=5, seed=0)
    with pytest.raises(KeyError, match="unknown uncertain parameter 'A.strength'"):
        lk.monte_carlo(canonical(), {"A.strength": ("uniform", 0, 1)}, draws=5, seed=0)
    with pytest.raises(KeyError, match="unknown uncertain parameter 'A_hawk.quota'"):
        lk.monte_carlo(canonical(), {"A_hawk.quota": ("uniform", 0, 1)}, draws=5, seed=0)
    for draws in (0, -3, 2.5, "10"):
        with pytest.raises(ValueError, match="draws must be a positive integer"):
            lk.monte_carlo(canonical(), {}, draws=draws, seed=0)
    assert lk.monte_carlo(canonical(), {}, draws=1, seed=0).result.size == 1


def test_constituency_names_with_dots():
    # "U.S. Senate.strength": the field is after the last dot
    s = lk.canonical_scenario()
    a = s.sides[1]
    renamed = tuple(
        c if c.name != "B_hawk" else type(c)(**{**c.__dict__, "name": "U.S. Senate"}) for c in a.constituencies
    )
    from dataclasses import replace

    t = replace(s, sides=(s.sides[0], replace(a, constituencies=renamed)))
    mc = lk.monte_carlo(t, {"U.S. Senate.strength": ("uniform", 3.0, 4.0)}, draws=5, seed=0)
    np.testing.assert_allclose(mc.result.point[:, 0], 0.55, atol=1e-12)  # as B_hawk.strength above


def test_two_draws_of_one_field():
    # two strengths (and two quotas) drawn at once must both land
    spec = {
        "A_hawk.strength": ("uniform", 3.0, 4.0),
        "B_dove.strength": ("uniform", 5.0, 6.0),
        "A.quota": ("uniform", 0.5, 0.6),
        "B.quota": ("uniform", 0.3, 0.4),
    }
    mc = lk.monte_carlo(canonical(), spec, draws=10, seed=1)
    b = mc.result.batch
    np.testing.assert_array_equal(b.strength[:, b.names.index("A_hawk")], mc.draws["A_hawk.strength"])
    np.testing.assert_array_equal(b.strength[:, b.names.index("B_dove")], mc.draws["B_dove.strength"])
    np.testing.assert_array_equal(b.quota[:, 0], mc.draws["A.quota"])
    np.testing.assert_array_equal(b.quota[:, 1], mc.draws["B.quota"])


def test_summary_with_deals_and_the_default_draws():
    # B's vetoing hawk with threat h in [0, 0.05]: a deal at 0.55 + h in every draw, chance 1
    base = canonical().with_constituency("B_hawk", blocking=1.0)
    mc = lk.monte_carlo(base, {"B_hawk.threat": ("uniform", 0.0, 0.05)}, draws=40, seed=2)
    summary = mc.summary()
    h = mc.draws["B_hawk.threat"]
    assert summary["share_with_deal"] == 1.0 and summary["chance_of_agreement"] == 1.0
    assert summary["mean_outcome"] == [pytest.approx(0.55 + h.mean())]
    # E_A = -0.6 + (0.6 - x) = -x; E_B = -0.6 + (x - 0.4) = x - 1
    assert summary["mean_E_A"] == pytest.approx(-(0.55 + h.mean()))
    assert summary["mean_E_B"] == pytest.approx(0.55 + h.mean() - 1.0)
    assert lk.monte_carlo(canonical(), {}, seed=0).result.size == 1000
