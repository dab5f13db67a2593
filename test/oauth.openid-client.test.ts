/**
 * A third-party client library — openid-client v6 (panva) — against satgate: discovery from the RFC 8414
 * metadata, authorization code + PKCE, refresh, RFC 7662 introspection and RFC 7009 revocation. The only
 * concession is `allowInsecureRequests`, because the test server speaks http on loopback.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import type { RunningSatgate } from '../src/bootstrap/satgate';
import { startTestApp } from './support/app';
import { resetDatabase } from './support/database';
import { authorize, getWithBearer, registerClient, type RegisteredClient, userJwt } from './oauth.helpers';

let satgate: RunningSatgate;
let url: string;
let confidential: RegisteredClient;
let spa: RegisteredClient;

const REDIRECT = 'http://localhost:8080/cb';

before(async () => {
  await resetDatabase();
  satgate = await startTestApp();
  url = satgate.url;
  confidential = await registerClient(url, { domain: REDIRECT });
  spa = await registerClient(url, { domain: REDIRECT, public: true });
});
after(() => satgate?.close());

function discover(client: RegisteredClient): Promise<oidc.Configuration> {
  return oidc.discovery(
    new URL(url),
    client.clientId,
    client.clientSecret,
    client.clientSecret ? oidc.ClientSecretBasic(client.clientSecret) : oidc.None(),
    { algorithm: 'oauth2', execute: [oidc.allowInsecureRequests] },
  );
}

/** Plays the user's browser: follows the authorization URL with the user JWT and returns the callback URL. */
async function userApproves(authorizationUrl: URL): Promise<URL> {
  const res = await authorize(url, Object.fromEntries(authorizationUrl.searchParams), { jwt: await userJwt() });
  assert.equal(res.status, 302);
  return new URL(res.headers.get('location')!);
}

async function codeFlow(config: oidc.Configuration, scope: string): Promise<oidc.TokenEndpointResponse> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  assert.equal(authorizationUrl.origin + authorizationUrl.pathname, `${url}/oauth/authorize`, 'the endpoint came from discovery');
  const callback = await userApproves(authorizationUrl);
  return oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state });
}

test('openid-client discovers satgate from its RFC 8414 metadata', async () => {
  const config = await discover(confidential);
  const meta = config.serverMetadata();
  assert.equal(meta.issuer, url);
  assert.equal(meta.token_endpoint, `${url}/oauth/token`);
  assert.equal(meta.introspection_endpoint, `${url}/oauth/introspect`);
  assert.equal(meta.revocation_endpoint, `${url}/oauth/revoke`);
  assert.equal(meta.supportsPKCE(), true);
});

test('openid-client: code + PKCE, refresh, introspection and revocation (confidential client, Basic auth)', async () => {
  const config = await discover(confidential);
  const tokens = await codeFlow(config, 'account:read balance:read');
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'account:read balance:read');
  assert.equal(tokens.expires_in, 7200);
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 200);

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: 'account:read' });
  assert.equal(refreshed.scope, 'account:read');
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  assert.equal((await getWithBearer(url, '/demo/me', tokens.access_token)).status, 401, 'rotation retired the first access token');

  const active = await oidc.tokenIntrospection(config, refreshed.access_token);
  assert.equal(active.active, true);
  assert.equal(active.client_id, confidential.clientId);
  assert.equal(active.scope, 'account:read');
  assert.equal(active.sub, '214');
  assert.equal(active.username, 'B07KQWNvGAiq2kGWU3kz');
  assert.equal(active.token_type, 'Bearer');
  assert.equal(active.iss, url);
  assert.equal(typeof active.exp, 'number');
  const refreshInfo = await oidc.tokenIntrospection(config, refreshed.refresh_token!, { token_type_hint: 'refresh_token' });
  assert.equal(refreshInfo.active, true);
  assert.equal(refreshInfo.scope, 'account:read balance:read', 'the refresh token keeps the whole grant');

  await oidc.tokenRevocation(config, refreshed.access_token);
  assert.deepEqual(await oidc.tokenIntrospection(config, refreshed.access_token), { active: false });
  assert.equal((await getWithBearer(url, '/demo/me', refreshed.access_token)).status, 401);
  assert.equal((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active, true, 'revoking an access token spares the refresh token');

  await oidc.tokenRevocation(config, refreshed.refresh_token!, { token_type_hint: 'refresh_token' });
  assert.deepEqual(await oidc.tokenIntrospection(config, refreshed.refresh_token!), { active: false });
  await assert.rejects(oidc.refreshTokenGrant(config, refreshed.refresh_token!), (err: { error?: string }) => err.error === 'invalid_grant');
  await oidc.tokenRevocation(config, 'never-issued'); // RFC 7009 §2.2: 200 for unknown tokens
});

test('openid-client: a public client (no secret) does code + PKCE and manages only its own tokens', async () => {
  const config = await discover(spa);
  const tokens = await codeFlow(config, 'balance:read');
  assert.equal(tokens.scope, 'balance:read');
  assert.equal((await oidc.tokenIntrospection(config, tokens.access_token)).active, true);

  const other = await codeFlow(await discover(confidential), 'balance:read');
  assert.deepEqual(await oidc.tokenIntrospection(config, other.access_token), { active: false }, "a public client cannot see another client's token");
  await oidc.tokenRevocation(config, other.access_token);
  assert.equal((await oidc.tokenIntrospection(await discover(confidential), other.access_token)).active, true, "nor revoke it");

  await oidc.tokenRevocation(config, tokens.refresh_token!);
  assert.equal((await getWithBearer(url, '/oauth/token/introspect', tokens.access_token)).status, 401, 'revoking the refresh token revoked the grant');
});
