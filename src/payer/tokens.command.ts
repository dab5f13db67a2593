/**
 * `satgate tokens list | show <origin> | rm <origin>`: look after the token store by hand — see what was
 * paid for, inspect a pending payment's hash, discard a token. Secrets (macaroon, preimage) are shown only
 * with `show --reveal`, so listing tokens in a shared terminal or a CI log leaks nothing.
 */
import { parseArgs } from 'node:util';
import { EXIT, UsageError, defaultIo, storeDir, type CommandIo } from './cli.support';
import { FileTokenStore } from './file-token.store';
import { macaroonExpiry } from './macaroon.identifier';
import { UnsafeStoreDirError } from './store-dir.guard';
import { normaliseOriginArg, type TokenRecord } from './token.store';

/** Printed on usage errors and `--help`. */
export const TOKENS_USAGE = `usage: satgate tokens list [--store DIR] [--json]
       satgate tokens show <origin> [--store DIR] [--reveal]
       satgate tokens rm <origin> [--store DIR]
<origin> is scheme://host:port (a full URL or host:port also works; http is assumed without a scheme).
--store defaults to $SATGATE_STORE, else ~/.satgate/tokens.
exit codes: 0 ok; 1 no such token, or another error (e.g. an unreadable token file);
            2 usage, or a --store directory others can access (refused, never chmodded)
`;

const OPTIONS = {
  store: { type: 'string' },
  json: { type: 'boolean' },
  reveal: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Entry point wired into `bin/satgate` as `satgate tokens ...`; resolves to the process exit code. */
export async function runTokens(argv: string[], io: CommandIo = defaultIo()): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }));
    if (values.help) {
      io.stdout.write(TOKENS_USAGE);
      return EXIT.ok;
    }
    const [sub, ...rest] = positionals;
    if (sub === 'list' ? rest.length !== 0 : sub !== 'show' && sub !== 'rm') {
      throw new UsageError(sub ? `unknown subcommand or extra arguments: ${positionals.join(' ')}` : 'missing subcommand');
    }
    if (sub !== 'list' && rest.length !== 1) throw new UsageError(`${sub} takes exactly one origin`);
  } catch (err) {
    io.stderr.write(`satgate tokens: ${(err as Error).message}\n${TOKENS_USAGE}`);
    return EXIT.usage;
  }

  const store = new FileTokenStore(storeDir(values.store));
  const [sub, originArg] = positionals;
  try {
    if (sub === 'list') {
      const { records, unreadable } = await store.scan();
      for (const bad of unreadable) {
        io.stderr.write(`warning: skipped ${bad.path}: ${bad.problem}; remove it with: ${bad.removeCommand}\n`);
      }
      if (values.json) {
        io.stdout.write(JSON.stringify(records.map((r) => redact(r))) + '\n');
      } else if (records.length === 0) {
        io.stderr.write(`no ${unreadable.length ? 'readable ' : ''}tokens in ${store.dir}\n`);
      } else {
        io.stdout.write(LIST_HEADER + '\n');
        for (const r of records) io.stdout.write(summary(r) + '\n');
      }
      return EXIT.ok;
    }
    let origin: string;
    try {
      origin = normaliseOriginArg(originArg);
    } catch {
      io.stderr.write(`satgate tokens: not an origin: ${originArg}\n`);
      return EXIT.usage;
    }
    if (sub === 'show') {
      const record = await store.get(origin);
      if (!record) return notFound(io, origin);
      io.stdout.write(JSON.stringify(values.reveal ? record : redact(record), null, 2) + '\n');
      return EXIT.ok;
    }
    if (!(await store.delete(origin))) return notFound(io, origin);
    io.stderr.write(`removed the token for ${origin}\n`);
    return EXIT.ok;
  } catch (err) {
    io.stderr.write(`satgate tokens: ${(err as Error).message}\n`);
    return err instanceof UnsafeStoreDirError ? EXIT.usage : EXIT.error;
  }
}

function notFound(io: CommandIo, origin: string): number {
  io.stderr.write(`no token stored for ${origin}\n`);
  return EXIT.error;
}

/** Tab-separated like the rows below it (`| column -t -s $'\t'` aligns them; --json is for scripts). */
const LIST_HEADER = 'ORIGIN\tSTATE\tSCHEME\tPRICE\tEXPIRES\tWHEN';

/**
 * One line per token: origin, state, scheme, price, expiry, when. The expiry is the macaroon's own
 * `_valid_until` caveat ("never" without one); a token past it is marked, since the next fetch pays again.
 */
function summary(r: TokenRecord, now = new Date()): string {
  const when = r.state === 'paid' ? `paid ${r.paidAt ?? '?'}` : `pending since ${r.createdAt} (payment ${r.paymentHash})`;
  const expiry = macaroonExpiry(r.macaroon);
  const expires = expiry ? `${expiry.toISOString()}${expiry <= now ? ' (expired)' : ''}` : 'never';
  return `${r.origin}\t${r.state}\t${r.scheme}\t${r.amountSats} sats\t${expires}\t${when}`;
}

/** The record without its secrets; the payment hash stays (it is public and needed to look a payment up). */
function redact(r: TokenRecord): Omit<TokenRecord, 'macaroon' | 'preimage'> & { macaroon: string; preimage?: string } {
  return {
    ...r,
    macaroon: '(hidden; use --reveal)',
    ...(r.preimage !== undefined ? { preimage: '(hidden; use --reveal)' } : {}),
  };
}
