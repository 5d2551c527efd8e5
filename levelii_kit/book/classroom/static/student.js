/* The students' page: a display name, the chapter's prediction prompts and the group outcome form. */
"use strict";
(() => {
  const { el, api, pct, num, classLine } = LK;
  const KEY = "levelii-class";
  const saved = JSON.parse(localStorage.getItem(KEY) || "{}");
  function save() { localStorage.setItem(KEY, JSON.stringify(saved)); }
  if (!saved.participant || !/^[A-Za-z0-9_-]{8,64}$/.test(saved.participant)) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);  // works on a plain-http classroom network, unlike crypto.randomUUID
    saved.participant = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  saved.answers = saved.answers || {};
  save();

  const nameInput = document.getElementById("display-name");
  nameInput.value = saved.name || "";
  nameInput.addEventListener("change", () => { saved.name = nameInput.value.trim(); save(); });

  function needName(status) {
    const name = nameInput.value.trim();
    if (!name) {
      status.textContent = "Type your display name first (at the top of the page).";
      status.classList.add("error");
      nameInput.focus();
      return null;
    }
    saved.name = name;
    save();
    return name;
  }

  async function send(body, status, done) {
    status.classList.remove("error");
    status.textContent = "Sending…";
    try {
      await api("/api/responses", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      done();
    } catch (error) {
      status.classList.add("error");
      status.textContent = `Not saved: ${error.message}`;
    }
  }

  function time() { return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }); }

  function shown(answer, kind) {
    if (kind === "yes_no") return answer;
    return kind === "probability" ? pct(answer) : num(answer);
  }

  function questionForm(q, chapter) {
    const id = `q-${q.id}`;
    const status = el("p", { class: "status", role: "status", "aria-live": "polite" });
    const result = el("div", { class: "result", hidden: true });
    let control;
    let read;
    if (q.answer === "yes_no") {
      control = el("fieldset", {},
        el("legend", { class: "prompt", text: q.prompt }),
        ["yes", "no"].map((v) => el("label", {}, el("input", { type: "radio", name: id, value: v }), v === "yes" ? "Yes" : "No")));
      read = () => {
        const checked = control.querySelector("input:checked");
        return checked ? checked.value : null;
      };
    } else {
      const isChance = q.answer === "probability";
      const lo = isChance ? 0 : chapter.issue.low;
      const hi = isChance ? 100 : chapter.issue.high;
      const step = isChance ? 1 : (hi - lo) / 100;
      const input = el("input", { id, type: "range", min: lo, max: hi, step, value: (lo + hi) / 2 });
      const out = el("output", { for: id });
      const update = () => { out.textContent = isChance ? `${input.value}%` : Number(input.value).toFixed(2); };
      input.addEventListener("input", update);
      update();
      const scale = isChance
        ? "0% = certainly not, 100% = certainly"
        : `${lo} = ${chapter.issue.low_label || "low"}, ${hi} = ${chapter.issue.high_label || "high"}`;
      control = el("div", {},
        el("label", { class: "prompt", for: id, text: q.prompt }),
        el("p", { class: "scale", text: scale }),
        input, el("p", {}, "Your answer: ", out));
      read = () => (isChance ? Number(input.value) / 100 : Number(input.value));
    }
    const form = el("form", { class: "question", "data-question": q.id, novalidate: true }, control,
      el("button", { type: "submit", text: "Send my prediction" }), status, result);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = needName(status);
      if (!name) return;
      const answer = read();
      if (answer === null) {
        status.classList.add("error");
        status.textContent = "Choose an answer first.";
        return;
      }
      send({ kind: "prediction", participant: saved.participant, name, question: q.id, answer }, status, () => {
        saved.answers[q.id] = answer;
        save();
        status.textContent = `Saved at ${time()}: ${shown(answer, q.answer)}.`;
      });
    });
    if (q.id in saved.answers) status.textContent = `Your last answer: ${shown(saved.answers[q.id], q.answer)}.`;
    return form;
  }

  function outcomeForm(chapter) {
    const form = document.getElementById("outcome-form");
    const status = form.querySelector(".status");
    const point = document.getElementById("point");
    point.min = chapter.issue.low;
    point.max = chapter.issue.high;
    document.getElementById("point-label").textContent = `The deal's point: ${chapter.issue.label || chapter.issue.name}`;
    document.getElementById("point-scale").textContent =
      `${chapter.issue.low} = ${chapter.issue.low_label || "low"}, ${chapter.issue.high} = ${chapter.issue.high_label || "high"}`;
    const moves = document.getElementById("moves");
    chapter.moves.forEach((m) => moves.append(el("label", {}, el("input", { type: "checkbox", name: "moves", value: m.id }), m.label)));
    if (!chapter.moves.length) document.getElementById("moves-box").hidden = true;
    const ratified = document.getElementById("ratified");
    chapter.sides.forEach((s) => ratified.append(el("label", {}, el("input", { type: "checkbox", name: "ratified", value: s.name }), s.label || s.name)));
    const dealChosen = () => form.querySelector("input[name=deal]:checked").value === "yes";
    const sync = () => {
      const deal = dealChosen();
      point.disabled = !deal;
      ratified.querySelectorAll("input").forEach((box) => { box.disabled = !deal; if (!deal) box.checked = false; });
    };
    form.querySelectorAll("input[name=deal]").forEach((r) => r.addEventListener("change", sync));
    sync();
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const name = needName(status);
      if (!name) return;
      const group = document.getElementById("group").value.trim();
      const deal = dealChosen();
      const value = point.value === "" ? NaN : Number(point.value);
      status.classList.remove("error");
      if (!group) { status.classList.add("error"); status.textContent = "Name your table or group."; return; }
      if (deal && !(value >= chapter.issue.low && value <= chapter.issue.high)) {
        status.classList.add("error");
        status.textContent = `Give the deal's point, between ${chapter.issue.low} and ${chapter.issue.high}.`;
        return;
      }
      const body = {
        kind: "outcome", participant: saved.participant, name, group, deal,
        point: deal ? value : null,
        moves: [...form.querySelectorAll("input[name=moves]:checked")].map((b) => b.value),
        ratified: Object.fromEntries(chapter.sides.map((s) => [s.name, deal && form.querySelector(`input[name=ratified][value="${CSS.escape(s.name)}"]`).checked])),
      };
      send(body, status, () => { status.textContent = `Saved at ${time()}: the outcome of ${group}.`; });
    });
  }

  async function showRevealed(chapter) {
    let data;
    try { data = await api("/api/public"); } catch (error) { return; }
    const revealed = new Map(data.questions.map((q) => [q.id, q]));
    for (const form of document.querySelectorAll("form.question")) {
      const q = revealed.get(form.dataset.question);
      const box = form.querySelector(".result");
      if (!q) { box.hidden = true; box.replaceChildren(); continue; }
      const lines = [el("p", { text: classLine(q) }), el("p", { class: "model", text: q.model.text })];
      if (q.model.explain) lines.push(el("p", { text: q.model.explain }));
      const mine = saved.answers[q.id];
      if (mine !== undefined) {
        try {
          const line = await api(`/api/compare?question=${encodeURIComponent(q.id)}&guess=${encodeURIComponent(mine)}`);
          lines.push(el("p", { text: line.line }));
        } catch (error) { /* hidden again meanwhile */ }
      }
      box.replaceChildren(...lines);
      box.hidden = false;
    }
    const section = document.getElementById("revealed-section");
    const out = data.outcomes;
    if (!out) { section.hidden = true; return; }
    const text = out.n_groups
      ? `${out.ratified} of ${out.n_groups} groups reached a deal that both sides ratified (${pct(out.share_ratified)}). ` +
        `For the moves those groups used, the model's chance of agreement averages ${pct(out.model_chance)}.`
      : "No group has reported yet.";
    document.getElementById("revealed-outcomes").replaceChildren(el("p", { text }));
    section.hidden = false;
  }

  api("/api/chapter").then((chapter) => {
    document.getElementById("title").textContent = chapter.title;
    document.title = `Class: ${chapter.title}`;
    const box = document.getElementById("questions");
    chapter.questions.forEach((q) => box.append(questionForm(q, chapter)));
    if (!chapter.questions.length) box.append(el("p", { text: "This chapter has no prediction prompts." }));
    outcomeForm(chapter);
    showRevealed(chapter);
    setInterval(() => showRevealed(chapter), 2000);
  }).catch((error) => {
    document.getElementById("title").textContent = `The session cannot be reached (${error.message}).`;
  });
})();
