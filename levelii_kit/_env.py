"""Environment variables the package reads (names only; nothing is read at import)."""

#: Set (to any non-empty value) by :mod:`levelii_kit.build` in every chapter it executes for the HTML
#: casebook. There is no kernel behind the HTML, so the live explorer is skipped
#: (:func:`levelii_kit.widgets.explorer`) and figures are shown through the plotly mimetype only
#: (:func:`levelii_kit.plots.use_mimetype_display`, called by :func:`levelii_kit.chapter.setup`).
STATIC_BUILD_ENV = "LEVELII_STATIC_BUILD"
