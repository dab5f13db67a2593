import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SatgateRuntime } from '../config/runtime';
import { l402BannerSection } from './l402.banner';

describe('l402BannerSection', () => {
  it('with the built-in regtest network: curl, `satgate regtest pay --data-dir`, the retry, and a one-liner', () => {
    const runtime = { config: { publicUrl: 'http://127.0.0.1:8080' }, regtestDir: '/data/satgate/regtest' } as unknown as SatgateRuntime;
    const section = l402BannerSection(runtime);
    assert.equal(section.title, 'L402 paywall');
    assert.deepEqual(section.lines.slice(0, 7), [
      'GET /demo/paid costs 10 sat; the token works for 1 h.',
      '1. Ask: the 402 carries an invoice and a macaroon',
      '   curl -i http://127.0.0.1:8080/demo/paid',
      '2. Pay the invoice from the regtest payer node (prints the preimage)',
      '   npx satgate regtest pay --data-dir /data/satgate <invoice>',
      '3. Retry with the macaroon and the preimage',
      '   curl -H "Authorization: L402 <macaroon>:<preimage>" http://127.0.0.1:8080/demo/paid',
    ]);
    assert.equal(
      section.lines[8],
      '   R=$(curl -s http://127.0.0.1:8080/demo/paid); P=$(npx satgate regtest pay --data-dir /data/satgate "$(echo "$R" | jq -r .invoice)"); ' +
        'curl -H "Authorization: L402 $(echo "$R" | jq -r .macaroon):$P" http://127.0.0.1:8080/demo/paid',
    );
  });
});
