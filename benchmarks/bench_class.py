"""Benchmark of the live class session (``levelii class``): throughput and p95 latency of a classroom burst.

A real server process (``python -m levelii_kit.cli class two_level_basics --port 0``) on 127.0.0.1, and one client
process sending ``--n`` requests at once, as a class's phones do after "send your prediction now":

* **load**: ``POST /api/responses``, one prediction per participant (each acknowledged only after its row is
  committed to SQLite in WAL mode with ``synchronous=FULL``); the session is cleared before each repeat;
* **baseline**: ``GET /api/ping`` (no validation, no database), the same number of requests at once, measured in
  the same run, so that the ratio carries over between machines.

Each figure is the median over ``--repeats`` runs, the two kinds alternating. Then one **crash** run: the server is
killed with SIGKILL after ``--kill-after`` acknowledged responses of a stream of ``2 * n``, restarted on the same
database, and every acknowledged response is looked up. Traffic goes to 127.0.0.1 only; every loop is bounded.

Run: ``.venv/bin/python benchmarks/bench_class.py`` (``make bench`` runs it too).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from class_support import start_server, stop  # noqa: E402 - the tests' way to start levelii class, shared


def body(run: int, i: int) -> dict:
    return {
        "kind": "prediction",
        "participant": f"bench-{run:03d}-{i:05d}",
        "name": f"Student {i}",
        "question": "gloat_after_veto",
        "answer": "yes" if i % 2 else "no",
    }


async def request(host: str, port: int, method: str, path: str, payload=None) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a new connection (as each phone opens its own); return (status, body).

    A plain asyncio client: the benchmark measures the server, and a heavier client would hide it.
    """
    reader, writer = await asyncio.open_connection(host, port)
    try:
        data = b"" if payload is None else json.dumps(payload).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n"
        if payload is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
        writer.write(head.encode() + b"\r\n" + data)
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
    status = int(raw.split(b" ", 2)[1])
    return status, raw.partition(b"\r\n\r\n")[2]


async def burst(url: str, n: int, post: bool, run: int):
    """``n`` requests at once; return (seconds, latencies, status codes)."""
    parts = urlsplit(url)

    async def one(i):
        t0 = time.perf_counter()
        if post:
            status, _ = await request(parts.hostname, parts.port, "POST", "/api/responses", body(run, i))
        else:
            status, _ = await request(parts.hostname, parts.port, "GET", "/api/ping")
        return time.perf_counter() - t0, status

    start = time.perf_counter()
    done = await asyncio.gather(*(one(i) for i in range(n)))
    return time.perf_counter() - start, [d[0] for d in done], [d[1] for d in done]


def p95(values) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def crash(db: Path, n: int, kill_after: int):
    """Kill the server mid-stream; return (acknowledged, stored after restart, lost)."""
    proc, url, _, _ = start_server(db)
    acked: set[int] = set()

    async def pour():
        parts = urlsplit(url)
        sem = asyncio.Semaphore(32)

        async def one(i):
            async with sem:
                try:
                    status, data = await request(parts.hostname, parts.port, "POST", "/api/responses", body(999, i))
                except (OSError, IndexError, ValueError):
                    return  # refused or cut off by the kill
                if status == 201:
                    acked.add(json.loads(data)["id"])
                    if len(acked) == kill_after and proc.poll() is None:
                        os.kill(proc.pid, signal.SIGKILL)

        await asyncio.gather(*(one(i) for i in range(n)))

    try:
        asyncio.run(asyncio.wait_for(pour(), timeout=120))
    finally:
        stop(proc)
    proc, url, _, token = start_server(db)
    try:
        r = httpx.get(f"{url}api/export.csv", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        kept = {int(row["id"]) for row in csv.DictReader(io.StringIO(r.text))}
    finally:
        stop(proc)
    return len(acked), len(kept), len(acked - kept)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="requests sent at once (default 300)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats of each kind (default 5)")
    parser.add_argument("--kill-after", type=int, default=150, help="acknowledged responses before kill -9")
    args = parser.parse_args(argv)
    if not (1 <= args.n <= 2000 and 1 <= args.repeats <= 20 and 1 <= args.kill_after < 2 * args.n):
        parser.error("keep --n in 1..2000, --repeats in 1..20 and --kill-after below 2 * n")
    with tempfile.TemporaryDirectory(prefix="levelii-bench-class-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        proc, url, _, token = start_server(db)
        auth = {"Authorization": f"Bearer {token}"}
        figures = {"load": [], "baseline": []}
        try:
            asyncio.run(burst(url, 20, False, 0))  # warm-up: the first connections
            for run in range(args.repeats):
                httpx.delete(f"{url}api/responses", headers=auth, timeout=30).raise_for_status()
                kinds = (("baseline", False), ("load", True))
                for kind, post in kinds if run % 2 == 0 else kinds[::-1]:  # alternate which goes first
                    seconds, lat, codes = asyncio.run(asyncio.wait_for(burst(url, args.n, post, run), timeout=120))
                    bad = [c for c in codes if c != (201 if post else 200)]
                    if bad:
                        raise SystemExit(f"{kind}: {len(bad)} of {args.n} requests failed: {sorted(set(bad))}")
                    figures[kind].append((args.n / seconds, p95(lat)))
                count = httpx.get(f"{url}api/results", headers=auth, timeout=30).json()["count"]
                if count != args.n:
                    raise SystemExit(f"load: {count} rows stored, expected {args.n}")
        finally:
            stop(proc)
        acked, kept, lost = crash(Path(tmp) / "crash.sqlite3", 2 * args.n, args.kill_after)
    python = sys.version.split()[0]
    print(f"levelii class: {args.n} requests at once from 127.0.0.1, median of {args.repeats} (python {python})")
    print(f"{'benchmark':52s} {'throughput':>14s} {'p95 latency':>12s}")
    rows = {}
    for kind, label in (
        ("load", "POST /api/responses (validated, committed to SQLite)"),
        ("baseline", "baseline: GET /api/ping (no validation, no database)"),
    ):
        thr = statistics.median(f[0] for f in figures[kind])
        lat = statistics.median(f[1] for f in figures[kind])
        rows[kind] = (thr, lat)
        print(f"{label:52s} {thr:9.0f} req/s {lat * 1e3:9.0f} ms")
    print(
        f"{'load / baseline':52s} {rows['load'][0] / rows['baseline'][0]:13.2f}x "
        f"{rows['load'][1] / rows['baseline'][1]:11.2f}x"
    )
    print(f"crash: kill -9 after {acked} acknowledged responses; {kept} stored after the restart; {lost} lost")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
