// A folder of imported postmortems after `opsbook infer --write`: the enum field the template
// inferred (`severity`, three repeated values) is a filter on /search/ that narrows the results
// and follows the URL.   node inferred-facet.mjs BASE_URL
import { launch, step, waitFor } from "./common.mjs";

const base = process.argv[2];
const context = await launch();
function fail(message) { throw new Error(message); }
const resultCount = () => {
  const m = /^(\d+) results?\./.exec(document.getElementById("search-status").textContent || "");
  return m ? Number(m[1]) : -1;
};
try {
  const page = await context.newPage();
  await page.goto(base + "/search/?q=quagga");
  await waitFor(page, () => /^\d+ results?\./.test(document.getElementById("search-status").textContent || ""), "results for `quagga`");
  const all = await page.evaluate(resultCount);
  // The filters are drawn once their counts are in, just after the results.
  await waitFor(page, () => document.querySelectorAll('input[name="severity"]').length >= 3, "the severity filter");
  const boxes = page.locator('input[name="severity"]');
  const values = await boxes.evaluateAll((els) => els.map((e) => e.value));
  // The fixture's incidents bring their own severities (sev1, ...) to the same filter.
  for (const v of ["SEV-1", "SEV-2", "SEV-3"]) if (!values.includes(v)) fail(`no ${v} among the severity filter's values: ${values}`);
  const sev2 = "SEV-2";
  await page.locator(`input[name="severity"][value="${sev2}"]`).check();
  await waitFor(page, () => /[?&]severity=/.test(location.search), "the URL to carry the filter");
  await page.waitForFunction((before) => {
    const m = /^(\d+) results?\./.exec(document.getElementById("search-status").textContent || "");
    return m && Number(m[1]) < before;
  }, all, { timeout: 15000, polling: 50 });
  const narrowed = await page.evaluate(resultCount);
  if (narrowed * 3 !== all) fail(`SEV-2 should keep a third of ${all} results, kept ${narrowed}`);
  const label = await page.locator(`label[for="${await page.locator(`input[name="severity"][value="${sev2}"]`).getAttribute("id")}"]`).innerText();
  if (!/SEV-2/.test(label)) fail(`the filter is labelled ${label}`);
  if (all !== 30) fail(`quagga is in the 30 postmortems, found ${all}`);
  step(`an inferred enum field is a search filter: ${all} results, ${narrowed} with SEV-2`);
} finally {
  await context.close();
}
