"""A real ``levelii class`` server process on 127.0.0.1, for the class session's load, crash and browser tests and
for ``benchmarks/bench_class.py`` (one way to start it, read its URLs and stop it)."""

from __future__ import annotations

import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

SLUG = "two_level_basics"


class ClassServer(NamedTuple):
    """A started ``levelii class`` process and the URLs it printed."""

    proc: subprocess.Popen
    student_url: str
    instructor_url: str
    token: str


def start_server(db: Path | str, timeout: float = 60.0, slug: str = SLUG) -> ClassServer:
    """Start ``levelii class SLUG`` on a free port of 127.0.0.1 with its database at ``db``.

    Waits (at most ``timeout`` seconds) for the ``Press Ctrl+C`` line; raises RuntimeError, with what the process
    printed, if the students' or the instructor's URL did not appear.
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "levelii_kit.cli", "class", slug, "--port", "0", "--db", str(db), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stdout], daemon=True).start()
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline and not (seen and seen[-1].startswith("Press Ctrl+C")):
        try:
            seen.append(lines.get(timeout=0.5))
        except queue.Empty:
            if proc.poll() is not None:
                break
    text = "".join(seen)
    student = re.search(r"^students: (\S+)$", text, re.M)
    instructor = re.search(r"^instructor: (\S+\?token=(\S+))$", text, re.M)
    if not (student and instructor):
        proc.kill()
        proc.wait(10)
        raise RuntimeError(f"levelii class did not start:\n{text}\n{proc.stderr.read()}")
    return ClassServer(proc, student.group(1), instructor.group(1), instructor.group(2))


def stop(proc: subprocess.Popen) -> None:
    """Stop the server as Ctrl+C would (SIGINT), killing it after 10 s; close its pipes."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()
