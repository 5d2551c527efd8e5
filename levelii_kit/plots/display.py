"""Showing figures in the built casebook: the plotly mimetype bundle without plotly's heavy display path."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from .._protocol import PLOTLY_MIME

__all__ = ["PLOTLY_MIME", "figure_mimebundle", "use_mimetype_display"]


def figure_mimebundle(fig: go.Figure) -> dict:
    """The display bundle of ``fig`` exactly as plotly's ``plotly_mimetype`` renderer builds it.

    Plotly's own display path (``Figure._ipython_display_``) imports ``plotly.io._renderers``, which
    imports nbformat and with it jsonschema and a Lark grammar for IRIs: 1 to 1.5 s in every fresh
    kernel, before the first figure appears. This builds the same bundle with ``plotly.io.to_json``
    only; ``tests/test_plots.py`` checks that the two agree.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure

    Returns
    -------
    dict
        ``{PLOTLY_MIME: {"data": [...], "layout": {...}}}``, JSON-compatible.
    """
    import json

    import plotly.io as pio

    return {PLOTLY_MIME: json.loads(pio.to_json(fig, validate=False, remove_uids=False))}


def use_mimetype_display(shell: Any = None) -> bool:
    """Make an IPython shell show :class:`plotly.graph_objects.Figure` objects via :func:`figure_mimebundle`.

    :func:`levelii_kit.chapter.setup` calls this while the HTML casebook is built, where the plotly
    mimetype is the only output the site renders. ``FigureWidget`` (the live explorer) is left alone.

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell, optional
        Default: the running one.

    Returns
    -------
    bool
        False when there is no IPython shell (a plain Python process), True otherwise.
    """
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False

    def show(fig: go.Figure) -> None:
        shell.display_pub.publish(data=figure_mimebundle(fig), metadata={})

    shell.display_formatter.ipython_display_formatter.for_type(go.Figure, show)
    return True
