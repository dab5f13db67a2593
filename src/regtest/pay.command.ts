import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LightningError, LightningPaymentError, LightningUnavailableError } from '../lightning/lightning.errors';
import { LightningService } from '../lightning/lightning.service';
import { readNodeDir } from '../lightning/lnd-credentials';

/** Where the command writes; injectable so tests can capture output. */
export interface CommandIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

const USAGE = `usage: satgate regtest pay <invoice> [--data-dir DIR] [--max-fee SATS] [--timeout SECONDS]

Pays a BOLT11 invoice from the payer node of the running regtest network (the one npm start runs in
embedded mode, or npm run regtest) and prints the preimage (hex).
  --data-dir DIR       satgate's DATA_DIR whose network pays (default $DATA_DIR, else ./.satgate)
  --max-fee SATS       routing fee limit (default 10)
  --timeout SECONDS    give up after this long (default 30)
exit codes: 0 paid (preimage on stdout); 2 usage; 4 payment failed or no network running on DIR
`;

/**
 * `satgate regtest pay <invoice>`: the manual "wallet" of dev mode. It reads the payer node's socket,
 * certificate and admin macaroon from `<dataDir>/regtest/payer/` and pays through the same `lightning`
 * client code satgate uses in production.
 * @param argv the words after `satgate regtest pay` (a leading `regtest pay` is tolerated).
 * @returns exit code: 0 paid (preimage on stdout), 2 usage error, 4 payment failed or node unreachable.
 */
export async function runRegtestPay(argv: string[], io: CommandIo = process): Promise<number> {
  const args = [...argv];
  if (args[0] === 'regtest') args.shift();
  if (args[0] === 'pay') args.shift();
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        'max-fee': { type: 'string', default: '10' },
        timeout: { type: 'string', default: '30' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    io.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const maxFee = Number(parsed.values['max-fee']);
  const timeout = Number(parsed.values.timeout);
  if (parsed.positionals.length !== 1 || !Number.isSafeInteger(maxFee) || maxFee < 0 || !Number.isSafeInteger(timeout) || timeout <= 0) {
    io.stderr.write(USAGE);
    return 2;
  }
  const [request] = parsed.positionals;
  const dataDir = resolve(parsed.values['data-dir'] ?? io.env.DATA_DIR ?? './.satgate');

  const payerDir = join(dataDir, 'regtest', 'payer');
  if (!existsSync(join(payerDir, 'socket'))) {
    io.stderr.write(noNetwork(dataDir, parsed.values['data-dir'] !== undefined));
    return 4;
  }
  let lightning: LightningService | undefined;
  try {
    const creds = readNodeDir(payerDir);
    lightning = new LightningService(creds);
    const paid = await lightning.pay({ request, maxFeeSats: maxFee, timeoutSeconds: timeout });
    io.stdout.write(`${paid.preimage}\n`);
    io.stderr.write(`paid ${paid.sats} sat (fee ${paid.feeSats} sat) for payment hash ${paid.paymentHash}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`${describe(err)}\n`);
    return 4;
  } finally {
    lightning?.close();
  }
}

/**
 * No socket file: the network is stopped, or (the usual case) it runs under another DATA_DIR than this
 * shell's, e.g. satgate was started with DATA_DIR=/srv/satgate. Say which directory was looked at and how to
 * point at the other one before suggesting to start a network.
 */
function noNetwork(dataDir: string, explicit: boolean): string {
  const where = explicit ? `--data-dir ${dataDir}` : `${dataDir} (the default: $DATA_DIR, else ./.satgate)`;
  const known = existsSync(join(dataDir, 'regtest', 'payer'));
  return (
    `no regtest network is running on ${where}.\n` +
    (known ? `Its network is stopped: start satgate (npm start) or the network alone (npm run regtest) with that DATA_DIR.\n` : '') +
    `If satgate runs with another DATA_DIR, pass it: satgate regtest pay <invoice> --data-dir <that DATA_DIR>\n`
  );
}

function describe(err: unknown): string {
  if (err instanceof LightningPaymentError) return `payment failed: ${err.failure} (${err.details ?? err.reason})`;
  if (err instanceof LightningUnavailableError) {
    return `payer node unreachable: ${err.details ?? err.reason} — is the regtest network running? (npm run regtest)`;
  }
  if (err instanceof LightningError) return `payment failed: ${err.message}`;
  return `payment failed: ${(err as Error).message ?? String(err)}`;
}
