"""The Camp David chapter executes and teaches what it claims: Carter's side letters and Begin's single package
vote are complements; each alone leaves the Knesset short, together they carry it."""

import pytest
from chapter_support import run_chapter

pytestmark = pytest.mark.notebook


def test_defaults(tmp_path):
    rec = run_chapter("camp_david_knesset", tmp_path)
    assert rec["zopa_baseline"] == []  # separate votes, no help: no ZOPA
    assert rec["p_joint_baseline"] == pytest.approx(0.0)
    assert rec["p_joint_none"] == pytest.approx(0.0)
    assert rec["p_joint_package"] < 0.1  # Begin's own move alone is not enough
    assert rec["p_joint_letters"] < 0.5  # nor are the side letters alone
    assert rec["p_joint_both"] > 0.75  # together they carry the Knesset
    assert rec["complementarity"] > 0.3  # more than the sum of the parts
    [[lo, hi]] = rec["zopa_both"]
    assert 0.0 < lo < hi <= 0.3  # a ZOPA opens below Sadat's line
    assert rec["ledger_probability_after"] > rec["p_joint_both"]  # the what-if praise adds on top
    shares = rec["ledger_shapley_probability"]  # letters, package, praise
    assert shares[0] > shares[1] > shares[2] > 0
    assert sum(shares) == pytest.approx(rec["ledger_probability_after"])
    assert rec["ledger_gross"] > 0


def test_other_parameters(tmp_path):
    # A Labor bloc more than twice the modelled size: Begin's own move would have carried the vote alone, and
    # the two moves stop being complements.
    rec = run_chapter(
        "camp_david_knesset", tmp_path, strengths={"labor_alignment": 72.0}, moves=["single_package_vote"]
    )
    assert rec["p_joint_baseline"] == pytest.approx(0.0)  # Labor abstains without the package
    assert rec["p_joint_package"] > 0.8
    assert rec["p_joint_letters"] < 0.5  # letters do nothing for Labor's weight
    assert rec["complementarity"] < 0
    assert rec["ledger_probability_after"] == pytest.approx(rec["p_joint_package"])
