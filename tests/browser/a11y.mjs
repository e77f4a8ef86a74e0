// Accessibility check with axe-core in headless chromium, over the pages a reader meets first.
// Fails on any serious or critical violation; prints the counts.   node a11y.mjs BASE_URL PATH...
import { createRequire } from "node:module";
import { launch, step } from "./common.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [base, ...paths] = process.argv.slice(2);
const context = await launch();
let failures = [];
try {
  const page = await context.newPage();
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const path of paths) {
      await page.goto(base + path);
      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
      const counts = { minor: 0, moderate: 0, serious: 0, critical: 0 };
      for (const v of result.violations) {
        counts[v.impact] = (counts[v.impact] || 0) + v.nodes.length;
        if (v.impact === "serious" || v.impact === "critical") {
          failures.push(`${scheme} ${path}: ${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x, e.g. ${v.nodes[0].target.join(" ")})`);
        }
      }
      step(`axe ${scheme} ${path}: critical ${counts.critical}, serious ${counts.serious}, moderate ${counts.moderate}, minor ${counts.minor}`);
    }
  }
} finally {
  await context.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
