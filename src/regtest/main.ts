import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startRegtestNetwork, type RegtestNodeInfo } from './network';

export const REGTEST_USAGE = `usage: npm run regtest [-- --data-dir DIR]     (or: satgate regtest start [--data-dir DIR])

Runs the built-in regtest Lightning network (two LND-compatible nodes, merchant and payer, joined by a
funded channel) in the foreground and prints the LND_* settings that point satgate or any LND client at it.
State (keys, invoices, balances) lives in DIR/regtest and survives restarts. Ctrl-C stops it.
  --data-dir DIR   satgate's data directory (default $DATA_DIR, else ./.satgate)
  -h, --help       this text
`;

/**
 * `npm run regtest`: runs the regtest Lightning network in the foreground for dev mode and prints the
 * LND_* settings to point satgate (merchant) or another client (payer) at it. The nodes take their previous
 * ports again when free, so those settings survive a restart. Stops cleanly, with all state on disk, on
 * SIGINT/SIGTERM.
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${REGTEST_USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(REGTEST_USAGE);
    return;
  }
  const dataDir = resolve(values['data-dir'] ?? (process.env.DATA_DIR || './.satgate'));
  const network = await startRegtestNetwork({ dataDir });
  // Handlers first: whoever reads the settings below may stop us at once.
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping regtest network...\n`);
    network.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`regtest network did not stop cleanly: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const env = (n: RegtestNodeInfo) => `LND_SOCKET=${n.socket} LND_CERT=${n.certPath} LND_MACAROON=${n.adminMacaroonPath}`;
  process.stdout.write(
    [
      `regtest Lightning network running (state in ${dataDir}/regtest)`,
      '',
      `# merchant (${network.merchant.pubkey}) - the node satgate uses:`,
      env(network.merchant),
      `#   invoice-only macaroon: ${network.merchant.invoiceMacaroonPath}`,
      '',
      `# payer (${network.payer.pubkey}) - pays invoices: satgate regtest pay <invoice>`,
      env(network.payer),
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`regtest network failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
