/* search.js: the search box in every casebook page's header, offline and from file://.

   The index is built at build time (levelii_kit/book/search.py) and shipped as search-index.js, a script
   that sets window.casebookSearchData; a script tag loads it where fetch() of a JSON file would be refused
   from file://. It and MiniSearch (minisearch.js, vendored from npm) are loaded the first time the reader
   focuses or types in the box, so pages that are only read pay nothing. Without MiniSearch (a build without
   Node) the data holds the sections themselves and every word of the query must start a word of a result.

   Keyboard: type to search; Down moves into the results, Up and Down move between them, Escape closes the
   list and returns to the box, Enter in the box opens the first result. The results are a list of links
   (chapter, then section); a polite live region says how many were found. */
(function () {
  "use strict";

  var form = document.querySelector("form[data-cb-search]");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = form.querySelector(".cb-search__results");
  var status = form.querySelector(".cb-search__status");
  var base = form.getAttribute("data-cb-root") || "";
  var LIMIT = 12;
  var engine = null;
  var loading = null;
  var timer = null;

  function load(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = base + src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(script);
    });
  }

  function words(text) {
    return String(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  }

  /* The fallback: every query word must be the start of a word of the section. */
  function wordEngine(documents) {
    var prepared = documents.map(function (d) {
      return {doc: d, page: words(d.page + " " + d.heading), all: words(d.page + " " + d.heading + " " + d.text)};
    });
    return function (query) {
      var terms = words(query);
      if (!terms.length) return [];
      var hits = [];
      prepared.forEach(function (p) {
        var score = 0;
        for (var i = 0; i < terms.length; i++) {
          var t = terms[i];
          var n = p.all.filter(function (w) { return w.indexOf(t) === 0; }).length;
          if (!n) return;
          score += n + 5 * p.page.filter(function (w) { return w.indexOf(t) === 0; }).length;
        }
        hits.push({score: score, doc: p.doc});
      });
      hits.sort(function (a, b) { return b.score - a.score || a.doc.id - b.doc.id; });
      return hits.map(function (h) { return h.doc; });
    };
  }

  function ensureEngine() {
    if (!loading) {
      loading = load("search-index.js").then(function () {
        var data = window.casebookSearchData || {};
        if (data.engine === "minisearch") {
          return load("minisearch.js").then(function () {
            var index = window.MiniSearch.loadJS(data.index, data.options);
            engine = function (query) {
              return index.search(query, {
                prefix: true,
                fuzzy: function (term) { return term.length > 5 ? 0.2 : false; },
                combineWith: "AND",
                boost: {page: 2, heading: 1.5}
              });
            };
          });
        }
        engine = wordEngine(data.documents || []);
      });
      loading.catch(function () { say("Search is not available: its index is missing."); });
    }
    return loading;
  }

  function say(text) { status.textContent = text; }

  function close() {
    list.hidden = true;
    list.textContent = "";
  }

  function render(query, results) {
    list.textContent = "";
    if (!query.trim()) {
      say("");
      close();
      return;
    }
    var shown = results.slice(0, LIMIT);
    shown.forEach(function (r) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = base + r.url;
      link.className = "cb-search__hit";
      var page = document.createElement("span");
      page.className = "cb-search__page";
      page.textContent = r.page;
      link.append(page);
      if (r.heading) {
        var section = document.createElement("span");
        section.className = "cb-search__section";
        section.textContent = r.heading;
        link.append(document.createTextNode(" › "), section);
      }
      item.append(link);
      if (r.excerpt) {
        var excerpt = document.createElement("span");
        excerpt.className = "cb-search__excerpt";
        excerpt.textContent = r.excerpt;
        item.append(excerpt);
      }
      list.append(item);
    });
    list.hidden = !shown.length;
    if (!results.length) say("No results for “" + query.trim() + "”.");
    else if (results.length > LIMIT) say(results.length + " results for “" + query.trim() + "”; the first " + LIMIT + " are listed.");
    else say(results.length + (results.length === 1 ? " result" : " results") + " for “" + query.trim() + "”.");
  }

  function search() {
    var query = input.value;
    ensureEngine().then(function () { if (input.value === query) render(query, engine(query)); });
  }

  function links() { return [].slice.call(list.querySelectorAll("a")); }

  input.addEventListener("focus", ensureEngine);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 80);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape") {
      input.value = "";
      say("");
      close();
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && i >= 0) {
      event.preventDefault();
      all[Math.min(i + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && i >= 0) {
      event.preventDefault();
      if (i === 0) input.focus();
      else all[i - 1].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
      input.focus();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    var query = input.value;
    ensureEngine().then(function () {
      var results = engine(query);
      render(query, results);
      if (results.length) window.location.href = base + results[0].url;
    });
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
