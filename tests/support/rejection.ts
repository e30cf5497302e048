import { RchatError } from '@rchat/sdk';

/** The RchatError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<RchatError> {
  const e: unknown = await p.then(
    () => new Error('expected a rejection'),
    (err: unknown) => err,
  );
  if (!(e instanceof RchatError)) throw e;
  return e;
}
