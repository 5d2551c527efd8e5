"""The introductory chapter executes and teaches what it claims (model.md 3.12 golden values)."""

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


def test_other_parameters(tmp_path):
    rec = run_chapter(
        "two_level_basics", tmp_path, moves=["their_hawk_veto", "inflame_their_hawk"], strengths={"B_dove": 2.0}
    )
    assert rec["p_joint_baseline"] == pytest.approx(1.0)
    assert rec["p_joint_helped"] == pytest.approx(0.0)  # these "moves" hurt: no deal
