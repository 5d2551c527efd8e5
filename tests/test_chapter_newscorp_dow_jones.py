"""The News Corp-Dow Jones chapter executes and teaches what it claims: the editorial-independence terms and the
other moves win the family-controlled vote at the $60 price, which money alone could not have bought."""

import pytest
from chapter_support import run_chapter

pytestmark = pytest.mark.notebook


def test_defaults(tmp_path):
    rec = run_chapter("newscorp_dow_jones", tmp_path)
    assert rec["zopa_baseline"] == []  # $60 and nothing else: no ZOPA
    assert rec["price_rise_needed"] > rec["murdoch_ceiling"]  # money alone costs more than he would pay
    assert rec["p_joint_baseline"] < 0.1
    assert rec["price_helped"] == pytest.approx(0.0, abs=1e-6)  # the deal stays at the $60 bid...
    assert rec["p_joint_helped"] > 0.75  # ...and becomes likely
    assert rec["p_dowjones_helped"] > 0.75
    assert rec["support_persuadables_baseline"] < 0.01  # the pivotal bloc: from refusal...
    assert rec["support_persuadables_helped"] > 0.4  # ...to roughly an even split
    assert rec["banzhaf_persuadables"] > 0.3 and rec["banzhaf_sellers"] == pytest.approx(0.0)
    assert rec["price_board_only"] > 0.05  # each move short of all three costs price
    assert rec["price_without_board"] > rec["price_board_only"]
    shares = rec["ledger_shapley_probability"]  # board, seat, fees
    assert shares[0] == max(shares)  # the editorial board does the most
    assert rec["ledger_cost"] < rec["price_rise_needed"]  # terms are the cheaper currency
    assert rec["ledger_net"] > 0


def test_other_parameters(tmp_path):
    # No editorial board: the seat and the fees alone force Murdoch above $60 and still leave the deal a coin toss.
    rec = run_chapter("newscorp_dow_jones", tmp_path, moves=["offer_board_seat", "cover_advisers_fees"])
    assert rec["price_helped"] > 0.1
    assert rec["p_joint_helped"] < 0.6
    assert rec["price_helped"] == pytest.approx(rec["price_without_board"])
    assert rec["ledger_cost"] == pytest.approx(0.045)


def test_harder_family_core(tmp_path):
    # Twice the holdouts: the help still works, but the family's hard core now costs Murdoch some price and risk.
    rec = run_chapter("newscorp_dow_jones", tmp_path, strengths={"bancroft_holdouts": 40.0})
    assert rec["p_joint_baseline"] == pytest.approx(0.0)
    assert 0.0 < rec["price_helped"] < 0.1
    assert 0.6 < rec["p_joint_helped"] < 0.75
