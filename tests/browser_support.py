"""Shared browser-test helpers: Debian's Chromium driven by Playwright, every non-file request blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "build" / "tools" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def open_page(tab, path: Path):
    """Load a page, scroll each plot into view (figures are drawn as they near the viewport) and wait until each
    of them has drawn an SVG; then scroll back to the top."""
    tab.page.goto(path.as_uri())
    plots = tab.page.locator(".cb-plot")
    for k in range(plots.count()):
        plots.nth(k).scroll_into_view_if_needed()
        plots.nth(k).locator(".main-svg").first.wait_for(state="attached", timeout=15_000)
    tab.page.evaluate("window.scrollTo(0, 0)")
    return plots.count()


def axe_problems(tab, label):
    """Serious or critical axe-core violations on the open page, as strings."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make browser-tools`")
    tab.page.add_script_tag(path=str(AXE))
    result = tab.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations'], preload: false})")
    problems = []
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{label}: {violation['id']} ({violation['impact']}) at {targets}")
    return problems
