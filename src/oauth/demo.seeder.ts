import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { BannerService } from '../common/banner.service';
import type { BannerSection } from '../common/banner.service';
import { ClientsService } from '../clients/clients.service';
import { APP_CONFIG } from '../config/config.module';
import type { RuntimeConfig } from '../config/config.types';
import { formatScope, ScopeRegistry } from '../core/oauth';
import { signUserJwt } from '../users/user-jwt.signer';
import { GrantsRepository } from './grants.repository';
import { GrantsService } from './grants.service';
import { type IssuedTokens, TokenIssuer } from './token.issuer';
import { CLOCK } from '../common/clock.module';
import type { Clock } from '../core/clock';

/** What Alby's mock server preloads: a confidential client `id`/`secret` redirecting to localhost:8080. */
export const DEMO_CLIENT = Object.freeze({
  clientId: 'id',
  secret: 'secret',
  redirectUri: 'http://localhost:8080',
  name: 'example client',
  url: 'http://example.com',
  imageUrl: 'http://example.com/image',
});

/** The demo resource owner (an LNDhub user) the banner's user JWT names. */
export const DEMO_USER = Object.freeze({ id: 214, identifier: 'B07KQWNvGAiq2kGWU3kz' });

/** The banner's user JWT stays valid for a week: long enough for a demo session, short enough to matter. */
const DEMO_JWT_LIFETIME_SECONDS = 7 * 24 * 3600;

/**
 * Demo mode: seeds the demo client (once — a restart finds it and writes nothing), replaces the previous
 * start's demo grant by a fresh one with an access/refresh pair, and puts those, a user JWT and the seed's
 * two-step flow on the banner — so Alby's httpie examples work verbatim against `npm start`.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly clients: ClientsService,
    private readonly grantRows: GrantsRepository,
    private readonly grants: GrantsService,
    private readonly issuer: TokenIssuer,
    private readonly scopes: ScopeRegistry,
    private readonly banner: BannerService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.demo) return;
    await this.clients.seed({
      clientId: DEMO_CLIENT.clientId,
      secret: DEMO_CLIENT.secret,
      name: DEMO_CLIENT.name,
      domain: DEMO_CLIENT.redirectUri,
      url: DEMO_CLIENT.url,
      imageUrl: DEMO_CLIENT.imageUrl,
    });
    const user = { id: String(DEMO_USER.id), identifier: DEMO_USER.identifier };
    const now = this.clock.now();
    const { issued, replaced } = await this.db.transaction(async (em) => {
      const previous = await this.grantRows.idsOfSeeded(em, DEMO_CLIENT.clientId, user.id);
      await this.grantRows.delete(em, previous);
      const grant = await this.grants.create(
        em,
        {
          clientId: DEMO_CLIENT.clientId,
          owner: user,
          origin: 'demo',
          scopes: Object.keys(this.scopes.list()),
          redirectUri: DEMO_CLIENT.redirectUri,
          accessTtlSeconds: this.config.accessExpirySeconds,
        },
        now,
      );
      return { issued: await this.issuer.issue(em, grant, { accessScopes: grant.scopes, refresh: true, now }), replaced: previous };
    });
    await this.grants.publishRevoked(replaced);
    const userJwt = await signUserJwt(DEMO_USER, this.config.jwtSecret, this.clock, DEMO_JWT_LIFETIME_SECONDS);
    this.banner.add(20, () => this.section(userJwt, issued));
  }

  private section(userJwt: string, issued: IssuedTokens): BannerSection {
    const url = this.config.publicUrl;
    const redirect = DEMO_CLIENT.redirectUri;
    const authorize = `${url}/oauth/authorize?client_id=${DEMO_CLIENT.clientId}&response_type=code&redirect_uri=${redirect}&scope=balance:read&state=demo`;
    return {
      title: 'OAuth2 demo (the seed of Alby\'s mock server)',
      lines: [
        `Client         ${DEMO_CLIENT.clientId} / ${DEMO_CLIENT.secret}   (confidential, redirect URI ${redirect})`,
        `User JWT       ${userJwt}`,
        `               HS256 with JWT_SECRET, claims {"id":${DEMO_USER.id},"identifier":"${DEMO_USER.identifier}"}`,
        `Access token   ${issued.accessToken}`,
        `Refresh token  ${issued.refreshToken ?? '-'}`,
        `               scope "${formatScope(issued.scopes)}", access token expires in ${issued.expiresIn} s`,
        `curl -H "Authorization: Bearer ${issued.accessToken}" ${url}/demo/me`,
        '',
        'Two-step flow, httpie (1: authorize as the user -> 302 with ?code=; 2: exchange the code):',
        `http -v POST '${authorize}' 'Authorization:Bearer ${userJwt}'`,
        `http -a ${DEMO_CLIENT.clientId}:${DEMO_CLIENT.secret} -f POST ${url}/oauth/token grant_type=authorization_code code=CODE redirect_uri=${redirect}`,
        'Same with curl:',
        `curl -si -X POST -H 'Authorization: Bearer ${userJwt}' '${authorize}'`,
        `curl -s -u ${DEMO_CLIENT.clientId}:${DEMO_CLIENT.secret} -d grant_type=authorization_code -d code=CODE -d redirect_uri=${redirect} ${url}/oauth/token`,
      ],
    };
  }
}
