import { PAYMENT_BUDGET_TYPE } from '../core/budget';

/** RFC 8414 §2 authorization server metadata, as served at `/.well-known/oauth-authorization-server`. */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  introspection_endpoint: string;
  revocation_endpoint: string;
  scopes_supported: string[];
  response_types_supported: string[];
  response_modes_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  introspection_endpoint_auth_methods_supported: string[];
  revocation_endpoint_auth_methods_supported: string[];
  code_challenge_methods_supported: string[];
  authorization_response_iss_parameter_supported: boolean;
  /** RFC 9396 §10: the one type satgate understands, a `payments:send` spending budget. */
  authorization_details_types_supported: string[];
}

/** How clients authenticate at the token, introspection and revocation endpoints (public clients: `none`). */
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'none'];

/**
 * The metadata document. `issuer` is PUBLIC_URL exactly — clients compare it with the discovery URL and with
 * the `iss` of authorization responses (RFC 9207), so every URL here derives from it. Only S256 is offered
 * for PKCE: `plain` is refused (RFC 9700 §2.1.1).
 */
export function authorizationServerMetadata(issuer: string, scopes: string[], grantTypes: string[]): AuthorizationServerMetadata {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    introspection_endpoint: `${issuer}/oauth/introspect`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    scopes_supported: scopes,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: grantTypes,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    authorization_details_types_supported: [PAYMENT_BUDGET_TYPE],
  };
}
