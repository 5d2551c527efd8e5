"""The introductory chapter executes and teaches what it claims (casebook/front_matter/model.md §10 golden values)."""

import pytest
from chapter_support import run_chapter

pytestmark = pytest.mark.notebook


def test_defaults(tmp_path):
    rec = run_chapter("two_level_basics", tmp_path)
    assert rec["outcome_baseline"] == pytest.approx(0.5)
    assert rec["zopa_baseline"] == [[pytest.approx(0.4), pytest.approx(0.6)]]
    assert rec["outcome_our_hawk_veto"] == pytest.approx(0.45)  # Schelling: tying hands pays
    assert rec["cliff_agreed"] is False  # ...until the ZOPA empties
    assert rec["outcome_their_hawk_veto"] == pytest.approx(0.55)
    assert rec["outcome_mollified"] == pytest.approx(0.5)  # helping the other side pays
    assert rec["agreed_inflamed"] is False  # gloating kills the deal
    assert rec["ledger_gross"] == pytest.approx(0.045)  # 0.05 better terms, less the assurance's 0.01 in the deal
    # The heatmap (B's hawks inflamed by a gloat, no veto). Inflamed hawks accept only from 1.15 - 0.7 + 0.2 = 0.65,
    # beyond A's win-set (up to 0.6), so they reject every feasible deal; B's leader (strength 1) and doves (d) accept
    # [0.4, 0.6]. B ratifies by simple majority of strength: a deal exactly when the hawks' strength h <= 1 + d.
    grid = [0, 0.5, 1, 1.5, 2, 2.5, 3]
    for i, d in enumerate(grid):  # rows: B's doves
        for j, h in enumerate(grid):  # columns: B's hawks
            assert rec["heat_gloat_p"][i][j] == pytest.approx(1.0 if h <= 1 + d else 0.0), (d, h)
    # Iida (1993): with uncertain red lines a tighter constraint first raises A's expected value (better terms),
    # then lowers it (the risk of no deal), ending below where it started.
    e = rec["iida_expected_a"]
    assert max(e) > e[0] + 0.02 and e[-1] < e[0]


def test_other_parameters(tmp_path):
    rec = run_chapter(
        "two_level_basics", tmp_path, moves=["their_hawk_veto", "inflame_their_hawk"], strengths={"B_dove": 2.0}
    )
    assert rec["p_joint_baseline"] == pytest.approx(1.0)
    assert rec["p_joint_helped"] == pytest.approx(0.0)  # these "moves" hurt: no deal
