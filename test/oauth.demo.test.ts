/**
 * Demo mode seeds what Alby's mock server preloads, and the banner's credentials and commands work verbatim.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import type { BannerSection } from '../src/common/banner.service';
import { BannerService } from '../src/common/banner.service';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { query, resetDatabase } from './support/database';
import { basic, getWithBearer, postForm, type Tokens } from './oauth.helpers';

let satgate: RunningSatgate;
let section: BannerSection;

async function oauthSection(app: RunningSatgate): Promise<BannerSection> {
  const sections = await app.app.get(BannerService).render();
  const found = sections.find((s) => s.title.startsWith('OAuth2 demo'));
  assert.ok(found, `an OAuth section among: ${sections.map((s) => s.title).join(', ')}`);
  return found;
}

function field(s: BannerSection, label: string): string {
  const line = s.lines.find((l) => l.startsWith(label));
  assert.ok(line, `banner line ${label}`);
  return line.slice(label.length).trim().split(/\s+/)[0];
}

before(async () => {
  await resetDatabase();
  satgate = await startTestApp({ DEMO: 'true' });
  section = await oauthSection(satgate);
});
after(() => satgate?.close());

test('the banner shows the demo client, a user JWT for user 214, and a working access/refresh pair', async () => {
  assert.match(section.lines.join('\n'), /Client\s+id \/ secret\s+\(confidential, redirect URI http:\/\/localhost:8080\)/);
  const jwt = field(section, 'User JWT');
  const claims = decodeJwt(jwt);
  assert.equal(claims.id, 214);
  assert.equal(claims.identifier, 'B07KQWNvGAiq2kGWU3kz');

  const access = field(section, 'Access token');
  const me = await getWithBearer(satgate.url, '/demo/me', access);
  assert.equal(me.status, 200);
  const principal = ((await me.json()) as { oauth: Record<string, unknown> }).oauth;
  assert.equal(principal.clientId, 'id');
  assert.equal(principal.userId, '214');
  assert.equal(principal.identifier, 'B07KQWNvGAiq2kGWU3kz');

  // Checked without spending it: RFC 7662 introspection by the demo client.
  const info = await postForm(satgate.url, '/oauth/introspect', { token: field(section, 'Refresh token') }, { authorization: basic('id', 'secret') });
  assert.equal(info.status, 200);
  const refresh = (await info.json()) as { active: boolean; client_id: string; sub: string; token_type?: string };
  assert.equal(refresh.active, true);
  assert.equal(refresh.client_id, 'id');
  assert.equal(refresh.sub, '214');
  assert.equal(refresh.token_type, undefined, 'a refresh token, not a bearer access token');
});

test("the banner's two-step flow works as printed: authorize with the user JWT, exchange with Basic id:secret", async () => {
  const text = section.lines.join('\n');
  const jwt = field(section, 'User JWT');
  const httpie = section.lines.find((l) => l.startsWith('http -v POST'));
  assert.ok(httpie);
  const authorizeUrl = /'(http:\/\/[^']+\/oauth\/authorize\?[^']+)'/.exec(httpie)![1];
  assert.ok(authorizeUrl.startsWith(`${satgate.url}/oauth/authorize?client_id=id&response_type=code&redirect_uri=http://localhost:8080`));
  assert.ok(text.includes(`http -a id:secret -f POST ${satgate.url}/oauth/token grant_type=authorization_code code=CODE redirect_uri=http://localhost:8080`));
  assert.ok(text.includes(`curl -s -u id:secret -d grant_type=authorization_code -d code=CODE -d redirect_uri=http://localhost:8080 ${satgate.url}/oauth/token`));

  const res = await fetch(authorizeUrl, { method: 'POST', headers: { authorization: `Bearer ${jwt}` }, redirect: 'manual' });
  assert.equal(res.status, 302);
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.origin, 'http://localhost:8080');
  const code = location.searchParams.get('code')!;
  const token = await postForm(satgate.url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:8080' }, { authorization: basic('id', 'secret') });
  assert.equal(token.status, 200);
  const body = (await token.json()) as Tokens;
  assert.deepEqual({ ...body, access_token: '', refresh_token: '' }, { access_token: '', expires_in: 7200, refresh_token: '', scope: 'balance:read', token_type: 'Bearer' });
});

test('a second demo start seeds nothing twice and replaces the previous demo tokens', async () => {
  const previousAccess = field(section, 'Access token');
  assert.equal((await getWithBearer(satgate.url, '/demo/me', previousAccess)).status, 200);
  const second = await startTestApp({ DEMO: 'true' });
  try {
    const again = await oauthSection(second);
    const access = field(again, 'Access token');
    assert.notEqual(access, previousAccess);
    assert.equal((await getWithBearer(second.url, '/demo/me', access)).status, 200);
    assert.equal((await getWithBearer(second.url, '/demo/me', previousAccess)).status, 401, "the previous start's demo pair was replaced");
    const clients = await query<{ n: string }>(`SELECT count(*) AS n FROM oauth_clients WHERE client_id = 'id'`);
    assert.equal(Number(clients[0].n), 1);
    const demoGrants = await query<{ n: string }>(`SELECT count(*) AS n FROM oauth_grants WHERE grant_type = 'demo'`);
    assert.equal(Number(demoGrants[0].n), 1);
    const demoTokens = await query<{ n: string }>(`SELECT count(*) AS n FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id WHERE g.grant_type = 'demo'`);
    assert.equal(Number(demoTokens[0].n), 2);
    const flowGrants = await query<{ n: string }>(`SELECT count(*) AS n FROM oauth_grants WHERE grant_type = 'authorization_code'`);
    assert.equal(Number(flowGrants[0].n), 1, "the user's own authorization from the earlier test survives");
  } finally {
    await second.close();
  }
});
