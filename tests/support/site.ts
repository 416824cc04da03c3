// The built site served for one browser test file, with its own free port.
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { ensureBuilt, startSite } from '../../lib/cli/site';
import { freePort } from '../../lib/net/ports';
import { launchChromium } from './browser';

export interface TestSite {
  /** http://127.0.0.1:<port> */
  url: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Builds when stale (one file at a time), serves with `env` (DATABASE_URL), and opens Chromium on a page. */
export async function openSite(env: Record<string, string> = {}, viewport = { width: 1280, height: 800 }): Promise<TestSite> {
  await ensureBuilt('pipe');
  const port = await freePort();
  const server: ChildProcess = await startSite(port, env, 'pipe');
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  return {
    url: `http://127.0.0.1:${port}`,
    browser,
    page,
    async close() {
      await browser.close();
      server.kill();
    },
  };
}
