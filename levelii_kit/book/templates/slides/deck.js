/* The levelii deck: reveal.js with plotly figures drawn when their slide is shown (levelii_kit/book/slides.py).

   A plotly figure drawn on a hidden slide measures a zero-sized box, so every figure is drawn the first time
   its slide becomes the current one and resized each time it does again (reveal.js "slidechanged" ->
   Plotly.Plots.resize). A figure taller than the room left on its slide is scaled down with a CSS transform
   (plotly.js maps clicks and drags through transforms, as it does for reveal.js's own scaling). */
(function () {
  "use strict";
  var root = document.querySelector(".reveal");
  var WIDTH = Number(root.getAttribute("data-width")) || 1280;
  var HEIGHT = Number(root.getAttribute("data-height")) || 800;
  var CONFIG = { displayModeBar: false, responsive: false, scrollZoom: false };
  var printing = /print-pdf/i.test(window.location.search);

  function spec(plot) {
    var node = document.getElementById(plot.getAttribute("data-figure"));
    return JSON.parse(node.textContent);
  }

  // Top of an element in the slide's own (unscaled) pixels.
  function topInSlide(element, slide) {
    var top = 0;
    for (var e = element; e && e !== slide; e = e.offsetParent) top += e.offsetTop;
    return top;
  }

  // Width and scale of a figure so that its natural height fits the room left under it on the slide.
  function fit(plot, slide, height) {
    var box = plot.parentNode;
    var room = HEIGHT - topInSlide(box, slide) - 12;
    var scale = Math.min(1, Math.max(0.3, room / height));
    var width = box.clientWidth / scale;
    plot.style.width = width + "px";
    plot.style.height = height + "px";
    plot.style.transformOrigin = "0 0";
    plot.style.transform = scale < 1 ? "scale(" + scale + ")" : "";
    box.style.height = Math.ceil(height * scale) + "px";
  }

  function show(slide) {
    if (!slide) return;
    slide.querySelectorAll(".deck-plot").forEach(function (plot) {
      if (!plot.getAttribute("data-drawn")) {
        var figure = spec(plot);
        var height = (figure.layout && figure.layout.height) || 480;
        plot.setAttribute("data-height", height);
        fit(plot, slide, height);
        plot.setAttribute("data-drawn", "1");
        Plotly.newPlot(plot, figure.data, figure.layout, CONFIG);
      } else {
        fit(plot, slide, Number(plot.getAttribute("data-height")));
        Plotly.Plots.resize(plot);
      }
    });
  }

  var plugins = typeof RevealNotes !== "undefined" ? [RevealNotes] : [];
  Reveal.initialize({
    width: WIDTH,
    height: HEIGHT,
    margin: 0.03,
    center: false,
    hash: true,
    controls: true,
    progress: true,
    slideNumber: "c/t",
    transition: "fade",
    transitionSpeed: "fast",
    plugins: plugins,
  });
  Reveal.on("ready", function (event) {
    if (printing) {
      document.querySelectorAll(".reveal .slides section").forEach(show);
    } else {
      show(event.currentSlide);
    }
  });
  Reveal.on("slidechanged", function (event) {
    show(event.currentSlide);
  });
})();
