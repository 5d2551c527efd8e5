"""Small text helpers shared by every layer: readable labels from identifiers, one-line text.

Names only, no third-party imports: the model, the case files, the teaching layer and the book all use these.
"""

from __future__ import annotations

import html

__all__ = ["escape_markdown", "humanize", "one_line"]


def humanize(name: str) -> str:
    """A readable label for an identifier that has none: underscores become spaces, the first letter a capital.

    Parameters
    ----------
    name : str
        An identifier from a case file or a scenario (``party_conservatives``).

    Returns
    -------
    str

    Examples
    --------
    >>> humanize("party_conservatives"), humanize("B_hawk"), humanize("dm12bn")
    ('Party conservatives', 'B hawk', 'Dm12bn')
    """
    text = " ".join(str(name).replace("_", " ").split())
    return text[:1].upper() + text[1:]


def one_line(text: object) -> str:
    """``text`` with every run of whitespace (newlines too) collapsed to one space.

    Parameters
    ----------
    text : object
        Anything with a ``str``.

    Returns
    -------
    str

    Examples
    --------
    >>> one_line("  two\\n lines ")
    'two lines'
    """
    return " ".join(str(text).split())


def escape_markdown(text: object) -> str:
    """Escape case-file text for Markdown display: no raw HTML, no accidental emphasis, links or tables.

    Parameters
    ----------
    text : object

    Returns
    -------
    str

    Examples
    --------
    >>> escape_markdown("<b>bold</b> *x*")
    '&lt;b&gt;bold&lt;/b&gt; \\\\*x\\\\*'
    """
    out = html.escape(str(text), quote=False)
    for ch in "\\`*_[]#|":
        out = out.replace(ch, "\\" + ch)
    return out
