/**
 * `WWW-Authenticate: Bearer` values (RFC 6750 §3). No `error` when the request carried no credential
 * (§3.1: "the resource server SHOULD NOT include an error code").
 */
export const REALM = 'satgate';

export function bearerChallenge(params: { error?: string; scope?: string[]; description?: string } = {}): string {
  const parts = [`realm="${REALM}"`];
  if (params.error) parts.push(`error="${params.error}"`);
  if (params.description) parts.push(`error_description="${params.description.replace(/["\\]/g, '')}"`);
  if (params.scope?.length) parts.push(`scope="${params.scope.join(' ')}"`);
  return `Bearer ${parts.join(', ')}`;
}
