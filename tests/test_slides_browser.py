"""Every chapter's debrief deck in Debian's Chromium, offline (issue 12: "Done when").

Each deck is built by ``levelii slides`` into a temporary folder and opened from ``file://`` with every other
request refused. It must advance with the arrow keys through every slide (a prediction's answer appearing on the
key press before the next slide), carry speaker notes (the case file's
instructor notes among them), draw every figure (each plotly container holds plotly's SVG), keep the what-if
figure and the move figures interactive (a slider step and a button switch to their precomputed traces, although
reveal.js scales the slides), and log no console error and make no outside request.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import levelii_kit as lk
from levelii_kit.book.slides import build_deck

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("slides")]

SLUGS = sorted(p.parent.name for p in lk.list_cases())


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    root = tmp_path_factory.mktemp("decks")
    return {slug: build_deck(slug, root / slug / "index.html").path for slug in SLUGS}


def open_deck(tab, path: Path) -> int:
    """Open a deck and wait for reveal.js; returns the number of slides."""
    tab.page.goto(path.as_uri())
    tab.page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=20_000)
    return tab.page.evaluate("Reveal.getTotalSlides()")


# The current slide's figures have drawn, each at a sensible width inside the slide.
DRAWN = """() => [...Reveal.getCurrentSlide().querySelectorAll('.deck-plot')].every(p => {
    const svg = p.querySelector('.main-svg'); const slide = Reveal.getCurrentSlide().getBoundingClientRect();
    const box = p.getBoundingClientRect();
    return svg && box.width > 0.3 * slide.width && box.right <= slide.right + 2 && box.bottom <= slide.bottom + 2; })"""


@pytest.mark.parametrize("slug", SLUGS)
def test_deck_advances_draws_its_figures_and_has_notes(decks, tab, slug):
    case = lk.load_case(slug)
    page = tab.page
    total = open_deck(tab, decks[slug])
    assert total >= 10
    assert page.evaluate("Reveal.getIndices().h") == 0
    visited = [0]
    while not page.evaluate("Reveal.isLastSlide() && !Reveal.availableFragments().next"):
        before = page.evaluate("[Reveal.getIndices().h, Reveal.getIndices().f]")
        hidden = page.evaluate("document.querySelectorAll('.present .fragment:not(.visible)').length")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            "b => JSON.stringify([Reveal.getIndices().h, Reveal.getIndices().f]) !== JSON.stringify(b)",
            arg=before,
            timeout=10_000,
        )
        h = page.evaluate("Reveal.getIndices().h")
        if h == before[0]:  # the key showed a fragment (a prediction's answer) on the same slide
            assert page.evaluate("document.querySelectorAll('.present .fragment:not(.visible)').length") == hidden - 1
        else:
            assert h == before[0] + 1
            visited.append(h)
        page.wait_for_function(DRAWN, timeout=20_000)  # the new slide's figures draw when it is shown
    assert visited == list(range(total))
    assert page.evaluate("Reveal.isLastSlide()")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("k => Reveal.getIndices().h === k", arg=total - 2)
    # every figure of the deck has drawn (each was checked on its slide: drawn, wide, inside the slide)
    plots = page.evaluate("() => [...document.querySelectorAll('.deck-plot')].map(p => !!p.querySelector('.main-svg'))")
    assert len(plots) == len(list(_figure_ids(decks[slug]))) and all(plots), plots
    # speaker notes: on the title slide, the case file's instructor notes
    notes = page.evaluate("Reveal.getSlideNotes(Reveal.getSlide(0))")
    for note in case.teaching["instructor_notes"]:
        assert " ".join(note.split())[:80] in " ".join(notes.split())
    assert page.evaluate("document.querySelectorAll('aside.notes').length") >= total // 2
    assert tab.blocked == []
    assert tab.errors == []


def _figure_ids(path: Path):
    text = path.read_text(encoding="utf-8")
    start = 0
    while (i := text.find('<script type="application/json" id="', start)) >= 0:
        start = i + 1
        yield i


def _goto_whatif(page) -> None:
    index = page.evaluate(
        """() => [...document.querySelectorAll('.reveal .slides > section')].findIndex(s => {
            const p = s.querySelector('.deck-plot');
            return p && JSON.parse(document.getElementById(p.dataset.figure).textContent).layout.sliders; })"""
    )
    assert index > 0
    page.evaluate("k => Reveal.slide(k)", index)
    page.wait_for_function(DRAWN, timeout=20_000)


STATE = """() => { const gd = Reveal.getCurrentSlide().querySelector('.deck-plot');
    return {slider: gd.layout.sliders ? gd.layout.sliders[0].active : null,
            n_steps: gd.layout.sliders ? gd.layout.sliders[0].steps.length : 0,
            button: gd.layout.updatemenus[0].active, n_buttons: gd.layout.updatemenus[0].buttons.length,
            visible: gd.data.map(t => t.visible === true)}; }"""
STEP_VISIBLE = "k => Reveal.getCurrentSlide().querySelector('.deck-plot').layout.sliders[0].steps[k].args[0].visible"
BUTTON_VISIBLE = (
    "j => Reveal.getCurrentSlide().querySelector('.deck-plot').layout.updatemenus[0].buttons[j].args[0].visible"
)


@pytest.mark.parametrize("slug", ["german_unification", "crowd_outside"])
@pytest.mark.parametrize("viewport", [(1200, 1000), (900, 600)])
def test_the_whatif_figure_stays_interactive_in_the_scaled_deck(decks, tab, slug, viewport):
    """A click on a slider step and on a button reaches plotly although reveal.js (and the deck, for a tall
    figure) scale the slide: the figure then shows exactly the traces precomputed for them."""
    page = tab.page
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    open_deck(tab, decks[slug])
    _goto_whatif(page)
    state = page.evaluate(STATE)
    gd = page.locator(".present .deck-plot")
    target = 0 if state["slider"] == state["n_steps"] - 1 else state["n_steps"] - 1
    label = gd.locator(".slider-container .slider-label").nth(target + 1).bounding_box()  # 0: the current value
    rail = gd.locator(".slider-container .slider-rail-touch-rect").bounding_box()
    page.mouse.click(label["x"] + label["width"] / 2, rail["y"] + rail["height"] / 2)
    page.wait_for_function(
        "k => { const gd = Reveal.getCurrentSlide().querySelector('.deck-plot'); return gd.layout.sliders[0].active"
        " === k && JSON.stringify(gd.data.map(t => t.visible === true)) === JSON.stringify(gd.layout.sliders[0]"
        ".steps[k].args[0].visible); }",
        arg=target,
        timeout=10_000,
    )
    after = page.evaluate(STATE)
    assert after["visible"] != state["visible"]
    assert after["visible"] == page.evaluate(STEP_VISIBLE, target)
    last = state["n_buttons"] - 1
    page.wait_for_timeout(200)
    gd.locator(".updatemenu-button").nth(last).click()
    page.wait_for_function(
        "j => { const gd = Reveal.getCurrentSlide().querySelector('.deck-plot'); return gd.layout.updatemenus[0]"
        ".active === j && JSON.stringify(gd.data.map(t => t.visible === true)) === JSON.stringify(gd.layout"
        ".updatemenus[0].buttons[j].args[0].visible); }",
        arg=last,
        timeout=10_000,
    )
    assert page.evaluate(STATE)["slider"] == target  # the button keeps the slider's step
    assert page.evaluate("Reveal.getIndices().h") > 0  # a click on the figure does not move the deck
    assert tab.blocked == [] and tab.errors == []


def test_a_move_slide_switches_from_no_help_to_the_move(decks, tab):
    page = tab.page
    open_deck(tab, decks["german_unification"])
    index = page.evaluate(
        "() => [...document.querySelectorAll('.reveal .slides > section')]"
        ".findIndex(s => s.dataset.slideKind === 'move')"
    )
    page.evaluate("k => Reveal.slide(k)", index)
    page.wait_for_function(DRAWN, timeout=20_000)
    state = page.evaluate(STATE)
    assert state["button"] == 0 and state["n_buttons"] == 4  # opens on "no help"
    page.locator(".present .deck-plot .updatemenu-button").nth(1).click()  # "this move alone"
    page.wait_for_function(
        "() => Reveal.getCurrentSlide().querySelector('.deck-plot').layout.updatemenus[0].active === 1", timeout=10_000
    )
    assert page.evaluate(STATE)["visible"] == page.evaluate(BUTTON_VISIBLE, 1)
    assert tab.blocked == [] and tab.errors == []


def test_the_speaker_view_opens_offline_with_the_notes(decks, tab):
    """S opens reveal.js's speaker view (a pop-up written by the notes plugin): the title slide's notes are there."""
    case = lk.load_case("crowd_outside")
    page = tab.page
    open_deck(tab, decks["crowd_outside"])
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    view = popup.value
    view.wait_for_function("() => document.querySelector('.speaker-controls-notes')", timeout=20_000)
    view.wait_for_function(
        "t => document.querySelector('.speaker-controls-notes').innerText.includes(t)",
        arg=f"Session plan: {case.session.minutes} minutes",
        timeout=20_000,
    )
    notes = " ".join(view.evaluate("document.querySelector('.speaker-controls-notes').innerText").split())
    assert " ".join(case.teaching["instructor_notes"][0].split())[:60] in notes
    view.close()
    assert tab.blocked == [] and tab.errors == []
