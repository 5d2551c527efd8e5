"""The contract between chapter notebooks, the casebook build, the site and ``levelii present``.

Names only: nothing is read or set at import. Each constant is defined here once and imported where it is
used, so that the build, the rendered editions and the classroom projector cannot drift apart.

Environment variables
    :data:`STATIC_BUILD_ENV`, :data:`CASES_ENV`.
Output mimetypes
    :data:`PLOTLY_MIME` (plotly figures), :data:`RECORD_MIME` (numbers a chapter publishes for its tests),
    :data:`WIDGET_MIME` (ipywidgets views).
Cell tags
    :data:`PARAMETERS_TAG`, :data:`STUDENT_REMOVED_TAGS`, :data:`ALWAYS_REMOVED_TAGS`, :data:`BOXED_TAGS`,
    :data:`KNOWN_TAGS`.
"""

__all__ = [
    "ALWAYS_REMOVED_TAGS",
    "BOXED_TAGS",
    "CAPTION_TAG",
    "CASES_ENV",
    "EXERCISE_MIME",
    "INJECTED_PARAMETERS_TAG",
    "KNOWN_TAGS",
    "LIVE_ONLY_TAG",
    "PARAMETERS_TAG",
    "PLOTLY_MIME",
    "PREDICTION_MIME",
    "RECORD_MIME",
    "STATIC_BUILD_ENV",
    "STUDENT_REMOVED_TAGS",
    "WIDGET_MIME",
]

#: Set (to any non-empty value) by the casebook build in every chapter it executes for the HTML casebook.
#: There is no kernel behind the HTML, so the live explorer is skipped (:func:`levelii_kit.widgets.explorer`)
#: and figures are shown through the plotly mimetype only (:func:`levelii_kit.plots.use_mimetype_display`,
#: called by :func:`levelii_kit.chapter.setup`).
STATIC_BUILD_ENV = "LEVELII_STATIC_BUILD"

#: Where :func:`levelii_kit.cases_dir` looks for the case folders when set.
CASES_ENV = "LEVELII_CASES"

#: plotly's own mimetype for a figure (plotly's default renderer); nbconvert's stock templates drop it.
PLOTLY_MIME = "application/vnd.plotly.v1+json"

#: The mimetype of the outputs written by :func:`levelii_kit.chapter.record` (rendered as nothing).
RECORD_MIME = "application/vnd.levelii.record+json"

#: An exercise's form and every verdict it can show (:func:`levelii_kit.exercises.form_spec`), rendered by the
#: casebook build as an HTML form that checks answers with no kernel.
EXERCISE_MIME = "application/vnd.levelii.exercise+json"

#: A prediction prompt and its sealed result (:func:`levelii_kit.predictions.prompt_spec`), rendered by the
#: casebook build as a predict-then-reveal form.
PREDICTION_MIME = "application/vnd.levelii.prediction+json"

#: ipywidgets' view mimetype (dead without a kernel).
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

#: papermill's tag for the cell that defines a chapter's parameters.
PARAMETERS_TAG = "parameters"

#: papermill's tag for the cell it inserts with the values it was given.
INJECTED_PARAMETERS_TAG = "injected-parameters"

#: The live widget explorer's cell: it needs a kernel, so it is left out of the HTML.
LIVE_ONLY_TAG = "live-only"

#: A markdown cell right after a figure's cell that describes the figure.
CAPTION_TAG = "caption"

#: Cells left out of every rendered edition.
ALWAYS_REMOVED_TAGS = frozenset({"remove-cell", LIVE_ONLY_TAG})

#: Cells left out of everything a student sees: the student edition and the classroom projector.
STUDENT_REMOVED_TAGS = frozenset({"instructor", "solution", INJECTED_PARAMETERS_TAG, "remove-student"})

#: Tags whose cells the instructor edition shows in a labelled box, in this order of precedence (a cell with
#: both tags is boxed as a solution).
BOXED_TAGS = ("solution", "instructor")

#: Every cell tag a chapter may use.
KNOWN_TAGS = frozenset(
    {PARAMETERS_TAG, INJECTED_PARAMETERS_TAG, CAPTION_TAG, "remove-input", "remove-output"}
    | ALWAYS_REMOVED_TAGS
    | STUDENT_REMOVED_TAGS
)
