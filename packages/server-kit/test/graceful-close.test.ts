import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHttpApp, createLogger } from '../src/index.ts';

/**
 * Shutting down (SIGTERM, a rolling restart) lets a request under way finish,
 * then closes its keep-alive connection instead of holding the shutdown open
 * until the client's idle connection times out.
 */
describe('closing the HTTP app', () => {
  it('answers a request under way, with Connection: close, and then finishes closing', async () => {
    const app = createHttpApp({ logger: createLogger({ level: 'silent', name: 'test' }) });
    let release!: () => void;
    const arrived = new Promise<void>((resolveArrived) => {
      app.get('/slow', async () => {
        resolveArrived();
        await new Promise<void>((r) => (release = r));
        return { done: true };
      });
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as { port: number };
    const agent = new http.Agent({ keepAlive: true });
    const answer = new Promise<{ status: number; connection: string | undefined; body: string }>(
      (resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/slow', agent }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body }),
            );
          })
          .on('error', reject);
      },
    );
    await arrived;
    const closed = app.close();
    while (app.server.listening) await new Promise((r) => setTimeout(r, 5)); // closing has begun
    release();
    expect(await answer).toEqual({ status: 200, connection: 'close', body: '{"done":true}' });
    // The client keeps its agent (and would keep the connection); the server still finishes
    // closing.
    await closed;
    expect(app.server.listening).toBe(false);
    agent.destroy();
  });
});
