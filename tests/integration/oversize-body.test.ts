import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.ts';
import { registerUser, type TestUser } from '../support/users.ts';

/**
 * A body over a route's limit gets its 413 JSON answer, whatever its size:
 * the client must read the answer, not a reset connection. The client here
 * writes the whole request before it reads a byte, as a browser uploading a
 * body does (the server answering early and closing would reset it).
 */

let platform: Platform;
let alice: TestUser;
let messagesPath: string;

beforeAll(async () => {
  platform = await startPlatform();
  alice = await registerUser(platform.url, 'alice');
  const bob = await registerUser(platform.url, 'bob');
  messagesPath = `/conversations/${(await alice.api.createConversation(bob.id)).id}/messages`;
});
afterAll(async () => platform?.close());

interface RawAnswer {
  status: number;
  headers: string;
  body: string;
}

/**
 * Sends the request line, headers and `size` body bytes (declared, or chunked), then reads the
 * whole answer.
 */
function uploadThenRead(
  path: string,
  size: number,
  framing: 'content-length' | 'chunked',
): Promise<RawAnswer> {
  const url = new URL(platform.url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname);
    socket.pause();
    socket.on('error', (e) =>
      reject(new Error(`the connection failed before the answer was read: ${e.message}`)),
    );
    socket.on('connect', () => {
      void (async () => {
        const length =
          framing === 'chunked' ? 'transfer-encoding: chunked' : `content-length: ${size}`;
        socket.write(
          `POST ${path} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\nauthorization: Bearer ${alice.api.session?.accessToken ?? ''}\r\n${length}\r\n\r\n`,
        );
        const chunk = Buffer.alloc(64 * 1024, 'a');
        for (let sent = 0; sent < size; sent += chunk.length) {
          const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
          const framed =
            framing === 'chunked'
              ? Buffer.concat([
                  Buffer.from(`${part.length.toString(16)}\r\n`),
                  part,
                  Buffer.from('\r\n'),
                ])
              : part;
          if (!socket.write(framed)) await new Promise((r) => socket.once('drain', r));
        }
        if (framing === 'chunked') socket.write('0\r\n\r\n');
        const received: Buffer[] = [];
        socket.on('data', (d: Buffer) => received.push(d));
        socket.on('end', () => {
          const text = Buffer.concat(received).toString();
          const [head = '', body = ''] = text.split('\r\n\r\n');
          resolve({
            status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]),
            headers: head.toLowerCase(),
            body,
          });
        });
        socket.resume();
      })();
    });
  });
}

const MiB = 1024 * 1024;

describe('an oversize body gets its 413 JSON answer', () => {
  // 2 and 8 MiB are read and dropped before the answer; 32 MiB passes MAX_REFUSED_BODY_BYTES (16
  // MiB): answered at once, then the connection lingers.
  it.each([
    { size: 2 * MiB, framing: 'content-length' as const },
    { size: 8 * MiB, framing: 'content-length' as const },
    { size: 8 * MiB, framing: 'chunked' as const },
    { size: 32 * MiB, framing: 'content-length' as const },
    { size: 32 * MiB, framing: 'chunked' as const },
  ])('$size bytes ($framing) to the message route', async ({ size, framing }) => {
    const answer = await uploadThenRead(messagesPath, size, framing);
    expect(answer.status).toBe(413);
    expect(answer.headers).toContain('content-type: application/json');
    expect(answer.headers).toContain('connection: close');
    expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('through fetch, which reads the answer while it uploads', async () => {
    for (const size of [2 * MiB, 8 * MiB]) {
      const res = await fetch(`${platform.url}${messagesPath}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${alice.api.session?.accessToken ?? ''}`,
        },
        body: Buffer.alloc(size, 'a'),
      });
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
        'PAYLOAD_TOO_LARGE',
      );
    }
  });

  it('on a route of another service, and the server goes on answering', async () => {
    const answer = await uploadThenRead('/auth/register', 2 * MiB, 'content-length');
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect((await alice.api.conversations()).length).toBe(1);
  });
});
