"""The reader's casebook (issue 11) without a browser: launch links, the repo2docker environment, the plotly
bundle, search sections, downloads and the book config. Expected values are written out by hand from
nbgitpuller's documented link format, repo2docker's documented configuration files and the fixtures."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
import yaml
from edition_support import teacher_fragments

from levelii_kit import load_case
from levelii_kit.book import bundle, search
from levelii_kit.book.launch import LAUNCH_FOLDER, LaunchConfig, load_launch_config, nbgitpuller_url
from levelii_kit.book.pages import INSTRUCTOR_ONLY_TEACHING_KEYS, write_downloads
from levelii_kit.book.toc import discover_chapters
from levelii_kit.cli import main
from levelii_kit.errors import BuildError

REPO = Path(__file__).resolve().parents[1]
CASEBOOK = REPO / "casebook"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"


# ---- launch links (nbgitpuller's documented URL options and its link generator) -------------------------------


def test_nbgitpuller_link_format():
    url = nbgitpuller_url("https://hub.example.edu/", "https://github.com/o/levelii", "cases/x/x.ipynb", "dev")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query, strict_parsing=True) == {
        "repo": ["https://github.com/o/levelii"],
        "urlpath": ["lab/tree/levelii-casebook/cases/x/x.ipynb"],
        "branch": ["dev"],
        "targetPath": ["levelii-casebook"],
    }
    classic = nbgitpuller_url("https://hub.example.edu/jupyter", "https://g/r", "a.ipynb", interface="notebook")
    assert classic.startswith("https://hub.example.edu/jupyter/hub/user-redirect/git-pull?repo=https%3A%2F%2Fg%2Fr&")
    assert parse_qs(urlsplit(classic).query)["urlpath"] == ["tree/levelii-casebook/a.ipynb"]


def test_launch_config_file_and_overrides(tmp_path):
    assert not load_launch_config(tmp_path).enabled  # no book.yaml: no launch links
    assert not load_launch_config(CASEBOOK).enabled  # the shipped book.yaml names no hub
    (tmp_path / "book.yaml").write_text(
        "launch:\n  hub: https://hub.a.edu\n  repo: https://github.com/o/r\n  branch: trunk\n", encoding="utf-8"
    )
    config = load_launch_config(tmp_path)
    assert config == LaunchConfig("https://hub.a.edu", "https://github.com/o/r", "trunk", "lab")
    assert config.url("s") == nbgitpuller_url("https://hub.a.edu", "https://github.com/o/r", "cases/s/s.ipynb", "trunk")
    assert (
        load_launch_config(tmp_path, hub="https://other.edu", branch="main")
        .url("s")
        .startswith("https://other.edu/hub/user-redirect/git-pull?")
    )


@pytest.mark.parametrize(
    "text, message",
    [
        ("launch:\n  hub: ftp://h\n  repo: https://g/r\n", "book.yaml: launch.hub: expected an http(s) URL"),
        ("launch:\n  hub: https://h\n", "need both a hub and a repo URL: hub is set, repo is not"),
        ("launch:\n  hubb: https://h\n", "book.yaml: launch.hubb: unknown key"),
        ("launch:\n  interface: voila\n", "book.yaml: launch.interface: expected lab or notebook, got 'voila'"),
        ("pdf: true\n", "book.yaml: unknown key 'pdf'"),
        ("launch: [\n", "book.yaml is not valid YAML"),
    ],
)
def test_launch_config_errors_name_the_field(tmp_path, text, message):
    (tmp_path / "book.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BuildError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_launch_config(tmp_path)


def test_cli_build_rejects_a_bad_hub_in_one_line(capsys):
    assert main(["build", "--hub", "https://hub.example.edu"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["levelii: error: launch links need both a hub and a repo URL: hub is set, repo is not"]
    assert main(["build", "--hub", "hub.example.edu", "--repo", "https://g/r"]) == 2
    assert "--hub: expected an http(s) URL" in capsys.readouterr().err


# ---- the environment repo2docker builds (its docs: a `binder/` or `.binder/` folder, or the root) -----------


def test_binder_folder_is_hidden_and_the_top_level_unchanged():
    """repo2docker reads `.binder/` first; no new top-level file (the design fixes the top level)."""
    top = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    names = {p.split("/")[0] for p in top}
    fixed = {"pyproject.toml", "Makefile", "README.md", "levelii_kit", "cases", "casebook", "tests", "benchmarks"}
    assert {n for n in names if not n.startswith(".")} <= fixed
    assert not (REPO / "binder").exists(), "repo2docker refuses a repository with both binder/ and .binder/"
    assert {p.name for p in (REPO / ".binder").iterdir()} == {"requirements.txt", "runtime.txt", "start"}


def test_binder_environment_installs_the_kit_and_nbgitpuller():
    lines = [
        line.split("#", 1)[0].strip()
        for line in (REPO / ".binder" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    ]
    assert [line for line in lines if line] == [".", "nbgitpuller"]  # `.`: the whole repository, with its deps
    runtime = (REPO / ".binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == "python-3.11"
    requires = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"]
    assert requires == ">=3.11"


@pytest.mark.parametrize("binder_layout", [True, False])
def test_binder_start_points_the_kit_at_the_cloned_chapters(tmp_path, binder_layout):
    start = REPO / ".binder" / "start"
    assert os.access(start, os.X_OK)
    home = tmp_path / "home"
    (home / ("cases" if binder_layout else "elsewhere")).mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k != "LEVELII_CASES"} | {"HOME": str(home)}
    out = subprocess.run([str(start), "printenv", "LEVELII_CASES"], env=env, capture_output=True, text=True, check=True)
    expected = home / "cases" if binder_layout else home / LAUNCH_FOLDER / "cases"
    assert out.stdout.strip() == str(expected)
    env["LEVELII_CASES"] = "/kept"
    out = subprocess.run([str(start), "printenv", "LEVELII_CASES"], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "/kept"


# ---- the plotly bundle ---------------------------------------------------------------------------------------


def _notebook_with(traces):
    nb = nbformat.v4.new_notebook()
    spec = {"data": traces, "layout": {}}
    out = nbformat.v4.new_output("display_data", data={"application/vnd.plotly.v1+json": spec})
    nb.cells = [nbformat.v4.new_code_cell("fig", outputs=[out])]
    return nb


def test_trace_types_reads_every_plotly_output(tmp_path):
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    nbformat.write(_notebook_with([{"type": "bar", "y": [1]}, {"y": [2]}]), a)  # no type: scatter
    nbformat.write(_notebook_with([{"type": "waterfall"}]), b)
    assert bundle.trace_types([a, b]) == {"bar", "scatter", "waterfall"}


def test_partial_bundle_holds_the_requested_traces_only():
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    made = bundle.plotly_bundle({"bar", "contour"}, CASEBOOK)
    assert made.kind == "partial", made.note
    assert made.traces == ("bar", "contour", "scatter")
    assert made.version == get_plotlyjs_version()
    assert made.text.startswith(f"/* plotly.js v{made.version} (partial bundle: bar, contour, scatter)")
    assert "var Plotly=" in made.text[:400]
    assert len(made.text) < len(get_plotlyjs()) / 2
    smaller = bundle.plotly_bundle({"bar"}, CASEBOOK)
    assert len(smaller.text) < len(made.text)  # contour's module is really left out


def test_full_bundle_without_node_says_why(monkeypatch):
    from plotly.offline import get_plotlyjs

    monkeypatch.setenv(bundle.NO_NODE_ENV, "1")
    made = bundle.plotly_bundle({"bar"}, CASEBOOK)
    assert made.kind == "full" and made.text == get_plotlyjs()
    assert "because $LEVELII_NO_NODE is set" in made.note


def test_full_bundle_when_npm_pins_another_plotly_version(tmp_path):
    package = tmp_path / "node_modules" / "plotly.js"
    package.mkdir(parents=True)
    (package / "package.json").write_text(json.dumps({"version": "0.0.1"}), encoding="utf-8")
    (tmp_path / "node_modules" / "minisearch").mkdir()
    made = bundle.plotly_bundle({"bar"}, tmp_path)
    assert made.kind == "full"
    assert "pins plotly.js 0.0.1, not the" in made.note


# ---- search sections -------------------------------------------------------------------------------------------

PAGE = """<html><body><header><h1>Site</h1></header><main>
<div class="cb-chapter-meta"><p>Part · Chapter 1</p></div>
<h1 id="t">Title</h1><p>Intro &amp; more.</p>
<div class="jp-InputArea-editor"><pre>secret_code()</pre></div>
<h2 id="s">Second</h2><p>Body<br>text</p><script type="application/json">{"x": "json"}</script>
<p class="cb-print-only">print note</p>
<dl><dt id="term-a">Alpha</dt><dd>first letter</dd></dl>
<nav class="cb-pager"><a href="x.html">Next</a></nav>
</main><footer>foot</footer></body></html>"""


def test_page_sections_follow_headings_and_leave_out_code_and_chrome():
    got = search.page_sections(PAGE, "p.html", "Page", first_id=5)
    assert [(s.id, s.url, s.heading, s.text) for s in got] == [
        (5, "p.html#t", "Title", "Title Intro & more."),
        (6, "p.html#s", "Second", "Second Body text"),
        (7, "p.html#term-a", "Alpha", "Alpha first letter"),
    ]
    assert got[0].excerpt == "Intro & more." and got[0].page == "Page"


def test_search_index_with_and_without_node(tmp_path, monkeypatch):
    sections = search.page_sections(PAGE, "p.html", "Page")
    note = search.write_search_index(tmp_path, sections, CASEBOOK)
    assert note.startswith("search: MiniSearch index of 3 sections")
    text = (tmp_path / "search-index.js").read_text(encoding="utf-8")
    data = json.loads(text.removeprefix("window.casebookSearchData = ").rstrip(";\n"))
    assert data["engine"] == "minisearch" and data["index"]["documentCount"] == 3
    assert data["index"]["storedFields"]["1"] == {"url": "p.html#s", "page": "Page", "heading": "Second",
                                                  "excerpt": "Body text"}  # fmt: skip
    assert (tmp_path / "minisearch.js").is_file()
    monkeypatch.setenv(bundle.NO_NODE_ENV, "1")
    plain = tmp_path / "plain"
    plain.mkdir()
    note = search.write_search_index(plain, sections, CASEBOOK)
    assert "matched word by word in the browser, because $LEVELII_NO_NODE is set" in note
    data = json.loads((plain / "search-index.js").read_text(encoding="utf-8")[len("window.casebookSearchData = ") : -2])
    assert data["engine"] == "words" and [d["text"] for d in data["documents"]][1] == "Second Body text"


def test_search_index_script_cannot_be_closed_by_its_text(tmp_path):
    evil = [search.SearchSection(0, "p.html", "P", "", "</script><script>alert(1)</script>", "x")]
    search.write_search_index(tmp_path, evil, CASEBOOK)
    assert "</script>" not in (tmp_path / "search-index.js").read_text(encoding="utf-8")


def _plain(text):
    return " ".join(re.sub(r"[*`]+", "", text).split())


# ---- downloads -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("edition", ["student", "instructor"])
def test_downloads_are_the_source_notebook_without_outputs(tmp_path, edition):
    chapters = discover_chapters(REPO / "cases")
    written = write_downloads(chapters, edition, tmp_path)
    assert len(written) == 2 * len(chapters)
    for chapter in chapters:
        path = tmp_path / "downloads" / chapter.slug / f"{chapter.slug}.ipynb"
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        source = nbformat.read(chapter.notebook, as_version=4)
        assert all(not c.get("outputs") and c.execution_count is None for c in nb.cells if c.cell_type == "code")
        text = " ".join(" ".join(c.source for c in nb.cells).split())
        assert f'setup("{chapter.slug}"' in text  # the notebook of that chapter
        teacher = [
            c for c in source.cells if {"instructor", "solution", "remove-student"} & set(c.metadata.get("tags", []))
        ]
        fragments = teacher_fragments(chapter.slug)
        assert teacher and fragments
        if edition == "student":
            assert not any(f in text for f in fragments)
            assert len(nb.cells) == len(source.cells) - len(teacher)
        else:
            assert all(f in _plain(text) for f in fragments) and len(nb.cells) == len(source.cells)
        case_copy = tmp_path / "downloads" / chapter.slug / "case.yaml"
        if edition == "instructor":
            assert case_copy.read_bytes() == chapter.case_file.read_bytes()
        else:  # loads as a valid case file of that chapter, without the instructor notes
            folder = tmp_path / "check" / chapter.slug
            folder.mkdir(parents=True)
            (folder / "case.yaml").write_bytes(case_copy.read_bytes())
            case = load_case(folder / "case.yaml")
            assert case.slug == chapter.slug and case.title == load_case(chapter.case_file).title
            original = yaml.safe_load(chapter.case_file.read_text(encoding="utf-8"))["teaching"]
            copy = yaml.safe_load(case_copy.read_text(encoding="utf-8"))["teaching"]
            assert "instructor_notes" not in copy and original["instructor_notes"]
            assert copy == {k: v for k, v in original.items() if k not in INSTRUCTOR_ONLY_TEACHING_KEYS}


def test_fixture_downloads_keep_a_case_without_instructor_keys_byte_for_byte(tmp_path):
    chapters = discover_chapters(FIXTURES / "cases")
    write_downloads(chapters, "student", tmp_path)
    for chapter in chapters:
        text = chapter.case_file.read_text(encoding="utf-8")
        if "instructor_notes" not in text:
            assert (tmp_path / "downloads" / chapter.slug / "case.yaml").read_text(encoding="utf-8") == text
