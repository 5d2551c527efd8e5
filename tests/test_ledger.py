"""The helper's ledger pinned by hand (casebook/front_matter/model.md §7; the test review, item 4.5).

Convention (levelii_kit.ledger): with P = 0 and surplus s = U_A - D_A = 0 for no deal (g(no deal) = 0,
casebook/front_matter/model.md §2), Delta E_A = (P1 - P0) s0 [likelihood] + P1 (s1 - s0) [terms] + (D1 - D0)
[baseline shift]. A move that
creates a ZOPA from no deal is therefore booked as terms (s0 = 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import levelii_kit as lk
from levelii_kit.ledger import shapley_values, subset_scenarios


def helper_variant():
    """casebook/front_matter/model.md §10: B's hawk vetoes with net radius 0.6 (x >= 0.55), A's vetoing hawk caps A at
    0.5: no deal."""
    s = lk.canonical_scenario().with_constituency("B_hawk", blocking=1.0, tolerance=0.7, threat=0.1)
    return s.with_constituency("A_hawk", blocking=1.0, ideal=(-0.1,))


def test_helper_variant_is_all_terms():
    # before: no deal (P0 = 0, s0 = 0, E = D = -0.6); after the Mollify: d* = 0.5, P1 = 1, s1 = 0.6 - 0.5 = 0.1
    led = lk.helper_ledger(helper_variant(), [lk.Mollify("A", target="B_hawk", amount=0.1, cost=0.03)])
    assert (led.probability_before, led.probability_after) == (0.0, 1.0)
    assert led.likelihood == pytest.approx(0.0, abs=1e-12)  # (1 - 0) * 0
    assert led.terms == pytest.approx(0.1)  # 1 * (0.1 - 0)
    assert led.baseline_shift == 0.0
    assert led.gross == pytest.approx(0.1) and led.break_even == pytest.approx(0.1)
    assert led.cost == pytest.approx(0.03) and led.net == pytest.approx(0.07)


def test_likelihood_and_terms_both_move():
    # B's hawk as an informal blocker (b = 1/2) opposing below 0.55, A capped at 0.5 by its vetoing hawk:
    #   before: d0 = 0.5 with P0 = 1/2 (P_B = 1 - 0.5), s0 = 0.1, E0 = -0.6 + 0.05 = -0.55.
    # withdrawing A's veto opens (0.5, 0.6] for A. On [0.4, 0.55) P = 1/2 and the best Nash value is
    # 0.5 * sqrt(0.1 * 0.1) = 0.05; on [0.55, 0.6] P = 1 and the best is sqrt(0.05 * 0.15) = 0.0866, so
    #   after: d1 = 0.55, P1 = 1, s1 = 0.05, E1 = -0.55.
    # likelihood (1 - 1/2) 0.1 = 0.05, terms 1 (0.05 - 0.1) = -0.05, gross 0
    s = helper_variant().with_constituency("B_hawk", blocking=0.5, tolerance=0.6, threat=0.0)
    led = lk.helper_ledger(s, [lk.SetBlocking("A", target="A_hawk", blocking=0.0)])
    assert led.results.point[:, 0].tolist() == pytest.approx([0.5, 0.55])
    assert (led.probability_before, led.probability_after) == (pytest.approx(0.5), pytest.approx(1.0))
    assert led.likelihood == pytest.approx(0.05)
    assert led.terms == pytest.approx(-0.05)
    assert led.gross == pytest.approx(0.0, abs=1e-12)


@dataclass(frozen=True)
class Patience(lk.Intervention):
    """Test-only move: A's leader's tolerance (its cost of no agreement) changes, so D_A moves."""

    tolerance: float = 0.6

    def apply(self, scenario):
        return scenario.with_constituency("A_leader", tolerance=self.tolerance)


def test_baseline_shift():
    # A's leader's tolerance 0.6 -> 0.7: W_A = [0, 0.7] (leader + dove), ZOPA [0.4, 0.7],
    # x^N = (0.7 + 0.4) / 2 = 0.55; D_A = -0.6 -> -0.7 (baseline shift -0.1); s = 0.1 -> 0.15 (terms +0.05);
    # E_A = -0.5 -> -0.7 + 0.15 = -0.55 (gross -0.05)
    led = lk.helper_ledger(lk.canonical_scenario(), [Patience("A", tolerance=0.7)])
    assert led.baseline_shift == pytest.approx(-0.1)
    assert led.terms == pytest.approx(0.05)
    assert led.likelihood == pytest.approx(0.0, abs=1e-12)
    assert led.gross == pytest.approx(-0.05)


def three_obstacles():
    """Three zero-weight B veto players, each accepting only x >= 0.55 until it is helped; A is capped at 0.5."""
    s = helper_variant()
    extra = (
        lk.Constituency("B_h2", ideal=(1.15,), tolerance=0.7, threat=0.1, strength=0.0, blocking=1.0),
        lk.Constituency("B_h3", ideal=(1.15,), tolerance=0.7, threat=0.1, strength=0.0, blocking=1.0),
    )
    b = s.sides[1]
    from dataclasses import replace

    return replace(s, sides=(s.sides[0], replace(b, constituencies=b.constituencies + extra)))


def test_three_complementary_moves_share_equally():
    # each move lets one veto player accept from 0.45; only all three together open the ZOPA [0.45, 0.5], where
    # d* = 0.5 and A gains 0.1. v(S) = 0.1 [S = all]: the Shapley value gives each 0.1 / 3 = 1/30 (weight
    # 2!0!/3! = 1/3 on the only non-zero marginal); Banzhaf weights would give 0.1 / 4
    moves = [
        lk.Mollify("A", target="B_hawk", amount=0.1),
        lk.SidePayment("A", target="B_h2", amount=0.1, cost=0.0),
        lk.Reframe("A", target="B_h3", shift=0.1),  # 1.15 -> 1.05, accepts from 1.05 - 0.6
    ]
    led = lk.helper_ledger(three_obstacles(), moves)
    assert led.gross == pytest.approx(0.1)
    np.testing.assert_allclose(led.shapley["gross"], [1 / 30] * 3, atol=1e-12)
    np.testing.assert_allclose(led.shapley["probability"], [1 / 3] * 3, atol=1e-12)
    np.testing.assert_allclose(led.shapley["terms"], [1 / 30] * 3, atol=1e-12)
    np.testing.assert_allclose(led.shapley["likelihood"], [0.0] * 3, atol=1e-12)
    effects = led.effects()
    assert effects["alone"].tolist() == [0.0, 0.0, 0.0]
    assert effects["last in"].tolist() == [1.0, 1.0, 1.0]
    assert effects["Shapley share"].tolist() == pytest.approx([1 / 3] * 3)
    gross = led.effects("gross")
    assert gross["last in"].tolist() == pytest.approx([0.1] * 3)
    assert gross["Shapley share"].tolist() == pytest.approx([1 / 30] * 3)


def test_glove_game_split():
    # move 1 (Mollify B's hawk) is needed; either move 2 (Mollify B_h2) or move 3 (pay B_h2) fixes the second
    # obstacle; B_h3 is made harmless. v(S) = 0.1 [1 in S and (2 in S or 3 in S)]: the glove game, whose Shapley
    # value is (2/3, 1/6, 1/6) of 0.1 = (1/15, 1/60, 1/60)
    s = three_obstacles().with_constituency("B_h3", blocking=0.0)
    moves = [
        lk.Mollify("A", target="B_hawk", amount=0.1, cost=0.01, label="calm the hawk"),
        lk.Mollify("A", target="B_h2", amount=0.1, cost=0.02),
        lk.SidePayment("A", target="B_h2", amount=0.1, cost=0.03),
    ]
    led = lk.helper_ledger(s, moves)
    np.testing.assert_allclose(led.shapley["gross"], [1 / 15, 1 / 60, 1 / 60], atol=1e-12)
    np.testing.assert_allclose(led.shapley["probability"], [2 / 3, 1 / 6, 1 / 6], atol=1e-12)
    assert led.names == ("calm the hawk", "Mollify", "SidePayment")
    assert led.cost == pytest.approx(0.06) and led.net == pytest.approx(0.1 - 0.06)
    table = led.table()
    assert table.index.tolist() == ["calm the hawk", "Mollify", "SidePayment"]
    assert table["cost"].tolist() == pytest.approx([0.01, 0.02, 0.03])
    assert table["net"].tolist() == pytest.approx([1 / 15 - 0.01, 1 / 60 - 0.02, 1 / 60 - 0.03])
    assert table["delta_probability"].tolist() == pytest.approx([2 / 3, 1 / 6, 1 / 6])
    # alone: nothing; last in: only move 1 is indispensable
    assert led.effects()["alone"].tolist() == [0.0, 0.0, 0.0]
    assert led.effects()["last in"].tolist() == [1.0, 0.0, 0.0]


def test_costs_are_charged_to_the_helper_only():
    # B pays for the move here, so A's ledger charges nothing; from B's side it is B's cost
    moves = [lk.Mollify("B", target="B_hawk", amount=0.1, cost=0.03)]
    led_a = lk.helper_ledger(helper_variant(), moves)
    assert led_a.cost == 0.0 and led_a.net == pytest.approx(led_a.gross) and led_a.paid.tolist() == [False]
    led_b = lk.helper_ledger(helper_variant(), moves, helper="B")
    assert led_b.helper == 1 and led_b.paid.tolist() == [True] and led_b.cost == pytest.approx(0.03)
    # B's side: no deal (E_B = -0.6) -> d* = 0.5 with B's surplus 0.5 - 0.4 = 0.1
    assert led_b.gross == pytest.approx(0.1) and led_b.net == pytest.approx(0.07)
    assert lk.helper_ledger(helper_variant(), moves, helper=1).gross == pytest.approx(0.1)
    table = led_a.table()
    assert table["cost"].tolist() == [0.0]


def test_subset_scenarios_bit_order():
    s = lk.canonical_scenario()
    moves = [lk.Empower("A", target="B_dove", factor=2.0), lk.Empower("A", target="A_dove", factor=3.0)]
    subsets = subset_scenarios(s, moves)
    strengths = [(x.constituency("B_dove").strength, x.constituency("A_dove").strength) for x in subsets]
    assert strengths == [(1.0, 1.0), (2.0, 1.0), (1.0, 3.0), (2.0, 3.0)]


def test_at_most_ten_moves():
    with pytest.raises(ValueError, match="at most 10"):
        lk.helper_ledger(lk.canonical_scenario(), [lk.Empower("A", target="B_dove", factor=1.0)] * 11)
    with pytest.raises(ValueError, match="measure"):
        lk.helper_ledger(lk.canonical_scenario(), []).effects("terms")


def test_empty_ledger():
    led = lk.helper_ledger(lk.canonical_scenario(), [])
    assert led.gross == 0.0 and led.cost == 0.0 and led.probability_before == led.probability_after == 1.0
    assert led.results.size == 1


# ----------------------------------------------------------------------------------------- shapley_values
def test_shapley_values_known_games():
    # glove game: v = 1 for {0, 1}, {0, 2}, {0, 1, 2} (bitmasks 3, 5, 7): Shapley (2/3, 1/6, 1/6)
    glove = np.array([0, 0, 0, 1, 0, 1, 0, 1], float)
    np.testing.assert_allclose(shapley_values(glove), [2 / 3, 1 / 6, 1 / 6], atol=1e-15)
    # unanimity of 3: 1/3 each (Banzhaf weights would give 1/4)
    np.testing.assert_allclose(shapley_values(np.array([0] * 7 + [1.0])), [1 / 3] * 3, atol=1e-15)
    # an additive game gives each player its own value
    add = np.array([sum(v for j, v in enumerate((1.0, 2.0, 4.0)) if m >> j & 1) for m in range(8)])
    np.testing.assert_allclose(shapley_values(add), [1.0, 2.0, 4.0], atol=1e-15)
    # majority of 3 (any two win): symmetric, 1/3 each
    maj = np.array([0, 0, 0, 1, 0, 1, 1, 1], float)
    np.testing.assert_allclose(shapley_values(maj), [1 / 3] * 3, atol=1e-15)
    # one player: its value; batched values along a second axis
    assert shapley_values(np.array([0.0, 2.5])).tolist() == [2.5]
    both = shapley_values(np.stack([glove, add], -1))
    assert both.shape == (3, 2)
    np.testing.assert_allclose(both[:, 1], [1.0, 2.0, 4.0])
    # the weighted voting game [3; 2, 1, 1] is the glove game too: the Shapley-Shubik index agrees
    np.testing.assert_allclose(lk.power_indices([2, 1, 1], 3)["shapley_shubik"], shapley_values(glove))


def test_shapley_values_four_players():
    # v(S) = |S|^2: symmetric, so each gets v(N) / 4 = 4
    v = np.array([bin(m).count("1") ** 2 for m in range(16)], float)
    np.testing.assert_allclose(shapley_values(v), [4.0] * 4)
    # player 0 alone matters: v(S) = 1 if 0 in S -> (1, 0, 0, 0)
    v = np.array([m & 1 for m in range(16)], float)
    np.testing.assert_allclose(shapley_values(v), [1.0, 0.0, 0.0, 0.0], atol=1e-15)


def test_shapley_values_needs_a_power_of_two():
    with pytest.raises(ValueError, match="2\\*\\*m"):
        shapley_values(np.zeros(6))
