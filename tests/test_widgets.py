"""The live explorer, headless: ipywidgets objects work without a kernel or a frontend."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

import levelii_kit as lk

widgets = lk.widgets


@pytest.fixture(scope="module")
def german():
    return lk.load_case("german_unification")


@pytest.fixture(scope="module")
def explorer_gu(german):
    return widgets.Explorer(german)


def _bars(fig):
    return [tuple(fig.data[0].x), tuple(fig.data[1].x), tuple(fig.data[2].y)]


def test_explorer_returns_a_vbox_with_the_explorer_behind_it(german):
    import ipywidgets

    box = widgets.explorer(german)
    assert isinstance(box, ipywidgets.VBox)
    ex = box.explorer
    assert isinstance(ex, widgets.Explorer)
    assert ex.widget is box
    assert ex.figure in box.children and ex.summary in box.children


def test_a_slider_per_constituency_and_a_switch_per_move(german, explorer_gu):
    import ipywidgets
    import plotly.graph_objects as go

    ex = explorer_gu
    scenario = german.scenario
    assert list(ex.sliders) == list(scenario.constituency_names)
    for c in scenario.constituencies:
        s = ex.sliders[c.name]
        assert isinstance(s, ipywidgets.FloatSlider)
        assert s.value == pytest.approx(c.strength)
        assert s.min == 0.0 and s.max == pytest.approx(max(3.0, 3.0 * c.strength))
        assert s.step == pytest.approx(0.05) and s.continuous_update is False
        assert s.description == " ".join(c.label.split())
        assert c.label.split()[0] in s.tooltip
    assert list(ex.toggles) == list(german.move_ids)
    for m in german.moves:
        t = ex.toggles[m.id]
        assert t.value is False  # no default moves in this case
        assert m.category in t.tooltip and m.category in t.description
    assert isinstance(ex.figure, go.FigureWidget)
    assert ex.result is not None and ex.result.size == 1


def test_the_figure_is_updated_in_place(german):
    ex = widgets.Explorer(german)
    fig = ex.figure
    before = _bars(fig)
    ex.sliders["party_conservatives"].value = 0.4  # fires the observer: re-solve, update in place
    assert ex.figure is fig
    after_slider = _bars(fig)
    assert after_slider != before
    ex.toggles["dm12bn"].value = True
    assert ex.figure is fig
    after_toggle = _bars(fig)
    assert after_toggle != after_slider
    # the bars are the model's numbers for the settings on the controls
    r = lk.solve(
        german.scenario_with(
            ["dm12bn"], {**{c.name: c.strength for c in german.scenario.constituencies}, "party_conservatives": 0.4}
        )
    )
    rows = [i for i, n in enumerate(r.batch.names) if r.batch.side_of[i] == 1]
    assert np.allclose(fig.data[1].x, r.support[0, rows])
    assert fig.data[2].y[1] == pytest.approx(float(r.side_probability[0, 1]))
    # the state a new view (Voila) starts from is the updated one, not the figure as built
    assert np.allclose(fig._widget_data[1]["x"], r.support[0, rows])


def test_helping_moves_raise_the_chance_of_agreement(german):
    ex = widgets.Explorer(german)
    for t in ex.toggles.values():
        t.value = False
    off = ex.update()
    for t in ex.toggles.values():
        t.value = True
    on = ex.update()
    chance = lambda r: float(r.probability[0]) if r.agreed[0] else 0.0  # noqa: E731
    assert chance(on) > chance(off) + 0.3
    assert ex.figure.data[2].y[2] == pytest.approx(chance(on))
    assert ex.figure.data[2].text[2] == f"{100 * chance(on):.0f}%"
    assert ex.figure.data[3].text[0].startswith("<b>Deal</b>")
    assert f"Chance of agreement: {100 * chance(on):.0f}%" in ex.summary.value
    assert 'role="status"' in ex.summary.value


def test_default_moves_start_on_and_stay_switchable():
    case = lk.load_case("panama_canal_treaties")
    defaults = [m.id for m in case.moves if m.default]
    assert defaults, "the Panama case marks the DeConcini reservation as a default move"
    ex = widgets.Explorer(case)
    assert all(ex.toggles[m].value for m in defaults)
    assert ex.moves_on == tuple(defaults)
    with_default = ex.result
    ex.toggles[defaults[0]].value = False
    assert ex.moves_on == ()
    without = ex.result
    assert not np.allclose(with_default.side_probability, without.side_probability) or not np.allclose(
        with_default.point, without.point
    )
    ex.reset()
    assert ex.moves_on == tuple(defaults)


def test_moves_on_and_chapter_start_values():
    case = lk.load_case("two_level_basics")
    ex = widgets.Explorer(case, moves_on=["their_hawk_veto"])
    assert ex.moves_on == ("their_hawk_veto",)
    with pytest.raises(KeyError, match="nope"):
        widgets.Explorer(case, moves_on=["nope"])
    ch = lk.chapter.setup("two_level_basics", strengths={"B_dove": 2.0})
    ex = widgets.Explorer(ch)
    assert ex.sliders["B_dove"].value == pytest.approx(2.0)
    assert ex.sliders["B_dove"].max == pytest.approx(6.0)
    assert ex.strengths["B_dove"] == pytest.approx(2.0)


def test_unsolvable_settings_keep_the_figure_and_say_why(german):
    ex = widgets.Explorer(german)
    fig = ex.figure
    before = _bars(fig)
    ex._hold = True
    for name in (
        "gorbachev",
        "reformers",
        "soviet_diplomats",
        "party_conservatives",
        "military",
        "supreme_soviet",
        "public_memory",
    ):
        ex.sliders[name].value = 0.0
    ex._hold = False
    assert ex.update() is None
    assert ex.result is None
    assert "cannot be solved" in ex.summary.value
    assert _bars(fig) == before
    assert ex.reset() is not None


def test_case_text_is_escaped(tmp_path):
    data = yaml.safe_load((lk.cases_dir() / "two_level_basics" / "case.yaml").read_text(encoding="utf-8"))
    data.pop("slug", None)
    data["sides"][1]["label"] = "<img src=x onerror=alert(1)> side B"
    data["sides"][1]["constituencies"][0]["label"] = "<b>bold</b> leader"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    ex = widgets.Explorer(lk.load_case(path))
    name = data["sides"][1]["constituencies"][0]["name"]
    ex.sliders[name].value = 2.5
    assert "<img" not in ex.summary.value and "&lt;img" in ex.summary.value
    assert "<b>bold" not in ex.summary.value
    texts = [t for tr in ex.figure.data for t in (tr.hovertext or ())] + list(ex.figure.data[1].y)
    assert not any("<img" in t or "<b>bold" in t for t in texts)


def test_chance_in_words_is_monotone():
    words = [widgets.chance_in_words(p) for p in (0.0, 0.1, 0.3, 0.5, 0.6, 0.8, 0.99)]
    assert words == [
        "almost no chance",
        "unlikely",
        "less likely than not",
        "about even",
        "more likely than not",
        "likely",
        "almost certain",
    ]


def test_live_and_static_explorers_draw_one_picture(german):
    """The live explorer's figure is the casebook what-if figure's state for the same settings."""
    ex = widgets.Explorer(german)
    ex.toggles["dm12bn"].value = True
    d = lk.plots.whatif_data(german, "military", [german.scenario.constituency("military").strength], {"x": ["dm12bn"]})
    static = lk.plots.whatif_figure(d)
    assert [t.type for t in ex.figure.data] == [t.type for t in static.data]
    for live, drawn in zip(ex.figure.data, static.data):
        assert live.x == drawn.x and live.y == drawn.y and live.text == drawn.text
        assert live.marker.color == drawn.marker.color
    assert ex.figure.data[2].marker.color[2] == lk.plots.ZOPA_COLOUR  # one palette: agreement is the ZOPA green
