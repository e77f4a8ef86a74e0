// Opens a page served by `opsbook serve`, edits its source file, and checks that the page
// reloads by itself and shows the edit; then breaks the file (the error overlay must appear)
// and fixes it (the overlay must go).   node live-reload.mjs URL FILE
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
  await page.waitForTimeout(300); // let the reload client start its long poll

  writeFileSync(file, original.replace("## Summary\n", "## Summary\n\nLIVE-EDIT-TOKEN appears without a manual reload.\n"));
  const edited = Date.now();
  await waitFor(page, () => document.body.innerText.includes("LIVE-EDIT-TOKEN"), "the edit to appear");
  step(`edit visible after ${Date.now() - edited} ms`);

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
