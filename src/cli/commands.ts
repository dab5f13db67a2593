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

const REGTEST_COMMAND_USAGE = `usage: satgate regtest <subcommand> [options]

subcommands:
  pay <invoice> [--data-dir DIR] [--max-fee SATS] [--timeout SECONDS]
                   pay an invoice from the payer node (see satgate regtest pay --help)
  start [--data-dir DIR]
                   run the regtest network alone in the foreground, as npm run regtest does
                   (see satgate regtest start --help)
`;

registerCommand('regtest', 'the built-in regtest network: satgate regtest pay <invoice> | start (see --help)', async () => {
  return async (argv) => {
    const [sub, ...rest] = argv;
    if (sub === 'pay') {
      const { runRegtestPay } = require('../regtest/pay.command') as typeof import('../regtest/pay.command');
      return runRegtestPay(rest);
    }
    if (sub === 'start') {
      const { main } = require('../regtest/main') as typeof import('../regtest/main');
      await main(rest);
      if (rest.includes('--help') || rest.includes('-h')) return 0;
      return new Promise<number>(() => undefined); // runs until a signal ends the process
    }
    if (sub === '--help' || sub === '-h' || sub === 'help') {
      process.stdout.write(REGTEST_COMMAND_USAGE);
      return 0;
    }
    process.stderr.write(`satgate regtest: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n${REGTEST_COMMAND_USAGE}`);
    return 2;
  };
});
