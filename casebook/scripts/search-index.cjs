// Builds the casebook's search index at build time (levelii_kit/book/search.py runs it under Node).
// Reads {"options": MiniSearch options, "documents": [...]} as JSON on standard input and writes the
// serialized MiniSearch index (JSON) on standard output; the browser loads it with MiniSearch.loadJS and
// the same options. MiniSearch comes from casebook/node_modules (npm ci --prefix casebook).
"use strict";
const MiniSearch = require("minisearch");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { options, documents } = JSON.parse(input);
  const index = new MiniSearch(options);
  index.addAll(documents);
  process.stdout.write(JSON.stringify(index));
});
