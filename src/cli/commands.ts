/**
 * The `satgate` CLI's command table. Each command's code is loaded only when that command runs, so
 * `satgate fetch` does not pull in Nest or TypeORM. `require` rather than `import()`: the build is CommonJS,
 * where a dynamic import would bypass the compiled module graph.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading, see above */

export type Command = (argv: string[]) => Promise<number>;

export interface CommandEntry {
  summary: string;
  load: () => Command;
}

export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  start: {
    summary: 'start the satgate server (same as npm start)',
    load: () => async () => {
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
    summary: 'the built-in regtest network: `satgate regtest pay <invoice> [--data-dir DIR]`',
    load: () => async (argv) => {
      const [sub, ...rest] = argv;
      if (sub === 'pay') {
        const { runRegtestPay } = require('../regtest/pay.command') as typeof import('../regtest/pay.command');
        return runRegtestPay(rest);
      }
      process.stderr.write('usage: satgate regtest pay <invoice> [--data-dir DIR]\n');
      return 2;
    },
  },
};
