"""The flagship chapter executes and teaches what it claims: without the Western helping moves the Soviet side
does not ratify; with them it does, and the moves only work together."""

import pytest
from chapter_support import run_chapter

pytestmark = pytest.mark.notebook


def test_defaults(tmp_path):
    rec = run_chapter("german_unification", tmp_path)
    # the teaching claim: no help, no Soviet ratification; the full campaign carries Moscow
    assert rec["p_soviet_baseline"] < 0.5
    assert rec["p_soviet_helped"] > 0.5
    assert rec["p_joint_baseline"] < 0.5 < rec["p_joint_helped"]
    assert rec["p_west_baseline"] > 0.5 and rec["p_west_helped"] > 0.5  # the West was never the problem
    # conceding on the core issue cannot work: the win-sets do not meet without help
    assert rec["zopa_baseline"] == []
    assert rec["west_winset_top_baseline"] < rec["soviet_winset_bottom_baseline"]
    assert len(rec["zopa_helped"]) == 1
    # helping does not mean giving ground: the deal moves toward full NATO membership, and the West gains
    assert rec["outcome_helped"] < rec["outcome_baseline"]
    assert rec["e_west_helped"] > rec["e_west_baseline"]
    # complements: no move does much alone, the package does a lot, and neither words nor deeds suffice alone
    gain = rec["p_joint_helped"] - rec["p_joint_baseline"]
    assert rec["max_alone"] < 0.05
    assert rec["sum_alone"] < 0.25 * gain
    assert rec["max_last_in"] > 0.2
    assert rec["p_joint_words_only"] < 0.5 and rec["p_joint_deeds_only"] < 0.5
    assert 0.3 < rec["p_joint_no_london"] < 0.7  # the Congress decides without London
    # the ledger: helping pays for Washington, mostly through the terms; Bonn's money would not pay for Washington
    assert rec["ledger_net"] > 0
    assert rec["ledger_terms"] > rec["ledger_likelihood"]
    assert rec["ledger_gross"] == pytest.approx(rec["ledger_likelihood"] + rec["ledger_terms"], abs=1e-9)
    assert rec["cost_paid_by_others"] > rec["ledger_gross"]
    assert rec["ledger_net"] - rec["cost_paid_by_others"] < 0


def test_other_parameters(tmp_path):
    # words without deeds: process form and statements alone do not carry the Soviet side
    rec = run_chapter(
        "german_unification",
        tmp_path,
        moves=["two_plus_four", "restraint_wall", "congress_timing", "london_declaration"],
    )
    assert rec["p_soviet_baseline"] < 0.5
    assert rec["p_soviet_helped"] < 0.5
    assert rec["ledger_cost"] == pytest.approx(0.02)


def test_stronger_hard_line(tmp_path):
    # the full campaign still carries Moscow when the party conservatives are much stronger
    rec = run_chapter("german_unification", tmp_path, strengths={"party_conservatives": 3.0})
    assert rec["p_soviet_baseline"] < 0.5
    assert rec["p_soviet_helped"] > 0.5
    assert rec["p_joint_no_london"] < 0.3  # ...but not without the declaration
