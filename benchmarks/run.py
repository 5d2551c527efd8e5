"""Benchmarks for levelii_kit (run with `make bench`; not part of `make test`).

Every figure is a median over repeats, printed beside a same-run baseline: a plain numpy pass over the same
arrays (the support of every constituency at one deal, computed directly). The ratio is what carries over
between machines; the targets are the issue's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np
from scipy.special import expit

import levelii_kit as lk


def median_time(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def numpy_pass(batch):
    """Baseline: one plain numpy pass over the batch's arrays (support at the midpoint of the issue)."""
    x = 0.5 * (batch.low[0] + batch.high[0])
    gain = batch.tolerance - np.abs(x - batch.ideal[..., 0]) - batch.threat
    noise = np.where(batch.noise > 0, batch.noise, 1.0)
    return expit(gain / noise)


def sweep(n, noise, seed):
    rng = np.random.default_rng(seed)
    base = lk.canonical_scenario(noise=noise, softness=noise).batch().repeat(n)
    return base.replace(
        strength=base.strength * rng.uniform(0.5, 2.0, base.strength.shape),
        ideal=base.ideal + rng.uniform(-0.05, 0.05, base.ideal.shape),
    )


def cases(quick):
    scale = 10 if quick else 1
    single = lk.canonical_scenario(noise=0.05, softness=0.05)
    one = single.batch()

    def end_to_end():
        lk.solve(single)
        lk.zopa(single)
        lk.win_set(single, 0)
        lk.win_set(single, 1)

    smooth = sweep(100_000 // scale, 0.05, 1)
    crisp = sweep(1_000_000 // scale, 0.0, 2)
    case = lk.load_case("two_level_basics")
    base = case.scenario_with(["their_hawk_veto"]).with_constituency("B_dove", noise=0.05)
    moves = [m.move for m in case.moves] + [lk.Restraint("A", threat_cut=0.05), lk.Consult("A", target="B_hawk")]
    attribution_batch = lk.ScenarioBatch.from_scenarios(lk.subset_scenarios(base, moves))
    from levelii_kit.widgets import explorer

    german = lk.load_case("german_unification")
    box = explorer(german)
    ex = box.explorer
    slider = next(iter(ex.sliders.values()))
    values = [slider.min + (slider.max - slider.min) * k / 10 for k in range(11)]
    state = {"k": 0}

    def widget_update():
        state["k"] = (state["k"] + 1) % len(values)
        slider.value = values[state["k"]]  # the observer re-solves and updates the FigureWidget in place

    german_scenario = german.scenario
    return [
        (
            "widget update, german_unification (model + FigureWidget)",
            widget_update,
            lambda: numpy_pass(german_scenario.batch()),
            0.05,
            30,
        ),
        ("one scenario end to end (solve, ZOPA, both win-sets)", end_to_end, lambda: numpy_pass(one), 0.005, 50),
        (f"{smooth.size:,} smooth 1-D scenarios", lambda: lk.solve(smooth), lambda: numpy_pass(smooth), 1.0 / scale, 5),
        (f"{crisp.size:,} crisp 1-D scenarios", lambda: lk.solve(crisp), lambda: numpy_pass(crisp), 1.5 / scale, 5),
        (
            f"Shapley attribution over {len(moves)} interventions",
            lambda: lk.helper_ledger(base, moves),
            lambda: numpy_pass(attribution_batch),
            0.5,
            7,
        ),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes, for a smoke run")
    parser.add_argument("--casebook", action="store_true", help="also time papermill per chapter and the whole build")
    parser.add_argument(
        "--rebuild", action="store_true", help="only the build cache: full, unchanged and one-case-edited rebuilds"
    )
    parser.add_argument("--reader", action="store_true", help="also time page paint, figure drawing and the PDF build")
    parser.add_argument("--slides", action="store_true", help="also time each chapter's deck and teaching package")
    parser.add_argument(
        "--slides-build", action="store_true", help="with --slides: the whole build with and without the package"
    )
    args = parser.parse_args(argv)
    if args.rebuild:
        import bench_rebuild

        return bench_rebuild.main()
    print(f"levelii_kit benchmarks (median of repeats; numpy {np.__version__}; python {sys.version.split()[0]})")
    print(f"{'benchmark':58s} {'median':>10s} {'baseline':>10s} {'ratio':>8s} {'target':>8s}")
    failed = 0
    for label, fn, baseline, target, repeats in cases(args.quick):
        if label.startswith("widget update"):
            german_scenario = lk.load_case("german_unification").scenario
            solve_only = median_time(lambda s=german_scenario: lk.solve(s), repeats)
        t = median_time(fn, repeats)
        b = median_time(baseline, repeats)
        ok = t <= target
        failed += not ok
        verdict = "ok" if ok else "SLOW"
        print(f"{label:58s} {t * 1e3:8.1f}ms {b * 1e3:8.2f}ms {t / b:7.0f}x {target * 1e3:6.0f}ms {verdict}")
        if label.startswith("widget update"):
            print(f"{'  (of which the model alone: one solve)':58s} {solve_only * 1e3:8.1f}ms")
    if args.casebook:
        import bench_casebook
        import bench_rebuild

        bench_casebook.main()
        bench_rebuild.main()
    if args.reader:
        import bench_reader

        bench_reader.main()
    if args.slides:
        import bench_slides

        bench_slides.main(["--slides-build"] if args.slides_build else [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
