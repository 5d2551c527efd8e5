"""The book: the HTML casebook and what a class session needs beside it.

Modules, each importing only those before it: :mod:`~levelii_kit.book.toc` (the chapters, parts, front matter
and glossary), :mod:`~levelii_kit.book.execute` (running notebooks with papermill),
:mod:`~levelii_kit.book.render` (chapter pages), :mod:`~levelii_kit.book.pages` (the site pages),
:mod:`~levelii_kit.book.build` (the atomic build) and :mod:`~levelii_kit.book.present` (a chapter live in Voila).

Importing this package is cheap: :func:`build_casebook` loads nbconvert and papermill on first use.
"""

from __future__ import annotations

from typing import Any

from ..errors import BuildError

__all__ = ["BuildError", "build_casebook"]


def build_casebook(*args: Any, **kwargs: Any) -> Any:
    """Build the HTML casebook; see :func:`levelii_kit.book.build.build_casebook` for the parameters.

    Parameters
    ----------
    *args, **kwargs
        Passed on unchanged.

    Returns
    -------
    pathlib.Path
        The index page of the first edition built.
    """
    from .build import build_casebook as build

    return build(*args, **kwargs)
