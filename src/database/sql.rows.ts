/**
 * The rows of a raw `EntityManager.query` result. TypeORM's Postgres driver answers UPDATE/DELETE (with
 * RETURNING) as `[rows, rowCount]` and everything else as `rows`; repositories read both through this.
 */
export function rowsOf<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return Array.isArray(raw) ? (raw as T[]) : [];
}
