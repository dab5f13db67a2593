/**
 * InvalidationBus topics the OAuth module publishes after a change commits, so every instance drops the
 * affected hot-path cache entries at once (a revocation holds everywhere within a second; see the README's revocation bound).
 */
/** Key: grant id. The grant was revoked, or its tokens rotated: drop all its cached tokens and its status. */
export const OAUTH_GRANT_TOPIC = 'oauth-grant';
/** Key: token row id. One access token was revoked (RFC 7009). */
export const OAUTH_TOKEN_TOPIC = 'oauth-token';
export { OAUTH_CLIENT_TOPIC } from '../clients/clients.topics';
