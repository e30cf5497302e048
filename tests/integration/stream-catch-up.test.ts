import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type Platform } from '../support/platform.ts';
import { registerUser, waitFor, type TestUser } from '../support/users.ts';
import { smallWindowStream } from '../support/small-window-stream.ts';

const MAX_PENDING_BYTES = 262_144;
/** Welcomes are the largest inbox entries: 4 MiB each here, 5.6 MB as base64. */
const WELCOME_BYTES = 4 * 1024 * 1024;
/**
 * One entry larger than the socket buffers of a reader that does not read, so catch-up waits on it.
 */
const BACKLOG = 1;
/**
 * Commits with Welcomes sent while it waits: 22 MB of base64 that an unbounded buffer would hold.
 */
const FLOOD = 4;

let platform: Platform;
let alice: TestUser;
let bob: TestUser;
let conversationId: string;
let dir: string;

beforeAll(async () => {
  platform = await startPlatform({
    // Heartbeats and the live-write bound must not end the stalled stream: this test is about what
    // it holds.
    env: {
      MAX_PENDING_BYTES: String(MAX_PENDING_BYTES),
      MAX_COMMIT_BYTES: String(WELCOME_BYTES),
      MAX_BUFFERED_BYTES: String(2 * WELCOME_BYTES),
      HEARTBEAT_MS: '120000',
    },
  });
  alice = await registerUser(platform.url, 'alice');
  bob = await registerUser(platform.url, 'bob');
  conversationId = (await alice.api.createConversation(bob.id)).id;
  dir = mkdtempSync(join(tmpdir(), 'rchat-catch-up-'));
});
afterAll(async () => {
  await platform?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The heap in use after a full collection: what the process really holds. */
function heapUsedAfterGc(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/**
 * A reader with a 4 KiB receive buffer that reads nothing until it is told
 * to, then reads everything to a file until it has the event with id `last`
 * (a line on stdin).
 */
function slowReader(token: string, cursor: number, out: string) {
  const script = `${smallWindowStream(platform.url, token, { 'Last-Event-ID': String(cursor) })}
print("connected", flush=True)
last = sys.stdin.readline().strip().encode()
want = b"\\nid: " + last + b"\\n"
buf = bytearray()
s.settimeout(30)
try:
    while True:
        d = s.recv(65536)
        if not d: break
        buf += d
        if want in buf[-(len(d) + len(want)):]: break
except OSError:
    pass  # what arrived is checked by the test
open(${JSON.stringify(out)}, "wb").write(buf)
print("done", flush=True)
`;
  const child = spawn('python3', ['-c', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let said = '';
  child.stdout.on('data', (d: Buffer) => (said += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    said: () => said,
    readUpTo: async (last: number) => {
      child.stdin.write(`${last}\n`);
      await exited;
    },
    kill: () => child.kill(),
  };
}

/** The ids of the inbox events in a raw event stream, in order (`ready` and comments left out). */
function eventIds(stream: string): number[] {
  const ids: number[] = [];
  for (const block of stream.split('\n\n')) {
    const id = /^id: (\d+)$/m.exec(block)?.[1];
    if (id !== undefined && !/^event: ready$/m.test(block)) ids.push(Number(id));
  }
  return ids;
}

describe('stream catch-up with a reader that drains slowly', () => {
  it('holds a bounded amount of the live events while it waits, and still delivers everything exactly once, in order', async () => {
    const cursor = (await bob.api.inbox(Number.MAX_SAFE_INTEGER, 1)).headSeq;
    // Each commit puts a commit entry and a Welcome for bob's device into bob's inbox.
    const commit = (epoch: number) =>
      alice.api.submitCommit(conversationId, {
        epoch,
        commit: 'AAAA',
        welcome: {
          message: Buffer.alloc(WELCOME_BYTES, epoch).toString('base64'),
          recipients: [{ userId: bob.id, deviceId: bob.deviceId }],
        },
      });
    for (let epoch = 0; epoch < BACKLOG; epoch++) await commit(epoch);

    const reader = slowReader(bob.api.session?.accessToken ?? '', cursor, join(dir, 'stream'));
    try {
      await waitFor(
        () => reader.said().includes('connected') && platform.delivery.connections === 1,
        'the slow reader to connect',
      );
      // Catch-up has written the backlog and now waits for the reader to make room.
      await new Promise((r) => setTimeout(r, 1_000));
      const before = heapUsedAfterGc();

      for (let epoch = BACKLOG; epoch < BACKLOG + FLOOD; epoch++) await commit(epoch);
      const grown = heapUsedAfterGc() - before;
      // Unbounded, the stream would hold every live Welcome here (22 MB); bounded, at most
      // MAX_PENDING_BYTES.
      expect(grown).toBeLessThan(8 * 1024 * 1024);

      const head = (await bob.api.inbox(Number.MAX_SAFE_INTEGER, 1)).headSeq;
      expect(head).toBe(cursor + 2 * (BACKLOG + FLOOD));
      await reader.readUpTo(head);
      const ids = eventIds(readFileSync(join(dir, 'stream'), 'latin1'));
      expect(ids).toEqual(Array.from({ length: 2 * (BACKLOG + FLOOD) }, (_, i) => cursor + i + 1));
    } finally {
      reader.kill();
    }
  });
});
