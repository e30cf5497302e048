import pg from 'pg';
import { binaryPayload } from '../../lib/payload.ts';
import { now } from '../../lib/clock.ts';
import { pidsByComm } from '../../lib/proc.ts';
import { ErrorLog } from '../../lib/node-server.ts';
import { MESSAGES_DDL, benchDbUrl, ensureBenchDatabase, pgSettings } from '../../lib/pg.ts';
import type { ConnectOptions, Endpoint, SystemDriver, SystemInfo } from '../types.ts';

const POOL_SIZE = 16;

/** Stable positive 31-bit id for a name. */
function idOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i += 1) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 1;
}

const conversationOf = (a: string, b: string): number => idOf(a < b ? `${a}|${b}` : `${b}|${a}`);

/**
 * Ceiling for persisted messaging: one durable INSERT per message with a
 * per-conversation sequence (UPDATE ... RETURNING + INSERT in one statement).
 * "Delivery" is the commit acknowledgement to the sender; nothing is pushed.
 */
export class PgInsertDriver implements SystemDriver {
  readonly info: SystemInfo = {
    id: 'pg-insert',
    label: 'raw PostgreSQL insert (ceiling)',
    kind: 'ceiling',
    version: '?',
    persisted: true,
    delivery: 'ack',
    settings: { poolSize: POOL_SIZE, statement: 'CTE: bump conversation seq + INSERT, autocommit' },
  };
  readonly supports = { fanout: false, idle: false };
  private readonly errors = new ErrorLog();
  private pool: pg.Pool | undefined;

  async start(): Promise<void> {
    try {
      await ensureBenchDatabase();
    } catch (e) {
      throw new Error(`PostgreSQL not reachable: ${(e as Error).message}`);
    }
    const pool = new pg.Pool({ connectionString: benchDbUrl(), max: POOL_SIZE });
    this.pool = pool;
    await pool.query(MESSAGES_DDL('bench_live_messages'));
    await pool.query(
      'CREATE TABLE IF NOT EXISTS bench_live_conversations (id bigint PRIMARY KEY, last_seq bigint NOT NULL DEFAULT 0)',
    );
    await pool.query('TRUNCATE bench_live_messages, bench_live_conversations');
    const settings = await pgSettings(pool);
    this.info.version = `PostgreSQL ${settings.server_version ?? '?'}`;
    for (const [k, v] of Object.entries(settings))
      if (k !== 'server_version') this.info.settings[k] = v;
  }

  async stop(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool === undefined) return;
    await pool
      .query('TRUNCATE bench_live_messages, bench_live_conversations')
      .catch(() => undefined);
    await pool.end();
  }

  users(prefix: string, count: number): Promise<string[]> {
    return Promise.resolve(Array.from({ length: count }, (_, i) => `${prefix}${i}`));
  }

  connect(user: string, options: ConnectOptions): Promise<Endpoint> {
    const pool = this.pool;
    if (pool === undefined) throw new Error('pg-insert: not started');
    const sender = idOf(user);
    return Promise.resolve({
      user,
      prepare: async (to: string) => {
        await pool.query(
          'INSERT INTO bench_live_conversations (id) VALUES ($1) ON CONFLICT DO NOTHING',
          [conversationOf(user, to)],
        );
      },
      send: (to: string, id: number, size: number) => {
        pool
          .query({
            name: 'bench-insert',
            text: `WITH c AS (UPDATE bench_live_conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
                   INSERT INTO bench_live_messages (conversation_id, seq, sender, body) SELECT $1, last_seq, $2, $3 FROM c`,
            values: [conversationOf(user, to), sender, binaryPayload(id, size)],
          })
          .then(() => options.onDelivery(id, now()))
          .catch((e: unknown) => this.errors.add(e));
      },
      close: () => Promise.resolve(),
    });
  }

  serverPids(): number[] {
    return pidsByComm('postgres');
  }

  takeErrors(): string[] {
    return this.errors.take();
  }
}
