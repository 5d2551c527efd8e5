"""The benchmarks stay runnable: ``make bench`` is not part of ``make test``, so a renamed build internal would only
show up the next time someone benchmarks (it did once: the slides benchmark patched a function the build cache had
replaced, and the reader's benchmark printed the student edition with an instructor-only page in its contents)."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


@pytest.fixture(scope="module", autouse=True)
def _benchmarks_importable():
    sys.path.insert(0, str(BENCHMARKS))
    yield
    sys.path.remove(str(BENCHMARKS))


@pytest.mark.parametrize("name", sorted(p.stem for p in BENCHMARKS.glob("*.py")))
def test_every_benchmark_module_imports(name):
    """Each module imports (no side effects at import: the benchmarks run only from ``main``)."""
    assert callable(importlib.import_module(name).main)


def test_the_names_the_slides_benchmark_replaces_exist():
    """``bench_slides.whole_build`` times the build without the teaching package by replacing three names; each must
    exist in the module it is replaced in, or the "without" build silently measures something else (or fails)."""
    from levelii_kit.book import build, package, render

    tree = ast.parse((BENCHMARKS / "bench_slides.py").read_text(encoding="utf-8"))
    replaced = {
        ast.unparse(target)
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Attribute)
    }
    assert replaced == {"build._submit_packages", "package.trace_types", "render.package.links_for"}
    modules = {"build": build, "package": package, "render": render}
    for dotted in replaced:
        owner, *attrs = dotted.split(".")
        obj = modules[owner]
        for attr in attrs:
            assert hasattr(obj, attr), f"benchmarks/bench_slides.py replaces {dotted}, which does not exist"
            obj = getattr(obj, attr)


def test_the_reader_benchmark_prints_each_edition_with_its_own_front_matter():
    """The instructor-only pages (Writing a chapter) are not in the student edition, so the PDF benchmark must print
    with ``book.for_edition(edition)``, as the build does."""
    source = (BENCHMARKS / "bench_reader.py").read_text(encoding="utf-8")
    call = next(
        n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and ast.unparse(n.func) == "print_edition"
    )
    assert ast.unparse(call.args[3]) == "book.for_edition(e)"
