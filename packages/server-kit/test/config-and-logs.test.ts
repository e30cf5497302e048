import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigShape, ConfigError, createLogger, env, loadConfig, splitStatements } from '../src/index.ts';

describe('config', () => {
  const schema = z.object({ ...baseConfigShape, PORT: env.port(8080), LIMIT: env.int(5, 1, 10) });

  it('applies defaults and freezes the result', () => {
    const config = loadConfig(schema, {});
    expect(config.PORT).toBe(8080);
    expect(config.DATA_DIR).toBe('./data');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails fast with a sentence naming each bad variable', () => {
    expect(() => loadConfig(schema, { PORT: 'eighty', LIMIT: '11', NATS_URL: 'http://x' })).toThrow(ConfigError);
    try {
      loadConfig(schema, { PORT: 'eighty', LIMIT: '11', NATS_URL: 'http://x' });
    } catch (e) {
      const text = (e as Error).message;
      expect(text).toMatch(/PORT:/);
      expect(text).toMatch(/LIMIT:/);
      expect(text).toMatch(/NATS_URL: must be a nats:\/\/ URL/);
    }
  });
});

describe('logs', () => {
  it('redacts passwords, tokens, ciphertext and access_token query values', () => {
    let out = '';
    const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => ((out += chunk.toString()), cb()) });
    const log = createLogger({ level: 'info', name: 'test', destination: sink });
    log.info({ password: 'hunter2-secret', body: { refreshToken: 'rt-secret', ciphertext: 'ct-secret' }, req: { method: 'GET', url: '/events?since=3&access_token=jwt-secret' } }, 'event');
    log.info({ req: { headers: { authorization: 'Bearer header-secret' } } }, 'headers');
    for (const secret of ['hunter2-secret', 'rt-secret', 'ct-secret', 'jwt-secret', 'header-secret']) expect(out).not.toContain(secret);
    expect(out).toContain('since=3&access_token=[redacted]');
  });
});

describe('migration statements', () => {
  it('splits at semicolons that end a line and drops comment lines', () => {
    expect(splitStatements('create table a (x int);\n-- note\ncreate index i on a (x);\n')).toEqual(['create table a (x int)', 'create index i on a (x)']);
  });
});
