"""Shared helper for chapter tests: execute a chapter with papermill and read the numbers it records."""

from __future__ import annotations

from pathlib import Path

from levelii_kit.book.execute import execute_notebook
from levelii_kit.chapter import read_records

ROOT = Path(__file__).resolve().parent.parent


def run_chapter(slug: str, tmp_path: Path, **parameters) -> dict:
    """Execute cases/<slug>/<slug>.ipynb with the given parameters; return its records."""
    src = ROOT / "cases" / slug / f"{slug}.ipynb"
    out = tmp_path / f"{slug}.ipynb"
    execute_notebook(src, out, parameters, cwd=src.parent, timeout=300)
    return read_records(out)
