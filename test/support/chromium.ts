import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which `.ci/run` installs. */
export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/**
 * Registers mocha hooks that start headless Chromium for the suite and close it after; the
 * suite is skipped with a printed reason when Chromium is missing, or fails under
 * REQUIRE_SERVICES=1.
 *
 * @returns the browser, once the suite's `before` hook ran.
 */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  before(async function () {
    if (!existsSync(CHROMIUM)) {
      const reason = `${CHROMIUM} is missing (apt-get install chromium)`;
      if (process.env.REQUIRE_SERVICES === '1') throw new Error(`${reason}, and REQUIRE_SERVICES=1`);
      process.stdout.write(`      (skipped: ${reason}; set REQUIRE_SERVICES=1 to fail instead)\n`);
      this.skip();
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (browser === undefined) throw new Error('useChromium(): no browser outside a test');
    return browser;
  };
}
