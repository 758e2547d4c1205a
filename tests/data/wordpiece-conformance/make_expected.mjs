// Writes the expected WordPiece tokenisations of tests/unit/test_wordpiece_conformance.cpp for the two WordPiece
// tokenizer.json files of ../shared/real-checkpoints/tokenizers, from two implementations written by nobody here:
// the Rust `tokenizers` library (its official Node binding, npm `tokenizers` 0.23.2), the reference BertTokenizerFast
// runs and the expectation for every line (attnviz reads a tokenizer.json with the Rust library's rules), and
// transformers.js (@huggingface/transformers 4.3.2, whose tokenizers come from @huggingface/tokenizers 0.2.0), the
// second oracle: where it differs from Rust its ids are recorded with a `transformers.js deviation:` note.
//
// Rerun (Node 20; the npm folder lies outside the repository, the install script of onnxruntime is skipped):
//   mkdir -p /work/npm-tools && cd /work/npm-tools
//   npm install --ignore-scripts @huggingface/transformers@4.3.2 tokenizers@0.23.2
//   cd <repo> && NPM_TOOLS=/work/npm-tools node tests/data/wordpiece-conformance/make_expected.mjs
// It reads ../shared/data and ../shared/real-checkpoints beside the repository and rewrites the *.tsv here.
//
// Inputs (one TSV per source, see README.md here for the columns):
//   multilingual.tsv   the distinct texts of tests/data/wordpiece/cases.tsv (already in the repository, stored whole)
//   hard-cases.tsv     texts written here for the places the implementations are known to differ (stored whole)
//   hansards.tsv       lines of ../shared/data/hansards-wpt03-training/train.{e,f}.xz (stored as a reference only)
//   movie-reviews.tsv  lines of ../shared/data/movie-review-polarity/review_polarity_cv000-899.tar.gz (reference only)
// Truncation and padding: the all-MiniLM-L6-v2 file sets truncation (256, LongestFirst) and padding (BatchLongest).
// attnviz encodes one text without padding up to the model's position limit and ignores both settings, so the
// expectations are the whole encodings: transformers.js is called with truncation and padding off (it never
// reads them from tokenizer.json) and the Rust tokenizer has disableTruncation()/disablePadding().

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../../..");
const SHARED = path.resolve(ROOT, "../shared");
const DATA = path.join(SHARED, "data");
const NPM_TOOLS = process.env.NPM_TOOLS ?? "/work/npm-tools";
const require = createRequire(path.join(NPM_TOOLS, "package.json"));
const { AutoTokenizer, env } = require("@huggingface/transformers");
const rust = require("tokenizers");

export const TOKENIZERS = {  // name in the fixture -> file in ../shared/real-checkpoints/tokenizers
  "bert-base-uncased": "wordpiece.bert-base-uncased.via-bert-tiny.lmbuddy.tokenizer.json",
  "all-MiniLM-L6-v2": "wordpiece.all-MiniLM-L6-v2.with-truncation-padding.tokenizer.json",
};

const HANSARDS_RANGE = 240000;  // lines considered at the start of each side
const HANSARDS_STRIDE = 400;    // every 400th line of them (600 per side) ...
const HANSARDS_EXTRA = 15;      // ... plus the longest and the first lines outside Latin-1 of each side
const REVIEW_FILES = 36;        // every line of 36 reviews spread over pos/ and neg/

// FNV-1a 64 of the UTF-8 bytes, 16 hex digits (the test computes the same to find a changed line).
function fnv64(text) {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(text, "utf8")) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

// "\" -> "\\", anything but a letter, mark, number, punctuation, symbol or U+0020 -> "\u{HEX}" (as cases.tsv).
function escape(text) {
  let out = "";
  for (const ch of text) {
    if (ch === "\\") out += "\\\\";
    else if (ch === " " || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch)) out += ch;
    else out += "\\u{" + ch.codePointAt(0).toString(16).toUpperCase() + "}";
  }
  return out;
}

function unescape(text) {
  return text.replace(/\\u\{([0-9A-Fa-f]+)\}|\\\\/g, (m, hex) => (hex ? String.fromCodePoint(parseInt(hex, 16)) : "\\"));
}

async function loadTokenizers() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wp-conformance-"));
  const config = fs.readFileSync(path.join(HERE, "tokenizer_config.json"));
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dir + "/";
  const out = {};
  for (const [name, file] of Object.entries(TOKENIZERS)) {
    const json = path.join(SHARED, "real-checkpoints/tokenizers", file);
    fs.mkdirSync(path.join(dir, name));
    fs.copyFileSync(json, path.join(dir, name, "tokenizer.json"));
    fs.writeFileSync(path.join(dir, name, "tokenizer_config.json"), config);
    const js = await AutoTokenizer.from_pretrained(name, { local_files_only: true });
    const rs = rust.Tokenizer.fromFile(json);
    rs.disableTruncation();
    rs.disablePadding();
    out[name] = { js, rs };
  }
  return out;
}

async function encodeBoth(tok, text) {
  const ids = tok.js.encode(text, { add_special_tokens: true });
  const tokens = tok.js.tokenize(text, { add_special_tokens: true });
  if (ids.length !== tokens.length) throw new Error(`transformers.js: ${ids.length} ids, ${tokens.length} tokens`);
  const r = await tok.rs.encode(text);
  return { ids, tokens, rustIds: Array.from(r.getIds()), rustTokens: r.getTokens() };
}

function sameArray(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const HEADER =
  "# ref\tfnv64\tbert-base-uncased ids (Rust)\tbert-base-uncased tokens (Rust)\tall-MiniLM-L6-v2 ids (Rust; '=': same)\t" +
  "all-MiniLM-L6-v2 tokens (Rust; '=': same)\ttransformers.js ids, bert-base-uncased ('=': as Rust)\t" +
  "transformers.js ids, all-MiniLM-L6-v2 ('=': as Rust)\tnote ('transformers.js deviation: <reason>: <its tokens>' or empty)";

// Why transformers.js gives other ids than Rust on a line (tests/data/wordpiece-conformance/README.md explains both).
function deviationReason(text) {
  const reasons = [];
  if (/\u03A3/u.test(text)) reasons.push("final sigma (String.prototype.toLowerCase gives \u03C2, Rust \u03C3)");
  if (/[\u{20000}-\u{3FFFF}]/u.test(text)) reasons.push("CJK beyond the BMP (transformers.js walks UTF-16 code units)");
  return reasons.length ? reasons.join(" and ") : "unexplained";
}

async function writeFixture(file, rows, toks) {
  const lines = [
    `# Written by make_expected.mjs (Rust tokenizers 0.23.2 expected, transformers.js 4.3.2 second oracle); do not edit.`,
    HEADER,
  ];
  let deviating = 0;
  for (const { ref, text } of rows) {
    const cols = [ref, fnv64(text)];
    const notes = [];
    const jsCols = [];
    let first = null;
    for (const name of Object.keys(TOKENIZERS)) {
      const e = await encodeBoth(toks[name], text);
      const ids = e.rustIds.join(",");
      const tokens = e.rustTokens.map(escape).join(" ");
      if (first && ids === first.ids && tokens === first.tokens) cols.push("=", "=");
      else cols.push(ids, tokens);
      first ??= { ids, tokens };
      const agree = sameArray(e.ids, e.rustIds) && sameArray(e.tokens, e.rustTokens);
      jsCols.push(agree ? "=" : e.ids.join(","));
      if (!agree) notes.push(`${name}: ` + e.tokens.map(escape).join(" "));
    }
    if (notes.length) ++deviating;
    cols.push(...jsCols, notes.length ? `transformers.js deviation: ${deviationReason(text)}: ` + notes.join("; ") : "");
    lines.push(cols.join("\t"));
  }
  fs.writeFileSync(path.join(HERE, file), lines.join("\n") + "\n");
  console.log(`${file}: ${rows.length} lines, transformers.js differs from Rust on ${deviating}`);
}

// Sources ------------------------------------------------------------------------------------------------------

function multilingualRows() {
  const seen = new Set();
  const rows = [];
  for (const line of fs.readFileSync(path.join(ROOT, "tests/data/wordpiece/cases.tsv"), "utf8").split("\n")) {
    const cols = line.split("\t");
    if (cols.length < 3 || seen.has(cols[1])) continue;
    seen.add(cols[1]);
    rows.push({ ref: "text:" + cols[1], text: unescape(cols[1]) });
  }
  return rows;
}

function hardRows() {
  return JSON.parse(fs.readFileSync(path.join(HERE, "hard-cases.json"), "utf8")).map((t) => ({
    ref: "text:" + escape(t),
    text: t,
  }));
}

function hansardsRows() {
  const rows = [];
  for (const side of ["train.e.xz", "train.f.xz"]) {
    const rel = `hansards-wpt03-training/${side}`;
    const out = execFileSync("sh", ["-c", `xz -dc "$0" | head -n ${HANSARDS_RANGE}`, path.join(DATA, rel)], {
      maxBuffer: 1 << 28,
    }).toString("utf8");
    const lines = out.split("\n").slice(0, HANSARDS_RANGE);
    const picked = new Set();
    for (let i = 0; i < lines.length; i += HANSARDS_STRIDE) if (lines[i].trim()) picked.add(i);
    const byLength = [...lines.keys()].sort((a, b) => lines[b].length - lines[a].length || a - b);
    for (const i of byLength.slice(0, HANSARDS_EXTRA)) picked.add(i);
    let beyond = 0;
    for (let i = 0; i < lines.length && beyond < HANSARDS_EXTRA; ++i)
      if (/[^\u0000-\u00ff]/u.test(lines[i]) && !picked.has(i)) picked.add(i), ++beyond;
    for (const i of [...picked].sort((a, b) => a - b)) rows.push({ ref: `${rel}:${i + 1}`, text: lines[i] });
  }
  return rows;
}

function reviewRows() {
  const rel = "movie-review-polarity/review_polarity_cv000-899.tar.gz";
  const archive = path.join(DATA, rel);
  const members = execFileSync("tar", ["-tzf", archive]).toString("utf8").split("\n").filter((m) => m.endsWith(".txt")).sort();
  const rows = [];
  const step = Math.floor(members.length / REVIEW_FILES);
  for (let k = 0; k < REVIEW_FILES; ++k) {
    const member = members[k * step];
    const lines = execFileSync("tar", ["-xzOf", archive, member]).toString("utf8").split("\n");
    if (lines.at(-1) === "") lines.pop();
    lines.forEach((text, i) => rows.push({ ref: `${rel}!${member}:${i + 1}`, text }));
  }
  return rows;
}

const toks = await loadTokenizers();
await writeFixture("multilingual.tsv", multilingualRows(), toks);
await writeFixture("hard-cases.tsv", hardRows(), toks);
await writeFixture("hansards.tsv", hansardsRows(), toks);
await writeFixture("movie-reviews.tsv", reviewRows(), toks);
