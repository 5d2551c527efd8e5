"""Power indices: float anchors, vetoes, side_power, and a cross-check against the powerindex package
(casebook/front_matter/model.md §8; the test review, item 4.12)."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import levelii_kit as lk


@pytest.mark.parametrize(
    "weights, quota, banzhaf, shapley",
    [
        # casebook/front_matter/model.md §8 anchors, as floats
        ((4, 3, 2, 1), 6, [5 / 12, 1 / 4, 1 / 4, 1 / 12], [5 / 12, 1 / 4, 1 / 4, 1 / 12]),
        ((3, 2, 1), 4, [3 / 5, 1 / 5, 1 / 5], [2 / 3, 1 / 6, 1 / 6]),
        ((4, 4, 4, 2, 2, 1), 12, [5 / 21] * 3 + [1 / 7] * 2 + [0], [7 / 30] * 3 + [3 / 20] * 2 + [0]),
        ((9, 9, 7, 3, 1, 1), 16, [1 / 3] * 3 + [0] * 3, [1 / 3] * 3 + [0] * 3),
        ((1, 1, 1, 1, 1), 5, [1 / 5] * 5, [1 / 5] * 5),
    ],
)
def test_float_anchors(weights, quota, banzhaf, shapley):
    got = lk.power_indices(weights, quota)
    np.testing.assert_allclose(got["banzhaf"], banzhaf, atol=1e-15)
    np.testing.assert_allclose(got["shapley_shubik"], shapley, atol=1e-15)
    assert got["banzhaf"].dtype == float and got["shapley_shubik"].dtype == float


def test_vetoes():
    # weights (1, 1, 1), quota 2, player 0 holds a veto: winning {0,1}, {0,2}, {0,1,2}.
    # Swings: player 0 in all three, players 1 and 2 in one each -> Banzhaf (3/5, 1/5, 1/5).
    # Pivots over the 6 orders: 0 is pivotal in 102, 120, 201, 210; 1 in 012; 2 in 021 -> (2/3, 1/6, 1/6)
    got = lk.power_indices([1, 1, 1], 2, vetoes=[True, False, False], exact=True)
    assert got["banzhaf"] == [F(3, 5), F(1, 5), F(1, 5)]
    assert got["shapley_shubik"] == [F(2, 3), F(1, 6), F(1, 6)]
    # everyone a veto player: unanimity, 1/3 each whatever the quota
    got = lk.power_indices([5, 1, 1], 1, vetoes=[True] * 3, exact=True)
    assert got["banzhaf"] == [F(1, 3)] * 3 and got["shapley_shubik"] == [F(1, 3)] * 3


def test_no_winning_coalition_and_single_player():
    got = lk.power_indices([1, 1], 5)  # nobody can reach the quota: no swings, no pivots
    assert got["banzhaf"].tolist() == [0.0, 0.0] and got["shapley_shubik"].tolist() == [0.0, 0.0]
    assert lk.power_indices([1, 1], 5, exact=True)["banzhaf"] == [F(0), F(0)]
    assert lk.power_indices([2.0], 1.0, exact=True) == {"banzhaf": [F(1)], "shapley_shubik": [F(1)]}


def test_quota_boundary_is_winning():
    # [2; 2, 2, 1]: a coalition reaching the quota exactly wins, so players 0 and 1 each win alone and player 2 is
    # never a swing: Banzhaf and Shapley-Shubik (1/2, 1/2, 0). Were the boundary losing it would be [3; 2, 2, 1],
    # the symmetric majority game with (1/3, 1/3, 1/3).
    got = lk.power_indices([2, 2, 1], 2, exact=True)
    assert got["banzhaf"] == [F(1, 2), F(1, 2), F(0)]
    assert got["shapley_shubik"] == [F(1, 2), F(1, 2), F(0)]
    got = lk.power_indices([2, 2, 1], 2.5, exact=True)
    assert got["banzhaf"] == [F(1, 3)] * 3 and got["shapley_shubik"] == [F(1, 3)] * 3


def test_weights_reaching_the_quota_within_round_off():
    # a coalition within a relative 1e-9 of the quota reaches it (shares times totals are rounded)
    assert lk.power_indices([2.0], 2 / (1 - 1e-9))["banzhaf"].tolist() == [1.0]  # 2 = q (1 - 1e-9) to the bit
    assert lk.power_indices([999.9999995], 1000.0)["banzhaf"].tolist() == [1.0]  # 5e-10 relative short
    assert lk.power_indices([999.999998], 1000.0)["banzhaf"].tolist() == [0.0]  # 2e-9 relative short
    # below a quota of 1 the tolerance is absolute, 1e-9
    assert lk.power_indices([1 - 0.5e-9], 1.0)["banzhaf"].tolist() == [1.0]
    assert lk.power_indices([1 - 1.5e-9], 1.0)["banzhaf"].tolist() == [0.0]


def test_exact_weights_and_float_results():
    # Fractions as weights (converted to floats), and results as float arrays
    got = lk.power_indices([F(3), F(2), F(1)], F(4))
    np.testing.assert_allclose(got["shapley_shubik"], [2 / 3, 1 / 6, 1 / 6])
    assert got["banzhaf"].dtype == float and got["shapley_shubik"].dtype == float


def test_power_index_input_errors():
    with pytest.raises(ValueError, match="need 1 to 20 players, got 0"):
        lk.power_indices([], 1)
    with pytest.raises(ValueError, match="^power_indices enumerates coalitions: need 1 to 20 players, got 21$"):
        lk.power_indices([1] * 21, 11)
    # twenty is allowed: unanimity of 20 gives 1/20 each
    assert lk.power_indices([1] * 20, 20)["banzhaf"] == pytest.approx([0.05] * 20)
    with pytest.raises(ValueError, match="^weights must be finite and non-negative$"):
        lk.power_indices([1, -1], 1)
    with pytest.raises(ValueError, match="^weights must be finite and non-negative$"):
        lk.power_indices([1, float("nan")], 1)
    assert lk.power_indices([1] * 12, 12)["banzhaf"] == pytest.approx([1 / 12] * 12)  # unanimity of 12


def test_side_power():
    s = lk.canonical_scenario().with_constituency("A_hawk", blocking=1.0, strength=2.0)
    table = lk.side_power(s, "A")
    # weights (1, 2, 1), quota 0.5 * 4 = 2 with the hawk's veto: winning = coalitions with the hawk (weight >= 2)
    # -> the hawk is a dictator: (0, 1, 0)
    assert table.index.tolist() == ["A_leader", "A_hawk", "A_dove"]
    assert table["weight_share"].tolist() == [0.25, 0.5, 0.25]
    assert table["banzhaf"].tolist() == [0.0, 1.0, 0.0]
    assert table["shapley_shubik"].tolist() == [0.0, 1.0, 0.0]
    assert table["veto"].tolist() == [False, True, False]
    assert table.index.name == "constituency"
    # weights (3, 2, 1) with quota 2/3 of 6 = 4: the game [4; 3, 2, 1], Banzhaf (3/5, 1/5, 1/5)
    s3 = lk.canonical_scenario().with_side("B", quota=2 / 3)
    s3 = s3.with_constituency("B_leader", strength=3.0).with_constituency("B_hawk", strength=2.0)
    assert lk.side_power(s3, "B")["banzhaf"].tolist() == pytest.approx([3 / 5, 1 / 5, 1 / 5])
    assert lk.side_power(s3, "B")["shapley_shubik"].tolist() == pytest.approx([2 / 3, 1 / 6, 1 / 6])
    # unseated members are left out
    t = lk.Unseat("A", target="B_hawk").apply(lk.canonical_scenario())
    assert lk.side_power(t, 1).index.tolist() == ["B_leader", "B_dove"]
    # quota 2/3 of 3 = 2: simple majority of three equals -> 1/3 each
    assert lk.side_power(lk.canonical_scenario().with_side("B", quota=2 / 3), "B")["banzhaf"].tolist() == (
        pytest.approx([1 / 3] * 3)
    )


# ----------------------------------------------------------------------------- cross-check with powerindex
powerindex = pytest.importorskip("powerindex")


@given(st.lists(st.integers(1, 9), min_size=1, max_size=8), st.floats(0.5, 1.0))
def test_matches_powerindex(weights, share):
    # powerindex treats a player whose weight reaches the quota as a dictator, which holds for proper games
    # (quota above half the total weight, so two disjoint coalitions cannot both win): compare on those
    quota = max(sum(weights) // 2 + 1, int(np.ceil(share * sum(weights))))
    game = powerindex.Game(quota=quota, weights=list(weights))
    game.calc()
    ours = lk.power_indices(weights, quota)
    np.testing.assert_allclose(ours["banzhaf"], game.banzhaf, atol=1e-9)
    np.testing.assert_allclose(ours["shapley_shubik"], game.shapley_shubik, atol=1e-9)
