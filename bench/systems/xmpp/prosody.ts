import { join } from 'node:path';
import { PackagedServer, readLog, renderTemplate, writeOwned, type XmppServer } from './server.ts';

const TEMPLATE = new URL('../../peers/prosody/prosody.cfg.lua', import.meta.url);

/** Prosody 0.12 from Debian, run as user `prosody` from a temp dir with our config. */
export class ProsodyServer extends PackagedServer implements XmppServer {
  readonly software = 'Prosody';
  readonly domain = 'bench.localhost';
  readonly settings: Record<string, string | number | boolean>;

  constructor(
    readonly port: number,
    private readonly archive: boolean,
  ) {
    super('prosody', 'prosody');
    this.settings = {
      config: 'bench/peers/prosody/prosody.cfg.lua',
      network_backend: 'epoll',
      nagle: false,
      tls: false,
      sasl: 'SCRAM-SHA-1',
      scramIterations: 10000,
      storage: 'internal (files)',
      mod_mam: archive ? 'on, default_archive_policy=true' : 'off',
      mod_limits: 'not loaded',
      nofile: 20000,
    };
  }

  async start(): Promise<void> {
    const dir = this.makeDir(['data', 'certs']);
    const config = renderTemplate(TEMPLATE, {
      DIR: dir,
      PORT: String(this.port),
      ARCHIVE: this.archive ? '"mam";' : '',
    });
    writeOwned(join(dir, 'prosody.cfg.lua'), config, dir);
    this.proc.start(`/usr/bin/prosody --config ${join(dir, 'prosody.cfg.lua')} -F`, {
      ...process.env,
      HOME: dir,
    });
    await this.proc.ready(this.port, 20_000);
  }

  async stop(): Promise<void> {
    const log = this.dir === undefined ? '' : readLog(join(this.dir, 'prosody.log'));
    await this.shutdown(
      log
        .split('\n')
        .filter((l) => /\terror\t/.test(l))
        .join('\n'),
    );
  }
}
