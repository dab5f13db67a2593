import { Injectable } from '@nestjs/common';
import { InvalidInput } from '../common/validation';
import {
  type ClientCredentials,
  generateClientId,
  generateClientSecret,
  hashSecret,
  InvalidClient,
  isOAuthError,
  isScopeToken,
  normalizeScopes,
  ScopeRegistry,
  validateRedirectUri,
  verifySecretHash,
} from '../core/oauth';
import { InvalidationBus } from '../database/invalidation.bus';
import { OAuthClient } from './client.entity';
import type { ClientCreateDto, ClientUpdateDto, ClientView } from './client.dto';
import { ClientNotFound } from './clients.errors';
import { ClientsRepository } from './clients.repository';
import { OAUTH_CLIENT_TOPIC } from './clients.topics';

/** Compared against when the client is unknown, so an unknown id costs the same as a wrong secret. */
const DUMMY_SECRET_HASH = hashSecret('satgate-unknown-client');

/** A fixed client to create at boot (demo seeding): raw secret given by the caller. */
export interface ClientSeed {
  clientId: string;
  secret?: string;
  name: string;
  domain: string;
  url?: string;
  imageUrl?: string;
}

/**
 * The rules about OAuth clients: registration (secrets minted here, returned once, stored hashed), metadata
 * validation, client authentication at the token/introspection/revocation endpoints, and which redirect URIs
 * and scopes a client may use.
 */
@Injectable()
export class ClientsService {
  constructor(
    private readonly clients: ClientsRepository,
    private readonly scopes: ScopeRegistry,
    private readonly bus: InvalidationBus,
  ) {}

  /** Registers a client; the view carries the raw secret, which is never retrievable again. */
  async create(dto: ClientCreateDto): Promise<ClientView> {
    const client = new OAuthClient();
    client.clientId = generateClientId();
    client.public = dto.public ?? false;
    const secret = client.public ? undefined : generateClientSecret();
    client.secretHash = secret === undefined ? null : hashSecret(secret);
    client.name = dto.name.trim();
    client.url = checkWebUrl('url', dto.url);
    client.imageUrl = checkWebUrl('imageUrl', dto.imageUrl);
    client.domain = checkRedirectUri('domain', dto.domain);
    client.redirectUris = checkExtraRedirectUris(client.domain, dto.redirectUris ?? []);
    client.scopes = dto.scopes === undefined ? null : this.checkScopes(dto.scopes);
    await this.clients.insert(client);
    const saved = await this.clients.findById(client.clientId);
    return { ...this.view(saved ?? client), ...(secret === undefined ? {} : { clientSecret: secret }) };
  }

  async list(): Promise<ClientView[]> {
    return (await this.clients.listAll()).map((c) => this.view(c));
  }

  async get(clientId: string): Promise<ClientView> {
    return this.view(await this.require(clientId));
  }

  /** Changes metadata; narrowing the allowed scopes narrows live tokens at once (their scopes are intersected). */
  async update(clientId: string, dto: ClientUpdateDto): Promise<ClientView> {
    const client = await this.require(clientId);
    if (dto.public !== undefined && dto.public !== client.public) {
      throw new InvalidInput('public', 'a client cannot switch between public and confidential; register a new one');
    }
    if (dto.name !== undefined) client.name = dto.name.trim();
    if (dto.url !== undefined) client.url = checkWebUrl('url', dto.url);
    if (dto.imageUrl !== undefined) client.imageUrl = checkWebUrl('imageUrl', dto.imageUrl);
    if (dto.domain !== undefined) client.domain = checkRedirectUri('domain', dto.domain);
    if (dto.redirectUris !== undefined || dto.domain !== undefined) {
      client.redirectUris = checkExtraRedirectUris(client.domain, dto.redirectUris ?? client.redirectUris);
    }
    const scopesBefore = JSON.stringify(client.scopes);
    if (dto.scopes !== undefined) client.scopes = dto.scopes === null ? null : this.checkScopes(dto.scopes);
    const saved = await this.clients.save(client);
    if (JSON.stringify(saved.scopes) !== scopesBefore) await this.bus.publish(OAUTH_CLIENT_TOPIC, clientId);
    return this.view(saved);
  }

  /** Deletes the client with its codes, grants and tokens, and drops its cached tokens on every instance. */
  async delete(clientId: string): Promise<void> {
    if (!(await this.clients.delete(clientId))) throw new ClientNotFound(clientId);
    await this.bus.publish(OAUTH_CLIENT_TOPIC, clientId);
  }

  /** A new secret for a confidential client; the old one stops working at once. Tokens stay valid. */
  async rotateSecret(clientId: string): Promise<{ clientId: string; clientSecret: string }> {
    const client = await this.require(clientId);
    if (client.public) throw new InvalidInput('public', 'a public client has no secret to rotate');
    const secret = generateClientSecret();
    await this.clients.setSecretHash(clientId, hashSecret(secret));
    return { clientId, clientSecret: secret };
  }

  /** Creates a fixed client unless one with that id exists (idempotent across restarts). */
  async seed(seed: ClientSeed): Promise<boolean> {
    const client = new OAuthClient();
    client.clientId = seed.clientId;
    client.public = seed.secret === undefined;
    client.secretHash = seed.secret === undefined ? null : hashSecret(seed.secret);
    client.name = seed.name;
    client.url = seed.url ?? '';
    client.imageUrl = seed.imageUrl ?? '';
    client.domain = seed.domain;
    client.redirectUris = [];
    client.scopes = null;
    return this.clients.insertIfAbsent(client);
  }

  /** The client a request names, or undefined (for /oauth/authorize, which must not redirect for unknown clients). */
  async find(clientId: string): Promise<OAuthClient | undefined> {
    if (clientId.length > 128) return undefined;
    return (await this.clients.findById(clientId)) ?? undefined;
  }

  /**
   * Client authentication (RFC 6749 §2.3): a confidential client must prove its secret (compared in constant
   * time against the stored hash); a public client names itself and must not send a secret. Every failure is
   * `invalid_client`, a 401 with the Basic challenge when the client used Basic (RFC 6749 §5.2).
   */
  async authenticate(credentials: ClientCredentials): Promise<OAuthClient> {
    const fail = (why: string): InvalidClient => new InvalidClient(why, { basic: credentials.usedBasic });
    const client = await this.find(credentials.clientId);
    if (!client) {
      if (credentials.clientSecret !== undefined) verifySecretHash(credentials.clientSecret, DUMMY_SECRET_HASH);
      throw fail('client authentication failed');
    }
    if (client.public) {
      if (credentials.clientSecret !== undefined) throw fail('a public client must not send a client secret');
      return client;
    }
    if (credentials.clientSecret === undefined) throw fail('client secret required for a confidential client');
    if (!client.secretHash || !verifySecretHash(credentials.clientSecret, client.secretHash)) {
      throw fail('client authentication failed');
    }
    return client;
  }

  /** Every redirect URI the client may use, its `domain` first. */
  redirectUrisOf(client: OAuthClient): string[] {
    return [client.domain, ...client.redirectUris.filter((u) => u !== client.domain)];
  }

  /** The scopes the client may be granted now (every known scope when the client has no list). */
  allowedScopesOf(client: Pick<OAuthClient, 'scopes'>): string[] {
    return client.scopes ?? Object.keys(this.scopes.list());
  }

  view(client: OAuthClient): ClientView {
    return {
      clientId: client.clientId,
      name: client.name,
      imageUrl: client.imageUrl,
      url: client.url,
      domain: client.domain,
      redirectUris: this.redirectUrisOf(client),
      scopes: this.allowedScopesOf(client),
      public: client.public,
      createdAt: (client.createdAt ?? new Date()).toISOString(),
    };
  }

  private async require(clientId: string): Promise<OAuthClient> {
    const client = await this.find(clientId);
    if (!client) throw new ClientNotFound(clientId);
    return client;
  }

  private checkScopes(scopes: string[]): string[] {
    if (scopes.length === 0) throw new InvalidInput('scopes', 'scopes must not be empty; omit it to allow every scope');
    const bad = scopes.find((s) => !isScopeToken(s));
    if (bad !== undefined) throw new InvalidInput('scopes', `malformed scope: ${JSON.stringify(bad)}`);
    const unknown = scopes.filter((s) => !this.scopes.has(s));
    if (unknown.length > 0) throw new InvalidInput('scopes', `unknown scope: ${unknown.join(' ')}`);
    return normalizeScopes(scopes);
  }
}

/** A redirect URI satgate will register (core rules), or a 400 naming the field. */
function checkRedirectUri(field: string, uri: string): string {
  try {
    validateRedirectUri(uri);
  } catch (err) {
    if (isOAuthError(err)) throw new InvalidInput(field, `${field}: ${err.description}`);
    throw err;
  }
  return uri;
}

function checkExtraRedirectUris(domain: string, uris: string[]): string[] {
  const out: string[] = [];
  for (const uri of uris) {
    checkRedirectUri('redirectUris', uri);
    if (uri !== domain && !out.includes(uri)) out.push(uri);
  }
  return out;
}

/** Landing-page and image links are shown to users: absolute http(s) URLs only (no `javascript:`), or empty. */
function checkWebUrl(field: string, value: string | undefined): string {
  if (value === undefined || value.trim() === '') return '';
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidInput(field, `${field} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidInput(field, `${field} must be an absolute http(s) URL`);
  return value.trim();
}
