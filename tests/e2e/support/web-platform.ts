import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { snapshot } from '../../support/db-snapshot.ts';
import { startPlatform, type Platform } from '../../support/platform.ts';

export const WEB_DIST_DIR = fileURLToPath(new URL('../../../apps/web/dist', import.meta.url));

/**
 * The whole platform in this process, serving the built web client at its URL (built by the global
 * setup).
 * `env` overrides the services' settings (e.g. `{ REGISTRATION: 'invite',
 * REGISTRATION_INVITE_CODES: '…' }`).
 */
export async function startWebPlatform(
  options: { env?: Record<string, string> } = {},
): Promise<Platform> {
  return startPlatform(options);
}

/** Every string in a row, and the bytes of each one that decodes as base64 or as Postgres hex. */
function forms(value: unknown, out: Buffer[] = []): Buffer[] {
  if (typeof value === 'string') {
    out.push(Buffer.from(value));
    if (value.length >= 8 && /^[A-Za-z0-9+/]+={0,2}$/.test(value))
      out.push(Buffer.from(value, 'base64'));
    if (/^\\x[0-9a-f]+$/i.test(value)) out.push(Buffer.from(value.slice(2), 'hex'));
  } else if (Array.isArray(value)) {
    for (const v of value) forms(v, out);
  } else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) forms(v, out);
  }
  return out;
}

/**
 * Reads every row of every table of both databases (binary columns arrive as
 * base64) and counts the values that hold each needle, as text or inside their bytes.
 */
export async function countInServerData(
  platform: Platform,
  needles: string[],
): Promise<Record<string, number>> {
  const tables = await snapshot(platform.users.database, platform.chat.database);
  expect(Object.keys(tables)).toEqual(expect.arrayContaining(['messages', 'users']));
  const values = Object.values(tables).flatMap((rows) =>
    rows
      .split('\n')
      .filter(Boolean)
      .flatMap((row) => forms(JSON.parse(row))),
  );
  return Object.fromEntries(needles.map((n) => [n, values.filter((v) => v.includes(n)).length]));
}
