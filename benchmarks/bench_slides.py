"""The debrief decks and the teaching package (issue 12): how long each takes, beside the model work they need.

Per chapter, medians over repeats, in one run:

* **baseline**: the model work a deck needs and nothing else: :func:`levelii_kit.chapter.setup` (the baseline and
  the helped scenario, solved) and the helper's ledger (every subset of the helping moves, solved as one batch);
* **deck**: :func:`levelii_kit.book.slides.build_deck` into a folder whose assets are already there (as in the
  casebook): the model work, every figure, the HTML written;
* **package**: :func:`levelii_kit.book.package.write_chapter_package`: the deck, the role brief pages and the
  handouts PDF (printed by Chromium), as the casebook build writes them into the instructor edition.

With ``--slides-build`` it also builds the whole casebook (both editions, ``--jobs 2``) with and without the
teaching package, alternately, and reports the medians: the package runs in the build's worker processes while
the notebooks execute, so its cost is what it adds to the wall time, not its own duration.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def per_chapter(repeats: int = 3, package_repeats: int = 2) -> None:
    """Print the deck and package times of every chapter beside the baseline."""
    import levelii_kit as lk
    from levelii_kit.book import package, slides
    from levelii_kit.chapter import setup

    slugs = [p.parent.name for p in lk.list_cases()]
    print(f"\ndecks and teaching packages (median of {repeats} deck runs, {package_repeats} package runs; seconds)")
    print(f"{'chapter':26s} {'baseline':>9s} {'deck':>7s} {'ratio':>6s} {'package':>8s} {'slides':>7s}")
    with tempfile.TemporaryDirectory(prefix="levelii-bench-slides-") as tmp:
        tmp = Path(tmp)
        edition = tmp / "instructor"
        package.write_shared(edition)
        assets = edition / package.FOLDER / slides.ASSETS_DIR
        _ = setup("two_level_basics").ledger  # warm-up: imports, caches
        decks, packages = [], []
        for slug in slugs:
            case = lk.load_case(slug)
            base = _median(lambda c=case: setup(c).ledger, repeats)
            result = {}

            def deck(c=case, s=slug, out=result):
                out["deck"] = slides.build_deck(c, tmp / s / "slides.html", assets=assets, plotly_js="x.js")

            d = _median(deck, repeats)
            p = _median(lambda c=case: package.write_chapter_package(c.path, edition), package_repeats)
            decks.append(d)
            packages.append(p)
            print(f"{slug:26s} {base:9.3f} {d:7.2f} {d / base:5.0f}x {p:8.2f} {result['deck'].slides:7d}")
        print(
            f"{'median over the chapters':26s} {'':9s} {statistics.median(decks):7.2f} {'':6s} "
            f"{statistics.median(packages):8.2f}"
        )
        print(f"{'total (one after another)':26s} {'':9s} {sum(decks):7.2f} {'':6s} {sum(packages):8.2f}")


def whole_build(repeats: int = 2) -> None:
    """Print the casebook build's wall time with and without the teaching package (alternating runs)."""
    from levelii_kit.book import build, package, render

    real = (build._submit_packages, package.trace_types, render.package.links_for)

    def without():
        build._submit_packages = lambda *a, **k: []
        package.trace_types = lambda *a, **k: set()
        render.package.links_for = lambda *a, **k: None

    def restore():
        build._submit_packages, package.trace_types, render.package.links_for = real

    times = {"without the package": [], "with the package": []}
    with tempfile.TemporaryDirectory(prefix="levelii-bench-build-") as tmp:
        for _ in range(repeats):
            for label in times:
                if label.startswith("without"):
                    without()
                try:
                    start = time.perf_counter()
                    build.build_casebook(
                        out=Path(tmp) / "casebook", cases_dir=ROOT / "cases", progress=None, jobs=2, cache=False
                    )
                    times[label].append(time.perf_counter() - start)
                finally:
                    restore()
    import levelii_kit as lk

    cases = [lk.load_case(p) for p in lk.list_cases()]
    with_roles = [c for c in cases if c.roles]
    a, b = (statistics.median(v) for v in times.values())
    what = f"{len(cases)} decks, {sum(len(c.roles) for c in cases)} brief pages, {len(with_roles)} PDFs"
    print(f"\nthe whole casebook, both editions, --jobs 2 (median of {repeats} alternating builds)")
    print(f"{'without the teaching package':48s} {a:7.1f} s")
    print(f"{'with it (' + what + ')':48s} {b:7.1f} s   ratio {b / a:.2f}")


def main(argv=None) -> int:
    """Run the slide benchmarks (``benchmarks/run.py --slides``)."""
    argv = sys.argv[1:] if argv is None else argv
    per_chapter()
    if "--slides-build" in argv:
        whole_build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
