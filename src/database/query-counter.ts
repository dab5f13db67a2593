import type { Logger as TypeOrmLogger } from 'typeorm';
import { logger } from '../common/logger';

let queries = 0;

/** How many SQL statements this process has sent through TypeORM; tests assert the hot path adds none. */
export function databaseQueryCount(): number {
  return queries;
}

/**
 * TypeORM logger that counts queries (a single increment: cheap enough to stay on) and reports errors to the
 * structured log without parameters, which may hold hashes of secrets.
 */
export class CountingQueryLogger implements TypeOrmLogger {
  logQuery(): void {
    queries += 1;
  }
  logQueryError(error: string | Error, query: string): void {
    queries += 1;
    logger.warn({ query: query.slice(0, 200), err: error instanceof Error ? error.message : error }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    logger.warn({ ms: time, query: query.slice(0, 200) }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    logger.info({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') logger.warn({ typeorm: String(message) }, 'typeorm');
  }
}
