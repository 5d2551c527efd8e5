/* casebook.js: keyboard and screen-reader controls for the casebook's plotly figures.

   plotly.js draws a figure's sliders and buttons in SVG, which the keyboard cannot reach and screen
   readers do not announce as controls. For every figure with layout.sliders or layout.updatemenus
   this adds native controls under it: a range input per slider and a group of toggle buttons per
   button menu. Each runs exactly what plotly's own control runs (the step's or button's method and
   arguments, read from the live layout when used, so the what-if figures' cross-updates still
   apply) and moves plotly's control along; plotly's controls move the native ones back. The box
   stays visually hidden until it holds the keyboard focus, so mouse readers see one set of
   controls. Loaded from the edition folder, after plotly.min.js; no network. */
(function () {
  "use strict";

  function plain(text) {
    return String(text == null ? "" : text).replace(/<[^>]*>/g, "").replace(/[\s:]+$/, "").trim();
  }

  /* Run a slider step or a button as plotly would, with `extra` layout keys (its new "active"). */
  function run(gd, item, extra) {
    var args = item.args || [];
    if (item.method === "update") {
      return Plotly.update(gd, args[0] || {}, Object.assign({}, args[1] || {}, extra));
    }
    if (item.method === "relayout") {
      return Plotly.relayout(gd, Object.assign({}, args[0] || {}, extra));
    }
    if (item.method === "restyle") {
      return Plotly.restyle(gd, args[0] || {}, args[1]).then(function () { return Plotly.relayout(gd, extra); });
    }
    return Plotly.relayout(gd, extra);
  }

  function indexOf(list, options) {
    if (options && typeof options._index === "number") return options._index;
    return (list || []).indexOf(options);
  }

  function sliderControl(gd, slider, si) {
    var steps = slider.steps || [];
    var wrap = document.createElement("label");
    wrap.className = "cb-control cb-control--slider";
    var name = document.createElement("span");
    name.className = "cb-control__name";
    name.textContent = plain(slider.currentvalue && slider.currentvalue.prefix) || "step";
    var input = document.createElement("input");
    input.type = "range";
    input.min = "0";
    input.max = String(steps.length - 1);
    input.step = "1";
    var shown = document.createElement("output");
    function show(i) {
      var label = plain(steps[i] && steps[i].label);
      input.value = String(i);
      input.setAttribute("aria-valuetext", label);
      shown.textContent = label;
    }
    show(slider.active || 0);
    input.addEventListener("input", function () {
      var i = Number(input.value);
      var extra = {};
      extra["sliders[" + si + "].active"] = i;
      show(i);
      run(gd, gd.layout.sliders[si].steps[i], extra);
    });
    gd.on("plotly_sliderchange", function (event) {
      if (indexOf(gd._fullLayout && gd._fullLayout.sliders, event.slider) === si) show(event.slider.active);
    });
    wrap.append(name, input, shown);
    return wrap;
  }

  function menuControl(gd, menu, mi, caption) {
    var group = document.createElement("div");
    group.className = "cb-control cb-control--buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", caption);
    var name = document.createElement("span");
    name.className = "cb-control__name";
    name.setAttribute("aria-hidden", "true");
    name.textContent = caption;
    group.append(name);
    var buttons = (menu.buttons || []).map(function (item, j) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = plain(item.label) || "option " + (j + 1);
      button.addEventListener("click", function () {
        var extra = {};
        extra["updatemenus[" + mi + "].active"] = j;
        press(j);
        run(gd, gd.layout.updatemenus[mi].buttons[j], extra);
      });
      group.append(button);
      return button;
    });
    function press(active) {
      buttons.forEach(function (button, j) { button.setAttribute("aria-pressed", String(j === active)); });
    }
    press(menu.active == null ? 0 : menu.active);
    gd.on("plotly_buttonclicked", function (event) {
      if (indexOf(gd._fullLayout && gd._fullLayout.updatemenus, event.menu) === mi) press(event.active);
    });
    return group;
  }

  /* Add the native controls after the figure's div `gd` (call once Plotly.newPlot has resolved). */
  window.casebookControls = function (gd) {
    var layout = gd.layout || {};
    var sliders = layout.sliders || [];
    var menus = layout.updatemenus || [];
    var captions = (layout.meta && layout.meta.menu_labels) || [];
    var box = document.createElement("div");
    box.className = "cb-plot-controls";
    sliders.forEach(function (slider, si) {
      if ((slider.steps || []).length) box.append(sliderControl(gd, slider, si));
    });
    menus.forEach(function (menu, mi) {
      if ((menu.buttons || []).length) box.append(menuControl(gd, menu, mi, plain(captions[mi]) || "options"));
    });
    if (box.children.length) gd.parentNode.insertBefore(box, gd.nextSibling);
    return box.children.length;
  };
})();
