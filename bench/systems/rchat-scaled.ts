import { randomBytes } from 'node:crypto';
import { PG_ADMIN_URL } from '../lib/pg.ts';
import { descendants, stopGroup } from '../lib/proc.ts';
import {
  COLD_START,
  freePort,
  serviceCommand,
  startService,
  type ServiceName,
  type StartedProcess,
} from '../lib/service-process.ts';
import { ThrowawayDatabases } from '../lib/throwaway-db.ts';
import { NATS_URL } from './ceilings/nats-raw.ts';
import { BENCH_ENV, gitHead } from './rchat.ts';
import { RchatApiDriver, RchatClient } from './rchat-client.ts';
import type { SystemDriver, SystemInfo } from './types.ts';

export interface ScaledInstance {
  id: string;
  service: ServiceName;
  process: StartedProcess;
}

/** Environment shared by every service process of the scaled-out stack. */
export function scaledEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LOG_LEVEL: 'warn',
    NATS_URL: NATS_URL.includes('://') ? NATS_URL : `nats://${NATS_URL}`,
    SHUTDOWN_GRACE_MS: '2000',
    ...BENCH_ENV,
    ...extra,
  };
}

/**
 * rchat scaled out: users ×1, chat ×1 and delivery ×2, each its own Node.js
 * process (as scripts/cluster runs them, without nginx), on PostgreSQL
 * (fresh throwaway databases) and NATS. The client registers at users, sends
 * through chat, and a user's devices alternate between the two delivery
 * instances, so every delivery crosses processes through NATS.
 */
export class RchatScaledDriver extends RchatApiDriver implements SystemDriver {
  readonly info: SystemInfo = {
    id: 'rchat-scaled',
    label: 'rchat scaled-out (users ×1, chat ×1, delivery ×2; PostgreSQL + NATS)',
    kind: 'rchat',
    version: '?',
    persisted: true,
    delivery: 'push',
    settings: {
      api: 'HTTP POST + SSE /events, straight to each instance (no nginx)',
      tls: false,
      database: PG_ADMIN_URL.replace(/\/[^/]*$/, '/<fresh db>'),
      nats: NATS_URL,
    },
  };
  readonly supports = { fanout: true, idle: false, oneToOne: true };
  readonly instances: ScaledInstance[] = [];
  private readonly databases = new ThrowawayDatabases();
  /** URL of the chat service's database (for seeding history). */
  chatDatabaseUrl = '';

  async start(): Promise<void> {
    const token = randomBytes(24).toString('hex');
    const usersDb = await this.databases.create('users');
    this.chatDatabaseUrl = await this.databases.create('chat');
    // One at a time: each start is a cold start with nothing else starting (the readiness times are
    // kept).
    const users = await this.launch('users', 'users', { DATABASE_URL: usersDb });
    const chat = await this.launch('chat', 'chat', {
      DATABASE_URL: this.chatDatabaseUrl,
      USERS_URL: users.origin,
      INTERNAL_TOKEN: token,
    });
    const delivery: StartedProcess[] = [];
    for (const n of [1, 2])
      delivery.push(
        await this.launch(`delivery-${n}`, 'delivery', {
          USERS_URL: users.origin,
          CHAT_URL: chat.origin,
          INTERNAL_TOKEN: token,
        }),
      );
    this.rchat = new RchatClient({
      users: users.origin,
      chat: chat.origin,
      events: (device) => (delivery[(device + 1) % delivery.length] as StartedProcess).origin,
    });
    this.info.settings.command = `node ${serviceCommand('users').join(' ')} (and chat, delivery)`;
    this.info.settings.readyMs = this.instances
      .map((i) => `${i.id} ${Math.round(i.process.readyMs)}`)
      .join(', ');
    this.info.version = `rchat (git ${await gitHead()})`;
  }

  private async launch(
    id: string,
    service: ServiceName,
    env: Record<string, string>,
  ): Promise<StartedProcess> {
    const started = await startService(service, scaledEnv(env), await freePort());
    this.instances.push({ id, service, process: started });
    if (service !== 'server')
      this.starts.push({ variant: COLD_START[service], readyMs: started.readyMs });
    return started;
  }

  async stop(): Promise<void> {
    await this.closeClient(this.info.settings);
    // Delivery first, then chat, then users (as the cluster stops).
    const instances = this.instances.splice(0);
    for (const service of ['delivery', 'chat', 'users'] as const) {
      await Promise.all(
        instances
          .filter((i) => i.service === service)
          .map((i) => stopGroup(i.process.managed.child, 5000)),
      );
    }
    await this.databases.dropAll();
  }

  serverPids(): number[] {
    return this.instances.flatMap((i) => {
      const pid = i.process.managed.child.pid;
      return pid === undefined ? [] : [pid, ...descendants(pid)];
    });
  }
}
