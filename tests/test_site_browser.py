"""Browser tests of the built casebook: Debian's Chromium driven by Playwright (from PyPI).

Every request whose URL does not start with ``file:`` is aborted and counted, so "works offline"
is tested, not assumed (design, "The casebook"). Chromium comes from ``apt-get install chromium``
(never ``playwright install``); axe-core from npm in build/tools (``make browser-tools``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_support import axe_problems, open_page
from site_support import build_fixture_site

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
EDITIONS = ("student", "instructor")
CHAPTERS = ("tiny_basics.html", "tiny_treaty.html")

# What the fixture figure was built from (tests/fixtures/site/cases/*/...ipynb).
STRENGTHS = [0.2, 0.4, 0.6, 0.8, 1.0]
DEALS = [i / 10 for i in range(11)]


def support(strength, deal, shift=0.0):
    return round(max(0.0, min(1.0, 1.0 - strength * deal + shift)), 4)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The fixture casebook, built once per test process."""
    return build_fixture_site(tmp_path_factory)


def test_every_page_renders_offline_without_errors(site, tab):
    pages = sorted(site.rglob("*.html"))
    # the landing page, 2 x (index, glossary, bibliography, 3 front matter pages, progress, 2 chapters), the
    # instructor-only writing-a-chapter page and the instructor edition's two decks (its teaching package)
    assert len(pages) == 22
    drawn = 0
    for path in pages:
        drawn += open_page(tab, path)
        assert tab.page.title(), path
        assert tab.page.evaluate("document.documentElement.lang") == "en"
    assert drawn == 2 * len(EDITIONS), "every chapter page has one figure"
    assert tab.blocked == []
    assert tab.errors == []


def figure_state(page):
    return page.evaluate(
        """() => {
        const gd = document.querySelector('.cb-plot');
        return {
          title: gd.layout.title.text,
          active: gd.layout.sliders[0].active,
          visible: gd.data.map(t => t.visible),
          y: gd.data.map(t => Array.from(t.y)),
        };
    }"""
    )


@pytest.mark.parametrize("edition", EDITIONS)
def test_slider_and_buttons_switch_to_precomputed_steps(site, tab, edition):
    page = tab.page
    open_page(tab, site / edition / "tiny_basics.html")
    before = figure_state(page)
    assert before["title"] == "Support when hawk strength = 0.2"
    assert before["visible"] == [True, False, False, False, False]
    assert before["y"] == [[support(s, d) for d in DEALS] for s in STRENGTHS]

    # click the slider's step "0.8" (plotly draws the step labels under the rail; the first
    # .slider-label is the "current value" text above it)
    step_label = page.locator(".slider-container .slider-label", has_text=re.compile(r"^0\.8$"))
    step_label.scroll_into_view_if_needed()
    label = step_label.bounding_box()
    rail = page.locator(".slider-container .slider-rail-touch-rect").bounding_box()
    page.mouse.click(label["x"] + label["width"] / 2, rail["y"] + rail["height"] / 2)
    page.wait_for_function(
        "() => { const gd = document.querySelector('.cb-plot');"
        " return gd.layout.sliders[0].active === 3 && gd.layout.title.text !== 'Support when hawk strength = 0.2'"
        " && gd.data[3].visible === true; }"
    )
    after = figure_state(page)
    assert after["title"] == "Support when hawk strength = 0.8"
    assert after["visible"] == [False, False, False, True, False]
    step = page.evaluate("() => document.querySelector('.cb-plot').layout.sliders[0].steps[3].args[0].visible")
    assert after["visible"] == step

    # the "With side payment" button restyles every trace with the precomputed curves
    page.locator(".updatemenu-button").filter(has_text="With side payment").click()
    page.wait_for_function(
        "() => document.querySelector('.cb-plot').data[0].y[0] !== 1 || "
        "document.querySelector('.cb-plot').data[0].y[10] !== 0.8"
    )
    helped = figure_state(page)
    assert helped["y"] == [[support(s, d, 0.2) for d in DEALS] for s in STRENGTHS]
    assert helped["y"] != before["y"]
    assert helped["visible"] == after["visible"], "the button keeps the slider's step"
    assert tab.blocked == [] and tab.errors == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_axe_finds_no_serious_violations(site, tab, edition):
    problems = []
    for name in ("index.html", *CHAPTERS):
        open_page(tab, site / edition / name)
        problems += axe_problems(tab, f"{edition}/{name}")
    assert problems == []
    assert tab.blocked == [] and tab.errors == []
