/**
 * The user who authorizes an app at /oauth/authorize. For Alby-style deployments the user lives in the
 * origin (LNDhub): satgate records the id and identifier the user JWT carried and keeps no account row.
 */
export interface ResourceOwner {
  /** The user's id at the origin (or, later, a local account id). Forwarded to origins as the identity JWT's `id`. */
  id: string;
  /** Login identifier (LNDhub's login), when known. */
  identifier?: string;
}
