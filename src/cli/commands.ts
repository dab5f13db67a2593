/**
 * The `satgate` CLI's command table. Each command's code is loaded only when that command runs, so
 * `satgate fetch` does not pull in Nest or TypeORM. `require` rather than `import()`: the build is CommonJS,
 * where a dynamic import would bypass the compiled module graph. `--help` on any command prints its usage
 * and does nothing else.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading, see above */

export type Command = (argv: string[]) => Promise<number>;

export interface CommandEntry {
  summary: string;
  load: () => Command;
}

const START_USAGE = `usage: satgate start [--env-file PATH]

Starts the satgate server in the foreground (the same as npm start); Ctrl-C stops it.
Configuration is environment variables (see .env.example and the README's Configuration table).
  --env-file PATH  read variables from PATH first (variables already set in the environment win);
                   without it, ./.env is read when it exists
`;

const REGTEST_USAGE = `usage: satgate regtest <subcommand> [options]

subcommands:
  pay <invoice> [--data-dir DIR] [--max-fee SATS] [--timeout SECONDS]
                   pay an invoice from the payer node (see satgate regtest pay --help)
  start [--data-dir DIR]
                   run the regtest network alone in the foreground, as npm run regtest does
                   (see satgate regtest start --help)
`;

const wantsHelp = (argv: string[]): boolean => argv.includes('--help') || argv.includes('-h');

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  start: {
    summary: 'start the satgate server (same as npm start; see satgate start --help)',
    load: () => async (argv) => {
      if (wantsHelp(argv)) {
        process.stdout.write(START_USAGE);
        return 0;
      }
      // main.ts reads --env-file from process.argv, as under `npm start -- --env-file PATH`.
      process.argv = [process.argv[0], process.argv[1], ...argv];
      require('../main');
      return new Promise<number>(() => undefined); // runs until a signal ends the process
    },
  },
  fetch: {
    summary: 'fetch a URL, paying its L402 challenge under your limit (see satgate fetch --help)',
    load: () => (require('../payer/fetch.command') as typeof import('../payer/fetch.command')).runFetch,
  },
  tokens: {
    summary: 'list, show or remove stored L402 tokens (satgate tokens list|show|rm)',
    load: () => (require('../payer/tokens.command') as typeof import('../payer/tokens.command')).runTokens,
  },
  regtest: {
    summary: 'the built-in regtest network: satgate regtest pay <invoice> | start (see --help)',
    load: () => async (argv) => {
      const [sub, ...rest] = argv;
      if (sub === 'pay') {
        const { runRegtestPay } = require('../regtest/pay.command') as typeof import('../regtest/pay.command');
        return runRegtestPay(rest);
      }
      if (sub === 'start') {
        const { main } = require('../regtest/main') as typeof import('../regtest/main');
        await main(rest);
        return wantsHelp(rest) ? 0 : new Promise<number>(() => undefined); // runs until a signal ends it
      }
      if (sub === '--help' || sub === '-h' || sub === 'help') {
        process.stdout.write(REGTEST_USAGE);
        return 0;
      }
      process.stderr.write(`satgate regtest: ${sub ? `unknown subcommand "${sub}"` : 'missing subcommand'}\n${REGTEST_USAGE}`);
      return 2;
    },
  },
};
