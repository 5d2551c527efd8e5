/* Shared helpers of the class session's pages. Text from a request is only ever set with textContent. */
"use strict";

const LK = {
  /* An element with attributes and children; strings become text nodes (never HTML). */
  el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return node;
  },

  pct(x) {
    if (x === null || x === undefined) return "–";
    if (x > 0 && x < 0.005) return "less than 1%";
    if (x >= 0.995 && x < 1) return "more than 99%";
    return `${Math.round(x * 100)}%`;
  },

  num(x) {
    return x === null || x === undefined ? "–" : Number(x).toFixed(2);
  },

  /* Escape text for plotly labels, which understand a few HTML-like tags. */
  esc(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  },

  async api(path, options = {}) {
    const response = await fetch(path, { cache: "no-store", ...options });
    let body = null;
    const type = response.headers.get("content-type") || "";
    if (type.includes("application/json")) body = await response.json();
    if (!response.ok) {
      const message = body && body.error ? body.error : `${response.status} ${response.statusText}`;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  },

  /* How the room answered one question, in one sentence. */
  classLine(q) {
    if (q.n === 0) return "No answers yet.";
    const answers = q.n === 1 ? "1 answer" : `${q.n} answers`;
    if (q.answer === "yes_no") return `The room: ${q.yes} yes, ${q.no} no (${answers}).`;
    const show = q.answer === "probability" ? LK.pct : LK.num;
    return `The room: median ${show(q.median)}, mean ${show(q.mean)} (${answers}).`;
  },
};
