"""Plotly figures that make the model visible (casebook/front_matter/model.md), each split into data and drawing.

Every figure comes as a pair:

* a **data function** (``*_data``) that may run the model, batch-first: it builds at most one
  :class:`~levelii_kit.scenario.ScenarioBatch` and solves it once (never a Python loop calling the solver per
  scenario), and returns a plain ``dict`` of numpy arrays, lists, numbers and strings;
* a **figure function** (``*_figure``) that takes only that dict and returns a
  :class:`plotly.graph_objects.Figure`. It never calls the model, so a figure can be redrawn, restyled or
  tested without solving anything.

Every figure has a plain-text title (``fig.layout.title.text``), axis titles, and a one-sentence summary with
the key numbers in ``fig.layout.meta["summary"]``; the casebook site turns the summary into the figure's
accessible caption. Colours come from the Okabe-Ito palette, which stays distinguishable under the common
colour-vision deficiencies: side A blue ``#0072B2``, side B vermillion ``#D55E00``, the ZOPA and the chance of
agreement green ``#009E73``. Figures use no external resources (no web fonts, no MathJax, no images).

The figures:

======================================  =========================================================================
``actor_map_data`` / ``_figure``        who sits at the Level I table, who stands behind each side
``support_data`` / ``_figure``          support per constituency at the outcome, quota per side, vetoes
``winset_data`` / ``_figure``           crisp acceptable intervals, the win-sets, the ZOPA and the outcome (1-D)
``ratification_curve_data`` / ...       :math:`P_A(x)`, :math:`P_B(x)` and :math:`P_{AB}(x)` across the issue
``waterfall_data`` / ``_figure``        the helper's ledger: baseline, Shapley share per move, costs, net
``heatmap_data`` / ``_figure``          chance of agreement over two constituencies' strengths
``schelling_data`` / ``_figure``        outcome, chance of agreement and :math:`E_A` against one strength
``whatif_data`` / ``_figure``           support with a strength slider and move-set buttons (no kernel needed)
``power_data`` / ``_figure``            weight share, Banzhaf and Shapley-Shubik per constituency of a side
======================================  =========================================================================

The "chance of agreement" is :math:`P_{AB}` at the Level I outcome, and 0 when the solver finds no deal.
"""

from .._protocol import PLOTLY_MIME
from ._style import SIDE_COLOURS, ZOPA_COLOUR
from .actors import actor_map_data, actor_map_figure, power_data, power_figure
from .bars import support_data, support_figure
from .display import figure_mimebundle, use_mimetype_display
from .sweeps import heatmap_data, heatmap_figure, schelling_data, schelling_figure
from .waterfall import waterfall_data, waterfall_figure
from .whatif import whatif_data, whatif_figure
from .winsets import ratification_curve_data, ratification_curve_figure, winset_data, winset_figure

__all__ = [
    "SIDE_COLOURS",
    "ZOPA_COLOUR",
    "actor_map_data",
    "actor_map_figure",
    "support_data",
    "support_figure",
    "winset_data",
    "winset_figure",
    "ratification_curve_data",
    "ratification_curve_figure",
    "waterfall_data",
    "waterfall_figure",
    "heatmap_data",
    "heatmap_figure",
    "schelling_data",
    "schelling_figure",
    "whatif_data",
    "whatif_figure",
    "power_data",
    "power_figure",
    "PLOTLY_MIME",
    "figure_mimebundle",
    "use_mimetype_display",
]
