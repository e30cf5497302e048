import { join } from 'node:path';
import { createConnection } from 'node:net';
import { pidsByComm, run } from '../../lib/proc.ts';
import { PackagedServer, readLog, renderTemplate, writeOwned, type XmppServer } from './server.ts';

const CONFIG = new URL('../../peers/ejabberd/ejabberd.yml', import.meta.url);
const CTL_CONFIG = new URL('../../peers/ejabberd/ejabberdctl.cfg', import.meta.url);
const MAM_LINE = '  mod_mam:\n    default: always\n    db_type: mnesia\n';

const epmdListening = (): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port: 4369 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** ejabberd 23.01 from Debian, run as user `ejabberd` in the foreground from a temp dir. */
export class EjabberdServer extends PackagedServer implements XmppServer {
  readonly software = 'ejabberd';
  readonly domain = 'bench.localhost';
  readonly settings: Record<string, string | number | boolean>;
  private epmdBefore: number[] = [];
  private startedEpmd = false;

  constructor(
    readonly port: number,
    private readonly archive: boolean,
  ) {
    super('ejabberd', 'ejabberd');
    this.settings = {
      config: 'bench/peers/ejabberd/ejabberd.yml',
      c2s_shaper: 'none (default 3000 B/s)',
      registration_timeout: 'infinity (default 600 s)',
      'mod_muc max_users': 10000,
      max_user_sessions: 1000,
      tls: false,
      sasl: 'SCRAM-SHA-1',
      scramIterations: 4096,
      storage: 'mnesia (default)',
      mod_mam: archive ? 'on, default: always, mnesia' : 'off',
      erlangDistribution: '127.0.0.1 only',
      nofile: 20000,
    };
  }

  async start(): Promise<void> {
    const dir = this.makeDir(['spool', 'logs']);
    writeOwned(join(dir, 'inetrc'), '', dir);
    writeOwned(
      join(dir, 'ejabberd.yml'),
      renderTemplate(CONFIG, { PORT: String(this.port), ARCHIVE: this.archive ? MAM_LINE : '' }),
      dir,
    );
    writeOwned(
      join(dir, 'ejabberdctl.cfg'),
      renderTemplate(CTL_CONFIG, { DIR: dir, PORT: String(this.port) }),
      dir,
    );
    this.epmdBefore = pidsByComm('epmd');
    this.startedEpmd = !(await epmdListening());
    const args = [
      `--config-dir ${dir}`,
      `--config ${join(dir, 'ejabberd.yml')}`,
      `--ctl-config ${join(dir, 'ejabberdctl.cfg')}`,
      `--spool ${join(dir, 'spool')}`,
      `--logs ${join(dir, 'logs')}`,
    ];
    this.proc.start(`/usr/sbin/ejabberdctl ${args.join(' ')} foreground`, {
      ...process.env,
      HOME: dir,
    });
    await this.proc.ready(this.port, 60_000);
  }

  async stop(): Promise<void> {
    // Read the error log before stopping: shutdown itself logs helper-port exits.
    const errors = this.dir === undefined ? '' : readLog(join(this.dir, 'logs', 'error.log'));
    await this.shutdown(errors);
    if (this.startedEpmd) {
      // We started an epmd (bound to 127.0.0.1) for this node: stop that one only.
      for (const pid of pidsByComm('epmd').filter((p) => !this.epmdBefore.includes(p)))
        await run('kill', [String(pid)]).catch(() => undefined);
      this.startedEpmd = false;
    }
  }
}
