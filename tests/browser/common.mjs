// Shared setup for opsbook's browser tests: Debian's chromium, headless, with the flags this
// machine needs (no sandbox as root, no background network traffic).
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export async function launch() {
  const userDataDir = mkdtempSync(join(tmpdir(), "opsbook-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
  return context;
}

export function step(message) {
  console.log(`[browser] ${message}`);
}

export async function waitFor(page, predicate, what, timeout = 15000) {
  try {
    await page.waitForFunction(predicate, null, { timeout, polling: 50 });
  } catch (e) {
    throw new Error(`timed out waiting for ${what}`);
  }
}
