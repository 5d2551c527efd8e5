"""Execute chapter notebooks with papermill: one kernel per chapter, in parallel, robust to kernel start-up.

:func:`execute_notebook` is the one way the build, ``levelii run`` and the chapter tests run a notebook: on
top of ``papermill.execute_notebook`` it gives the kernel private Unix sockets (no TCP ports to collide),
waits for the kernel's first reply, replaces a kernel that never came up once, and stops the kernel at once
after the last cell. :func:`execute_chapters` runs many chapters, each in a Python process of its own (so a
runaway chapter can be stopped), at most ``jobs`` at a time, and reports every failing chapter in one
:class:`~levelii_kit.errors.BuildError`.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from .._protocol import STATIC_BUILD_ENV
from ..errors import BuildError
from .cache import BuildCache
from .toc import ChapterEntry

__all__ = [
    "DEFAULT_TIMEOUT",
    "KERNEL_START_ATTEMPTS",
    "KERNEL_START_TIMEOUT",
    "execute_chapters",
    "execute_notebook",
    "log_tail",
]

#: Default time limit for one chapter, in seconds (wall clock; also the per-cell limit).
DEFAULT_TIMEOUT = 600.0


def execute_chapters(
    chapters: Iterable[ChapterEntry],
    out_dir: Path | str,
    jobs: int = 2,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
    progress: Callable[[str], Any] | None = print,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    on_done: Callable[[str, Path], Any] | None = None,
    cache: BuildCache | None = None,
    keys: Mapping[str, str] | None = None,
) -> dict[str, Path]:
    """Execute every chapter's notebook with papermill, in parallel, one kernel per chapter.

    Each notebook runs in a Python subprocess of its own (at most ``jobs`` at a time, driven by
    a ``concurrent.futures.ThreadPoolExecutor``) on the ``python3`` kernel, with the chapter's
    folder as working directory, as the design's "The casebook" section asks. Separate
    processes keep chapters apart and let a runaway chapter be stopped. Progress is reported
    once per chapter as it finishes, e.g. ``[2/7] german_unification ... ok (12.3 s)``. All
    chapters run even if one fails, so that one build reports every failing chapter.

    Parameters
    ----------
    chapters : iterable of ChapterEntry
        The chapters to run (see :func:`levelii_kit.book.toc.discover_chapters`).
    out_dir : path-like
        Where the executed notebooks go, as ``<out_dir>/<slug>.ipynb``, with the messages of
        the chapter's process and kernel in ``<out_dir>/<slug>.log``. Created if needed.
    jobs : int, default 2
        Number of notebooks run at the same time.
    parameters : mapping of slug to mapping, optional
        Papermill parameters per chapter, injected after the cell tagged ``parameters``.
    progress : callable or None, default print
        Called with one line of text per finished chapter; None for silence.
    timeout : float, default :data:`DEFAULT_TIMEOUT`
        Seconds a chapter may run (wall clock), and a single cell at most. A chapter whose
        process still runs 30 s after that is killed.
    on_done : callable, optional
        Called as ``on_done(slug, executed_notebook)`` in the calling thread as soon as a
        chapter has run without error (the build starts rendering its pages then).
    cache : BuildCache, optional
        A chapter whose execution key (``keys[slug]``, see :func:`levelii_kit.book.cache.execution_key`) is
        in the cache is copied from it instead of run (``[1/7] slug ... from the cache``); a chapter that
        ran without error is stored in it.
    keys : mapping of slug to str, optional
        The chapters' execution keys; required with ``cache``.

    Returns
    -------
    dict of str to pathlib.Path
        The executed notebook of each chapter, by slug.

    Raises
    ------
    BuildError
        ``chapter <slug> failed: <ename>: <evalue>`` (the failing cell's error, as papermill's
        ``PapermillExecutionError`` reports it); if several chapters fail, one clause each,
        separated by ``;``.
    """
    chapters = list(chapters)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parameters = dict(parameters or {})
    unknown = sorted(set(parameters) - {c.slug for c in chapters})
    if unknown:
        raise BuildError(f"parameters given for unknown chapter(s): {', '.join(unknown)}")
    if jobs < 1:
        raise BuildError(f"jobs must be at least 1, not {jobs}")
    if not chapters:
        return {}
    say = progress or (lambda line: None)
    total, cached = len(chapters), {}
    if cache is not None:
        chapters, cached = _from_cache(chapters, out_dir, cache, dict(keys or {}), say, on_done)
        if not chapters:
            return cached
    jobs_args = [
        {
            "slug": c.slug,
            "input": str(c.notebook.resolve()),
            "output": str((out_dir / f"{c.slug}.ipynb").resolve()),
            "log": str((out_dir / f"{c.slug}.log").resolve()),
            "result": str((out_dir / f".{c.slug}.result.json").resolve()),
            "cwd": str(c.folder.resolve()),
            "parameters": dict(parameters.get(c.slug, {})),
            "timeout": float(timeout),
        }
        for c in chapters
    ]
    running: dict[str, subprocess.Popen] = {}
    results: dict[str, dict[str, Any]] = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(jobs, len(chapters))) as pool:
        futures = [pool.submit(_run_chapter_process, args, running) for args in jobs_args]
        try:
            for done, future in enumerate(concurrent.futures.as_completed(futures), start=len(cached) + 1):
                result = future.result()
                results[result["slug"]] = result
                status = "ok" if result["ok"] else f"FAILED: {result['ename']}"
                if result.get("kernel_starts", 1) > 1:
                    status += f", kernel started {result['kernel_starts']} times"
                say(f"[{done}/{total}] {result['slug']} ... {status} ({result['seconds']:.1f} s)")
                if result["ok"] and cache is not None:
                    cache.store(result["slug"], keys[result["slug"]], result["output"], result["seconds"])
                if result["ok"] and on_done is not None:
                    on_done(result["slug"], Path(result["output"]))
        except BaseException:  # e.g. Ctrl-C: stop every chapter still running, then give up
            for future in futures:
                future.cancel()
            for proc in list(running.values()):
                _kill(proc)
            raise
    failures = [
        (c.slug, f"{results[c.slug]['ename']}: {results[c.slug]['evalue']}")
        for c in chapters
        if not results[c.slug]["ok"]
    ]
    if failures:
        message = "; ".join(f"chapter {slug} failed: {error}" for slug, error in failures)
        raise BuildError(message, failures)
    return cached | {c.slug: Path(results[c.slug]["output"]) for c in chapters}


def _from_cache(
    chapters: list[ChapterEntry],
    out_dir: Path,
    cache: BuildCache,
    keys: dict[str, str],
    say: Callable[[str], Any],
    on_done: Callable[[str, Path], Any] | None,
) -> tuple[list[ChapterEntry], dict[str, Path]]:
    """Copy every chapter whose execution is cached into ``out_dir``; return the chapters left to run and those
    copied (by slug)."""
    missing = [c.slug for c in chapters if c.slug not in keys]
    if missing:
        raise BuildError(f"no execution key for chapter(s) {', '.join(missing)}")
    left, cached = [], {}
    for chapter in chapters:
        target = out_dir / f"{chapter.slug}.ipynb"
        if not cache.fetch(chapter.slug, keys[chapter.slug], target):
            left.append(chapter)
            continue
        cached[chapter.slug] = target
        say(f"[{len(cached)}/{len(chapters)}] {chapter.slug} ... from the cache (inputs unchanged)")
        if on_done is not None:
            on_done(chapter.slug, target)
    return left, cached


#: Seconds after ``timeout`` before a chapter's process is killed outright.
_KILL_GRACE = 30.0

_CHILD_CODE = "import sys; from levelii_kit.book.execute import _execute_job; _execute_job(sys.argv[1])"


def _kill(proc: subprocess.Popen) -> None:
    """Kill a chapter's process group (the process and anything it started in its session)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        proc.kill()


def _run_chapter_process(job: Mapping[str, Any], running: dict[str, subprocess.Popen]) -> dict[str, Any]:
    """Run one chapter in a fresh Python process and return its outcome (never raises)."""
    start = time.perf_counter()
    env = dict(os.environ)
    env[STATIC_BUILD_ENV] = "1"  # no kernel behind the HTML: no live explorer, figures as plotly JSON only
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    result_path = Path(job["result"])
    result_path.unlink(missing_ok=True)
    outcome: dict[str, Any] = {"slug": job["slug"], "output": job["output"]}
    with open(job["log"], "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", _CHILD_CODE, json.dumps(dict(job))],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=os.name == "posix",
        )
        running[job["slug"]] = proc
        try:
            proc.wait(timeout=job["timeout"] + _KILL_GRACE)
        except subprocess.TimeoutExpired:
            _kill(proc)
            proc.wait()
        finally:
            running.pop(job["slug"], None)
    try:
        outcome.update(json.loads(result_path.read_text(encoding="utf-8")))
        result_path.unlink()
    except (OSError, ValueError):
        if proc.returncode is not None and proc.returncode < 0:
            evalue = f"chapter ran longer than {job['timeout']:g} s and was stopped"
            outcome.update(ok=False, ename="TimeoutError", evalue=evalue)
        else:
            evalue = f"its process ended with code {proc.returncode}: {log_tail(job['log'])}"
            outcome.update(ok=False, ename="BuildWorkerError", evalue=evalue)
    outcome["seconds"] = time.perf_counter() - start
    return outcome


def log_tail(path: Path | str, lines: int = 3, sep: str = " | ") -> str:
    """The last few non-blank lines of a log, joined by ``sep`` (a chapter's log goes with a failed build).

    Parameters
    ----------
    path : path-like
    lines : int, default 3
    sep : str, default " | "

    Returns
    -------
    str
        The lines, or a short note when the log is missing or empty.
    """
    try:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "no log was written"
    tail = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    return sep.join(tail) if tail else "its log is empty"


def _one_line(text: Any, limit: int = 300) -> str:
    """Collapse an error value to one line of at most ``limit`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@contextlib.contextmanager
def _wall_clock_limit(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the main thread after ``seconds`` (POSIX; no-op elsewhere)."""
    if not (seconds and seconds > 0 and hasattr(signal, "setitimer")):
        yield
        return

    def _expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"chapter ran longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


#: How often a chapter's kernel is started before the chapter is reported as failed. A kernel
#: that never answers its first ``kernel_info`` request, or dies before it, is replaced once:
#: nothing of the notebook has run then, so a fresh kernel changes nothing but the outcome.
KERNEL_START_ATTEMPTS = 2

#: Seconds papermill waits for a kernel's first reply (papermill's own default is 60 s).
KERNEL_START_TIMEOUT = 120

#: The messages jupyter_client raises when a kernel does not come up.
_KERNEL_START_FAILURES = ("Kernel didn't respond", "Kernel died before replying to kernel_info")


def _kernel_failed_to_start(exc: BaseException) -> bool:
    """True for jupyter_client's "the kernel never came up" errors (no cell has run yet)."""
    return isinstance(exc, RuntimeError) and any(m in str(exc) for m in _KERNEL_START_FAILURES)


@contextlib.contextmanager
def _kernel_config() -> Iterator[Any]:
    """A traitlets ``Config`` that gives the chapter's kernel private Unix sockets (POSIX).

    Over TCP, jupyter_client picks five free ports and only later does the kernel bind them, so
    kernels started at the same moment by different processes (two build jobs, a test run, a
    Voila server) can be handed the same port. The kernel then either dies or, when the port is
    its IOPub one, stays alive without ever answering: papermill's "Kernel didn't respond in 60
    seconds". Sockets named after a fresh connection file in a private folder cannot collide.
    Elsewhere (Windows, or a temporary folder whose path is too long for a socket name) the
    default TCP transport is kept.
    """
    from traitlets.config import Config

    config = Config()
    if os.name != "posix":
        yield config
        return
    folder = tempfile.mkdtemp(prefix="levelii-kernel-")
    connection_file = os.path.join(folder, "kernel.json")
    if len(connection_file) + len("-ipc-99999") < 100:  # sun_path holds 107 bytes on Linux
        config.KernelManager.transport = "ipc"
        config.KernelManager.connection_file = connection_file
    try:
        yield config
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def execute_notebook(
    input_path: Path | str,
    output_path: Path | str,
    parameters: Mapping[str, Any] | None = None,
    *,
    cwd: Path | str | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> int:
    """Execute one notebook with papermill on the ``python3`` kernel, robust to kernel start-up.

    This is how the build, ``levelii run`` and the chapter tests run a notebook. On top of
    ``papermill.execute_notebook`` it gives the kernel private Unix sockets instead of TCP ports
    (see :func:`_kernel_config`), waits up to :data:`KERNEL_START_TIMEOUT` seconds for the
    kernel's first reply and replaces a kernel that never came up (at most
    :data:`KERNEL_START_ATTEMPTS` starts, each failure noted on standard error), and stops the
    kernel at once when the last cell is done. A failing cell is never retried.

    Parameters
    ----------
    input_path, output_path : path-like
        The notebook and where to write the executed copy.
    parameters : mapping, optional
        Papermill parameters, injected after the cell tagged ``parameters``.
    cwd : path-like, optional
        The kernel's working directory.
    timeout : float or None, default :data:`DEFAULT_TIMEOUT`
        Seconds one cell may run; None for no limit.

    Returns
    -------
    int
        How many kernels were started (1 unless one failed to come up).

    Raises
    ------
    papermill.exceptions.PapermillExecutionError
        A cell raised; its ``ename`` and ``evalue`` name the error.
    RuntimeError
        The kernel did not come up in any attempt.
    """
    import papermill

    starts = 0
    while True:
        starts += 1
        try:
            with _kernel_config() as config:
                papermill.execute_notebook(
                    str(input_path),
                    str(output_path),
                    parameters=dict(parameters) if parameters else None,
                    kernel_name="python3",
                    language="python",
                    cwd=None if cwd is None else str(cwd),
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    start_timeout=KERNEL_START_TIMEOUT,
                    execution_timeout=None if timeout is None else int(math.ceil(timeout)),
                    config=config,
                    # every output is in once the last cell is idle; a graceful shutdown only waits
                    # (ipykernel 7 at times ignores the shutdown request: 2.5 s, then SIGTERM)
                    shutdown_kernel="immediate",
                )
            return starts
        except RuntimeError as exc:
            if starts >= KERNEL_START_ATTEMPTS or not _kernel_failed_to_start(exc):
                raise
            print(
                f"levelii: kernel start {starts} failed ({exc}); starting a fresh kernel", file=sys.stderr, flush=True
            )


def _execute_job(job_json: str) -> None:
    """Body of a chapter's process: run the notebook with :func:`execute_notebook`.

    The outcome (``ok``, and ``ename``/``evalue`` on failure; ``kernel_starts`` when a kernel had
    to be replaced) goes to ``job["result"]`` as JSON; papermill's ``PapermillExecutionError``
    supplies the failing cell's error.
    """
    import logging

    job = json.loads(job_json)
    logging.basicConfig(level=logging.WARNING)
    outcome: dict[str, Any] = {"ok": True}
    try:
        from papermill.exceptions import PapermillExecutionError

        try:
            with _wall_clock_limit(job["timeout"]):
                starts = execute_notebook(
                    job["input"], job["output"], job["parameters"], cwd=job["cwd"], timeout=job["timeout"]
                )
            if starts > 1:
                outcome["kernel_starts"] = starts
        except PapermillExecutionError as exc:
            outcome = {"ok": False, "ename": exc.ename, "evalue": _one_line(exc.evalue)}
    except Exception as exc:  # noqa: BLE001 - reported to the parent as the chapter's error
        outcome = {"ok": False, "ename": type(exc).__name__, "evalue": _one_line(exc)}
    Path(job["result"]).write_text(json.dumps(outcome), encoding="utf-8")
