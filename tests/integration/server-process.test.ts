import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RchatApi } from '@rchat/sdk';
import {
  freePort,
  startServerProcess,
  waitUntilReady,
  type ServerProcess,
} from '../support/server-process.ts';
import { b64, listen, PASSWORD, registerUser, unb64, waitFor } from '../support/users.ts';

const dirs: string[] = [];
const procs: ServerProcess[] = [];
const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), name));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const p of procs) p.child.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the single-process server as its own process (npm start)', () => {
  it('persists messages on disk across a graceful stop and start, ending event streams with a bye', async () => {
    const dataDir = tempDir('rchat-start-');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const metricsToken = 'metrics-token-for-this-test-0123456789';
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      METRICS_TOKEN: metricsToken,
    };
    const first = startServerProcess(env);
    procs.push(first);
    await waitUntilReady(url, first);

    const alice = await registerUser(url, 'alice');
    const bob = await registerUser(url, 'bob');
    const conv = await alice.api.createConversation(bob.id);
    for (let i = 1; i <= 3; i++)
      await alice.api.sendMessage(conv.id, { txnId: `p${i}`, ciphertext: b64(`stored ${i}`) });
    // Metrics are not public: only the holder of METRICS_TOKEN reads them.
    const anonymous = await fetch(`${url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).not.toContain('rchat_http_request_duration_seconds');
    expect(
      (
        await fetch(`${url}/metrics`, {
          headers: { authorization: `Bearer ${bob.api.session?.accessToken ?? ''}` },
        })
      ).status,
    ).toBe(401);
    const metrics = await (
      await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
    ).text();
    expect(metrics).toContain('rchat_http_request_duration_seconds_bucket');

    const raw = await fetch(`${url}/events`, {
      headers: { authorization: `Bearer ${bob.api.session?.accessToken ?? ''}` },
    });
    const reader = raw.body?.getReader();
    first.child.kill('SIGTERM');
    let streamText = '';
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      streamText += new TextDecoder().decode(chunk.value);
    }
    expect(streamText).toContain('event: bye');
    expect(streamText).toContain('"reason":"shutdown"');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shutting down/);

    const second = startServerProcess(env);
    procs.push(second);
    await waitUntilReady(url, second);
    const api = new RchatApi({ baseUrl: url });
    await api.login({ username: bob.username, password: PASSWORD, device: { name: 'again' } });
    const history = await api.history(conv.id);
    expect(history.messages.map((m) => unb64(m.ciphertext))).toEqual([
      'stored 3',
      'stored 2',
      'stored 1',
    ]);
    const live = listen({ ...bob, api });
    await live.ready;
    const aliceAgain = new RchatApi({ baseUrl: url });
    await aliceAgain.login({
      username: alice.username,
      password: PASSWORD,
      device: { name: 'again' },
    });
    await aliceAgain.sendMessage(conv.id, { txnId: 'p4', ciphertext: b64('after restart') });
    await waitFor(
      () => live.entries.some((e) => e.type === 'message' && e.message.seq === 4),
      'live delivery after restart',
    );
    live.stream.close();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('serves HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set, and refuses half a TLS configuration', async () => {
    const dir = tempDir('rchat-tls-');
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ed25519',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const half = startServerProcess({
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      TLS_CERT_FILE: cert,
    });
    procs.push(half);
    expect(await half.exited).not.toBe(0);
    expect(half.output()).toMatch(/TLS_CERT_FILE: set both TLS_CERT_FILE and TLS_KEY_FILE/);

    const port = await freePort();
    const proc = startServerProcess({
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, 'data'),
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
    });
    procs.push(proc);
    const get = (path: string) =>
      new Promise<{ status: number; hsts: string | undefined; body: string }>((resolve, reject) => {
        const deadline = Date.now() + 60_000;
        const attempt = () => {
          const req = request(
            { host: '127.0.0.1', port, path, rejectUnauthorized: false },
            (res) => {
              let text = '';
              res.on('data', (d: Buffer) => (text += d.toString()));
              res.on('end', () =>
                resolve({
                  status: res.statusCode ?? 0,
                  hsts: res.headers['strict-transport-security'],
                  body: text,
                }),
              );
            },
          );
          req.on('error', (e) => (Date.now() > deadline ? reject(e) : setTimeout(attempt, 300)));
          req.end();
        };
        attempt();
      });
    const discovery = await get('/.well-known/rchat');
    expect(JSON.parse(discovery.body)).toMatchObject({ apiVersion: 1 });
    // Over HTTPS every answer, errors included, tells the browser to stay on HTTPS.
    expect(discovery.hsts).toBe('max-age=63072000');
    // Without METRICS_TOKEN there is no /metrics at all.
    const metrics = await get('/metrics');
    expect(metrics).toMatchObject({ status: 404, hsts: 'max-age=63072000' });
    expect(metrics.body).not.toContain('rchat_http_request_duration_seconds');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  });
});
