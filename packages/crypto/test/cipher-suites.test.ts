import { describe, expect, it } from 'vitest';
import {
  chooseCipherSuite,
  createGroup,
  epochAuthenticator,
  isPostQuantumCipherSuite,
  supportedCipherSuites,
  toBase64,
} from '../src/index.ts';
import {
  addAndJoin,
  deliver,
  groupOf,
  makeUser,
  send,
  TestDirectory,
  textOf,
  type TestDevice,
} from './fixtures.ts';

describe('cipher suites chosen by operator policy', () => {
  it('picks the policy default and refuses what the policy forbids', () => {
    expect(chooseCipherSuite([1, 83])).toEqual({ kind: 'ok', suite: 1 });
    expect(chooseCipherSuite([1, 83], 83)).toEqual({ kind: 'ok', suite: 83 });
    expect(chooseCipherSuite([1], 83)).toMatchObject({ kind: 'not-allowed', suite: 83 });
    expect(chooseCipherSuite([9999])).toMatchObject({ kind: 'not-allowed' });
    expect(supportedCipherSuites).toContain(83);
    expect(isPostQuantumCipherSuite(83)).toBe(true);
    expect(isPostQuantumCipherSuite(1)).toBe(false);
  });

  it.each([3, 83] as const)('runs a two-user group on suite %i', async (suite) => {
    const directory = new TestDirectory();
    const [a1] = (await makeUser(directory, 'alice', 1, suite)).devices as [TestDevice];
    const [b1] = (await makeUser(directory, 'bob', 1, suite)).devices as [TestDevice];
    a1.group = await createGroup(a1.client, a1.keys);
    await addAndJoin(a1, [], [b1]);
    expect(groupOf(b1).cipherSuite).toBe(suite);
    expect(textOf((await deliver(await send(a1, 'post-quantum hello'), [b1]))[0]!)).toBe(
      'post-quantum hello',
    );
    expect(toBase64(epochAuthenticator(groupOf(a1)))).toBe(
      toBase64(epochAuthenticator(groupOf(b1))),
    );
  });
});
