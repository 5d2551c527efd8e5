/* The instructor's page: live aggregates (polled every second), the groups' outcomes over the model's win-sets and
   ZOPA (plotly, served locally), reveal or hide each question, export CSV, clear the session. */
"use strict";
(() => {
  const { el, api, pct, num, esc, classLine } = LK;
  const params = new URLSearchParams(location.search);
  if (params.has("token")) {
    sessionStorage.setItem("levelii-class-token", params.get("token"));
    history.replaceState(null, "", location.pathname);  // the token leaves the address bar (and the history)
  }
  const token = sessionStorage.getItem("levelii-class-token") || "";
  const auth = { Authorization: `Bearer ${token}` };
  const state = document.getElementById("state");
  const cards = new Map();
  const drawn = new Map();
  const PLOT = { displayModeBar: false, responsive: true, staticPlot: false };
  let chapter = null;

  function draw(div, data, layout) {
    const key = JSON.stringify([data, layout]);
    if (drawn.get(div) === key) return;
    drawn.set(div, key);
    Plotly.react(div, data, layout, PLOT);
  }

  async function reveal(question, button) {
    const want = button.getAttribute("aria-pressed") !== "true";
    try {
      await api(`/api/reveal/${encodeURIComponent(question)}`, {
        method: "PUT", headers: { ...auth, "Content-Type": "application/json" }, body: JSON.stringify({ revealed: want }),
      });
      setPressed(button, want);
    } catch (error) { state.textContent = `Could not change the reveal: ${error.message}`; }
  }

  function setPressed(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "Shown to the room (click to hide)" : "Reveal to the room";
  }

  function card(q) {
    if (cards.has(q.id)) return cards.get(q.id);
    const button = el("button", { type: "button", "aria-pressed": "false" });
    button.addEventListener("click", () => reveal(q.id, button));
    const parts = {
      root: el("article", { class: "question", "data-question": q.id }),
      line: el("p", { class: "class-line" }),
      plot: el("div", { class: "plot", role: "img", "aria-label": `Distribution of answers: ${q.prompt}` }),
      model: el("p", { class: "model" }),
      explain: el("p", { class: "hint" }),
      button,
    };
    parts.root.append(el("p", { class: "prompt", text: q.prompt }), parts.line, parts.plot, parts.model, parts.explain, button);
    document.getElementById("questions").append(parts.root);
    cards.set(q.id, parts);
    return parts;
  }

  function drawQuestion(q) {
    const c = card(q);
    c.line.textContent = classLine(q);
    c.model.textContent = q.model.text;
    c.explain.textContent = q.model.explain || "";
    setPressed(c.button, q.revealed);
    const layout = { height: 230, margin: { l: 50, r: 10, t: 26, b: 44 }, bargap: 0.1, showlegend: false };
    if (q.answer === "yes_no") {
      const model = q.model.answer;
      draw(c.plot, [{
        type: "bar", x: ["yes", "no"], y: [q.yes, q.no], hovertemplate: "%{x}: %{y}<extra></extra>",
        marker: { color: ["yes", "no"].map((v) => (v === model ? "#1a7f37" : "#8a8f96")) },
      }], { ...layout, yaxis: { title: { text: "answers" }, rangemode: "tozero", dtick: 1 } });
    } else {
      const edges = q.histogram.edges;
      const mids = edges.slice(0, -1).map((e, i) => (e + edges[i + 1]) / 2);
      const width = edges[1] - edges[0];
      const shapes = q.model.value === null ? [] : [{
        type: "line", x0: q.model.value, x1: q.model.value, yref: "paper", y0: 0, y1: 1, line: { color: "#1a7f37", width: 3 },
      }];
      draw(c.plot, [{
        type: "bar", x: mids, y: q.histogram.counts, width, marker: { color: "#0b5cad" },
        hovertemplate: "%{x}: %{y}<extra></extra>",
      }], {
        ...layout, shapes,
        xaxis: { range: [edges[0], edges[edges.length - 1]], title: { text: q.answer === "probability" ? "chance" : "point on the issue" },
          tickformat: q.answer === "probability" ? ".0%" : ".2f" },
        yaxis: { title: { text: "answers" }, rangemode: "tozero", dtick: 1 },
        annotations: q.model.value === null ? [] : [{ x: q.model.value, y: 1, yref: "paper", text: "model", showarrow: false, yanchor: "bottom" }],
      });
    }
  }

  // Labels, not identifiers: a side by its label up to any bracket ("Soviet side"), a move by its label.
  const sideName = (s) => (s.label || s.name).split(" (")[0];
  const moveNames = (ids) => ids.map((id) => (chapter.moves.find((m) => m.id === id) || { label: id }).label).join("; ") || "none";

  function bands(setting, label, y0) {
    const traces = [];
    const rows = [];
    const sides = chapter.sides;
    const colors = ["#0b5cad", "#b3261e"];
    sides.forEach((s, k) => {
      const intervals = (setting.win_sets || {})[s.name] || [];
      const y = y0 + k;
      rows.push([y, `${sideName(s)}: win-set, ${label}`]);
      const xs = []; const ys = [];
      intervals.forEach(([a, b]) => { xs.push(a, b, null); ys.push(y, y, null); });
      traces.push({ type: "scatter", mode: "lines", x: xs, y: ys, line: { width: 12, color: colors[k % 2] },
        name: `${esc(s.label || s.name)}: win-set (${label})`, hoverinfo: "name", showlegend: false });
    });
    const yz = y0 + sides.length;
    rows.push([yz, `ZOPA, ${label}`]);
    const xs = []; const ys = [];
    (setting.zopa || []).forEach(([a, b]) => { xs.push(a, b, null); ys.push(yz, yz, null); });
    traces.push({ type: "scatter", mode: "lines", x: xs, y: ys, line: { width: 12, color: "#6a3d9a" }, name: `ZOPA (${label})`, hoverinfo: "name", showlegend: false });
    if (setting.agreed) {
      traces.push({ type: "scatter", mode: "markers", x: [setting.point], y: [yz], marker: { symbol: "diamond", size: 14, color: "#f0b400", line: { color: "#1d1d1f", width: 1 } },
        name: "the model's deal", showlegend: label === "no help", hovertemplate: `model's deal, ${label}: %{x:.2f}, chance ${pct(setting.chance)}<extra></extra>` });
    }
    return { traces, rows };
  }

  function drawOutcomes(out, model) {
    const base = bands(model.baseline, "no help", 0);
    const helped = bands(model.helped, "all moves", base.rows.length);
    const yGroups = base.rows.length + helped.rows.length;
    const rows = [...base.rows, ...helped.rows, [yGroups, "the groups' deals"]];
    const deals = out.groups.filter((g) => g.deal && g.point !== null);
    const jitter = (i) => yGroups + ((i % 5) - 2) * 0.08;
    const groupTrace = (list, ok) => ({
      type: "scatter", mode: "markers", x: list.map((g) => g.point), y: list.map((g, i) => jitter(i + (ok ? 0 : 2))),
      marker: { size: 12, symbol: ok ? "circle" : "x", color: ok ? "#1a7f37" : "#b3261e" },
      name: ok ? "ratified by both sides" : "not ratified by both",
      text: list.map((g) => `${esc(g.group)}: ${g.point.toFixed(2)}; moves: ${esc(moveNames(g.moves))}`),
      hovertemplate: "%{text}<extra></extra>",
    });
    const issue = chapter.issue;
    draw(document.getElementById("outcome-plot"), [
      ...base.traces, ...helped.traces, groupTrace(deals.filter((g) => g.both), true), groupTrace(deals.filter((g) => !g.both), false),
    ], {
      height: 170 + 40 * rows.length, margin: { l: 215, r: 20, t: 10, b: 175 }, showlegend: true,
      legend: { orientation: "h", x: 0, y: -0.5, yanchor: "top" },
      xaxis: { range: [issue.low, issue.high], title: { text: `${esc(issue.label || issue.name)}<br>${esc(issue.low)} = ${esc(issue.low_label || "")}<br>${esc(issue.high)} = ${esc(issue.high_label || "")}` } },
      yaxis: { tickvals: rows.map((r) => r[0]), ticktext: rows.map((r) => esc(r[1])), range: [-0.7, yGroups + 0.7], fixedrange: true },
    });
    const summary = out.n_groups
      ? `${out.n_groups} groups reported; ${out.deals} reached a deal at the table, ${out.ratified} had it ratified by both sides ` +
        `(${pct(out.share_ratified)}). For the moves they used, the model's chance of agreement averages ${pct(out.model_chance)}.`
      : "No group has reported an outcome yet.";
    document.getElementById("outcome-summary").textContent = summary;
    const body = document.querySelector("#by-moves tbody");
    body.replaceChildren(...out.by_moves.map((m) => el("tr", {},
      el("td", { text: moveNames(m.moves) }), el("td", { text: m.groups }),
      el("td", { text: `${m.ratified} (${pct(m.share_ratified)})` }), el("td", { text: pct(m.model_chance) }),
      el("td", { text: m.model_agreed ? num(m.model_point) : "no deal" }))));
    setPressed(document.getElementById("reveal-outcomes"), out.revealed);
  }

  function drawRecent(recent) {
    document.getElementById("recent").replaceChildren(...recent.map((r) => {
      const answer = r.kind === "prediction" ? String(r.answer) : `${r.answer.group}: ${r.answer.deal ? num(r.answer.point) : "no deal"}`;
      return el("li", { text: `${r.received.slice(11, 19)} ${r.name} · ${r.question} · ${answer}` });
    }));
  }

  let busy = false;
  async function refresh() {
    if (busy) return;
    busy = true;
    try {
      const data = await api("/api/results", { headers: auth });
      document.getElementById("count").textContent = data.count;
      document.getElementById("participants").textContent = data.participants;
      const link = document.getElementById("student-url");
      link.href = data.student_url;
      link.textContent = data.student_url;
      data.questions.forEach(drawQuestion);
      drawOutcomes(data.outcomes, data.model);
      drawRecent(data.recent);
      state.textContent = `Live: updated ${new Date().toLocaleTimeString()}.`;
    } catch (error) {
      state.textContent = error.status === 401
        ? "This page needs the instructor link that `levelii class` printed (with ?token=...)."
        : `Not updated: ${error.message}`;
    } finally {
      busy = false;
    }
  }

  document.getElementById("reveal-outcomes").addEventListener("click", (e) => reveal("outcomes", e.currentTarget));
  document.getElementById("export").addEventListener("click", async () => {
    try {
      const response = await fetch("/api/export.csv", { headers: auth, cache: "no-store" });
      if (!response.ok) throw new Error(`${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const a = el("a", { href: url, download: `${chapter.slug}-class.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) { state.textContent = `Export failed: ${error.message}`; }
  });
  document.getElementById("clear").addEventListener("click", async () => {
    if (!confirm("Delete every response and reveal of this session? Export the CSV first if you need it.")) return;
    try {
      const done = await api("/api/responses", { method: "DELETE", headers: auth });
      state.textContent = `Cleared ${done.deleted} responses.`;
      refresh();
    } catch (error) { state.textContent = `Clear failed: ${error.message}`; }
  });

  api("/api/chapter").then((c) => {
    chapter = c;
    document.getElementById("title").textContent = c.title;
    document.title = `Instructor: ${c.title}`;
    refresh();
    setInterval(refresh, 1000);
  }).catch((error) => { state.textContent = `The session cannot be reached (${error.message}).`; });
})();
