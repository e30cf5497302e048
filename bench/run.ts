/**
 * Benchmark suite entry point: `npm run bench [-- --quick]`.
 * Starts every system (rchat, XMPP peers, ceilings) one at a time, runs the
 * scenarios against the common driver interface, writes
 * bench/results/<date>.json and regenerates docs/benchmarks.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { USAGE, parseArgs, selected, type SCENARIO_IDS } from './lib/args.ts';
import { now } from './lib/clock.ts';
import { ensureOpenFiles } from './lib/fd-limit.ts';
import { loadAverage, machineInfo } from './lib/machine.ts';
import { run } from './lib/proc.ts';
import { renderMarkdown, throughputChart } from './report/markdown.ts';
import type { BenchResults } from './report/results.ts';
import { authRate } from './scenarios/auth-rate.ts';
import { clientCrypto } from './scenarios/client-crypto.ts';
import { coldStart, type ObservedStart } from './scenarios/cold-start.ts';
import { DeliveryRouter } from './scenarios/delivery-router.ts';
import { fanout } from './scenarios/fanout.ts';
import { fixedRate } from './scenarios/fixed-rate.ts';
import { historyRchat } from './scenarios/history-rchat.ts';
import { historySql } from './scenarios/history-sql.ts';
import { idleConnections } from './scenarios/idle-connections.ts';
import { unloadedLatency } from './scenarios/latency-unloaded.ts';
import { throughput } from './scenarios/throughput.ts';
import { benchConfig, type ResultRow, type ScenarioContext } from './scenarios/types.ts';
import { RchatDriver } from './systems/rchat.ts';
import { RchatScaledDriver, scaledEnv } from './systems/rchat-scaled.ts';
import { allDrivers } from './systems/registry.ts';
import type { SystemDriver } from './systems/types.ts';

/**
 * A scenario run against a started driver; it may add systems of its own (a ceiling it measured
 * alongside).
 */
type DriverScenario = (
  ctx: ScenarioContext,
  router: DeliveryRouter,
  results: BenchResults,
) => Promise<ResultRow[]>;

const oneToOne = (d: SystemDriver): boolean => d.supports.oneToOne !== false;

/** In run order per system; idle connections run in a second pass over the systems (see below). */
const DRIVER_SCENARIOS: {
  id: (typeof SCENARIO_IDS)[number];
  run: DriverScenario;
  applies: (d: SystemDriver) => boolean;
}[] = [
  { id: 'unloaded-latency', run: unloadedLatency, applies: oneToOne },
  { id: 'throughput', run: throughput, applies: oneToOne },
  { id: 'fixed-rate', run: fixedRate, applies: oneToOne },
  { id: 'fanout', run: fanout, applies: (d) => d.supports.fanout },
  {
    id: 'auth-rate',
    run: async (ctx, _router, results) => {
      const driver = ctx.driver;
      const platform =
        driver instanceof RchatDriver
          ? { env: driver.platformEnv, attached: driver.attached }
          : { env: scaledEnv({}), attached: false };
      const measured = await authRate(
        ctx,
        (driver as RchatDriver | RchatScaledDriver).client(),
        platform,
      );
      if (!results.systems.some((s) => s.id === measured.info.id))
        results.systems.push(measured.info);
      return measured.rows;
    },
    applies: (d) => d instanceof RchatDriver || d instanceof RchatScaledDriver,
  },
  {
    id: 'history',
    run: (ctx) => historyRchat(ctx, ctx.driver as RchatScaledDriver),
    applies: (d) => d instanceof RchatScaledDriver,
  },
  { id: 'idle-connections', run: idleConnections, applies: (d) => d.supports.idle },
];

const log = (message: string): void => console.log(message);
const root = new URL('../', import.meta.url);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const config = benchConfig(options.quick);
  if (!(await ensureOpenFiles(config.idle.connections * 2 + 2000))) return;
  const wants = (scenario: string): boolean =>
    options.scenarios === undefined || options.scenarios.includes(scenario);
  const drivers = allDrivers({
    url: options.rchatUrl,
    forceStart: options.rchatStart,
    startPort: options.rchatPort,
  }).filter((d) => selected(options.systems, d.info.id));
  const partial = options.systems !== undefined || options.scenarios !== undefined;
  const started = new Date();
  const t0 = now();
  const results: BenchResults = {
    schema: 1,
    startedAt: started.toISOString(),
    durationSeconds: 0,
    mode: options.quick ? 'quick' : 'full',
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: machineInfo(),
    settings: { ...config },
    systems: [],
    skipped: [],
    failures: [],
    rows: [],
  };

  if (drivers.some((d) => d.info.kind === 'peer')) {
    await run('sh', [fileURLToPath(new URL('setup.sh', import.meta.url))], {
      timeoutMs: 600_000,
    }).catch((e: unknown) => {
      log(`setup.sh failed: ${(e as Error).message}`);
    });
  }

  const active = new Set<SystemDriver>();
  const stopDriver = async (driver: SystemDriver): Promise<void> => {
    await driver
      .stop()
      .catch((e: unknown) => log(`  stop of ${driver.info.id} failed: ${(e as Error).message}`));
    active.delete(driver);
  };
  const stopAll = (): Promise<unknown> => Promise.all([...active].map(stopDriver));
  const onSignal = (signal: NodeJS.Signals): void => {
    log(
      `\n${signal}: stopping ${[...active].map((d) => d.info.id).join(', ') || 'nothing'} and exiting`,
    );
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('uncaughtException', (error) => {
    log(`\nuncaught error: ${error.stack ?? error.message}\nstopping servers and exiting`);
    void stopAll().finally(() => process.exit(1));
  });

  const router = new DeliveryRouter();
  /** Readiness times of the systems the suite started itself (scenario 8 may reuse them). */
  const observedStarts: ObservedStart[] = [];
  /**
   * Idle connections still held for the late memory sample, each stopping its system when done (at
   * most one: client file descriptors).
   */
  const held: Promise<void>[] = [];
  /**
   * Starts one system, runs `scenarios` on it and stops it. In the idle pass
   * the system is stopped later: its connections are held for the late
   * memory sample while the next system starts and creates its accounts.
   */
  const runSystem = async (
    driver: SystemDriver,
    scenarios: typeof DRIVER_SCENARIOS,
    idlePass: boolean,
  ): Promise<void> => {
    log(`\n== ${driver.info.id}${idlePass ? ' (idle connections)' : ''}`);
    const ts = now();
    active.add(driver);
    try {
      await driver.start();
    } catch (e) {
      const reason = (e as Error).message;
      log(`  skipped: ${reason}`);
      if (!results.skipped.some((s) => s.system === driver.info.id))
        results.skipped.push({ system: driver.info.id, reason });
      await stopDriver(driver);
      return;
    }
    if (!results.systems.some((s) => s.id === driver.info.id)) results.systems.push(driver.info);
    if (!idlePass)
      observedStarts.push(
        ...(driver.coldStarts?.() ?? []).map((s) => ({ ...s, system: driver.info.id })),
      );
    log(`  [started: ${Math.round((now() - ts) / 1000)} s]`);
    let stopLater = false;
    try {
      for (const scenario of scenarios) {
        const tsc = now();
        const fail = (e: unknown): void => {
          const error = (e as Error).message;
          log(`  ${scenario.id} failed: ${error}`);
          results.failures.push({ system: driver.info.id, scenario: scenario.id, error });
        };
        if (!idlePass) {
          try {
            results.rows.push(...(await scenario.run({ driver, config, log }, router, results)));
          } catch (e) {
            fail(e);
          }
          log(`  [${scenario.id}: ${Math.round((now() - tsc) / 1000)} s]`);
          continue;
        }
        // Starting and provisioning overlap the previous system's wait for its late sample;
        // connecting does not.
        const beforeConnect = async (): Promise<void> => {
          while (held.length > 0) await held.shift();
        };
        let release = (): void => undefined;
        const released = new Promise<void>((resolve) => (release = resolve));
        const outcome = scenario
          .run({ driver, config, log, background: release, beforeConnect }, router, results)
          .then((rows) => {
            results.rows.push(...rows);
          }, fail);
        await Promise.race([released, outcome]);
        stopLater = true;
        held.push(outcome.finally(() => stopDriver(driver)));
      }
    } finally {
      if (!stopLater) await stopDriver(driver);
    }
    log(
      `  (${Math.round((now() - ts) / 1000)} s${stopLater ? ', idle connections still held' : ''})`,
    );
  };
  // Two passes: every timed scenario runs with no other system's connections open; then the idle
  // connections (scenario 5), where one system's late memory sample overlaps the next one's start.
  for (const idlePass of [false, true]) {
    for (const driver of drivers) {
      const scenarios = DRIVER_SCENARIOS.filter(
        (s) => wants(s.id) && s.applies(driver) && (s.id === 'idle-connections') === idlePass,
      );
      if (scenarios.length > 0) await runSystem(driver, scenarios, idlePass);
    }
  }
  await Promise.all(held);

  if (wants('history') && selected(options.systems, 'pg-sql')) {
    log('\n== pg-sql');
    try {
      const history = await historySql(config, log);
      results.systems.push(history.info);
      results.rows.push(...history.rows);
    } catch (e) {
      results.failures.push({ system: 'pg-sql', scenario: 'history', error: (e as Error).message });
      log(`  history failed: ${(e as Error).message}`);
    }
  }

  const rchatSide = selected(options.systems, 'rchat');
  if (wants('cold-start') && rchatSide) {
    log('\n== cold start');
    const tc = now();
    try {
      results.rows.push(...(await coldStart(config, log, observedStarts)));
    } catch (e) {
      results.failures.push({
        system: 'rchat',
        scenario: 'cold-start',
        error: (e as Error).message,
      });
      log(`  cold start failed: ${(e as Error).message}`);
    }
    log(`  (${Math.round((now() - tc) / 1000)} s)`);
  }

  if (wants('client-crypto') && (rchatSide || selected(options.systems, 'crypto'))) {
    log('\n== client crypto');
    const tc = now();
    try {
      const crypto = await clientCrypto(config, log);
      results.systems.push(...crypto.systems);
      results.skipped.push(...crypto.skipped);
      results.rows.push(...crypto.rows);
    } catch (e) {
      results.failures.push({
        system: 'crypto-node',
        scenario: 'client-crypto',
        error: (e as Error).message,
      });
      log(`  client crypto failed: ${(e as Error).message}`);
    }
    log(`  (${Math.round((now() - tc) / 1000)} s)`);
  }

  results.durationSeconds = Math.round((now() - t0) / 1000);
  results.machine.loadAverage.end = loadAverage();
  if (!options.write) {
    console.log(JSON.stringify(results.rows, null, 1));
    return;
  }
  const date = started.toISOString().slice(0, 10);
  const suffix = partial ? '-partial' : options.quick ? '-quick' : '';
  const resultsDir = new URL('bench/results/', root);
  mkdirSync(resultsDir, { recursive: true });
  const resultsFile = new URL(`${date}${suffix}.json`, resultsDir);
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 1)}\n`);
  log(`\nresults: ${fileURLToPath(resultsFile)} (${Math.round(results.durationSeconds)} s)`);
  // Only a full, unrestricted run replaces the published report (a quick run is a smoke test of the
  // harness).
  if (!partial && !options.quick) {
    writeFileSync(new URL('throughput-p99.svg', resultsDir), throughputChart(results));
    writeFileSync(
      new URL('docs/benchmarks.md', root),
      renderMarkdown(results, '../bench/results/throughput-p99.svg'),
    );
    log('docs: docs/benchmarks.md, bench/results/throughput-p99.svg');
  }
  if (results.skipped.length > 0)
    log(
      `not measured: ${results.skipped.map((s) => `${s.system} (${s.reason.split('\n')[0] ?? ''})`).join('; ')}`,
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
