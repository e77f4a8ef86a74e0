// Screenshots at phone, tablet and desktop widths, light and dark, plus print, for looking at.
import { launch } from "./common.mjs";
const base = process.argv[2];
const context = await launch();
const page = await context.newPage();
const shots = [
  ["/", 390, "light"], ["/incidents/2026-03-checkout-502s/", 390, "dark"], ["/teams/payments/", 820, "light"],
  ["/", 1280, "dark"], ["/action-items/", 1280, "light"], ["/search/?q=failover&severity=sev1", 390, "light"],
];
for (const [path, width, scheme] of shots) {
  await page.setViewportSize({ width, height: width < 500 ? 844 : 1000 });
  await page.emulateMedia({ colorScheme: scheme, media: "screen" });
  await page.goto(base + path);
  await page.waitForTimeout(400);
  const name = `/tmp/shot-${width}-${scheme}-${path.replace(/[^a-z0-9]+/gi, "_")}.png`;
  await page.screenshot({ path: name });
  console.log(name);
}
await page.setViewportSize({ width: 900, height: 1200 });
await page.emulateMedia({ media: "print", colorScheme: "light" });
await page.goto(base + "/incidents/2026-03-checkout-502s/");
await page.screenshot({ path: "/tmp/shot-print-incident.png" });
console.log("/tmp/shot-print-incident.png");
await context.close();
