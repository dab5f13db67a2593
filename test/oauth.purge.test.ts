/**
 * The periodic purge of dead OAuth rows, driven by the module's clock: expired codes go a day after expiry,
 * revoked or expired tokens and grants 30 days after; anything still usable stays.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { OAuthPurger, PURGE_INTERVAL_MS } from '../src/oauth/oauth.purger';
import { startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';
import { advanceClock, basic, exchangeCode, getWithBearer, obtainCode, postForm, registerClient, type RegisteredClient } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let app: RegisteredClient;
const DAY = 24 * 3600;

before(async () => {
  await resetDatabase();
  // Refresh tokens outlive the test's 31 days, so a grant can stay live while its old access tokens go.
  satgate = await startTestApp({ REFRESH_EXPIRY_SECONDS: String(90 * DAY) });
  url = satgate.url;
  app = await registerClient(url, { domain: 'https://app.example.com/callback' });
});
after(() => satgate?.close());

const sha256 = (v: string): string => createHash('sha256').update(v).digest('hex');

async function count(table: string, where: string, params: unknown[]): Promise<number> {
  const [row] = await query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, params);
  return Number(row.n);
}

test('the purge runs every 10 minutes', () => {
  assert.equal(PURGE_INTERVAL_MS, 600_000);
});

test('expired codes go a day after expiry; revoked/expired tokens and grants 30 days after; live ones stay', async () => {
  const purger = satgate.app.get(OAuthPurger);
  const unused = await obtainCode(url, app);
  const revoked = await exchangeCode(url, app, await obtainCode(url, app));
  assert.equal((await postForm(url, '/oauth/revoke', { token: revoked.refresh_token! }, { authorization: basic(app.clientId, app.clientSecret) })).status, 200);
  const live = await exchangeCode(url, app, await obtainCode(url, app, { scope: 'account:read' }));
  const [liveGrant] = await query<{ grant_id: string }>('SELECT grant_id FROM oauth_tokens WHERE token_hash = $1', [sha256(live.access_token)]);
  const [revokedGrant] = await query<{ grant_id: string }>('SELECT grant_id FROM oauth_tokens WHERE token_hash = $1', [sha256(revoked.access_token)]);

  assert.deepEqual(await purger.purge(), { codes: 0, tokens: 0, grants: 0 }, 'nothing is dead yet');

  let restore = advanceClock(satgate, DAY - 60);
  try {
    assert.equal((await purger.purge()).codes, 0, 'expired, but not a day ago');
  } finally {
    restore();
  }

  restore = advanceClock(satgate, DAY + 600);
  try {
    assert.deepEqual(await purger.purge(), { codes: 3, tokens: 0, grants: 0 });
    assert.equal(await count('oauth_authorization_codes', 'code_hash = $1', [sha256(unused)]), 0);
    assert.equal(await count('oauth_grants', 'id = $1', [revokedGrant.grant_id]), 1, 'revoked a day ago: kept for now');
  } finally {
    restore();
  }

  const fresh = await obtainCode(url, app);
  restore = advanceClock(satgate, 31 * DAY);
  try {
    const result = await purger.purge();
    assert.equal(result.grants, 1, 'the grant revoked 31 days ago');
    assert.equal(result.tokens, 1, "the live grant's access token, expired 31 days ago");
    assert.equal(result.codes, 1, 'the code obtained after the previous purge');
    assert.equal(await count('oauth_grants', 'id = $1', [revokedGrant.grant_id]), 0);
    assert.equal(await count('oauth_tokens', 'grant_id = $1', [revokedGrant.grant_id]), 0, 'its tokens went with it');
    assert.equal(await count('oauth_grants', 'id = $1', [liveGrant.grant_id]), 1, 'a grant with a usable refresh token stays');
    assert.equal(await count('oauth_tokens', 'token_hash = $1', [sha256(live.refresh_token!)]), 1);
    assert.equal(await count('oauth_authorization_codes', 'code_hash = $1', [sha256(fresh)]), 0);
    const refreshed = await postForm(url, '/oauth/token', { grant_type: 'refresh_token', refresh_token: live.refresh_token! }, { authorization: basic(app.clientId, app.clientSecret) });
    assert.equal(refreshed.status, 200, 'the kept refresh token still works');
    const { access_token } = (await refreshed.json()) as { access_token: string };
    assert.equal((await getWithBearer(url, '/demo/me', access_token)).status, 200);
  } finally {
    restore();
  }
});
