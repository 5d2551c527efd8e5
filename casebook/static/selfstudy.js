/* selfstudy.js: exercises, predictions and notes that work in the HTML casebook with no kernel and no network.

   Every checked exercise is a <form data-exercise> whose data (a <script type="application/json"> inside it) the
   casebook build wrote from levelii_kit.exercises.form_spec. The feedback a form shows is the model's own:
   for a move exercise the build ran the checker on every answer the form can express and sealed each verdict
   with that answer, so this script can read a verdict only for the answer the reader gave; for a numeric
   exercise it fills the checker's own templates (levelii_kit.exercises.NUMERIC_MESSAGES) with the reader's
   number, written as Python writes it ("%.3g"). A prediction (<form data-prediction>) shows the model's result
   once the reader has committed a guess. Discussion questions get a notes box.

   Everything the reader does is saved in this browser only (localStorage, which works from file://), restored
   on reload, listed on the "My progress" page, exported as a JSON file and cleared by "Reset": nothing leaves
   the machine. */
(function () {
  "use strict";

  var STORE = "levelii-casebook:v1";

  /* ------------------------------------------------------------------ sealing (as levelii_kit.exercises.seal) */
  function utf8(text) { return new TextEncoder().encode(text); }

  function keystream(key, n) {
    var h = 0x811c9dc5 >>> 0;
    var bytes = utf8(key);
    for (var i = 0; i < bytes.length; i++) {
      h = Math.imul((h ^ bytes[i]) >>> 0, 0x01000193) >>> 0;
    }
    var state = h || 0x9e3779b9;
    var out = new Uint8Array(n);
    for (var k = 0; k < n; k++) {
      state = (state ^ (state << 13)) >>> 0;
      state = (state ^ (state >>> 17)) >>> 0;
      state = (state ^ (state << 5)) >>> 0;
      out[k] = state & 0xff;
    }
    return out;
  }

  function xor(data, key) {
    var ks = keystream(key, data.length);
    var out = new Uint8Array(data.length);
    for (var i = 0; i < data.length; i++) out[i] = data[i] ^ ks[i];
    return out;
  }

  function b64encode(bytes) {
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s);
  }

  function b64decode(text) {
    var s = atob(text);
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }

  function seal(text, key) { return b64encode(xor(utf8(text), key)); }
  function unseal(sealed, key) { return new TextDecoder().decode(xor(b64decode(sealed), key)); }

  /* ------------------------------------------------------------------ numbers as Python's format(x, ".3g")
     From the exact decimal expansion of the double (toFixed(100) is exact for the magnitudes a reader types),
     rounded half to even on the digits, as Python rounds; then Python's choice between fixed and exponent form
     (exponent when it is below -4 or at least the precision) and its stripping of trailing zeros. */
  function formatG(x, precision) {
    precision = precision || 3;
    if (isNaN(x)) return "nan";
    if (!isFinite(x)) return x > 0 ? "inf" : "-inf";
    var sign = (x < 0 || (x === 0 && 1 / x < 0)) ? "-" : "";
    var ax = Math.abs(x);
    if (ax === 0) return sign + "0";
    var fixed = ax.toFixed(100);
    var point = fixed.indexOf(".");
    var digits = fixed.slice(0, point) + fixed.slice(point + 1);
    var first = digits.search(/[1-9]/);
    var exp = point - first - 1;                       // x = 0.d1d2... * 10^(exp + 1)
    var keep = digits.slice(first, first + precision).split("").map(Number);
    var rest = digits.slice(first + precision);
    var up = false;
    if (rest.length && rest[0] > "5") up = true;
    else if (rest.length && rest[0] === "5") up = /[1-9]/.test(rest.slice(1)) || (keep[keep.length - 1] % 2 === 1);
    if (up) {
      var i = keep.length - 1;
      while (i >= 0 && keep[i] === 9) { keep[i] = 0; i--; }
      if (i < 0) { keep.unshift(1); keep.pop(); exp += 1; } else keep[i] += 1;
    }
    var sig = keep.join("");
    var text;
    if (exp < -4 || exp >= precision) {
      var mantissa = sig[0] + (sig.length > 1 ? "." + sig.slice(1) : "");
      if (mantissa.indexOf(".") >= 0) mantissa = mantissa.replace(/0+$/, "").replace(/\.$/, "");
      text = mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    } else if (exp >= 0) {
      var whole = sig.slice(0, exp + 1), frac = sig.slice(exp + 1);
      while (whole.length < exp + 1) whole += "0";
      text = whole + (frac ? "." + frac : "");
    } else {
      text = "0." + new Array(-exp).join("0") + sig;
    }
    if (text.indexOf(".") >= 0 && text.indexOf("e") < 0) text = text.replace(/0+$/, "").replace(/\.$/, "");
    return sign + text;
  }

  function fill(template, fields) {
    return template.replace(/\{(\w+)\}/g, function (m, name) { return name in fields ? fields[name] : m; });
  }

  /* ------------------------------------------------------------------ the reader's record */
  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
  }

  function save(record) {
    try { localStorage.setItem(STORE, JSON.stringify(record)); return true; } catch (e) { return false; }
  }

  function remember(kind, caseSlug, id, entry) {
    var record = load();
    record.version = 1;
    record[kind] = record[kind] || {};
    record[kind][caseSlug + "/" + id] = Object.assign({saved: new Date().toISOString()}, entry);
    save(record);
  }

  function recall(kind, caseSlug, id) {
    var record = load();
    return (record[kind] || {})[caseSlug + "/" + id] || null;
  }

  /* ------------------------------------------------------------------ exercises */
  function specOf(form) {
    var node = form.querySelector("script[type='application/json']");
    return node ? JSON.parse(node.textContent) : null;
  }

  function say(form, text, verdict) {
    var status = form.querySelector("[role=status]");
    status.textContent = text;
    form.setAttribute("data-verdict", verdict || "none");
  }

  function verdictOf(text) {
    return text.indexOf("Right. ") === 0 ? "right" : text.indexOf("Not quite. ") === 0 ? "wrong" : "none";
  }

  function moveAnswer(form, spec) {
    var picked = [];
    spec.choices.forEach(function (choice) {
      var input = form.querySelector("input[value='" + choice.id + "']");
      if (input && input.checked) picked.push(choice.id);
    });
    return picked;
  }

  function moveVerdict(spec, picked) {
    var key = picked.join(",");
    var sealedKey = seal(key, spec.id + "|" + key);
    var sealed = spec.verdicts[sealedKey];
    return sealed === undefined ? null : unseal(sealed, spec.id + "|" + key);
  }

  function numericVerdict(spec, input) {
    var n = spec.numeric, t = n.templates;
    var texts = n.texts;
    if (input.validity && input.validity.badInput) return "Not quite. " + fill(t.not_a_number, texts);
    var raw = input.value.trim();
    if (raw === "") return fill(t.enter, texts);
    var answer = Number(raw);
    if (!isFinite(answer)) return "Not quite. " + fill(t.not_a_number, texts);
    var fields = Object.assign({}, texts, {answer: formatG(answer, 3)});
    if (answer < n.min || answer > n.max) return "Not quite. " + fill(t.out_of_range, fields);
    var value = Number(unseal(n.value, spec.id));
    if (isNaN(value)) return "Not quite. " + fill(t.no_number, fields);
    var tolerance = Number(unseal(n.tolerance, spec.id));
    if (Math.abs(answer - value) <= tolerance) return "Right. " + fill(t.right, fields);
    return "Not quite. " + fill(answer > value ? t.too_high : t.too_low, fields);
  }

  function checkExercise(form, spec, quiet) {
    var text, entry;
    if (spec.kind === "numeric") {
      var input = form.querySelector("input[type=number]");
      text = numericVerdict(spec, input);
      entry = {answer: input.value};
    } else {
      var picked = moveAnswer(form, spec);
      if (!spec.multiple && picked.length === 0) {
        text = moveVerdict(spec, []) || spec.enter;
        entry = {answer: null};
      } else {
        text = moveVerdict(spec, spec.multiple ? picked : picked.slice(0, 1));
        entry = {answer: spec.multiple ? picked : picked[0]};
      }
    }
    if (text === null) text = spec.enter;
    entry.verdict = verdictOf(text);
    entry.feedback = text;
    say(form, text, entry.verdict);
    if (!quiet) remember("exercises", spec.case, spec.id, entry);
  }

  function restoreExercise(form, spec) {
    var saved = recall("exercises", spec.case, spec.id);
    if (!saved) return;
    if (spec.kind === "numeric") {
      form.querySelector("input[type=number]").value = saved.answer == null ? "" : saved.answer;
    } else {
      var chosen = [].concat(saved.answer == null ? [] : saved.answer);
      form.querySelectorAll("input[name]").forEach(function (input) {
        input.checked = chosen.indexOf(input.value) >= 0;
      });
    }
    checkExercise(form, spec, true);
  }

  /* ------------------------------------------------------------------ notes (discussion questions) */
  function setUpNotes(form, spec) {
    var area = form.querySelector("textarea");
    var saved = recall("notes", spec.case, spec.id);
    if (saved) area.value = saved.text || "";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      remember("notes", spec.case, spec.id, {text: area.value});
      say(form, area.value.trim() ? "Your notes are saved in this browser." : "Your notes are empty.", "none");
    });
  }

  /* ------------------------------------------------------------------ predictions */
  function revealPrediction(form, spec, quiet) {
    var guess;
    if (spec.answer === "yes_no") {
      var picked = form.querySelector("input[type=radio]:checked");
      if (!picked) { say(form, spec.enter, "none"); return; }
      guess = picked.value;
    } else {
      var input = form.querySelector("input[type=number], input[type=range]");
      if (input.validity && input.validity.badInput || input.value.trim() === "") { say(form, spec.enter, "none"); return; }
      guess = Number(input.value);
    }
    var key = spec.case + "|" + spec.id;
    var result = JSON.parse(unseal(spec.result, key));
    var line;
    if (spec.answer === "yes_no") {
      line = fill(spec.templates[guess === result.answer ? "yes_no_same" : "yes_no_other"],
                  Object.assign({}, result.texts, {guess: guess}));
    } else {
      var close = Math.abs(guess - result.value) <= spec.close;
      var fields = Object.assign({}, result.texts, {guess: spec.answer === "probability" ? Math.round(100 * guess) + "%" : formatG(guess, 3)});
      line = fill(spec.templates[close ? "close" : (guess > result.value ? "above" : "below")], fields);
    }
    var reveal = form.querySelector(".cb-reveal");
    reveal.querySelector(".cb-reveal__line").textContent = line;
    reveal.querySelector(".cb-reveal__result").textContent = result.text;
    var explain = reveal.querySelector(".cb-reveal__explain");
    if (explain) explain.textContent = result.explain || "";
    reveal.hidden = false;
    say(form, line, "none");
    if (!quiet) remember("predictions", spec.case, spec.id, {guess: guess, line: line});
  }

  function restorePrediction(form, spec) {
    var saved = recall("predictions", spec.case, spec.id);
    if (!saved) return;
    if (spec.answer === "yes_no") {
      var input = form.querySelector("input[type=radio][value='" + saved.guess + "']");
      if (input) input.checked = true;
    } else {
      form.querySelectorAll("input[type=number], input[type=range]").forEach(function (i) { i.value = saved.guess; });
    }
    revealPrediction(form, spec, true);
  }

  /* ------------------------------------------------------------------ wiring */
  function setUp() {
    document.querySelectorAll("form[data-exercise]").forEach(function (form) {
      var spec = specOf(form);
      if (!spec) return;
      if (spec.kind === null) { setUpNotes(form, spec); return; }
      form.addEventListener("submit", function (event) { event.preventDefault(); checkExercise(form, spec, false); });
      restoreExercise(form, spec);
    });
    document.querySelectorAll("form[data-prediction]").forEach(function (form) {
      var spec = specOf(form);
      if (!spec) return;
      var range = form.querySelector("input[type=range]"), number = form.querySelector("input[type=number]");
      if (range && number) {
        range.addEventListener("input", function () { number.value = range.value; });
        number.addEventListener("input", function () { range.value = number.value; });
      }
      form.addEventListener("submit", function (event) { event.preventDefault(); revealPrediction(form, spec, false); });
      restorePrediction(form, spec);
    });
    var progress = document.querySelector("[data-progress]");
    if (progress) showProgress(progress);
  }

  /* ------------------------------------------------------------------ the progress page */
  function showProgress(root) {
    var book = JSON.parse(root.querySelector("script[type='application/json']").textContent);
    var record = load();
    var table = root.querySelector("tbody");
    table.textContent = "";
    var done = 0, right = 0, total = 0;
    book.chapters.forEach(function (chapter) {
      chapter.items.forEach(function (item) {
        var kind = item.kind === "prediction" ? "predictions" : item.kind === "discussion" ? "notes" : "exercises";
        var saved = (record[kind] || {})[chapter.slug + "/" + item.id];
        var state = "not yet";
        if (saved) {
          done += 1;
          if (kind === "exercises") state = saved.verdict === "right" ? "right" : saved.verdict === "wrong" ? "not yet right" : "started";
          else state = kind === "notes" ? (saved.text && saved.text.trim() ? "notes written" : "not yet") : "predicted";
          if (saved.verdict === "right") right += 1;
        }
        if (kind === "exercises") total += 1;
        var row = document.createElement("tr");
        var c1 = document.createElement("td");
        var link = document.createElement("a");
        link.href = chapter.href + "#" + item.anchor;
        link.textContent = chapter.title;
        c1.appendChild(link);
        var c2 = document.createElement("td");
        c2.textContent = item.label;
        var c3 = document.createElement("td");
        c3.textContent = state;
        c3.setAttribute("data-state", state);
        row.appendChild(c1); row.appendChild(c2); row.appendChild(c3);
        table.appendChild(row);
      });
    });
    root.querySelector("[data-summary]").textContent =
      right + " of " + total + " checked exercises right; " + done + " items answered, predicted or noted.";
    var exportButton = root.querySelector("[data-export]");
    exportButton.onclick = function () {
      var data = Object.assign({exported: new Date().toISOString(), book: book.title}, load());
      var blob = new Blob([JSON.stringify(data, null, 2)], {type: "application/json"});
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "casebook-progress.json";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    };
    var resetButton = root.querySelector("[data-reset]");
    resetButton.onclick = function () {
      if (window.confirm("Clear every answer, prediction and note saved in this browser?")) {
        localStorage.removeItem(STORE);
        showProgress(root);
        root.querySelector("[data-summary]").textContent = "Everything saved in this browser was cleared.";
      }
    };
  }

  window.levelii = {formatG: formatG, seal: seal, unseal: unseal, fill: fill, load: load};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
