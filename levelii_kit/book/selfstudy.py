"""Self-study in the HTML casebook: exercises and predictions as forms that work with no kernel, and the
"My progress" page.

A chapter displays an exercise with :func:`levelii_kit.widgets.exercise` (or :func:`levelii_kit.exercises.form`):
in the casebook build that publishes the form's data under :data:`~levelii_kit._protocol.EXERCISE_MIME`, and
:func:`exercise_html` turns it into a ``<form data-exercise>``: labelled checkboxes or radio buttons (the value is
the move id, the label the move's label and cost), a number field with its range and step, or a notes box for a
discussion question; a submit button; an empty ``role="status"`` region for the feedback; the sealed verdicts in
a JSON script that ``casebook/static/selfstudy.js`` reads. The student edition gets no model answer; the
instructor edition shows it beside the form. Predictions work the same way (:func:`prediction_html`).
:func:`progress_items` lists what the progress page tracks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from ..casefile import load_case
from .toc import ChapterEntry

__all__ = ["exercise_html", "prediction_html", "progress_data"]

_HOW = {
    "cheapest_set": "Tick the moves of your set (none at all is a possible answer), then check it.",
    "best_move": "Choose one move, then check it.",
    "numeric": "Type a number, then check it.",
}


def _json_script(data: Mapping[str, Any]) -> Markup:
    """A JSON script element whose text cannot close the element early."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return Markup(f'<script type="application/json">{text}</script>')


def _cost(cost: float) -> str:
    return f"{cost:g}"


def exercise_html(spec: Mapping[str, Any], edition: str) -> str:
    """The HTML form of one exercise (see the module docstring).

    Parameters
    ----------
    spec : mapping
        From :func:`levelii_kit.exercises.form_spec` (with its solution).
    edition : {"student", "instructor"}
        The student edition drops the model answer; the instructor edition shows it.

    Returns
    -------
    str
        Safe HTML: every text from the case file is escaped.
    """
    spec = dict(spec)
    solution = spec.pop("solution", None)
    ex_id = str(spec["id"])
    kind = spec["kind"]
    anchor = f"exercise-{ex_id}"
    parts = [
        Markup('<form class="cb-exercise cb-exercise--{}" data-exercise="{}" id="{}" novalidate>').format(
            kind or "discussion", ex_id, anchor
        )
    ]
    title = Markup('<span class="cb-exercise__number">Exercise {}.</span> {}').format(spec["number"], spec["prompt"])
    if kind in ("cheapest_set", "best_move"):
        kind_input = "checkbox" if spec["multiple"] else "radio"
        parts.append(Markup('<fieldset class="cb-exercise__choices"><legend>{}</legend>').format(title))
        parts.append(Markup('<p class="cb-exercise__how">{}</p>').format(_HOW[kind]))
        for k, choice in enumerate(spec["choices"]):
            field = f"{anchor}-{k}"
            parts.append(
                Markup(
                    '<div class="cb-choice"><input type="{}" id="{}" name="{}" value="{}">'
                    '<label for="{}">{} <span class="cb-choice__cost">(cost {})</span></label></div>'
                ).format(kind_input, field, ex_id, choice["id"], field, choice["label"], _cost(choice["cost"]))
            )
        parts.append(Markup("</fieldset>"))
        button = "Check my answer"
    elif kind == "numeric":
        num = spec["numeric"]
        field = f"{anchor}-answer"
        parts.append(Markup('<p class="cb-exercise__prompt" id="{}-prompt">{}</p>').format(anchor, title))
        parts.append(
            Markup(
                '<p class="cb-exercise__field"><label for="{}">Your answer ({} to {})</label> '
                '<input type="number" id="{}" name="{}" min="{}" max="{}" step="{}" inputmode="decimal" '
                'aria-describedby="{}-prompt"></p>'
            ).format(
                field,
                num["texts"]["low"],
                num["texts"]["high"],
                field,
                ex_id,
                num["min"],
                num["max"],
                num["step"],
                anchor,
            )
        )
        parts.append(Markup('<p class="cb-exercise__how">{}</p>').format(_HOW[kind]))
        button = "Check my answer"
    else:
        field = f"{anchor}-notes"
        parts.append(Markup('<p class="cb-exercise__prompt" id="{}-prompt">{}</p>').format(anchor, title))
        parts.append(
            Markup(
                '<p class="cb-exercise__field"><label for="{}">Your notes (a discussion question: saved in this '
                'browser only)</label><textarea id="{}" name="{}" rows="4" aria-describedby="{}-prompt"></textarea></p>'
            ).format(field, field, ex_id, anchor)
        )
        button = "Save my notes"
    parts.append(Markup('<p class="cb-exercise__actions"><button type="submit">{}</button></p>').format(button))
    parts.append(Markup('<p class="cb-feedback" role="status" aria-live="polite"></p>'))
    if solution is not None and edition == "instructor":
        parts.append(
            Markup(
                '<div class="cb-model-answer" role="note" aria-label="Model answer">'
                "<p><strong>Model answer.</strong> {}</p></div>"
            ).format(solution["text"])
        )
    parts.append(_json_script(spec))
    parts.append(Markup("</form>"))
    return str(Markup("\n").join(parts))


def prediction_html(spec: Mapping[str, Any], edition: str) -> str:
    """The HTML form of one prediction prompt: commit a guess, then see the model's result beside it.

    Parameters
    ----------
    spec : mapping
        From :func:`levelii_kit.predictions.prompt_spec`.
    edition : {"student", "instructor"}
        The instructor edition also shows the result in the open, for the projector.

    Returns
    -------
    str
        Safe HTML.
    """
    spec = dict(spec)
    shown = spec.pop("shown", None)
    pid = str(spec["id"])
    anchor = f"prediction-{pid}"
    parts = [Markup('<form class="cb-prediction" data-prediction="{}" id="{}" novalidate>').format(pid, anchor)]
    title = Markup('<span class="cb-prediction__tag">Predict first.</span> {}').format(spec["prompt"])
    if spec["answer"] == "yes_no":
        parts.append(Markup("<fieldset><legend>{}</legend>").format(title))
        for value, label in (("yes", "Yes"), ("no", "No")):
            field = f"{anchor}-{value}"
            parts.append(
                Markup(
                    '<div class="cb-choice"><input type="radio" id="{}" name="{}" value="{}">'
                    '<label for="{}">{}</label></div>'
                ).format(field, pid, value, field, label)
            )
        parts.append(Markup("</fieldset>"))
    else:
        field = f"{anchor}-guess"
        unit = " (as a chance from 0 to 1)" if spec["answer"] == "probability" else ""
        parts.append(Markup('<p class="cb-prediction__prompt" id="{}-prompt">{}</p>').format(anchor, title))
        parts.append(
            Markup(
                '<p class="cb-exercise__field"><label for="{}">Your prediction{}</label> '
                '<input type="range" min="{}" max="{}" step="{}" value="{}" aria-hidden="true" tabindex="-1"> '
                '<input type="number" id="{}" name="{}" min="{}" max="{}" step="{}" inputmode="decimal" '
                'aria-describedby="{}-prompt"></p>'
            ).format(
                field,
                unit,
                spec["min"],
                spec["max"],
                spec["step"],
                (spec["min"] + spec["max"]) / 2,
                field,
                pid,
                spec["min"],
                spec["max"],
                spec["step"],
                anchor,
            )
        )
    parts.append(Markup('<p class="cb-exercise__actions"><button type="submit">Commit my prediction</button></p>'))
    parts.append(Markup('<p class="cb-feedback cb-visually-hidden" role="status" aria-live="polite"></p>'))
    parts.append(
        Markup(
            '<div class="cb-reveal" hidden><p class="cb-reveal__line"></p><p class="cb-reveal__result"></p>'
            '<p class="cb-reveal__explain"></p></div>'
        )
    )
    if shown is not None and edition == "instructor":
        parts.append(
            Markup(
                '<div class="cb-model-answer" role="note" aria-label="The model\'s result">'
                "<p><strong>The model's result.</strong> {}</p></div>"
            ).format(shown)
        )
    parts.append(_json_script(spec))
    parts.append(Markup("</form>"))
    return str(Markup("\n").join(parts))


def progress_data(chapters: Sequence[ChapterEntry], title: str) -> dict:
    """What the "My progress" page tracks: each chapter's checked exercises, discussion questions and
    predictions, in book order, with the anchors of their forms.

    Parameters
    ----------
    chapters : sequence of ChapterEntry
        In book order.
    title : str
        The book's title (named in an export).

    Returns
    -------
    dict
        JSON-ready: ``title`` and ``chapters`` (``slug``, ``title``, ``href``, ``items``: ``id``, ``kind``
        (``checked``, ``discussion`` or ``prediction``), ``label``, ``anchor``).
    """
    out = []
    for chapter in chapters:
        case = load_case(chapter.case_file)
        items = []
        for k, ex in enumerate(case.teaching["exercises"], start=1):
            kind = "checked" if ex.get("kind") else "discussion"
            items.append({"id": ex["id"], "kind": kind, "label": f"Exercise {k}", "anchor": f"exercise-{ex['id']}"})
        for p in getattr(case, "predictions", ()):
            items.append(
                {"id": p.id, "kind": "prediction", "label": f"Prediction: {p.prompt}", "anchor": f"prediction-{p.id}"}
            )
        out.append({"slug": chapter.slug, "title": chapter.title, "href": f"{chapter.slug}.html", "items": items})
    return {"title": title, "chapters": out}
