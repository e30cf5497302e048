import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Cluster, instanceIds, portsFrom, repoRoot } from './cluster.ts';

const usage = `Usage: npm run cluster -- [options]

Runs rchat scaled out on this machine: users x1, chat x2, delivery x2 and
nginx on 127.0.0.1, against PostgreSQL and NATS. Ctrl-C stops everything.

Options (environment variable in brackets):
  --port N           public front, nginx            [RCHAT_CLUSTER_PORT]     8088
  --internal-port N  nginx's internal server        [RCHAT_CLUSTER_INTERNAL_PORT] 8089
  --base-port N      instances on N+1 .. N+5        [RCHAT_CLUSTER_BASE_PORT] 8090
  --postgres URL     PostgreSQL to create databases on
                                                    [RCHAT_CLUSTER_POSTGRES] postgres://postgres@127.0.0.1:5432/postgres
  --nats URL         NATS server                    [RCHAT_CLUSTER_NATS]     nats://127.0.0.1:4222
  --users-db NAME    users service database         [RCHAT_CLUSTER_USERS_DB] rchat_users
  --chat-db NAME     chat service database          [RCHAT_CLUSTER_CHAT_DB]  rchat_chat
  --run-dir DIR      logs and nginx files           [RCHAT_CLUSTER_RUN_DIR]  .cluster
  --web-root DIR     static web client served at /  [RCHAT_CLUSTER_WEB_ROOT] apps/web/dist
  --log-level LEVEL  services' log level            [LOG_LEVEL]              info
  Each instance's /metrics needs "Authorization: Bearer <token>": the token is
  RCHAT_CLUSTER_METRICS_TOKEN if set, else random, written to <run-dir>/metrics-token.
`;

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'internal-port': { type: 'string' },
    'base-port': { type: 'string' },
    postgres: { type: 'string' },
    nats: { type: 'string' },
    'users-db': { type: 'string' },
    'chat-db': { type: 'string' },
    'run-dir': { type: 'string' },
    'web-root': { type: 'string' },
    'log-level': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

const env = process.env;
const port = (value: string | undefined, fallback: number, what: string): number => {
  const n = Number(value ?? fallback);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) {
    console.error(`${what} must be a port number, not "${value}".`);
    process.exit(2);
  }
  return n;
};

const options = {
  publicPort: port(values.port ?? env.RCHAT_CLUSTER_PORT, 8088, '--port'),
  internalPort: port(
    values['internal-port'] ?? env.RCHAT_CLUSTER_INTERNAL_PORT,
    8089,
    '--internal-port',
  ),
  ports: portsFrom(port(values['base-port'] ?? env.RCHAT_CLUSTER_BASE_PORT, 8090, '--base-port')),
  postgresUrl:
    values.postgres ?? env.RCHAT_CLUSTER_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  natsUrl: values.nats ?? env.RCHAT_CLUSTER_NATS ?? 'nats://127.0.0.1:4222',
  databases: {
    users: values['users-db'] ?? env.RCHAT_CLUSTER_USERS_DB ?? 'rchat_users',
    chat: values['chat-db'] ?? env.RCHAT_CLUSTER_CHAT_DB ?? 'rchat_chat',
  },
  runDir: resolve(repoRoot, values['run-dir'] ?? env.RCHAT_CLUSTER_RUN_DIR ?? '.cluster'),
  webRoot: resolve(repoRoot, values['web-root'] ?? env.RCHAT_CLUSTER_WEB_ROOT ?? 'apps/web/dist'),
  logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
  ...(env.RCHAT_CLUSTER_METRICS_TOKEN ? { metricsToken: env.RCHAT_CLUSTER_METRICS_TOKEN } : {}),
};

let cluster: Cluster | undefined;
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping the cluster…');
  await cluster?.stop();
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

console.log(`starting rchat scaled out (logs in ${join(options.runDir, 'logs')})…`);
const started = performance.now();
try {
  cluster = await Cluster.start(options);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
if (stopping) process.exit(0);
console.log(`ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const id of instanceIds)
  console.log(`  ${id.padEnd(11)} ${cluster.instanceUrl(id)}   log: ${cluster.logFile(id)}`);
console.log(
  `  nginx       internal ${cluster.internalUrl} (loopback only)   log: ${cluster.logFile('nginx')}`,
);
const tokenFile = join(options.runDir, 'metrics-token');
writeFileSync(tokenFile, `${cluster.metricsToken}\n`, { mode: 0o600 });
console.log(`  metrics     GET <instance>/metrics with Authorization: Bearer $(cat ${tokenFile})`);
console.log(
  `  databases   ${options.databases.users}, ${options.databases.chat} on ${new URL(options.postgresUrl).host}; NATS ${options.natsUrl}`,
);
console.log(`\nrchat is serving at ${cluster.url}   (Ctrl-C stops it)`);
