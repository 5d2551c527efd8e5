"""Every chapter notebook: structure, clean sources, and parameter validation through papermill and `levelii run`."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

import levelii_kit as lk
from levelii_kit.book.execute import execute_notebook
from levelii_kit.chapter import PARAMETER_NAMES, read_records

ROOT = Path(__file__).resolve().parent.parent
SLUGS = sorted(p.parent.name for p in lk.list_cases())


def notebook(slug):
    return nbformat.read(ROOT / "cases" / slug / f"{slug}.ipynb", as_version=4)


def tagged(nb, tag):
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def test_seven_chapters():
    assert SLUGS == sorted(
        [
            "two_level_basics",
            "crowd_outside",
            "german_unification",
            "cuban_missile_jupiters",
            "panama_canal_treaties",
            "camp_david_knesset",
            "newscorp_dow_jones",
        ]
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_source_notebook_is_clean_and_structured(slug):
    path = ROOT / "cases" / slug / f"{slug}.ipynb"
    assert path.exists(), f"{slug}: the chapter notebook is missing"
    raw = json.loads(path.read_text())
    nb = notebook(slug)
    nbformat.validate(nb)
    for cell in raw["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{slug}: outputs committed"
    params = tagged(nb, "parameters")
    assert len(params) == 1
    names = {t.id for node in ast.parse(params[0].source).body for t in getattr(node, "targets", [])}
    assert names == set(PARAMETER_NAMES)
    assert tagged(nb, "instructor") and tagged(nb, "solution"), f"{slug}: instructor notes and solutions"
    assert not any("MARKER" in c.source for c in nb.cells), f"{slug}: no test strings in content"
    assert any("explorer(" in c.source for c in tagged(nb, "live-only"))
    assert any("whatif_figure" in c.source for c in nb.cells if c.cell_type == "code")
    checks = [c for c in nb.cells if c.cell_type == "code" and "exercises.check(" in c.source]
    assert len(checks) >= 2, f"{slug}: at least two exercises with feedback"
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            assert not any(isinstance(n, (ast.FunctionDef, ast.ClassDef)) for n in ast.walk(tree)), (
                f"{slug}: logic belongs in levelii_kit, not in a notebook cell"
            )
            assert len(cell.source.splitlines()) <= 12, f"{slug}: a long code cell:\n{cell.source}"


def test_bad_parameter_stops_the_chapter_in_its_first_cell(tmp_path):
    with pytest.raises(PapermillExecutionError) as info:
        execute_notebook(
            ROOT / "cases/two_level_basics/two_level_basics.ipynb", tmp_path / "out.ipynb", {"moves": ["bogus"]}
        )
    assert info.value.ename == "ParameterError"
    assert "parameter 'moves': unknown move 'bogus'" in info.value.evalue
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    code = [c for c in executed.cells if c.cell_type == "code"]
    failing = next(i for i, c in enumerate(code) if any(o.get("output_type") == "error" for o in c.outputs))
    assert "lk.chapter.setup" in code[failing].source  # the first cell after the parameters
    err = next(o for o in code[failing].outputs if o.get("output_type") == "error")
    assert err["traceback"] == [f"ParameterError: {info.value.evalue}"]  # one line, no traceback


def levelii(*args):
    exe = Path(sys.executable).with_name("levelii")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.mark.parametrize(
    "args, message",
    [
        (["-p", "moves", "[bogus]"], "parameter 'moves': unknown move 'bogus'"),
        (["-p", "strengths", "{B_dove: -2}"], "parameter 'strengths': B_dove must be a finite number >= 0"),
        (["-p", "n_offerz", "3"], "unknown parameter 'n_offerz'"),
        (["-p", "seed", "[unclosed"], "-p seed: cannot read the value"),
    ],
)
def test_levelii_run_validates_before_a_kernel_starts(args, message):
    proc = levelii("run", "two_level_basics", *args)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"levelii: error: {proc.stderr.split('error: ', 1)[1].strip()}"]
    assert message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.notebook
def test_levelii_run_executes_with_parameters(tmp_path):
    out = tmp_path / "run.ipynb"
    proc = levelii("run", "two_level_basics", "-p", "moves", "[their_hawk_veto]", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(out)
    rec = read_records(out)
    assert rec["p_joint_helped"] == pytest.approx(1.0)
