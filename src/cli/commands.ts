/**
 * Feature commands of the `satgate` CLI, registered lazily (see cli/main.ts): each loads only its own code.
 * `require` rather than `import()`: the build is CommonJS, where import() would demand ESM file extensions.
 */
import { registerCommand } from './main';

registerCommand('fetch', 'fetch a URL, paying its L402 challenge under your limit (see satgate fetch --help)', async () => {
  const { runFetch } = require('../client/fetch.command') as typeof import('../client/fetch.command');
  return (argv) => runFetch(argv);
});

registerCommand('tokens', 'list, show or remove stored L402 tokens (satgate tokens list|show|rm)', async () => {
  const { runTokens } = require('../client/tokens.command') as typeof import('../client/tokens.command');
  return (argv) => runTokens(argv);
});

registerCommand('regtest', 'the built-in regtest network: `satgate regtest pay <invoice> [--data-dir DIR]`', async () => {
  return async (argv) => {
    const [sub, ...rest] = argv;
    if (sub === 'pay') {
      const { runRegtestPay } = require('../regtest/pay.command') as typeof import('../regtest/pay.command');
      return runRegtestPay(rest);
    }
    process.stderr.write('usage: satgate regtest pay <invoice> [--data-dir DIR]\n');
    return 2;
  };
});
