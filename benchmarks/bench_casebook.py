"""Casebook benchmarks: papermill time per chapter and the whole build, each beside a same-run floor.

* papermill per chapter: executing each chapter with its defaults as the build does
  (``levelii_kit.book.execute.execute_notebook`` with the static-build flag), beside executing an empty notebook
  (a markdown cell and the parameters cell) in the same way; medians of 3;
* the whole casebook build (both editions), beside the floor: the same build over empty notebooks, one per
  chapter (papermill plus rendering, nothing else); medians of 3 builds each, run alternately.
  Target: at most 2x the floor;
* page size: the median chapter page, plotly.min.js aside (target <= 600 KB);
* self-study: the time the chapters' kernels spend precomputing every exercise's sealed verdicts and every
  prediction's comparison lines (``levelii_kit.exercises.form`` and ``levelii_kit.predictions.form`` for each,
  as ``lk.widgets.exercise`` and ``lk.widgets.prediction`` call them during a build), summed over all chapters
  as if run one after another, beside the whole build's wall time; median of 5. Target: at most 10%.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from levelii_kit._protocol import STATIC_BUILD_ENV
from levelii_kit.book.build import build_casebook
from levelii_kit.book.execute import execute_notebook
from levelii_kit.book.toc import discover_chapters

ROOT = Path(__file__).resolve().parents[1]


def empty_notebook(path: Path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# empty"),
        nbformat.v4.new_code_cell("strengths = {}\nmoves = None\nseed = 2026"),
    ]
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def empty_cases(tmp: Path) -> Path:
    out = tmp / "cases"
    for chapter in discover_chapters(ROOT / "cases"):
        folder = out / chapter.slug
        folder.mkdir(parents=True)
        shutil.copy(chapter.case_file, folder / "case.yaml")
        empty_notebook(folder / f"{chapter.slug}.ipynb")
    return out


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def selfstudy_forms():
    """Every exercise and prediction form of every chapter, computed as a build's kernels compute them."""
    from levelii_kit import exercises, predictions
    from levelii_kit.casefile import load_case

    for chapter in discover_chapters(ROOT / "cases"):
        case = load_case(chapter.case_file)
        for e in case.teaching["exercises"]:
            exercises.form(case, e["id"])
        for p in case.predictions:
            predictions.form(case, p.id)


def main(builds: int = 3):
    quiet = lambda *a, **k: None  # noqa: E731
    os.environ[STATIC_BUILD_ENV] = "1"  # as the build runs chapters (its kernels inherit this)
    chapters = discover_chapters(ROOT / "cases")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empty = tmp / "empty.ipynb"
        empty_notebook(empty)
        out = tmp / "out.ipynb"
        floor = statistics.median(timed(lambda: execute_notebook(empty, out)) for _ in range(3))
        print(f"\n{'papermill, one chapter (as the build runs it)':44s} {'median':>9s} {'empty nb':>9s} {'ratio':>6s}")
        for chapter in chapters:
            t = statistics.median(
                timed(lambda c=chapter: execute_notebook(c.notebook, out, cwd=c.folder)) for _ in range(3)
            )
            print(f"  {chapter.slug:42s} {t:8.2f}s {floor:8.2f}s {t / floor:5.1f}x")
        del os.environ[STATIC_BUILD_ENV]

        cases = empty_cases(tmp)
        floors, reals = [], []
        for k in range(builds):  # alternate, so that machine noise hits both alike
            floors.append(
                timed(lambda k=k: build_casebook(out=tmp / f"floor{k}" / "casebook", cases_dir=cases, progress=quiet))
            )
            reals.append(
                timed(
                    lambda k=k: build_casebook(
                        out=tmp / f"real{k}" / "casebook", cases_dir=ROOT / "cases", progress=quiet
                    )
                )
            )
        real, floor_build = statistics.median(reals), statistics.median(floors)
        ratio = real / floor_build
        print(
            f"\n{'whole casebook build, both editions':44s} {real:8.2f}s floor {floor_build:.2f}s  "
            f"ratio {ratio:.2f}x (target <= 2x) {'ok' if ratio <= 2 else 'SLOW'}"
        )
        print(
            f"  medians of {builds} builds each, run alternately; builds {', '.join(f'{t:.1f}' for t in reals)} s, "
            f"floors {', '.join(f'{t:.1f}' for t in floors)} s"
        )
        forms = statistics.median(timed(selfstudy_forms) for _ in range(5))
        share = forms / real
        print(
            f"{'self-study forms, all chapters (in kernels)':44s} {forms:8.2f}s of the build's {real:.2f}s: "
            f"{share:.1%} (target <= 10%) {'ok' if share <= 0.10 else 'SLOW'}"
        )
        slugs = {c.slug for c in chapters}
        sizes = [p.stat().st_size for p in (tmp / "real0" / "casebook").glob("*/*.html") if p.stem in slugs]
        med = statistics.median(sizes) / 1024
        print(
            f"{'median chapter page (plotly.min.js aside)':44s} {med:8.0f} KB (target <= 600 KB) "
            f"{'ok' if med <= 600 else 'TOO BIG'}; largest {max(sizes) / 1024:.0f} KB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
