// Measures searches in a real browser: bytes downloaded for the index and time from typing a
// query to the first result, cold (after page load) and warm.
//   node measure-search.mjs BASE QUERY [SECOND_QUERY]
// Counts requests under /search-index/ (opsbook's index) and /pagefind/ (the old one).
import { launch } from "./common.mjs";
const [base, query, second = "rollback canary"] = process.argv.slice(2);
const context = await launch();
const page = await context.newPage();
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
await page.goto(base + "/search/");
await page.waitForLoadState("networkidle");
let bytes = 0, files = 0;
const isIndex = (u) => u.includes("/search-index/") || u.includes("/pagefind/");
page.on("response", async (r) => {
  if (!isIndex(r.url())) return;
  try { const b = await r.body(); bytes += b.length; files += 1; } catch (e) {}
});
const t0 = Date.now();
await page.fill("#search-query", query);
await page.waitForSelector("#search-results .search-result", { timeout: 60000 });
const first = Date.now() - t0;
await page.waitForTimeout(1500);
console.log(JSON.stringify({ query, first_result_ms: first, index_files: files, index_bytes: bytes, status: await page.locator("#search-status").innerText(), top: await page.locator(".search-result-title").first().innerText() }));
// A second query, with what the first fetched cached: the warm figure.
let bytes2 = 0, files2 = 0;
page.removeAllListeners("response");
page.on("response", async (r) => { if (isIndex(r.url())) { try { bytes2 += (await r.body()).length; files2 += 1; } catch (e) {} } });
const firstTitle = await page.locator(".search-result-title").first().innerText();
const t1 = Date.now();
await page.fill("#search-query", second);
await page.waitForFunction((old) => {
  const t = document.querySelector(".search-result-title");
  return t && t.textContent !== old && !document.getElementById("search-status").textContent.includes("Searching");
}, firstTitle, { timeout: 60000, polling: 5 });
const warm = Date.now() - t1;
await page.waitForTimeout(1000);
console.log(JSON.stringify({ query: second, warm_ms: warm, index_files: files2, index_bytes: bytes2 }));
if (errors.length) console.log(JSON.stringify({ page_errors: errors }));
await context.close();
