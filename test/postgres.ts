// The machine's PostgreSQL, for the tests that need a real one (database.test, production.test):
// where it is, whether it answers, and the statements that make and drop a run's own database.
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };

/** A database of the server's, by URL (`port` to reach it through a relay). */
export const pgUrl = (database: string, port = PG.port) => `postgres://${PG.user}@${PG.host}:${port}/${database}`;

/** Why PostgreSQL cannot be used here, or null when it can. */
export async function pgMissing(): Promise<string | null> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ ...PG, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return `PostgreSQL at ${PG.host}:${PG.port} is unreachable (${(err as Error).message || (err as { code?: string }).code})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs SQL on the server's `test` database (to create and drop the run's databases). */
export async function admin(sql: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client(PG);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
