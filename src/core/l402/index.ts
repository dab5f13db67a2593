/**
 * The framework-free L402 core (docs/protocol.md "L402"): import from here, not from the individual files,
 * so the files can be reorganised without touching the Nest side.
 */
export * from './errors';
export * from './base64';
export * from './identifier';
export * from './macaroon';
export * from './macaroon.codec';
export * from './caveats';
export * from './satisfiers';
export * from './header';
export * from './challenge';
export * from './mint';
export * from './verifier';
