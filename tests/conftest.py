"""Shared test settings: a hypothesis profile sized for the 2-core CI machine."""

import os
import types

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=int(os.environ.get("LEVELII_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
    # derandomized runs draw the same examples every time, so a database of past failures adds nothing; without
    # one, mutation runs (make mutation) cannot carry an example from one mutant's run into the next
    database=None,
)
settings.load_profile("ci")

#: Under mutmut (make mutation) the hand-derived tests run first: they kill most mutants in a fraction of a
#: second, and mutmut stops a mutant's run at the first failure.
_MUTATION_ORDER = (
    "test_golden.py",
    "test_solutions.py",
    "test_intervention_effects.py",
    "test_ledger.py",
    "test_validation.py",
    "test_strictness.py",
    "test_model_api.py",
    "test_model_details.py",
    "test_power.py",
    "test_interventions.py",
    "test_sampling.py",
    "levelii_kit",
    "test_cross_path.py",
    "test_properties.py",
)


def pytest_collection_modifyitems(items):
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return

    def rank(item):
        path = item.nodeid.split("::")[0]
        return next((k for k, name in enumerate(_MUTATION_ORDER) if name in path), len(_MUTATION_ORDER))

    items.sort(key=rank)


@pytest.fixture(scope="session")
def browser():
    from browser_support import ARGS, CHROMIUM

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-tools` (installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser):
    """A fresh page that blocks and records every non-file request, console error and page error."""
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    record = types.SimpleNamespace(page=page, blocked=[], errors=[])

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            record.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: record.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record.errors.append(str(e)))
    yield record
    context.close()
