import { describe, expect, it } from 'vitest';
import {
  confirmCommit,
  createGroup,
  epochAuthenticator,
  exportGroup,
  groupMembers,
  importGroup,
  isActiveMember,
  receiveMessage,
  removeDevices,
  selfUpdate,
  toBase64,
} from '../src/index.ts';
import {
  addAndJoin,
  deliver,
  expectOk,
  groupOf,
  makeUser,
  send,
  TestDirectory,
  textOf,
  type TestDevice,
} from './fixtures.ts';

const authenticators = (devices: readonly TestDevice[]) =>
  new Set(devices.map((d) => toBase64(epochAuthenticator(groupOf(d)))));

async function twoUsers() {
  const directory = new TestDirectory();
  const alice = await makeUser(directory, 'alice', 1);
  const bob = await makeUser(directory, 'bob', 2);
  const [a1] = alice.devices as [TestDevice];
  const [b1, b2] = bob.devices as [TestDevice, TestDevice];
  a1.group = await createGroup(a1.client, a1.keys);
  await addAndJoin(a1, [], [b1, b2]);
  return { directory, a1, b1, b2 };
}

describe('a conversation between two users, one with two devices', () => {
  it('adds both devices of a user and exchanges 100 messages each way', async () => {
    const { a1, b1, b2 } = await twoUsers();
    expect(groupMembers(groupOf(b2)).map((m) => `${m.userId}/${m.deviceId}`)).toEqual([
      'alice/alice-d1',
      'bob/bob-d1',
      'bob/bob-d2',
    ]);
    for (let i = 0; i < 100; i++) {
      const fromAlice = await send(a1, `a${i}`);
      const [atB1, atB2] = await deliver(fromAlice, [b1, b2]);
      expect(textOf(atB1!)).toBe(`a${i}`);
      expect(textOf(atB2!)).toBe(`a${i}`);
      const fromBob = await send(b1, `b${i}`);
      const [atA1, atB2again] = await deliver(fromBob, [a1, b2]);
      expect(textOf(atA1!)).toBe(`b${i}`);
      expect(atA1?.kind === 'application' && atA1.sender.deviceId).toBe('bob-d1');
      expect(textOf(atB2again!)).toBe(`b${i}`);
    }
    expect(authenticators([a1, b1, b2]).size).toBe(1);
  });

  it('pads application messages to length buckets', async () => {
    const { a1 } = await twoUsers();
    const short = await send(a1, 'hi');
    const longer = await send(a1, 'x'.repeat(100));
    const much = await send(a1, 'x'.repeat(300));
    expect(short.length).toBe(longer.length);
    expect(much.length).toBeGreaterThan(short.length);
  });

  it('removes a device, which cannot read the next epoch', async () => {
    const { a1, b1, b2 } = await twoUsers();
    const stolenCopy = exportGroup(groupOf(b2));
    const pending = expectOk(
      await removeDevices(a1.client, groupOf(a1), [{ userId: 'bob', deviceId: 'bob-d2' }]),
    );
    a1.group = confirmCommit(pending);
    const [atB1, atB2] = await deliver(pending.commit, [b1, b2]);
    expect(atB1?.kind === 'commit' && atB1.removed.map((m) => m.deviceId)).toEqual(['bob-d2']);
    expect(atB2?.kind === 'commit' && atB2.removedSelf).toBe(true);
    expect(isActiveMember(groupOf(b2))).toBe(false);

    const secret = await send(a1, 'after removal');
    const [stillB1, removedB2] = await deliver(secret, [b1, b2]);
    expect(textOf(stillB1!)).toBe('after removal');
    expect(removedB2).toMatchObject({ kind: 'undecryptable', reason: 'wrong-epoch' });
    // A copy of the state from before the removal cannot read it either.
    const restored = importGroup(b2.client, stolenCopy);
    if (restored.kind !== 'ok') throw new Error(restored.message);
    const fromOldState = await receiveMessage(b2.client, restored.group, secret);
    expect(fromOldState).toMatchObject({ kind: 'undecryptable', reason: 'wrong-epoch' });
  });

  it('self-updates into a new epoch that everyone shares', async () => {
    const { a1, b1, b2 } = await twoUsers();
    const before = epochAuthenticator(groupOf(b1));
    const pending = expectOk(await selfUpdate(b1.client, groupOf(b1)));
    b1.group = confirmCommit(pending);
    const outcomes = await deliver(pending.commit, [a1, b2]);
    expect(outcomes.map((o) => o.kind)).toEqual(['commit', 'commit']);
    expect(groupOf(a1).epoch).toBe(groupOf(b1).epoch);
    expect(authenticators([a1, b1, b2]).size).toBe(1);
    expect(epochAuthenticator(groupOf(b1))).not.toEqual(before);
    expect(textOf((await deliver(await send(a1, 'fresh keys'), [b1]))[0]!)).toBe('fresh keys');
  });

  it('reports a flipped bit as undecryptable and still reads later messages', async () => {
    const { a1, b1 } = await twoUsers();
    const first = await send(a1, 'first');
    const second = await send(a1, 'second');
    const tampered = first.slice();
    tampered[tampered.length - 1]! ^= 0x01;
    expect((await deliver(tampered, [b1]))[0]).toMatchObject({
      kind: 'undecryptable',
      reason: 'tampered',
    });
    expect(textOf((await deliver(second, [b1]))[0]!)).toBe('second');
    expect(textOf((await deliver(first, [b1]))[0]!)).toBe('first');
  });

  it('never yields plaintext for a message with any single flipped bit', async () => {
    const { a1, b1 } = await twoUsers();
    const message = await send(a1, 'integrity');
    for (let i = 0; i < message.length; i += Math.max(1, Math.floor(message.length / 40))) {
      const copy = message.slice();
      copy[i]! ^= 1 << (i % 8);
      const outcome = (await deliver(copy, [b1]))[0];
      expect(outcome?.kind).not.toBe('application');
    }
    expect(textOf((await deliver(message, [b1]))[0]!)).toBe('integrity');
  });

  it('rejects a replayed message', async () => {
    const { a1, b1 } = await twoUsers();
    const message = await send(a1, 'once');
    expect(textOf((await deliver(message, [b1]))[0]!)).toBe('once');
    expect((await deliver(message, [b1]))[0]).toMatchObject({ kind: 'replay' });
  });

  it('rejects a replay even after the state was exported and imported', async () => {
    const { a1, b1 } = await twoUsers();
    const message = await send(a1, 'once');
    textOf((await deliver(message, [b1]))[0]!);
    const restored = importGroup(b1.client, exportGroup(groupOf(b1)));
    if (restored.kind !== 'ok') throw new Error(restored.message);
    expect(await receiveMessage(b1.client, restored.group, message)).toMatchObject({
      kind: 'replay',
    });
    b1.group = restored.group;
    expect(textOf((await deliver(await send(a1, 'after restore'), [b1]))[0]!)).toBe(
      'after restore',
    );
  });

  it('refuses to use a spent group state', async () => {
    const { a1 } = await twoUsers();
    const old = groupOf(a1);
    await send(a1, 'advance');
    await expect(send({ ...a1, group: old }, 'again')).rejects.toThrow(/superseded/);
  });
});

describe('concurrent commits and three clients', () => {
  it('discards the losing commit, redoes it on the winner, and converges', async () => {
    const { directory, a1, b1, b2 } = await twoUsers();
    const carol = await makeUser(directory, 'carol', 1);
    const [c1] = carol.devices as [TestDevice];
    await addAndJoin(a1, [b1, b2], [c1]);
    const all = [a1, b1, b2, c1];
    expect(authenticators(all).size).toBe(1);

    const epoch = groupOf(a1).epoch;
    const winner = expectOk(await selfUpdate(a1.client, groupOf(a1)));
    const loser = expectOk(await selfUpdate(b1.client, groupOf(b1)));
    expect(winner.epoch).toBe(loser.epoch);

    // The sequencer accepts the winner; everyone, including the loser, applies it.
    a1.group = confirmCommit(winner);
    const applied = await deliver(winner.commit, [b1, b2, c1]);
    expect(applied.map((o) => o.kind)).toEqual(['commit', 'commit', 'commit']);
    // A stray copy of the losing commit is stale for everyone.
    expect(
      (await deliver(loser.commit, [a1, c1])).map((o) => o.kind === 'undecryptable' && o.reason),
    ).toEqual(['wrong-epoch', 'wrong-epoch']);

    const redo = expectOk(await selfUpdate(b1.client, groupOf(b1)));
    expect(redo.epoch).toBe(epoch + 2n);
    b1.group = confirmCommit(redo);
    await deliver(redo.commit, [a1, b2, c1]);
    expect(new Set(all.map((d) => groupOf(d).epoch)).size).toBe(1);
    expect(authenticators(all).size).toBe(1);

    const hello = await send(c1, 'from carol');
    expect((await deliver(hello, [a1, b1, b2])).map(textOf)).toEqual([
      'from carol',
      'from carol',
      'from carol',
    ]);
  });
});
