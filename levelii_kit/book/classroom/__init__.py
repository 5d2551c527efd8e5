"""The live class session (``levelii class SLUG``): the room's predictions and role-play outcomes beside the model.

A small ASGI app (FastAPI on uvicorn) over SQLite on the instructor's machine: students
answer the chapter's prediction prompts (``teaching.predictions``) and record their group's outcome on a
phone-sized page; the instructor sees live aggregates drawn over the model's win-sets and ZOPA, reveals or hides
each question, exports CSV and clears the session. It binds 127.0.0.1 unless told otherwise.

Modules: :mod:`.store` (SQLite, WAL, schema version), :mod:`.schema` (pydantic request models per case),
:mod:`.aggregates` (the room beside the model), :mod:`.app` (routes, limits, security headers), :mod:`.server`
(the command's start-up).
"""

from .app import Limits, RateLimiter, create_app
from .store import ClassError, ClassStore

__all__ = ["create_app", "Limits", "RateLimiter", "ClassStore", "ClassError", "run"]


def run(*args, **kwargs):
    """Serve a class session until interrupted (see :func:`levelii_kit.book.classroom.server.run`)."""
    from .server import run as _run

    return _run(*args, **kwargs)
