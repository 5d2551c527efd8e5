"""Rebuild benchmarks: the build cache beside a full build measured in the same run (issue 10).

Each round copies ``cases/`` to a fresh folder with a fresh cache and times, with the build's defaults (both
editions, 2 jobs):

* a **full build** (cold cache: every chapter executed, every page rendered);
* an **unchanged rebuild** (every chapter and page from the cache). Target: at most 15% of the full build;
* a **rebuild after one case file is edited**: the ``period`` of ``german_unification``, the slowest chapter
  (the worst case), then of ``panama_canal_treaties``, a typical one; that chapter is executed again and its
  two pages rendered, the others come from the cache. Target: at most 40% of the full build;
* ``--only`` after the same kind of edit to another chapter (``two_level_basics``): that chapter alone.

Medians of 3 rounds; the ratios are what carries over between machines.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from levelii_kit.book.build import build_casebook

ROOT = Path(__file__).resolve().parents[1]
EDITED = "german_unification"
TYPICAL = "panama_canal_treaties"
ONLY = "two_level_basics"


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def edit_period(case_file: Path, mark: str) -> None:
    """Change the case file's ``period`` (shown in its own chapter only), as an author's edit would."""
    text = case_file.read_text(encoding="utf-8")
    new, count = re.subn(r'(?m)^period: "', f'period: "({mark}) ', text, count=1)
    if count != 1:
        raise SystemExit(f'{case_file}: no `period: "..."` line to edit')
    case_file.write_text(new, encoding="utf-8")


def one_round(tmp: Path, k: int, lines: list[str]) -> tuple[float, float, float, float, float]:
    cases = tmp / f"cases{k}"
    shutil.copytree(ROOT / "cases", cases, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    out, cache = tmp / f"out{k}" / "casebook", tmp / f"cache{k}"

    def build(**kw):
        lines.clear()
        build_casebook(out=out, cases_dir=cases, cache_dir=cache, progress=lines.append, **kw)

    full = timed(build)
    unchanged = timed(build)
    executed = [line for line in lines if line.endswith("s)") and " ... ok (" in line]
    assert not executed, f"an unchanged rebuild executed {executed}"
    edit_period(cases / EDITED / "case.yaml", f"edit {k}")
    edited = timed(build)
    executed = [line.split("] ")[1].split(" ...")[0] for line in lines if " ... ok (" in line]
    assert executed == [EDITED], f"after editing {EDITED} the rebuild executed {executed}"
    edit_period(cases / TYPICAL / "case.yaml", f"edit {k}")
    typical = timed(build)
    edit_period(cases / ONLY / "case.yaml", f"edit {k}")
    only = timed(lambda: build(only=[ONLY]))
    return full, unchanged, edited, typical, only


def main(rounds: int = 3) -> int:
    lines: list[str] = []
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(rounds):
            results.append(one_round(Path(tmp), k, lines))
    full, unchanged, edited, typical, only = (statistics.median(r[i] for r in results) for i in range(5))
    print(f"\n{'casebook rebuilds (build cache), both editions':52s} {'median':>9s} {'of full':>8s} {'target':>7s}")
    print(f"  {'full build, cold cache (the same-run baseline)':50s} {full:8.2f}s")
    for label, value, target in (
        ("unchanged rebuild", unchanged, 0.15),
        (f"rebuild after editing {EDITED}/case.yaml", edited, 0.40),
        (f"rebuild after editing {TYPICAL}/case.yaml", typical, 0.40),
        (f"--only {ONLY} after editing it", only, None),
    ):
        ratio = value / full
        verdict = "" if target is None else ("ok" if ratio <= target else "SLOW")
        target_text = "" if target is None else f"<= {target:.0%}"
        print(f"  {label:50s} {value:8.2f}s {ratio:7.1%} {target_text:>7s} {verdict}")
    runs = ", ".join(
        f"{name} {' / '.join(f'{r[i]:.1f}' for r in results)} s"
        for i, name in enumerate(("full", "unchanged", "edited", "typical", "--only"))
    )
    print(f"  medians of {rounds} rounds (each round's times: {runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
