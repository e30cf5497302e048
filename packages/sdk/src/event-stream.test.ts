import { describe, expect, it } from 'vitest';
import type { InboxEntry } from '@rchat/protocol';
import { EventStream } from './event-stream.ts';

const readEntry = (seq: number): InboxEntry => ({
  seq,
  type: 'read',
  createdAt: new Date(0).toISOString(),
  conversationId: '00000000-0000-4000-8000-000000000001',
  readSeq: seq,
});
const sse = (seqs: number[], head: number) =>
  `retry: 1\n\n${seqs.map((s) => `id: ${s}\nevent: read\ndata: ${JSON.stringify(readEntry(s))}\n\n`).join('')}id: ${head}\nevent: ready\ndata: {"headSeq":${head}}\n\n`;

describe('EventStream', () => {
  it("resumes each reconnect from the caller's processed cursor, and drops what it received before", async () => {
    const asked: (string | null)[] = [];
    // The server's answer to a resume after `cursor`: the entries up to 4 after it; then the stream
    // ends.
    const fakeFetch = (async (_url: string | URL | Request, init?: RequestInit) => {
      const cursor = new Headers(init?.headers).get('last-event-id');
      asked.push(cursor);
      const after = Number(cursor ?? 0);
      return new Response(
        sse(
          asked.length === 1 ? [1, 2, 3] : [2, 3, 4].filter((s) => s > after),
          asked.length === 1 ? 3 : 4,
        ),
      );
    }) as typeof fetch;
    const got: number[] = [];
    let processed = 0;
    const stream = new EventStream({
      url: 'http://rchat.invalid/events',
      token: async () => 'token',
      fetch: fakeFetch,
      since: 0,
      // Entry 1 was processed; 2 and 3 were received but not yet processed when the stream dropped.
      resumeFrom: async () => processed,
      onEntry: (e) => {
        got.push(e.seq);
        if (e.seq === 1) processed = 1;
      },
    });
    while (asked.length < 2 || got.length < 4) await new Promise((r) => setTimeout(r, 5));
    stream.close();
    await stream.done;
    expect(asked.slice(0, 2)).toEqual(['0', '1']);
    expect(got).toEqual([1, 2, 3, 4]);
  });
});
