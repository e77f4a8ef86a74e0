// Screenshot helper for looking at pages: node shot.mjs URL OUT.png [selector] [width] [scheme]
import { launch } from "./common.mjs";
const [url, out, selector, width, scheme] = process.argv.slice(2);
const context = await launch();
const page = await context.newPage();
await page.setViewportSize({ width: Number(width || 1280), height: 900 });
if (scheme) await page.emulateMedia({ colorScheme: scheme });
await page.goto(url);
if (selector) await page.locator(selector).first().screenshot({ path: out });
else await page.screenshot({ path: out, fullPage: false });
await context.close();
