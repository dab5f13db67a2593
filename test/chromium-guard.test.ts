/**
 * The browser test without a browser: it must fail and say how to install Chromium, with no stack trace
 * (a new contributor's machine without Debian's `chromium` package).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { BUILD_ROOT, spawnNode } from './support/process';

test('the browser test fails without Chromium, naming apt-get install chromium and printing no stack trace', async () => {
  const browserTest = path.join(BUILD_ROOT, 'test', 'login.browser.test.js');
  const run = spawnNode(['--test', '--test-reporter=spec', browserTest], {
    CHROMIUM_PATH: '/nonexistent/chromium',
    NODE_TEST_CONTEXT: undefined, // set by the outer runner; unset, the child reports on its own
  });
  const { code } = await run.exited;
  const out = run.output();
  assert.equal(code, 1, out);
  assert.match(out, /headless Chromium is not installed at \/nonexistent\/chromium: install it with `apt-get install chromium`/);
  assert.doesNotMatch(out, /^\s+at .+:\d+:\d+\)?$/m, 'no stack frames');
  assert.match(out, /ℹ pass 0/);
});
