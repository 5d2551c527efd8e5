"""Schemathesis, driven by the class session's own ``/openapi.json``, finds no server error (in-process ASGI).

Valid and invalid requests (schemathesis's positive and negative generation modes) are generated for every
operation of the document, and each is sent without and with the instructor's token; hypothesis draws at most 25
cases per operation and mode, so the run is a few hundred requests, bounded. The rate limit is lifted for this
app so that the fuzzer reaches the handlers instead of the 429. One test function does it all (a plain loop over
the operations), so that it runs the same way alone or under pytest-xdist.
"""

from __future__ import annotations

import warnings

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

import levelii_kit as lk
from levelii_kit.book.classroom import ClassStore, Limits, create_app

TOKEN = "fuzz-token-42"
EXAMPLES = 25


def test_openapi_fuzzing_finds_no_server_error(tmp_path):
    case_file = lk.load_case("german_unification")
    store = ClassStore(tmp_path / "fuzz.sqlite3", case_file.slug)
    app = create_app(case_file, store, TOKEN, "http://127.0.0.1:9/", Limits(burst=1e9, rate=1e9, global_burst=1e9))
    seen = {"requests": 0, "created": 0, "operations": set(), "no_negative": set()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # starlette's note about httpx in its test client
            schema = schemathesis.openapi.from_asgi("/openapi.json", app)
            operations = [result.ok() for result in schema.get_all_operations()]
            assert len(operations) == 10
            for operation in operations:
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                    @settings(
                        max_examples=EXAMPLES,
                        deadline=None,
                        suppress_health_check=list(HealthCheck),
                        derandomize=True,
                        database=None,
                    )
                    @given(operation.as_strategy(generation_mode=mode))
                    def fuzz(case):
                        for headers in (None, {"Authorization": f"Bearer {TOKEN}"}):
                            response = case.call(headers=headers)
                            seen["requests"] += 1
                            seen["created"] += response.status_code == 201
                            seen["operations"].add(f"{case.operation.label}")
                            case.validate_response(response, checks=[not_a_server_error])
                            assert response.status_code < 500, (
                                case.method,
                                case.path,
                                response.status_code,
                                response.text[:300],
                            )

                    try:
                        fuzz()
                    except Unsatisfiable:
                        # nothing in this operation can be made invalid (no parameters, no body)
                        assert mode is GenerationMode.NEGATIVE
                        seen["no_negative"].add(operation.label)
    finally:
        store.close()
    assert len(seen["operations"]) == 10, seen["operations"]
    assert 100 <= seen["requests"] <= 2 * 2 * EXAMPLES * 10, seen["requests"]
    assert seen["created"] > 0  # generated valid bodies were stored, not only rejected
    assert "POST /api/responses" not in seen["no_negative"]
    print(f"schemathesis: {seen['requests']} requests ({seen['created']} stored) over 10 operations, no 5xx")
