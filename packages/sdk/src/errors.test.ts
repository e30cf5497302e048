import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientErrorCodes, clientRaisedServerCodes, errorCodes } from '@rchat/protocol';
import * as sdk from './index.ts';
import { errorFromAnswer } from './answer-errors.ts';
import { RchatError } from './errors.ts';

const root = new URL('../../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => join(dir, f));
}

/**
 * Every `new RchatError(` of the SDK and the apps, with the code it names when that is a literal.
 */
const raised = ['packages/sdk/src', 'apps/web/src', 'apps/cli/src']
  .flatMap(sources)
  .flatMap((file) =>
    [...readFileSync(join(root, file), 'utf8').matchAll(/new RchatError\(\s*([^,]*),/g)].map(
      (m) => ({ file, code: /^'([A-Z_0-9]+)'$/.exec(m[1] ?? '')?.[1] }),
    ),
  );

describe('the one error catalogue', () => {
  it('holds every code the SDK and the apps raise themselves, as a client code or a listed server code', () => {
    const literal = raised.flatMap((r) => (r.code ? [r.code] : []));
    expect(literal.length).toBeGreaterThan(10);
    const known = new Set<string>([...clientErrorCodes, ...Object.keys(clientRaisedServerCodes)]);
    expect([...new Set(literal.filter((c) => !known.has(c)))]).toEqual([]);
    // docs/errors.md lists no server code the client no longer raises.
    expect(Object.keys(clientRaisedServerCodes).filter((c) => !literal.includes(c))).toEqual([]);
    expect(Object.keys(clientRaisedServerCodes).every((c) => errorCodes.includes(c as never))).toBe(
      true,
    );
    // A code that is not a literal comes only from an answer.
    expect([...new Set(raised.filter((r) => !r.code).map((r) => r.file))]).toEqual([
      'packages/sdk/src/answer-errors.ts',
    ]);
  });

  it('takes a nonzero status only from an answer: the types refuse one the client makes up', () => {
    // @ts-expect-error a made-up server status (typecheck fails when this compiles)
    const madeUp = new RchatError('EPOCH_CONFLICT', 'The keys changed.', 409);
    expect(madeUp.status).toBe(409);
    expect(new RchatError('USER_NOT_FOUND', 'No such user.', 0).status).toBe(0);
    const answered = errorFromAnswer(
      409,
      JSON.stringify({ error: { code: 'EPOCH_CONFLICT', message: 'Lost the epoch.' } }),
      null,
    );
    expect([answered.code, answered.status]).toEqual(['EPOCH_CONFLICT', 409]);
    // Only the SDK's answer readers can mark a status as an answer's.
    expect(Object.keys(sdk)).not.toContain('answerStatus');
  });
});
