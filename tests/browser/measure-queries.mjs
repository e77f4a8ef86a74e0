// Times queries typed one after the other on /search/, in the page itself: from the input
// event to the first result drawn, with the index files fetched before it and in all.
//   node measure-queries.mjs BASE QUERY...   (V=1 lists the files)
import { launch } from "./common.mjs";
const [base, ...queries] = process.argv.slice(2);
const context = await launch();
const page = await context.newPage();
await page.goto(base + "/search/");
await page.waitForLoadState("networkidle");
async function timed(q) {
  return await page.evaluate((q) => new Promise((resolve) => {
    const list = document.getElementById("search-results");
    const input = document.getElementById("search-query");
    list.textContent = ""; const before = undefined;
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      const t = list.querySelector(".search-result-title");
      if (t && t.textContent !== before) {
        obs.disconnect();
        const t1 = performance.now();
        setTimeout(() => {
          const res = performance.getEntriesByType("resource").filter(e => e.startTime >= t0).map(e => [e.name.replace(/.*search-index\//, ""), Math.round(e.startTime - t0), Math.round(e.duration), e.transferSize]);
          resolve({ ms: Math.round(t1 - t0), res, before: res.filter(r => r[1] <= t1 - t0) });
        }, 1500);
      }
    });
    obs.observe(list, { childList: true, subtree: true });
    input.value = q;
    input.dispatchEvent(new Event("input"));
  }), q);
}
for (const q of queries) {
  const r = await timed(q);
  const sum = (xs) => xs.reduce((a, x) => a + x[3], 0);
  console.log(JSON.stringify({ q, first_ms: r.ms, files_before_first: r.before.length, bytes_before_first: sum(r.before), files_total: r.res.length, bytes_total: sum(r.res) }));
  if (process.env.V) for (const x of r.before) console.log("  ", JSON.stringify(x));
}
await context.close();
