// Opens a page served by `opsbook serve`, edits its source file, and checks that the page
// reloads by itself and shows the edit, and that the word the edit added is findable from the
// reloaded page at once; then breaks the file (the error overlay must appear) and fixes it
// (the overlay must go).   node live-reload.mjs URL FILE
import { readFileSync, writeFileSync } from "node:fs";
import { launch, step, waitFor } from "./common.mjs";

const [url, file] = process.argv.slice(2);
const original = readFileSync(file, "utf8");
const context = await launch();
try {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector("h1");
  step(`opened ${url}`);
  const search = async (word) => {
    await page.fill("#site-search-input", "");
    await page.type("#site-search-input", word);
    await waitFor(page, () => {
      const box = document.getElementById("site-search-results");
      return box && !box.hidden && !/Searching/.test(box.textContent);
    }, `the header box to answer "${word}"`);
    return page.locator("#site-search-results .search-result-title").allInnerTexts();
  };
  // The preview makes its first index on a thread of its own: wait until it answers.
  await waitFor(page, async () => (await fetch("/search-index/manifest.json")).ok, "the search index");
  if ((await search("livesearchtoken")).length) throw new Error("livesearchtoken is found before the edit");
  await page.waitForTimeout(300); // let the reload client start its long poll

  writeFileSync(file, original.replace("## Summary\n", "## Summary\n\nLIVE-EDIT-TOKEN appears without a manual reload, with livesearchtoken.\n"));
  const edited = Date.now();
  await waitFor(page, () => document.body.innerText.includes("LIVE-EDIT-TOKEN"), "the edit to appear");
  step(`edit visible after ${Date.now() - edited} ms`);
  const title = await page.locator("h1").innerText();
  const found = await search("livesearchtoken");
  if (found[0] !== title) throw new Error(`after the reload, livesearchtoken finds ${JSON.stringify(found)}, not "${title}"`);
  step("the word the edit added is findable from the reloaded page");

  writeFileSync(file, original.replace(/severity = "[^"]*"/, 'severity = "sev9"'));
  await waitFor(page, () => !!document.getElementById("opsbook-overlay"), "the error overlay");
  const overlay = await page.locator("#opsbook-overlay").innerText();
  if (!overlay.includes("sev9") || !/content\/incidents\/[^:]+:\d+:\d+/.test(overlay)) {
    throw new Error(`overlay does not show the error with its location:\n${overlay}`);
  }
  if (!(await page.locator("h1").innerText())) throw new Error("the last good page is gone");
  step("overlay shows the error over the last good page");

  writeFileSync(file, original);
  await waitFor(page, () => !document.getElementById("opsbook-overlay"), "the overlay to go away");
  await waitFor(page, () => !document.body.innerText.includes("LIVE-EDIT-TOKEN"), "the fixed page");
  step("fix cleared the overlay");
} finally {
  writeFileSync(file, original);
  await context.close();
}
