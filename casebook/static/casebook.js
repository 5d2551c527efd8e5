/* casebook.js: draws the casebook's plotly figures when they are needed, and gives them keyboard and
   screen-reader controls.

   Drawing. The page holds each figure as an empty <div class="cb-plot"> (its height reserved) followed by
   the figure's JSON in a <script type="application/json" class="cb-plot-spec">. This file and
   plotly.min.js load with `defer`, so the text paints before either runs. A figure is drawn when it comes
   within a screen's height of the viewport (IntersectionObserver), when one of its keyboard controls is
   used or focused, before printing (`beforeprint`, and when print media starts to apply, as it does for
   a PDF printed by headless Chromium), and at once on a page whose <html> has `data-cb-draw-all` (the
   book printed as PDF). `casebookDraw(div)` and `casebookDrawAll()` return promises.

   Controls. plotly.js draws a figure's sliders and buttons in SVG, which the keyboard cannot reach and
   screen readers do not announce as controls. For every figure with layout.sliders or layout.updatemenus
   this adds native controls under it, built from the figure's JSON before it is drawn (so keyboard
   navigation finds them at once): a range input per slider and a group of toggle buttons per button
   menu. Each runs exactly what plotly's own control runs (the step's or button's method and arguments,
   read from the live layout when used, so the what-if figures' cross-updates still apply) and moves
   plotly's control along; plotly's controls move the native ones back. The box stays visually hidden
   until it holds the keyboard focus, so mouse readers see one set of controls. Loaded from the edition
   folder; no network. */
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
      draw(gd).then(function () { return run(gd, gd.layout.sliders[si].steps[i], extra); });
    });
    wrap.append(name, input, shown);
    wrap.bind = function () {
      gd.on("plotly_sliderchange", function (event) {
        if (indexOf(gd._fullLayout && gd._fullLayout.sliders, event.slider) === si) show(event.slider.active);
      });
    };
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
        draw(gd).then(function () { return run(gd, gd.layout.updatemenus[mi].buttons[j], extra); });
      });
      group.append(button);
      return button;
    });
    function press(active) {
      buttons.forEach(function (button, j) { button.setAttribute("aria-pressed", String(j === active)); });
    }
    press(menu.active == null ? 0 : menu.active);
    group.bind = function () {
      gd.on("plotly_buttonclicked", function (event) {
        if (indexOf(gd._fullLayout && gd._fullLayout.updatemenus, event.menu) === mi) press(event.active);
      });
    };
    return group;
  }

  /* The figure's JSON: the <script class="cb-plot-spec"> that follows its div (parsed once). */
  function spec(gd) {
    if (!gd._cbSpec) {
      var node = gd.parentNode.querySelector("script.cb-plot-spec");
      gd._cbSpec = node ? JSON.parse(node.textContent) : {};
    }
    return gd._cbSpec;
  }

  /* Add the native controls after the figure's div `gd`, from its JSON (before it is drawn). */
  function addControls(gd) {
    var layout = spec(gd).layout || {};
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
    if (!box.children.length) return;
    box.addEventListener("focusin", function () { draw(gd); });
    gd.parentNode.insertBefore(box, gd.nextSibling);
    gd._cbControls = box;
  }

  /* Draw one figure (once); resolves with its div when plotly has drawn it and its controls follow it. */
  function draw(gd) {
    if (!gd._cbDrawn) {
      var s = spec(gd);
      gd._cbDrawn = Plotly.newPlot(gd, s.data || [], s.layout || {},
                                   Object.assign({responsive: true, displaylogo: false}, s.config || {}))
        .then(function () {
          if (gd._cbControls) [].forEach.call(gd._cbControls.children, function (c) { c.bind(); });
          gd.classList.add("cb-plot--drawn");
          return gd;
        });
    }
    return gd._cbDrawn;
  }

  var plots = [].slice.call(document.querySelectorAll(".cb-plot"));

  function drawAll() {
    return Promise.all(plots.map(draw));
  }

  window.casebookDraw = draw;
  window.casebookDrawAll = drawAll;

  plots.forEach(function (gd) { if (gd.hasAttribute("data-cb-whatif")) addControls(gd); });

  if (document.documentElement.hasAttribute("data-cb-draw-all") || !("IntersectionObserver" in window)) {
    drawAll();
  } else {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    }, {rootMargin: "100% 0px"});
    plots.forEach(function (gd) { observer.observe(gd); });
  }
  window.addEventListener("beforeprint", drawAll);
  if (window.matchMedia) {
    var print = window.matchMedia("print");
    var onPrint = function (event) { if (event.matches) drawAll(); };
    if (print.addEventListener) print.addEventListener("change", onPrint);
    else if (print.addListener) print.addListener(onPrint);
  }
})();
