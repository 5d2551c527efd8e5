"""The errors a user of the kit can cause, under one base class.

Every error a user's input can cause (a case file, a chapter parameter, a command-line argument, a build, a
server) derives from :class:`LeveliiError`, so the command line reports any of them in one line without a
traceback (papermill's ``exceptions.py`` is the model). Programming errors in the model's API
(``Constituency(strength=-1)``) stay plain ``ValueError``/``TypeError``.

The classes are defined here, below every module that raises them, and re-exported where users meet them:
``levelii_kit.CaseError``, ``levelii_kit.chapter.ParameterError``, ``levelii_kit.book.BuildError``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["BuildError", "CaseError", "LeveliiError", "ParameterError", "PresentError", "UserError"]


class LeveliiError(Exception):
    """Base class of every error a user's input can cause; ``str(error)`` is meant for the user."""


class UserError(LeveliiError):
    """A mistake in the command line or its input, reported in one line."""


class CaseError(LeveliiError, ValueError):
    """A case file is invalid.

    Parameters
    ----------
    problems : iterable
        Every problem found (:class:`levelii_kit.casefile.Problem`, or anything whose ``str`` is one line).

    Attributes
    ----------
    problems : list
        The problems; ``str(error)`` gives one line each.
    """

    def __init__(self, problems: Iterable[Any]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ParameterError(LeveliiError, ValueError):
    """A chapter parameter is invalid; shown as one line in Jupyter (no traceback)."""

    def _render_traceback_(self) -> list[str]:  # IPython hook: what the notebook shows instead of a traceback
        return [f"ParameterError: {self}"]


class BuildError(LeveliiError, RuntimeError):
    """The casebook could not be built; ``str(error)`` is the reason, meant for the user.

    Parameters
    ----------
    message : str
        The reason, in one line.
    failures : iterable of (str, str), optional
        For a failed execution, ``(slug, "ename: evalue")`` of every chapter that failed.

    Attributes
    ----------
    failures : tuple of (str, str)
        As given, in book order; empty for other errors.
    """

    def __init__(self, message: str, failures: Iterable[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.failures = tuple(failures)


class PresentError(UserError, RuntimeError):
    """A server (Voila for ``levelii present``) could not be started or did not answer in time.

    The first line says what went wrong; when the server itself failed, the last lines of its log follow.
    """
