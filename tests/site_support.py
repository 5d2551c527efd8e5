"""The fixture casebook shared by tests/test_site.py and tests/test_site_browser.py."""

from __future__ import annotations

from pathlib import Path

from levelii_kit.book.build import build_casebook
from levelii_kit.book.launch import LaunchConfig

REPO = Path(__file__).resolve().parents[1]
CASEBOOK = REPO / "casebook"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
PARAMETERS = {"tiny_basics": {"hawk_strength": 0.6}}
#: Launch links of the fixture casebook (issue 11): a hub and a repository that are never contacted.
LAUNCH = LaunchConfig(hub="https://hub.example.edu/", repo="https://github.com/example/levelii", branch="main")


def build_fixture_site(tmp_path_factory) -> Path:
    """Build the fixture casebook (both editions) once per test process (xdist worker).

    The progress lines are kept in ``progress.txt`` beside the casebook.
    """
    out = tmp_path_factory.getbasetemp() / "fixture-casebook" / "casebook"
    if not (out / "index.html").exists():
        lines: list[str] = []
        build_casebook(
            out=out,
            cases_dir=FIXTURES / "cases",
            casebook_dir=CASEBOOK,
            parameters=PARAMETERS,
            progress=lines.append,
            launch=LAUNCH,
        )
        (out.parent / "progress.txt").write_text("\n".join(lines), encoding="utf-8")
    return out
