"""The Panama chapter executes and teaches what it claims: the DeConcini reservation (on in the baseline) makes
Panama's ratification unlikely, and the Senate leadership's reservation restores it."""

import pytest
from chapter_support import run_chapter

pytestmark = pytest.mark.notebook


def test_defaults(tmp_path):
    rec = run_chapter("panama_canal_treaties", tmp_path)
    # the treaties as signed: both sides ratify, there is a zone of agreement
    assert rec["p_panama_none"] > 0.5 and rec["p_us_none"] > 0.5
    assert len(rec["zopa_none"]) == 1
    # the DeConcini reservation makes Panama's ratification unlikely; the US side is not the problem
    assert rec["p_panama_baseline"] < 0.2
    assert rec["p_us_baseline"] > 0.5
    assert rec["p_joint_baseline"] < 0.2
    assert rec["zopa_baseline"] == []
    assert rec["public_support_none"] > 0.5 > rec["public_support_baseline"]
    # the leadership reservation restores it, alone and in the April package
    assert rec["p_panama_leadership"] > 0.5
    assert rec["p_joint_leadership"] > 0.5
    assert len(rec["zopa_leadership"]) == 1
    assert rec["public_support_leadership"] > 0.5
    assert rec["p_panama_helped"] > 0.5 and rec["p_joint_helped"] > 0.5
    assert len(rec["zopa_helped"]) == 1
    # the plebiscite move alone lifts Panama but pushes the deal past the swing senators' red line
    assert rec["p_panama_plebiscite"] > 0.5
    assert rec["p_us_plebiscite"] < 0.5
    assert rec["p_joint_plebiscite"] < 0.5
    assert rec["outcome_plebiscite"] > 0.6
    # the ledger: the repair pays for the US side, almost all through likelihood
    assert rec["ledger_net"] > 0
    assert rec["ledger_cost"] == pytest.approx(0.03)
    assert rec["ledger_likelihood"] > 0.9 * rec["ledger_gross"]
    # the supermajority edge: with too small a swing bloc no help can save the treaty
    assert 6 < rec["heat_smallest_swing_with_deal"] <= 8  # in the heatmap, whose chamber shrinks with the bloc
    # in a 100-seat Senate (senators move from the swing bloc to the opponents) 58 firm supporters need 9 more:
    # 58 + 8 = 66 < 67 fails, 58 + 9 = 67 = two thirds of 100 (quota 0.67) passes
    assert rec["senate_100_agreed_swing_8_9"] == [False, True]
    low, high = rec["schelling_outcome_range"]
    assert low < high  # stronger nationalists, terms closer to Panama


def test_other_parameters(tmp_path):
    # the plebiscite move as the only help: Panama ratifies, but the deal now fails in the Senate
    rec = run_chapter("panama_canal_treaties", tmp_path, moves=["avoid_new_plebiscite"])
    assert rec["p_panama_baseline"] < 0.2
    assert rec["p_panama_helped"] > 0.5
    assert rec["p_us_helped"] < 0.5
    assert rec["p_joint_helped"] < 0.5
    assert rec["ledger_cost"] == pytest.approx(0.01)


def test_small_swing_bloc(tmp_path):
    # five swing senators: no two-thirds majority for any package, with or without help
    rec = run_chapter("panama_canal_treaties", tmp_path, strengths={"swing_senators": 5.0})
    assert rec["p_joint_baseline"] == pytest.approx(0.0)
    assert rec["p_joint_helped"] == pytest.approx(0.0)
    assert rec["zopa_helped"] == []
