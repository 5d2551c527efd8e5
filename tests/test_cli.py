"""The levelii command line: exit codes, one-line errors, and the golden numbers in `levelii show`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from levelii_kit.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    proc = subprocess.run(
        [sys.executable, "-m", "levelii_kit.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert "Traceback" not in proc.stderr
    return proc


@pytest.mark.parametrize("command", [[], ["list"], ["check"], ["show"]])
def test_help(command, capsys):
    with pytest.raises(SystemExit) as info:
        main(command + ["--help"])
    assert info.value.code == 0
    assert "usage: levelii" in capsys.readouterr().out


def test_list(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "two_level_basics" in out and "interventions" in out
    row = next(line for line in out.splitlines() if line.startswith("two_level_basics"))
    assert row.split()[-3:] == ["2", "6", "6"]


def test_check_all_cases(capsys):
    assert main(["check"]) == 0
    assert "ok" in capsys.readouterr().out


def test_show_prints_the_golden_numbers(capsys):
    assert main(["show", "two_level_basics"]) == 0
    out = capsys.readouterr().out
    assert "ZOPA: [0.4, 0.6]" in out
    assert "win-set A: [0, 0.6]" in out and "win-set B: [0.4, 1]" in out
    assert "deal: x = 0.5" in out and "chance of agreement 1" in out
    assert "expected value for A's leader: -0.5 (no agreement: -0.6)" in out


def test_show_with_moves(capsys):
    assert main(["show", "two_level_basics", "--move", "our_hawk_veto"]) == 0
    assert "deal: x = 0.45" in capsys.readouterr().out
    assert main(["show", "two_level_basics", "--move", "their_hawk_veto,inflame_their_hawk"]) == 0
    assert "no deal: empty ZOPA" in capsys.readouterr().out


@pytest.mark.parametrize(
    "args, message",
    [
        (["show", "nope"], "no such case"),
        (["show", "two_level_basics", "--move", "bogus"], "unknown move 'bogus'"),
        (["show", "two_level_basics", "--strength", "B_dove"], "NAME=VALUE"),
        (["show", "two_level_basics", "--strength", "B_dove=lots"], "expected a number"),
        (["show", "two_level_basics", "--strength", "nobody=1"], "unknown constituency"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_user_errors_are_one_line(args, message):
    proc = run(*args)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("levelii: error:")]
    assert len(errors) == 1 and message in errors[0], proc.stderr


def test_check_reports_each_problem(tmp_path):
    bad = tmp_path / "case.yaml"
    bad.write_text(
        (ROOT / "cases/two_level_basics/case.yaml")
        .read_text()
        .replace("strength: 1.0", "strength: -1")
        .replace("target: B_dove", "target: nobody")
    )
    proc = run("check", str(bad))
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    assert any("interventions[5] (empower_their_doves).target: unknown constituency 'nobody'" in line for line in lines)
    # every line names its file: the case file, or (for a case folder) the chapter notebook beside it
    assert all(line.startswith((str(bad), str(bad.parent / f"{bad.parent.name}.ipynb"))) for line in lines), lines


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("levelii")
    assert exe.exists()
    proc = subprocess.run([str(exe), "check", "-q"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
