import type { ClaimKeyPackagesResponse, InboxEntry, InboxPage } from '@rchat/protocol';

type Forged = InboxEntry extends infer E
  ? E extends InboxEntry
    ? Omit<E, 'seq' | 'createdAt'>
    : never
  : never;

/**
 * A test double for a malicious server (or anyone who can write to its
 * database or bus), in front of the real one: a `fetch` for a victim's
 * client that passes everything through, except that it can append forged
 * entries to the next inbox read and extra KeyPackages to claim answers.
 */
export class MaliciousServer {
  private readonly forged: Forged[] = [];
  private readonly extraKeyPackages = new Map<string, ClaimKeyPackagesResponse['keyPackages']>();
  /** Requests the victim made, as "METHOD path". */
  readonly seen: string[] = [];

  /** The next inbox read also returns these entries, after the real ones. */
  forgeEntry(entry: Forged): void {
    this.forged.push(entry);
  }

  /** Claim answers for `userId` also carry these KeyPackages. */
  addToClaims(userId: string, keyPackages: ClaimKeyPackagesResponse['keyPackages']): void {
    this.extraKeyPackages.set(userId, [
      ...(this.extraKeyPackages.get(userId) ?? []),
      ...keyPackages,
    ]);
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    this.seen.push(`${method} ${url.pathname}`);
    const res = await fetch(input, init);
    if (method === 'GET' && url.pathname === '/inbox' && res.ok && this.forged.length > 0) {
      const page = (await res.json()) as InboxPage;
      let seq = Math.max(page.headSeq, ...page.entries.map((e) => e.seq));
      const createdAt = new Date().toISOString();
      const entries = [
        ...page.entries,
        ...this.forged.splice(0).map((f) => ({ ...f, seq: ++seq, createdAt }) as InboxEntry),
      ];
      return Response.json({ entries, headSeq: seq } satisfies InboxPage);
    }
    const claim = /^\/users\/([^/]+)\/key-packages\/claim$/.exec(url.pathname);
    const extra = claim ? this.extraKeyPackages.get(decodeURIComponent(claim[1] ?? '')) : undefined;
    if (method === 'POST' && extra && res.ok) {
      const answer = (await res.json()) as ClaimKeyPackagesResponse;
      return Response.json({
        ...answer,
        keyPackages: [...answer.keyPackages, ...extra],
      } satisfies ClaimKeyPackagesResponse);
    }
    return res;
  };
}
