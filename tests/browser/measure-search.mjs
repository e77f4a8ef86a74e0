// Measures a search in a real browser: bytes downloaded for the index and time from typing
// the query to the first result.   node measure-search.mjs BASE QUERY
import { launch } from "./common.mjs";
const [base, query] = process.argv.slice(2);
const context = await launch();
const page = await context.newPage();
await page.goto(base + "/search/");
await page.waitForLoadState("networkidle");
let bytes = 0, files = 0;
page.on("response", async (r) => {
  if (!r.url().includes("/pagefind/")) return;
  try { const b = await r.body(); bytes += b.length; files += 1; } catch (e) {}
});
const t0 = Date.now();
await page.fill("#search-query", query);
await page.waitForSelector("#search-results .search-result", { timeout: 60000 });
const first = Date.now() - t0;
await page.waitForTimeout(1500);
console.log(JSON.stringify({ query, first_result_ms: first, index_files: files, index_bytes: bytes, top: await page.locator(".search-result-title").first().innerText() }));
// A second query, with the index loaded: the warm figure.
let bytes2 = 0, files2 = 0;
page.removeAllListeners("response");
page.on("response", async (r) => { if (r.url().includes("/pagefind/")) { try { bytes2 += (await r.body()).length; files2 += 1; } catch (e) {} } });
const firstTitle = await page.locator(".search-result-title").first().innerText();
const t1 = Date.now();
await page.fill("#search-query", "rollback canary");
await page.waitForFunction((old) => {
  const t = document.querySelector(".search-result-title");
  return t && t.textContent !== old && !document.getElementById("search-status").textContent.includes("Searching");
}, firstTitle, { timeout: 60000, polling: 5 });
console.log(JSON.stringify({ query: "rollback canary", warm_ms: Date.now() - t1, index_files: files2, index_bytes: bytes2 }));
await context.close();
