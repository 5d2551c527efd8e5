"""The reader's casebook (issue 11): how fast a chapter page paints and draws, beside the glossary page.

Builds the casebook once (both editions, with the PDFs), then, in Debian's Chromium (Playwright, every non-file
request blocked), loads the German chapter and the glossary page alternately, 3 times each, and reports medians:

* first contentful paint (``performance``'s ``first-contentful-paint``) of the chapter beside the glossary's;
  target: at most 1.5x the glossary's, plus 100 ms;
* the time from navigation until a figure the reader jumps to (``german_unification.html#figure-N``, the
  chapter's third-from-last figure) has been drawn; target: at most 3x the glossary's first paint, plus 0.6 s;
* the plotly bundle's size beside the full bundle of the Python package;
* the PDF build time (both editions, two prints each).

Each load uses a fresh browser context (no cache shared between loads).
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

_FCP = """() => new Promise(done => {
  const seen = performance.getEntriesByName('first-contentful-paint');
  if (seen.length) return done(seen[0].startTime);
  new PerformanceObserver(list => { const e = list.getEntriesByName('first-contentful-paint');
    if (e.length) done(e[0].startTime); }).observe({type: 'paint', buffered: true});
})"""

_DRAWN = """(id) => new Promise(done => {
  const check = () => { const f = document.getElementById(id);
    if (f && f.querySelector('.main-svg')) return done(performance.now());
    requestAnimationFrame(check); };
  check();
})"""


def _load(browser, url, figure=None):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page = context.new_page()
    page.goto(url, wait_until="commit")
    fcp = page.evaluate(_FCP)
    drawn = page.evaluate(_DRAWN, figure) if figure else None
    context.close()
    return fcp / 1000, (drawn / 1000 if drawn is not None else None)


def main(loads: int = 3) -> int:
    from playwright.sync_api import sync_playwright
    from plotly.offline import get_plotlyjs

    from levelii_kit.book.build import build_casebook
    from levelii_kit.book.printbook import print_edition
    from levelii_kit.book.toc import discover_chapters, load_book, order_chapters

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "casebook"
        t0 = time.perf_counter()
        build_casebook(out=out, cases_dir=ROOT / "cases", progress=None)
        build_time = time.perf_counter() - t0
        book = load_book()
        chapters = order_chapters(discover_chapters(ROOT / "cases"), book)
        t0 = time.perf_counter()
        pages = [print_edition(chapters, e, out / e, book.for_edition(e)).pages for e in ("student", "instructor")]
        pdf_time = time.perf_counter() - t0

        edition = out / "student"
        chapter = edition / "german_unification.html"
        n_figures = chapter.read_text(encoding="utf-8").count('<figure class="cb-figure" id="figure-')
        target = f"figure-{max(1, n_figures - 2)}"
        fcp_chapter, fcp_glossary, jumps = [], [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
            _load(browser, chapter.as_uri())  # warm the file cache once
            for _ in range(loads):
                fcp_glossary.append(_load(browser, (edition / "glossary.html").as_uri())[0])
                fcp_chapter.append(_load(browser, chapter.as_uri())[0])
                jumps.append(_load(browser, f"{chapter.as_uri()}#{target}", target)[1])
            browser.close()
        bundle = (edition / "plotly.min.js").read_bytes()
        full = get_plotlyjs().encode()

    med = statistics.median
    g, c, j = med(fcp_glossary), med(fcp_chapter), med(jumps)
    fcp_target, jump_target = 1.5 * g + 0.1, 3 * g + 0.6
    print(f"\nreader's casebook (issue 11), medians of {loads} loads each, alternating, in Chromium from file://")
    print(f"{'first contentful paint, glossary page':52s} {g * 1e3:8.0f} ms  (baseline)")
    print(
        f"{'first contentful paint, german_unification':52s} {c * 1e3:8.0f} ms  ratio {c / g:4.2f}x  "
        f"target <= {fcp_target * 1e3:.0f} ms {'ok' if c <= fcp_target else 'SLOW'}"
    )
    print(
        f"{f'figure drawn after a jump to #{target}':52s} {j * 1e3:8.0f} ms  ratio {j / g:4.2f}x  "
        f"target <= {jump_target * 1e3:.0f} ms {'ok' if j <= jump_target else 'SLOW'}"
    )
    print(
        f"{'plotly bundle shipped':52s} {len(bundle) / 1e6:8.2f} MB  ({len(gzip.compress(bundle)) / 1e6:.2f} MB gzip); "
        f"full bundle {len(full) / 1e6:.2f} MB, ratio {len(bundle) / len(full):.2f}"
    )
    print(f"{'PDF build, both editions (two prints each)':52s} {pdf_time:8.1f} s   ({pages[0]} + {pages[1]} pages)")
    print(f"  loads: glossary {_ms(fcp_glossary)}; chapter {_ms(fcp_chapter)}; jump {_ms(jumps)} ms")
    print(f"  (the casebook build before it took {build_time:.1f} s)")
    return 0


def _ms(values):
    return ", ".join(f"{v * 1e3:.0f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
