"""The Cuban missile crisis chapter executes and teaches what it claims: the public bargain alone leaves no zone
of agreement; the tacit Jupiter promise creates one; the same concession made as an open trade does not."""

import pytest
from chapter_support import run_chapter

pytestmark = pytest.mark.notebook


def test_defaults(tmp_path):
    rec = run_chapter("cuban_missile_jupiters", tmp_path)
    # the baseline: no ZOPA, the win-sets do not meet, the Soviet side is the problem
    assert rec["zopa_baseline"] == []
    assert rec["us_winset_top_baseline"] < rec["soviet_winset_bottom_baseline"]
    assert rec["p_soviet_baseline"] < 0.5 < rec["p_us_baseline"]
    assert rec["p_joint_baseline"] < 0.5
    assert rec["presidium_support_baseline"] < 0.1
    # the tacit promise creates a zone of agreement where there was none
    assert len(rec["zopa_tacit"]) == 1
    assert rec["p_soviet_tacit"] > 0.5 and rec["p_us_tacit"] > 0.5
    assert rec["p_joint_baseline"] < 0.5 < rec["p_joint_tacit"]
    assert 0.1 < rec["presidium_support_tacit"] < 0.5  # not won over, but enough
    assert rec["outcome_tacit"] < rec["outcome_baseline"]  # private help, better public terms
    # ...and the open trade does not: Washington's win-set collapses, with or without the promise
    assert rec["zopa_open"] == []
    assert rec["agreed_open"] is False
    assert rec["agreed_open_and_tacit"] is False
    assert rec["us_winset_open"][-1][1] < 0.1
    # the chapter's default help is the promise
    assert rec["zopa_helped"] == rec["zopa_tacit"]
    assert rec["p_joint_helped"] == pytest.approx(rec["p_joint_tacit"])
    # the ledger: helping pays, almost all through likelihood
    assert rec["ledger_net"] > 0
    assert rec["ledger_cost"] == pytest.approx(0.01)
    assert rec["ledger_likelihood"] > 0.8 * rec["ledger_gross"]
    # sensitivity: without the promise a deal needs a weak Presidium; with it the deal holds on the whole grid
    assert rec["heat_tacit_min"] > 0.5
    assert rec["heat_baseline_max"] < rec["heat_tacit_min"] + 0.1
    low, high = rec["schelling_outcome_range"]
    assert low < high  # harder colleagues, better terms for Moscow


def test_other_parameters(tmp_path):
    # Khrushchev's colleagues count for less: the public bargain alone would do, the promise still improves
    # Washington's public terms, and the open trade still breaks Washington's side
    rec = run_chapter("cuban_missile_jupiters", tmp_path, strengths={"presidium": 0.5})
    assert len(rec["zopa_baseline"]) == 1
    assert rec["p_joint_baseline"] > 0.5
    assert rec["outcome_tacit"] < rec["outcome_baseline"]
    assert rec["agreed_open"] is False
    assert rec["zopa_open"] == []


def test_no_help(tmp_path):
    # without the promise the "helped" scenario is the baseline: still no zone of agreement
    rec = run_chapter("cuban_missile_jupiters", tmp_path, moves=[])
    assert rec["zopa_helped"] == []
    assert rec["p_joint_helped"] == pytest.approx(rec["p_joint_baseline"])
    assert rec["ledger_gross"] == pytest.approx(0.0)
