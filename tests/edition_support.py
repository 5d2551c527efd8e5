"""What the editions must hold, read from the source notebooks themselves (no marker strings in content).

The student edition leaves out every cell tagged ``instructor`` or ``solution``; the instructor edition shows
them. These helpers take a distinctive stretch of real text from each such cell, and the text a reader sees
on a rendered page, so that tests can look for one in the other.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
TEACHER_TAGS = {"instructor", "solution"}


class _Text(HTMLParser):
    """The text of a page as a reader sees it (no scripts, styles or hidden JSON)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(path: Path) -> str:
    """The visible text of an HTML page, whitespace collapsed."""
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join("".join(parser.parts).split())


def _plain_markdown(source: str) -> list[str]:
    """The paragraphs of a markdown cell as plain text (headings, emphasis, code ticks and links undone)."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", source)
    paragraphs = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if not ln.lstrip().startswith("#")]
        plain = re.sub(r"[*`]+", "", " ".join(lines))
        plain = re.sub(r"^\s*(?:[-+]|\d+\.)\s+", "", plain)
        plain = html.unescape(" ".join(plain.split()))
        if plain:
            paragraphs.append(plain)
    return paragraphs


def teacher_fragments(slug: str, length: int = 48) -> list[str]:
    """One stretch of real text (``length`` characters, or the whole line when shorter) from every cell tagged
    ``instructor`` or ``solution`` in the chapter's source notebook: the first words of a markdown cell's first
    paragraph, or the first line of a code cell."""
    nb = nbformat.read(ROOT / "cases" / slug / f"{slug}.ipynb", as_version=4)
    out = []
    for cell in nb.cells:
        if not TEACHER_TAGS & set(cell.metadata.get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            paragraphs = _plain_markdown(cell.source)
            if paragraphs:
                out.append(paragraphs[0][:length].rsplit(" ", 1)[0] if len(paragraphs[0]) > length else paragraphs[0])
        else:
            first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
            if first:
                out.append(" ".join(first.split())[:length])
    return out


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def figure_texts(spec: dict) -> list[str]:
    """Every piece of text a reader can see in a plotly figure: titles, axis titles and ticks, categories,
    legend names, bar and hover text, annotations, slider and button labels, and the text summary."""
    out: list[str] = []

    def add(x):
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict) and isinstance(x.get("text"), str):
            out.append(x["text"])
        elif isinstance(x, list):
            for item in x:
                add(item)

    layout = spec.get("layout", {})
    add(layout.get("title"))
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            add(value.get("title"))
            add(value.get("ticktext"))
            add(value.get("categoryarray"))
    for annotation in layout.get("annotations") or []:
        add(annotation.get("text"))
    for slider in layout.get("sliders") or []:
        add([step.get("label") for step in slider.get("steps") or []])
        add((slider.get("currentvalue") or {}).get("prefix"))
    for menu in layout.get("updatemenus") or []:
        add([button.get("label") for button in menu.get("buttons") or []])
    meta = layout.get("meta")
    if isinstance(meta, dict):
        add(meta.get("summary"))
    for trace in spec.get("data", []):
        add(trace.get("name"))
        add(trace.get("title"))
        for key in ("x", "y", "text", "hovertext", "labels"):
            value = trace.get(key)
            if isinstance(value, (str, list)):
                add(value)
    return out


def table_texts(html_text: str) -> list[str]:
    """The header and cell texts of the HTML tables in an output."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", cell))
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", html_text, re.S)
    ]


def identifiers_shown(notebook: Path, identifiers: dict[str, str]) -> list[tuple[str, str]]:
    """``(identifier, text)`` for every identifier a figure or table of an executed notebook shows.

    ``identifiers`` maps each identifier of the case (constituencies, moves, issues, terms) to its label. An
    identifier counts as shown when it stands as a word of its own (case-sensitive) in a figure's or a table's
    text. Identifiers that read as a word of their own label (``military`` in "Soviet military ...") and
    one- or two-letter identifiers cannot be told apart from prose, so they are not looked for.
    """
    nb = nbformat.read(notebook, as_version=4)
    texts: list[str] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                texts += figure_texts(data[PLOTLY_MIME])
            if "text/html" in data:
                texts += table_texts(data["text/html"])
    wanted = {
        i: re.compile(rf"(?<![\w-]){re.escape(i)}(?![\w-])")
        for i, label in identifiers.items()
        if len(i) > 2 and i.lower() not in label.lower()
    }
    return [(i, t) for t in texts for i, pattern in wanted.items() if pattern.search(t)]
