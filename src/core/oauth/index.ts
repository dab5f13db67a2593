/**
 * Public surface of the framework-free OAuth core, so Nest modules import one path
 * (`../core/oauth`) instead of reaching into individual files.
 */
export * from '../clock';
export * from './www-authenticate';
export * from './errors';
export * from './params';
export * from './scopes';
export * from './scope-registry';
export * from './pkce';
export * from './secrets';
export * from './client-auth';
export * from './redirect-uri';
export * from './user-jwt';
