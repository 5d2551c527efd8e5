"""The class session's storage: one SQLite file (stdlib :mod:`sqlite3`) in WAL mode, with a schema version.

Every acknowledged response is one row, committed before the server answers: the database runs with
``journal_mode=WAL`` and ``synchronous=FULL``, so a committed row survives a crash of the server process (and, with
FULL, of the machine) [SQLite documentation, "Write-Ahead Logging" and "PRAGMA synchronous"]. Rows are never
updated: a participant who changes an answer adds a row, and the aggregates read each participant's latest row per
question.

Writes go through one writer thread that commits whatever has queued up in one transaction (a *group commit*): a
burst of a class's answers costs a few fsyncs rather than one each, and no response is acknowledged before the
transaction that holds it has committed.

The file records its schema version (``PRAGMA user_version`` and the ``meta`` table) and the case it belongs to, so
that a session's database is never reused for another chapter by mistake.
"""

from __future__ import annotations

import asyncio
import json
import queue
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ...errors import LeveliiError

__all__ = ["ClassStore", "ClassError", "StorageError", "Row", "SCHEMA_VERSION", "MAX_ROWS", "MAX_BATCH"]

#: Version of the tables below; stored in ``PRAGMA user_version``.
SCHEMA_VERSION = 1
#: Most responses one session stores (a full session is exported and cleared, or a new ``--db`` is used).
MAX_ROWS = 100_000
#: Most responses committed in one transaction by the writer thread.
MAX_BATCH = 512

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received TEXT NOT NULL,
    participant TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('prediction', 'outcome')),
    question TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_latest ON responses (question, participant, id);
CREATE TABLE IF NOT EXISTS reveals (question TEXT PRIMARY KEY, revealed INTEGER NOT NULL, changed TEXT NOT NULL);
"""


class ClassError(LeveliiError, ValueError):
    """A user's mistake in starting a class session (a bad ``--db``, a busy port, ...): shown as one line."""


class StorageError(RuntimeError):
    """The database could not store a response (disk full, file removed, ...): the server's fault, not the user's."""


@dataclass(frozen=True)
class Row:
    """One stored response.

    Attributes
    ----------
    id : int
        Row id, increasing in arrival order.
    received : str
        UTC time of arrival, ISO 8601.
    participant : str
        The participant's random id (made by the student page).
    name : str
        The display name the participant typed (shown escaped, never as HTML).
    kind : {"prediction", "outcome"}
    question : str
        A prediction id, or ``"outcome"``.
    payload : dict
        The answer (a prediction's ``answer``, or the group outcome's fields).
    """

    id: int
    received: str
    participant: str
    name: str
    kind: str
    question: str
    payload: dict


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class _Pending:
    """A response waiting for the writer thread; ``notify`` is called once it is committed (or refused)."""

    __slots__ = ("args", "row", "error", "notify")

    def __init__(self, args, notify):
        self.args, self.notify = args, notify
        self.row: Row | None = None
        self.error: Exception | None = None


class ClassStore:
    """A class session's responses and reveal switches in one SQLite file.

    Parameters
    ----------
    path : str or pathlib.Path
        The database file (created with its folder when missing).
    slug : str
        The case served; a database made for another case is refused.

    Raises
    ------
    ClassError
        When the file cannot be opened or created, is not a database, was made by a newer version of this program
        or belongs to another case.

    Notes
    -----
    One connection serves every thread, behind a lock. Responses are written by one writer thread in group
    commits (WAL, ``synchronous=FULL``); :meth:`add` and :meth:`add_async` return only after the commit.
    """

    def __init__(self, path, slug: str):
        self.path = Path(path)
        self.slug = slug
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise ClassError(f"--db {self.path}: cannot open the database ({exc})") from None
        try:
            self._setup()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ClassError(f"--db {self.path}: not a class-session database ({exc})") from None
        except ClassError:
            self._db.close()
            raise
        self._queue: queue.Queue = queue.Queue()
        self._writer = threading.Thread(target=self._write_loop, name="levelii-class-writer", daemon=True)
        self._writer.start()

    def _setup(self):
        db = self._db
        mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise ClassError(f"--db {self.path}: the database cannot use WAL mode (got {mode!r})")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA busy_timeout=10000")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if version > SCHEMA_VERSION:
            raise ClassError(
                f"--db {self.path}: made by a newer version of levelii "
                f"(schema {version}; this one reads {SCHEMA_VERSION})"
            )
        if version == 0 and tables - {"sqlite_sequence"}:
            raise ClassError(f"--db {self.path}: an SQLite file, but not a class-session database")
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                db.executemany(
                    "INSERT INTO meta (key, value) VALUES (?, ?)",
                    [("schema_version", str(SCHEMA_VERSION)), ("slug", self.slug), ("created", _now())],
                )
            elif meta.get("slug") != self.slug:
                raise ClassError(
                    f"--db {self.path}: this database belongs to the case {meta.get('slug')!r}, not {self.slug!r}; "
                    "use another --db"
                )
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    # ------------------------------------------------------------------------------------------ writing
    def add(self, participant: str, name: str, kind: str, question: str, payload: dict, timeout=30.0) -> Row:
        """Store one response; return the stored row once its transaction has committed.

        Raises
        ------
        ClassError
            When the session already holds :data:`MAX_ROWS` responses.
        StorageError
            When the database cannot store it.
        """
        done = threading.Event()
        pending = _Pending(self._args(participant, name, kind, question, payload), done.set)
        self._queue.put(pending)
        if not done.wait(timeout):
            raise StorageError(f"the database did not store the response within {timeout:g} s")
        return self._result(pending)

    async def add_async(self, participant: str, name: str, kind: str, question: str, payload: dict) -> Row:
        """:meth:`add` for an event loop: awaits the commit without holding a thread."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def notify():
            """Wake the awaiting coroutine from the writer thread."""
            loop.call_soon_threadsafe(lambda: future.done() or future.set_result(None))

        pending = _Pending(self._args(participant, name, kind, question, payload), notify)
        self._queue.put(pending)
        await future
        return self._result(pending)

    @staticmethod
    def _args(participant, name, kind, question, payload):
        text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return participant, name, kind, question, text, payload

    @staticmethod
    def _result(pending) -> Row:
        if pending.error is not None:
            raise pending.error
        return pending.row

    def _write_loop(self):
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch, stop = [first], False
            while len(batch) < MAX_BATCH:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            self._commit(batch)
            for pending in batch:
                pending.notify()
            if stop:
                return

    def _commit(self, batch):
        """Insert a batch in one transaction; on failure nothing of it is stored and every item gets the error."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                n = self._db.execute("SELECT count(*) FROM responses").fetchone()[0]
                for pending in batch:
                    participant, name, kind, question, text, payload = pending.args
                    if n >= MAX_ROWS:
                        pending.error = ClassError(
                            f"the session is full ({MAX_ROWS} responses): export the CSV and clear it"
                        )
                        continue
                    received = _now()
                    cur = self._db.execute(
                        "INSERT INTO responses (received, participant, name, kind, question, payload) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (received, participant, name, kind, question, text),
                    )
                    pending.row = Row(cur.lastrowid, received, participant, name, kind, question, payload)
                    n += 1
                self._db.execute("COMMIT")
            except Exception as exc:  # noqa: BLE001 - whatever it is, no waiting request may hang on it
                try:
                    self._db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                for pending in batch:
                    pending.row, pending.error = None, StorageError(f"the database could not store it ({exc})")

    def set_reveal(self, question: str, revealed: bool) -> None:
        """Show (or hide) a question's results to the students."""
        with self._lock:
            self._db.execute(
                "INSERT INTO reveals (question, revealed, changed) VALUES (?, ?, ?) "
                "ON CONFLICT(question) DO UPDATE SET revealed = excluded.revealed, changed = excluded.changed",
                (question, int(bool(revealed)), _now()),
            )

    def clear(self) -> int:
        """Delete every response and reveal switch; return the number of responses deleted."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                n = self._db.execute("DELETE FROM responses").rowcount
                self._db.execute("DELETE FROM reveals")
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return n

    # ------------------------------------------------------------------------------------------ reading
    def count(self) -> int:
        """Number of stored responses (every acknowledged POST is one row)."""
        with self._lock:
            return self._db.execute("SELECT count(*) FROM responses").fetchone()[0]

    def reveals(self) -> dict[str, bool]:
        """Question id to whether its results are shown to the students."""
        with self._lock:
            return {q: bool(r) for q, r in self._db.execute("SELECT question, revealed FROM reveals")}

    def _rows(self, sql, args=()):
        with self._lock:
            raw = self._db.execute(sql, args).fetchall()
        return [Row(i, t, p, n, k, q, json.loads(payload)) for i, t, p, n, k, q, payload in raw]

    def latest(self) -> list[Row]:
        """Each participant's latest response to each question, in arrival order."""
        return self._rows(
            "SELECT r.id, r.received, r.participant, r.name, r.kind, r.question, r.payload FROM responses r "
            "JOIN (SELECT max(id) AS id FROM responses GROUP BY question, participant) m ON r.id = m.id ORDER BY r.id"
        )

    def recent(self, n: int = 20) -> list[Row]:
        """The ``n`` latest responses, newest first."""
        return self._rows(
            "SELECT id, received, participant, name, kind, question, payload FROM responses ORDER BY id DESC LIMIT ?",
            (int(n),),
        )

    def all_rows(self) -> list[Row]:
        """Every stored response, in arrival order."""
        return self._rows("SELECT id, received, participant, name, kind, question, payload FROM responses ORDER BY id")

    def participants(self) -> int:
        """Number of distinct participants who have answered."""
        with self._lock:
            return self._db.execute("SELECT count(DISTINCT participant) FROM responses").fetchone()[0]

    def close(self) -> None:
        """Stop the writer (after what is queued), then close the connection (a checkpoint folds in the WAL)."""
        self._queue.put(None)
        self._writer.join(timeout=30)
        with self._lock:
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            self._db.close()
