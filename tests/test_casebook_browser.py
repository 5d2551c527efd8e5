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


# ---- self-study in the page (issue 7) -------------------------------------------------------------------------
def _checked(case):
    return [e for e in case.teaching["exercises"] if e.get("kind")]


def _wrong_answer(case, e):
    """An answer the checker judges wrong (the first among simple candidates)."""
    from levelii_kit import exercises as ex

    choices = [c.id for c in ex.choices(case, e["id"])] if e["kind"] != "numeric" else []
    if e["kind"] == "cheapest_set":
        candidates = [[], *([c] for c in choices), choices]
    elif e["kind"] == "best_move":
        candidates = choices
    else:
        low, high = (float(x) for x in (ex.form_spec(case, e["id"])["numeric"][k] for k in ("min", "max")))
        candidates = [low, high, (low + high) / 2, low + 0.3 * (high - low)]
    wrong = [a for a in candidates if ex.check(case, e["id"], a).correct is False]
    assert wrong, f"{case.slug}/{e['id']}: no wrong answer among {candidates}"
    return wrong[0]


def _answer(page, e, answer):
    """Fill an exercise's form with ``answer`` (by mouse) and submit it; the feedback line's text."""
    form = page.locator(f"form#exercise-{e['id']}")
    if e["kind"] == "numeric":
        form.locator("input[type=number]").fill("" if answer is None else repr(float(answer)))
    else:
        picked = {answer} if isinstance(answer, str) else set(answer or ())
        for box in form.locator("input[name]").all():
            want = box.get_attribute("value") in picked
            if box.get_attribute("type") == "checkbox":
                box.set_checked(want)
            elif want:
                box.check()
    form.locator("button[type=submit]").click()
    return form.locator("[role=status]").inner_text()


def _predict(page, case, p, k):
    """Commit guess number ``k`` of prediction ``p`` (by mouse, or the slider set by script); the line shown."""
    form = page.locator(f"form#prediction-{p.id}")
    if p.answer == "yes_no":
        form.locator("input[type=radio]").nth(k).check()
    else:
        form.locator("input[type=range]").evaluate(
            "(r, k) => { r.value = k; r.dispatchEvent(new Event('input', {bubbles: true})); }", k
        )
    form.locator("button[type=submit]").click()
    return form.locator("[role=status]").inner_text()


@pytest.mark.parametrize("slug", SLUGS)
def test_every_checked_exercise_gets_the_checkers_verdict_in_the_page(book, tab, slug):
    """Each checked exercise, answered right (the model answer) and wrong by mouse in the student edition, says
    word for word what ``lk.exercises.check`` says; no answer at all gets the checker's "no answer yet"."""
    from levelii_kit import exercises as ex

    case = lk.load_case(slug)
    page = tab.page
    page.goto((book / "student" / f"{slug}.html").as_uri())
    exercises = _checked(case)
    assert exercises and page.locator("form[data-exercise]").count() == len(case.teaching["exercises"])
    for e in exercises:
        form = page.locator(f"form#exercise-{e['id']}")
        if e["kind"] != "cheapest_set":  # an empty set is an answer; an empty choice or field is not
            assert _answer(page, e, None) == str(ex.check(case, e["id"], None)), e["id"]
            assert form.get_attribute("data-verdict") == "none"
        right = ex.solution(case, e["id"]).answer
        wrong = _wrong_answer(case, e)
        assert _answer(page, e, right) == str(ex.check(case, e["id"], right)), e["id"]
        assert form.get_attribute("data-verdict") == "right"
        assert _answer(page, e, wrong) == str(ex.check(case, e["id"], wrong)), (e["id"], wrong)
        assert form.get_attribute("data-verdict") == "wrong"
    assert tab.blocked == [] and tab.errors == []


@pytest.mark.parametrize("slug", SLUGS)
def test_every_prediction_reveals_the_models_result_only_after_a_commit(book, tab, slug):
    from levelii_kit import predictions as pr

    case = lk.load_case(slug)
    page = tab.page
    page.goto((book / "student" / f"{slug}.html").as_uri())
    assert case.predictions and page.locator("form[data-prediction]").count() == len(case.predictions)
    for p in case.predictions:
        form = page.locator(f"form#prediction-{p.id}")
        options = pr.guesses(case, p.id)
        assert form.locator(".cb-reveal").is_hidden() and form.locator("[role=status]").inner_text() == ""
        form.locator("button[type=submit]").click()  # nothing chosen yet: asked to choose, nothing revealed
        assert form.locator(".cb-reveal").is_hidden()
        assert pr.reveal_all(case)[p.id].text not in form.inner_text()
        for k in (0, len(options) - 1):
            assert _predict(page, case, p, k) == pr.compare(case, p.id, options[k]), (p.id, k)
        assert form.locator(".cb-reveal").is_visible()
        assert form.locator(".cb-reveal__explain").inner_text() == " ".join(p.explain.split())
    assert tab.blocked == [] and tab.errors == []


def test_answers_survive_a_reload_and_reach_the_progress_page_and_its_export(book, tab):
    """Answers, notes and predictions are saved in the browser: a reload restores them, the progress page counts
    them, and its export holds them."""
    import json

    from levelii_kit import exercises as ex
    from levelii_kit import predictions as pr

    slug = "german_unification"  # every kind of checked exercise, and discussion questions
    case = lk.load_case(slug)
    page = tab.page
    page.goto((book / "student" / f"{slug}.html").as_uri())
    checked = _checked(case)
    said = {}
    for n, e in enumerate(checked):  # the first right, the others wrong
        answer = ex.solution(case, e["id"]).answer if n == 0 else _wrong_answer(case, e)
        said[e["id"]] = _answer(page, e, answer)
    discussion = [e for e in case.teaching["exercises"] if not e.get("kind")][0]
    notes = page.locator(f"form#exercise-{discussion['id']}")
    notes.locator("textarea").fill("Kohl needs a story he can sell at home.")
    notes.locator("button[type=submit]").click()
    p = case.predictions[0]
    line = _predict(page, case, p, 0)
    page.reload()
    for e in checked:
        assert page.locator(f"form#exercise-{e['id']} [role=status]").inner_text() == said[e["id"]]
    assert notes.locator("textarea").input_value() == "Kohl needs a story he can sell at home."
    assert page.locator(f"form#prediction-{p.id} [role=status]").inner_text() == line
    first = checked[0]
    form = page.locator(f"form#exercise-{first['id']}")
    right = ex.solution(case, first["id"]).answer
    if first["kind"] == "numeric":
        assert float(form.locator("input[type=number]").input_value()) == pytest.approx(right)
    else:
        restored = [b.get_attribute("value") for b in form.locator("input:checked").all()]
        assert restored == ([right] if isinstance(right, str) else list(right))
    page.goto((book / "student" / "progress.html").as_uri())
    total = sum(len(_checked(lk.load_case(s))) for s in SLUGS)
    done = len(checked) + 2
    assert page.locator("[data-summary]").inner_text() == (
        f"1 of {total} checked exercises right; {done} items answered, predicted or noted."
    )
    section = page.locator(".cb-progress__chapter", has=page.locator(f"a[href='{slug}.html']"))
    states = section.locator(".cb-progress__state").all_inner_texts()
    assert states.count("right") == 1 and states.count("not yet right") == len(checked) - 1
    assert states.count("notes written") == 1 and states.count("predicted") == 1
    with page.expect_download() as info:
        page.locator("[data-export]").click()
    data = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert data["book"] and set(data["exercises"]) == {f"{slug}/{e['id']}" for e in checked}
    assert data["exercises"][f"{slug}/{checked[0]['id']}"]["verdict"] == "right"
    assert data["notes"][f"{slug}/{discussion['id']}"]["text"].startswith("Kohl needs")
    assert data["predictions"][f"{slug}/{p.id}"]["guess"] == pr.guesses(case, p.id)[0]
    page.once("dialog", lambda d: d.accept())
    page.locator("[data-reset]").click()
    assert page.locator("[data-summary]").inner_text() == "Everything saved in this browser was cleared."
    assert tab.blocked == [] and tab.errors == []


def test_every_kind_of_form_works_from_the_keyboard_alone(book, tab):
    """Tab to a form's controls, Space or the arrow keys to answer, Enter on its button: a cheapest set
    (checkboxes), a best move (radio buttons), a number, a yes/no and a slider prediction."""
    from levelii_kit import exercises as ex
    from levelii_kit import predictions as pr

    kinds = {}
    for slug in SLUGS:
        case = lk.load_case(slug)
        for e in _checked(case):
            kinds.setdefault(e["kind"], (case, e))
        for p in case.predictions:
            kinds.setdefault("yes_no" if p.answer == "yes_no" else "slider", (case, p))
    assert set(kinds) == {"cheapest_set", "best_move", "numeric", "yes_no", "slider"}
    page = tab.page

    def focus_first(selector):
        """Put the focus on a stop just before the form, then Tab until its first control has the focus."""
        page.locator(selector).first.evaluate(
            """el => { const stop = document.createElement('a'); stop.href = '#'; stop.id = 'kb-start';
                       stop.textContent = 'start'; el.closest('form').before(stop); stop.focus(); }"""
        )
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.locator(selector).first.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {selector}")

    def submit(form_selector):
        page.keyboard.press("Tab")
        while not page.locator(f"{form_selector} button[type=submit]").evaluate("b => b === document.activeElement"):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        return page.locator(f"{form_selector} [role=status]").inner_text()

    for kind, (case, item) in kinds.items():
        page.goto((book / "student" / f"{case.slug}.html").as_uri())
        if kind in ("cheapest_set", "best_move", "numeric"):
            sel = f"form#exercise-{item['id']}"
            answer = ex.solution(case, item["id"]).answer
            if kind == "numeric":
                focus_first(f"{sel} input[type=number]")
                page.keyboard.type(repr(float(answer)))
                page.keyboard.press("Enter")  # a number field submits its form
                text = page.locator(f"{sel} [role=status]").inner_text()
            elif kind == "best_move":
                ids = [c.id for c in ex.choices(case, item["id"])]
                focus_first(f"{sel} input[type=radio]")
                page.keyboard.press("Space")  # the first choice; the arrow keys move through the rest
                for _ in range(ids.index(answer)):
                    page.keyboard.press("ArrowDown")
                text = submit(sel)
            else:
                ids = [c.id for c in ex.choices(case, item["id"])]
                focus_first(f"{sel} input[type=checkbox]")
                for n, move in enumerate(ids):
                    if move in answer:
                        page.keyboard.press("Space")
                    if n < len(ids) - 1:
                        page.keyboard.press("Tab")
                text = submit(sel)
            assert text == str(ex.check(case, item["id"], answer)), (kind, item["id"])
            assert text.startswith("Right. ")
        else:
            sel = f"form#prediction-{item.id}"
            options = pr.guesses(case, item.id)
            if kind == "yes_no":
                focus_first(f"{sel} input[type=radio]")
                page.keyboard.press("Space")
                k = 0
            else:
                focus_first(f"{sel} input[type=range]")
                start = int(page.locator(f"{sel} input[type=range]").input_value())
                page.keyboard.press("ArrowRight")
                k = start + 1
                valuetext = page.locator(f"{sel} input[type=range]").get_attribute("aria-valuetext")
                assert valuetext == page.locator(f"{sel} output").inner_text()
            assert submit(sel) == pr.compare(case, item.id, options[k]), (kind, item.id)
    assert tab.blocked == [] and tab.errors == []


def test_student_pages_hold_no_verdict_or_model_answer_and_instructor_pages_show_it(book):
    """The student edition's HTML, raw, holds no verdict, no model answer and no model's result of a prediction
    (they are sealed); the instructor edition shows each model answer."""
    import html

    from levelii_kit import exercises as ex
    from levelii_kit import predictions as pr

    for slug in SLUGS:
        case = lk.load_case(slug)
        student = (book / "student" / f"{slug}.html").read_text(encoding="utf-8")
        teacher = page_text(book / "instructor" / f"{slug}.html")
        secrets = []
        for e in _checked(case):
            if e["kind"] != "numeric":  # every verdict but "no answer yet", which the page shows in the clear
                enter = str(ex.check(case, e["id"], None))
                secrets += [t for t in ex.verdicts(case, e["id"]).values() if t != enter]
            secrets.append(str(ex.solution(case, e["id"])))
            assert " ".join(str(ex.solution(case, e["id"])).split()) in " ".join(teacher.split()), e["id"]
        secrets += [r.text for r in pr.reveal_all(case).values()]
        for secret in secrets:
            for form in {secret, html.escape(secret), html.escape(secret, quote=False)}:
                assert form not in student, (slug, secret)
        assert "Right. " not in student and "Not quite. " not in student


# ---- the model appendix (issue 8) -----------------------------------------------------------------------------
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_model_appendix_draws_its_formulas_offline(book, tab, edition):
    """Every formula of the appendix is MathML that Chromium lays out (no script, no font from a network): each
    ``<math>`` element has a box, a display formula is taller than a line of text, and no TeX source is left."""
    page = tab.page
    page.goto((book / edition / "model.html").as_uri())
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('math')].map(m => {
            const r = m.getBoundingClientRect();
            return {w: r.width, h: r.height, block: m.getAttribute('display') === 'block',
                    line: parseFloat(getComputedStyle(m.parentElement).lineHeight) || 0,
                    layout: getComputedStyle(m).display}; })"""
    )
    assert len(boxes) >= 20, "the appendix states the model's maths as formulas"
    assert all(b["w"] > 0 and b["h"] > 0 for b in boxes), [b for b in boxes if not (b["w"] and b["h"])][:3]
    assert all(b["layout"] in ("math", "block math", "inline math", "block") for b in boxes), {
        b["layout"] for b in boxes
    }
    assert any(b["block"] for b in boxes)
    text = page.locator("main").inner_text()
    assert "\\frac" not in text and "\\sigma" not in text and "$" not in text
    assert page.locator("h2").count() >= 11 and "P-18" in text
    assert tab.blocked == [] and tab.errors == []
