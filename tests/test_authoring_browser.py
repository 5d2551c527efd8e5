"""The "Writing a chapter" page in Chromium: offline, accessible (axe-core), every code block wrapped so that
nothing needs a horizontal scroll, and reachable from the instructor edition's navigation only."""

from __future__ import annotations

import pytest
from browser_support import axe_problems, open_page
from site_support import build_fixture_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    return build_fixture_site(tmp_path_factory)


def test_writing_a_chapter_page(site, tab):
    page = site / "instructor" / "writing-a-chapter.html"
    open_page(tab, page)
    assert tab.page.locator("h1").inner_text() == "Writing a chapter"
    assert tab.page.locator("nav[aria-label=Casebook] a[aria-current=page]").inner_text() == "Writing a chapter"
    blocks = tab.page.locator("article pre")
    assert blocks.count() >= 10
    overflowing = tab.page.evaluate(
        "[...document.querySelectorAll('article pre, article table')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert overflowing == 0
    assert axe_problems(tab, "instructor/writing-a-chapter.html") == []
    assert tab.blocked == [] and tab.errors == []

    open_page(tab, site / "student" / "index.html")
    assert tab.page.locator("a[href='writing-a-chapter.html']").count() == 0
    open_page(tab, site / "instructor" / "index.html")
    assert tab.page.locator("a[href='writing-a-chapter.html']").count() == 2  # the navigation and "Start here"
