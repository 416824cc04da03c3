import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; .ci/run installs it. Playwright's own download cannot work offline. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);
if (!hasChromium) console.warn(`[threadlab tests] no Chromium at ${chromiumPath} (apt-get install -y chromium): browser tests are skipped.`);

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Playwright gives each launch a fresh temporary profile (--user-data-dir).
    // The machine's network is closed: without these Chromium keeps trying to phone home.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
