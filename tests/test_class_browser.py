"""The class session in Chromium: a student on a phone-sized page, the instructor's live view, and what stays hidden.

`levelii class` runs as a real process on 127.0.0.1; Playwright drives /usr/bin/chromium with every request that is
not to that server blocked (and recorded). Every wait is bounded.
"""

from __future__ import annotations

import time

import pytest
from class_support import start_server, stop

NAME = '<img src=x onerror="window.pwned=1">Ada'
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def page_in(browser, origin, record, **options):
    context = browser.new_context(**options)

    def route(r):
        if r.request.url.startswith(origin):
            r.continue_()
        else:
            record["blocked"].append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("console", lambda m: record["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: record["errors"].append(str(e)))
    return context, page


def axe(page, label):
    """Serious or critical axe-core violations; axe is evaluated through the driver, which the page's CSP allows."""
    from browser_support import AXE

    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make browser-tools`")
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{label}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.browser
def test_student_phone_instructor_live_and_hidden_results(browser, tmp_path):
    proc, student_url, instructor_url, _ = start_server(tmp_path / "class.sqlite3")
    origin = student_url.rstrip("/")
    record = {"blocked": [], "errors": []}
    contexts = []
    try:
        ctx, teacher = page_in(browser, origin, record, viewport={"width": 1200, "height": 1000})
        contexts.append(ctx)
        teacher.goto(instructor_url)
        teacher.wait_for_function("() => document.getElementById('state').textContent.startsWith('Live')")
        assert "token=" not in teacher.url  # the token left the address bar
        teacher.wait_for_selector("#outcome-plot .main-svg")

        ctx, phone = page_in(browser, origin, record, **PHONE)
        contexts.append(ctx)
        phone.goto(student_url)
        question = phone.locator("form.question[data-question=gloat_after_veto]")
        question.locator("input[value=no]").wait_for()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the phone page scrolls sideways ({width} px)"

        # a student answers from the phone
        phone.fill("#display-name", NAME)
        question.locator("input[value=no]").check()
        question.get_by_role("button", name="Send my prediction").click()
        question.locator(".status").filter(has_text="Saved at").wait_for(timeout=10_000)
        acked = time.monotonic()

        # the instructor's view shows it within 2 s
        teacher.wait_for_function(
            "() => document.getElementById('count').textContent === '1' && document.querySelector("
            "'[data-question=gloat_after_veto] .class-line').textContent.includes('0 yes, 1 no')",
            timeout=2_000,
        )
        assert time.monotonic() - acked < 2.0
        recent = teacher.locator("#recent li").first
        assert NAME in recent.text_content()  # the name is shown as text ...
        assert teacher.locator("#recent img").count() == 0  # ... never as HTML
        assert teacher.evaluate("window.pwned") is None and phone.evaluate("window.pwned") is None

        # the student's page cannot read results the instructor has not revealed
        status = phone.evaluate("fetch('/api/results').then(r => r.status)")
        assert status == 401
        public = phone.evaluate("fetch('/api/public').then(r => r.json())")
        assert public == {"questions": [], "outcomes": None, "model": None}
        compare = phone.evaluate("fetch('/api/compare?question=gloat_after_veto&guess=no').then(r => r.status)")
        assert compare == 403
        phone.wait_for_timeout(2_500)  # one poll of /api/public later, still nothing shown
        assert question.locator(".result").is_hidden()
        assert "In the model" not in phone.locator("body").inner_text()

        # the instructor reveals it: the phone shows the room, the model and the comparison
        teacher.locator("[data-question=gloat_after_veto] button").click()
        teacher.locator("[data-question=gloat_after_veto] button[aria-pressed=true]").wait_for()
        result = question.locator(".result")
        result.filter(has_text="You said no; in the model there is no deal").wait_for(timeout=6_000)
        text = result.inner_text()
        assert "The room: 0 yes, 1 no (1 answer)." in text
        assert "In the model there is no deal (empty ZOPA: no deal is ratified on both sides), so: no." in text
        assert phone.locator("form.question[data-question=their_veto_outcome] .result").is_hidden()

        # a group outcome from the phone reaches the instructor's plot over the win-sets and ZOPA
        phone.fill("#group", "Table 7")
        phone.fill("#point", "0.5")
        phone.check("input[name=moves][value=mollify_their_hawk]")
        phone.check("input[name=ratified][value=A]")
        phone.check("input[name=ratified][value=B]")
        phone.get_by_role("button", name="Send the outcome").click()
        phone.locator("#outcome-form .status").filter(has_text="Saved at").wait_for(timeout=10_000)
        teacher.locator("#outcome-summary").filter(has_text="1 groups reported").wait_for(timeout=3_000)
        cells = teacher.locator("#by-moves tbody tr").first.locator("td").all_inner_texts()
        # B's hawks hold their veto from the start (tolerance 0.7, threat 0.1: from 0.55); mollified (threat 0) they
        # accept from 0.45, so the ZOPA is [0.45, 0.6] and the midpoint 0.5 is the deal, with certainty
        # (casebook/front_matter/model.md §10)
        # ... and the moves are named by their labels in the case file, not their ids
        assert cells == ["Mollify B's hawks", "1", "1 (100%)", "100%", "0.50"]
        ticks = teacher.locator("#outcome-plot .ytick text").all_text_contents()
        assert "Side A: win-set, no help" in ticks and not any("_" in t for t in ticks), ticks
        points = teacher.evaluate(
            "document.getElementById('outcome-plot').data.filter(t => t.name === 'ratified by both sides')[0].x"
        )
        assert points == [0.5]

        problems = axe(phone, "students' page") + axe(teacher, "instructor's page")
        assert not problems, problems
        assert record["blocked"] == [], record["blocked"]
        for probe in ("401 (Unauthorized)", "403 (Forbidden)"):  # our own two probes above, and nothing else
            record["errors"].remove(f"Failed to load resource: the server responded with a status of {probe}")
        assert record["errors"] == [], record["errors"]
    finally:
        for ctx in contexts:
            ctx.close()
        stop(proc)
