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

Pays a BOLT11 invoice from the payer node of the running regtest network (npm run regtest) and prints the
preimage (hex). DIR defaults to $DATA_DIR or ./.satgate.
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

  let lightning: LightningService | undefined;
  try {
    const creds = readNodeDir(join(dataDir, 'regtest', 'payer'));
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

function describe(err: unknown): string {
  if (err instanceof LightningPaymentError) return `payment failed: ${err.failure} (${err.details ?? err.reason})`;
  if (err instanceof LightningUnavailableError) {
    return `payer node unreachable: ${err.details ?? err.reason} — is the regtest network running? (npm run regtest)`;
  }
  if (err instanceof LightningError) return `payment failed: ${err.message}`;
  return `payment failed: ${(err as Error).message ?? String(err)}`;
}
