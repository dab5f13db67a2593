/**
 * The one HTML escaper of satgate's server-rendered pages (login, consent, connected apps, and the
 * /oauth/authorize error page). Every value that did not come from satgate's own templates goes through it.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
