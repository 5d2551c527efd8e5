"""Starting a class session: the database, the token, the socket, the two URLs and the QR code, then uvicorn.

``levelii class SLUG`` calls :func:`run`. It binds 127.0.0.1 unless ``host`` says otherwise: serving the room's
network (``--host 0.0.0.0``) is the instructor's explicit choice. The token is new at every start; the database
(default ``build/class/SLUG.sqlite3``) keeps the responses across restarts.
"""

from __future__ import annotations

import ipaddress
import secrets
import socket
import sys
import webbrowser
from pathlib import Path

from ...casefile import load_case
from .app import Limits, create_app
from .store import ClassError, ClassStore

__all__ = ["run", "bind", "default_db", "DEFAULT_PORT", "urls"]

#: Port used when ``--port`` is not given (a fixed one, so that a restart keeps the students' URL).
DEFAULT_PORT = 8765


def default_db(slug: str) -> Path:
    """The default database of a case's session: ``build/class/<slug>.sqlite3`` under the working directory."""
    return Path("build") / "class" / f"{slug}.sqlite3"


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port``.

    Raises
    ------
    ClassError
        One line naming the address and the reason (for instance a port already in use).
    """
    if not 0 <= port <= 65535:
        raise ClassError(f"--port must be between 0 and 65535, got {port}")
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
    except OSError as exc:
        raise ClassError(f"--host {host}: {exc.strerror or exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # accepted connections inherit it: a response's header and body segments are not held back by Nagle's
        # algorithm waiting for the client's delayed ACK (about 40 ms a request on a kept-alive connection)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
        sock.listen(512)
    except (OSError, OverflowError) as exc:
        sock.close()
        reason = getattr(exc, "strerror", None) or str(exc)
        hint = "; pick another with --port" if isinstance(exc, OSError) and exc.errno == 98 else ""
        raise ClassError(f"cannot listen on {host}:{port}: {reason}{hint}") from None
    sock.setblocking(False)
    return sock


def _room_address(host: str) -> str:
    """The address students type: the host itself, or for an all-interfaces bind this machine's address."""
    try:
        if not ipaddress.ip_address(host).is_unspecified:
            return host
    except ValueError:
        return host
    try:  # no packet is sent: getaddrinfo on our own name
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = info[4][0]
            if not ipaddress.ip_address(address).is_loopback:
                return address
    except OSError:
        pass
    return socket.gethostname()


def urls(host: str, port: int, token: str) -> tuple[str, str]:
    """The students' URL and the instructor's URL (with the token)."""
    address = _room_address(host)
    shown = f"[{address}]" if ":" in address else address
    student = f"http://{shown}:{port}/"
    return student, f"{student}instructor?token={token}"


def run(slug, host="127.0.0.1", port=DEFAULT_PORT, db=None, open_browser=True, out=None, limits=None) -> None:
    """Serve a chapter's class session until interrupted.

    Parameters
    ----------
    slug : str
        Case slug or path.
    host : str
        Address to bind (127.0.0.1 by default; ``0.0.0.0`` serves the room's network).
    port : int
        Port (0 for any free one).
    db : str or pathlib.Path, optional
        The session's SQLite file (default :func:`default_db`).
    open_browser : bool
        Open the instructor's page in the default browser.
    out : file, optional
        Where the URLs and the QR code are printed (default stdout).
    limits : Limits, optional

    Raises
    ------
    ClassError
        For a bad ``--db``, ``--host`` or ``--port``.
    CaseError
        For an unknown or invalid case.
    """
    import segno
    import uvicorn

    out = out or sys.stdout
    case = load_case(slug)
    path = Path(db) if db else default_db(case.slug)
    store = ClassStore(path, case.slug)
    sock = None
    try:
        sock = bind(host, port)
        port = sock.getsockname()[1]
        token = secrets.token_urlsafe(24)
        student, instructor = urls(host, port, token)
        app = create_app(case, store, token, student, limits or Limits())
        print(f"levelii class: {case.title}", file=out)
        print(f"students: {student}", file=out)
        print(f"instructor: {instructor}", file=out)
        print(f"database: {path} ({store.count()} responses stored)", file=out)
        if host not in ("127.0.0.1", "localhost", "::1"):
            print(f"note: listening on {host}: anyone on this network can open the students' page", file=out)
        segno.make(student, error="m").terminal(out=out, compact=True)
        print("Press Ctrl+C to stop.", file=out, flush=True)
        if open_browser:
            webbrowser.open(instructor)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=3)
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        if sock is not None:
            sock.close()
        store.close()
