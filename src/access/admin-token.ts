import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time check of a presented admin token. Both sides are hashed first so the comparison takes the
 * same time whatever the lengths (timingSafeEqual needs equal-length inputs).
 */
export function adminTokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
