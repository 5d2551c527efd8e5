"""The class session under load and under a crash, as `levelii class` runs it (a real server process on 127.0.0.1).

* Load: 300 responses sent at once from one address (one participant each, as phones behind a classroom NAT) are
  all acknowledged and all stored.
* Crash: the server is killed with SIGKILL while responses pour in, then restarted on the same database: every
  response it had acknowledged is still there.

Traffic goes to 127.0.0.1 only; every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import signal
import threading
import time

import httpx
import pytest
from class_support import start_server, stop

N_LOAD = 300
N_CRASH = 600
KILL_AFTER = 150


def run_async(make, timeout=120):
    """Run a coroutine on a fresh event loop in its own thread (the test's thread may host Playwright's loop)."""
    out = {}

    def target():
        try:
            out["value"] = asyncio.run(asyncio.wait_for(make(), timeout=timeout))
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc

    worker = threading.Thread(target=target)
    worker.start()
    worker.join(timeout + 30)
    if "error" in out:
        raise out["error"]
    if "value" not in out and worker.is_alive():
        pytest.fail(f"the client did not finish within {timeout + 30} s")
    return out.get("value")


def body(i):
    return {
        "kind": "prediction",
        "participant": f"load-participant-{i:05d}",
        "name": f"Student {i}",
        "question": "gloat_after_veto",
        "answer": "yes" if i % 3 else "no",
    }


def stored_ids(url, token):
    r = httpx.get(f"{url}api/export.csv", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    r.raise_for_status()
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(r.text))}


def test_300_concurrent_responses_are_all_stored(tmp_path):
    proc, url, _, token = start_server(tmp_path / "load.sqlite3")
    try:

        async def burst():
            limits = httpx.Limits(max_connections=N_LOAD, max_keepalive_connections=N_LOAD)
            async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
                t0 = time.perf_counter()
                replies = await asyncio.gather(*(client.post("/api/responses", json=body(i)) for i in range(N_LOAD)))
                return replies, time.perf_counter() - t0

        replies, seconds = run_async(burst)
        codes = [r.status_code for r in replies]
        assert codes == [201] * N_LOAD, {c: codes.count(c) for c in set(codes)}
        ids = {r.json()["id"] for r in replies}
        assert len(ids) == N_LOAD
        results = httpx.get(f"{url}api/results", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
        assert results["count"] == N_LOAD
        assert results["participants"] == N_LOAD
        q = next(q for q in results["questions"] if q["id"] == "gloat_after_veto")
        assert (q["yes"], q["no"]) == (200, 100)  # i % 3 != 0 says yes: 200 of 0..299
        assert stored_ids(url, token) == ids
        print(f"load: {N_LOAD} concurrent responses stored in {seconds:.2f} s (httpx client; see bench_class.py)")
        assert seconds < 60
    finally:
        stop(proc)


def test_kill_9_mid_load_loses_nothing_acknowledged(tmp_path):
    db = tmp_path / "crash.sqlite3"
    proc, url, _, _ = start_server(db)
    acked: set[int] = set()
    failed = 0
    try:

        async def pour():
            nonlocal failed
            limits = httpx.Limits(max_connections=32)
            sem = asyncio.Semaphore(32)
            async with httpx.AsyncClient(base_url=url, limits=limits, timeout=10) as client:

                async def one(i):
                    nonlocal failed
                    async with sem:
                        try:
                            r = await client.post("/api/responses", json=body(i))
                        except httpx.HTTPError:
                            failed += 1
                            return
                        if r.status_code == 201:
                            acked.add(r.json()["id"])
                            if len(acked) == KILL_AFTER and proc.poll() is None:
                                os.kill(proc.pid, signal.SIGKILL)  # mid-load, with requests in flight
                        else:
                            failed += 1

                await asyncio.gather(*(one(i) for i in range(N_CRASH)))

        run_async(pour)
        proc.wait(10)
        assert proc.returncode == -signal.SIGKILL
    finally:
        stop(proc)
    assert len(acked) >= KILL_AFTER and failed > 0  # the kill did land mid-load
    proc, url, _, token = start_server(db)
    try:
        kept = stored_ids(url, token)
        results = httpx.get(f"{url}api/results", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    finally:
        stop(proc)
    missing = acked - kept
    assert not missing, f"{len(missing)} acknowledged responses lost: {sorted(missing)[:10]}"
    assert results["count"] == len(kept) >= len(acked)
    print(
        f"crash: {len(acked)} acknowledged before kill -9, {failed} refused or cut off, "
        f"{len(kept)} stored after the restart, 0 acknowledged lost"
    )
