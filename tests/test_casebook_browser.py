"""The real casebook, built once, opened page by page in Debian's Chromium with every outside request blocked.

Checks (issue: the HTML casebook): zero blocked requests, zero console errors, every plotly figure drawn, a
what-if slider step and a button that switch the figure to their precomputed data (by mouse on plotly's
controls, and by keyboard on the native controls casebook.js adds), no serious or critical
axe-core violation on the index and every chapter page, each figure with a title and a text summary, no
http(s) script or stylesheet, one plotly.min.js per edition, the student edition free of instructor and
solution text, the instructor edition with it.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from browser_support import axe_problems, open_page
from edition_support import identifiers_shown, page_text, teacher_fragments

import levelii_kit as lk
from levelii_kit.book.build import build_casebook

pytestmark = [pytest.mark.browser, pytest.mark.notebook, pytest.mark.xdist_group("casebook")]

ROOT = Path(__file__).resolve().parents[1]
SLUGS = sorted(p.parent.name for p in lk.list_cases())
EDITIONS = ("student", "instructor")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    out = tmp_path_factory.mktemp("real") / "casebook"
    build_casebook(out=out, cases_dir=ROOT / "cases", progress=lambda *a, **k: None, pdf=True)
    return out


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.refs.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.refs.append(attrs["href"])


def test_static_checks(book):
    for edition in EDITIONS:
        folder = book / edition
        assert len(list(book.rglob("plotly.min.js"))) == len(EDITIONS)
        assert (folder / "plotly.min.js").exists()
        pages = sorted(folder.glob("*.html"))
        assert {f"{s}.html" for s in SLUGS} <= {p.name for p in pages}
        for page in pages:
            parser = _Refs()
            parser.feed(page.read_text(encoding="utf-8"))
            assert not [r for r in parser.refs if re.match(r"(https?:)?//", r)], page
        sizes = [(folder / f"{s}.html").stat().st_size for s in SLUGS]
        assert statistics.median(sizes) <= 600 * 1024, sizes
    for slug in SLUGS:
        student = page_text(book / "student" / f"{slug}.html")
        teacher = page_text(book / "instructor" / f"{slug}.html")
        fragments = teacher_fragments(slug)
        assert len(fragments) >= 2, f"{slug}: a chapter has instructor notes and solutions"
        for fragment in fragments:  # the real text of every instructor and solution cell of the source notebook
            assert fragment in teacher, f"{slug}: the instructor edition lacks {fragment!r}"
            assert fragment not in student, f"{slug}: the student edition shows {fragment!r}"
        assert "injected-parameters" not in (book / "student" / f"{slug}.html").read_text(encoding="utf-8")


def test_figures_and_tables_speak_in_labels(book):
    """No figure or table of an executed chapter shows a constituency's, move's, issue's or term's identifier."""
    for slug in SLUGS:
        case = lk.load_case(slug)
        s = case.scenario
        labels = {c.name: c.label for c in s.constituencies} | {m.id: m.label for m in case.moves}
        labels |= {i.name: i.label for i in s.issues} | {t.name: t.label for t in s.terms}
        shown = identifiers_shown(book / "executed" / f"{slug}.ipynb", labels)
        assert shown == [], f"{slug}: {shown[:5]}"


def test_every_page_offline_and_every_figure_drawn(book, tab):
    pages = sorted(book.rglob("*.html"))
    for path in pages:
        n = open_page(tab, path)
        if path.stem in SLUGS:
            assert n >= 3, f"{path}: expected the chapter's figures"
            info = tab.page.evaluate("""() => [...document.querySelectorAll('.cb-plot')].map(d => ({
                title: (d.layout && d.layout.title && d.layout.title.text) || '',
                summary: (d.layout && d.layout.meta && d.layout.meta.summary) || ''}))""")
            assert all(i["title"] and i["summary"] for i in info), (path, info)
    assert tab.blocked == []
    assert tab.errors == []


def _whatif(page):
    return page.evaluate("""() => {
        const gd = [...document.querySelectorAll('.cb-plot')].find(
            d => d.layout.sliders && d.layout.sliders.length && d.layout.updatemenus && d.layout.updatemenus.length);
        if (!gd) return null;
        gd.id = 'whatif-under-test';
        return {active: gd.layout.sliders[0].active, n_steps: gd.layout.sliders[0].steps.length,
                n_buttons: gd.layout.updatemenus[0].buttons.length, visible: gd.data.map(t => t.visible)};
    }""")


STEP_ARGS = "(k) => document.getElementById('whatif-under-test').layout.sliders[0].steps[k].args[0].visible"
BUTTON_ARGS = "(k) => document.getElementById('whatif-under-test').layout.updatemenus[0].buttons[k].args[0].visible"


def _wait_for_step(page, k):
    """Until slider step ``k`` is active and the figure shows exactly that step's precomputed traces."""
    page.wait_for_function(
        "(k) => { const gd = document.getElementById('whatif-under-test');"
        " return gd.layout.sliders[0].active === k && JSON.stringify(gd.data.map(t => t.visible))"
        " === JSON.stringify(gd.layout.sliders[0].steps[k].args[0].visible); }",
        arg=k,
        timeout=10_000,
    )


def _wait_for_button(page, j):
    """Until button ``j`` is active and the figure shows exactly that button's precomputed traces."""
    page.wait_for_function(
        "(j) => { const gd = document.getElementById('whatif-under-test');"
        " return gd.layout.updatemenus[0].active === j && JSON.stringify(gd.data.map(t => t.visible))"
        " === JSON.stringify(gd.layout.updatemenus[0].buttons[j].args[0].visible); }",
        arg=j,
        timeout=10_000,
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_whatif_slider_and_buttons(book, tab, slug):
    """A slider step and a button each switch the figure to the data precomputed for them."""
    page = tab.page
    open_page(tab, book / "student" / f"{slug}.html")
    state = _whatif(page)
    assert state, f"{slug}: no what-if figure with a slider and buttons"
    gd = page.locator("#whatif-under-test")
    gd.scroll_into_view_if_needed()
    target = 0 if state["active"] == state["n_steps"] - 1 else state["n_steps"] - 1
    labels = gd.locator(".slider-container .slider-label")  # the first label is the current value
    box = labels.nth(target + 1).bounding_box()
    rail = gd.locator(".slider-container .slider-rail-touch-rect").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, rail["y"] + rail["height"] / 2)
    _wait_for_step(page, target)
    after_slider = _whatif(page)
    assert after_slider["visible"] != state["visible"], f"{slug}: the slider step did not change the figure"
    assert after_slider["visible"] == page.evaluate(STEP_ARGS, target)
    assert page.locator(NATIVE_RANGE).input_value() == str(target)  # the keyboard control follows plotly's
    button = state["n_buttons"] - 1
    page.wait_for_timeout(200)
    gd.locator(".updatemenu-button").nth(button).click()
    _wait_for_button(page, button)
    after_button = _whatif(page)
    assert after_button["visible"] == page.evaluate(BUTTON_ARGS, button)
    assert after_button["active"] == target  # the button keeps the slider's step
    pressed = page.locator(NATIVE_BUTTONS).evaluate_all("bs => bs.map(b => b.getAttribute('aria-pressed'))")
    assert pressed == ["false"] * button + ["true"], pressed
    assert tab.blocked == [] and tab.errors == []


NATIVE_RANGE = "#whatif-under-test + .cb-plot-controls input[type=range]"
NATIVE_BUTTONS = "#whatif-under-test + .cb-plot-controls [role=group] button"


@pytest.mark.parametrize("slug", SLUGS)
def test_whatif_keyboard_controls(book, tab, slug):
    """The what-if figure can be driven from the keyboard alone, through labelled native controls."""
    page = tab.page
    open_page(tab, book / "student" / f"{slug}.html")
    state = _whatif(page)
    controls = page.locator("#whatif-under-test + .cb-plot-controls")
    assert controls.bounding_box()["width"] <= 1, "the keyboard controls should stay hidden until focused"
    rng = page.locator(NATIVE_RANGE)
    assert rng.evaluate("r => r.labels[0].textContent").startswith("strength of ")
    assert rng.input_value() == str(state["active"])

    rng.focus()
    key, target = ("Home", 0) if state["active"] == state["n_steps"] - 1 else ("End", state["n_steps"] - 1)
    page.keyboard.press(key)
    _wait_for_step(page, target)
    assert controls.bounding_box()["width"] > 100, "focused keyboard controls must be visible"
    label = page.evaluate(
        "(k) => document.getElementById('whatif-under-test').layout.sliders[0].steps[k].label", target
    )
    assert rng.get_attribute("aria-valuetext") == label

    buttons = page.locator(NATIVE_BUTTONS)
    assert buttons.count() == state["n_buttons"]
    assert (
        page.locator("#whatif-under-test + .cb-plot-controls [role=group]").get_attribute("aria-label")
        == "moves switched on"
    )
    page.keyboard.press("Tab")  # from the slider to the first button ...
    for _ in range(state["n_buttons"] - 1):
        page.keyboard.press("Tab")  # ... and on to the last
    last = state["n_buttons"] - 1
    assert buttons.nth(last).evaluate("b => b === document.activeElement")
    page.keyboard.press("Enter")
    _wait_for_button(page, last)
    after = _whatif(page)
    assert after["active"] == target  # the button keeps the slider's step
    assert after["visible"] == page.evaluate(STEP_ARGS, target)  # and the steps now show the new move set
    assert buttons.nth(last).get_attribute("aria-pressed") == "true"
    assert tab.blocked == [] and tab.errors == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_axe(book, tab, edition):
    problems = []
    for name in ["index.html"] + [f"{s}.html" for s in SLUGS]:
        open_page(tab, book / edition / name)
        problems += axe_problems(tab, f"{edition}/{name}")
    assert problems == []


# ---- the reader's casebook (issue 11) ---------------------------------------------------------------------------

#: A word of each chapter that no other chapter's notebook or case file uses (checked below from the sources).
UNIQUE_WORDS = {
    "camp_david_knesset": "Knesset",
    "crowd_outside": "crowd",
    "cuban_missile_jupiters": "Khrushchev",
    "german_unification": "Shevardnadze",
    "newscorp_dow_jones": "Bancroft",
    "panama_canal_treaties": "Torrijos",
    "two_level_basics": "machinery",
}


def test_unique_words_occur_in_one_chapter_only():
    assert set(UNIQUE_WORDS) == set(SLUGS)
    for slug, word in UNIQUE_WORDS.items():
        holders = {
            p.parent.name
            for p in (ROOT / "cases").glob("*/*")
            if p.suffix in (".yaml", ".ipynb") and word.lower() in p.read_text(encoding="utf-8").lower()
        }
        assert holders == {slug}, (word, holders)


def _search(page, query):
    page.fill("#cb-search-input", query)
    page.wait_for_function(
        "q => (document.getElementById('cb-search-status').textContent || '').includes(q)", arg=query, timeout=10_000
    )
    return page.locator("#cb-search-results a").evaluate_all("as => as.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("edition", EDITIONS)
def test_search_finds_a_chapter_only_word_in_that_chapter_only(book, tab, edition):
    page = tab.page
    for name in sorted(p.name for p in (book / edition).glob("*.html")):
        page.goto((book / edition / name).as_uri())
        assert page.locator("header input[type=search]").count() == 1, name
        assert page.locator("label[for=cb-search-input]").inner_text() == "Search the casebook"
    page.goto((book / edition / "glossary.html").as_uri())
    for slug, word in UNIQUE_WORDS.items():
        hrefs = _search(page, word)
        chapters = {h.split(".html")[0] for h in hrefs if h.split(".html")[0] in SLUGS}
        assert chapters == {slug}, (word, hrefs)
        assert all("#" in h for h in hrefs if h.startswith(slug)), "results link to a section"
    # by keyboard: Down into the list, Enter opens the section
    _search(page, "Shevardnadze")
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first.startswith("german_unification.html#")
    page.keyboard.press("Enter")
    page.wait_for_url("**/german_unification.html#*")
    anchor = first.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").count() == 1
    assert tab.blocked == [] and tab.errors == []


def test_student_search_index_leaves_out_instructor_text(book):
    """Each edition indexes what it shows: the instructor and solution cells' text only in the instructor's."""
    from levelii_kit.book.search import collect_sections
    from levelii_kit.book.toc import discover_chapters, load_book, order_chapters

    bk = load_book()
    chapters = order_chapters(discover_chapters(ROOT / "cases"), bk)
    student = " ".join(s.text for s in collect_sections(book / "student", chapters, bk))
    teacher: dict[str, str] = {}
    for section in collect_sections(book / "instructor", chapters, bk):
        key = section.url.split(".html")[0]
        teacher[key] = teacher.get(key, "") + " " + section.text
    for slug in SLUGS:
        for fragment in [f for f in teacher_fragments(slug) if "(" not in f]:  # prose (code is not indexed)
            assert fragment not in student, (slug, fragment)
            assert fragment in teacher[slug], (slug, fragment)


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_chapter_links_its_notebook_and_case_file(book, edition):
    import nbformat
    import yaml

    for slug in SLUGS:
        page = (book / edition / f"{slug}.html").read_text(encoding="utf-8")
        links = re.findall(r'<a (?=[^>]*\bdownload\b)[^>]*\bhref="(downloads/[^"]+)"', page)  # any attribute order
        assert links == [f"downloads/{slug}/{slug}.ipynb", f"downloads/{slug}/case.yaml"]
        nb = nbformat.read(book / edition / links[0], as_version=4)
        nbformat.validate(nb)
        assert f'setup("{slug}"' in "\n".join(c.source for c in nb.cells)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
        text = " ".join(" ".join(c.source for c in nb.cells).split())
        assert (teacher_fragments(slug)[-1] in text) == (edition == "instructor")
        assert yaml.safe_load((book / edition / links[1]).read_text(encoding="utf-8"))["slug"] == slug


def test_figures_are_drawn_as_they_near_the_viewport(book, tab):
    """Lazy drawing: at load only the figures near the top are drawn; each one is once scrolled into view."""
    page = tab.page
    page.goto((book / "student" / "german_unification.html").as_uri())
    page.wait_for_function("() => window.Plotly")  # deferred: plotly has loaded, and drawn what is near the top
    page.wait_for_timeout(300)
    total = page.locator(".cb-plot").count()
    drawn = page.locator(".cb-plot.cb-plot--drawn").count()
    assert total >= 8 and drawn < total, (drawn, total)
    assert page.evaluate("[...document.querySelectorAll('script[src]')].every(s => s.defer)")
    for k in range(total):
        plot = page.locator(".cb-plot").nth(k)
        plot.scroll_into_view_if_needed()
        plot.locator(".main-svg").first.wait_for(state="attached", timeout=10_000)
    assert page.locator(".cb-plot.cb-plot--drawn").count() == total
    # the partial bundle holds every trace type the chapter draws
    types = page.evaluate("[...document.querySelectorAll('.cb-plot')].flatMap(d => d._fullData.map(t => t.type))")
    assert {"bar", "scatter", "waterfall"} <= set(types)
    assert tab.blocked == [] and tab.errors == []


def test_a_figure_jumped_to_is_drawn(book, tab):
    page = tab.page
    page.goto((book / "student" / "german_unification.html").as_uri())
    last = page.locator("figure[id^=figure-]").count()
    page.goto((book / "student" / "german_unification.html").as_uri() + f"#figure-{last}")
    page.locator(f"#figure-{last} .cb-plot .main-svg").first.wait_for(state="attached", timeout=10_000)
    assert tab.errors == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_pdf_holds_every_chapter_with_page_numbers(book, edition):
    from pypdf import PdfReader

    pdf = book / edition / f"casebook-{edition}.pdf"
    reader = PdfReader(str(pdf))
    texts = [" ".join(unicodedata.normalize("NFKC", p.extract_text() or "").split()) for p in reader.pages]
    whole = " ".join(texts)
    assert texts[0].startswith("Level II Negotiation: A Casebook")
    assert "Contents" in texts[1]
    for case in lk.list_cases():
        title = " ".join(lk.load_case(case).title.split())
        assert title in whole, title
        # the contents give the page the chapter starts on, and that page (or the next) carries its title
        line = re.search(re.escape(title) + r"[ .]*(\d+)", texts[1])
        assert line, (title, texts[1][:500])
        start = int(line.group(1))
        assert title[:40] in texts[start - 1] + texts[min(start, len(texts) - 1)], (title, start)
    assert "Glossary" in whole and "Bibliography" in whole
    fragments = [f for f in teacher_fragments("german_unification") if "(" not in f]  # prose, not code
    assert fragments
    assert any(f in whole for f in fragments) == (edition == "instructor")
    assert "This figure is interactive in the HTML casebook" in whole
    assert re.search(r"page 3 of \d+", texts[2])
