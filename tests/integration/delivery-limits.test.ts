import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.ts';
import { listen, registerUser, waitFor, type TestUser } from '../support/users.ts';
import { smallWindowStream } from '../support/small-window-stream.ts';

let platform: Platform;
let alice: TestUser;
let bob: TestUser;
let conversationId: string;

beforeAll(async () => {
  platform = await startPlatform({ env: { MAX_BUFFERED_BYTES: '262144', HEARTBEAT_MS: '1000' } });
  alice = await registerUser(platform.url, 'alice');
  bob = await registerUser(platform.url, 'bob');
  conversationId = (await alice.api.createConversation(bob.id)).id;
});
afterAll(async () => platform?.close());

/** A raw event-stream connection whose reader can be paused (a slow or stuck client). */
function rawStream(token: string) {
  const { port } = new URL(platform.url);
  const socket = connect(Number(port), '127.0.0.1');
  let text = '';
  let closed = false;
  socket.on('data', (d: Buffer) => (text += d.toString()));
  socket.on('close', () => (closed = true));
  socket.on('error', () => (closed = true));
  socket.write(
    `GET /events HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  return { socket, text: () => text, closed: () => closed };
}

/**
 * A client that connects with a tiny TCP receive buffer and never reads after
 * the headers (Node cannot shrink SO_RCVBUF, so a few lines of Python do it).
 * Resolves with how it ended: 'closed by server' or 'still open'.
 */
function stuckClient(token: string): { ended: Promise<string>; kill: () => void } {
  const script = `${smallWindowStream(platform.url, token)}
buf = b""
while b"event: ready" not in buf:
    buf += s.recv(4096)
print("ready", flush=True)
time.sleep(10)
# Now drain: a server that dropped us ends the stream (recv returns b"" or resets).
s.settimeout(5)
try:
    while True:
        d = s.recv(65536)
        if not d:
            print("closed by server", flush=True); break
except ConnectionResetError:
    print("closed by server", flush=True)
except socket.timeout:
    print("still open", flush=True)
`;
  const child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const ended = new Promise<string>((resolve) =>
    child.on('exit', () => resolve(out.trim().split('\n').at(-1) ?? '')),
  );
  return { ended, kill: () => child.kill() };
}

describe('delivery limits', () => {
  it('sends a heartbeat comment to idle streams', async () => {
    const s = rawStream(bob.api.session?.accessToken ?? '');
    await waitFor(() => s.text().includes('event: ready'), 'ready');
    await waitFor(() => s.text().includes(': hb'), 'heartbeat', 5_000);
    s.socket.destroy();
  });

  it('disconnects a client that stops reading, without holding up the others; it resumes from the store', async () => {
    const healthy = listen(bob);
    await healthy.ready;
    const stuck = stuckClient(bob.api.session?.accessToken ?? '');
    const opened = (await alice.api.conversation(conversationId)).lastSeq;
    await new Promise((r) => setTimeout(r, 1500));
    const ciphertext = Buffer.alloc(48_000, 7).toString('base64');
    for (let i = 0; i < 120; i++)
      await alice.api.sendMessage(conversationId, { txnId: `slow${i}`, ciphertext });
    const count = () => healthy.entries.filter((e) => e.type === 'message').length;
    await waitFor(() => count() === 120, 'the healthy device got every message');
    expect(await stuck.ended).toBe('closed by server');
    healthy.stream.close();

    // The dropped device reconnects with its cursor and gets everything it missed.
    const resumed = listen(bob, healthy.entries[0] ? healthy.entries[0].seq - 1 : 0);
    await resumed.ready;
    expect(
      resumed.entries
        .filter((e) => e.type === 'message')
        .map((e) => e.type === 'message' && e.message.seq),
    ).toEqual(Array.from({ length: 120 }, (_, i) => opened + i + 1));
    resumed.stream.close();
  });
});
