import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, openSharedDatabase, sharedDatabaseName, sql } from '../src/index.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'rchat-shared-db-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const services = ['users', 'chat'];

describe('the database the single-process server shares between services', () => {
  it('is one PGlite folder in a new DATA_DIR, kept across reopening, with a small buffer pool', async () => {
    const dataDir = tempDir();
    const first = await openSharedDatabase({ dataDir, memory: false, services });
    if (!first) throw new Error('expected a shared database');
    await first.rows(sql`create table kept (n int)`);
    await first.rows(sql`insert into kept values (7)`);
    const [setting] = await first.rows<{ shared_buffers: string }>(
      sql`select current_setting('shared_buffers') as shared_buffers`,
    );
    expect(setting?.shared_buffers).toBe('16MB');
    await first.close();
    expect(existsSync(join(dataDir, sharedDatabaseName, 'PG_VERSION'))).toBe(true);
    expect(services.some((s) => existsSync(join(dataDir, s)))).toBe(false);

    const again = await openSharedDatabase({ dataDir, memory: false, services });
    expect(await again?.rows(sql`select n from kept`)).toEqual([{ n: 7 }]);
    await again?.close();
  });

  it('is not used for a DATA_DIR with one database per service (earlier layout), nor with PostgreSQL', async () => {
    const dataDir = tempDir();
    const own = await openDatabase({ dataDir, name: 'users' });
    await own.close();
    expect(await openSharedDatabase({ dataDir, memory: false, services })).toBeUndefined();
    expect(existsSync(join(dataDir, sharedDatabaseName))).toBe(false);
    expect(
      await openSharedDatabase({
        url: 'postgres://127.0.0.1:1/none',
        dataDir,
        memory: false,
        services,
      }),
    ).toBeUndefined();
  });

  it('is in memory when asked', async () => {
    const dataDir = tempDir();
    const database = await openSharedDatabase({ dataDir, memory: true, services });
    expect(await database?.rows(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    await database?.close();
    expect(existsSync(join(dataDir, sharedDatabaseName))).toBe(false);
  });
});
