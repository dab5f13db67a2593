/**
 * InvalidationBus topic published (key: client id) when a client is deleted or its allowed scopes change, so
 * every instance drops the cached tokens of that client at once (revocation holds everywhere, docs/architecture.md "Scaling out").
 */
export const OAUTH_CLIENT_TOPIC = 'oauth-client';
