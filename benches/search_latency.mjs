#!/usr/bin/env node
// Search latency in headless Chromium: time from typing a query to the first result shown,
// bytes and requests per query, on a built site served by a static server on 127.0.0.1.
//
//   node benches/search_latency.mjs --site OUT --corpus CORPUS [--page /search/] [--label NAME]
//        [--pagefind-page] [--runs 3] [--two-words "rollback canary"] [--json FILE]
//
// --site: the output folder to serve (python3 -m http.server: HTTP/1.0, no compression).
// --corpus: the markdown corpus it was built from; the queries are picked from it:
//   unique  a word in exactly one document (a hex id from a code block); is that document first?
//   prefix  another single-document word sharing the unique word's first characters, typed
//           next on the same page: the index shard the first query loaded should be reused
//   common  the corpus's most frequent word
//   two     a two-word query (--two-words)
// --page: the search page (default /search/, opsbook's). Its DOM contract: input #search-query,
//   results #search-results li.search-result with .search-result-title, status #search-status.
// --pagefind-page: write OUT/pf-search/index.html, a minimal page on Pagefind's JS API
//   (/pagefind/pagefind.js, as the Pagefind CLI writes it) with the same DOM contract, and
//   measure it instead: the baseline for the same pages.
// Every run opens a fresh browser profile (cold HTTP cache), loads the page, waits until the
// network is quiet, then types the four queries in order. Output: one JSON line per query and
// run (to --json, default stdout) and a markdown table of medians on stdout.
// Needs benches/node_modules (cd benches && npm ci) and Debian's chromium (CHROMIUM overrides).
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, readFileSync, readdirSync, statSync, existsSync, mkdirSync, writeFileSync, appendFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";

function die(message) {
  console.error(`search_latency: ${message}`);
  process.exit(1);
}

// ---- arguments -------------------------------------------------------------------------------
const opts = { page: "/search/", runs: 3, twoWords: "rollback canary", label: null, json: null, pagefindPage: false, debounce: 30, timeout: 60000 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
  if (a === "--site") opts.site = val();
  else if (a === "--corpus") opts.corpus = val();
  else if (a === "--page") opts.page = val();
  else if (a === "--label") opts.label = val();
  else if (a === "--runs") opts.runs = Number(val());
  else if (a === "--two-words") opts.twoWords = val();
  else if (a === "--json") opts.json = val();
  else if (a === "--pagefind-page") opts.pagefindPage = true;
  else if (a === "--pf-debounce") opts.debounce = Number(val());
  else if (a === "--timeout") opts.timeout = Number(val()) * 1000;
  else if (a === "-h" || a === "--help") { console.log(readFileSync(new URL(import.meta.url), "utf8").split("\n").slice(1, 22).map((l) => l.replace(/^\/\/ ?/, "")).join("\n")); process.exit(0); }
  else die(`unknown argument ${a} (see --help)`);
}
if (!opts.site || !existsSync(opts.site)) die("--site OUT (an existing output folder) is required");
if (!opts.corpus || !existsSync(opts.corpus)) die("--corpus CORPUS (the markdown it was built from) is required");
if (!(opts.runs >= 1)) die("--runs must be at least 1");
if (opts.pagefindPage) opts.page = "/pf-search/";
opts.label ??= opts.pagefindPage ? "pagefind page" : "opsbook";
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!existsSync(chromiumPath)) die(`no chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM)`);

// ---- queries from the corpus -----------------------------------------------------------------
// Markdown files under content/ (opsbook, hugo) or src/ (mdbook), with their URL path.
function markdownFiles(corpus) {
  const top = ["content", "src"].map((d) => join(corpus, d)).find((d) => existsSync(d));
  if (!top) die(`${corpus} has no content/ or src/ folder`);
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".md") && !name.startsWith("_index") && name !== "SUMMARY.md") {
        const rel = relative(top, p).split(sep).join("/");
        out.push({ path: p, rel, url: "/" + rel.replace(/\.md$/, "") + "/" });
      }
    }
  };
  walk(top);
  return out;
}

function pickQueries(corpus) {
  const files = markdownFiles(corpus);
  const hexDocs = new Map(); // hex id -> set of file indexes
  const wordCount = new Map();
  files.forEach((f, i) => {
    let text = readFileSync(f.path, "utf8");
    text = text.replace(/^\+\+\+\n[\s\S]*?\n\+\+\+\n/, ""); // front matter is not indexed text
    // Ids standing alone (in quotes or spaces, e.g. JSON trace ids), not glued to a key
    // like req=...: every search tokenizer should see them as one word.
    for (const m of text.matchAll(/(?<![\w=])([0-9a-f]{16,})(?![\w=])/g)) {
      if (!/[a-f]/.test(m[1]) || !/[0-9]/.test(m[1])) continue;
      if (!hexDocs.has(m[1])) hexDocs.set(m[1], new Set());
      hexDocs.get(m[1]).add(i);
    }
    for (const w of text.toLowerCase().match(/[a-z]+/g) || []) wordCount.set(w, (wordCount.get(w) || 0) + 1);
  });
  const single = [...hexDocs].filter(([, docs]) => docs.size === 1).map(([w, docs]) => ({ word: w, doc: files[[...docs][0]] }));
  if (!single.length) die(`no word that occurs in exactly one document (a hex id of 16+ characters in a code block) in ${corpus}: use the realtext corpus`);
  single.sort((a, b) => (a.doc.rel < b.doc.rel ? -1 : a.doc.rel > b.doc.rel ? 1 : a.word < b.word ? -1 : 1));
  // The first unique word (in file order) that has a partner in another document sharing its
  // longest prefix: a shard keyed by the first characters then holds both.
  const byWord = [...single].sort((a, b) => (a.word < b.word ? -1 : 1));
  let best = null;
  for (const cand of single) {
    const k = byWord.findIndex((x) => x.word === cand.word);
    for (const other of [byWord[k - 1], byWord[k + 1]]) {
      if (!other || other.doc.rel === cand.doc.rel) continue;
      let p = 0;
      while (p < cand.word.length && cand.word[p] === other.word[p]) p++;
      if (!best || p > best.prefix) best = { unique: cand, partner: other, prefix: p };
    }
    if (best && best.prefix >= 4) break;
  }
  if (!best || best.prefix < 2) die("no pair of single-document words sharing a prefix of 2+ characters");
  const common = [...wordCount].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  return [
    { kind: "unique", q: best.unique.word, expect: best.unique.doc.url, source: best.unique.doc.rel },
    { kind: "prefix", q: best.partner.word, expect: best.partner.doc.url, source: best.partner.doc.rel, shared_prefix: best.prefix },
    { kind: "common", q: common[0], occurrences: common[1] },
    { kind: "two", q: opts.twoWords },
  ];
}

// ---- the Pagefind baseline page --------------------------------------------------------------
// Pagefind's JS API, with the same DOM contract, input handling (as opsbook's search.js: a
// query arriving in one input runs at once, typing waits 30 ms after each key) and display as
// opsbook's /search/ page: the first 10
// results as soon as their fragments arrive, then up to 50.
const PF_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind baseline search</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"></head>
<body><main>
<!-- Written by benches/search_latency.mjs: Pagefind's JS API on the same pages. -->
<input id="search-query" type="search" autocomplete="off" aria-label="Search">
<p id="search-status" role="status"></p>
<ol id="search-results"></ol>
</main>
<script type="module">
const DEBOUNCE = Number(new URLSearchParams(location.search).get("debounce") ?? ${opts.debounce});
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.options({ baseUrl: "/" });
await pagefind.init();
window.__searchReady = true;
let seq = 0, timer = null;
function item(d) {
  const li = document.createElement("li");
  li.className = "search-result";
  const a = document.createElement("a");
  a.className = "search-result-title";
  a.href = d.url;
  a.textContent = (d.meta && d.meta.title) || d.url;
  const p = document.createElement("p");
  p.className = "search-excerpt";
  p.innerHTML = d.excerpt;
  li.append(a, p);
  return li;
}
async function run() {
  const q = input.value.trim(), mine = ++seq;
  if (!q) { list.textContent = ""; status.textContent = ""; return; }
  status.textContent = "Searching…";
  const search = await pagefind.search(q);
  if (mine !== seq || !search) return;
  const n = search.results.length;
  status.textContent = n === 0 ? "No results." : n + " result" + (n === 1 ? "" : "s") + ".";
  if (n === 0) { list.textContent = ""; return; }
  const show = async (from, to) => {
    const all = await Promise.all(search.results.slice(from, to).map((r) => r.data()));
    if (mine !== seq) return false;
    if (from === 0) list.textContent = "";
    for (const d of all) list.appendChild(item(d));
    return true;
  };
  if ((await show(0, 10)) && n > 10) await show(10, 50);
}
input.addEventListener("input", (e) => { const key = /^(insertText|deleteContent)/.test(e.inputType || "") && (e.data || "").length <= 1; clearTimeout(timer); if (key) timer = setTimeout(run, DEBOUNCE); else run(); });
</script></body></html>
`;

function writePagefindPage(site) {
  if (!existsSync(join(site, "pagefind", "pagefind.js"))) die(`${site}/pagefind/pagefind.js not found: run the Pagefind CLI on it first (npx pagefind --site ${site})`);
  mkdirSync(join(site, "pf-search"), { recursive: true });
  writeFileSync(join(site, "pf-search", "index.html"), PF_PAGE);
}

// ---- static server ---------------------------------------------------------------------------
function startServer(site) {
  return new Promise((resolve, reject) => {
    // Port 0: the kernel picks a free port and the server prints it.
    const proc = spawn("python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", site], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => { proc.kill(); reject(new Error(`the static server did not start: ${out}`)); }, 15000);
    const onData = (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) { clearTimeout(timer); proc.stdout.off("data", onData); resolve({ proc, base: `http://127.0.0.1:${m[1]}` }); }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", () => {}); // one log line per request; nobody reads them
    proc.on("exit", (code) => { clearTimeout(timer); reject(new Error(`the static server exited (${code}): ${out}`)); });
    proc.on("error", (e) => { clearTimeout(timer); reject(new Error(`python3 could not start: ${e.message}`)); });
  });
}

// ---- measurement -----------------------------------------------------------------------------
// Every request with its size on the wire (headers + encoded body, what CDP's
// Network.loadingFinished reports as encodedDataLength), pages' and workers' alike.
class Traffic {
  constructor(page) {
    this.log = [];
    this.inflight = 0;
    this.lastChange = Date.now();
    this.failed = [];
    page.on("request", () => { this.inflight++; this.lastChange = Date.now(); });
    page.on("requestfinished", async (req) => {
      let bytes = 0;
      try { const s = await req.sizes(); bytes = s.responseBodySize + s.responseHeadersSize; } catch (e) { /* counted as 0 */ }
      this.log.push({ url: req.url(), type: req.resourceType(), bytes });
      this.inflight--; this.lastChange = Date.now();
    });
    page.on("requestfailed", (req) => { this.failed.push(`${req.url()} ${req.failure()?.errorText}`); this.inflight--; this.lastChange = Date.now(); });
    page.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) this.failed.push(`HTTP ${r.status()} ${r.url()}`); });
  }
  mark() { return this.log.length; }
  since(mark, exclude) {
    const reqs = this.log.slice(mark).filter((r) => !exclude(r));
    return { requests: reqs.length, bytes: reqs.reduce((s, r) => s + r.bytes, 0) };
  }
  // Resolves once no request has been open or finished for quietMs.
  async quiet(quietMs, timeoutMs) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (this.inflight <= 0 && Date.now() - this.lastChange >= quietMs) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error("the network did not go quiet");
  }
}

async function measureRun(base, queries, run) {
  const profile = mkdtempSync(join(tmpdir(), "opsbook-search-latency-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  const rows = [];
  const events = [];
  try {
    const page = await context.newPage();
    page.on("pageerror", (e) => events.push(`page error: ${e.message}`));
    page.on("console", (m) => { if (m.type() === "error") events.push(`console: ${m.text()}`); });
    const traffic = new Traffic(page);
    const pageUrl = new URL(opts.page, base).href;
    const t0 = Date.now();
    await page.goto(pageUrl, { waitUntil: "load", timeout: opts.timeout });
    if (opts.pagefindPage) await page.waitForFunction(() => window.__searchReady === true, null, { timeout: opts.timeout });
    await traffic.quiet(500, opts.timeout);
    const loadMs = traffic.lastChange - t0; // until the last search file arrived
    // The page, its stylesheets, its own <script src> files and the favicon are not search;
    // everything else (pagefind.js, wasm, index, fragments) is, wherever it lives.
    const ownScripts = new Set(await page.evaluate(() => [...document.scripts].filter((s) => s.src).map((s) => s.src)));
    const notSearch = (r) => r.url.split("#")[0] === pageUrl || r.type === "document" || r.type === "stylesheet" || r.type === "font" || /\/favicon\.[a-z]+$/.test(r.url) || ownScripts.has(r.url);
    const load = traffic.since(0, notSearch);
    rows.push({ kind: "load", q: "", ms: loadMs, bytes: load.bytes, requests: load.requests });
    for (const spec of queries) {
      const mark = traffic.mark();
      // Typed as one input event (as a paste or page.fill), timed inside the page: from just
      // before the event to the first result added to the emptied list.
      const ok = await page.evaluate((q) => {
        const input = document.getElementById("search-query");
        const list = document.getElementById("search-results");
        if (!input || !list) return false;
        list.textContent = "";
        window.__first = null;
        const seen = () => {
          const li = list.querySelector("li.search-result .search-result-title");
          if (li && window.__first === null) window.__first = { t: performance.now(), href: li.href, title: li.textContent };
        };
        window.__obs?.disconnect();
        window.__obs = new MutationObserver(seen);
        window.__obs.observe(list, { childList: true, subtree: true });
        input.value = q;
        window.__t0 = performance.now();
        input.dispatchEvent(new Event("input", { bubbles: true }));
        return true;
      }, spec.q);
      if (!ok) throw new Error(`${opts.page} has no #search-query and #search-results`);
      try {
        await page.waitForFunction(() => window.__first !== null, null, { timeout: opts.timeout, polling: 10 });
      } catch (e) {
        const st = await page.locator("#search-status").innerText().catch(() => "?");
        throw new Error(`no result for "${spec.q}" within ${opts.timeout / 1000} s (status: ${st})`);
      }
      // Let the rest of the query's results (up to 50) load, so its bytes are all counted.
      await page.waitForFunction(() => !/Searching/.test(document.getElementById("search-status")?.textContent || ""), null, { timeout: opts.timeout, polling: 10 });
      await traffic.quiet(500, opts.timeout);
      const r = await page.evaluate(() => {
        const hrefs = [...document.querySelectorAll("#search-results li.search-result .search-result-title")].map((a) => new URL(a.href, location.href).pathname);
        return { ms: window.__first.t - window.__t0, first: new URL(window.__first.href, location.href).pathname, title: window.__first.title, hrefs, status: document.getElementById("search-status")?.textContent || "" };
      });
      const norm = (p) => p.replace(/index\.html$/, "").replace(/\/?$/, "/");
      const t = traffic.since(mark, notSearch);
      const row = { kind: spec.kind, q: spec.q, ms: Math.round(r.ms * 10) / 10, bytes: t.bytes, requests: t.requests, results_status: r.status.trim(), first_url: r.first, first_title: r.title };
      if (spec.expect) {
        row.expect = spec.expect;
        row.expected_first = norm(r.first) === norm(spec.expect);
        const rank = r.hrefs.findIndex((h) => norm(h) === norm(spec.expect));
        row.expected_rank = rank < 0 ? null : rank + 1;
      }
      rows.push(row);
    }
    if (traffic.failed.length) events.push(...traffic.failed.map((f) => `request failed: ${f}`));
  } catch (e) {
    if (events.length) console.error(events.join("\n"));
    throw e;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
  return rows.map((r) => ({ run, ...r, notes: events.length ? events : undefined }));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- main ------------------------------------------------------------------------------------
const queries = pickQueries(opts.corpus);
if (opts.pagefindPage) writePagefindPage(opts.site);
else if (!existsSync(join(opts.site, opts.page.replace(/^\//, ""), "index.html"))) die(`${opts.site} has no ${opts.page}index.html`);
let server;
try {
  server = await startServer(opts.site);
} catch (e) {
  die(e.message);
}
const all = [];
try {
  for (let run = 1; run <= opts.runs; run++) {
    const rows = await measureRun(server.base, queries, run);
    for (const r of rows) {
      const line = JSON.stringify({ label: opts.label, page: opts.page, ...r });
      if (opts.json) appendFileSync(opts.json, line + "\n"); else console.log(line);
      all.push(r);
    }
  }
} catch (e) {
  server.proc.kill();
  die(e.message);
}
server.proc.kill();

// A markdown table of medians over the runs.
const kb = (b) => (b / 1000).toFixed(1);
console.log(`\n${opts.label}: ${opts.page} on ${opts.site}, ${opts.runs} run(s), medians (python3 -m http.server, no compression)\n`);
console.log("| query | words | first result (ms) | min-max (ms) | KB | requests | expected doc first |");
console.log("|---|---|---:|---:|---:|---:|---|");
for (const kind of ["load", ...queries.map((q) => q.kind)]) {
  const rs = all.filter((r) => r.kind === kind);
  const ms = rs.map((r) => r.ms);
  const first = rs[0].expected_first === undefined ? "" : rs.every((r) => r.expected_first) ? "yes" : `no (rank ${rs.map((r) => r.expected_rank ?? "none").join(", ")})`;
  const name = kind === "load" ? "page load (index bootstrap)" : kind;
  console.log(`| ${name} | ${kind === "load" ? "" : "`" + rs[0].q + "`"} | ${median(ms).toFixed(0)} | ${Math.min(...ms).toFixed(0)}-${Math.max(...ms).toFixed(0)} | ${kb(median(rs.map((r) => r.bytes)))} | ${median(rs.map((r) => r.requests))} | ${first} |`);
}
const u = queries[0], p = queries[1];
console.log(`\nunique: only in ${u.source}; prefix: only in ${p.source}, shares ${p.shared_prefix} leading characters; common: ${queries[2].occurrences} occurrences in the corpus.`);
