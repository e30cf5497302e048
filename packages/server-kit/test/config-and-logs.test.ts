import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  baseConfigShape,
  checkNatsCredentials,
  ConfigError,
  createLogger,
  env,
  loadConfig,
  redactUrl,
  splitStatements,
} from '../src/index.ts';

describe('config', () => {
  const schema = z.object({ ...baseConfigShape, PORT: env.port(8080), LIMIT: env.int(5, 1, 10) });

  it('applies defaults and freezes the result', () => {
    const config = loadConfig(schema, {});
    expect(config.PORT).toBe(8080);
    expect(config.DATA_DIR).toBe('./data');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('fails fast with a sentence naming each bad variable', () => {
    expect(() => loadConfig(schema, { PORT: 'eighty', LIMIT: '11', NATS_URL: 'http://x' })).toThrow(
      ConfigError,
    );
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

describe('NATS credentials', () => {
  const schema = z.object({ ...baseConfigShape }).superRefine(checkNatsCredentials);
  const problems = (vars: Record<string, string>) => {
    try {
      loadConfig(schema, vars);
      return '';
    } catch (e) {
      return (e as Error).message;
    }
  };

  it('takes a user with a password, or an nkey seed file', () => {
    expect(
      problems({
        NATS_URL: 'nats://bus:4222',
        NATS_USER: 'chat',
        NATS_PASSWORD: 'abcdefghijklmnopq',
      }),
    ).toBe('');
    expect(
      problems({ NATS_URL: 'nats://bus:4222', NATS_NKEY_SEED_FILE: '/run/secrets/chat.nk' }),
    ).toBe('');
  });

  it('refuses half a pair, both kinds at once, a short password and credentials in the URL, without echoing a secret', () => {
    expect(problems({ NATS_USER: 'chat' })).toMatch(
      /NATS_PASSWORD: set both NATS_USER and NATS_PASSWORD, or neither/,
    );
    expect(problems({ NATS_PASSWORD: 'abcdefghijklmnopq' })).toMatch(
      /NATS_USER: set both NATS_USER and NATS_PASSWORD, or neither/,
    );
    expect(
      problems({
        NATS_USER: 'chat',
        NATS_PASSWORD: 'abcdefghijklmnopq',
        NATS_NKEY_SEED_FILE: '/x',
      }),
    ).toMatch(/NATS_NKEY_SEED_FILE: set either NATS_PASSWORD or NATS_NKEY_SEED_FILE, not both/);
    expect(problems({ NATS_USER: 'chat', NATS_PASSWORD: 'short' })).toMatch(
      /NATS_PASSWORD: must be at least 16 characters/,
    );
    const inUrl = problems({ NATS_URL: 'nats://chat:secretpassword123@bus:4222' });
    expect(inUrl).toMatch(/NATS_URL: must not hold credentials/);
    expect(inUrl).not.toContain('secretpassword123');
  });
});

describe('logs', () => {
  it('redacts passwords, tokens, ciphertext and access_token query values', () => {
    let out = '';
    const sink = new Writable({
      write: (chunk: Buffer, _enc, cb) => ((out += chunk.toString()), cb()),
    });
    const log = createLogger({ level: 'info', name: 'test', destination: sink });
    log.info(
      {
        password: 'hunter2-secret',
        body: { refreshToken: 'rt-secret', ciphertext: 'ct-secret' },
        req: { method: 'GET', url: '/events?since=3&access_token=jwt-secret' },
      },
      'event',
    );
    log.info({ req: { headers: { authorization: 'Bearer header-secret' } } }, 'headers');
    for (const secret of [
      'hunter2-secret',
      'rt-secret',
      'ct-secret',
      'jwt-secret',
      'header-secret',
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain('since=3&access_token=[redacted]');
  });

  it('redacts access tokens in encoded forms too: an encoded parameter name, a URL inside a query, a JWT anywhere', () => {
    let out = '';
    const sink = new Writable({
      write: (chunk: Buffer, _enc, cb) => ((out += chunk.toString()), cb()),
    });
    const log = createLogger({ level: 'info', name: 'test', destination: sink });
    const urls = [
      '/events?access%5Ftoken=secret-one',
      '/events?since=1&%61ccess_token=secret-two',
      '/events?ACCESS_TOKEN=secret-three',
      '/web?next=%2Fevents%3Faccess_token%3Dsecret-four',
      '/web?next=%252Fevents%253Faccess%255Ftoken%253Dsecret-five',
      '/path/eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlLXNpeA',
    ];
    for (const url of urls) log.info({ req: { method: 'GET', url } }, 'incoming request');
    for (const secret of [
      'secret-one',
      'secret-two',
      'secret-three',
      'secret-four',
      'secret-five',
      'c2lnbmF0dXJlLXNpeA',
    ])
      expect(out).not.toContain(secret);
    // What is not a token stays readable.
    expect(out).toContain('/events?since=1&%61ccess_token=[redacted]');
    expect(redactUrl('/conversations/c1/messages?before=7&limit=50')).toBe(
      '/conversations/c1/messages?before=7&limit=50',
    );
  });
});

describe('migration statements', () => {
  it('splits at semicolons that end a line and drops comment lines', () => {
    expect(splitStatements('create table a (x int);\n-- note\ncreate index i on a (x);\n')).toEqual(
      ['create table a (x int)', 'create index i on a (x)'],
    );
  });
});
