// opsbook's own search index in a real browser, against a statically served fixture site:
// the header box (`/`, results as you type, marks, arrow keys, Escape), ids first, ids inside
// log lines, sub-results with anchors, facets that narrow, a shared URL restored, drafts not
// findable, and a broken index reported as unavailable.   node own-search.mjs BASE_URL
import { launch, step, waitFor } from "./common.mjs";

const base = process.argv[2];
const context = await launch();
function fail(message) { throw new Error(message); }
const events = [];
let page = null;
const statusSettled = () => {
  const s = document.getElementById("search-status").textContent;
  return s && !/Searching|Type to search/.test(s);
};
try {
  page = await context.newPage();
  page.on("console", (m) => events.push(`console ${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => events.push(`page error: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) events.push(`HTTP ${r.status()}: ${r.url()}`); });

  await page.goto(base + "/guides/plain/");
  await page.keyboard.press("/");
  await page.keyboard.type("quokka");
  await page.waitForSelector("#site-search-results:not([hidden]) .search-result", { timeout: 15000 });
  const first = await page.locator("#site-search-results .search-result-title").first().innerText();
  if (first !== "Database failover stalled") fail(`quokka's first result is "${first}"`);
  const mark = await page.locator("#site-search-results .search-excerpt mark").first().innerText();
  if (mark.toLowerCase() !== "quokka") fail(`the match is not highlighted: ${mark}`);
  await page.keyboard.press("ArrowDown");
  const active = await page.getAttribute("#site-search-input", "aria-activedescendant");
  if (!active || !(await page.locator(`#${active}.is-active`).count())) fail(`ArrowDown did not select a result (${active})`);
  await page.keyboard.press("Escape");
  if (!(await page.locator("#site-search-results").isHidden())) fail("Escape did not close the results");
  step("`/` focuses the header box; a unique word finds its incident first, marked; arrows and Escape work");

  await page.fill("#site-search-input", "");
  await page.keyboard.type("INC-2026-002");
  await waitFor(page, () => {
    const t = document.querySelector("#site-search-results:not([hidden]) .search-result-title");
    return t && t.textContent === "Cache eviction storm";
  }, "INC-2026-002 to find its own incident first");
  step("an id finds its own document first, before those that mention it");

  await page.goto(base + "/search/?q=" + encodeURIComponent("pg_is_in_recovery"));
  await page.waitForSelector(".search-result", { timeout: 15000 });
  const sub = await page.locator("#search-results .search-subresults a").first().getAttribute("href");
  if (!sub || !sub.endsWith("#timeline")) fail(`no sub-result with the section's anchor: ${sub}`);
  await page.goto(base + "/search/?q=recovery");
  await page.waitForSelector(".search-result", { timeout: 15000 });
  step("a word inside a code line is found by its parts, with a sub-result linking its section");

  await page.goto(base + "/search/?q=failover");
  await page.waitForSelector(".search-result", { timeout: 15000 });
  const all = await page.locator("#search-results .search-result").count();
  await page.locator('input[name="severity"][value="sev3"]').check();
  await waitFor(page, () => location.search.includes("severity=sev3"), "the URL to carry the filter");
  await page.waitForTimeout(300);
  const badges = await page.locator("#search-results .search-result .badge.sev").allInnerTexts();
  const narrowed = await page.locator("#search-results .search-result").count();
  if (!(narrowed < all) || badges.length !== narrowed || badges.some((b) => b !== "SEV3")) {
    fail(`the severity facet did not narrow: ${all} -> ${narrowed}, badges ${badges}`);
  }
  const teamLabel = await page.locator('label[for="facet-team-payments"]').innerText();
  if (!/Payments/.test(teamLabel)) fail(`the team facet is not labelled with its name: ${teamLabel}`);
  step(`a facet narrows ${all} results to ${narrowed}, and the URL follows`);

  await page.goto(base + "/search/?q=failover&severity=sev1&team=payments");
  await page.waitForSelector(".search-result", { timeout: 15000 });
  if ((await page.inputValue("#search-query")) !== "failover") fail("the query was not restored");
  if (!(await page.locator('input[name="severity"][value="sev1"]').isChecked())) fail("the sev1 filter was not restored");
  if (!(await page.locator('input[name="team"][value="payments"]').isChecked())) fail("the team filter was not restored");
  const titles = await page.locator("#search-results .search-result-title").allInnerTexts();
  if (titles.length !== 1 || titles[0] !== "Database failover stalled") fail(`?severity=sev1&team=payments shows ${titles}`);
  step("a shared URL restores the query and both filters");

  for (const q of ["SECRET-DRAFT-TOKEN", "zebra"]) {
    await page.goto(base + "/search/?q=" + encodeURIComponent(q));
    await waitFor(page, statusSettled, "the search to finish");
    const n = await page.locator("#search-results .search-result").count();
    if (n !== 0) fail(`the draft is findable by "${q}"`);
  }
  step("a draft's text is not findable");

  // A broken index: a manifest that is not JSON, then a truncated dictionary shard.
  await page.route("**/search-index/manifest.json", (r) => r.fulfill({ status: 200, body: "{not json" }));
  await page.goto(base + "/search/?q=failover");
  await waitFor(page, () => /Search is unavailable/.test(document.getElementById("search-status").textContent), "an unavailable status");
  await page.unroute("**/search-index/manifest.json");
  await page.route("**/search-index/dict/*.bin", async (r) => {
    const res = await r.fetch();
    const body = await res.body();
    await r.fulfill({ status: 200, body: body.subarray(0, body.length >> 1) });
  });
  await page.goto(base + "/search/?q=failover");
  await waitFor(page, () => /Search is unavailable/.test(document.getElementById("search-status").textContent), "an unavailable status for a truncated shard");
  await page.unroute("**/search-index/dict/*.bin");
  const header = page.locator("#site-search-input");
  await page.route("**/search-index/post/*.bin", (r) => r.fulfill({ status: 404, body: "" }));
  await page.goto(base + "/guides/plain/");
  // A word in most documents: a rare one (quokka) has its postings in the dictionary itself.
  await header.fill("the");
  await page.waitForSelector("#site-search-results:not([hidden])", { timeout: 15000 });
  const said = await page.locator("#site-search-results").innerText();
  if (!/Search is unavailable/.test(said)) fail(`a missing postings file shows: ${said}`);
  await header.fill("quokka");
  await waitFor(page, () => {
    const t = document.querySelector("#site-search-results:not([hidden]) .search-result-title");
    return t && t.textContent === "Database failover stalled";
  }, "quokka, whose postings are in the dictionary, to be found with no postings file");
  step("a malformed, truncated or missing index file says 'Search is unavailable'");
  const errors = events.filter((e) => e.startsWith("page error"));
  if (errors.length) fail(`page errors: ${errors.join("; ")}`);
} catch (e) {
  console.log(events.join("\n"));
  if (page) {
    const status = await page.locator("#search-status").innerText().catch(() => "(no status)");
    console.log(`at ${page.url()}, search status: ${status}`);
  }
  throw e;
} finally {
  await context.close();
}
