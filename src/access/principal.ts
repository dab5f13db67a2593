/** Who is calling, as established by the access guard; attached to the request for handlers and the proxy. */
export interface OAuthPrincipal {
  /** Id of the access token row (never the token itself). */
  tokenId: string;
  /** The grant (authorization) this token belongs to; an L402 for a `both` route is bound to it. */
  grantId: string;
  clientId: string;
  /** The resource owner's id at the origin; absent for client_credentials tokens. */
  userId?: string;
  identifier?: string;
  scopes: string[];
  expiresAt: Date;
}

export interface L402Principal {
  tokenId: string;
  paymentHash: string;
  service: string;
  tier: number;
  capabilities: string[];
  /** Set when the macaroon carries an `oauth_grant` caveat (a `both` route). */
  oauthGrant?: string;
}

export interface Principal {
  admin?: boolean;
  oauth?: OAuthPrincipal;
  l402?: L402Principal;
}
