import pg from 'pg';
import { PG_ADMIN_URL } from './pg.ts';

/**
 * Databases created for one run and dropped after it (`rchat_bench_<pid>_<n>_<suffix>`),
 * so the suite never touches data other tests use.
 */
export class ThrowawayDatabases {
  private readonly created: string[] = [];
  private counter = 0;

  /** Creates a fresh database and returns its URL. */
  async create(suffix: string): Promise<string> {
    this.counter += 1;
    const name = `rchat_bench_${process.pid}_${this.counter}_${suffix}`;
    await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
    this.created.push(name);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async dropAll(): Promise<void> {
    const names = this.created.splice(0);
    if (names.length === 0) return;
    await withAdmin(async (admin) => {
      for (const name of names) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  }
}

async function withAdmin<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}
