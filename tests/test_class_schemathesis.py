"""Schemathesis, driven by the class session's own ``/openapi.json``, finds no server error (in-process ASGI).

Both valid and invalid requests are generated (schemathesis's positive and negative modes) for every operation,
with and without the instructor's token, bounded at 25 examples per operation and mode (a few hundred requests
in all). The rate limit is lifted for this app so that the fuzzer reaches the handlers instead of the 429.
"""

from __future__ import annotations

import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

import levelii_kit as lk
from levelii_kit.book.classroom import ClassStore, Limits, create_app

TOKEN = "fuzz-token-42"
_DIR = Path(tempfile.mkdtemp(prefix="levelii-class-fuzz-"))
_CASE = lk.load_case("german_unification")
_STORE = ClassStore(_DIR / "fuzz.sqlite3", _CASE.slug)
APP = create_app(_CASE, _STORE, TOKEN, "http://127.0.0.1:9/", Limits(burst=1e9, rate=1e9, global_burst=1e9))

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.generation.update(modes=["positive", "negative"])
SEEN = {"requests": 0, "operations": set(), "created": 0}


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    _STORE.close()
    shutil.rmtree(_DIR, ignore_errors=True)
    # every operation was exercised, a few hundred requests in all
    assert len(SEEN["operations"]) == 10, SEEN["operations"]
    assert 200 <= SEEN["requests"] <= 1500, SEEN["requests"]
    assert SEEN["created"] > 0  # generated valid bodies were stored, not only rejected
    n_ops = len(SEEN["operations"])
    print(f"schemathesis: {SEEN['requests']} requests ({SEEN['created']} stored) over {n_ops} operations")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for headers in (None, {"Authorization": f"Bearer {TOKEN}"}):
            response = case.call(headers=headers)
            SEEN["requests"] += 1
            SEEN["created"] += response.status_code == 201
            SEEN["operations"].add(case.operation.label)
            case.validate_response(response, checks=[not_a_server_error])
            assert response.status_code < 500, (case.method, case.path, response.status_code, response.text[:300])
