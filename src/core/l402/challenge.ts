import { decodeBase64Loose, encodeBase64 } from './base64';

/**
 * The `WWW-Authenticate` challenge of a 402 (docs/protocol.md "Challenge"). Lightning Labs' clients match
 * `(LSAT|L402) macaroon="(.*?)", invoice="(.*?)"` and older ones read only the first value, so the two
 * values are emitted in exactly that shape, LSAT first.
 */

const INVOICE = /^[A-Za-z0-9]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The two challenge values, `[LSAT ..., L402 ...]`, each to be sent as its own `WWW-Authenticate` header
 * value. `macaroon` is the V2 binary macaroon (encoded as standard padded base64) or that base64 already.
 * Throws a `TypeError` for an invoice or base64 that would break the quoting (a programming error).
 */
export function formatL402Challenges(macaroon: Uint8Array | string, invoice: string): [string, string] {
  const mac = typeof macaroon === 'string' ? macaroon : encodeBase64(macaroon);
  if (!BASE64.test(mac)) throw new TypeError('challenge macaroon must be standard base64');
  if (!INVOICE.test(invoice)) throw new TypeError('challenge invoice must be a bech32 BOLT11 string');
  const params = `macaroon="${mac}", invoice="${invoice}"`;
  return [`LSAT ${params}`, `L402 ${params}`];
}

/*
 * Reading challenges, the paying client's side: `WWW-Authenticate` values (RFC 9110 §11.6.1) as a fetch
 * `Headers` object hands them over, several values joined with ", " into ONE string. Because commas separate
 * both challenges and parameters, the only reliable boundary is "a token NOT followed by `=`", which starts a
 * new scheme. Every L402 form in docs/protocol.md is accepted: `LSAT`/`L402`, `macaroon=` or `token=`,
 * `version="0"`, quoted or bare values, any number of challenges in any order, mixed with unrelated schemes.
 */

/** The two scheme names L402 servers use; `LSAT` is the pre-2023 name aperture still sends first. */
export type L402Scheme = 'L402' | 'LSAT';

/** One generic challenge: a scheme plus its auth-params (names lower-cased) or a token68. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
  token68?: string;
}

/** One usable L402 challenge: what we must pay (`invoice`) and the token it unlocks (`macaroon`). */
export interface L402Challenge {
  scheme: L402Scheme;
  macaroon: string;
  invoice: string;
}

/** Result of reading every L402/LSAT challenge of a 402: the usable ones and why the others were skipped. */
export interface L402ChallengeSet {
  challenges: L402Challenge[];
  problems: string[];
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Split a (possibly comma-joined) `WWW-Authenticate` value into challenges. Never throws. */
export function parseAuthChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = [];
  let current: AuthChallenge | undefined;
  let i = 0;
  const n = header.length;
  const skipSpaces = () => {
    while (i < n && isSpace(header[i])) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < n && !isSpace(header[i]) && header[i] !== ',' && header[i] !== '=' && header[i] !== '"') i++;
    return header.slice(start, i);
  };

  while (i < n) {
    let sawComma = false;
    while (i < n && (isSpace(header[i]) || header[i] === ',')) {
      if (header[i] === ',') sawComma = true;
      i++;
    }
    if (i >= n) break;
    const tokenStart = i;
    const token = readToken();
    if (token === '') {
      i = skipGarbage(header, i); // a stray quote or `=`: skip to the next separator
      continue;
    }
    const afterToken = i;
    skipSpaces();
    const justAfterScheme = current !== undefined && !sawComma && isEmpty(current);
    if (header[i] === '=') {
      // token68 (`Bearer abc==`) or an auth-param (`name=value`)?
      let j = i;
      while (j < n && header[j] === '=') j++;
      let k = j;
      while (k < n && isSpace(header[k])) k++;
      if (justAfterScheme && current && (k >= n || header[k] === ',')) {
        current.token68 = header.slice(tokenStart, j);
        i = j;
        continue;
      }
      i++; // the `=`
      skipSpaces();
      const value = header[i] === '"' ? readQuoted() : readBare();
      if (current) current.params[token.toLowerCase()] = value;
      continue;
    }
    if (justAfterScheme && current) {
      current.token68 = token; // `Scheme token68` without padding
      i = afterToken;
      continue;
    }
    current = { scheme: token, params: {} };
    out.push(current);
  }
  return out;

  function readQuoted(): string {
    i++; // opening quote
    let value = '';
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      value += header[i++];
    }
    i++; // closing quote (or past the end when unterminated)
    return value;
  }

  function readBare(): string {
    const start = i;
    while (i < n && !isSpace(header[i]) && header[i] !== ',') i++;
    return header.slice(start, i);
  }
}

/** How forgiving `parseL402Challenges` is. */
export interface ParseChallengeOptions {
  /**
   * By default the parser is as lenient as a paying client must be: whitespace inside the macaroon (a folded
   * header line) is dropped and the macaroon's encoding is left for the identifier reader to judge, with its
   * own specific error. `strict` takes the macaroon as sent and reports one that is not base64 in `problems`.
   */
  strict?: boolean;
}

/**
 * Read every L402/LSAT challenge in a `WWW-Authenticate` value. A challenge lacking a macaroon/token or an
 * invoice, or announcing a version other than 0, is reported in `problems` instead of guessed at.
 */
export function parseL402Challenges(
  header: string | null | undefined,
  options: ParseChallengeOptions = {},
): L402ChallengeSet {
  const result: L402ChallengeSet = { challenges: [], problems: [] };
  if (!header) return result;
  for (const c of parseAuthChallenges(header)) {
    const scheme = c.scheme.toUpperCase();
    if (scheme !== 'L402' && scheme !== 'LSAT') continue;
    const given = c.params['macaroon'] ?? c.params['token'] ?? '';
    const macaroon = options.strict ? given : given.replace(/\s+/g, '');
    const invoice = (c.params['invoice'] ?? '').trim();
    const version = c.params['version'];
    if (version !== undefined && version !== '0') {
      result.problems.push(`${scheme} challenge has unsupported version "${version}"`);
    } else if (!macaroon) {
      result.problems.push(`${scheme} challenge has no macaroon`);
    } else if (!invoice) {
      result.problems.push(`${scheme} challenge has no invoice`);
    } else if (options.strict && !decodeBase64Loose(macaroon)) {
      result.problems.push(`${scheme} challenge's macaroon is not base64`);
    } else {
      result.challenges.push({ scheme, macaroon, invoice });
    }
  }
  return result;
}

/**
 * Pick the challenge to pay and the scheme to answer with: L402 whenever the server offered it (the
 * current name), LSAT only for servers that offered nothing else. aperture's two values carry the same
 * macaroon and invoice, so one payment serves either.
 */
export function chooseChallenge(challenges: L402Challenge[]): L402Challenge | undefined {
  return challenges.find((c) => c.scheme === 'L402') ?? challenges[0];
}

function isEmpty(c: AuthChallenge): boolean {
  return c.token68 === undefined && Object.keys(c.params).length === 0;
}

function skipGarbage(s: string, i: number): number {
  if (s[i] === '"') {
    i++;
    while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    return i + 1;
  }
  return i + 1;
}
