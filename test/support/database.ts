import { Client } from 'pg';

/** The throwaway database the test runner prepared (scripts/run-tests.js). */
export function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run tests with `npm test`');
  return url;
}

/** Drops every table so the next app start migrates a fresh schema. */
export async function resetDatabase(url = testDatabaseUrl()): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE');
    await client.query('CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

/** Runs one query outside the app (to assert database state as a user would see it). */
export async function query<T = Record<string, unknown>>(sql: string, params: unknown[] = [], url = testDatabaseUrl()): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
