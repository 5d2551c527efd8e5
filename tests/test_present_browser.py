"""``levelii present``: Voila serves the live explorer on 127.0.0.1; Chromium moves a slider and flips a move.

Every wait is bounded (the server start, each page wait, the server stop), so the test cannot hang; it takes
about 15-25 s on the 2-core machine (a preheated kernel, one page load, two updates).
"""

from __future__ import annotations

import json
import socket
import time

import psutil
import pytest

import levelii_kit as lk
from levelii_kit.book import present

SLUG = "german_unification"
LOCAL = ("http://127.0.0.1:", "http://localhost:", "ws://127.0.0.1:", "ws://localhost:")

PLOT_DATA = """() => {
  const gd = document.querySelector('.widget-vbox .js-plotly-plot, .jupyter-widgets .js-plotly-plot');
  if (!gd || !gd.data || gd.data.length < 3) return null;
  return JSON.stringify(gd.data.map(t => [t.x, t.y, (t.marker || {}).opacity]));
}"""
CHANGED = """before => {
  const gd = document.querySelector('.widget-vbox .js-plotly-plot, .jupyter-widgets .js-plotly-plot');
  return !!gd && !!gd.data && JSON.stringify(gd.data.map(t => [t.x, t.y, (t.marker || {}).opacity])) !== before;
}"""


def _our_servers():
    """Voila processes started by this test process, and their children (the kernels)."""
    found = set()
    for proc in psutil.Process().children(recursive=True):
        try:
            if "voila" in " ".join(proc.cmdline()):
                found.add(proc.pid)
                found.update(c.pid for c in proc.children(recursive=True))
        except psutil.Error:
            pass
    return found


def _alive(pid):
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


@pytest.mark.browser
def test_live_explorer_in_voila(browser):
    port = present.free_port()
    blocked, page_errors, console_errors = [], [], []
    t0 = time.perf_counter()
    with present.serve(SLUG, port, timeout=120) as url:  # the chapter itself, as `levelii present` serves it
        assert url == f"http://127.0.0.1:{port}/"
        started = _our_servers()
        assert started, "no voila process found"
        context = browser.new_context(viewport={"width": 1280, "height": 1400})
        try:

            def route(r):
                if r.request.url.startswith(LOCAL):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.on("pageerror", lambda e: page_errors.append(str(e)))
            page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

            page.goto(url, wait_until="domcontentloaded", timeout=30_000)
            page.wait_for_selector(".widget-slider .noUi-handle", state="visible", timeout=90_000)
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20_000)
            page.wait_for_function(f"() => ({PLOT_DATA})() !== null", timeout=10_000)
            first = page.evaluate(PLOT_DATA)
            # the page shows the solved model, not the figure as built (all zeros)
            west, soviet, sides = json.loads(first)[0][0], json.loads(first)[1][0], json.loads(first)[2][1]
            assert max(west) > 0.5 and max(soviet) > 0.5 and sides[0] > 0.5
            # the explorer's live status line (the chapter's exercise and prediction forms have their own)
            status = page.locator(".lk-explorer-status[role=status]")
            assert "Chance of agreement" in status.inner_text(timeout=5_000)
            # every slider handle has an accessible name (ipywidgets 8 leaves it without; the template adds it)
            page.wait_for_function(
                "() => [...document.querySelectorAll('.widget-slider .noUi-handle')]"
                ".every(h => (h.getAttribute('aria-label') || '').length > 0)",
                timeout=5_000,
            )

            # 1. keyboard: the party conservatives' strength, four steps of 0.05 to the right (1.80 -> 2.00)
            names = list(lk.load_case(SLUG).scenario.constituency_names)
            row = page.locator(".lk-explorer .widget-slider").nth(names.index("party_conservatives"))
            assert "Party conservatives" in row.locator(".widget-label").inner_text(timeout=5_000)
            row.locator(".noUi-handle").focus(timeout=5_000)
            t1 = time.perf_counter()
            for _ in range(4):
                page.keyboard.press("ArrowRight")
            page.wait_for_function(CHANGED, arg=first, timeout=15_000)
            slider_latency = time.perf_counter() - t1
            page.wait_for_function(
                "el => el.textContent.trim() === '2.00'",
                arg=row.locator(".widget-readout").element_handle(),
                timeout=10_000,
            )
            after_slider = page.evaluate(PLOT_DATA)
            assert after_slider != first

            # 2. a move: DM 12 billion to bring the Soviet troops home
            box = page.locator(".lk-explorer .widget-checkbox", has_text="DM 12 billion").locator(
                "input[type=checkbox]"
            )
            box.check(timeout=5_000)
            page.wait_for_function(CHANGED, arg=after_slider, timeout=15_000)
            page.wait_for_function(
                "() => (document.querySelector('.lk-explorer-status') || {}).textContent.includes('DM 12 billion')",
                timeout=10_000,
            )
            after_toggle = page.evaluate(PLOT_DATA)
            assert after_toggle != after_slider
            print(
                f"\npage ready and two updates in {time.perf_counter() - t0:.1f} s; "
                f"slider -> figure {slider_latency:.2f} s"
            )
        finally:
            context.close()
            started |= _our_servers()  # the kernel the pool started after the page took the preheated one
    # the server and its kernels are gone, the port is free again
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in started if _alive(p)], "voila or a kernel outlived serve()"
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    # plotly 7.1's own JupyterLab renderer, loaded by Voila 0.5.13's older lab core, logs this for the
    # chapter's static figures (they still draw); anything else is a real error
    known = "setData is not a function"
    assert [e for e in page_errors if known not in e] == [], f"page errors: {page_errors}; console: {console_errors}"
    assert blocked == [], f"requests left this machine: {blocked}"
    assert time.perf_counter() - t0 < 150


def test_unknown_slug_is_one_line():
    with pytest.raises(lk.CaseError) as info:
        with present.serve("no_such_case", present.free_port()):
            pass  # pragma: no cover
    message = str(info.value)
    assert "\n" not in message and "no such case" in message and "german_unification" in message


def test_presentation_notebook_and_command():
    case = lk.load_case(SLUG)
    nb = present.presentation_notebook(case)
    assert [c.cell_type for c in nb.cells] == ["markdown", "markdown", "code"]
    assert "lk.widgets.explorer(lk.load_case('german_unification'))" in nb.cells[-1].source
    assert nb.cells[0].source.startswith("# ")
    cmd = present.voila_command(present.Path("x.ipynb"), 8123)
    assert "--Voila.ip=127.0.0.1" in cmd and "--strip_sources=True" in cmd and "--no-browser" in cmd
    assert "--port=8123" in cmd and "--Voila.port_retries=0" in cmd


def test_template_drops_the_font_awesome_cdn(tmp_path):
    present._write_template(tmp_path)
    folder = tmp_path / "voila" / "templates" / present.TEMPLATE_NAME
    assert json.loads((folder / "conf.json").read_text()) == {"base_template": "lab"}
    text = (folder / "index.html.j2").read_text()
    assert "extends 'lab/index.html.j2'" in text
    for link in present._FONT_AWESOME:
        assert repr(link) in text
    assert present.LABEL_SLIDERS_JS in text


def test_a_taken_port_is_one_line():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(present.PresentError, match=f"port {port} on 127.0.0.1 is not available") as info:
            with present.serve(SLUG, port):
                pass  # pragma: no cover
    assert "\n" not in str(info.value)


def test_projector_copy_leaves_out_what_the_student_edition_leaves_out(tmp_path):
    """The classroom projector is public: it drops exactly the student edition's tags (remove-student too)."""
    import nbformat

    from levelii_kit._protocol import STUDENT_REMOVED_TAGS

    nb = nbformat.v4.new_notebook()
    for tag in sorted(STUDENT_REMOVED_TAGS) + ["caption"]:
        cell = nbformat.v4.new_markdown_cell(f"cell tagged {tag}")
        cell.metadata["tags"] = [tag]
        nb.cells.append(cell)
    nb.cells.append(nbformat.v4.new_code_cell("x = 1", outputs=[nbformat.v4.new_output("stream", text="1\n")]))
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nb, path)
    copy = present._student_copy(path)
    assert [c.source for c in copy.cells] == ["cell tagged caption", "x = 1"]
    assert {"remove-student", "instructor", "solution"} <= STUDENT_REMOVED_TAGS
    assert copy.cells[-1].outputs == [] and copy.cells[-1].execution_count is None
