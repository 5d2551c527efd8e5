"""The crowd outside executes and teaches what it claims: staging the arrest turns a likely standoff into a
likely surrender, where better terms could not."""

import pytest
from chapter_support import run_chapter

pytestmark = pytest.mark.notebook


def test_defaults(tmp_path):
    rec = run_chapter("crowd_outside", tmp_path)
    # the teaching claim: a likely standoff becomes a likely surrender
    assert rec["p_joint_baseline"] < 0.5
    assert rec["p_joint_helped"] > 0.5
    assert rec["p_joint_stage_only"] > 0.9  # the staging does it on its own...
    assert rec["p_joint_hear_only"] < 0.5  # ...listening alone does not
    # the barrier is the audience on the man's side, not the police
    assert rec["p_subject_baseline"] < 0.5 < rec["p_police_baseline"]
    # better terms cannot do it: the win-sets do not meet, and no deal reaches even one chance in two
    assert rec["zopa_baseline"] == []
    assert rec["police_winset_top_baseline"] < rec["subject_winset_bottom_baseline"]
    assert rec["best_p_joint_baseline"] < 0.5
    # the helper gains, mostly through the terms: the surrender lands nearer police terms
    assert rec["outcome_helped"] < rec["outcome_baseline"]
    assert rec["ledger_net"] > 0
    assert rec["ledger_terms"] > rec["ledger_likelihood"]
    assert rec["ledger_cost"] == pytest.approx(0.02)


def test_other_parameters(tmp_path):
    # hearing him out without the staging leaves the standoff in place
    rec = run_chapter("crowd_outside", tmp_path, moves=["hear_him_out"])
    assert rec["p_joint_baseline"] < 0.5
    assert rec["p_joint_helped"] < 0.5
    assert rec["ledger_cost"] == pytest.approx(0.0)


def test_weightier_crowd(tmp_path):
    # a crowd that counts for more makes a deal impossible without help; the staging still works
    rec = run_chapter("crowd_outside", tmp_path, strengths={"crowd": 2.0})
    assert rec["p_joint_baseline"] == pytest.approx(0.0)
    assert rec["p_joint_helped"] > 0.9
