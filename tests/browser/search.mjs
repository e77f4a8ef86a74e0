// Search in a real browser against a served fixture site: a unique word finds its incident
// first, a facet narrows the results, the shareable URL restores query and filters, and a
// draft's text is not findable.   node search.mjs BASE_URL
import { launch, step, waitFor } from "./common.mjs";

const base = process.argv[2];
const context = await launch();
function fail(message) { throw new Error(message); }
// What the page said, printed if a step fails: a search that never settles says why here.
const events = [];
let page = null;
try {
  page = await context.newPage();
  page.on("console", (m) => events.push(`console ${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => events.push(`page error: ${e.message}`));
  page.on("requestfailed", (r) => events.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => { if (r.status() >= 400) events.push(`HTTP ${r.status()}: ${r.url()}`); });
  // Pagefind answers queries from a web worker, whose console the page's listener does not see.
  page.on("worker", (w) => {
    events.push(`worker started: ${w.url()}`);
    w.on("console", (m) => events.push(`worker console ${m.type()}: ${m.text()}`));
    w.on("close", () => events.push(`worker closed: ${w.url()}`));
  });

  await page.goto(base + "/guides/plain/");
  await page.keyboard.press("/");
  await page.keyboard.type("quokka");
  await page.waitForSelector("#site-search-results:not([hidden]) .search-result", { timeout: 15000 });
  const first = await page.locator("#site-search-results .search-result-title").first().innerText();
  if (first !== "Database failover stalled") fail(`quokka's first result is "${first}"`);
  const mark = await page.locator("#site-search-results .search-excerpt mark").first().innerText();
  if (mark.toLowerCase() !== "quokka") fail(`the match is not highlighted: ${mark}`);
  step("`/` focuses the header box; a unique word finds its incident first, highlighted");

  await page.goto(base + "/search/?q=failover");
  await page.waitForSelector(".search-result", { timeout: 60000 });
  const all = await page.locator("#search-results .search-result").count();
  await page.locator('input[name="severity"][value="sev3"]').check();
  await waitFor(page, () => location.search.includes("severity=sev3"), "the URL to carry the filter");
  await page.waitForTimeout(300);
  const badges = await page.locator("#search-results .search-result .badge.sev").allInnerTexts();
  const narrowed = await page.locator("#search-results .search-result").count();
  if (!(narrowed < all) || badges.length !== narrowed || badges.some((b) => b !== "SEV3")) {
    fail(`the severity facet did not narrow: ${all} -> ${narrowed}, badges ${badges}`);
  }
  step(`a facet narrows ${all} results to ${narrowed}, and the URL follows`);

  await page.goto(base + "/search/?q=failover&severity=sev1&team=payments");
  await page.waitForSelector(".search-result", { timeout: 60000 });
  if ((await page.inputValue("#search-query")) !== "failover") fail("the query was not restored");
  if (!(await page.locator('input[name="severity"][value="sev1"]').isChecked())) fail("the sev1 filter was not restored");
  if (!(await page.locator('input[name="team"][value="payments"]').isChecked())) fail("the team filter was not restored");
  const titles = await page.locator("#search-results .search-result-title").allInnerTexts();
  if (titles.length !== 1 || titles[0] !== "Database failover stalled") fail(`?severity=sev1&team=payments shows ${titles}`);
  step("a shared URL restores the query and both filters");

  for (const q of ["SECRET-DRAFT-TOKEN", "zebra"]) {
    await page.goto(base + "/search/?q=" + encodeURIComponent(q));
    await waitFor(page, () => /result|No results/.test(document.getElementById("search-status").textContent) && !/Searching/.test(document.getElementById("search-status").textContent), "the search to finish");
    const n = await page.locator("#search-results .search-result").count();
    if (n !== 0) fail(`the draft is findable by "${q}"`);
  }
  step("a draft's text is not findable");
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
