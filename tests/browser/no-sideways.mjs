// At a phone's width no page may scroll sideways: the page is never wider than the screen,
// with the section sidebar and the header's menu closed or open.
//   node no-sideways.mjs BASE_URL PATH...
import { launch, step } from "./common.mjs";

const [base, ...paths] = process.argv.slice(2);
const context = await launch();
const failures = [];
try {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const width = () => page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  for (const path of paths) {
    const response = await page.goto(base + path);
    if (!response || (!response.ok() && !path.includes("404"))) {
      failures.push(`${path}: HTTP ${response && response.status()}`);
      continue;
    }
    const states = [["closed", await width()]];
    for (const toggle of [".menu-toggle summary", ".sidebar-toggle summary", ".filters-toggle summary"]) {
      const el = await page.$(toggle);
      if (el && (await el.isVisible())) {
        await el.click();
        states.push([`${toggle} open`, await width()]);
      }
    }
    for (const [state, [scroll, inner]] of states) {
      if (scroll > inner) failures.push(`${path} (${state}): ${scroll}px wide in a ${inner}px screen`);
    }
    step(`390px ${path}: ${states.map(([s, [w]]) => `${s} ${w}px`).join(", ")}`);
  }
} finally {
  await context.close();
}
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
