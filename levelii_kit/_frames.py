"""Tables that code reads by name and readers read in words.

The model's tables (:meth:`levelii_kit.Result.support_table`, :meth:`~levelii_kit.Ledger.table`, ...) are
pandas DataFrames indexed and headed by identifiers (``party_conservatives``, ``weighted_support``), so that code
and tests can write ``table.loc["military", "support"]``. A reader should see words. :func:`labelled` returns the
same DataFrame (a subclass, :class:`LabelledFrame`) that *shows* readable labels: in a notebook
(``_repr_html_``), printed (``repr``, ``to_string``) and exported (``to_html``), while indexing, arithmetic and
every pandas method still work on the identifiers. The labels follow the frame through pandas operations that
keep its metadata (``round``, ``copy``, ``assign``, ``set_index``, selections).

pandas is imported on first use only, so ``import levelii_kit`` stays light.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

__all__ = ["display_frame", "labelled"]


@functools.cache
def _frame_class() -> type:
    """The :class:`LabelledFrame` class (built once, when pandas is first needed)."""
    import pandas as pd

    class LabelledFrame(pd.DataFrame):
        """A DataFrame that shows readable labels for its identifiers (see :func:`labelled`)."""

        _metadata = ["display_labels"]

        @property
        def _constructor(self):
            return LabelledFrame

        def display(self) -> pd.DataFrame:
            """A plain DataFrame with the labels in place of the identifiers: what a reader sees."""
            return display_frame(self)

        def _repr_html_(self) -> str | None:
            return self.display()._repr_html_()

        def __repr__(self) -> str:
            return repr(self.display())

        def to_string(self, *args: Any, **kwargs: Any) -> str:
            """:meth:`pandas.DataFrame.to_string` of :meth:`display`."""
            return self.display().to_string(*args, **kwargs)

        def to_html(self, *args: Any, **kwargs: Any) -> str:
            """:meth:`pandas.DataFrame.to_html` of :meth:`display`."""
            return self.display().to_html(*args, **kwargs)

    LabelledFrame.__module__ = __name__
    LabelledFrame.__qualname__ = "LabelledFrame"
    return LabelledFrame


def labelled(
    frame: Any,
    index: Mapping[Any, str] | None = None,
    columns: Mapping[str, str] | None = None,
    values: Mapping[str, Mapping[Any, str]] | None = None,
    index_name: str | None = None,
) -> Any:
    """``frame`` as a :class:`LabelledFrame` that shows ``index``/``columns`` labels to readers.

    Parameters
    ----------
    frame : pandas.DataFrame
    index : mapping, optional
        Index value to the label shown for it.
    columns : mapping, optional
        Column name to the header shown for it.
    values : mapping of column to mapping, optional
        For columns holding identifiers (a ``side`` column): value to the label shown.
    index_name : str, optional
        The header shown above the index.

    Returns
    -------
    LabelledFrame
        Equal to ``frame`` (same index, columns and values).

    Examples
    --------
    >>> import pandas as pd
    >>> t = labelled(pd.DataFrame({"weighted_support": [0.5]}, index=["B_hawk"]),
    ...              index={"B_hawk": "B's hawks"}, columns={"weighted_support": "Weighted support"})
    >>> float(t.loc["B_hawk", "weighted_support"])
    0.5
    >>> print(t)
               Weighted support
    B's hawks               0.5
    """
    out = _frame_class()(frame)
    out.display_labels = {
        "index": dict(index or {}),
        "columns": dict(columns or {}),
        "values": {k: dict(v) for k, v in (values or {}).items()},
        "index_name": index_name,
        "index_of": frame.index.name,
    }
    return out


def display_frame(frame: Any) -> Any:
    """The plain DataFrame a reader sees for ``frame`` (unchanged when it carries no labels).

    Parameters
    ----------
    frame : pandas.DataFrame

    Returns
    -------
    pandas.DataFrame
    """
    import pandas as pd

    labels = getattr(frame, "display_labels", None) or {}
    plain = pd.DataFrame(frame, copy=True)
    for column, mapping in (labels.get("values") or {}).items():
        if column in plain.columns:
            plain[column] = [mapping.get(v, v) for v in plain[column]]
    index_name = labels.get("index_name")
    same_index = plain.index.name == labels.get("index_of")  # not after, say, set_index("moves")
    plain = plain.rename(index=(labels.get("index") or {}) if same_index else {}, columns=labels.get("columns") or {})
    if index_name is not None and same_index:
        plain.index.name = index_name
    return plain
