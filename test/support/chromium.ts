import * as fs from 'node:fs';

/** Debian's `chromium` package installs here; CHROMIUM_PATH overrides it (and lets a test prove the guard). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * The browser tests' first step: without the browser they fail with how to get it, not with Playwright's
 * launch stack trace. The error's stack is its message alone, so the test reporter prints just that.
 */
export function requireChromium(): string {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const err = new Error(
    `headless Chromium is not installed at ${CHROMIUM_PATH}: install it with \`apt-get install chromium\` ` +
      '(Debian; .ci/run does this), or set CHROMIUM_PATH to a Chromium binary',
  );
  err.stack = err.message;
  throw err;
}
