// Container health check of an rchat service: exits 0 when the service in this
// container answers /readyz with 200 (its database or bus is reachable), 1
// otherwise. Usage: node deploy/healthcheck.mjs [port]  (default: $PORT)
import { get } from 'node:http';
import process from 'node:process';

const port = Number(process.argv[2] ?? process.env.PORT);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('healthcheck: give the port as an argument or in PORT\n');
  process.exit(1);
}

const request = get({ host: '127.0.0.1', port, path: '/readyz', timeout: 3000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
request.on('timeout', () => request.destroy(new Error('timed out')));
request.on('error', (err) => {
  process.stderr.write(`healthcheck: ${err.message}\n`);
  process.exit(1);
});
