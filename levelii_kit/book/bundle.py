"""The JavaScript the casebook ships: a partial plotly.js bundle and the vendored MiniSearch, built with Node.

A chapter page used to load the whole ``plotly.min.js`` of the Python package (4.8 MB, every trace type) before
painting any text (issue 11). The book draws only a few trace types, so the build makes a bundle of just those:

1. :func:`trace_types` reads the executed notebooks and collects the ``type`` of every trace in their plotly
   outputs (``scatter`` when a trace names none, as plotly.js does);
2. :func:`plotly_bundle` registers the matching modules of the npm package ``plotly.js`` (``plotly.js/lib/<type>``
   on ``plotly.js/lib/core``, which already holds ``scatter``, the sliders and the button menus), at the version
   the installed Python plotly bundles (``plotly.offline.get_plotlyjs_version()``), and bundles and minifies them
   with esbuild, with the settings of plotly.js's own ``esbuild-config.js`` (an IIFE named ``Plotly``, ``global``
   defined as ``window``). The result is cached under ``casebook/node_modules/.cache/levelii/``, keyed by the
   version, the trace types and the lockfile, so a rebuild costs nothing;
3. without Node, without ``casebook/node_modules`` (``make`` installs it with ``npm ci --prefix casebook``), with
   a version that differs from the Python plotly's, or with a trace type plotly.js has no module for, the build
   ships the full bundle of the Python package and says why in the build log (:attr:`PlotlyBundle.note`).

Everything comes from the npm registry through ``casebook/package.json`` and its lockfile; nothing from a CDN.
Set ``LEVELII_NO_NODE=1`` to build as if Node were missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .._protocol import PLOTLY_MIME

__all__ = [
    "NO_NODE_ENV",
    "PlotlyBundle",
    "node_tools",
    "plotly_bundle",
    "run_node",
    "trace_types",
]

#: Set to a non-empty value to build as if Node were missing (the fallbacks: full plotly bundle, plain search).
NO_NODE_ENV = "LEVELII_NO_NODE"

#: Trace types that ``plotly.js/lib/core`` registers itself.
CORE_TRACES = frozenset({"scatter"})

#: esbuild's settings, those of plotly.js's own ``esbuild-config.js`` for its dist bundles.
_ESBUILD_FLAGS = (
    "--bundle",
    "--minify",
    "--format=iife",
    "--global-name=Plotly",
    "--define:global=window",
    "--define:define.amd=false",
    "--target=es2016",
    "--loader:.css=empty",  # only the map traces import CSS, and the book has none
    "--log-level=error",
    "--legal-comments=none",
)


@dataclass(frozen=True)
class PlotlyBundle:
    """The plotly.js the casebook ships.

    Attributes
    ----------
    text : str
        The minified JavaScript; defines the global ``Plotly``.
    kind : {"partial", "full"}
        A bundle of ``traces`` only, or the full bundle of the Python package.
    traces : tuple of str
        The trace types the chapters draw (sorted).
    version : str
        The plotly.js version.
    note : str
        One line for the build log: what was shipped, and why the full bundle if it was.
    """

    text: str
    kind: str
    traces: tuple[str, ...]
    version: str
    note: str


def trace_types(notebooks: Iterable[Path | str]) -> set[str]:
    """The trace types of every plotly figure in executed notebooks.

    Parameters
    ----------
    notebooks : iterable of path-like
        Executed ``.ipynb`` files.

    Returns
    -------
    set of str
        E.g. ``{"bar", "scatter"}``. A trace without a ``type`` counts as ``scatter`` (plotly.js's default).
    """
    found: set[str] = set()
    for path in notebooks:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            for output in cell.get("outputs", []) or []:
                spec = (output.get("data") or {}).get(PLOTLY_MIME)
                if isinstance(spec, dict):
                    for trace in spec.get("data") or []:
                        found.add(str(trace.get("type") or "scatter"))
    return found


@dataclass(frozen=True)
class NodeTools:
    """Where Node and the casebook's npm packages are (see :func:`node_tools`)."""

    node: str
    node_modules: Path

    @property
    def esbuild(self) -> Path:
        """The esbuild executable of the casebook's npm packages."""
        return self.node_modules / ".bin" / "esbuild"


def node_tools(casebook_dir: Path | str) -> tuple[NodeTools | None, str]:
    """Node and ``casebook/node_modules``, or None with the reason they cannot be used.

    Parameters
    ----------
    casebook_dir : path-like
        The ``casebook/`` folder holding ``package.json``.

    Returns
    -------
    tools : NodeTools or None
    reason : str
        Empty when ``tools`` is set.
    """
    if os.environ.get(NO_NODE_ENV):
        return None, f"${NO_NODE_ENV} is set"
    node = shutil.which("node")
    if node is None:
        return None, "Node is not installed"
    modules = Path(casebook_dir).resolve() / "node_modules"
    if not (modules / "plotly.js" / "package.json").is_file() or not (modules / "minisearch").is_dir():
        return None, f"{modules} is missing or incomplete (run `make js-deps`: npm ci --prefix casebook)"
    return NodeTools(node, modules), ""


def run_node(args: list[str], *, stdin: str, cwd: Path, what: str, timeout: float = 300) -> str:
    """Run a Node program, feed it ``stdin``, return its standard output.

    Parameters
    ----------
    args : list of str
        The command line.
    stdin : str
    cwd : pathlib.Path
        Where module names resolve from.
    what : str
        What it does, for the error message.
    timeout : float

    Returns
    -------
    str

    Raises
    ------
    RuntimeError
        With the program's last line of error output.
    """
    proc = subprocess.run(args, input=stdin, capture_output=True, text=True, cwd=cwd, timeout=timeout)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{what} failed (exit {proc.returncode}): {last}")
    return proc.stdout


def _full(version: str, traces: tuple[str, ...], why: str) -> PlotlyBundle:
    from plotly.offline import get_plotlyjs

    text = get_plotlyjs()
    note = f"plotly.js {version}: the full bundle of the Python package ({len(text) / 1e6:.1f} MB), because {why}"
    return PlotlyBundle(text, "full", traces, version, note)


def plotly_bundle(traces: Iterable[str], casebook_dir: Path | str) -> PlotlyBundle:
    """The plotly.js to ship for figures of the given trace types: a partial bundle, or the full one.

    Parameters
    ----------
    traces : iterable of str
        Trace types (see :func:`trace_types`).
    casebook_dir : path-like
        The ``casebook/`` folder (``package.json``, ``node_modules``).

    Returns
    -------
    PlotlyBundle
        Its ``note`` says which one and why.
    """
    from plotly.offline import get_plotlyjs_version

    traces = tuple(sorted(set(traces) | CORE_TRACES))
    version = get_plotlyjs_version()
    tools, why = node_tools(casebook_dir)
    if tools is None:
        return _full(version, traces, why)
    package = tools.node_modules / "plotly.js"
    npm_version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    if npm_version != version:
        return _full(
            version,
            traces,
            f"casebook/package.json pins plotly.js {npm_version}, not the {version} the Python plotly bundles",
        )
    missing = [t for t in traces if t not in CORE_TRACES and not (package / "lib" / f"{t}.js").is_file()]
    if missing:
        return _full(version, traces, f"plotly.js has no module for the trace type(s) {', '.join(missing)}")
    lock = Path(casebook_dir) / "package-lock.json"
    key = hashlib.sha256(
        json.dumps([version, traces, _ESBUILD_FLAGS]).encode() + (lock.read_bytes() if lock.is_file() else b"")
    ).hexdigest()[:16]
    cache = tools.node_modules / ".cache" / "levelii" / f"plotly-{version}-{key}.min.js"
    if cache.is_file():
        text = cache.read_text(encoding="utf-8")
    else:
        extra = [t for t in traces if t not in CORE_TRACES]
        # esbuild resolves only literal require() calls: write them out
        entry = (
            "var Plotly = require('plotly.js/lib/core');\n"
            + "Plotly.register([\n"
            + "".join(f"  require('plotly.js/lib/{t}'),\n" for t in extra)
            + "]);\nmodule.exports = Plotly;\n"
        )
        try:
            text = run_node(
                [str(tools.esbuild), *_ESBUILD_FLAGS, "--sourcefile=levelii-plotly-entry.js"],
                stdin=entry,
                cwd=tools.node_modules.parent,
                what="esbuild (the partial plotly.js bundle)",
            )
        except (OSError, RuntimeError, subprocess.TimeoutExpired) as exc:
            return _full(version, traces, f"the partial bundle could not be built ({exc})")
        banner = f"/* plotly.js v{version} (partial bundle: {', '.join(traces)}), MIT license, plotly.com */\n"
        text = banner + text
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, cache)
    note = f"plotly.js {version}: a partial bundle of {', '.join(traces)} ({len(text) / 1e6:.2f} MB)"
    return PlotlyBundle(text, "partial", traces, version, note)
